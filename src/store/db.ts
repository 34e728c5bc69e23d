// The connection: PGlite in a data directory by default, PostgreSQL when a URL is given.
// Both run the same migrations and are used through the same Drizzle API; the few driver
// differences are absorbed here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.ts';
import { lockDataDir } from './lock.ts';

export { DataDirLockedError } from './lock.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The PGlite instance (for dumpDataDir and COPY from a blob); null on PostgreSQL. */
  pglite: PGlite | null;
  /** The pool on PostgreSQL; null on PGlite. */
  pool: pg.Pool | null;
  close(): Promise<void>;
};

export type OpenOptions = {
  /** PGlite data directory; default `LAGESBILD_DATA_DIR` or `./data` */
  dataDir?: string;
  /** PostgreSQL URL; default `DATABASE_URL` */
  url?: string;
  /** run pending migrations (default true) */
  migrate?: boolean;
  /** PGlite only: keep the database in memory, starting from a dumped data directory */
  memory?: boolean;
  loadDataDir?: Blob;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const url = opts.url ?? (opts.dataDir || opts.memory ? undefined : process.env.DATABASE_URL);
  const database = url ? await openPostgres(url) : await openPglite(opts);
  if (opts.migrate ?? true) {
    try {
      await migrateDatabase(database);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

// An arbitrary constant naming the advisory lock that keeps two servers from migrating at once.
const MIGRATION_LOCK = 4_412_007_001;

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') return migratePglite(database.db as never, { migrationsFolder });
  const holder = await database.pool!.connect();
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(database.db as never, { migrationsFolder });
  } finally {
    await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).finally(() => holder.release());
  }
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle connection the server dropped is removed by the pool; the next query opens another.
  pool.on('error', () => {});
  // pool.end() resolves before the sockets are closed; close() waits for them.
  const open = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
  });
  // Checked out once so that a wrong URL fails here, not on the first request.
  (await pool.connect()).release();
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const close = async () => {
    const ended = [...open].map((client) => new Promise((resolve) => client.once('end', resolve)));
    await pool.end();
    await Promise.all(ended);
  };
  return { kind: 'postgres', db, pglite: null, pool, close };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  if (opts.memory) {
    const client = await PGlite.create({ loadDataDir: opts.loadDataDir });
    return pgliteDatabase(client, () => {});
  }
  const dataDir = path.resolve(opts.dataDir ?? process.env.LAGESBILD_DATA_DIR ?? './data');
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create({ dataDir, loadDataDir: opts.loadDataDir });
    return pgliteDatabase(client, () => lock.release());
  } catch (e) {
    lock.release();
    throw e;
  }
}

function pgliteDatabase(client: PGlite, release: () => void): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    pool: null,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/** Rows of a raw query, the same shape on both drivers. Cast counts to `int` in the SQL. */
export async function rows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A count or other bigint as a number: PGlite returns numbers, pg returns strings. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
