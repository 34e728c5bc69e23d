// Load and fault benchmark: the real server (bin/lagesbild start, a child process) on a fresh
// PostgreSQL database, 50 signed-in readers and 10 writers at once, PostgreSQL's backends
// terminated a few times mid-load, and afterwards every write the writers were told about
// checked against the database (lost or duplicated writes). The same number of clients on
// GET /api/health first gives a baseline measured in the same run.
//   npm run bench:load -- [--duration 60] [--readers 50] [--writers 10] [--terminations 3] [--baseline 10]
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): the server on which
//   the benchmark creates and drops its own database.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemActor } from '../src/access/actor.ts';
import { createUser } from '../src/access/users.ts';
import { importCsv } from '../src/registry/transfer.ts';
import type { CaseData } from '../src/standard/case.ts';
import { region as regionCodes } from '../src/standard/codes.ts';
import { casesToCsv } from '../src/standard/csv.ts';
import { validateCase } from '../src/standard/validate.ts';
import { openDatabase } from '../src/store/db.ts';
import { randomCase, seededRandom } from '../test/support/case-fixtures.ts';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    readers: { type: 'string', default: '50' },
    writers: { type: 'string', default: '10' },
    terminations: { type: 'string', default: '3' },
    baseline: { type: 'string', default: '10' },
    'seed-cases': { type: 'string', default: '3500' },
  },
});
const num = (name: keyof typeof flags, min: number, max: number) => {
  const v = Number(flags[name]);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return v;
};
const DURATION_S = num('duration', 1, 3600);
const READERS = num('readers', 1, 500);
const WRITERS = num('writers', 0, 100);
const TERMINATIONS = num('terminations', 0, 20);
const BASELINE_S = num('baseline', 1, 600);
const SEED_CASES = num('seed-cases', 0, 100_000);
const PASSWORD = 'lastprov ' + crypto.randomBytes(12).toString('base64url');

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `lagesbild_load_${process.pid}`;
const dbUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const root = path.resolve(import.meta.dirname, '..');
const regions = regionCodes.codes as readonly string[];

async function admin<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

// ---- HTTP: keep-alive connections, one per client loop -----------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders };
let port = 0;

/** One request; a network failure resolves with status 0 (`net:<code>`) instead of throwing. */
function request(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Answer & { error?: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (d: string) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, body: '', headers: {}, error: e.code ?? e.message }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, body: '', headers: {}, error: e.code ?? e.message }));
    req.end(body);
  });
}

// ---- measurements ------------------------------------------------------------------------------
type Sample = { kind: string; status: string; ms: number; at: number };
const samples: Sample[] = [];
let window: { from: number; to: number } | null = null;

