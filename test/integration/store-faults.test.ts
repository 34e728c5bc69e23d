// Database faults at the store: connections PostgreSQL terminates under load neither end the
// process nor leak out of the pool, errors of an unreachable database are told apart from wrong
// queries, reads retry once, and the migration status compares the database with the journal.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { isDatabaseUnavailable, migrationStatus, openDatabase, retryOnConnectionLoss, rows, type Database } from '../../src/store/db.ts';
import { organisations } from '../../src/store/schema.ts';
import { adminOf, dbTargets, openTestDatabase, terminateBackends } from '../support/db.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) console.warn('store-faults: TEST_DATABASE_URL is not set, so the PostgreSQL connection-fault tests are skipped');


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!serverUrl)('PostgreSQL connections terminated under load', () => {
  let database: Database;
  let admin: pg.Client;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    admin = await adminOf(database);
  });
  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  it('fails only the queries in flight, with errors that say so, and loses no pool slot', async () => {
    const outcomes = { ok: 0, unavailable: 0, other: [] as string[] };
    let stop = false;
    // 10 loops of transactions and single queries, bounded in count.
    const loop = async (i: number) => {
      for (let n = 0; n < 2000 && !stop; n++) {
        try {
          if ((n + i) % 2) {
            await database.db.transaction(async (tx) => {
              await tx.select().from(organisations);
              await tx.execute(sql`select pg_sleep(0.002)`);
            });
          } else {
            await database.db.select().from(organisations);
          }
          outcomes.ok++;
        } catch (e) {
          if (isDatabaseUnavailable(e)) outcomes.unavailable++;
          else outcomes.other.push(`${(e as Error).name}: ${(e as { code?: string }).code ?? ''}`);
        }
      }
    };
    const loops = Array.from({ length: 10 }, (_, i) => loop(i));
    let terminated = 0;
    for (let round = 0; round < 6; round++) {
      await sleep(150);
      terminated += await terminateBackends(admin);
    }
    stop = true;
    await Promise.all(loops);

    expect(terminated).toBeGreaterThan(0);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.unavailable).toBeGreaterThan(0);
    expect(outcomes.ok).toBeGreaterThan(0);
    // Every slot came back: all clients the pool holds are idle, and it serves a full load again.
    const pool = database.pool!;
    await vi.waitFor(() => expect(pool.totalCount - pool.idleCount).toBe(0), { timeout: 5000 });
    const again = await Promise.all(Array.from({ length: 10 }, () => database.db.transaction((tx) => tx.select().from(organisations))));
    expect(again.every((r) => r.length === 7)).toBe(true);
  });

  it('releases a transaction whose BEGIN fails on a connection that was just terminated', async () => {
    const pool = database.pool!;
    let failedBegins = 0;
    for (let round = 0; round < 20; round++) {
      // Fill the pool with idle connections, terminate them, and start transactions on them
      // before their termination is read: BEGIN is what fails.
      await Promise.all(Array.from({ length: 10 }, () => database.db.transaction((tx) => tx.execute(sql`select 1`))));
      await terminateBackends(admin);
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => database.db.transaction((tx) => tx.execute(sql`select 1`))));
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(isDatabaseUnavailable(r.reason)).toBe(true);
          failedBegins++;
        }
      }
      // The dead connections' sockets close a moment after their queries failed.
      await vi.waitFor(() => expect(pool.totalCount - pool.idleCount).toBe(0), { timeout: 5000 });
    }
    expect(failedBegins).toBeGreaterThan(0);
    // A pool that leaked its slots would wait here until the connection timeout.
    const again = await Promise.all(Array.from({ length: 20 }, () => database.db.transaction((tx) => tx.select().from(organisations))));
    expect(again).toHaveLength(20);
  });

  it('tells a lost connection from a wrong query, and retries only the first', async () => {
    let attempts = 0;
    const n = await retryOnConnectionLoss(async () => {
      attempts++;
      return database.db.transaction(async (tx) => {
        // The first attempt's own backend is terminated under it: 57P01, then a dead socket.
        if (attempts === 1) await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
        const [{ n }] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from organisations`);
        return n;
      });
    });
    expect(attempts).toBe(2);
    expect(n).toBe(7);

    let wrongAttempts = 0;
    const wrong = await retryOnConnectionLoss(async () => {
      wrongAttempts++;
      return database.db.execute(sql`select * from no_such_table`);
    }).catch((e) => e);
    expect(wrongAttempts).toBe(1);
    expect(isDatabaseUnavailable(wrong)).toBe(false);
    const unique = await database.db.insert(organisations).values({ id: 'rk-syd', name_sv: 'x', name_en: 'x', kind: 'coordinator_office', region: 'syd' }).catch((e) => e);
    expect(unique).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(unique)).toBe(false);
  });

  it('fails to open, quickly and as unavailable, where nothing listens', async () => {
    const url = new URL(serverUrl!);
    url.port = '9'; // discard: nothing listens there on a test machine
    const error = await openDatabase({ url: url.toString(), connectTimeoutMs: 2000, migrate: false }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe.each(dbTargets())('migration status on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database?.close());

  it('is current after migrating and names the migration whose row is gone', async () => {
    expect(await migrationStatus(database.db)).toEqual({ pending: [], unknown: 0 });
    const [last] = await rows<{ id: number }>(database.db, sql`select id from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last.id}`);
    const status = await migrationStatus(database.db);
    expect(status.pending).toHaveLength(1);
    expect(status.pending[0]).toMatch(/^\d{4}_/);
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('x', 1)`);
    expect((await migrationStatus(database.db)).unknown).toBe(1);
  });
});

describe('PGlite faults', () => {
  it('a query after the database closed is an unavailable database, not a wrong query', async () => {
    const database = await openTestDatabase('pglite');
    await database.close();
    const error = await database.db.select().from(organisations).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe('which failures are retried', () => {
  const attemptsFor = async (error: unknown) => {
    let attempts = 0;
    await retryOnConnectionLoss(async () => {
      attempts++;
      throw error;
    }).catch(() => {});
    return attempts;
  };

  it('retries a lost connection once, and neither a wrong query nor a connect timeout', async () => {
    expect(await attemptsFor(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(2);
    expect(await attemptsFor(new Error('wrapped', { cause: Object.assign(new Error('terminating connection'), { code: '57P01' }) }))).toBe(2);
    expect(await attemptsFor(new Error('Connection terminated unexpectedly'))).toBe(2);
    // The whole connect timeout was already spent waiting: a second wait only doubles it.
    expect(await attemptsFor(new Error('timeout exceeded when trying to connect'))).toBe(1);
    expect(await attemptsFor(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(1);
    expect(await attemptsFor(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(1);
  });
});
