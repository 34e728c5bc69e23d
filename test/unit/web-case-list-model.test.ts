// The case list's sort in the address and its page numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageWindow, parseSort } from '../../web/src/pages/caseListModel.ts';

describe('parseSort', () => {
  it('reads a column and its direction, and nothing else', () => {
    expect(parseSort('identified_on')).toEqual({ key: 'identified_on', dir: 'asc' });
    expect(parseSort('-status')).toEqual({ key: 'status', dir: 'desc' });
    for (const bad of [null, '', 'version', '--status', 'id', '-']) expect(parseSort(bad)).toBeNull();
  });
});

describe('pageWindow', () => {
  it('shows the ends and the pages near the current one', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 20)).toEqual([1, 2, 3, null, 20]);
    expect(pageWindow(10, 20)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pageWindow(4, 20)).toEqual([1, 2, 3, 4, 5, 6, null, 20]);
    expect(pageWindow(20, 20)).toEqual([1, null, 18, 19, 20]);
  });

  it('is increasing, holds the first, the last and the current page, never a gap of one page, and stays short', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }).chain((pages) => fc.tuple(fc.integer({ min: 1, max: pages }), fc.constant(pages))), ([page, pages]) => {
        const w = pageWindow(page, pages);
        const numbers = w.filter((p): p is number => p !== null);
        expect(numbers).toContain(1);
        expect(numbers).toContain(pages);
        expect(numbers).toContain(page);
        for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]);
        // A gap stands for at least two pages; consecutive numbers have no gap between them.
        w.forEach((p, i) => {
          if (p === null) expect((w[i + 1] as number) - (w[i - 1] as number)).toBeGreaterThan(2);
          else if (i > 0 && w[i - 1] !== null) expect(p - (w[i - 1] as number)).toBe(1);
        });
        expect(w.length).toBeLessThanOrEqual(9);
      }),
    );
  });
});
