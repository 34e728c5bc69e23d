// Sign-in and sessions. The session id is a random token held only by the browser's cookie;
// the database keeps its SHA-256, so a read of the table cannot be replayed as a session.
//
// Guessing passwords is throttled by counters in `login_throttle`, each bumped by a single
// atomic upsert *before* the password is checked, so parallel attempts are all counted and
// only those within the budget ever reach argon2:
//  - per (username, address) pair: after `maxFailuresPerPair` attempts the pair waits
//    `lockMs`, then each further failed try doubles the wait (up to `maxLockMs`). The real
//    user signing in from another address is never held up by someone else's failures.
//  - per address, whatever the usernames: `maxFailuresPerAddress`, with the same growing waits.
//  - per username from all addresses: this one never locks (that would hand anyone the power
//    to lock a user out, which the pair key exists to prevent). It only slows a distributed
//    attack down: past `userAlarmFailures` failures in the window, every pair of that username
//    gets a budget of one try per wait instead of `maxFailuresPerPair`. The real user still
//    gets a try from their own address at once; an attacker with many addresses gets a fifth
//    as many guesses.
// A one-time code for a new password (reset-codes.ts) is guessed under the same rules: its own
// (username, address) pair, the address's budget shared with sign-in (`admitGuess`).
import crypto from 'node:crypto';
import { and, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { writeAudit } from './audit.ts';
import { organisations } from '../store/schema.ts';
import { checkPassword, hashPassword, verifyAgainstDummy, verifyPassword, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { loginThrottle, sessions, users } from './schema.ts';
import { normaliseUsername, PasswordRejectedError, UserInputError, userActor, type UserRow } from './users.ts';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export type SessionSettings = {
  /** a session unused this long ends */
  idleTimeoutMs: number;
  /** a session ends this long after sign-in, however active */
  absoluteTimeoutMs: number;
  /** attempts per (username, address) pair within `windowMs` before the pair must wait */
  maxFailuresPerPair: number;
  /** attempts per address (any usernames) within `windowMs` before the address must wait */
  maxFailuresPerAddress: number;
  /** failures on one username from all addresses within `windowMs` past which each pair gets one try per wait */
  userAlarmFailures: number;
  /** counts of a key start again after this long without a wait */
  windowMs: number;
  /** the first wait of a key; each further one is twice as long */
  lockMs: number;
  /** the longest wait */
  maxLockMs: number;
  /** a key's waits start again from `lockMs` when its last one ended this long ago */
  forgetMs: number;
  /** last_seen_at is written at most this often */
  touchEveryMs: number;
};

export const defaultSessionSettings: SessionSettings = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 10 * 60 * 60_000,
  maxFailuresPerPair: 5,
  maxFailuresPerAddress: 50,
  userAlarmFailures: 100,
  windowMs: 15 * 60_000,
  lockMs: 60_000,
  maxLockMs: 60 * 60_000,
  forgetMs: 24 * 60 * 60_000,
  touchEveryMs: 60_000,
};

export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const randomToken = () => crypto.randomBytes(32).toString('base64url');

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };
export type ResolvedSession = { idHash: string; csrfToken: string; user: UserRow; expiresAt: Date };

/** Starts a new session for a user: always a fresh id, never one the client offered. */
export async function createSession(ex: Executor, user: Pick<UserRow, 'id'>, now: Date, settings = defaultSessionSettings): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + settings.absoluteTimeoutMs);
  await ex.insert(sessions).values({ id_hash: sha256(token), user_id: user.id, csrf_secret: csrfToken, created_at: now, last_seen_at: now, expires_at: expiresAt });
  return { token, csrfToken, expiresAt };
}

/** The live session behind a cookie token, or null (unknown, expired, idle too long, user inactive). */
export async function resolveSession(ex: Executor, token: string, now: Date, settings = defaultSessionSettings): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const idHash = sha256(token);
  const [found] = await ex
    .select({ session: sessions, user: users, organisationActive: organisations.active })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.user_id))
    .leftJoin(organisations, eq(organisations.id, users.organisation_id))
    .where(eq(sessions.id_hash, idHash));
  if (!found) return null;
  const { session, user } = found;
  const idle = now.getTime() - session.last_seen_at.getTime() > settings.idleTimeoutMs;
  // A deactivated organisation's users act no more, whatever their own state.
  if (idle || now >= session.expires_at || !user.active || found.organisationActive === false) {
    await ex.delete(sessions).where(eq(sessions.id_hash, idHash));
    return null;
  }
  if (now.getTime() - session.last_seen_at.getTime() >= settings.touchEveryMs) {
    await ex.update(sessions).set({ last_seen_at: now }).where(eq(sessions.id_hash, idHash));
  }
  return { idHash, csrfToken: session.csrf_secret, user, expiresAt: session.expires_at };
}

