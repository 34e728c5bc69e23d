// The web app's reading of the published form (web/src/report.ts): a suppressed figure (null) is
// never taken for 0 or for "no such row", and a printed total is the one the protected form carries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartTable, hasSuppressed, printedTotal, SUPPRESSED, totalOf, type Chart, type ReportTable } from '../../web/src/report.ts';

const table = (rows: ReportTable['rows'], totals?: ReportTable['rows'], answered: number | null = 10): ReportTable => ({ id: 't', n_answered: answered, n_missing: 0, rows, totals });

describe('totalOf', () => {
  it('answers null for a suppressed row and undefined for a missing one', () => {
    const persons = [
      { dimension: 'group', code: 'girl', count: null, status: 'primary' },
      { dimension: 'group', code: 'boy', count: 9, status: 'safe' },
    ];
    expect(totalOf(persons, 'group', 'girl')).toBeNull();
    expect(totalOf(persons, 'group', 'boy')).toBe(9);
    expect(totalOf(persons, 'group', 'woman')).toBeUndefined();
  });
});

describe('printedTotal', () => {
  it('takes the total with exactly the given codes, null when suppressed, undefined without totals', () => {
    const t = table(
      [{ category: 'a', group: 'x', count: null }],
      [
        { category: 'a', count: null, status: 'secondary' },
        { group: 'x', count: 7, status: 'safe' },
        { count: 20, status: 'safe' },
      ],
    );
    expect(printedTotal(t, { category: 'a' })).toBeNull();
    expect(printedTotal(t, { group: 'x' })).toBe(7);
    expect(printedTotal(t, {})).toBe(20);
    expect(printedTotal(t, { category: 'b' })).toBe(0);
    expect(printedTotal(table([{ category: 'a', group: 'x', count: 3 }]), { category: 'a' })).toBeUndefined();
  });

  it('returns the carried value of every total row, whatever the other rows', () => {
    const count = fc.option(fc.nat(1000), { nil: null });
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1 }), fc.array(count, { minLength: 4, maxLength: 4 }), (codes, counts) => {
        const totals = codes.map((c, i) => ({ category: c, count: counts[i] }));
        const t = table([], totals);
        codes.forEach((c, i) => expect(printedTotal(t, { category: c })).toBe(counts[i]));
      }),
    );
  });
});

describe('hasSuppressed', () => {
  it('sees a null in the cells, the totals, or answered/missing', () => {
    expect(hasSuppressed(table([{ a: 'x', count: 3 }]))).toBe(false);
    expect(hasSuppressed(table([{ a: 'x', count: null }]))).toBe(true);
    expect(hasSuppressed(table([{ a: 'x', count: 3 }], [{ count: null }]))).toBe(true);
    expect(hasSuppressed(table([{ a: 'x', count: 3 }], undefined, null))).toBe(true);
  });
});

describe('chartTable', () => {
  it('prints ".." for a suppressed point and never a number for it', () => {
    const chart: Chart = {
      id: 'c',
      title: 'c',
      spec: { data: { values: [{ label: 'A', series: 'S', value: 5 }, { label: 'B', series: 'S', value: null }] } },
    };
    expect(chartTable(chart, 'Grupp', 'Antal').body).toEqual([
      ['A', 5],
      ['B', SUPPRESSED],
    ]);
  });
});
