// The administrator's organisations and users, and every user's own password change.
import { z } from 'zod';
import { OrganisationProgramme } from './common.ts';
import { UserView } from './system.ts';

export const OrganisationKind = z.enum(['coordinator_office', 'civil_society', 'support_programme']);
export type OrganisationKind = z.output<typeof OrganisationKind>;

export const Organisation = z.strictObject({
  id: z.string(),
  kind: OrganisationKind,
  name_sv: z.string(),
  name_en: z.string(),
  region: z.string().nullable(),
  /** a support programme's programme (its officers' records take it); null for every other kind */
  programme: OrganisationProgramme.nullable(),
  active: z.boolean(),
  /** a regional coordinator office: never renamed or deactivated */
  fixed: z.boolean(),
  /** its users, active or not */
  users: z.number().int(),
});
export type Organisation = z.output<typeof Organisation>;
export const OrganisationList = z.strictObject({ items: z.array(Organisation) });
export type OrganisationList = z.output<typeof OrganisationList>;

// Lengths and formats are the service's to check (src/access/organisations.ts): its refusals name
// the field and the rule in both languages; the schema bounds only the size of what is read.
const Text = z.string().max(1000);

/** POST /api/admin/organisations: the short name (id) is made from the Swedish name when not given. */
export const NewOrganisationBody = z.strictObject({
  kind: z.string().max(40),
  name_sv: Text,
  name_en: Text.nullish(),
  id: z.string().max(100).nullish(),
  /** required for a support programme (nsp or amp), refused for a civil-society organisation */
  programme: z.string().max(40).nullish(),
});
export type NewOrganisationBody = z.input<typeof NewOrganisationBody>;

/** PATCH /api/admin/organisations/:id: rename and/or (de)activate. */
export const OrganisationChangeBody = z.strictObject({ name_sv: Text.optional(), name_en: Text.optional(), active: z.boolean().optional() });
export type OrganisationChangeBody = z.input<typeof OrganisationChangeBody>;

export const AdminUser = UserView.extend({
  active: z.boolean(),
  /** the user's organisation is active (null: the role has none) */
  organisation_active: z.boolean().nullable(),
  has_password: z.boolean(),
  oidc: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});
export type AdminUser = z.output<typeof AdminUser>;
export const AdminUserList = z.strictObject({ items: z.array(AdminUser) });
export type AdminUserList = z.output<typeof AdminUserList>;

/** POST /api/admin/users: without a password, one is made and shown once in the answer. */
export const NewUserBody = z.strictObject({
  username: z.string().max(200),
  role: z.string().max(40),
  region: z.string().max(40).nullish(),
  organisation_id: z.string().max(100).nullish(),
  password: z.string().max(1024).nullish(),
});
export type NewUserBody = z.input<typeof NewUserBody>;

/** PATCH /api/admin/users/:id: `password` sets one, `generatePassword` makes one (shown once); `active` (de)activates. */
export const UserChangeBody = z.strictObject({
  active: z.boolean().optional(),
  password: z.string().max(1024).optional(),
  generatePassword: z.literal(true).optional(),
});
export type UserChangeBody = z.input<typeof UserChangeBody>;

/** The user after a change; `password` only when the server made one: shown this once, never stored in clear. */
export const AdminUserResult = z.strictObject({ user: AdminUser, password: z.string().nullable() });
export type AdminUserResult = z.output<typeof AdminUserResult>;

/** POST /api/session/password: the current password and the new one. */
export const PasswordChangeBody = z.strictObject({ current: z.string().max(1024), password: z.string().max(1024) });
export type PasswordChangeBody = z.input<typeof PasswordChangeBody>;

/** POST /api/admin/users/:id/reset-code: the one-time code, shown this once (never stored in clear), and when it expires. */
export const ResetCodeResult = z.strictObject({ code: z.string(), expires_at: z.string() });
export type ResetCodeResult = z.output<typeof ResetCodeResult>;

/** POST /api/session/reset: a new password with a one-time code from the administrator (no session). */
export const PasswordResetBody = z.strictObject({ username: z.string().min(1).max(200), code: z.string().min(1).max(100), password: z.string().max(1024) });
export type PasswordResetBody = z.input<typeof PasswordResetBody>;
