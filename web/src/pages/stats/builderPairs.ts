// The public table builder's dimensions as the policy form offers their pairs
// (builder_exclusions). The server's list is src/stats/builder-dimensions.ts, which the bundle
// cannot import; test/unit/stats-table-builder.test.ts holds the two equal.
export const builderDimensionKeys = ['sex', 'age_group', 'group', 'category', 'crime_type', 'nationality', 'referred_by'] as const;

/** Every pair of two different dimensions, once, in the list's order. */
export const builderPairs = (): [string, string][] =>
  builderDimensionKeys.flatMap((a, i) => builderDimensionKeys.slice(i + 1).map((b): [string, string] => [a, b]));

/** Whether a list of pairs holds the pair, in either order. */
export const hasPair = (pairs: readonly (readonly string[])[], [a, b]: readonly [string, string]) => pairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
