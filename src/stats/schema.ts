// Releases: a year's coordinator cases frozen as they were, so a report can be recomputed
// byte for byte years later. Rows are inserted once and never updated, except the
// publication stamp of the release itself, its disclosure policy before publication and the
// protection computed with it.
import { boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const releases = pgTable(
  'releases',
  {
    id: text('id').primaryKey(),
    year: integer('year').notNull(),
    /**
     * Whose report it freezes: `coordinator` (the regional coordinators' cases, ids 2025-1),
     * `civil_society` (2024-civ-1) or `support_programme` (2023-stp-1); src/stats/sources.
     */
    source: text('source').notNull().default('coordinator'),
    /** running number per year and source: 2025-1, 2025-2 … */
    number: integer('number').notNull(),
    /** `preliminary` or `final` */
    kind: text('kind').notNull(),
    case_count: integer('case_count').notNull(),
    /** SHA-256 over the canonical JSON of the frozen records */
    checksum: text('checksum').notNull(),
    settings: jsonb('settings').notNull(),
    demo: boolean('demo').notNull().default(false),
    created_at: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    created_by: text('created_by').notNull(),
    published_at: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    published_by: text('published_by'),
    /**
     * The disclosure policy the statistician set before publishing (the API's shape, see
     * src/contract/stats.ts DisclosurePolicy); null: the default policy. Fixed once published.
     */
    policy: jsonb('policy'),
    /** Counts the policy's changes; stored outputs are keyed by it. */
    policy_version: integer('policy_version').notNull().default(1),
    /**
     * The protection computed when the release was published (src/stats/protection.ts,
     * StoredProtection): every cell's status, why each primary cell is unsafe, the attacker's
     * audit of every suppressed cell. Internal: it holds exact counts. Null for a release published
     * before policies existed until it is first needed.
     */
    protection: jsonb('protection'),
  },
  (t) => [uniqueIndex('releases_year_source_number_idx').on(t.year, t.source, t.number), index('releases_year_idx').on(t.year)],
);

export const releaseCases = pgTable(
  'release_cases',
  {
    release_id: text('release_id')
      .notNull()
      .references(() => releases.id),
    case_id: text('case_id').notNull(),
    case_version: integer('case_version').notNull(),
    data: jsonb('data').notNull(),
    /**
     * The case's record key for the public table builder's cell-key method (src/disclosure/cell-key.ts):
     * uniform in [0, 1), a multiple of 2⁻³², drawn when the case is first frozen and kept by later
     * releases of the same case (so two releases of a year do not give two independent noises of
     * the same persons to average). Secret: never served, outside the release checksum.
     */
    record_key: doublePrecision('record_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.release_id, t.case_id] })],
);

/** Figures of earlier years that exist only in printed reports, with where they were printed. */
export const publishedSeries = pgTable(
  'published_series',
  {
    year: integer('year').notNull(),
    measure: text('measure').notNull(),
    value: integer('value').notNull(),
    source_document: text('source_document').notNull(),
    source_table: text('source_table').notNull(),
    imported_at: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.year, t.measure] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * What a published release serves, computed once: the report, the public page's data and every
 * download, per language and form (`variant`, e.g. the public form). A published release never
 * changes, so a row is written once and served with its `etag` until the release's outputs are
 * recomputed (a new variant key).
 */
export const releaseOutputs = pgTable(
  'release_outputs',
  {
    release_id: text('release_id')
      .notNull()
      .references(() => releases.id),
    variant: text('variant').notNull(),
    /** `report.json`, `public.json`, `charts.json`, `pdf`, `xlsx`, `csv`, `json` … */
    output: text('output').notNull(),
    lang: text('lang').notNull(),
    content_type: text('content_type').notNull(),
    body: bytea('body').notNull(),
    etag: text('etag').notNull(),
    created_at: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.release_id, t.variant, t.output, t.lang] })],
);
