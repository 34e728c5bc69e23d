import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { assignByAffinity, Random } from '../../src/stats/demo-random.ts';
import { expectDemoConstraints } from '../demo-checks.ts';

describe('demo dataset seeds', () => {
  it('gives identical output for the same seed, and 2025 by default', () => {
    expect(generateDemoCases(2025)).toEqual(generateDemoCases(2025));
    expect(generateDemoCases()).toEqual(generateDemoCases(2025));
  });

  it('gives different rows for a different seed', () => {
    const a = generateDemoCases(2025).map((c) => JSON.stringify(c));
    const b = new Set(generateDemoCases(2026).map((c) => JSON.stringify(c)));
    const shared = a.filter((row) => b.has(row)).length;
    expect(shared).toBeLessThan(a.length / 10);
  });

  it('meets every hard, soft and case-level constraint for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        expectDemoConstraints(generateDemoCases(seed));
      }),
      { numRuns: 12 },
    );
  });
});

describe('the seeded generator', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = new Random(seed);
      return Array.from({ length: 8 }, () => r.float());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const x of draw(3)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('allocates exactly the total, within the caps and minimums', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 3, max: 60 }), (seed, total) => {
        const out = new Random(seed).allocate(total, { a: 1, b: 5, c: 0.1 }, 25, 1);
        expect(out.a + out.b + out.c).toBe(total);
        for (const v of Object.values(out)) expect(v >= 1 && v <= 25).toBe(true);
      }),
    );
  });

  it('assigns every person exactly one item and keeps every count, whatever the affinities', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.nat(6), { minLength: 1, maxLength: 5 }), (seed, sizes) => {
        const counts = Object.fromEntries(sizes.map((n, i) => [`k${i}`, n]));
        const persons = Array.from({ length: sizes.reduce((s, n) => s + n, 0) }, (_, i) => i);
        const out = assignByAffinity(new Random(seed), persons, counts, (p, k) => (p % 3 === 0 && k === 'k0' ? 0 : p % 5));
        expect(out.size).toBe(persons.length);
        const tally: Record<string, number> = {};
        for (const k of out.values()) tally[k] = (tally[k] ?? 0) + 1;
        expect(tally).toEqual(Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)));
      }),
    );
  });

  it('prefers persons with affinity for an item', () => {
    const persons = Array.from({ length: 100 }, (_, i) => i);
    const out = assignByAffinity(new Random(4), persons, { rare: 5, common: 95 }, (p, k) => (k === 'rare' && p >= 90 ? 1000 : 1));
    const rare = [...out].filter(([, k]) => k === 'rare').map(([p]) => p);
    expect(rare.filter((p) => p >= 90).length).toBeGreaterThanOrEqual(4);
  });

  it('samples distinct items and shuffles without losing any', () => {
    const r = new Random(9);
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(new Set(r.sample(items, 7)).size).toBe(7);
    expect([...r.shuffle(items)].sort((x, y) => x - y)).toEqual(items);
    expect(() => r.sample(items, 21)).toThrow();
  });
});
