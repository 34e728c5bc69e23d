// The year the start page, the quality page and the releases page open on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultYear } from '../../web/src/caseYears.ts';

describe('defaultYear', () => {
  it('opens on the current year when it has cases, else the newest earlier year with cases', () => {
    expect(defaultYear([{ year: 2026, total: 3 }, { year: 2025, total: 481 }], 2026)).toBe(2026);
    expect(defaultYear([{ year: 2025, total: 481 }, { year: 2023, total: 400 }], 2026)).toBe(2025);
    expect(defaultYear([{ year: 2026, total: 0 }, { year: 2024, total: 5 }], 2026)).toBe(2024);
    expect(defaultYear([], 2026)).toBe(2026);
  });

  it('is always the current year or a year with cases before it, and no year with cases lies between', () => {
    const years = fc.uniqueArray(fc.record({ year: fc.integer({ min: 2018, max: 2030 }), total: fc.nat(50) }), { selector: (y) => y.year, maxLength: 13 });
    fc.assert(
      fc.property(years, fc.integer({ min: 2018, max: 2030 }), (ys, now) => {
        const chosen = defaultYear(ys, now);
        const withCases = ys.filter((y) => y.total > 0).map((y) => y.year);
        if (chosen !== now) expect(withCases).toContain(chosen);
        expect(chosen).toBeLessThanOrEqual(now);
        if (withCases.includes(now)) expect(chosen).toBe(now);
        else expect(withCases.filter((y) => y > chosen && y <= now)).toEqual([]);
      }),
    );
  });
});
