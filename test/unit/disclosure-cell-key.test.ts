// The cell-key method: the same records give the same published value in any order, the noise
// is bounded, has mean zero for every count, never publishes 1 … smallest−1, and keeps 0 at 0.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKey, expectedValue, perturb, perturbationTable, recordKey } from '../../src/disclosure/index.ts';

const arbKeys = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 60 });
const arbTable = fc
  .record({ maxDeviation: fc.integer({ min: 2, max: 4 }), smallest: fc.integer({ min: 1, max: 3 }) })
  .map((o) => ({ o, table: perturbationTable(o) }));

describe('cell keys', () => {
  it('do not depend on the order of the records, and stay in [0, 1)', () => {
    fc.assert(
      fc.property(arbKeys, fc.integer(), (keys, seed) => {
        const shuffled = [...keys].sort((a, b) => Math.sin(a * 1e6 + seed) - Math.sin(b * 1e6 + seed));
        const k = cellKey(keys);
        expect(cellKey(shuffled)).toBe(k);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThan(1);
      }),
    );
  });

  it('are the fractional part of the sum of the record keys', () => {
    expect(cellKey([0.5, 0.75])).toBe(0.25);
    expect(cellKey([])).toBe(0);
    expect(recordKey(0.5)).toBe(2 ** 31);
    expect(() => recordKey(1)).toThrow(RangeError);
  });
});

describe('the perturbation table', () => {
  it('bounded noise, never 1 … smallest−1, zero stays zero, deterministic', () => {
    fc.assert(
      fc.property(arbTable, fc.integer({ min: 0, max: 10_000 }), arbKeys, ({ o, table }, count, keys) => {
        const key = cellKey(keys);
        const v = perturb(count, key, table);
        expect(perturb(count, key, table)).toBe(v);
        expect(Math.abs(v - count)).toBeLessThanOrEqual(o.maxDeviation);
        expect(v === 0 || v >= o.smallest).toBe(true);
        if (count === 0) expect(v).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('has mean zero for every count, in its probabilities and over evenly spread keys', () => {
    fc.assert(
      fc.property(arbTable, fc.integer({ min: 0, max: 40 }), ({ table }, count) => {
        expect(expectedValue(count, table)).toBeCloseTo(count, 9);
        const N = 20_000;
        let sum = 0;
        for (let k = 0; k < N; k++) sum += perturb(count, (k + 0.5) / N, table);
        expect(Math.abs(sum / N - count)).toBeLessThan(0.001);
      }),
      { numRuns: 60 },
    );
  });

  it('with the defaults: 1 becomes 0 or 3, 2 becomes 0, 3 or 4, and a large count moves by at most 2', () => {
    const t = perturbationTable();
    expect(t.rows[1].values).toEqual([0, 3]);
    expect(t.rows[2].values).toEqual([0, 3, 4]);
    expect(t.rows[3].values).toEqual([3]);
    expect(new Set(Array.from({ length: 1000 }, (_, k) => perturb(100, k / 1000, t)))).toEqual(new Set([98, 99, 100, 101, 102]));
  });

  it('refuses a table that cannot keep 1 away from the small counts', () => {
    expect(() => perturbationTable({ maxDeviation: 1, smallest: 3 })).toThrow(RangeError);
  });
});
