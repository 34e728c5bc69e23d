// Database faults through the HTTP server: backends terminated under concurrent readers, an
// outage (a TCP proxy in front of PostgreSQL closed and reopened), a database behind this build's
// migrations. The server keeps running; an answer is the right one or a 503 with Retry-After and
// a plain message, never a 500 or a stack; as soon as the database is back, requests succeed.
import net from 'node:net';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { createCase } from '../../src/registry/cases.ts';
import { openDatabase, rows, type Database } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { adminOf, dbTargets, openTestDatabase } from '../support/db.ts';
import { addUser, signIn } from '../support/http.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) console.warn('http-db-faults: TEST_DATABASE_URL is not set, so the PostgreSQL fault tests (terminated backends, outage) are skipped');

/** The app listening on a port, with its log lines kept (warnings and errors). */
async function serve(database: Database) {
  const logLines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const app: App = await buildApp({ database, oidc: null, logger: { level: 'warn', stream } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const user = await addUser(database, { role: 'statistician' });
  const { cookie, csrfToken } = await signIn(app, user.username);
  // Signed in unless `anonymous` (as an orchestrator's probe or a visitor of the public pages is).
  const get = async (path: string, { anonymous = false } = {}) => {
    const headers: Record<string, string> = { 'accept-language': 'en', ...(anonymous ? {} : { cookie: `lagesbild_session=${cookie}` }) };
    const res = await fetch(`${address}${path}`, { headers });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };
  const post = async (path: string, payload: unknown) => {
    const res = await fetch(`${address}${path}`, {
      method: 'POST',
      headers: { cookie: `lagesbild_session=${cookie}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };
  return { app, get, post, logLines };
}

type Answer = { status: number; retryAfter: string | null; body: string };

/** What a 503 of an unavailable database must be: Retry-After, the stable code, no stack or driver text. */
function expectUnavailable(answer: Answer) {
  expect(answer.status).toBe(503);
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  const body = JSON.parse(answer.body) as { code: string; message: string };
  expect(body.code).toBe('database_unavailable');
  expect(body.message).toMatch(/database/i);
  expect(answer.body).not.toMatch(/\bat \S+ \(|\.ts:\d+|Connection terminated|ECONN|57P01|terminating connection/);
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!serverUrl)('PostgreSQL backends terminated under 10 concurrent readers', () => {
  let database: Database;
  let admin: pg.Client;
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    admin = await adminOf(database);
    for (let i = 0; i < 30; i++) await createCase(database.db, systemActor('test'), coordinatorCase({ age: 20 + i }));
    server = await serve(database);
  });
  afterAll(async () => {
    await server?.app.close();
    await admin?.end();
    await database?.close();
  });

  it('keeps answering, 200 or 503 with Retry-After, and every request succeeds once the terminations stop', async () => {
    const answers: Answer[] = [];
    let stop = false;
    const loop = async () => {
      for (let n = 0; n < 1000 && !stop; n++) answers.push(await server.get('/api/cases?pageSize=50'));
    };
    const loops = Array.from({ length: 10 }, loop);
    let terminated = 0;
    for (let round = 0; round < 8; round++) {
      await sleep(100);
      const res = await admin.query(
        'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) t',
      );
      terminated += res.rows[0].n as number;
    }
    stop = true;
    await Promise.all(loops);

    expect(terminated).toBeGreaterThan(0);
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const a of answers.filter((a) => a.status === 503)) expectUnavailable(a);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    // A 500 is logged as an unhandled error; a lost connection is not one.
    expect(server.logLines.filter((l) => l.msg === 'unhandled error')).toEqual([]);

    // The terminated connections leave the pool as their sockets close; after that, nothing fails.
    const pool = database.pool!;
    await vi.waitFor(() => expect(pool.totalCount - pool.idleCount).toBe(0), { timeout: 5000 });
    const after = await Promise.all(Array.from({ length: 20 }, () => server.get('/api/cases?pageSize=50')));
    expect(after.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(JSON.parse(after[0].body).total).toBe(30);
  });

  it('reads again, once, when the connection of a read was lost: the reader gets its answer', async () => {
    // Terminate every idle connection of the pool, then read before the pool notices: the read's
    // first attempt fails on a dead connection and its second one succeeds. Anonymous reads of a
    // public route, whose handler is the request's first query (a signed-in request's first query
    // is its session lookup, which runs before the handler and is not retried).
    const pool = database.pool!;
    let retried = 0;
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 10 }, () => server.get('/api/stats/series', { anonymous: true })));
      const before = server.logLines.length;
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      const answers = await Promise.all(Array.from({ length: 10 }, () => server.get('/api/stats/series', { anonymous: true })));
      for (const a of answers) if (a.status !== 200) expectUnavailable(a);
      retried += server.logLines.slice(before).filter((l) => /read once more/.test(l.msg)).length;
      await vi.waitFor(() => expect(pool.totalCount - pool.idleCount).toBe(0), { timeout: 5000 });
    }
    expect(retried).toBeGreaterThan(0);
  });
});

/** A TCP proxy to PostgreSQL that can be closed (connections cut, new ones refused) and reopened on the same port. */
function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  return {
    get port() {
      return port;
    },
    open: () =>
      new Promise<void>((resolve, reject) => {
        if (server) return resolve();
        server = net.createServer((client) => {
          const upstream = net.connect(target.port, target.host);
          track(client);
          track(upstream);
          client.on('close', () => upstream.destroy());
          upstream.on('close', () => client.destroy());
          client.pipe(upstream).pipe(client);
        });
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          port = (server!.address() as AddressInfo).port;
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server = null;
        for (const s of sockets) s.destroy();
      }),
  };
}

describe.skipIf(!serverUrl)('PostgreSQL unreachable for a while (a proxy closed and reopened)', () => {
  let backing: Database;
  let database: Database;
  let server: Awaited<ReturnType<typeof serve>>;
  const target = serverUrl ? new URL(serverUrl) : null;
  const proxy = tcpProxy({ host: target?.hostname ?? '127.0.0.1', port: Number(target?.port || 5432) });

  beforeAll(async () => {
    backing = await openTestDatabase('postgres');
    for (let i = 0; i < 5; i++) await createCase(backing.db, systemActor('test'), coordinatorCase({ age: 30 + i }));
    const [{ name }] = await rows<{ name: string }>(backing.db, sql`select current_database() as name`);
    await proxy.open();
    const url = new URL(serverUrl!);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), migrate: false, connectTimeoutMs: 2000 });
    server = await serve(database);
  });
  // A test that failed during an outage leaves the database reachable for the next one.
  afterEach(() => proxy.open());
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
    await proxy.close();
    await backing?.close();
  });

  it('answers 503 with Retry-After while it lasts, and 200 from the first request after', async () => {
    expect((await server.get('/api/cases')).status).toBe(200);
    expect((await server.get('/api/ready', { anonymous: true })).status).toBe(200);

    await proxy.close();
    const during = [await server.get('/api/cases'), await server.get('/api/cases?pageSize=5'), await server.get('/api/stats/releases')];
    for (const a of during) expectUnavailable(a);
    const ready = await server.get('/api/ready', { anonymous: true });
    expectUnavailable(ready);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: false, code: 'database_unavailable' });
    // Liveness never asks the database: the process is fine, and restarting it would not help.
    const health = await server.get('/api/health', { anonymous: true });
    expect(health.status).toBe(200);
    // A change sent during the outage is refused, not half-done.
    const create = await server.post('/api/cases', coordinatorCase({ age: 77 }));
    expectUnavailable(create);
    expect(server.logLines.filter((l) => l.msg === 'unhandled error')).toEqual([]);

    await proxy.open();
    const first = await server.get('/api/cases?pageSize=50');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).total).toBe(5);
    const readyAfter = await server.get('/api/ready', { anonymous: true });
    expect(readyAfter.status).toBe(200);
    expect(JSON.parse(readyAfter.body)).toMatchObject({ ready: true, database: 'postgres', migrations: { pending: [], unknown: 0 } });
  });

  it('cuts the connections of requests in flight: each gets 200 or 503, none a 500', async () => {
    const inFlight = Array.from({ length: 10 }, () => server.get('/api/cases?pageSize=50'));
    await sleep(5);
    await proxy.close();
    const answers = await Promise.all(inFlight);
    for (const a of answers) if (a.status !== 200) expectUnavailable(a);
    await proxy.open();
    const after = await Promise.all(Array.from({ length: 10 }, () => server.get('/api/cases?pageSize=50')));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(200));
  });
});

describe.each(dbTargets())('readiness on %s', (target) => {
  let database: Database;
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    server = await serve(database);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  it('is ready when migrated, stays ready beside a newer build’s migration, and is not when one of its own is missing', async () => {
    const ready = await server.get('/api/ready', { anonymous: true });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ ready: true, database: target, migrations: { pending: [], unknown: 0 } });
    expect((await server.get('/api/health', { anonymous: true })).status).toBe(200);

    // A migration this build does not know: a newer build migrated the database (a rolling update).
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('newer', 1)`);
    const beside = await server.get('/api/ready', { anonymous: true });
    expect(beside.status).toBe(200);
    expect(JSON.parse(beside.body).migrations.unknown).toBe(1);

    const [last] = await rows<{ id: number }>(database.db, sql`select id from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last.id}`);
    const behind = await server.get('/api/ready', { anonymous: true });
    expect(behind.status).toBe(503);
    const body = JSON.parse(behind.body);
    expect(body).toMatchObject({ ready: false, code: 'migrations_pending' });
    expect(body.migrations.pending).toHaveLength(1);
    expect(body.message).toMatch(/migrate/);
    // Liveness is not readiness: the process itself is fine.
    expect((await server.get('/api/health', { anonymous: true })).status).toBe(200);
  });

  it('answers in Swedish by default', async () => {
    const res = await fetch(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/ready`);
    const body = await res.json();
    expect(res.status).toBe(503);
    expect(body.message).toMatch(/Databasen saknar migreringar/);
  });
});

describe('which requests are read once more', () => {
  const lost = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it('a GET or HEAD whose connection was lost, once; no other method, no OIDC sign-in, no wrong query', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    let attempts = 0;
    const failing = (error: () => Error) => async () => {
      attempts++;
      throw error();
    };
    app.get('/read', failing(lost));
    app.get('/wrong', failing(() => Object.assign(new Error('syntax error'), { code: '42601' })));
    app.get('/api/session/oidc/callback', failing(lost));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) app.route({ method, url: '/change', handler: failing(lost) });
    let calls = 0;
    app.get('/flaky', async () => {
      if (calls++ === 0) throw lost();
      return { ok: true };
    });
    const attemptsOf = async (method: string, url: string) => {
      attempts = 0;
      const res = await app.inject({ method: method as 'GET', url });
      return { status: res.statusCode, attempts };
    };

    expect(await attemptsOf('GET', '/read')).toEqual({ status: 503, attempts: 2 });
    // Fastify makes the HEAD route from the GET's options: still one retry, not one per wrapping.
    expect(await attemptsOf('HEAD', '/read')).toEqual({ status: 503, attempts: 2 });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(await attemptsOf(method, '/change')).toEqual({ status: 503, attempts: 1 });
    expect(await attemptsOf('GET', '/api/session/oidc/callback')).toEqual({ status: 503, attempts: 1 });
    expect(await attemptsOf('GET', '/wrong')).toEqual({ status: 500, attempts: 1 });

    // A read whose second attempt succeeds answers as if nothing happened.
    const flaky = await app.inject('/flaky');
    expect(flaky.statusCode).toBe(200);
    expect(flaky.json()).toEqual({ ok: true });
  });
});
