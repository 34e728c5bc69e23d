// The attacker's audit across two publications of the same persons: a figure one suppresses and
// the other prints is known within the number of records that differ between them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit, linkedAudit, type Problem } from '../../src/disclosure/index.ts';

/** One row x + y = t, as both releases print it. */
const row = (x: number, y: number): Problem => ({
  cells: [
    { id: 'x', count: x },
    { id: 'y', count: y },
    { id: 't', count: x + y },
  ],
  relations: [{ kind: 'sum', total: 't', parts: ['x', 'y'] }],
});
const same = [['x', 'x'], ['y', 'y'], ['t', 't']] as const;

describe('linkedAudit', () => {
  it('finds a suppressed cell given away by the other release printing it one case later', async () => {
    // A suppresses x = 2 (and y to protect it); B, one case added to x, prints x = 3 and y = 5:
    // A's x is within 2 … 4 of B's x, and 7 − (4 … 6) by B's y.
    const a = { name: 'A', problem: row(2, 5), suppressed: ['x', 'y'], unsafe: ['x'], width: 3 };
    const b = { name: 'B', problem: row(3, 5), suppressed: [], unsafe: [], width: 3 };
    const alone = await audit(a.problem, a.suppressed, { width: 3, unsafe: a.unsafe });
    expect(alone.passed).toBe(true);
    expect(alone.cells.find((c) => c.id === 'x')).toMatchObject({ lo: 0, hi: 7 });

    const linked = await linkedAudit([a, b], [{ a: 'A', b: 'B', distance: 1, cells: same }]);
    expect(linked.passed).toBe(false);
    expect(linked.failing).toEqual([{ publication: 'A', id: 'x' }]);
    expect(linked.cells).toEqual([expect.objectContaining({ publication: 'A', id: 'x', count: 2, lo: 2, hi: 3, ok: false })]);

    // Three cases apart, B's x = 3 says 0 … 6 and its y = 7 says 7 − (4 … 10): 0 … 3, wide enough.
    const far = await linkedAudit([a, { ...b, problem: row(3, 7) }], [{ a: 'A', b: 'B', distance: 3, cells: same }]);
    expect(far.passed).toBe(true);
    expect(far.cells[0]).toMatchObject({ lo: 0, hi: 3, ok: true });

    // B suppressing the same cells keeps A's protection.
    const consistent = await linkedAudit([a, { ...b, suppressed: ['x', 'y'] }], [{ a: 'A', b: 'B', distance: 1, cells: same }]);
    expect(consistent.passed).toBe(true);
  });

  it('fails a publication that prints its own unsafe cell, and refuses a distance the counts break', async () => {
    const a = { name: 'A', problem: row(2, 5), suppressed: [], unsafe: ['x'], width: 3 };
    expect((await linkedAudit([a], [])).failing).toEqual([{ publication: 'A', id: 'x' }]);
    const b = { name: 'B', problem: row(5, 5), suppressed: ['x', 'y'], unsafe: [], width: 3 };
    await expect(linkedAudit([{ ...a, suppressed: ['x', 'y'] }, b], [{ a: 'A', b: 'B', distance: 1, cells: same }])).rejects.toThrow(/does not hold/);
  });

  it('property: every interval holds the true count and is never wider than the publication alone allows', async () => {
    // Two releases of a 3 × 2 table with margins; B differs from A by `changes` persons moved or added.
    const table = (c: number[]): Problem => {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      const cells = ids.map((id, i) => ({ id, count: c[i] }));
      const r1 = c[0] + c[1], r2 = c[2] + c[3], r3 = c[4] + c[5];
      const k1 = c[0] + c[2] + c[4], k2 = c[1] + c[3] + c[5];
      return {
        cells: [...cells, { id: 'r1', count: r1 }, { id: 'r2', count: r2 }, { id: 'r3', count: r3 }, { id: 'k1', count: k1 }, { id: 'k2', count: k2 }, { id: 't', count: r1 + r2 + r3 }],
        relations: [
          { kind: 'sum', total: 'r1', parts: ['a', 'b'] },
          { kind: 'sum', total: 'r2', parts: ['c', 'd'] },
          { kind: 'sum', total: 'r3', parts: ['e', 'f'] },
          { kind: 'sum', total: 'k1', parts: ['a', 'c', 'e'] },
          { kind: 'sum', total: 'k2', parts: ['b', 'd', 'f'] },
          { kind: 'sum', total: 't', parts: ['r1', 'r2', 'r3'] },
        ],
      };
    };
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'r1', 'r2', 'r3', 'k1', 'k2', 't'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 }),
        async (countsA, added, hiddenA, hiddenB) => {
          const countsB = [...countsA];
          for (const k of added) countsB[k]++;
          const A = { name: 'A', problem: table(countsA), suppressed: hiddenA, unsafe: hiddenA, width: 0 };
          const B = { name: 'B', problem: table(countsB), suppressed: hiddenB, unsafe: hiddenB, width: 0 };
          const linked = await linkedAudit([A, B], [{ a: 'A', b: 'B', distance: added.length, cells: ids.map((id) => [id, id] as const) }]);
          const aloneA = await audit(A.problem, hiddenA, { width: 0, unsafe: hiddenA });
          for (const c of linked.cells) {
            expect(c.lo).toBeLessThanOrEqual(c.count);
            expect(c.hi).toBeGreaterThanOrEqual(c.count);
            if (c.publication !== 'A') continue;
            const alone = aloneA.cells.find((x) => x.id === c.id)!;
            expect(c.lo).toBeGreaterThanOrEqual(alone.lo);
            expect(c.hi).toBeLessThanOrEqual(alone.hi);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
