// Random valid cases for the statistics tests and the benchmark: a seeded generator (fast,
// for large datasets) and a fast-check arbitrary (small datasets that shrink).
import { noSourceFields } from '../../src/standard/case.ts';
import fc from 'fast-check';
import * as c from '../../src/standard/codes.ts';
import type { StatsCase } from '../../src/stats/cube.ts';

/** A small fast seeded PRNG (mulberry32), returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NATIONALITIES = ['TH', 'RO', 'TR', 'UA', 'UG', 'PH', 'VN', 'NG', 'PL', 'VE', 'SE', 'BG', 'ER', 'SY', 'AF', 'MN', 'CN', 'MA'] as const;

export type RandomCaseOptions = {
  year?: number;
  /** Share of records that must not be counted: other sources, withdrawn, other years. */
  noise?: number;
  /** Share of unanswered or unknown fields. */
  unknown?: number;
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `n` random valid cases from a seed; the same seed gives the same cases. */
export function randomCases(n: number, seed: number, options: RandomCaseOptions = {}): StatsCase[] {
  const { year = 2025, noise = 0.1, unknown = 0.05 } = options;
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  // Skewed choice: early entries are more common, so ranks and ties come out uneven.
  const skew = <T>(xs: readonly T[]): T => xs[Math.floor(r() * r() * xs.length)];
  const maybe = <T>(v: T): T | null => (r() < unknown ? null : v);
  const out: StatsCase[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const isNoise = r() < noise;
    const kind = isNoise ? Math.floor(r() * 3) : -1;
    const y = kind === 2 ? year - 1 - Math.floor(r() * 3) : year;
    const ageGroup = r() < unknown ? 'unknown' : r() < 0.08 ? 'child' : 'adult';
    const age = ageGroup === 'unknown' ? null : r() < 0.5 ? null : ageGroup === 'child' ? Math.floor(r() * 18) : 18 + Math.floor(r() * 50);
    const nForms = r() < unknown ? 0 : r() < 0.85 ? 1 : 2 + Math.floor(r() * 2);
    const forms = new Set<c.ExploitationFormCode>();
    while (forms.size < nForms) forms.add(skew(c.exploitationForm.codes.slice(0, 6).concat(c.exploitationForm.codes)));
    const industries = new Set<c.IndustryCode>();
    if (forms.has('labour')) {
      const k = r() < unknown ? 0 : 1 + Math.floor(r() * r() * 3);
      while (industries.size < k) industries.add(skew(c.industry.codes));
    }
    const nKids = r() < 0.8 ? 0 : 1 + Math.floor(r() * 3);
    const kids = Array.from({ length: nKids }, () => ({ location: pick(c.childLocation.codes), age_band: pick(c.childAgeBand.codes) }));
    out[i] = {
      source: kind === 0 ? pick(['civil_society', 'support_programme'] as const) : 'coordinator',
      status: kind === 1 ? 'withdrawn' : r() < 0.5 ? 'open' : 'closed',
      organisation_id: null,
      region: maybe(pick(c.region.codes)),
      identified_on: `${y}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`,
      crime_type: r() < unknown ? pick([null, 'unknown'] as const) : r() < 0.6 ? 'exploitation' : 'trafficking',
      sex: r() < unknown ? pick(['other', 'unknown'] as const) : r() < 0.5 ? 'female' : 'male',
      age,
      age_group: ageGroup,
      exploitation_forms: [...forms],
      industries: [...industries],
      nationality: maybe(skew(NATIONALITIES)),
      exploited_in_sweden: null,
      exploitation_countries: [],
      referred_by: r() < unknown ? pick([null, 'unknown'] as const) : skew(c.referredBy.codes),
      workplace_inspection: r() < 0.3 ? null : r() < 0.3,
      related_children: kids,
      contact_type: null,
      ...noSourceFields,
      support: null,
      linkage_key: null,
    };
  }
  return out;
}

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
const subset = <T>(xs: readonly T[], max: number) => fc.uniqueArray(fc.constantFrom(...xs), { maxLength: max });

/** One random valid case; few codes per list, so collisions and ties are common. */
export function arbStatsCase(year = 2025): fc.Arbitrary<StatsCase> {
  return fc
    .record({
      source: fc.constantFrom('coordinator', 'coordinator', 'coordinator', 'civil_society'),
      status: fc.constantFrom('open', 'closed', 'closed', 'withdrawn'),
      region: optional(fc.constantFrom(...c.region.codes)),
      identified_on: fc.tuple(fc.constantFrom(year, year, year, year - 1), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${pad(m)}-15`),
      crime_type: optional(fc.constantFrom(...c.crimeType.codes)),
      sex: fc.constantFrom(...c.sex.codes),
      age_group: fc.constantFrom(...c.ageGroup.codes),
      exploitation_forms: subset(c.exploitationForm.codes.slice(0, 5), 3),
      industries: subset(['construction', 'cleaning', 'berry_picking', 'unknown'] as const, 3),
      nationality: optional(fc.constantFrom('TH', 'RO', 'TR', 'UA', 'UG', 'PH', 'SE', 'BG', 'VN', 'NG', 'PL', 'VE', 'ER')),
      referred_by: optional(fc.constantFrom('police', 'own_outreach', 'migration_agency', 'public', 'unknown')),
      workplace_inspection: fc.option(fc.boolean(), { nil: null }),
      related_children: fc.array(fc.record({ location: fc.constantFrom(...c.childLocation.codes), age_band: fc.constantFrom(...c.childAgeBand.codes) }), { maxLength: 2 }),
    })
    .map(
      (k): StatsCase => ({
        ...k,
        organisation_id: null,
        age: null,
        // Industries only with labour, as the data standard requires.
        industries: k.exploitation_forms.includes('labour') ? k.industries : [],
        exploited_in_sweden: null,
        exploitation_countries: [],
        contact_type: null,
        ...noSourceFields,
        support: null,
        linkage_key: null,
      }),
    );
}
