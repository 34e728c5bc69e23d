// Users, sessions, sign-in throttling and the audit trail.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organisations } from '../store/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** lower case; unique */
    username: text('username').notNull(),
    role: text('role').notNull(),
    region: text('region'),
    organisation_id: text('organisation_id').references(() => organisations.id),
    /** argon2id (PHC string); null for users who only sign in through OpenID Connect */
    password_hash: text('password_hash'),
    oidc_issuer: text('oidc_issuer'),
    oidc_subject: text('oidc_subject'),
    active: boolean('active').notNull().default(true),
    created_at: ts('created_at').notNull().defaultNow(),
    updated_at: ts('updated_at').notNull().defaultNow(),
    last_login_at: ts('last_login_at'),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(t.username),
    uniqueIndex('users_oidc_idx').on(t.oidc_issuer, t.oidc_subject).where(sql`${t.oidc_subject} is not null`),
    check('users_role_check', sql`${t.role} in ('coordinator', 'organisation_reporter', 'programme_officer', 'statistician', 'admin')`),
    check('users_coordinator_region_check', sql`${t.role} <> 'coordinator' or ${t.region} is not null`),
  ],
);

/** The session id is a random token in the cookie; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id_hash: text('id_hash').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrf_secret: text('csrf_secret').notNull(),
    created_at: ts('created_at').notNull(),
    last_seen_at: ts('last_seen_at').notNull(),
    /** absolute end, however active the session */
    expires_at: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.user_id), index('sessions_expires_idx').on(t.expires_at)],
);

/**
 * One-time codes for setting a new password, made by the administrator and handed to the user
 * outside the system (src/access/reset-codes.ts). At most one per user: a new code replaces the
 * earlier one. Only the code's SHA-256 is stored; `used_at` is set when it is used.
 */
export const passwordResetCodes = pgTable('password_reset_codes', {
  user_id: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  code_hash: text('code_hash').notNull(),
  created_by: text('created_by').notNull(),
  created_at: ts('created_at').notNull(),
  expires_at: ts('expires_at').notNull(),
  used_at: ts('used_at'),
});

/**
 * Failed sign-ins counted per key (a username, a username from one address, an address; see
 * sessions.ts). `strikes` counts the lockouts a key has had, so each lasts longer than the last.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  window_start: ts('window_start').notNull(),
  locked_until: ts('locked_until'),
  strikes: integer('strikes').notNull().default(0),
});

/**
 * Append-only and hash-chained: `hash` = SHA-256 over `prev_hash` and the row's canonical
 * content; `seq` runs 1, 2, 3 … without gaps. A trigger refuses UPDATE and DELETE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actor_id: text('actor_id').notNull(),
    actor_role: text('actor_role').notNull(),
    operation: text('operation').notNull(),
    case_ids: text('case_ids').array().notNull(),
    /** the regions of those cases, so a coordinator can see who looked at their region's cases */
    regions: text('regions').array().notNull(),
    from: text('from_address'),
    details: jsonb('details'),
    prev_hash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actor_id, t.seq),
    index('audit_log_operation_idx').on(t.operation, t.seq),
    index('audit_log_case_ids_idx').using('gin', t.case_ids),
    index('audit_log_regions_idx').using('gin', t.regions),
  ],
);

/**
 * The unsaved case form of a session, kept on the server (never in browser storage). Tied to
 * the session: it goes when the session ends (sign-out, expiry, purge).
 */
export const caseDrafts = pgTable('case_drafts', {
  session_id_hash: text('session_id_hash')
    .primaryKey()
    .references(() => sessions.id_hash, { onDelete: 'cascade' }),
  user_id: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  data: jsonb('data').notNull(),
  updated_at: ts('updated_at').notNull(),
});
