// Every table on a small dataset whose answers were worked out by hand.
import { noSourceFields } from '../../src/standard/case.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReport, trendMeasures } from '../../src/stats/engine.ts';
import { buildCube } from '../../src/stats/cube.ts';
import { percentOf, topWithTies } from '../../src/stats/tables.ts';
import type { Report, ReportRow } from '../../src/stats/report-types.ts';
import type { StatsCase } from '../../src/stats/cube.ts';

const base: StatsCase = {
  source: 'coordinator',
  status: 'open',
  organisation_id: null,
  region: 'stockholm',
  identified_on: '2025-03-01',
  crime_type: 'trafficking',
  sex: 'female',
  age: null,
  age_group: 'adult',
  exploitation_forms: [],
  industries: [],
  nationality: null,
  exploited_in_sweden: null,
  exploitation_countries: [],
  referred_by: 'police',
  workplace_inspection: null,
  related_children: [],
  contact_type: null,
  ...noSourceFields,
  support: null,
  linkage_key: null,
};
const mk = (k: Partial<StatsCase>): StatsCase => ({ ...base, ...k });

// 11 counted persons (numbered as in the comments) and 3 that must be ignored.
const cases: StatsCase[] = [
  /* 1 */ mk({ crime_type: 'exploitation', exploitation_forms: ['labour'], industries: ['construction'], nationality: 'TH', referred_by: 'own_outreach', workplace_inspection: true, related_children: [{ location: 'in_sweden', age_band: '0_11' }] }),
  /* 2 */ mk({ crime_type: 'exploitation', sex: 'male', exploitation_forms: ['labour'], industries: ['construction', 'cleaning'], nationality: 'TH', referred_by: 'own_outreach', workplace_inspection: true, region: 'syd' }),
  /* 3 */ mk({ crime_type: 'exploitation', sex: 'male', exploitation_forms: ['labour'], nationality: 'RO', workplace_inspection: false, region: 'syd', status: 'closed' }),
  /* 4 */ mk({ exploitation_forms: ['sexual'], nationality: 'RO', related_children: [{ location: 'abroad', age_band: '12_17' }, { location: 'abroad', age_band: '12_17' }] }),
  /* 5 */ mk({ age_group: 'child', age: 15, exploitation_forms: ['sexual'], nationality: 'TH', referred_by: 'social_services' }),
  /* 6 */ mk({ sex: 'male', age_group: 'child', exploitation_forms: ['labour', 'criminality'], industries: ['cleaning'], nationality: 'SE', workplace_inspection: true, region: 'vast' }),
  /* 7 */ mk({ age_group: 'unknown', exploitation_forms: ['sexual', 'labour'], industries: ['beauty_body_care'], nationality: 'TH', referred_by: 'own_outreach', related_children: [{ location: 'abroad', age_band: 'unknown' }] }),
  /* 8 */ mk({ crime_type: 'exploitation', sex: 'unknown', exploitation_forms: ['labour'], industries: ['unknown'], referred_by: null, region: null }),
  /* 9 */ mk({ crime_type: 'exploitation', sex: 'male', age_group: 'unknown', nationality: 'UA', referred_by: 'migration_agency', region: 'nord' }),
  /* 10 */ mk({ sex: 'other', age_group: 'child', exploitation_forms: ['forced_marriage'], nationality: 'UA', region: 'nord' }),
  /* 14 */ mk({ sex: 'male', exploitation_forms: ['begging'], nationality: 'PL', status: 'closed' }),
  /* ignored */ mk({ status: 'withdrawn', exploitation_forms: ['labour'], related_children: [{ location: 'in_sweden', age_band: '0_11' }] }),
  /* ignored */ mk({ source: 'civil_society', region: null, contact_type: 'direct', exploitation_forms: ['sexual'] }),
  /* ignored */ mk({ identified_on: '2024-12-31', exploitation_forms: ['sexual'] }),
];

const report = (settings = { unknown_age_as_adult: true }) =>
  computeReport({ year: 2025, cases, release: { id: 'r1', kind: 'final' }, settings, includeRegion: true });
