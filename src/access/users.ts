// Users: who may sign in, with which role and scope. Only the administrator (or the CLI)
// creates and changes them; every change is on the audit trail.
import { and, eq, inArray } from 'drizzle-orm';
import { ulid } from 'ulid';
import { region as regionList, type Label } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import type { Executor } from '../store/db.ts';
import { organisations } from '../store/schema.ts';
import { roles, type Actor, type ActorDescription, type Role } from './actor.ts';
import { writeAudit } from './audit.ts';
import { checkPassword, hashPassword, type PasswordProblem } from './passwords.ts';
import { authorize } from './policy.ts';
import { sessions, users } from './schema.ts';

export type UserRole = Exclude<Role, 'system'>;
export const userRoles = roles.filter((r): r is UserRole => r !== 'system');

export type UserRow = typeof users.$inferSelect;
/** A user as the API shows it: never the hash. */
export type UserView = { id: string; username: string; role: UserRole; region: string | null; organisation_id: string | null };

export function presentUser(u: UserRow): UserView {
  return { id: u.id, username: u.username, role: u.role as UserRole, region: u.region, organisation_id: u.organisation_id };
}

export function userActor(u: Pick<UserRow, 'id' | 'role' | 'region' | 'organisation_id'>, from: string | null = null): Actor {
  return { id: u.id, role: u.role as UserRole, region: u.region as Actor['region'], organisation_id: u.organisation_id, from };
}

/** Bad input for a user: which field and why, in Swedish and English. */
export class UserInputError extends DomainError {
  constructor(
    readonly field: string,
    readonly rule: string,
    text: Label,
  ) {
    super('validation', 'invalid', text, [{ path: field, rule, message: text }]);
  }
}

/** 409: another user has the username. */
export class UsernameTakenError extends DomainError {
  constructor() {
    const text = { sv: 'Användarnamnet är upptaget.', en: 'The username is taken.' };
    super('username_taken', 'conflict', text, [{ path: 'username', rule: 'taken', message: text }]);
  }
}

