// startWebServer({ database: 'postgres' }) really runs on PostgreSQL, so the browser journeys that
// loop over dbTargets() cannot pass on the embedded database instead: the new database on the
// TEST_DATABASE_URL server is migrated by the first command, holds the user and the cases added
// through the command line and a case registered through the running server's API, while the data
// directory stays empty; stopping the server drops the database.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/store/db.ts';
import { adminQuery } from '../support/db.ts';
import { startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) console.warn('web-server-postgres: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test); the server on PostgreSQL is not tested');

const coordinator = { username: 'koordinator-postgres', password: 'Ekorrar-i-granskogen-vid-Siljan-2025!', role: 'coordinator', region: 'syd' };
const casesCsv = [
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by,linkage_key',
  'coordinator,syd,2025-02-03,exploitation,male,41,adult,labour,berry_picking,TH,police,',
  'coordinator,syd,2025-03-04,trafficking,female,23,adult,sexual,,RO,police,',
].join('\n');

describe.skipIf(!serverUrl)('a browser test’s server on PostgreSQL', { timeout: 180_000 }, () => {
  let server: WebServer | undefined;
  const query = <T,>(text: string, values?: unknown[]) => adminQuery<T>(server!.databaseUrl!, text, values);

  beforeAll(async () => {
    server = await startWebServer({ users: [coordinator], casesCsv, database: 'postgres' });
  }, 180_000);
  afterAll(async () => {
    await stopWebServer(server);
  });

  it('uses a new database on the test server, migrated through the command line', async () => {
    expect(server!.database).toBe('postgres');
    const name = new URL(server!.databaseUrl!).pathname.slice(1);
    // named as test/support/db.ts names them, so dropLeftoverDatabases finds it after a killed run
    expect(name).toMatch(new RegExp(`^lagesbild_test_${process.pid}_[0-9a-f]{8}$`));
    const [{ current }] = await query<{ current: string }>('select current_database() as current');
    expect(current).toBe(name);
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    const [{ n }] = await query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(n).toBe(journal.entries.length);
    const tables = (await query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public'`)).map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['users', 'cases', 'audit_log', 'releases', 'organisations']));
  });

  it('holds the user and the cases added through the command line, and the data directory holds nothing', async () => {
    expect(await query('select username, role, region from users')).toEqual([{ username: coordinator.username, role: 'coordinator', region: 'syd' }]);
    expect(await query('select region, identified_on::text as day from cases order by identified_on')).toEqual([
      { region: 'syd', day: '2025-02-03' },
      { region: 'syd', day: '2025-03-04' },
    ]);
    // no PGlite files (PG_VERSION, base/ …), and no note for the command line to reach the server through
    expect(fs.readdirSync(server!.dataDir)).toEqual([]);
    expect(fs.existsSync(`${server!.dataDir}.server.json`)).toBe(false);
  });

  it('the running server writes to the same database', async () => {
    const signedIn = await fetch(`${server!.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: coordinator.username, password: coordinator.password }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const made = await fetch(`${server!.url}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ source: 'coordinator', region: 'syd', identified_on: '2025-04-05', crime_type: 'trafficking', sex: 'male', age_group: 'adult', referred_by: 'police' }),
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const { id } = (await made.json()) as { id: string };
    expect(await query('select identified_on::text as day from cases where id = $1', [id])).toEqual([{ day: '2025-04-05' }]);
    expect(fs.readdirSync(server!.dataDir)).toEqual([]);
  });

  it('stopping the server drops its database', async () => {
    const name = new URL(server!.databaseUrl!).pathname.slice(1);
    await stopWebServer(server);
    server = undefined;
    expect(await adminQuery(serverUrl!, 'select datname from pg_database where datname = $1', [name])).toEqual([]);
  });
});
