// The public table builder's dimensions and the pairs it never crosses by default: a file of its
// own, as a release's disclosure policy (protection.ts) names the pairs and the builder
// (table-builder.ts) reads them, and neither imports the other.

/**
 * The dimensions the public may choose: fields of the data standard that put each person in
 * exactly one code, so a table's cells partition its persons. Not offered: the region (an
 * internal table: the regions are few and their coordinators know their cases), industries and
 * related children (a person may be in several, or they are not persons).
 */
export const builderDimensions = ['sex', 'age_group', 'group', 'category', 'crime_type', 'nationality', 'referred_by'] as const;
export type BuilderDimension = (typeof builderDimensions)[number];

export const isBuilderDimension = (d: string): d is BuilderDimension => (builderDimensions as readonly string[]).includes(d);

/**
 * The dimension pairs the builder never crosses, in any table that holds both, unless the
 * release's disclosure policy says otherwise (`builder_exclusions`):
 * - nationality × exploitation form: most nationalities hold a handful of persons, so nearly every
 *   one falls wholly in one form — the group disclosure the report's own rules protect against;
 * - nationality × crime type: the same, with the legal classification of what was done to them;
 * - nationality × referring actor: who brought a person in (detention, border police) with the
 *   nationality points to single intakes that others (staff, the press) may know of.
 */
export const defaultBuilderExclusions = (): [BuilderDimension, BuilderDimension][] => [
  ['nationality', 'category'],
  ['nationality', 'crime_type'],
  ['nationality', 'referred_by'],
];