export class PasswordRejectedError extends UserInputError {
  constructor(readonly problem: PasswordProblem) {
    super('password', problem.rule, problem.message);
    this.name = 'PasswordRejectedError';
  }
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{2,63}$/;

export type NewUser = {
  username: string;
  role: string;
  region?: string | null;
  organisation_id?: string | null;
  password?: string | null;
  oidc?: { issuer: string; subject: string } | null;
};

async function checkScope(ex: Executor, role: UserRole, region: string | null, organisationId: string | null) {
  if (region !== null && !(regionList.codes as readonly string[]).includes(region)) {
    throw new UserInputError('region', 'code', { sv: 'Okänd region.', en: 'Unknown region.' });
  }
  if (role === 'coordinator' && !region) {
    throw new UserInputError('region', 'required', { sv: 'En regionkoordinator behöver en region.', en: 'A regional coordinator needs a region.' });
  }
  if ((role === 'organisation_reporter' || role === 'programme_officer') && !organisationId) {
    throw new UserInputError('organisation_id', 'required', { sv: 'Rollen behöver en organisation.', en: 'The role needs an organisation.' });
  }
  if ((role === 'statistician' || role === 'admin') && (region || organisationId)) {
    throw new UserInputError('role', 'scope', { sv: 'Rollen har ingen region eller organisation.', en: 'The role has no region or organisation.' });
  }
  if (organisationId) {
    const [org] = await ex
      .select({ id: organisations.id, region: organisations.region, kind: organisations.kind, active: organisations.active })
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    if (!org) throw new UserInputError('organisation_id', 'unknown', { sv: 'Organisationen finns inte.', en: 'The organisation does not exist.' });
    if (!org.active) throw new UserInputError('organisation_id', 'inactive', { sv: 'Organisationen är inaktiverad.', en: 'The organisation is deactivated.' });
    const kind = kindOfRole[role];
    if (kind && org.kind !== kind) throw new UserInputError('organisation_id', 'kind', roleKindText[role as keyof typeof roleKindText]);
    if (role === 'coordinator' && org.region !== region) {
      throw new UserInputError('organisation_id', 'region', { sv: 'Kontoret hör till en annan region.', en: 'The office belongs to another region.' });
    }
  }
}

/**
 * The kind of organisation each case-writing role belongs to: a regional coordinator to a regional
 * office, an organisation reporter to a civil-society organisation, a programme officer to a support
 * programme (whose records they write, of its programme). The web app offers the roles that fit.
 */
export const kindOfRole: Readonly<Record<UserRole, 'coordinator_office' | 'civil_society' | 'support_programme' | null>> = {
  coordinator: 'coordinator_office',
  organisation_reporter: 'civil_society',
  programme_officer: 'support_programme',
  statistician: null,
  admin: null,
};

const roleKindText = {
  coordinator: { sv: 'En regionkoordinator hör till ett regionkontor.', en: 'A regional coordinator belongs to a regional office.' },
  organisation_reporter: {
    sv: 'En rapportör hör till en organisation i civilsamhället, inte till ett regionkontor eller ett stödprogram.',
    en: 'A reporter belongs to a civil-society organisation, not to a regional office or a support programme.',
  },
  programme_officer: {
    sv: 'En handläggare i stödprogram hör till ett stödprogram (NSP eller ÅMP), inte till ett regionkontor eller en organisation i civilsamhället.',
    en: 'A programme officer belongs to a support programme (NSP or AVRR), not to a regional office or a civil-society organisation.',
  },
} satisfies Partial<Record<UserRole, Label>>;

/** Creates a user (administrator or CLI). The password, when given, must pass `checkPassword`. */
export async function createUser(ex: Executor, actor: Actor, input: NewUser): Promise<UserView> {
  authorize(actor, 'users.manage');
  const username = normaliseUsername(input.username);
  if (!usernamePattern.test(username)) {
    throw new UserInputError('username', 'format', {
      sv: 'Användarnamnet ska ha 3–64 tecken: a–z, 0–9 och . _ @ -.',
      en: 'The username must have 3–64 characters: a–z, 0–9 and . _ @ -.',
    });
  }
  if (!(userRoles as readonly string[]).includes(input.role)) {
    throw new UserInputError('role', 'code', { sv: `Okänd roll. Välj bland: ${userRoles.join(', ')}.`, en: `Unknown role. Choose from: ${userRoles.join(', ')}.` });
  }
  const role = input.role as UserRole;
  const region = input.region ?? null;
  const organisationId = input.organisation_id ?? (role === 'coordinator' && region ? `rk-${region}` : null);
  if (input.password == null && !input.oidc) {
    throw new UserInputError('password', 'required', {
      sv: 'Ange ett lösenord eller en OIDC-identitet.',
      en: 'Give a password or an OIDC identity.',
    });
  }
  if (input.password != null) {
    const problem = checkPassword(input.password, username);
    if (problem) throw new PasswordRejectedError(problem);
  }
  await checkScope(ex, role, region, organisationId);
  const passwordHash = input.password != null ? await hashPassword(input.password) : null;

  return ex.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (existing) throw new UsernameTakenError();
    const [row] = await tx
      .insert(users)
      .values({
        id: ulid(),
        username,
        role,
        region,
        organisation_id: organisationId,
        password_hash: passwordHash,
        oidc_issuer: input.oidc?.issuer ?? null,
        oidc_subject: input.oidc?.subject ?? null,
      })
      .returning();
    await writeAudit(tx, { actor, operation: 'users.create', details: { user_id: row.id, role, region, organisation_id: organisationId } });
    return presentUser(row);
  });
}

export class UserNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'not_found', { sv: 'Användaren finns inte.', en: 'The user does not exist.' });
  }
}

/** A change of a user by the administrator: a new password and/or whether the user is active. */
export type UserChange = { password?: string; active?: boolean };

/**
 * Sets a new password and/or (de)activates a user, in one transaction with its audit rows. A new
 * password or a deactivation ends every session of the user at once. Administrators cannot
 * deactivate themselves (nobody would be left to undo it).
 */
