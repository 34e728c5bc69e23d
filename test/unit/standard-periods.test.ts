// NSP's periods as dates: lengths with both days counted, and the periods ending within a week.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, periodLength, periodsEndingWithin } from '../../src/standard/periods.ts';

const arbDate = fc.integer({ min: Date.UTC(2018, 0, 1) / 864e5, max: Date.UTC(2030, 11, 31) / 864e5 }).map((n) => new Date(n * 864e5).toISOString().slice(0, 10));
const none = { rest_period_start: null, rest_period_end: null, integration_period_start: null, integration_period_end: null };

describe('periods', () => {
  it('counts across month ends, leap days and years', () => {
    expect(periodLength('2025-03-01', '2025-03-30')).toBe(30);
    expect(periodLength('2024-02-28', '2024-03-01')).toBe(3);
    expect(periodLength('2025-02-28', '2025-03-01')).toBe(2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('addDays and daysBetween undo each other', () => {
    fc.assert(fc.property(arbDate, fc.integer({ min: -400, max: 400 }), (d, n) => {
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }));
  });

  it('a period ends within 7 days exactly when its end is from today to 7 days later', () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), (today, a, b) => {
        const record = { ...none, rest_period_end: addDays(today, a), integration_period_end: addDays(today, b) };
        const got = periodsEndingWithin(record, today, 7);
        const expected = [
          ...(a >= 0 && a <= 7 ? [{ period: 'rest_period', end: addDays(today, a), days_left: a }] : []),
          ...(b >= 0 && b <= 7 ? [{ period: 'integration_period', end: addDays(today, b), days_left: b }] : []),
        ];
        expect(got).toEqual(expected);
      }),
    );
    expect(periodsEndingWithin(none, '2025-01-01', 7)).toEqual([]);
  });
});
