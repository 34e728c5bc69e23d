// Sign-in under attack, on real databases: parallel guesses are all counted before any password
// is checked, waits grow per (username, address) pair, an address has its own budget, and
// nobody is locked out by someone else's failures. Through the real app: X-Forwarded-For is
// believed only from a configured proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { verifyAuditChain } from '../../src/access/audit.ts';
import { auditLog, loginThrottle } from '../../src/access/schema.ts';
import { defaultSessionSettings, passwordSignIn, purgeExpiredSessions, type SessionSettings, type SignInResult } from '../../src/access/sessions.ts';
import { createUser, setUserActive } from '../../src/access/users.ts';
import { parseTrustedProxies } from '../../src/http/auth.ts';
import type { Database } from '../../src/store/db.ts';
import { dbTargets, openTestDatabase, type DbTarget } from '../support/db.ts';
import { json, openTestApp, TEST_PASSWORD, type TestApp } from '../support/http.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const WRONG = 'not the password of this user';

const outcome = (r: SignInResult) => (r.ok ? 'ok' : r.reason);
const tally = (results: SignInResult[]) => {
  const counts: Record<string, number> = { ok: 0, invalid: 0, locked: 0 };
  for (const r of results) counts[outcome(r)]++;
  return counts;
};

describe.each(dbTargets())('sign-in under attack on %s', (target: DbTarget) => {
  let database: Database;
  let now = new Date('2026-03-02T08:00:00Z');
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  let counter = 0;

  /** A fresh user, so each test starts without counts. */
  async function newUser(prefix: string) {
    const username = `${prefix}-${++counter}`;
    const user = await createUser(database.db, systemActor('test'), { username, role: 'statistician', password: TEST_PASSWORD });
    return { username, id: user.id };
  }

  const attempt = (username: string, password: string, from: string | null, settings: SessionSettings = defaultSessionSettings) =>
    passwordSignIn(database.db, { username, password, from }, now, settings);

  async function auditCount(operation: string, from?: string): Promise<number> {
    const [row] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(from ? and(eq(auditLog.operation, operation), eq(auditLog.from, from)) : eq(auditLog.operation, operation));
    return row.n;
  }

  async function throttleRow(key: string) {
    const [row] = await database.db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
    return row;
  }

  beforeAll(async () => {
    database = await openTestDatabase(target);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('counts all of 200 parallel wrong passwords, checks at most the budget, and the real user signs in from another address at once', async () => {
    const victim = await newUser('victim');
    const from = '198.51.100.10';
    const results = await Promise.all(Array.from({ length: 200 }, () => attempt(victim.username, WRONG, from)));
    expect(tally(results)).toEqual({ ok: 0, invalid: defaultSessionSettings.maxFailuresPerPair, locked: 200 - defaultSessionSettings.maxFailuresPerPair });
    // every attempt is counted on the pair, checked or not
    expect((await throttleRow(`p:${from}|${victim.username}`)).failures).toBe(200);
    // only the checked ones reach the trail, and the wait is written once
    expect(await auditCount('session.login_failed', from)).toBe(defaultSessionSettings.maxFailuresPerPair);
    expect(await auditCount('session.locked_out', from)).toBe(1);
    // the attacker's refusals did not use up the address's budget
    expect((await throttleRow(`ip:${from}`)).failures).toBe(defaultSessionSettings.maxFailuresPerPair);

    const real = await attempt(victim.username, TEST_PASSWORD, '203.0.113.20');
    expect(real.ok).toBe(true);
    // ...and the attacker's address still waits
    expect(outcome(await attempt(victim.username, TEST_PASSWORD, from))).toBe('locked');
  });

  it('a 41-attempt burst with the right password last does not sign in', async () => {
    const victim = await newUser('burst');
    const from = '198.51.100.11';
    const wrong = Array.from({ length: 40 }, () => attempt(victim.username, WRONG, from));
    // The right guess goes out while the wrong ones are still being checked (argon2 takes far
    // longer than counting): by then the pair's wait has been set by the counts alone.
    let row;
    for (let i = 0; i < 2000 && !row?.locked_until; i++) {
      row = await throttleRow(`p:${from}|${victim.username}`);
      if (!row?.locked_until) await new Promise((r) => setTimeout(r, 5));
    }
    expect(row?.locked_until).toBeTruthy();
    const right = await attempt(victim.username, TEST_PASSWORD, from);
    const results = await Promise.all(wrong);
    expect(right).toMatchObject({ ok: false, reason: 'locked' });
    expect(tally(results).invalid).toBe(defaultSessionSettings.maxFailuresPerPair);
  });

  it('makes a pair wait longer after each failure past the budget, up to the cap; a success starts it again', async () => {
    const settings = { ...defaultSessionSettings, lockMs: MINUTE, maxLockMs: 5 * MINUTE };
    const victim = await newUser('slow');
    const from = '198.51.100.12';
    for (let i = 0; i < 5; i++) expect(outcome(await attempt(victim.username, WRONG, from, settings))).toBe('invalid');
    expect(await attempt(victim.username, TEST_PASSWORD, from, settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
    advance(30 * SECOND);
    expect(await attempt(victim.username, TEST_PASSWORD, from, settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 30 });
    // 1 min, 2, 4, then the cap of 5: one try after each wait
    for (const wait of [120, 240, 300, 300]) {
      advance(30 * SECOND);
      expect(outcome(await attempt(victim.username, WRONG, from, settings))).toBe('invalid');
      expect(await attempt(victim.username, WRONG, from, settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: wait });
      advance((wait - 30) * SECOND);
    }
    // one row in the trail per wait, not per refused attempt
    expect(await auditCount('session.locked_out', from)).toBe(5);
    // meanwhile the real user was never held up elsewhere
    expect((await attempt(victim.username, TEST_PASSWORD, '203.0.113.21', settings)).ok).toBe(true);
    advance(30 * SECOND);
    expect((await attempt(victim.username, TEST_PASSWORD, from, settings)).ok).toBe(true);
    // a success resets the pair: a full budget and the first wait again
    for (let i = 0; i < 5; i++) expect(outcome(await attempt(victim.username, WRONG, from, settings))).toBe('invalid');
    expect(await attempt(victim.username, WRONG, from, settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
  });

  it('gives a full budget back after a quiet window, and forgets the waits after forgetMs', async () => {
    const settings = { ...defaultSessionSettings, lockMs: MINUTE, windowMs: 15 * MINUTE, forgetMs: 60 * MINUTE };
    const victim = await newUser('quiet');
    const from = '198.51.100.13';
    const burn = async () => {
      for (let i = 0; i < 5; i++) expect(outcome(await attempt(victim.username, WRONG, from, settings))).toBe('invalid');
    };
    await burn();
    expect(await attempt(victim.username, WRONG, from, settings)).toMatchObject({ retryAfterSeconds: 60 });
    // the window starts when the wait ends: 1 min + 15 min of quiet gives five tries again, the next wait is longer
    advance(16 * MINUTE + SECOND);
    await burn();
    expect(await attempt(victim.username, WRONG, from, settings)).toMatchObject({ retryAfterSeconds: 120 });
    // long after, the waits start from the first again
    advance(2 * MINUTE + 61 * MINUTE);
    await burn();
    expect(await attempt(victim.username, WRONG, from, settings)).toMatchObject({ retryAfterSeconds: 60 });
    // the periodic purge keeps a row while its waits are remembered, and removes it afterwards
    advance(MINUTE + 16 * MINUTE);
    await purgeExpiredSessions(database.db, now, settings);
    expect(await throttleRow(`p:${from}|${victim.username}`)).toBeTruthy();
    advance(60 * MINUTE);
    await purgeExpiredSessions(database.db, now, settings);
    expect(await throttleRow(`p:${from}|${victim.username}`)).toBeUndefined();
  });

  it('limits one address trying many usernames; successes do not count against it; other addresses go on', async () => {
    const settings = { ...defaultSessionSettings, maxFailuresPerAddress: 12 };
    const from = '198.51.100.14';
    const names = [];
    for (let i = 0; i < 5; i++) names.push((await newUser('spray')).username);
    // signing in correctly from a busy address uses no budget
    for (let i = 0; i < 20; i++) expect((await attempt(names[0], TEST_PASSWORD, from, settings)).ok).toBe(true);
    // three guesses on each of four usernames (never a pair's budget) use the address's 12
    for (const name of names.slice(0, 4)) for (let i = 0; i < 3; i++) expect(outcome(await attempt(name, WRONG, from, settings))).toBe('invalid');
    expect(await attempt(names[4], TEST_PASSWORD, from, settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
    expect(outcome(await attempt('no-such-user', WRONG, from, settings))).toBe('locked');
    const [row] = await database.db.select().from(auditLog).where(and(eq(auditLog.operation, 'session.locked_out'), eq(auditLog.from, from)));
    expect(row.details).toMatchObject({ by: 'address' });
    expect((await attempt(names[4], TEST_PASSWORD, '203.0.113.22', settings)).ok).toBe(true);
    advance(MINUTE);
    expect((await attempt(names[4], TEST_PASSWORD, from, settings)).ok).toBe(true);
  });

  it('answers an unknown user, a wrong password and an inactive user alike, and a username with control characters without an error', async () => {
    const from = '198.51.100.15';
    const known = await newUser('same');
    expect(await attempt(known.username, WRONG, from)).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('nobody-by-this-name', WRONG, from)).toEqual({ ok: false, reason: 'invalid' });
    const leaver = await newUser('inactive');
    await setUserActive(database.db, systemActor('test'), leaver.id, false);
    expect(await attempt(leaver.username, TEST_PASSWORD, from)).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('nul\u0000byte', WRONG, from)).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('tab\there\n', TEST_PASSWORD, from)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('under a distributed attack on one username, each new address gets one try per wait, and the real user still signs in', async () => {
    const settings = { ...defaultSessionSettings, userAlarmFailures: 10 };
    const victim = await newUser('spread');
    for (const from of ['192.0.2.1', '192.0.2.2']) for (let i = 0; i < 5; i++) expect(outcome(await attempt(victim.username, WRONG, from, settings))).toBe('invalid');
    expect(outcome(await attempt(victim.username, WRONG, '192.0.2.3', settings))).toBe('invalid');
    expect(await attempt(victim.username, WRONG, '192.0.2.3', settings)).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 60 });
    expect((await attempt(victim.username, TEST_PASSWORD, '203.0.113.23', settings)).ok).toBe(true);
    // other usernames are untouched by it
    const other = await newUser('bystander');
    for (let i = 0; i < 5; i++) expect(outcome(await attempt(other.username, WRONG, '192.0.2.4', settings))).toBe('invalid');
  });

  it('keeps the audit chain intact through all of it', async () => {
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});

describe('the trusted proxy list', () => {
  it('reads addresses, CIDR ranges and names, and refuses anything else naming the setting', () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies(' ')).toEqual([]);
    expect(parseTrustedProxies('10.0.0.1, 10.1.0.0/16 ,::1,fd00::/8,loopback')).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['*', 'proxy.example', '10.0.0.0/33', '::/129', '10.0.0.1/8/1', '10.0.0', '10.0.0.0/']) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/LAGESBILD_TRUSTED_PROXIES/);
    }
  });
});

describe.each(dbTargets())('X-Forwarded-For through the app on %s', (target: DbTarget) => {
  const proxy = '10.9.8.7';
  let trusting: TestApp;
  let plain: TestApp;
  let now = new Date('2026-03-02T08:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    trusting = await openTestApp(target, { trustedProxies: [proxy], clock });
    plain = await openTestApp(target, { trustedProxies: [], clock });
    for (const t of [trusting, plain]) await createUser(t.database.db, systemActor('test'), { username: 'behind-proxy', role: 'statistician', password: TEST_PASSWORD });
  });

  afterAll(async () => {
    await trusting?.close();
    await plain?.close();
  });

  const post = (t: TestApp, remoteAddress: string, forwarded: string | undefined, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/session',
      remoteAddress,
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
      payload: { username: 'behind-proxy', password },
    });

  it('behind a trusted proxy, counts failures per client: another client signs in at once', async () => {
    for (let i = 0; i < 5; i++) expect((await post(trusting, proxy, '203.0.113.50', WRONG)).statusCode).toBe(401);
    const waiting = await post(trusting, proxy, '203.0.113.50', TEST_PASSWORD);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.headers['retry-after']).toBe('60');
    expect(json(waiting).code).toBe('locked_out');
    // the rightmost address the proxy added is the client; what the client wrote before it is not believed
    expect((await post(trusting, proxy, '203.0.113.50, 203.0.113.51', TEST_PASSWORD)).statusCode).toBe(200);
    const rows = await trusting.database.db.select({ from: auditLog.from }).from(auditLog).where(eq(auditLog.operation, 'session.login_failed'));
    expect(new Set(rows.map((r) => r.from))).toEqual(new Set(['203.0.113.50']));
  });

  it('from an address that is not a trusted proxy, the header is ignored', async () => {
    const attacker = '198.51.100.99';
    for (let i = 0; i < 5; i++) expect((await post(trusting, attacker, `203.0.113.${60 + i}`, WRONG)).statusCode).toBe(401);
    expect((await post(trusting, attacker, '203.0.113.70', TEST_PASSWORD)).statusCode).toBe(429);
    // without any trusted proxy, nobody's header is believed, the proxy's own included
    for (let i = 0; i < 5; i++) expect((await post(plain, proxy, `203.0.113.${80 + i}`, WRONG)).statusCode).toBe(401);
    expect((await post(plain, proxy, '203.0.113.90', TEST_PASSWORD)).statusCode).toBe(429);
    // the user signing in from elsewhere is not affected
    expect((await post(plain, '192.0.2.55', undefined, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('answers a username with a NUL byte without a 500', async () => {
    const res = await trusting.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'a\u0000b', password: WRONG } });
    expect([400, 401]).toContain(res.statusCode);
  });
});
