// Statistics: the annual report, releases, their comparison, charts, data quality and the
// printed series. The report's shape is that of src/stats/report-types.ts (a type test keeps the
// two equal); table ids are strings here so the contract needs nothing of the engine.
import { z } from 'zod';
import { Label } from './common.ts';

/**
 * The catalogue's table ids and roles, as types only (erased at run time, so the contract stays
 * free of the engine): the wire carries them as strings, the web app names them with these.
 */
export type { Role as TableRole, TableId } from '../stats/catalogue.ts';

const Year = z.number().int();

/** One interior cell: its dimension codes, `count`, and `percent` where the table has one. */
export const ReportRow = z
  .object({ count: z.number(), percent: z.number().optional(), status: z.string().optional() })
  .catchall(z.union([z.string(), z.number()]));
export type ReportRow = z.output<typeof ReportRow>;

export const ReportTable = z.strictObject({ id: z.string(), n_answered: z.number().int(), n_missing: z.number().int(), rows: z.array(ReportRow) });
export type ReportTable = z.output<typeof ReportTable>;

export const ReportSettings = z.strictObject({ unknown_age_as_adult: z.boolean() });
export const ReportCheck = z.strictObject({ id: z.string(), ok: z.boolean(), detail: z.string() });
export const QualityNote = z.strictObject({ id: z.string(), count: z.number().int(), sv: z.string(), en: z.string() });

export const Report = z.strictObject({
  year: Year,
  release: z.strictObject({
    id: z.string().nullable(),
    kind: z.enum(['final', 'preliminary', 'live']),
    number: z.number().int().optional(),
    published: z.boolean().optional(),
    checksum: z.string().optional(),
  }),
  settings: ReportSettings,
  tables: z.array(ReportTable),
  checks: z.array(ReportCheck),
  quality: z.array(QualityNote),
  demo: z.literal(true).optional(),
  generated_at: z.string().optional(),
});
export type Report = z.output<typeof Report>;

/** Whose report a release freezes: the coordinators' (ids 2025-1), civil society's (2024-civ-1) or the support programmes' (2023-stp-1). */
export const ReleaseSource = z.enum(['coordinator', 'civil_society', 'support_programme']);
export type ReleaseSource = z.output<typeof ReleaseSource>;

export const Release = z.strictObject({
  id: z.string(),
  year: Year,
  source: ReleaseSource,
  number: z.number().int(),
  kind: z.enum(['preliminary', 'final']),
  case_count: z.number().int(),
  checksum: z.string(),
  settings: ReportSettings,
  demo: z.boolean(),
  published: z.boolean(),
  created_at: z.string(),
  /** Null in what the public reads: no user ids leave the system. */
  created_by: z.string().nullable(),
  published_at: z.string().nullable(),
  published_by: z.string().nullable(),
  /** The version of its disclosure policy (stored outputs are keyed by it). */
  policy_version: z.number().int(),
});
export type Release = z.output<typeof Release>;
export const ReleaseList = z.strictObject({ items: z.array(Release) });

/** POST /api/stats/releases: freeze a year's coordinator cases, or with `source` that source's records for its report. */
export const FreezeBody = z.object({ year: z.coerce.number().int().min(2018).max(2100), kind: z.enum(['preliminary', 'final']), source: ReleaseSource.optional() });
export type FreezeBody = z.input<typeof FreezeBody>;

export const ReleaseComparison = z.strictObject({
  from: Release,
  to: Release,
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  cells: z.array(z.strictObject({ table: z.string(), key: z.record(z.string(), z.union([z.string(), z.number()])), from: z.number(), to: z.number() })),
});
export type ReleaseComparison = z.output<typeof ReleaseComparison>;