export async function updateUser(ex: Executor, actor: Actor, userId: string, change: UserChange): Promise<UserRow> {
  authorize(actor, 'users.manage');
  if (change.password === undefined && change.active === undefined) {
    throw new UserInputError('(body)', 'empty', { sv: 'Ange ett nytt lösenord eller om användaren är aktiv.', en: 'Give a new password or whether the user is active.' });
  }
  const [user] = await ex.select().from(users).where(eq(users.id, userId));
  if (!user) throw new UserNotFoundError();
  if (change.active === false && userId === actor.id) {
    throw new UserInputError('active', 'self', { sv: 'Du kan inte inaktivera dig själv.', en: 'You cannot deactivate yourself.' });
  }
  if (change.password !== undefined) {
    const problem = checkPassword(change.password, user.username);
    if (problem) throw new PasswordRejectedError(problem);
  }
  const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  return ex.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ ...(passwordHash ? { password_hash: passwordHash } : {}), ...(change.active !== undefined ? { active: change.active } : {}), updated_at: new Date() })
      .where(eq(users.id, userId))
      .returning();
    if (passwordHash || change.active === false) await tx.delete(sessions).where(eq(sessions.user_id, userId));
    if (passwordHash) await writeAudit(tx, { actor, operation: 'users.update', details: { user_id: userId, change: 'password' } });
    if (change.active !== undefined && change.active !== user.active) {
      await writeAudit(tx, { actor, operation: change.active ? 'users.update' : 'users.deactivate', details: { user_id: userId, active: change.active } });
    }
    return row;
  });
}

/** Sets a new password and ends the user's sessions. */
export async function setPassword(ex: Executor, actor: Actor, userId: string, password: string): Promise<void> {
  await updateUser(ex, actor, userId, { password });
}

/** Deactivates (or reactivates) a user; deactivation ends every session at once. */
export async function setUserActive(ex: Executor, actor: Actor, userId: string, active: boolean): Promise<void> {
  await updateUser(ex, actor, userId, { active });
}

/** A user as the administrator's list shows it: never the hash, but whether there is one. */
export type UserAdminView = UserView & {
  active: boolean;
  organisation_active: boolean | null;
  has_password: boolean;
  oidc: boolean;
  created_at: string;
  last_login_at: string | null;
};

export function presentUserForAdmin(u: UserRow, organisationActive: boolean | null): UserAdminView {
  return {
    ...presentUser(u),
    active: u.active,
    organisation_active: organisationActive,
    has_password: u.password_hash !== null,
    oidc: u.oidc_subject !== null,
    created_at: u.created_at.toISOString(),
    last_login_at: u.last_login_at?.toISOString() ?? null,
  };
}

/** Every user, by username (the administrator's list and the command line's). */
export async function listUsers(ex: Executor, actor: Actor): Promise<UserAdminView[]> {
  authorize(actor, 'users.manage');
  const found = await ex
    .select({ u: users, organisation_active: organisations.active })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisation_id))
    .orderBy(users.username);
  return found.map(({ u, organisation_active }) => presentUserForAdmin(u, organisation_active));
}

/** One user for the administrator. */
export async function getUserForAdmin(ex: Executor, actor: Actor, userId: string): Promise<UserAdminView> {
  authorize(actor, 'users.manage');
  const [found] = await ex
    .select({ u: users, organisation_active: organisations.active })
    .from(users)
    .leftJoin(organisations, eq(organisations.id, users.organisation_id))
    .where(eq(users.id, userId));
  if (!found) throw new UserNotFoundError();
  return presentUserForAdmin(found.u, found.organisation_active);
}

export async function findUserByUsername(ex: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.username, normaliseUsername(username)));
  return row;
}

export async function findUserByOidc(ex: Executor, issuer: string, subject: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(and(eq(users.oidc_issuer, issuer), eq(users.oidc_subject, subject)));
  return row;
}

/**
 * The actors behind stored acts (a case's versions), keyed by id: the username and the region or
 * organisation of each user; a system actor or an id with no user has neither. The role is the one
 * stored with the act, since a user's role may have changed since.
 */
export async function describeActorIds(ex: Executor, acts: readonly { id: string; role: string }[]): Promise<ActorDescription[]> {
  const ids = [...new Set(acts.map((a) => a.id).filter((id) => !id.startsWith('system:')))];
  const rows = ids.length
    ? await ex
        .select({ id: users.id, username: users.username, region: users.region, name_sv: organisations.name_sv, name_en: organisations.name_en })
        .from(users)
        .leftJoin(organisations, eq(organisations.id, users.organisation_id))
        .where(inArray(users.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return acts.map(({ id, role }) => {
    const user = byId.get(id);
    return {
      id,
      role,
      username: user?.username ?? null,
      region: user?.region ?? null,
      organisation: user?.name_sv != null && user.name_en != null ? { sv: user.name_sv, en: user.name_en } : null,
    };
  });
}
