// The public table builder (GET /api/stats/table): its query and its answer. The dimensions are
// strings here so the contract needs nothing of the statistics; the service names them and
// refuses unknown ones with a message in the user's language.
import { z } from 'zod';
import { Label } from './common.ts';

export const TableBuilderQuery = z.object({
  dimensions: z
    .string()
    .max(200)
    .optional()
    .describe('1–3 dimensions, comma-separated (sex, age_group, group, category, crime_type, nationality, referred_by); left out: only the choices'),
  year: z.coerce.number().int().min(2018).max(2100).optional().describe('a year with a published release; default: the newest published final release'),
  release: z
    .string()
    .regex(/^\d{4}-\d{1,4}$/)
    .optional()
    .describe('a published release, e.g. 2025-1'),
});
export type TableBuilderQuery = z.input<typeof TableBuilderQuery>;

const BuilderRelease = z.strictObject({ id: z.string(), year: z.number().int(), kind: z.enum(['preliminary', 'final']), number: z.number().int() });

export const TableBuilderOptions = z.strictObject({
  dimensions: z.array(z.strictObject({ key: z.string(), heading: Label })),
  /** Pairs of dimensions never crossed in one table. */
  exclusions: z.array(z.tuple([z.string(), z.string()])),
  /** The published releases, newest first. */
  releases: z.array(BuilderRelease),
  max_dimensions: z.number().int(),
  max_cells: z.number().int(),
  /** Each published count is within this of the true count. */
  max_deviation: z.number().int(),
  /** The smallest count published besides 0. */
  smallest: z.number().int(),
});
export type TableBuilderOptions = z.output<typeof TableBuilderOptions>;

/** A cell: its codes by dimension (a dimension left out is summed over: a margin, or the total with none) and its perturbed count. */
export const TableBuilderCell = z.strictObject({ key: z.record(z.string(), z.string()), count: z.number().int().nonnegative() });
export type TableBuilderCell = z.output<typeof TableBuilderCell>;

export const BuiltTable = z.strictObject({
  release: BuilderRelease,
  demo: z.literal(true).optional(),
  dimensions: z.array(
    z.strictObject({
      key: z.string(),
      heading: Label,
      codes: z.array(z.strictObject({ code: z.string(), sv: z.string(), en: z.string() })),
    }),
  ),
  /** The interior cells in code order, then each margin, the total last. */
  cells: z.array(TableBuilderCell),
});
export type BuiltTable = z.output<typeof BuiltTable>;

export const TableBuilderAnswer = z.strictObject({ options: TableBuilderOptions, table: BuiltTable.nullable() });
export type TableBuilderAnswer = z.output<typeof TableBuilderAnswer>;