/** The disclosure policy of a release (src/stats/protection.ts, PolicyDocument). */
export const DisclosurePolicy = z.strictObject({
  /** Counts 1 … threshold−1 are unsafe. */
  threshold: z.number().int().min(1).max(100),
  protect_zeros: z.boolean(),
  /** The smallest interval an attacker may derive for a suppressed unsafe cell. */
  width: z.number().int().min(0).max(10_000),
  cost: z.enum(['persons', 'cells']),
  public_tables: z.array(z.string()).max(100),
  /** Tables published exactly, each with the statistician's written reason. */
  exact: z.record(z.string(), z.string().trim().min(1).max(2000)),
  /** Dimension pairs the public table builder never crosses for this release (GET /api/stats/table's dimension keys). */
  builder_exclusions: z.array(z.tuple([z.string().max(40), z.string().max(40)])).max(50),
});
export type DisclosurePolicy = z.output<typeof DisclosurePolicy>;

/** PUT /api/stats/releases/:id/policy: the whole policy; a field left out takes the default. */
export const PolicyBody = z.strictObject({
  threshold: DisclosurePolicy.shape.threshold.default(3),
  protect_zeros: z.boolean().default(false),
  width: DisclosurePolicy.shape.width.default(3),
  cost: DisclosurePolicy.shape.cost.default('persons'),
  public_tables: DisclosurePolicy.shape.public_tables.optional(),
  exact: DisclosurePolicy.shape.exact.default({}),
  builder_exclusions: DisclosurePolicy.shape.builder_exclusions.optional(),
});
export type PolicyBody = z.input<typeof PolicyBody>;

/** POST /api/stats/releases/:id/publish: optionally the policy to publish with, stored only with a successful publication; a POST without a body reaches it as null. */
export const PublishBody = z.strictObject({ policy: PolicyBody.optional() }).nullish();
export type PublishBody = z.input<typeof PublishBody>;

const CellStatus = z.enum(['safe', 'primary', 'secondary', 'exact_by_decision']);

/** The policy of a release and the protection stored when it was published (statistician only: the audit holds exact counts). */
export const PolicyView = z.strictObject({
  release_id: z.string(),
  published: z.boolean(),
  version: z.number().int(),
  policy: DisclosurePolicy,
  protection: z
    .strictObject({
      policy_version: z.number().int(),
      /** As stored at publication: a release published before the builder's exclusions were in the policy has none here. */
      policy: DisclosurePolicy.partial({ builder_exclusions: true }),
      method: z.enum(['exact', 'fast']),
      optimal: z.boolean(),
      status: z.record(z.string(), CellStatus),
      reasons: z.record(z.string(), z.enum(['threshold', 'zero', 'group', 'manual'])),
      loss: z.strictObject({ cells: z.number().int(), persons: z.number(), primary: z.number().int(), secondary: z.number().int() }),
      audit: z.strictObject({
        width: z.number().int(),
        passed: z.boolean(),
        /** Each suppressed cell's exact count and the interval an attacker derives (`hi` null: unbounded). */
        cells: z.array(z.strictObject({ id: z.string(), count: z.number().int(), lo: z.number(), hi: z.number().nullable(), unsafe: z.boolean(), ok: z.boolean() })),
        failing: z.array(z.string()),
      }),
      trend: z.record(z.string(), CellStatus),
      seconds: z.strictObject({ protect: z.number(), audit: z.number() }),
      /** The audit together with the releases of the year published before it (src/stats/protection.ts, StoredLinkedAudit). */
      linked: z
        .strictObject({
          releases: z.array(z.strictObject({ id: z.string(), distance: z.number().int() })),
          forced: z.array(z.string()),
          passed: z.boolean(),
          failing: z.array(z.strictObject({ release: z.string(), cell: z.string() })),
          cells: z.array(z.strictObject({ release: z.string(), cell: z.string(), count: z.number().int(), lo: z.number(), hi: z.number().nullable(), ok: z.boolean() })),
        })
        .optional(),
    })
    .nullable(),
});
export type PolicyView = z.output<typeof PolicyView>;

/** A printed cell as published: in the protected form `count` and `percent` are null when suppressed, and `status` says why. */
export const PublishedRow = z
  .object({ count: z.number().nullable(), percent: z.number().nullable().optional(), status: z.string().optional() })
  .catchall(z.union([z.string(), z.number(), z.null()]));
