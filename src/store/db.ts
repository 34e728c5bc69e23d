// The connection: PGlite in a data directory by default, PostgreSQL when a URL is given.
// Both run the same migrations and are used through the same Drizzle API; the few driver
// differences are absorbed here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
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
  /**
   * PostgreSQL only: how long getting a connection may take (a new one, or a free one from a full
   * pool) before the query fails; default `DATABASE_CONNECT_TIMEOUT_MS` or 5000. Without it a
   * request waits forever while PostgreSQL is unreachable.
   */
  connectTimeoutMs?: number;
  /** PGlite only: keep the database in memory, starting from a dumped data directory */
  memory?: boolean;
  loadDataDir?: Blob;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const url = opts.url ?? (opts.dataDir || opts.memory ? undefined : process.env.DATABASE_URL);
  const database = url ? await openPostgres(url, opts) : await openPglite(opts);
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
  let failure: unknown;
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(database.db as never, { migrationsFolder });
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    // When the holder's connection died, PostgreSQL released the lock with it: the unlock fails
    // too, and the first failure is the one to report.
    await holder
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
      .then(() => holder.release(), (e: Error) => {
        holder.release(e);
        if (!failure) throw e;
      });
  }
}

/**
 * A pool whose checked-out connections cannot be lost and cannot crash the process.
 *
 * A connection PostgreSQL terminates (a restart, a failover, `pg_terminate_backend`) fails its
 * pending queries and then emits `'error'` on the client; the pool listens only while the client
 * is idle, so on a checked-out client that event had no listener and ended the process. Each
 * client gets a listener when it connects, for its whole life.
 *
 * The same event also releases the client, with the error, so the pool drops it: a transaction
 * whose `BEGIN` fails on a dead connection never releases its client (Drizzle's `transaction`
 * runs `BEGIN` outside its `try`), and each such loss would shrink the pool for good until every
 * request waited for a connection. `release` becomes idempotent so the owner's own later call
 * does nothing.
 */
class GuardedPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    // An idle connection the server dropped is removed by the pool; the next query opens another.
    this.on('error', () => {});
    this.on('connect', (client) => client.on('error', () => {}));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (!callback) return super.connect().then(guardCheckout);
    super.connect((err, client, done) => {
      if (err || !client) return callback(err, client, done);
      const guarded = guardCheckout(client);
      callback(undefined, guarded, guarded.release as (release?: unknown) => void);
    });
  }
}

function guardCheckout(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onError = (e: Error) => client.release(e);
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onError);
    release(err);
  };
  client.once('error', onError);
  return client;
}

const defaultConnectTimeoutMs = () => Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000);

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const pool = new GuardedPool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? defaultConnectTimeoutMs(),
    // A server that vanished without closing the socket (a dropped network path) is noticed:
    // probes start after 10 s idle instead of the system's default of two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
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

// SQLSTATEs of a database that cannot serve now but may soon: the connection exception class
// (08…), the server shutting down or starting (57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now), too many connections (53300).
const unavailableStates = /^(08...|57P0[123]|53300)$/;
// Socket errors of an unreachable or vanished server.
const unavailableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// The driver's own words for a lost, refused or closed connection (they carry no code).
const unavailableMessages = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/, // a client used after its connection failed or closed
  /^Cannot use a pool after calling end on the pool$/,
  /^PGlite is clos(ed|ing)$/, // a query during or after shutdown
];

/**
 * True when an error means the database could not be reached or the connection was lost, not
 * that the query was wrong: the answer is 503 (try again), and a read may be retried. Looks
 * through wrappers (`cause`), since Drizzle wraps driver errors in its own.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (unavailableStates.test(code) || unavailableSocketCodes.has(code))) return true;
    // An aborted PGlite (out of memory, a trap in its WebAssembly) answers nothing more.
    if (e instanceof WebAssembly.RuntimeError) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && unavailableMessages.some((m) => m.test(message))) return true;
  }
  return false;
}

/**
 * Runs `work` and, when the database connection was lost before it finished, once more on a
 * fresh connection. Only for work that may happen twice: reads, and writes that are idempotent.
 * Never for a change or an import: when a connection dies during COMMIT, whether the commit
 * took effect is unknown, and a second run could apply it twice.
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    // A wait for a connection that already took the whole connect timeout is not repeated: the
    // caller would wait twice as long for the same answer.
    if (!isDatabaseUnavailable(e) || connectTimedOut(e)) throw e;
    return work();
  }
}

function connectTimedOut(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/.test(message)) return true;
  }
  return false;
}

export type MigrationStatus = {
  /** migrations of this build the database has not applied (their names) */
  pending: string[];
  /** migrations the database has and this build does not know (a newer build migrated it) */
  unknown: number;
};

type Journal = { entries: { tag: string; when: number }[] };
// This build's migrations, read once: a readiness probe asks often.
let journal: Journal | undefined;

/** The database's applied migrations against this build's journal (by their timestamps, as the migrator compares). */
export async function migrationStatus(ex: Executor): Promise<MigrationStatus> {
  const { entries } = (journal ??= JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal);
  const applied = await rows<{ created_at: unknown }>(
    ex,
    sql`select created_at from drizzle.__drizzle_migrations`,
  ).catch((e: { code?: string; cause?: { code?: string } }) => {
    // 42P01 undefined_table (or 3F000 undefined schema): a database never migrated.
    if (['42P01', '3F000'].includes(e?.code ?? e?.cause?.code ?? '')) return [];
    throw e;
  });
  const appliedAt = new Set(applied.map((r) => toNumber(r.created_at)));
  const known = new Set(entries.map((e) => e.when));
  return {
    pending: entries.filter((e) => !appliedAt.has(e.when)).map((e) => e.tag),
    unknown: [...appliedAt].filter((at) => !known.has(at)).length,
  };
}
