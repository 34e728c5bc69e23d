// A new password with a one-time code, through the real app on PGlite and PostgreSQL: the
// administrator makes a code, the user sets a password with it once, without a session. Every
// refused code (wrong, used, expired, replaced, another user's, an unknown or deactivated user)
// gets the same answer; the code is stored and audited only as a hash; guesses are throttled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { verifyAuditChain } from '../../src/access/audit.ts';
import { normaliseResetCode } from '../../src/access/reset-codes.ts';
import { auditLog, passwordResetCodes } from '../../src/access/schema.ts';
import { dbTargets, type DbTarget } from '../support/db.ts';
import { addUser, json, openTestApp, signIn, TEST_PASSWORD, type ApiErrorBody, type TestApp } from '../support/http.ts';

const HOUR = 60 * 60_000;
const NEW_PASSWORD = 'blåbärssoppa under midnattssolen vid torneälven';
const wrongCode: ApiErrorBody = {
  code: 'reset_code_invalid',
  message: 'Koden stämmer inte eller har gått ut.',
  errors: [{ path: 'code', rule: 'invalid', message: 'Koden stämmer inte eller har gått ut.' }],
};

describe.each(dbTargets())('one-time codes for a new password on %s', (target: DbTarget) => {
  let t: TestApp;
  let now = new Date('2026-05-04T08:00:00Z');
  let adminName: string;
  let address = 0;
  /** a fresh address per test, so each test's guesses start without counts */
  const nextAddress = () => `198.51.100.${++address}`;

  beforeAll(async () => {
    t = await openTestApp(target, { clock: () => now });
    adminName = (await addUser(t.database, { role: 'admin' })).username;
  });
  afterAll(() => t?.close());

  const newUser = () => addUser(t.database, { role: 'coordinator', region: 'stockholm' });

  /** The administrator (signed in afresh: the clock moves) makes a code for a user. */
  async function makeCode(userId: string) {
    const admin = await signIn(t.app, adminName);
    const res = await admin.inject({ method: 'POST', url: `/api/admin/users/${userId}/reset-code` });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ code: string; expires_at: string }>(res);
  }

  const reset = (username: string, code: string, password = NEW_PASSWORD, remoteAddress = '192.0.2.1') =>
    t.app.inject({ method: 'POST', url: '/api/session/reset', payload: { username, code, password }, remoteAddress });

  const signInStatus = async (username: string, password: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, remoteAddress: '192.0.2.200' })).statusCode;

  it('a code sets the password once, ends every session of the user and is kept and audited only as a hash', async () => {
    const user = await newUser();
    const session = await signIn(t.app, user.username);
    const made = await makeCode(user.id);
    expect(made.code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(made.expires_at).toBe(new Date(now.getTime() + 24 * HOUR).toISOString());

    const from = nextAddress();
    // typed in lower case without the dashes: the same code
    const res = await reset(user.username.toUpperCase(), made.code.toLowerCase().replace(/-/g, ''), NEW_PASSWORD, from);
    expect(res.statusCode, res.body).toBe(204);

    expect(json(await session.inject({ method: 'GET', url: '/api/session' }))).toEqual({ signedIn: false });
    expect(await signInStatus(user.username, TEST_PASSWORD)).toBe(401);
    expect(await signInStatus(user.username, NEW_PASSWORD)).toBe(200);

    const again = await reset(user.username, made.code, `${NEW_PASSWORD} igen`, from);
    expect(again.statusCode).toBe(400);
    expect(json(again)).toEqual(wrongCode);
    expect(await signInStatus(user.username, NEW_PASSWORD)).toBe(200);

    const [row] = await t.database.db.select().from(passwordResetCodes).where(eq(passwordResetCodes.user_id, user.id));
    expect(row.used_at?.toISOString()).toBe(now.toISOString());
    const plain = normaliseResetCode(made.code);
    const stored = JSON.stringify(await t.database.db.execute(sql`select * from password_reset_codes`));
    const trail = JSON.stringify(await t.database.db.select().from(auditLog));
    for (const text of [stored, trail]) {
      expect(text).not.toContain(plain);
      expect(text).not.toContain(made.code);
      expect(text).not.toContain(NEW_PASSWORD);
    }
    const audited = await t.database.db.select().from(auditLog).where(sql`${auditLog.details} ->> 'user_id' = ${user.id}`);
    expect(audited.map((r) => [r.operation, (r.details as { change?: string }).change ?? null])).toEqual(
      expect.arrayContaining([
        ['users.reset_code', null],
        ['users.update', 'password_reset_code'],
      ]),
    );
    expect(audited.find((r) => r.operation === 'users.update')?.actor_id).toBe(user.id);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('an expired code is refused with the same answer; one a second younger still works', async () => {
    const [late, inTime] = [await newUser(), await newUser()];
    const lateCode = await makeCode(late.id);
    now = new Date(now.getTime() + 1000);
    const inTimeCode = await makeCode(inTime.id);
    now = new Date(now.getTime() + 24 * HOUR - 1000);
    const from = nextAddress();
    const res = await reset(late.username, lateCode.code, NEW_PASSWORD, from);
    expect(res.statusCode).toBe(400);
    expect(json(res)).toEqual(wrongCode);
    expect((await reset(inTime.username, inTimeCode.code, NEW_PASSWORD, from)).statusCode).toBe(204);
    expect(await signInStatus(late.username, TEST_PASSWORD)).toBe(200);
  });

  it("another user's code, a replaced code, an unknown user and a deactivated user get the same answer", async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    const codeA = await makeCode(a.id);
    const codeB = await makeCode(b.id);
    const from = nextAddress();
    const answers = [];
    answers.push(await reset(b.username, codeA.code, NEW_PASSWORD, from));
    answers.push(await reset('nobody-here', codeA.code, NEW_PASSWORD, from));

    // a new code replaces the earlier one
    const firstC = await makeCode(c.id);
    const secondC = await makeCode(c.id);
    answers.push(await reset(c.username, firstC.code, NEW_PASSWORD, from));

    // a deactivated user cannot use a code made before
    const admin = await signIn(t.app, adminName);
    expect((await admin.inject({ method: 'PATCH', url: `/api/admin/users/${a.id}`, payload: { active: false } })).statusCode).toBe(200);
    answers.push(await reset(a.username, codeA.code, NEW_PASSWORD, from));
    for (const res of answers) {
      expect(res.statusCode).toBe(400);
      expect(json(res)).toEqual(wrongCode);
    }
    // and none of them was used up: the right ones still work for their own users
    expect((await reset(b.username, codeB.code, NEW_PASSWORD, from)).statusCode).toBe(204);
    expect((await reset(c.username, secondC.code, NEW_PASSWORD, from)).statusCode).toBe(204);
    // reactivated, the deactivated user's code (still unused) works
    expect((await admin.inject({ method: 'PATCH', url: `/api/admin/users/${a.id}`, payload: { active: true } })).statusCode).toBe(200);
    expect((await reset(a.username, codeA.code, NEW_PASSWORD, from)).statusCode).toBe(204);
    expect(await signInStatus(a.username, NEW_PASSWORD)).toBe(200);
  });

  it('the English answer, a password against the rules (naming password, the code not used up)', async () => {
    const user = await newUser();
    const made = await makeCode(user.id);
    const from = nextAddress();
    const weak = await reset(user.username, made.code, 'kort', from);
    expect(weak.statusCode).toBe(400);
    expect(json<ApiErrorBody>(weak).errors).toMatchObject([{ path: 'password', rule: 'too_short' }]);
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/session/reset',
      headers: { 'accept-language': 'en' },
      payload: { username: user.username, code: 'AAAA-BBBB-CCCC', password: NEW_PASSWORD },
      remoteAddress: from,
    });
    expect(english.statusCode).toBe(400);
    expect(json<ApiErrorBody>(english).errors).toEqual([{ path: 'code', rule: 'invalid', message: 'The code is not right or has expired.' }]);
    expect((await reset(user.username, made.code, NEW_PASSWORD, from)).statusCode).toBe(204);
  });

  it('a burst of wrong codes is locked out (429 with retry-after), the right code included, until the wait ends', async () => {
    const user = await newUser();
    const made = await makeCode(user.id);
    const from = nextAddress();
    for (let i = 0; i < 5; i++) expect((await reset(user.username, `WRNG-CODE-${i}${i}${i}${i}`, NEW_PASSWORD, from)).statusCode).toBe(400);
    const locked = await reset(user.username, made.code, NEW_PASSWORD, from);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // the user signs in meanwhile: another purpose's budget
    expect(await signInStatus(user.username, TEST_PASSWORD)).toBe(200);
    const lockouts = await t.database.db.select().from(auditLog).where(sql`${auditLog.operation} = 'session.locked_out' and ${auditLog.from} = ${from}`);
    expect(lockouts.map((r) => r.details)).toEqual([expect.objectContaining({ by: 'pair', purpose: 'reset_code' })]);
    now = new Date(now.getTime() + Number(locked.headers['retry-after']) * 1000);
    expect((await reset(user.username, made.code, NEW_PASSWORD, from)).statusCode).toBe(204);
  });

  it('only the administrator makes codes; not for a deactivated user; an unknown user is 404', async () => {
    const user = await newUser();
    const coordinator = await signIn(t.app, (await newUser()).username);
    expect((await coordinator.inject({ method: 'POST', url: `/api/admin/users/${user.id}/reset-code` })).statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/admin/users/${user.id}/reset-code` });
    expect(anonymous.statusCode).toBe(401);
    const admin = await signIn(t.app, adminName);
    expect((await admin.inject({ method: 'POST', url: '/api/admin/users/no-such-user/reset-code' })).statusCode).toBe(404);
    await admin.inject({ method: 'PATCH', url: `/api/admin/users/${user.id}`, payload: { active: false } });
    const refused = await admin.inject({ method: 'POST', url: `/api/admin/users/${user.id}/reset-code` });
    expect(refused.statusCode).toBe(400);
    expect(json<ApiErrorBody>(refused).errors).toMatchObject([{ path: 'active', rule: 'inactive' }]);
    const rows = await t.database.db.select().from(passwordResetCodes).where(eq(passwordResetCodes.user_id, user.id));
    expect(rows).toEqual([]);
  });
});
