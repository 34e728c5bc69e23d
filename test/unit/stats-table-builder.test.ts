// The table builder's counting, on random releases (fast-check): every published cell — interior,
// margin or total — is the perturbation of its exact count at the key of its persons' record keys,
// so it is within 2 of the exact count, never 1 or 2, and a cell shared by two tables has one value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKey, perturb, perturbationTable } from '../../src/disclosure/index.ts';
import { builderCodeOf } from '../support/builder-codes.ts';
import { builderDimensions, builderNoise, builderPersons, publishedCells } from '../../src/stats/table-builder.ts';
import { defaultPolicyDocument, policyViolations, type PolicyDocument } from '../../src/stats/protection.ts';
import { builderDimensionKeys, builderPairs } from '../../web/src/pages/stats/builderPairs.ts';
import { arbStatsCase } from '../support/random-cases.ts';

type Person = Parameters<typeof builderPersons>[0][number];

// Nationality has 251 codes: its tables are checked on the demo release (test/integration).
const small = builderDimensions.filter((d) => d !== 'nationality');
const noise = perturbationTable({ maxDeviation: 2, smallest: 3 });
const sameKey = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([d, c]) => b[d] === c);

describe('table builder counting', () => {
  it('publishes each cell as the cell-key value of its persons, the same in every table', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbStatsCase(2025), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 120 }),
        fc.boolean(),
        fc.shuffledSubarray(small, { minLength: 1, maxLength: 3 }),
        fc.shuffledSubarray(small, { minLength: 1, maxLength: 3 }),
        (drawn, unknownAgeAsAdult, a, b) => {
          const records = drawn.map(([k], i) => ({ ...k, id: `case-${i}` }) as Person);
          const keys = new Map(drawn.map(([, key], i) => [`case-${i}`, key / 2 ** 32]));
          const release = { id: '2025-1', year: 2025, settings: { unknown_age_as_adult: unknownAgeAsAdult } };
          const persons = builderPersons(records, keys, release);
          const counted = records.filter((k) => k.source === 'coordinator' && k.status !== 'withdrawn' && k.identified_on.startsWith('2025'));
          expect(persons.n).toBe(counted.length);
          const [ta, tb] = [publishedCells(persons, a, noise), publishedCells(persons, b, noise)];
          for (const cell of [...ta, ...tb]) {
            const members = counted.filter((k) => Object.entries(cell.key).every(([d, c]) => builderCodeOf(d, k, unknownAgeAsAdult) === c));
            expect(cell.count).toBe(perturb(members.length, cellKey(members.map((k) => keys.get(k.id)!)), noise));
            expect(Math.abs(cell.count - members.length)).toBeLessThanOrEqual(2);
            expect(cell.count === 1 || cell.count === 2).toBe(false);
          }
          for (const cell of ta) {
            const twin = tb.find((c) => sameKey(c.key, cell.key));
            if (twin) expect(twin.count).toBe(cell.count);
          }
          // The total is the last cell of both.
          expect(ta.at(-1)).toEqual(tb.at(-1));
          expect(ta.at(-1)!.key).toEqual({});
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes its noise from the release’s threshold: no published 1 … threshold−1, and within the deviation it states', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (threshold, count, key) => {
        const noise = builderNoise({ threshold }, { maxDeviation: 2 });
        expect(noise.smallest).toBe(threshold);
        expect(noise.maxDeviation).toBe(Math.max(2, threshold - 1));
        const published = perturb(count, key, perturbationTable(noise));
        expect(published === 0 || published >= threshold).toBe(true);
        expect(Math.abs(published - count)).toBeLessThanOrEqual(noise.maxDeviation);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the table builder’s excluded pairs in a release’s policy', () => {
  const withPairs = (pairs: string[][]) => ({ ...defaultPolicyDocument(), builder_exclusions: pairs }) as PolicyDocument;
  const broken = (pairs: string[][]) => policyViolations(withPairs(pairs)).map((v) => [v.path, v.rule]);

  it('by default: nationality with the exploitation form, the crime type and the referring actor; valid', () => {
    expect(defaultPolicyDocument().builder_exclusions).toEqual([
      ['nationality', 'category'],
      ['nationality', 'crime_type'],
      ['nationality', 'referred_by'],
    ]);
    expect(policyViolations(defaultPolicyDocument())).toEqual([]);
  });

  it('refuses an unknown dimension, one dimension twice and a pair named twice in either order, naming the pair', () => {
    expect(broken([])).toEqual([]);
    expect(broken([['sex', 'region']])).toEqual([['builder_exclusions.0.1', 'dimension']]);
    expect(broken([['industries', 'sex']])).toEqual([['builder_exclusions.0.0', 'dimension']]);
    expect(broken([['sex', 'sex']])).toEqual([['builder_exclusions.0', 'distinct']]);
    expect(broken([['sex', 'category'], ['group', 'sex'], ['category', 'sex']])).toEqual([['builder_exclusions.2', 'unique']]);
    // every pair of two different builder dimensions, each once, is a valid list
    expect(broken(builderPairs())).toEqual([]);
    const messages = policyViolations(withPairs([['sex', 'region']]))[0].message;
    expect(messages.sv).toMatch(/ingen sådan indelning/);
    expect(messages.en).toMatch(/no such dimension/);
  });

  it('the policy form offers the pairs of the dimensions the builder has', () => {
    expect([...builderDimensionKeys]).toEqual([...builderDimensions]);
    expect(builderPairs()).toHaveLength((builderDimensions.length * (builderDimensions.length - 1)) / 2);
  });
});