const tableOf = (r: Report, id: string) => r.tables.find((t) => t.id === id)!;
const rowsOf = (r: Report, id: string): ReportRow[] => tableOf(r, id).rows;
const nOf = (r: Report, id: string) => [tableOf(r, id).n_answered, tableOf(r, id).n_missing];

describe('tables on a hand-counted dataset', () => {
  const r = report();

  it('totals', () => {
    expect(rowsOf(r, 'totals')).toEqual([
      { dimension: 'all', code: 'all', count: 11 },
      { dimension: 'crime_type', code: 'trafficking', count: 6 },
      { dimension: 'crime_type', code: 'exploitation', count: 5 },
      { dimension: 'group', code: 'woman', count: 3 },
      { dimension: 'group', code: 'man', count: 4 },
      { dimension: 'group', code: 'girl', count: 1 },
      { dimension: 'group', code: 'boy', count: 1 },
      { dimension: 'group', code: 'other', count: 1 },
      { dimension: 'group', code: 'unknown', count: 1 },
      { dimension: 'age_group', code: 'adult', count: 6 },
      { dimension: 'age_group', code: 'child', count: 3 },
      { dimension: 'age_group', code: 'unknown', count: 2 },
    ]);
  });

  it('category with percent of all persons', () => {
    expect(rowsOf(r, 'category')).toEqual([
      { category: 'sexual', count: 2, percent: 18 },
      { category: 'labour', count: 4, percent: 36 },
      { category: 'begging', count: 1, percent: 9 },
      { category: 'forced_marriage', count: 1, percent: 9 },
      { category: 'multiple', count: 2, percent: 18 },
      { category: 'unknown', count: 1, percent: 9 },
    ]);
    expect(nOf(r, 'category')).toEqual([10, 1]);
  });

  it('form_by_group', () => {
    expect(rowsOf(r, 'form_by_group')).toEqual([
      { category: 'sexual', group: 'woman', count: 1 },
      { category: 'sexual', group: 'girl', count: 1 },
      { category: 'labour', group: 'woman', count: 1 },
      { category: 'labour', group: 'man', count: 2 },
      { category: 'labour', group: 'unknown', count: 1 },
      { category: 'begging', group: 'man', count: 1 },
      { category: 'forced_marriage', group: 'other', count: 1 },
      { category: 'multiple', group: 'woman', count: 1 },
      { category: 'multiple', group: 'boy', count: 1 },
      { category: 'unknown', group: 'man', count: 1 },
    ]);
    expect(nOf(r, 'form_by_group')).toEqual([9, 2]);
  });

  it('crime_by_group and form_by_crime', () => {
    expect(rowsOf(r, 'crime_by_group')).toEqual([
      { crime_type: 'trafficking', group: 'woman', count: 2 },
      { crime_type: 'trafficking', group: 'man', count: 1 },
      { crime_type: 'trafficking', group: 'girl', count: 1 },
      { crime_type: 'trafficking', group: 'boy', count: 1 },
      { crime_type: 'trafficking', group: 'other', count: 1 },
      { crime_type: 'exploitation', group: 'woman', count: 1 },
      { crime_type: 'exploitation', group: 'man', count: 3 },
      { crime_type: 'exploitation', group: 'unknown', count: 1 },
    ]);
    expect(nOf(r, 'crime_by_group')).toEqual([10, 1]);
    expect(rowsOf(r, 'form_by_crime')).toEqual([
      { category: 'sexual', crime_type: 'trafficking', count: 2 },
      { category: 'labour', crime_type: 'exploitation', count: 4 },
      { category: 'begging', crime_type: 'trafficking', count: 1 },
      { category: 'forced_marriage', crime_type: 'trafficking', count: 1 },
      { category: 'multiple', crime_type: 'trafficking', count: 2 },
      { category: 'unknown', crime_type: 'exploitation', count: 1 },
    ]);
    expect(nOf(r, 'form_by_crime')).toEqual([10, 1]);
  });

  it('multiple_combinations', () => {
    expect(rowsOf(r, 'multiple_combinations')).toEqual([
      { combination: 'criminality+labour', sex: 'male', count: 1 },
      { combination: 'labour+sexual', sex: 'female', count: 1 },
    ]);
    expect(nOf(r, 'multiple_combinations')).toEqual([2, 0]);
  });

  it('industry_by_sex counts a case in each of its industries, unanswered as unknown', () => {
    expect(rowsOf(r, 'industry_by_sex')).toEqual([
      { industry: 'construction', sex: 'female', count: 1 },
      { industry: 'construction', sex: 'male', count: 1 },
      { industry: 'beauty_body_care', sex: 'female', count: 1 },
      { industry: 'cleaning', sex: 'male', count: 2 },
      { industry: 'unknown', sex: 'male', count: 1 },
      { industry: 'unknown', sex: 'unknown', count: 1 },
    ]);
    expect(nOf(r, 'industry_by_sex')).toEqual([4, 2]);
    expect(rowsOf(r, 'multiple_industry_by_sex')).toEqual([
      { industry: 'beauty_body_care', sex: 'female', count: 1 },
      { industry: 'cleaning', sex: 'male', count: 1 },
    ]);
    expect(nOf(r, 'multiple_industry_by_sex')).toEqual([2, 0]);
  });

  it('children_by_form', () => {
    expect(rowsOf(r, 'children_by_form')).toEqual([
      { category: 'sexual', sex: 'female', count: 1 },
      { category: 'forced_marriage', sex: 'other', count: 1 },
      { category: 'multiple', sex: 'male', count: 1 },
    ]);
    expect(nOf(r, 'children_by_form')).toEqual([3, 0]);
  });

  it('referrer: counts descending, ties in code order, percent of all', () => {
    expect(rowsOf(r, 'referrer')).toEqual([
      { referred_by: 'police', count: 5, percent: 45 },
      { referred_by: 'own_outreach', count: 3, percent: 27 },
      { referred_by: 'migration_agency', count: 1, percent: 9 },
      { referred_by: 'social_services', count: 1, percent: 9 },
      { referred_by: 'unknown', count: 1, percent: 9 },
    ]);
    expect(nOf(r, 'referrer')).toEqual([10, 1]);
  });

  it('nationality, nationality_top and the top three by form (ties at third kept)', () => {
    expect(rowsOf(r, 'nationality')).toEqual([
      { nationality: 'TH', count: 4 },
      { nationality: 'RO', count: 2 },
      { nationality: 'UA', count: 2 },
      { nationality: 'PL', count: 1 },
      { nationality: 'SE', count: 1 },
      { nationality: 'unknown', count: 1 },
    ]);
    expect(rowsOf(r, 'nationality_top')).toEqual(rowsOf(r, 'nationality').slice(0, 5));
    expect(nOf(r, 'nationality_top')).toEqual([10, 1]);
    expect(rowsOf(r, 'nationality_top3_by_form')).toEqual([
      { nationality: 'TH', category: 'sexual', count: 1 },
      { nationality: 'TH', category: 'labour', count: 2 },
      { nationality: 'TH', category: 'multiple', count: 1 },
      { nationality: 'RO', category: 'sexual', count: 1 },
      { nationality: 'RO', category: 'labour', count: 1 },
      { nationality: 'UA', category: 'forced_marriage', count: 1 },
      { nationality: 'UA', category: 'unknown', count: 1 },
    ]);
    expect(nOf(r, 'nationality_top3_by_form')).toEqual([7, 1]);
  });

  it('related_children counts children, not persons', () => {
    expect(rowsOf(r, 'related_children')).toEqual([
      { location: 'in_sweden', age_band: '0_11', count: 1 },
      { location: 'abroad', age_band: '12_17', count: 2 },
      { location: 'abroad', age_band: 'unknown', count: 1 },
    ]);
    expect(nOf(r, 'related_children')).toEqual([3, 1]);
  });

  it('workplace_inspection and region', () => {
    expect(rowsOf(r, 'workplace_inspection')).toEqual([
      { category: 'labour', count: 2 },
      { category: 'multiple', count: 1 },
    ]);
    expect(nOf(r, 'workplace_inspection')).toEqual([4, 7]);
    expect(rowsOf(r, 'region')).toEqual([
      { region: 'stockholm', category: 'sexual', count: 2 },
      { region: 'stockholm', category: 'labour', count: 1 },
      { region: 'stockholm', category: 'begging', count: 1 },
      { region: 'stockholm', category: 'multiple', count: 1 },
      { region: 'nord', category: 'forced_marriage', count: 1 },
      { region: 'nord', category: 'unknown', count: 1 },
      { region: 'vast', category: 'multiple', count: 1 },
      { region: 'syd', category: 'labour', count: 2 },
      { region: 'unknown', category: 'labour', count: 1 },
    ]);
    expect(nOf(r, 'region')).toEqual([9, 2]);
  });

  it('leaves region out unless asked for', () => {
    const pub = computeReport({ year: 2025, cases, release: { id: 'r1', kind: 'final' } });
    expect(pub.tables.map((t) => t.id)).not.toContain('region');
    expect(pub.settings).toEqual({ unknown_age_as_adult: true });
  });

  it('trend of the year itself when no trend is given', () => {
    expect(rowsOf(r, 'trend')).toEqual([
      { year: 2025, measure: 'total', source: 'release', count: 11 },
      { year: 2025, measure: 'adults', source: 'release', count: 8 },
      { year: 2025, measure: 'labour', source: 'release', count: 4 },
      { year: 2025, measure: 'sexual', source: 'release', count: 2 },
      { year: 2025, measure: 'children', source: 'release', count: 3 },
    ]);
  });

  it('trendMeasures of a cube, with and without unknown age as adults', () => {
    const cube = buildCube(cases, 2025);
    expect(trendMeasures(cube)).toEqual({ total: 11, adults: 8, labour: 4, sexual: 2, children: 3 });
    expect(trendMeasures(cube, { unknown_age_as_adult: false })).toEqual({ total: 11, adults: 6, labour: 4, sexual: 2, children: 3 });
  });

  it('every check passes, and the quality notes count what is missing', () => {
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.length).toBeGreaterThan(20);
    expect(Object.fromEntries(r.quality.map((q) => [q.id, q.count]))).toEqual({
      form_unknown: 1,
      crime_type_unknown: 0,
      crime_type_form_mismatch: 0,
      sex_unknown: 1,
      age_unknown: 2,
      nationality_unknown: 1,
      referrer_unknown: 1,
      industry_unknown: 2,
      region_unknown: 1,
      possible_duplicates: 0,
      workplace_inspection_unanswered: 7,
    });
    for (const q of r.quality) expect(q.sv.length * q.en.length).toBeGreaterThan(0);
  });
});