/** Ends a session on the server. */
export async function endSession(ex: Executor, token: string, from: string | null = null): Promise<boolean> {
  const idHash = sha256(token);
  return ex.transaction(async (tx) => {
    const [gone] = await tx.delete(sessions).where(eq(sessions.id_hash, idHash)).returning();
    if (!gone) return false;
    const [user] = await tx.select().from(users).where(eq(users.id, gone.user_id));
    if (user) await writeAudit(tx, { actor: userActor(user, from), operation: 'session.logout' });
    return true;
  });
}

/** Removes sessions past their end; for a periodic job. */
export async function purgeExpiredSessions(ex: Executor, now: Date, settings = defaultSessionSettings): Promise<number> {
  const idleBefore = new Date(now.getTime() - settings.idleTimeoutMs);
  const gone = await ex
    .delete(sessions)
    .where(sql`${sessions.expires_at} <= ${now.toISOString()} or ${sessions.last_seen_at} < ${idleBefore.toISOString()}`)
    .returning({ id: sessions.id_hash });
  // A key is kept while its window lasts, and while its waits are remembered (see forgetMs).
  await ex
    .delete(loginThrottle)
    .where(
      and(
        lt(loginThrottle.window_start, new Date(now.getTime() - settings.windowMs)),
        or(isNull(loginThrottle.locked_until), lt(loginThrottle.locked_until, new Date(now.getTime() - settings.forgetMs))),
      ),
    );
  return gone.length;
}

export type SignInResult =
  | { ok: true; user: UserRow; session: NewSession }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

const anonymous = { id: 'anonymous', role: 'anonymous' } as const;
const userKey = (username: string) => `u:${username}`;
const addressKey = (from: string) => `ip:${from}`;
const pairKey = (username: string, from: string | null) => `p:${from ?? '-'}|${username}`;
const resetPairKey = (username: string, from: string | null) => `r:${from ?? '-'}|${username}`;
// Counts stop here: far beyond any budget, far below integer overflow.
const COUNT_CAP = 1_000_000_000;
// 2^STRIKE_CAP × lockMs is past any sensible maxLockMs; keeps power() finite.
const STRIKE_CAP = 40;

type Attempt = { refused: false } | { refused: true; retryAfterSeconds: number; newLock: boolean };

/**
 * Counts one attempt on a key in a single atomic upsert and says whether it may go on to the
 * password check. Within a window, attempts 1…budget go on; the next one starts a wait (the
 * key's strikes-th, lockMs × 2^strikes long) and sets `failures` to budget + 1; attempts
 * during the wait are refused and counted on top. The first attempt after a wait gets one
 * try (its count becomes `budget`), so each failure after a wait starts a longer one. A
 * window of `windowMs` without a wait starts the count again.
 */
