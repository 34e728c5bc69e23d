// Sign-in and sessions. The session id is a random token held only by the browser's cookie;
// the database keeps its SHA-256, so a read of the table cannot be replayed as a session.
// Failed sign-ins are counted per username (existing or not: the answer never tells) and
// per address; too many lock the key for a while.
import crypto from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { writeAudit } from './audit.ts';
import { verifyAgainstDummy, verifyPassword, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { loginThrottle, sessions, users } from './schema.ts';
import { normaliseUsername, userActor, type UserRow } from './users.ts';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export type SessionSettings = {
  /** a session unused this long ends */
  idleTimeoutMs: number;
  /** a session ends this long after sign-in, however active */
  absoluteTimeoutMs: number;
  /** failures per username within `windowMs` before it is locked */
  maxFailuresPerUser: number;
  /** failures per address within `windowMs` before it is locked */
  maxFailuresPerAddress: number;
  windowMs: number;
  lockMs: number;
  /** last_seen_at is written at most this often */
  touchEveryMs: number;
};

export const defaultSessionSettings: SessionSettings = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 10 * 60 * 60_000,
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 50,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
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
  const [found] = await ex.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.user_id)).where(eq(sessions.id_hash, idHash));
  if (!found) return null;
  const { session, user } = found;
  const idle = now.getTime() - session.last_seen_at.getTime() > settings.idleTimeoutMs;
  if (idle || now >= session.expires_at || !user.active) {
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
  await ex.delete(loginThrottle).where(and(lt(loginThrottle.window_start, new Date(now.getTime() - settings.windowMs)), sql`coalesce(${loginThrottle.locked_until}, '-infinity') < ${now.toISOString()}`));
  return gone.length;
}

export type SignInResult =
  | { ok: true; user: UserRow; session: NewSession }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

const anonymous = { id: 'anonymous', role: 'anonymous' } as const;
const userKey = (username: string) => `u:${username}`;
const addressKey = (from: string) => `ip:${from}`;

async function lockedFor(ex: Executor, keys: string[], now: Date): Promise<number> {
  const found = await ex.select({ locked_until: loginThrottle.locked_until }).from(loginThrottle).where(inArray(loginThrottle.key, keys));
  const until = Math.max(0, ...found.map((r) => r.locked_until?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** Counts a failure; locks the key when it reaches `max` within the window. Returns whether it locked. */
async function recordFailure(ex: Executor, key: string, max: number, now: Date, settings: SessionSettings): Promise<boolean> {
  const windowStart = new Date(now.getTime() - settings.windowMs);
  const [row] = await ex
    .insert(loginThrottle)
    .values({ key, failures: 1, window_start: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.window_start} < ${windowStart.toISOString()} then 1 else ${loginThrottle.failures} + 1 end`,
        window_start: sql`case when ${loginThrottle.window_start} < ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else ${loginThrottle.window_start} end`,
      },
    })
    .returning({ failures: loginThrottle.failures });
  if (row.failures >= max) {
    await ex
      .update(loginThrottle)
      .set({ failures: 0, window_start: now, locked_until: new Date(now.getTime() + settings.lockMs) })
      .where(eq(loginThrottle.key, key));
    return true;
  }
  return false;
}

/**
 * Password sign-in. The same `invalid` answer for an unknown user, a wrong password, an
 * inactive user and a user without a password; `locked` while a lockout lasts.
 */
export async function passwordSignIn(
  ex: Executor,
  input: { username: string; password: string; from: string | null },
  now: Date,
  settings = defaultSessionSettings,
): Promise<SignInResult> {
  const username = normaliseUsername(input.username).slice(0, 200);
  const keys = [userKey(username), ...(input.from ? [addressKey(input.from)] : [])];
  const wait = await lockedFor(ex, keys, now);
  // Not audited per attempt: that would let anyone write to the trail for free.
  if (wait > 0) return { ok: false, reason: 'locked', retryAfterSeconds: wait };
  const [user] = await ex.select().from(users).where(eq(users.username, username));
  const password = input.password.length > MAX_PASSWORD_LENGTH * 4 ? '' : input.password;
  const good = user?.password_hash ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
  if (!good || !user || !user.active || !password) {
    const userLocked = await recordFailure(ex, userKey(username), settings.maxFailuresPerUser, now, settings);
    const addressLocked = input.from ? await recordFailure(ex, addressKey(input.from), settings.maxFailuresPerAddress, now, settings) : false;
    const who = user ? { user_id: user.id } : {};
    await writeAudit(ex, {
      actor: anonymous,
      operation: 'session.login_failed',
      from: input.from,
      details: { ...who, reason: user ? (user.active ? 'password' : 'inactive') : 'unknown_user' },
    });
    if (userLocked || addressLocked) {
      await writeAudit(ex, { actor: anonymous, operation: 'session.locked_out', from: input.from, details: { ...who, by: userLocked ? 'username' : 'address' } });
    }
    return { ok: false, reason: 'invalid' };
  }
  return ex.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, userKey(username)));
    await tx.update(users).set({ last_login_at: now }).where(eq(users.id, user.id));
    const session = await createSession(tx, user, now, settings);
    await writeAudit(tx, { actor: userActor(user, input.from), operation: 'session.login', details: { method: 'password' } });
    return { ok: true as const, user, session };
  });
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