async function timed(kind: string, method: string, url: string, headers: Record<string, string>, body?: string) {
  const t0 = performance.now();
  const res = await request(method, url, headers, body);
  const ms = performance.now() - t0;
  samples.push({ kind, status: res.status ? String(res.status) : `net:${res.error}`, ms, at: t0 });
  return res;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

function summary(list: Sample[], seconds: number) {
  const byKind = new Map<string, Sample[]>();
  // Pushed, not spread: a spread per sample is quadratic, and at tens of thousands of samples the
  // pause it caused between the phases outlasted the server's keep-alive timeout.
  for (const s of list) {
    const ss = byKind.get(s.kind);
    if (ss) ss.push(s);
    else byKind.set(s.kind, [s]);
  }
  const rows = [...byKind].map(([kind, ss]) => {
    const ok = ss.filter((s) => s.status.startsWith('2')).map((s) => s.ms).sort((a, b) => a - b);
    return { kind, requests: ss.length, perSecond: ss.length / seconds, p50: pct(ok, 50), p99: pct(ok, 99) };
  });
  const statuses: Record<string, number> = {};
  for (const s of list) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return { rows, statuses, total: list.length, perSecond: list.length / seconds };
}

// ---- the server --------------------------------------------------------------------------------
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

let server: ChildProcess | null = null;
let serverOut = '';
let serverExit: string | null = null;

async function startServer() {
  port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: dbUrl };
  delete env.LAGESBILD_DATA_DIR;
  server = spawn(process.execPath, [path.join(root, 'bin/lagesbild'), 'start', '--no-demo', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, stopped as a whole at the end
  });
  server.stdout!.setEncoding('utf8').on('data', (d: string) => (serverOut = (serverOut + d).slice(-20_000)));
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (serverOut = (serverOut + d).slice(-20_000)));
  server.on('exit', (code, signal) => (serverExit = `exit code ${code} signal ${signal}`));
  for (let i = 0; i < 600; i++) {
    if (serverExit) throw new Error(`server ended before it answered (${serverExit}):\n${serverOut}`);
    if ((await request('GET', '/api/health')).status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer:\n${serverOut}`);
}

async function stopServer() {
  if (!server || serverExit) return;
  const ended = new Promise((r) => server!.once('close', r));
  process.kill(-server.pid!, 'SIGTERM');
  const timer = setTimeout(() => !serverExit && process.kill(-server!.pid!, 'SIGKILL'), 20_000);
  await ended;
  clearTimeout(timer);
}

// ---- seeding -----------------------------------------------------------------------------------
type Session = { username: string; region: string; headers: Record<string, string> };
const rand = seededRandom(60);

function caseIn(regionCode: string, linkage: string | null): CaseData {
  for (;;) {
    const c = randomCase(rand, [2024, 2025]);
    if (c.source !== 'coordinator') continue;
    const r = validateCase({ ...c, region: regionCode, linkage_key: linkage });
    if (r.ok) return r.data;
  }
}

async function seed(): Promise<Map<string, string[]>> {
  const database = await openDatabase({ url: dbUrl });
  try {
    const system = systemActor('bench');
    const people = [
      ...Array.from({ length: READERS }, (_, i) => ({ username: `reader-${i}`, region: regions[i % regions.length] })),
      ...Array.from({ length: WRITERS }, (_, i) => ({ username: `writer-${i}`, region: regions[i % regions.length] })),
    ];
    for (const p of people) {
      await createUser(database.db, system, { username: p.username, role: 'coordinator', region: p.region, organisation_id: null, password: PASSWORD });
    }
    const data = Array.from({ length: SEED_CASES }, (_, i) => caseIn(regions[i % regions.length], null));
    if (data.length) {
      const result = await importCsv(database.db, system, casesToCsv(data));
      if (!result.ok) throw new Error(`seeding failed: ${result.problems.slice(0, 3).join('; ')}`);
    }
  } finally {
    await database.close();
  }
  const byRegion = new Map<string, string[]>();
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    for (const r of (await client.query<{ id: string; region: string }>('SELECT id, region FROM cases')).rows) {
      const ids = byRegion.get(r.region);
      if (ids) ids.push(r.id);
      else byRegion.set(r.region, [r.id]);
    }
  } finally {
    await client.end();
  }
  return byRegion;
}

async function signIn(username: string, regionCode: string): Promise<Session> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await request('POST', '/api/session', {}, JSON.stringify({ username, password: PASSWORD }));
    if (res.status === 200) {
      const { csrfToken } = JSON.parse(res.body) as { csrfToken: string };
      const setCookie = res.headers['set-cookie'] ?? [];
      const cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('lagesbild_session='));
      if (!cookie) throw new Error('no session cookie');
      return { username, region: regionCode, headers: { cookie, 'x-csrf-token': csrfToken } };
    }
    // a throttled sign-in says when to come back
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'] ?? 1)));
  }
  throw new Error(`could not sign in ${username}`);
}

// ---- the clients -------------------------------------------------------------------------------
let stopAt = 0;
const running = () => performance.now() < stopAt && !serverExit;

async function healthLoop() {
  while (running()) await timed('health (baseline)', 'GET', '/api/health', {});
}

async function readerLoop(s: Session, ids: string[]) {
  let i = 0;
  while (running()) {
    if (i++ % 2 === 0 || ids.length === 0) {
      const page = 1 + Math.floor(Math.random() * 5);
      await timed('read: list of cases', 'GET', `/api/cases?page=${page}&pageSize=20`, s.headers);
    } else {
      await timed('read: one case', 'GET', `/api/cases/${ids[Math.floor(Math.random() * ids.length)]}`, s.headers);
    }
  }
}

/** What the writers were told, to check against the database afterwards. */
type Created = { tag: string; writer: string; id: string | null; answered: boolean; version: number; changesUnknown: number };
const created: Created[] = [];
const writerStats = { createRetries: 0, changeConflicts: 0, changesUnanswered: 0, changesAcknowledged: 0 };
const retryable = (status: number) => status === 0 || status === 503 || status === 502;

async function writerLoop(s: Session, index: number) {
  const mine: Created[] = [];
  let n = 0;
  while (running()) {
    if (mine.length === 0 || n % 3 === 0) {
      // A registration: the tag (in linkage_key) names this one logical write across its retries.
      const tag = `load${process.pid}w${index}n${n}`;
      const body = JSON.stringify(caseIn(s.region, tag));
      const key = crypto.randomUUID();
      const entry: Created = { tag, writer: s.username, id: null, answered: false, version: 1, changesUnknown: 0 };
      created.push(entry);
      for (let attempt = 0; attempt < 6 && running(); attempt++) {
        if (attempt > 0) writerStats.createRetries++;
        const res = await timed('write: register case', 'POST', '/api/cases', { ...s.headers, 'idempotency-key': key }, body);
        if (res.status === 201) {
          entry.id = (JSON.parse(res.body) as { id: string }).id;
          entry.answered = true;
          mine.push(entry);
          break;
        }
        // Same key again after a lost answer: the server must not register it twice.
        if (!retryable(res.status)) break;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    } else {
      const target = mine[Math.floor(Math.random() * mine.length)];
      const data = { ...caseIn(s.region, target.tag), version: target.version };
      const res = await timed('write: change case', 'PUT', `/api/cases/${target.id}`, s.headers, JSON.stringify(data));
      if (res.status === 200) {
        target.version = (JSON.parse(res.body) as { version: number }).version;
        writerStats.changesAcknowledged++;
      } else if (res.status === 409) {
        writerStats.changeConflicts++;
      }
      if (retryable(res.status) || res.status === 409) {
        // Not retried blindly (a change whose answer was lost may have been saved): its own writer
        // is the only one changing the case, so the version read now tells whether it was.
        if (retryable(res.status)) writerStats.changesUnanswered++;
        let known = false;
        for (let attempt = 0; attempt < 10 && !known; attempt++) {
          const now = await request('GET', `/api/cases/${target.id}`, s.headers);
          if (now.status === 200) {
            target.version = (JSON.parse(now.body) as { version: number }).version;
            known = true;
          } else await new Promise((r) => setTimeout(r, 200));
        }
        if (!known) target.changesUnknown++;
      }
    }
    n++;
  }
}

// ---- termination of PostgreSQL's backends ------------------------------------------------------
const terminations: { at: number; terminated: number }[] = [];

async function terminate(startAfterMs: number) {
  if (TERMINATIONS === 0) return;
  await new Promise((r) => setTimeout(r, startAfterMs));
  const from = performance.now();
  for (let i = 0; i < TERMINATIONS && running(); i++) {
    const [{ n }] = await admin<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [dbName],
    );
    terminations.push({ at: (performance.now() - from) / 1000, terminated: n });
    await new Promise((r) => setTimeout(r, 2000));
  }
  // The window closes a second after the last termination's two-second pause.
  window = { from, to: performance.now() + 1000 };
}

// ---- the run -----------------------------------------------------------------------------------
const fmt = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));

async function main() {
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  try {
    const t0 = performance.now();
    const byRegion = await seed();
    console.error(`seeded ${READERS + WRITERS} users and ${SEED_CASES} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await startServer();
    const sessions: Session[] = [];
    for (let i = 0; i < READERS + WRITERS; i++) {
      const reader = i < READERS;
      const username = reader ? `reader-${i}` : `writer-${i - READERS}`;
      sessions.push(await signIn(username, regions[(reader ? i : i - READERS) % regions.length]));
    }
    console.error(`signed in ${sessions.length} users; baseline ${BASELINE_S} s, then load ${DURATION_S} s`);

    // Baseline: as many clients, all on the cheapest route, in the same run.
    samples.length = 0;
    stopAt = performance.now() + BASELINE_S * 1000;
    await Promise.all(sessions.map(() => healthLoop()));
    const baseline = summary(samples.splice(0), BASELINE_S);

    const loadStart = performance.now();
    stopAt = loadStart + DURATION_S * 1000;
    await Promise.all([
      ...sessions.slice(0, READERS).map((s) => readerLoop(s, byRegion.get(s.region) ?? [])),
      ...sessions.slice(READERS).map((s, i) => writerLoop(s, i)),
      terminate(DURATION_S * 500),
    ]);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const all = samples.splice(0);
    const load = summary(all, loadSeconds);
    const w = window as { from: number; to: number } | null;
    // A request belongs to the window when its answer came in it (requests take seconds under this
    // load, so one sent before the first termination can be cut by it).
    const inWindow = (s: Sample) => !!w && s.at + s.ms >= w.from && s.at + s.ms <= w.to;
    const during = w ? summary(all.filter(inWindow), (w.to - w.from) / 1000) : null;
    const outside = all.filter((s) => !inWindow(s));
    const outsideErrors = outside.filter((s) => !/^[23]/.test(s.status));

    const health = serverExit ? null : await request('GET', '/api/health');
    const alive = !serverExit && health?.status === 200;

    // ---- lost or duplicated writes -------------------------------------------------------------
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const stored = (
      await client.query<{ id: string; version: number; linkage_key: string | null }>(
        `SELECT c.id, c.version, c.linkage_key FROM cases c JOIN users u ON u.id = c.created_by WHERE u.username LIKE 'writer-%'`,
      )
    ).rows;
    await client.end();
    const byTag = new Map<string, typeof stored>();
    for (const r of stored) byTag.set(r.linkage_key ?? '', [...(byTag.get(r.linkage_key ?? '') ?? []), r]);
    const told = created.filter((c) => c.answered);
    const lost = told.filter((c) => !(byTag.get(c.tag) ?? []).some((r) => r.id === c.id)).length;
    const duplicated = [...byTag.values()].filter((rs) => rs.length > 1).length;
    const issued = new Set(created.map((c) => c.tag));
    const unexplained = stored.filter((r) => !issued.has(r.linkage_key ?? '')).length;
    const unanswered = created.filter((c) => !c.answered);
    const unansweredStored = unanswered.filter((c) => byTag.has(c.tag)).length;
    let lostChanges = 0;
    let extraChanges = 0;
    for (const c of told) {
      const row = (byTag.get(c.tag) ?? []).find((r) => r.id === c.id);
      if (!row) continue;
      if (row.version < c.version) lostChanges++;
      if (row.version > c.version + c.changesUnknown) extraChanges++;
    }

    // ---- report ----------------------------------------------------------------------------
    const out: string[] = [];
    out.push(`Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.versions.node}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end`);
    out.push(`${READERS} readers + ${WRITERS} writers for ${loadSeconds.toFixed(0)} s; ${SEED_CASES} seeded cases; baseline ${READERS + WRITERS} clients on GET /api/health for ${BASELINE_S} s`);
    out.push('');
    out.push('| requests | count | per second | p50 ms | p99 ms |');
    out.push('|---|---|---|---|---|');
    for (const r of [...baseline.rows, ...load.rows]) out.push(`| ${r.kind} | ${r.requests.toLocaleString('en-US')} | ${fmt(r.perSecond)} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
    out.push(`| all of the load | ${load.total.toLocaleString('en-US')} | ${fmt(load.perSecond)} | | |`);
    out.push('');
    out.push(`Answers during the load: ${JSON.stringify(load.statuses)}`);
    if (w && during) {
      out.push(
        `Terminations: ${terminations.map((t) => `${t.terminated} backends at +${t.at.toFixed(1)} s`).join(', ')}; in that window (${((w.to - w.from) / 1000).toFixed(1)} s): ${JSON.stringify(during.statuses)}`,
      );
    }
    out.push(`Errors outside the termination window: ${outsideErrors.length}${outsideErrors.length ? ` ${JSON.stringify(summary(outsideErrors, 1).statuses)}` : ''}`);
    // When the errors were answered, by whole second since the load began.
    const bySecond: Record<string, number> = {};
    for (const s of all.filter((s) => !/^[23]/.test(s.status))) {
      const at = `+${Math.floor((s.at + s.ms - loadStart) / 1000)}s ${s.kind} ${s.status}`;
      bySecond[at] = (bySecond[at] ?? 0) + 1;
    }
    if (w) out.push(`Termination window: +${((w.from - loadStart) / 1000).toFixed(1)} s to +${((w.to - loadStart) / 1000).toFixed(1)} s of the load`);
    if (Object.keys(bySecond).length) out.push(`Errors by second of the load: ${JSON.stringify(bySecond)}`);
    out.push(`Server after the load: ${alive ? 'running, /api/health 200' : `NOT running (${serverExit ?? `health ${health?.status}`})`}`);
    out.push(
      `Writes: ${told.length} registrations answered 201, ${writerStats.changesAcknowledged} changes answered 200; ` +
        `lost registrations ${lost}, duplicated registrations ${duplicated}, registrations nobody was told about ${unexplained}; ` +
        `registrations whose answer was lost: ${unanswered.length} (${unansweredStored} of them stored); ` +
        `retries with the same Idempotency-Key ${writerStats.createRetries}; ` +
        `changes lost ${lostChanges}, changes applied more often than sent ${extraChanges}; changes whose answer was lost ${writerStats.changesUnanswered}; version conflicts ${writerStats.changeConflicts}`,
    );
    console.log(out.join('\n'));
    if (!alive || Object.keys(bySecond).length) console.error(`server output (tail):\n${serverOut.slice(-6000)}`);
    process.exitCode = alive && lost === 0 && duplicated === 0 && unexplained === 0 && lostChanges === 0 && extraChanges === 0 ? 0 : 1;
  } finally {
    await stopServer();
    agent.destroy();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

await main();
