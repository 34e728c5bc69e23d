// Properties that hold on any dataset: every margin equals its total, every check passes,
// the tables agree with a naive count, and records that do not count change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReport } from '../../src/stats/engine.ts';
import { isCounted, type StatsCase } from '../../src/stats/cube.ts';
import { exploitationCategory, personGroupOf } from '../../src/standard/derive.ts';
import type { Report, ReportRow } from '../../src/stats/report-types.ts';
import { arbStatsCase } from '../support/random-cases.ts';

const run = (cases: readonly StatsCase[], unknown_age_as_adult: boolean) =>
  computeReport({ year: 2025, cases, release: { id: null, kind: 'live' }, settings: { unknown_age_as_adult }, includeRegion: true });
const rowsOf = (r: Report, id: string) => r.tables.find((t) => t.id === id)!.rows;
const sum = (rows: readonly ReportRow[]) => rows.reduce((t, r) => t + r.count, 0);
const countBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};
const asMap = (rows: readonly ReportRow[], key: (r: ReportRow) => string) => new Map(rows.map((r) => [key(r), r.count]));

const dataset = fc.tuple(fc.array(arbStatsCase(), { maxLength: 120 }), fc.boolean());

describe('on any dataset', () => {
  it('every consistency check passes', () => {
    fc.assert(
      fc.property(dataset, ([cases, fold]) => {
        const failed = run(cases, fold).checks.filter((c) => !c.ok);
        expect(failed).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('margins equal totals, and tables equal a naive count with the standard functions', () => {
    fc.assert(
      fc.property(dataset, ([cases, fold]) => {
        const r = run(cases, fold);
        const counted = cases.filter((k) => isCounted(k, 2025));
        const n = counted.length;
        const totals = rowsOf(r, 'totals');
        expect(totals[0]).toEqual({ dimension: 'all', code: 'all', count: n });
        for (const id of ['category', 'form_by_group', 'crime_by_group', 'form_by_crime', 'referrer', 'nationality', 'region'])
          expect(sum(rowsOf(r, id)), id).toBe(n);

        const group = (k: StatsCase) => personGroupOf(k.sex, k.age_group, fold);
        const category = (k: StatsCase) => exploitationCategory(k.exploitation_forms);
        expect(asMap(rowsOf(r, 'form_by_group'), (x) => `${x.category}/${x.group}`)).toEqual(countBy(counted, (k) => `${category(k)}/${group(k)}`));
        expect(asMap(rowsOf(r, 'crime_by_group'), (x) => `${x.crime_type}/${x.group}`)).toEqual(countBy(counted, (k) => `${k.crime_type ?? 'unknown'}/${group(k)}`));
        expect(asMap(rowsOf(r, 'nationality'), (x) => String(x.nationality))).toEqual(countBy(counted, (k) => k.nationality ?? 'unknown'));
        const children = counted.filter((k) => k.age_group === 'child');
        expect(asMap(rowsOf(r, 'children_by_form'), (x) => `${x.category}/${x.sex}`)).toEqual(countBy(children, (k) => `${category(k)}/${k.sex}`));
        const labour = counted.filter((k) => k.exploitation_forms.includes('labour'));
        const industryPairs = labour.flatMap((k) => (k.industries.length ? [...new Set(k.industries)] : ['unknown']).map((i) => `${i}/${k.sex}`));
        expect(asMap(rowsOf(r, 'industry_by_sex'), (x) => `${x.industry}/${x.sex}`)).toEqual(countBy(industryPairs, (p) => p));
        const kids = counted.flatMap((k) => k.related_children.map((c) => `${c.location}/${c.age_band}`));
        expect(asMap(rowsOf(r, 'related_children'), (x) => `${x.location}/${x.age_band}`)).toEqual(countBy(kids, (p) => p));
        expect(sum(rowsOf(r, 'workplace_inspection'))).toBe(counted.filter((k) => k.workplace_inspection === true).length);
      }),
      { numRuns: 200 },
    );
  });

  it('the order of the cases and records that do not count change nothing', () => {
    const noise = arbStatsCase().map((k): StatsCase => ({ ...k, status: 'withdrawn' }));
    fc.assert(
      fc.property(dataset, fc.array(noise, { maxLength: 10 }), ([cases, fold], extra) => {
        const a = run(cases, fold);
        const b = run([...extra, ...cases].reverse(), fold);
        expect(b).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });
});
