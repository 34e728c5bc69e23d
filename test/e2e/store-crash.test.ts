// kill -9 of the real server in the middle of a 50,000-row import, on PGlite and on PostgreSQL:
// afterwards the database opens, the server starts again, the import is all there or not at all,
// and the audit chain verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { createUser } from '../../src/access/users.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { openDatabase, rows } from '../../src/store/db.ts';
import { randomCase, seededRandom } from '../support/case-fixtures.ts';
import { bin, cliEnv, freePort, root, runCli, tempDataDir } from '../support/cli.ts';
import { dbTargets } from '../support/db.ts';
import { TEST_PASSWORD } from '../support/http.ts';

const ROWS = 50_000;
const t0 = Date.now();
const trace = (what: string) => process.env.CRASH_TRACE && process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}\n`);

/** ROWS valid coordinator cases of region Syd, the scope of the coordinator who imports them. */
function importFile(): string {
  const rand = seededRandom(8);
  const data: CaseData[] = [];
  while (data.length < ROWS) {
    const c = randomCase(rand, [2024, 2025]);
    if (c.source !== 'coordinator') continue;
    const r = validateCase({ ...c, region: 'syd' });
    if (r.ok) data.push(r.data);
  }
  return casesToCsv(data);
}

const template = () => new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) {
    try {
      if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

type Server = { child: ChildProcess; url: string; output: () => string; exited: Promise<void> };

/** `bin/lagesbild start` in its own process group, waited for until /api/health answers. */
async function start(dataDir: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'start', '--no-demo', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: cliEnv(dataDir, env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (gone) throw new Error(`server exited before it answered: ${out}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { child, url, output: () => out, exited };
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`server did not answer: ${out}`);
}

async function stop(server: Server): Promise<void> {
  process.kill(-server.child.pid!, 'SIGTERM');
  await server.exited;
}

async function signIn(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'maria', password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('lagesbild_session='))!;
  return { cookie, 'x-csrf-token': csrfToken };
}

/** Total bytes of the PGlite data directory's WAL: it grows once the import's transaction writes. */
function walBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'pg_wal');
  return fs.readdirSync(dir).reduce((sum, f) => {
    const st = fs.statSync(path.join(dir, f));
    return st.isFile() ? sum + st.size : sum;
  }, 0);
}

/** The modification time of the newest WAL segment (a recycled segment keeps its size). */
function walStamp(dataDir: string): string {
  const dir = path.join(dataDir, 'pg_wal');
  return fs
    .readdirSync(dir)
    .filter((f) => /^[0-9A-F]{24}$/.test(f))
    .map((f) => `${f}:${fs.statSync(path.join(dir, f)).mtimeMs}`)
    .sort()
    .join(',');
}

