// The civil-society and support-programme reports (GET /api/stats/source-report): a source's
// report for a year in one language, as src/stats/sources/types.ts SourceReportView (a type test
// keeps the two equal). A suppressed cell has count and percent null and its status says why.
import { z } from 'zod';

export const ReportSource = z.enum(['civil_society', 'support_programme']);
export type ReportSource = z.output<typeof ReportSource>;

const CellStatus = z.enum(['safe', 'primary', 'secondary', 'exact_by_decision']);

export const PublishedSourceRow = z.strictObject({
  code: z.string(),
  column: z.string().optional(),
  count: z.number().int().nullable(),
  percent: z.number().nullable(),
  status: CellStatus,
});
export type PublishedSourceRow = z.output<typeof PublishedSourceRow>;

const Code = z.strictObject({ code: z.string(), label: z.string() });

export const SourceTableView = z.strictObject({
  id: z.string(),
  n_answered: z.number().int().nullable(),
  n_missing: z.number().int().nullable(),
  rows: z.array(PublishedSourceRow),
  /** A cross table's row totals (`column: 'total'`), column totals (`code: 'total'`) and grand total (both), as protected. */
  totals: z.array(PublishedSourceRow).optional(),
  number: z.number().int(),
  section: z.string(),
  title: z.string(),
  row_heading: z.string(),
  row_codes: z.array(Code),
  column_heading: z.string().nullable(),
  column_codes: z.array(Code).nullable(),
  multi: z.boolean(),
  base: z.string(),
  percent: z.boolean(),
  figure_title: z.string().nullable(),
  note: z.string().nullable(),
});
export type SourceTableView = z.output<typeof SourceTableView>;

export const SourceReportView = z.strictObject({
  source: ReportSource,
  year: z.number().int(),
  release: z.strictObject({
    id: z.string().nullable(),
    kind: z.enum(['final', 'preliminary', 'live']),
    number: z.number().int().optional(),
    published: z.boolean().optional(),
    checksum: z.string().optional(),
  }),
  demo: z.literal(true).optional(),
  form: z.enum(['exact', 'protected']),
  persons: z.number().int().nullable(),
  disclosure: z.strictObject({ threshold: z.number().int(), suppressed: z.number().int(), policy_version: z.number().int() }).optional(),
  lang: z.enum(['sv', 'en']),
  title: z.string(),
  reporter: z.string(),
  tables: z.array(SourceTableView),
});
export type SourceReportView = z.output<typeof SourceReportView>;

/** GET /api/stats/source-report */
export const SourceReportQuery = z.object({
  source: ReportSource,
  year: z.coerce.number().int().min(2018).max(2100),
  release: z.string().regex(/^\d{4}-(civ|stp)-\d{1,4}$/).optional(),
  /** The statistician's choice: `exact` is refused for everyone else. */
  form: z.enum(['exact', 'protected']).optional(),
  lang: z.enum(['sv', 'en']).optional(),
});

/** GET /api/stats/source-report/download */
export const SourceReportDownloadQuery = z.object({
  release: z.string().regex(/^\d{4}-(civ|stp)-\d{1,4}$/),
  format: z.enum(['pdf', 'xlsx', 'csv', 'json']),
  form: z.enum(['exact', 'protected']).optional(),
  lang: z.enum(['sv', 'en']).optional(),
});
