// One-time codes for a new password. The administrator (or the command line) makes a code for a
// user and hands it over outside the system; the user sets a new password with it, without a
// session. Only the code's SHA-256 is stored, a user has at most one (a new one replaces the
// earlier), it is valid 24 hours and once. Every refusal of a code — wrong, expired, used, another
// user's, an unknown or deactivated user — is the same answer, so nothing is learned about users;
// guesses are counted and throttled as sign-in's are (src/access/sessions.ts, admitGuess).
import crypto from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Label } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import type { Executor } from '../store/db.ts';
import { organisations } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { authorize } from './policy.ts';
import { passwordResetCodes, sessions, users } from './schema.ts';
import { admitGuess, countFailedGuess, defaultSessionSettings, forgiveResetGuess, sha256, throttleUsername, type SessionSettings } from './sessions.ts';
import { PasswordRejectedError, UserInputError, UserNotFoundError, userActor } from './users.ts';

export const RESET_CODE_VALID_MS = 24 * 60 * 60_000;
// No 0/O, 1/I/L: read aloud or copied from a note without doubt. 31^12 ≈ 2^59.
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

/** A new code, in groups of four: `ABCD-EFGH-JKMN`. */
export function generateResetCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => alphabet[crypto.randomInt(alphabet.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** A code as typed: case, spaces and dashes do not matter. */
export function normaliseResetCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

const hashCode = (code: string) => sha256(`lagesbild-reset-code:${normaliseResetCode(code)}`);

export type ResetCode = { code: string; expires_at: string };

/**
 * Makes a one-time code for a user (administrator or CLI), replacing any earlier one. The code is
 * returned once; the audit row names the user and the expiry, never the code.
 */
export async function createResetCode(ex: Executor, actor: Actor, userId: string, now: Date = new Date()): Promise<ResetCode> {
  authorize(actor, 'users.manage');
  const [user] = await ex.select().from(users).where(eq(users.id, userId));
  if (!user) throw new UserNotFoundError();
  if (!user.active) {
    throw new UserInputError('active', 'inactive', {
      sv: 'Användaren är inaktiverad. Återaktivera användaren först.',
      en: 'The user is deactivated. Reactivate the user first.',
    });
  }
  const code = generateResetCode();
  const expiresAt = new Date(now.getTime() + RESET_CODE_VALID_MS);
  const row = { code_hash: hashCode(code), created_by: actor.id, created_at: now, expires_at: expiresAt, used_at: null };
  await ex.transaction(async (tx) => {
    await tx
      .insert(passwordResetCodes)
      .values({ user_id: userId, ...row })
      .onConflictDoUpdate({ target: passwordResetCodes.user_id, set: row });
    await writeAudit(tx, { actor, operation: 'users.reset_code', details: { user_id: userId, expires_at: expiresAt.toISOString() } });
  });
  return { code, expires_at: expiresAt.toISOString() };
}

const wrongCodeText: Label = { sv: 'Koden stämmer inte eller har gått ut.', en: 'The code is not right or has expired.' };

/** 400 naming `code`: the one answer for every refused code. */
export class ResetCodeRejectedError extends DomainError {
  constructor() {
    super('reset_code_invalid', 'invalid', wrongCodeText, [{ path: 'code', rule: 'invalid', message: wrongCodeText }]);
  }
}

export type ResetResult = { ok: true } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/**
 * Sets a new password with a one-time code. The password must pass `checkPassword` (400 naming
 * `password`, asked first: it tells nothing about the user or the code). A refused code throws
 * `ResetCodeRejectedError`; a burst of guesses answers `locked`. On success the code is used, the
 * password set and every session of the user ended, in one transaction with its audit row.
 */
export async function resetPasswordWithCode(
  ex: Executor,
  input: { username: string; code: string; password: string; from: string | null },
  now: Date,
  settings: SessionSettings = defaultSessionSettings,
): Promise<ResetResult> {
  const username = throttleUsername(input.username);
  const problem = checkPassword(input.password, username);
  if (problem) throw new PasswordRejectedError(problem);
  const admitted = await admitGuess(ex, username, input.from, 'reset_code', now, settings);
  if (!admitted.ok) return admitted;

  const [found] = await ex
    .select({ user: users, organisationActive: organisations.active, code: passwordResetCodes })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisation_id))
    .leftJoin(passwordResetCodes, eq(passwordResetCodes.user_id, users.id))
    .where(eq(users.username, username));
  const given = Buffer.from(hashCode(input.code.slice(0, 100)));
  const stored = Buffer.from(found?.code?.code_hash ?? hashCode('-'));
  const matches = crypto.timingSafeEqual(given, stored) && !!found?.code;
  const reason = !found
    ? 'unknown_user'
    : !matches
      ? 'wrong_code'
      : found.code!.used_at
        ? 'used'
        : found.code!.expires_at <= now
          ? 'expired'
          : !found.user.active
            ? 'inactive'
            : found.organisationActive === false
              ? 'organisation_inactive'
              : null;
  const refuse = async (why: string) => {
    await countFailedGuess(ex, username, now, settings);
    const who = found ? { user_id: found.user.id } : {};
    await writeAudit(ex, { actor: { id: 'anonymous', role: 'anonymous' }, operation: 'session.login_failed', from: input.from, details: { ...who, method: 'reset_code', reason: why } });
    throw new ResetCodeRejectedError();
  };
  if (reason || !found) return refuse(reason ?? 'unknown_user');
  const user = found.user;

  const passwordHash = await hashPassword(input.password);
  const done = await ex.transaction(async (tx) => {
    // Used once even when two requests race: only the update that finds it unused goes on.
    const [used] = await tx
      .update(passwordResetCodes)
      .set({ used_at: now })
      .where(and(eq(passwordResetCodes.user_id, user.id), eq(passwordResetCodes.code_hash, found.code!.code_hash), isNull(passwordResetCodes.used_at), gt(passwordResetCodes.expires_at, now)))
      .returning({ user_id: passwordResetCodes.user_id });
    if (!used) return false;
    await tx.update(users).set({ password_hash: passwordHash, updated_at: now }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.user_id, user.id));
    await forgiveResetGuess(tx, username, input.from, now);
    await writeAudit(tx, { actor: userActor(user, input.from), operation: 'users.update', details: { user_id: user.id, change: 'password_reset_code' } });
    return true;
  });
  if (!done) return refuse('used');
  return { ok: true };
}