async function admin(text: string, values: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.each(dbTargets())('kill -9 during an import on %s', (target) => {
  it('leaves nothing partial: the database opens, the server starts again, the audit chain verifies', { timeout: 240_000 }, async () => {
    const tmp = tempDataDir();
    const name = `lagesbild_test_${process.pid}_crash`;
    const env: Record<string, string> = {};
    if (target === 'postgres') {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
    }
    try {
      // The instance and its coordinator, made in-process (a PGlite directory from the migrated template).
      const setup = await openDatabase(target === 'pglite' ? { dataDir: tmp.dataDir, loadDataDir: template(), migrate: false } : { url: env.DATABASE_URL });
      try {
        await createUser(setup.db, systemActor('test'), { username: 'maria', role: 'coordinator', region: 'syd', organisation_id: null, password: TEST_PASSWORD });
      } finally {
        await setup.close();
      }
      trace('const csvPath');
      const csvPath = path.join(tmp.dir, 'cases.csv');
      fs.writeFileSync(csvPath, importFile());

      trace('const server = await start');
      const server = await start(tmp.dataDir, env);
      const headers = await signIn(server.url);
      // The moment the import's transaction has written: on PostgreSQL its backend has a
      // transaction id; on PGlite its WAL changes after the sign-in's writes have settled.
      const walBefore = target === 'pglite' ? `${walBytes(tmp.dataDir)}|${walStamp(tmp.dataDir)}` : '';
      let answered = false;
      const request = fetch(`${server.url}/api/import`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' },
        body: fs.readFileSync(csvPath),
      }).then(
        (res) => {
          answered = true;
          return `HTTP ${res.status}`;
        },
        (e: Error) => `failed: ${e.message}`,
      );
      trace('let writing = false');
      let writing = false;
      for (let i = 0; i < 1200 && !writing && !answered; i++) {
        await new Promise((r) => setTimeout(r, 25));
        if (target === 'postgres') {
          const [{ n }] = await admin(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL`, [name]);
          writing = n > 0;
        } else {
          writing = `${walBytes(tmp.dataDir)}|${walStamp(tmp.dataDir)}` !== walBefore;
        }
      }
      expect(writing, 'the import began writing').toBe(true);
      trace('process.kill(-server.child.pid');
      process.kill(-server.child.pid!, 'SIGKILL');
      await server.exited;
      // Killed before it could answer: the import was cut off in its transaction.
      expect(await request).toMatch(/^failed/);
      expect(answered).toBe(false);

      // The server starts again on the same database (a PGlite directory's stale lock is taken over).
      trace('const again = await start');
      const again = await start(tmp.dataDir, env);
      const again2 = await signIn(again.url);
      const list = await fetch(`${again.url}/api/cases?limit=1`, { headers: { cookie: again2.cookie } });
      expect(list.status).toBe(200);
      trace('await stop(again);');
      await stop(again);
      expect(again.output()).not.toMatch(/Error|Fel:/);

      trace('const verify =');
      const verify = await runCli(['audit', 'verify'], tmp.dataDir, env);
      expect(verify.code, verify.stderr).toBe(0);

      trace('const database = await openDat');
      const database = await openDatabase(target === 'pglite' ? { dataDir: tmp.dataDir, migrate: false } : { url: env.DATABASE_URL, migrate: false });
      try {
        const [counts] = await rows<{ cases: number; versions: number; imports: number }>(
          database.db,
          sql`select (select count(*)::int from cases) as cases, (select count(*)::int from case_versions) as versions,
                     (select count(*)::int from audit_log where operation = 'cases.import') as imports`,
        );
        // All of the file or nothing of it, with its versions and its audit row alike.
        expect([0, ROWS]).toContain(counts.cases);
        expect(counts.versions).toBe(counts.cases);
        expect(counts.imports).toBe(counts.cases === 0 ? 0 : 1);
      } finally {
        await database.close();
      }
    } finally {
      if (target === 'postgres') await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      tmp.remove();
    }
  });
});

/** Every file of a directory with its bytes' hash: to show that a refused start changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

// Where PGlite cannot replay its log (the log or the control file damaged, a first start cut
// short), `start` must not fail with PGlite's bare "Aborted()" nor write into the directory: it
// says what is wrong and names the recovery, in Swedish by default and in English on request.
describe('a damaged PGlite data directory', () => {
  const damages: [string, 'unreadable' | 'incomplete', (dataDir: string) => void][] = [
    ['write-ahead log emptied', 'unreadable', (d) => {
      for (const f of fs.readdirSync(path.join(d, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f))) fs.truncateSync(path.join(d, 'pg_wal', f), 0);
    }],
    ['control file gone', 'incomplete', (d) => fs.rmSync(path.join(d, 'global', 'pg_control'))],
    ['first start cut short (no PG_VERSION)', 'incomplete', (d) => fs.rmSync(path.join(d, 'PG_VERSION'))],
  ];

  it.each(damages)('%s: start refuses, names the recovery in Swedish and English, and leaves the directory as it was', { timeout: 180_000 }, async (_name, state, damage) => {
    const tmp = tempDataDir();
    try {
      const setup = await openDatabase({ dataDir: tmp.dataDir, loadDataDir: template(), migrate: false });
      await setup.close();
      damage(tmp.dataDir);
      const before = snapshot(tmp.dataDir);

      const sv = await runCli(['start', '--no-demo', '--port', String(await freePort()), '--host', '127.0.0.1'], tmp.dataDir);
      expect(sv.code).toBe(1);
      expect(sv.stderr).not.toMatch(/Aborted\(\)|RuntimeError|at .*\.(js|ts):\d+/);
      expect(sv.stderr).toContain(tmp.dataDir);
      expect(sv.stderr).toMatch(state === 'unreadable' ? /kan inte öppnas/ : /inte en hel databas/);
      expect(sv.stderr).toContain('lagesbild restore');
      expect(sv.stderr).toContain('docs/recovery.md');

      const en = await runCli(['start', '--no-demo', '--port', String(await freePort()), '--host', '127.0.0.1'], tmp.dataDir, { LAGESBILD_LANG: 'en' });
      expect(en.code).toBe(1);
      expect(en.stderr).toMatch(state === 'unreadable' ? /cannot be opened/ : /not a whole database/);
      expect(en.stderr).toContain('Recovery: move the directory aside');

      // Nothing written into the damaged directory, and no lock left behind for the next try.
      expect(snapshot(tmp.dataDir)).toEqual(before);
      expect(fs.existsSync(`${tmp.dataDir}.lock`)).toBe(false);
    } finally {
      tmp.remove();
    }
  });
});
