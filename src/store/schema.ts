// The tables of the registry. A case's data lives in append-only `case_versions`; `cases`
// holds identity, system fields and copies of the filter columns of its latest version so
// that listing and paging are served by indexes.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const organisations = pgTable(
  'organisations',
  {
    id: text('id').primaryKey(),
    /** `coordinator_office`, `civil_society` or `support_programme` */
    kind: text('kind').notNull(),
    name_sv: text('name_sv').notNull(),
    name_en: text('name_en').notNull(),
    region: text('region'),
    /** a support programme's programme, `nsp` or `amp` (its officers' records take it); null for every other kind */
    programme: text('programme'),
    active: boolean('active').notNull().default(true),
    created_at: createdAt(),
  },
  (t) => [
    check('organisations_programme_check', sql`${t.programme} is null or ${t.programme} in ('nsp', 'amp')`),
    check('organisations_programme_kind_check', sql`(${t.kind} = 'support_programme') = (${t.programme} is not null)`),
  ],
);

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    reference: text('reference').notNull().unique(),
    source: text('source').notNull(),
    organisation_id: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    region: text('region'),
    year: integer('year').notNull(),
    identified_on: date('identified_on', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    crime_type: text('crime_type'),
    category: text('category').notNull(),
    sex: text('sex').notNull(),
    age_group: text('age_group').notNull(),
    nationality: text('nationality'),
    linkage_key: text('linkage_key'),
    created_at: createdAt(),
    created_by: text('created_by').notNull(),
    updated_at: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('cases_status_check', sql`${t.status} in ('open', 'closed', 'withdrawn')`),
    check('cases_version_check', sql`${t.version} >= 1`),
    index('cases_year_region_idx').on(t.year, t.region, t.id),
    index('cases_year_category_idx').on(t.year, t.category),
    index('cases_year_sex_age_idx').on(t.year, t.sex, t.age_group),
    index('cases_year_nationality_idx').on(t.year, t.nationality),
    index('cases_status_idx').on(t.status, t.year),
    index('cases_organisation_idx').on(t.organisation_id, t.year),
    index('cases_linkage_idx').on(t.linkage_key, t.year, t.source).where(sql`${t.linkage_key} is not null`),
  ],
);

/** Append-only: every create, change and status change adds a row with the full data. */
export const caseVersions = pgTable(
  'case_versions',
  {
    case_id: text('case_id')
      .notNull()
      .references(() => cases.id),
    version: integer('version').notNull(),
    /** `create`, `import`, `change`, `close`, `reopen`, `withdraw` */
    operation: text('operation').notNull(),
    status: text('status').notNull(),
    data: jsonb('data').notNull(),
    actor_id: text('actor_id').notNull(),
    actor_role: text('actor_role').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.case_id, t.version] })],
);

/** Running numbers of case references, one counter per prefix and year. */
export const referenceCounters = pgTable(
  'reference_counters',
  {
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    actor_id: text('actor_id').notNull(),
    key: text('key').notNull(),
    request_hash: text('request_hash').notNull(),
    case_id: text('case_id').references(() => cases.id),
    created_at: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.actor_id, t.key] }), index('idempotency_keys_created_idx').on(t.created_at)],
);

/**
 * One row per imported file: the SHA-256 of its bytes, who imported it and when, so the same file
 * sent again is refused (`DuplicateImportError`) instead of silently importing every case twice.
 */
export const importFiles = pgTable(
  'import_files',
  {
    id: text('id').primaryKey(),
    sha256: text('sha256').notNull(),
    actor_id: text('actor_id').notNull(),
    rows: integer('rows').notNull(),
    imported_at: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('import_files_sha256_idx').on(t.sha256)],
);

/**
 * The resolution of a possible duplicate: two cases of one year with the same linkage key, reviewed
 * by their organisation or regional office (`local`: both in one scope) or by the statistician
 * (`national`: across regions, organisations or sources). `same_person` merges them in the national
 * overview of unique people; each resolution is in the audit trail (src/registry/duplicates.ts).
 */
export const duplicateResolutions = pgTable(
  'duplicate_resolutions',
  {
    case_a: text('case_a')
      .notNull()
      .references(() => cases.id),
    case_b: text('case_b')
      .notNull()
      .references(() => cases.id),
    /** `local` or `national` */
    scope: text('scope').notNull(),
    /** `same_person` or `different_persons` */
    resolution: text('resolution').notNull(),
    resolved_by: text('resolved_by').notNull(),
    resolved_at: timestamp('resolved_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.case_a, t.case_b] }),
    check('duplicate_resolutions_order_check', sql`${t.case_a} < ${t.case_b}`),
    check('duplicate_resolutions_scope_check', sql`${t.scope} in ('local', 'national')`),
    check('duplicate_resolutions_resolution_check', sql`${t.resolution} in ('same_person', 'different_persons')`),
    index('duplicate_resolutions_case_b_idx').on(t.case_b),
  ],
);
