// The real server (bin/lagesbild start) on a fresh database for a browser test — the embedded one
// in a new data directory, or a new database on the TEST_DATABASE_URL server — with users, cases
// and any other set-up through the command line first, as an operator would, then the server; and
// what every browser test does with a page (sign in, axe). Tests that need chromium skip when it
// is missing (`hasChromium`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumPath, ensureWebBuild, root } from '../../web/dev/harness.ts';
import { createTestDatabase, type DbTarget } from './db.ts';

export { chromiumArgs, chromiumPath } from '../../web/dev/harness.ts';
export const hasChromium = fs.existsSync(chromiumPath);

/**
 * Where a browser test's screenshot goes (test-results/screenshots/, made on first use). A page on the second
 * database goes under its own name, so that neither database's screenshot overwrites the other's.
 */
export function screenshotPath(name: string, database: DbTarget = 'pglite'): string {
  const dir = path.join(root, 'test-results/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, database === 'pglite' ? `${name}.png` : `${name}-${database}.png`);
}

const bin = path.join(root, 'bin/lagesbild');

export type WebUser = { username: string; password: string; role: string; region?: string; organisation?: string };
export type WebServer = {
  url: string;
  /** the embedded database's directory; with PostgreSQL only the place of the set-up's files */
  dataDir: string;
  database: DbTarget;
  /** the PostgreSQL database the CLI and the server use (null on PGlite) */
  databaseUrl: string | null;
  child: ChildProcess;
  cli: (args: string[], input?: string) => string;
  /** drops the PostgreSQL database */
  drop?: () => Promise<void>;
};

/** Where a command or the server keeps its data: DATABASE_URL wins over the data directory (src/cli/context.ts). */
type Place = { dataDir: string; databaseUrl?: string | null };
const envOf = (place: Place) => ({ ...process.env, LAGESBILD_DATA_DIR: place.dataDir, DATABASE_URL: place.databaseUrl ?? '', NODE_ENV: 'test' });

/** Runs a command of bin/lagesbild on the database; its output, or an error with both streams. */
export function runCli(place: Place, args: string[], input?: string): string {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, env: envOf(place), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lagesbild ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

function listening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/[^\s)]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, '').replace('localhost', '127.0.0.1'));
      }
    });
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

/**
 * Seeds the demo dataset (with `demo`), adds the users, imports `casesCsv` (when given), runs
 * `setup` with the command line, then starts the server without seeding on that database: PGlite
 * (the default) in a new data directory, or a new database on the TEST_DATABASE_URL server,
 * migrated by the first command as on PGlite.
 */
export async function startWebServer(opts: { users: WebUser[]; casesCsv?: string; setup?: (cli: (args: string[]) => string) => void; database?: DbTarget; demo?: boolean }): Promise<WebServer> {
  ensureWebBuild();
  const database = opts.database ?? 'pglite';
  const pg = database === 'postgres' ? await createTestDatabase() : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-web-'));
  const place: Place = { dataDir, databaseUrl: pg?.url };
  const cli = (args: string[], input?: string) => runCli(place, args, input);
  try {
    // The demo dataset first (it needs an empty instance), so that users may belong to its organisations.
    if (opts.demo) cli(['seed', '--demo']);
    for (const u of opts.users) {
      const where = u.region ? ['--region', u.region] : u.organisation ? ['--organisation', u.organisation] : [];
      cli(['users', 'add', '--username', u.username, '--role', u.role, ...where], `${u.password}\n`);
    }
    if (opts.casesCsv) {
      const file = path.join(dataDir, '..', `${path.basename(dataDir)}.csv`);
      fs.writeFileSync(file, opts.casesCsv);
      try {
        cli(['import', file]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
    opts.setup?.((args) => cli(args));
    const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--host', '127.0.0.1', '--no-demo'], {
      cwd: root,
      env: envOf(place),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      return { url: await listening(child, 120_000), dataDir, database, databaseUrl: pg?.url ?? null, child, cli, drop: pg?.drop };
    } catch (e) {
      child.kill('SIGTERM');
      throw e;
    }
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
    throw e;
  }
}

export async function stopWebServer(server: WebServer | null | undefined): Promise<void> {
  if (!server) return;
  if (server.child.exitCode === null) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(server.dataDir, { recursive: true, force: true });
  await server.drop?.();
}

/** Signs in through the Swedish sign-in page and waits to leave it. */
export async function signIn(page: Page, url: string, user: Pick<WebUser, 'username' | 'password'>): Promise<void> {
  await page.goto(`${url}/logga-in`);
  await page.getByLabel('Användarnamn').fill(user.username);
  await page.getByLabel('Lösenord').fill(user.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/logga-in'));
}

/** axe finds nothing on the page (after any dialog's animation has finished). */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/**
 * Freezes a final release of `year` and publishes it (with `policy` when given) through the API, as
 * the statistician signed in on `page` would; the release's id.
 */
export async function publishThroughApi(page: Page, year: number, policy?: Record<string, unknown>): Promise<string> {
  return page.evaluate(
    async ({ year, policy }) => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const post = async (url: string, body: unknown) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { id: string };
      };
      const { id } = await post('/api/stats/releases', { year, kind: 'final' });
      await post(`/api/stats/releases/${id}/publish`, policy ? { policy } : {});
      return id;
    },
    { year, policy },
  );
}