describe('unknown_age_as_adult off', () => {
  const r = report({ unknown_age_as_adult: false });
  it('shows age_unknown on its own and counts it missing', () => {
    expect(rowsOf(r, 'totals').filter((x) => x.dimension === 'group')).toEqual([
      { dimension: 'group', code: 'woman', count: 2 },
      { dimension: 'group', code: 'man', count: 3 },
      { dimension: 'group', code: 'girl', count: 1 },
      { dimension: 'group', code: 'boy', count: 1 },
      { dimension: 'group', code: 'other', count: 1 },
      { dimension: 'group', code: 'unknown', count: 1 },
      { dimension: 'group', code: 'age_unknown', count: 2 },
    ]);
    expect(rowsOf(r, 'form_by_group').filter((x) => x.group === 'age_unknown')).toEqual([
      { category: 'multiple', group: 'age_unknown', count: 1 },
      { category: 'unknown', group: 'age_unknown', count: 1 },
    ]);
    expect(nOf(r, 'form_by_group')).toEqual([8, 3]);
    expect(rowsOf(r, 'trend').find((x) => x.measure === 'adults')!.count).toBe(6);
    expect(r.settings).toEqual({ unknown_age_as_adult: false });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('details', () => {
  it('rounds percentages half-up, as the 2025 report prints them', () => {
    expect(percentOf(325, 481)).toBe(68);
    expect(percentOf(81, 481)).toBe(17);
    expect(percentOf(118, 481)).toBe(25);
    expect(percentOf(3, 481)).toBe(1);
    expect(percentOf(1, 8)).toBe(13);
    expect(percentOf(1, 200)).toBe(1);
    expect(percentOf(5, 200)).toBe(3);
    expect(percentOf(3, 8)).toBe(38);
    expect(percentOf(0, 0)).toBe(0);
  });

  it('gives the whole percent nearest the exact share, a half rounded up, for any count of any total', () => {
    // p is that percent exactly when p − ½ ≤ 100·count/total < p + ½; in integers, no float ties.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }).chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total))),
        ([count, total]) => {
          const p = percentOf(count, total);
          expect((2 * p - 1) * total).toBeLessThanOrEqual(200 * count);
          expect(200 * count).toBeLessThan((2 * p + 1) * total);
        },
      ),
    );
  });

  it('keeps everyone tied at the last place of a top list', () => {
    const ranked = [9, 8, 7, 7, 7, 5].map((count, i) => ({ code: String(i), count }));
    expect(topWithTies(ranked, 3).map((r) => r.count)).toEqual([9, 8, 7, 7, 7]);
    expect(topWithTies(ranked, 2).map((r) => r.count)).toEqual([9, 8]);
    expect(topWithTies(ranked, 10)).toHaveLength(6);
  });

  it('keeps 11 nationalities when the 10th and 11th tie', () => {
    const codes = ['TH', 'RO', 'TR', 'UA', 'UG', 'PH', 'VN', 'NG', 'PL', 'VE', 'SE', 'BG'];
    const counts = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 3, 2];
    const many = codes.flatMap((nationality, i) => Array.from({ length: counts[i] }, () => mk({ nationality })));
    const r = computeReport({ year: 2025, cases: many, release: { id: null, kind: 'live' } });
    expect(rowsOf(r, 'nationality_top').map((x) => x.nationality)).toEqual(['TH', 'RO', 'TR', 'UA', 'UG', 'PH', 'VN', 'NG', 'PL', 'SE', 'VE']);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('notes exploitation outside 4:1b and a missing crime type', () => {
    const r = computeReport({
      year: 2025,
      cases: [mk({ crime_type: 'exploitation', exploitation_forms: ['sexual'] }), mk({ crime_type: 'exploitation', exploitation_forms: ['labour', 'begging'] }), mk({ crime_type: null })],
      release: { id: null, kind: 'live' },
    });
    const q = Object.fromEntries(r.quality.map((x) => [x.id, x.count]));
    expect([q.crime_type_form_mismatch, q.crime_type_unknown]).toEqual([1, 1]);
  });

  it('notes cases sharing a linkage key within the year', () => {
    const key = 'k3y-abcdefgh';
    const r = computeReport({
      year: 2025,
      cases: [mk({ linkage_key: key }), mk({ linkage_key: key }), mk({ linkage_key: key }), mk({ linkage_key: 'other-key-1' }), mk({ linkage_key: key, status: 'withdrawn' })],
      release: { id: null, kind: 'live' },
    });
    expect(r.quality.find((q) => q.id === 'possible_duplicates')!.count).toBe(2);
  });

  it('refuses a code outside the data standard instead of miscounting it, without echoing the value', () => {
    const bad = mk({ exploitation_forms: ['labour'], industries: ['green' as never] });
    expect(() => computeReport({ year: 2025, cases: [bad], release: { id: null, kind: 'live' } })).toThrow(/industries$/);
  });

  it('an empty year gives empty tables that still pass every check', () => {
    const r = computeReport({ year: 2019, cases, release: { id: null, kind: 'live' }, demo: true });
    expect(rowsOf(r, 'totals')).toEqual([{ dimension: 'all', code: 'all', count: 0 }]);
    expect(rowsOf(r, 'category')).toEqual([]);
    expect(r.demo).toBe(true);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('loads only the counted cases into the cube, related children included', () => {
    const cube = buildCube(cases, 2025);
    expect(cube.n).toBe(11);
    expect(cube.child.length).toBe(4);
    expect(cube.childStart[cube.n]).toBe(4);
    expect(buildCube(cases).n).toBe(12);
    expect(cube.nationalities).toEqual(['unknown', 'TH', 'RO', 'SE', 'UA', 'PL']);
  });

  it('a failing check names what disagrees', async () => {
    const { runChecks } = await import('../../src/stats/checks.ts');
    const tables = report().tables.map((t) => (t.id === 'referrer' ? { ...t, rows: t.rows.slice(1) } : t));
    const failed = runChecks(tables).filter((c) => !c.ok);
    expect(failed.map((c) => c.id)).toEqual(['referrer_sum']);
    expect(failed[0].detail).toContain('6 ≠ 11');
  });
});