export const PublishedTable = z.strictObject({
  id: z.string(),
  n_answered: z.number().int().nullable(),
  n_missing: z.number().int().nullable(),
  rows: z.array(PublishedRow),
  /** A cross table's printed totals (protected form): each without the dimensions it sums over. */
  totals: z.array(PublishedRow).optional(),
});
/** The report as published: the exact form (statisticians) or the protected one (everyone). */
export const PublishedReport = Report.extend({
  tables: z.array(PublishedTable),
  quality: z.array(z.strictObject({ id: z.string(), count: z.number().int().nullable(), sv: z.string(), en: z.string(), status: z.string().optional() })),
  disclosure: z
    .strictObject({
      policy_version: z.number().int(),
      threshold: z.number().int(),
      width: z.number().int(),
      protect_zeros: z.boolean(),
      suppressed: z.number().int(),
      exact: z.record(z.string(), z.string()),
    })
    .optional(),
});
export type PublishedReport = z.output<typeof PublishedReport>;

export const ChartTable = z.strictObject({ head: z.array(z.string()), body: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) });
export type ChartTable = z.output<typeof ChartTable>;
/** A Vega-Lite specification, passed through as it is: its schema is Vega-Lite's own. */
const VegaLiteSpec = z.unknown().meta({ type: 'object', description: 'Vega-Lite specification (https://vega.github.io/schema/vega-lite/v6.json)' });
/** A chart: its Vega-Lite specification and its data as a table. */
export const Chart = z.strictObject({ id: z.string(), title: z.string(), spec: VegaLiteSpec, table: ChartTable });
export type Chart = z.output<typeof Chart>;
export const Charts = z.array(Chart);

/** The public page: the newest published year's report and charts, and every published release. */
export const PublicStats = z.strictObject({ report: PublishedReport.nullable(), charts: Charts, releases: z.array(Release) });
export type PublicStats = z.output<typeof PublicStats>;

export const YearQuality = z.strictObject({
  year: Year,
  cases: z.number().int(),
  quality: z.array(QualityNote),
  /** Each check with its text in words (what it compares and, failing, what differs) in Swedish and English. */
  checks: z.array(ReportCheck.extend({ text: z.strictObject({ sv: z.string(), en: z.string() }) })),
  possible_duplicates: z.array(z.strictObject({ linkage_key_group: z.number().int(), case_ids: z.array(z.string()) })),
  /** The cases each quality note counts, by note id. */
  note_cases: z.record(z.string(), z.array(z.string())),
});
export type YearQuality = z.output<typeof YearQuality>;

export const PublishedSeries = z.strictObject({
  items: z.array(
    z.strictObject({ year: Year, measure: z.string(), value: z.number(), source_document: z.string(), source_table: z.string() }),
  ),
});
export type PublishedSeries = z.output<typeof PublishedSeries>;

/** The report's table catalogue as /api/codes serves it (src/stats/catalogue.ts, catalogueDocument). */
export const ReportCatalogue = z.strictObject({
  tables: z.array(
    z.strictObject({
      id: z.string(),
      title: Label,
      short: Label,
      rows: z.array(z.string()).readonly(),
      column: z.string().nullable(),
      unit: z.enum(['person', 'child', 'year']),
      percent: z.string().nullable(),
      internal: z.boolean(),
      /** What other code reads the table for (src/stats/catalogue.ts `roles`), when anything does. */
      role: z.string().nullable(),
      /** Its section, place and number in the printed report ("Tabell 2"). */
      printed: z.strictObject({ section: z.string(), order: z.number().int(), number: z.number().int() }).nullable(),
      figures: z.array(z.strictObject({ id: z.string(), title: Label, kind: z.enum(['bars', 'line']) })).readonly(),
      /** How the table's cells relate to another table (sum, at most, at least); passed through. */
      relations: z.array(z.looseObject({ kind: z.enum(['sum', 'at_most', 'at_least']), table: z.string() })).readonly(),
    }),
  ),
  dimensions: z.record(
    z.string(),
    z.strictObject({ heading: Label, list: z.string().nullable(), codes: z.record(z.string(), Label), fixed: z.array(z.string()).readonly() }),
  ),
  values: z.strictObject({ count: Label, percent: Label, status: Label, total: Label }),
});
export type ReportCatalogue = z.output<typeof ReportCatalogue>;