async function countAttempt(ex: Executor, key: string, budget: number, now: Date, settings: SessionSettings): Promise<Attempt> {
  const t = loginThrottle;
  const at = sql`${now.toISOString()}::timestamptz`;
  const waiting = sql`(${t.locked_until} is not null and ${t.locked_until} > ${at})`;
  const expired = sql`(${t.window_start} < ${new Date(now.getTime() - settings.windowMs).toISOString()}::timestamptz)`;
  // the count this attempt makes when the key is not waiting
  const count = sql`(case when ${expired} then 1 when ${t.failures} > ${budget}::int then ${budget}::int else ${t.failures} + 1 end)`;
  const over = sql`(${count} > ${budget}::int)`;
  const strikes = sql`(case when ${t.locked_until} < ${new Date(now.getTime() - settings.forgetMs).toISOString()}::timestamptz then 0 else ${t.strikes} end)`;
  const lockEnd = sql`(${at} + least(${settings.lockMs}::float8 * power(2::float8, ${strikes}), ${settings.maxLockMs}::float8) * interval '1 millisecond')`;
  const [row] = await ex
    .insert(t)
    .values({ key, failures: 1, window_start: now, strikes: 0 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${waiting} then least(${t.failures} + 1, ${COUNT_CAP}::int) when ${over} then ${budget + 1}::int else ${count} end`,
        // a wait's window starts when it ends: full budgets come back only after a quiet window
        window_start: sql`case when ${waiting} then ${t.window_start} when ${over} then ${lockEnd} when ${expired} then ${at} else ${t.window_start} end`,
        locked_until: sql`case when ${waiting} then ${t.locked_until} when ${over} then ${lockEnd} else ${t.locked_until} end`,
        strikes: sql`case when ${waiting} then ${t.strikes} when ${over} then least(${strikes} + 1, ${STRIKE_CAP}::int) else ${strikes} end`,
      },
    })
    .returning({ failures: t.failures, locked_until: t.locked_until });
  const until = row.locked_until?.getTime() ?? 0;
  if (until <= now.getTime()) return { refused: false };
  // Only the attempt that started the wait sees budget + 1: one audit row per wait.
  return { refused: true, retryAfterSeconds: Math.ceil((until - now.getTime()) / 1000), newLock: row.failures === budget + 1 };
}

/** Gives an attempt back to a key that is not waiting (after a success: only failures count). */
async function giveBack(ex: Executor, key: string, now: Date) {
  await ex
    .update(loginThrottle)
    .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
    .where(and(eq(loginThrottle.key, key), or(isNull(loginThrottle.locked_until), lte(loginThrottle.locked_until, now))));
}

/** Failures on a username from all addresses in the current window. */
async function usernameFailures(ex: Executor, username: string, now: Date, settings: SessionSettings): Promise<number> {
  const [row] = await ex
    .select({ failures: loginThrottle.failures })
    .from(loginThrottle)
    .where(and(eq(loginThrottle.key, userKey(username)), gt(loginThrottle.window_start, new Date(now.getTime() - settings.windowMs))));
  return row?.failures ?? 0;
}

async function countUsernameFailure(ex: Executor, username: string, now: Date, settings: SessionSettings) {
  const expired = sql`${loginThrottle.window_start} < ${new Date(now.getTime() - settings.windowMs).toISOString()}::timestamptz`;
  await ex
    .insert(loginThrottle)
    .values({ key: userKey(username), failures: 1, window_start: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${expired} then 1 else least(${loginThrottle.failures} + 1, ${COUNT_CAP}::int) end`,
        window_start: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${loginThrottle.window_start} end`,
      },
    });
}

/** A username as the throttle keys hold it: no stored key or lookup may carry a control character (PostgreSQL text refuses NUL). */
export function throttleUsername(username: string): string {
  return normaliseUsername(username).slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
}

/**
 * Counts one guess of a secret for a username (a password at sign-in, a one-time code) on the
 * (username, address) pair of its purpose and on the address, which the purposes share, and says
 * whether it may be checked: `locked` with the wait while the pair or the address waits.
 */
export async function admitGuess(
  ex: Executor,
  username: string,
  from: string | null,
  purpose: 'sign_in' | 'reset_code',
  now: Date,
  settings = defaultSessionSettings,
): Promise<{ ok: true } | { ok: false; reason: 'locked'; retryAfterSeconds: number }> {
  const underAttack = (await usernameFailures(ex, username, now, settings)) >= settings.userAlarmFailures;
  const pair = purpose === 'sign_in' ? pairKey(username, from) : resetPairKey(username, from);
  const checks: [string, number, 'pair' | 'address'][] = [[pair, underAttack ? 1 : settings.maxFailuresPerPair, 'pair']];
  if (from) checks.push([addressKey(from), settings.maxFailuresPerAddress, 'address']);
  // The pair first: attempts its own wait refuses do not use up the address's budget.
  for (const [key, budget, by] of checks) {
    const attempt = await countAttempt(ex, key, budget, now, settings);
    if (!attempt.refused) continue;
    // Not audited per attempt, which would let anyone write to the trail for free: once per wait.
    if (attempt.newLock) {
      const details = { by, wait_seconds: attempt.retryAfterSeconds, ...(purpose === 'sign_in' ? {} : { purpose }) };
      await writeAudit(ex, { actor: anonymous, operation: 'session.locked_out', from, details });
    }
    return { ok: false, reason: 'locked', retryAfterSeconds: attempt.retryAfterSeconds };
  }
  return { ok: true };
}

/** A failed guess on a username: counted from all addresses (slows a distributed attack, see above). */
export function countFailedGuess(ex: Executor, username: string, now: Date, settings = defaultSessionSettings): Promise<void> {
  return countUsernameFailure(ex, username, now, settings);
}

/** After a right one-time code: its pair starts again, and the address gets its attempt back. */
export async function forgiveResetGuess(ex: Executor, username: string, from: string | null, now: Date): Promise<void> {
  await ex.delete(loginThrottle).where(eq(loginThrottle.key, resetPairKey(username, from)));
  if (from) await giveBack(ex, addressKey(from), now);
}

/**
 * Password sign-in. The same `invalid` answer for an unknown user, a wrong password, an
 * inactive user and a user without a password; `locked` while the pair or the address waits.
 */
export async function passwordSignIn(
  ex: Executor,
  input: { username: string; password: string; from: string | null },
  now: Date,
  settings = defaultSessionSettings,
): Promise<SignInResult> {
  // No stored key or lookup may carry a control character (PostgreSQL text refuses NUL).
  const username = throttleUsername(input.username);
  const admitted = await admitGuess(ex, username, input.from, 'sign_in', now, settings);
  if (!admitted.ok) return admitted;
  const [found] = await ex
    .select({ user: users, organisationActive: organisations.active })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisation_id))
    .where(eq(users.username, username));
  const user = found?.user;
  const active = !!user?.active && found?.organisationActive !== false;
  const password = input.password.length > MAX_PASSWORD_LENGTH * 4 ? '' : input.password;
  const good = user?.password_hash ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
  if (!good || !user || !active || !password) {
    await countUsernameFailure(ex, username, now, settings);
    const who = user ? { user_id: user.id } : {};
    await writeAudit(ex, {
      actor: anonymous,
      operation: 'session.login_failed',
      from: input.from,
      details: { ...who, reason: user ? (!user.active ? 'inactive' : !active ? 'organisation_inactive' : 'password') : 'unknown_user' },
    });
    return { ok: false, reason: 'invalid' };
  }
  return ex.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, pairKey(username, input.from)));
    if (input.from) await giveBack(tx, addressKey(input.from), now);
    await tx.update(users).set({ last_login_at: now }).where(eq(users.id, user.id));
    const session = await createSession(tx, user, now, settings);
    await writeAudit(tx, { actor: userActor(user, input.from), operation: 'session.login', details: { method: 'password' } });
    return { ok: true as const, user, session };
  });
}

export type PasswordChangeResult = { ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

const passwordChangeKey = (userId: string) => `pw:${userId}`;

/**
 * A signed-in user changes their own password: the current one must be right, and guessing it is
 * throttled as sign-in is (the same budget and growing waits, on a key of the user), so a session
 * left open is no oracle for the password. The new password follows the rules of every new
 * password; the user's other sessions end, the one asking is kept.
 */
export async function changeOwnPassword(
  ex: Executor,
  input: { userId: string; sessionIdHash: string; current: string; next: string; from: string | null },
  now: Date,
  settings = defaultSessionSettings,
): Promise<PasswordChangeResult> {
  const [user] = await ex.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { ok: false, reason: 'invalid' };
  // (the length rules come first, so an overlong password is refused before any estimate)
  const problem = checkPassword(input.next, user.username);
  if (problem) throw new PasswordRejectedError(problem);
  if (input.next === input.current) {
    throw new UserInputError('password', 'same', { sv: 'Det nya lösenordet ska skilja sig från det nuvarande.', en: 'The new password must differ from the current one.' });
  }
  const key = passwordChangeKey(user.id);
  const attempt = await countAttempt(ex, key, settings.maxFailuresPerPair, now, settings);
  if (attempt.refused) {
    if (attempt.newLock) await writeAudit(ex, { actor: userActor(user, input.from), operation: 'session.locked_out', details: { by: 'password_change', wait_seconds: attempt.retryAfterSeconds } });
    return { ok: false, reason: 'locked', retryAfterSeconds: attempt.retryAfterSeconds };
  }
  const current = input.current.length > MAX_PASSWORD_LENGTH * 4 ? '' : input.current;
  const good = user.password_hash ? await verifyPassword(user.password_hash, current) : await verifyAgainstDummy(current);
  if (!good || !current) {
    await writeAudit(ex, { actor: userActor(user, input.from), operation: 'session.login_failed', details: { user_id: user.id, reason: 'password_change' } });
    return { ok: false, reason: 'invalid' };
  }
  const passwordHash = await hashPassword(input.next);
  await ex.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, key));
    await tx.update(users).set({ password_hash: passwordHash, updated_at: now }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(and(eq(sessions.user_id, user.id), ne(sessions.id_hash, input.sessionIdHash)));
    await writeAudit(tx, { actor: userActor(user, input.from), operation: 'users.update', details: { user_id: user.id, change: 'own_password' } });
  });
  return { ok: true };
}

/** Signs in a user already identified (OpenID Connect): a fresh session and an audit row. */
export async function externalSignIn(ex: Executor, user: UserRow, from: string | null, method: string, now: Date, settings = defaultSessionSettings): Promise<NewSession> {
  return ex.transaction(async (tx) => {
    await tx.update(users).set({ last_login_at: now }).where(eq(users.id, user.id));
    const session = await createSession(tx, user, now, settings);
    await writeAudit(tx, { actor: userActor(user, from), operation: 'session.login', details: { method } });
    return session;
  });
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
