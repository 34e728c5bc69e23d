// Sign-in, the audit trail, health, the command line's operations, import and export.
import { z } from 'zod';
import { Abilities, ApiErrorBody, FieldMessage, OrganisationProgramme, pageOf } from './common.ts';

export const SignInBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }).strict();
export type SignInBody = z.input<typeof SignInBody>;

export const UserView = z.strictObject({
  id: z.string(),
  username: z.string(),
  role: z.enum(['coordinator', 'organisation_reporter', 'programme_officer', 'statistician', 'admin']),
  region: z.string().nullable(),
  organisation_id: z.string().nullable(),
});
export type UserView = z.output<typeof UserView>;

/** POST and GET /api/session: the user, the CSRF token for changes, when the session ends, what the user may do. */
export const SessionView = z.strictObject({
  signedIn: z.literal(true),
  user: UserView,
  /** A programme officer's programme, that of their organisation (their records take it); null for everyone else. */
  programme: OrganisationProgramme.nullable(),
  csrfToken: z.string(),
  expiresAt: z.string(),
  abilities: Abilities,
});
export type SessionView = z.output<typeof SessionView>;

/**
 * GET /api/session: the session, or that there is none. Not being signed in is an answer, not an
 * error: every public page asks, and a 401 there would be an error in every visitor's console.
 */
export const SessionState = z.discriminatedUnion('signedIn', [SessionView, z.strictObject({ signedIn: z.literal(false) })]);
export type SessionState = z.output<typeof SessionState>;

export const SignInMethods = z.strictObject({
  password: z.boolean(),
  oidc: z.strictObject({ label: z.string().nullable(), start: z.string() }).nullable(),
  anonymousAbilities: Abilities,
});
export type SignInMethods = z.output<typeof SignInMethods>;

export const AuditRow = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  actor_id: z.string(),
  /** null for an actor that is no user (anonymous, the command line) */
  actor_username: z.string().nullable(),
  actor_role: z.string(),
  operation: z.string(),
  case_ids: z.array(z.string()),
  /** the references of case_ids, in their order (null for an id no longer found) */
  case_refs: z.array(z.string().nullable()),
  regions: z.array(z.string()),
  from: z.string().nullable(),
  /** ids, counts, years and filter names; never case contents */
  details: z.unknown(),
});
export const AuditPage = pageOf(AuditRow).extend({ abilities: Abilities });
export type AuditPage = z.output<typeof AuditPage>;

/**
 * GET /api/audit/chain (the statistician and the administrator): how far the server's walk of
 * the hash chain has come (src/access/audit.ts, auditChainState) and the newest anchor taken.
 * `checking`: intact through `checkedThrough`, the walk not yet at the head (asked again, it goes on).
 */
export const AuditChainState = z.strictObject({
  verified: z.boolean(),
  state: z.enum(['intact', 'checking', 'broken']),
  rows: z.number().int(),
  checkedThrough: z.number().int(),
  head: z.number().int(),
  broken: z.strictObject({ seq: z.number().int(), reason: z.enum(['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch', 'row_missing', 'hash_differs']) }).nullable(),
  walkStartedAt: z.string(),
  anchor: z.strictObject({ seq: z.number().int(), hash: z.string(), at: z.string() }).nullable(),
});
export type AuditChainState = z.output<typeof AuditChainState>;

const DatabaseKind = z.enum(['pglite', 'postgres']);
const Migrations = z.strictObject({ pending: z.array(z.string()), unknown: z.number().int() }).nullable();
export const Health = z.strictObject({ ok: z.boolean(), database: DatabaseKind, demo: z.boolean() });
export const Ready = z.strictObject({ ready: z.boolean(), database: DatabaseKind, migrations: Migrations });
/** 503 from /api/ready: not ready, and why, as an error body. */
export const NotReady = ApiErrorBody.extend({ ready: z.boolean(), database: DatabaseKind, migrations: Migrations });

export const AuditAnchor = z.strictObject({ row: z.number().int().min(0), hash: z.string(), at: z.string().nullable() });
export const AnchorsBody = z.object({
  anchors: z.array(z.object({ row: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) })).max(200_000).default([]),
});
export const AuditVerification = z.strictObject({
  chain: z.union([
    z.strictObject({ ok: z.literal(true), rows: z.number().int() }),
    z.strictObject({
      ok: z.literal(false),
      firstBadId: z.number().int(),
      reason: z.enum(['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch']),
      rows: z.number().int(),
    }),
  ]),
  anchors: z.array(z.strictObject({ row: z.number().int(), reason: z.enum(['row_missing', 'hash_differs']) })),
});

/** How many problems a column has under one rule; `message` names the rule in the request's language (its first row's message). */
const RuleCount = z.strictObject({ field: z.string(), rule: z.string(), count: z.number().int(), message: z.string() });
const WarningGroup = RuleCount.extend({ lines: z.array(z.number().int()) });
/** An import that was saved, with its warnings grouped per column and rule. */
export const ImportDone = z.strictObject({
  imported: z.number().int(),
  warningCount: z.number().int(),
  warningGroups: z.array(WarningGroup),
  warnings: z.array(z.string()),
});
export type ImportDone = z.output<typeof ImportDone>;
/** A refused import (400): nothing saved; the first errors with their lines, every error counted. */
export const ImportRejected = z.strictObject({
  code: z.literal('import_rejected'),
  message: z.string(),
  errors: z.array(FieldMessage.extend({ line: z.number().int() })),
  errorCount: z.number().int(),
  errorsByRule: z.array(RuleCount),
  problems: z.array(z.string()),
  warningCount: z.number().int(),
  warningGroups: z.array(WarningGroup),
  warnings: z.array(z.string()),
});
export type ImportRejected = z.output<typeof ImportRejected>;
