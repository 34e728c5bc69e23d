// An unexpected failure answers 500 in the error shape, and neither the answer nor the log
// holds case contents (a failed query's message lists its parameters).
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';
import { json, sessionsOf, type ApiErrorBody } from '../support/http.ts';

describe.each(dbTargets())('error logging on %s', (target) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let log = '';
  beforeAll(async () => {
    database = await openTestDatabase(target);
    const stream = new Writable({
      write(chunk, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    app = await buildApp({ database, logger: { level: 'error', stream } });
    // The database refuses every new case, so a create fails inside a query with the case's values as parameters.
    await database.db.execute(sql`create function refuse_case() returns trigger language plpgsql as $$ begin raise exception 'refused'; end; $$`);
    await database.db.execute(sql`create trigger refuse_case before insert on cases for each row execute function refuse_case()`);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers 500 internal and logs the stack frames without the query parameters', async () => {
    const secret = '0123456789abcdef'.repeat(4);
    const coordinator = await sessionsOf(app, database).as({ role: 'coordinator', region: 'stockholm' });
    const res = await coordinator.inject({ method: 'POST', url: '/api/cases', payload: { ...coordinatorCase({ nationality: 'ER' }), linkage_key: secret } });
    expect(res.statusCode).toBe(500);
    expect(json<ApiErrorBody>(res)).toEqual({ code: 'internal', message: 'Ett oväntat fel inträffade. Försök igen.', errors: [] });
    expect(log).toContain('unhandled error');
    expect(log).toMatch(/ {4}at /);
    expect(log).not.toContain(secret);
    expect(log).not.toContain('params');
    expect(res.body).not.toContain(secret);
  });
});
