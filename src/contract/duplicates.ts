// Possible duplicates and their review: GET /api/duplicates?year=Y, POST /api/duplicates/:id/resolution.
// A pair names two cases of one year with the same linkage key (never the key itself): `local` pairs
// are reviewed inside their region or organisation, `national` ones by the statistician.
import { z } from 'zod';
import { caseStatus, source } from '../standard/codes.ts';
import { Abilities } from './common.ts';

export const DuplicateScope = z.enum(['local', 'national']);
export type DuplicateScope = z.output<typeof DuplicateScope>;
export const DuplicateResolutionCode = z.enum(['same_person', 'different_persons']);
export type DuplicateResolutionCode = z.output<typeof DuplicateResolutionCode>;

export const DuplicateCase = z.strictObject({
  id: z.string(),
  reference: z.string(),
  source: z.enum(source.codes),
  organisation_id: z.string(),
  region: z.string().nullable(),
  status: z.enum(caseStatus.codes),
});
export type DuplicateCase = z.output<typeof DuplicateCase>;

export const DuplicatePair = z.strictObject({
  /** `<case id>-<case id>`, the smaller id first */
  id: z.string(),
  year: z.number().int(),
  scope: DuplicateScope,
  cases: z.tuple([DuplicateCase, DuplicateCase]),
  resolution: z.strictObject({ resolution: DuplicateResolutionCode, resolved_at: z.string(), resolved_by: z.string() }).nullable(),
});
export type DuplicatePair = z.output<typeof DuplicatePair>;

/** GET /api/duplicates: the pairs of a year the user reviews, and which scopes they review. */
export const DuplicateList = z.strictObject({ year: z.number().int(), scopes: z.array(DuplicateScope), items: z.array(DuplicatePair), abilities: Abilities });
export type DuplicateList = z.output<typeof DuplicateList>;

export const DuplicateQuery = z.object({ year: z.coerce.number().int().min(1900).max(2100) });

/** POST /api/duplicates/:id/resolution */
export const DuplicateResolutionBody = z.object({ resolution: DuplicateResolutionCode }).strict();
export type DuplicateResolutionBody = z.input<typeof DuplicateResolutionBody>;

/**
 * GET /api/stats/unique-people?year=Y: the statistician's national overview of unique people from the
 * live records (exact, not protected): persons known to any source, to each source, and to exactly each
 * combination of sources, counted by linkage key with the review's resolutions.
 */
export const UniquePeopleOverview = z.strictObject({
  year: z.number().int(),
  records: z.number().int(),
  persons: z.number().int(),
  by_source: z.record(z.enum(source.codes), z.number().int()),
  combinations: z.array(z.strictObject({ sources: z.array(z.enum(source.codes)), persons: z.number().int() })),
});
export type UniquePeopleOverview = z.output<typeof UniquePeopleOverview>;

const PublishedFigure = { persons: z.number().int().nullable(), status: z.enum(['safe', 'primary', 'secondary', 'exact_by_decision']) };
/**
 * GET /api/stats/unique-people/public?year=Y: the same overview for everyone, from each source's
 * published release of the year, protected (a suppressed figure is null with its status).
 */
export const PublicUniquePeople = z.strictObject({
  year: z.number().int(),
  releases: z.record(z.enum(source.codes), z.string().nullable()),
  persons: z.strictObject(PublishedFigure),
  by_source: z.record(z.enum(source.codes), z.strictObject(PublishedFigure)),
  combinations: z.array(z.strictObject({ sources: z.array(z.enum(source.codes)), ...PublishedFigure })),
  threshold: z.number().int(),
});
export type PublicUniquePeople = z.output<typeof PublicUniquePeople>;
