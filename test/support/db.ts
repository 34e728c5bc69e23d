// A fresh, migrated database per test file: a clone of the run's PGlite template, and a new
// database on the TEST_DATABASE_URL server (dropped on close) when that is set.
import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database } from '../../src/store/db.ts';

export type DbTarget = 'pglite' | 'postgres';

export function dbTargets(): DbTarget[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function openTestDatabase(target: DbTarget = 'pglite'): Promise<Database> {
  if (target === 'pglite') {
    const template = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    return openDatabase({ memory: true, loadDataDir: template, migrate: false });
  }
  const created = await createTestDatabase();
  const database = await openDatabase({ url: created.url });
  return {
    ...database,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

/**
 * A new, empty database on the TEST_DATABASE_URL server, named so that `dropLeftoverDatabases`
 * finds it after this process was killed: its URL, and `drop` (forcing out any connection left).
 */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `lagesbild_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined) };
}

/** One statement on its own connection to `url`; the rows. */
export async function adminQuery<T = unknown>(url: string, text: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops test databases left by test processes that were killed before they could clean up. */
export async function dropLeftoverDatabases(serverUrl: string): Promise<void> {
  const names = await adminQuery<{ datname: string }>(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'lagesbild\\_test\\_%'`);
  for (const { datname } of names) {
    const pid = Number(/^lagesbild_test_(\d+)_/.exec(datname)?.[1]);
    if (pid && !alive(pid)) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}

/** An admin connection (on TEST_DATABASE_URL's server) to the same database as `database` (never to another one on the shared server). */
export async function adminOf(database: Database): Promise<pg.Client> {
  const [{ name }] = await rows<{ name: string }>(database.db, sql`select current_database() as name`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  admin.on('error', () => {});
  await admin.connect();
  return admin;
}

/** Terminates every other backend of the admin's own database; the number terminated. */
export async function terminateBackends(admin: pg.Client): Promise<number> {
  const res = await admin.query(
    'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) t',
  );
  return res.rows[0].n as number;
}
