// Properties of the disclosure core on random table sets: what protect returns always passes the
// attacker's audit, suppresses every unsafe cell, gives a shared cell one status, and the exact
// method is never worse than the fast one; the audit agrees with brute force; the cuts the exact
// method adds never cut off a protecting pattern.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit, protect, ProblemError, type Problem } from '../../src/disclosure/index.ts';
import { intervals } from '../../src/disclosure/audit.ts';
import { capOf } from '../../src/disclosure/exact.ts';
import { highs, protectionCut } from '../../src/disclosure/lp.ts';
import { costs, policyOf, primaryCells } from '../../src/disclosure/policy.ts';
import { indexProblem } from '../../src/disclosure/problem.ts';
import { cellId, tableWithMargins, TOTAL, twoWay } from '../support/sdc-tables.ts';

/**
 * Two tables of the same persons, region × form (A) and region × sex (B), read off one random
 * cube: they share the region totals and the grand total, which are one cell each. A's rows
 * are groups over a sensitive dimension (form).
 */
function twoTables(cube: number[][][]): Problem {
  const R = cube.length;
  const F = cube[0].length;
  const S = cube[0][0].length;
  const regions = Array.from({ length: R }, (_, i) => `r${i}`);
  const forms = Array.from({ length: F }, (_, i) => `f${i}`);
  const sexes = Array.from({ length: S }, (_, i) => `s${i}`);
  const at = (codes: readonly string[], list: string[]) => list.indexOf(codes[1]);
  const a = tableWithMargins('A', [regions, forms], (c) => cube[regions.indexOf(c[0])][at(c, forms)].reduce((x, y) => x + y, 0));
  const b = tableWithMargins('B', [regions, sexes], (c) => cube[regions.indexOf(c[0])].reduce((x, row) => x + row[at(c, sexes)], 0));
  // B's margins over sex are A's margins over form: the same persons, one cell.
  const shared = (id: string) => (id.startsWith('B:') && id.endsWith(`|${TOTAL}`) ? `A:${id.slice(2)}` : id);
  const cells = [...a.cells.map((c) => (b.cells.some((d) => shared(d.id) === c.id) ? { ...c, tables: ['A', 'B'] } : c)), ...b.cells.filter((c) => shared(c.id) === c.id)];
  const relations = [...a.relations, ...b.relations].map((r) => ({ ...r, total: shared(r.total), parts: r.parts.map(shared) }));
  return { cells, relations, groups: regions.map((r) => ({ cells: forms.map((f) => cellId('A', [r, f])) })) };
}

const arbCube = (maxR: number, maxF: number) =>
  fc
    .record({ R: fc.integer({ min: 2, max: maxR }), F: fc.integer({ min: 2, max: maxF }), S: fc.integer({ min: 2, max: 2 }) })
    .chain(({ R, F, S }) => fc.array(fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: S, maxLength: S }), { minLength: F, maxLength: F }), { minLength: R, maxLength: R }));

const lossKey = (p: { loss: { persons: number; cells: number } }) => p.loss.persons * 1e6 + p.loss.cells;

describe('protect on random two-table sets', () => {
  it('both methods: the audit passes, every unsafe cell is suppressed, no published count of 1 or 2, one status per cell', async () => {
    await fc.assert(
      fc.asyncProperty(arbCube(3, 3), async (cube) => {
        const problem = twoTables(cube);
        for (const method of ['fast', 'exact'] as const) {
          const p = await protect(problem, {}, { method });
          expect(p.audit.passed).toBe(true);
          expect(Object.keys(p.status).sort()).toEqual(problem.cells.map((c) => c.id).sort());
          const suppressed = new Set(p.audit.cells.map((c) => c.id));
          for (const c of problem.cells) {
            if (p.status[c.id] === 'primary' || p.status[c.id] === 'secondary') expect(suppressed.has(c.id)).toBe(true);
            else expect(suppressed.has(c.id)).toBe(false);
            if (c.count === 1 || c.count === 2) expect(p.status[c.id]).toBe('primary');
          }
          for (const c of p.audit.cells) {
            expect(c.lo).toBeLessThanOrEqual(c.count);
            expect(c.hi).toBeGreaterThanOrEqual(c.count);
            if (c.unsafe) expect(c.hi - c.lo).toBeGreaterThanOrEqual(3);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('the exact method is never worse than the fast one (it is optimal)', async () => {
    await fc.assert(
      fc.asyncProperty(arbCube(3, 3), fc.constantFrom<'persons' | 'cells'>('persons', 'cells'), async (cube, cost) => {
        const problem = twoTables(cube);
        // Time enough to finish (the default deadline is wall time, which a loaded machine can reach).
        const exact = await protect(problem, { cost }, { method: 'exact', deadlineSeconds: 600 });
        const fast = await protect(problem, { cost }, { method: 'fast' });
        expect(exact.optimal).toBe(true);
        if (cost === 'persons') expect(lossKey(exact)).toBeLessThanOrEqual(lossKey(fast));
        else expect(exact.loss.cells * 1e6 + exact.loss.persons).toBeLessThanOrEqual(fast.loss.cells * 1e6 + fast.loss.persons);
      }),
      { numRuns: 12 },
    );
  });

  it('an exactly published table is never suppressed; what it gives away cannot be protected by any suppression', async () => {
    await fc.assert(
      fc.asyncProperty(arbCube(3, 2), async (cube) => {
        const problem = twoTables(cube);
        const policy = { exact: { B: 'the sexes are public anyway' } };
        const p = await protect(problem, policy, { method: 'fast' });
        const suppressed = new Set(p.audit.cells.map((c) => c.id));
        for (const c of problem.cells)
          if (c.tables?.includes('B')) {
            expect(p.status[c.id]).toBe('exact_by_decision');
            expect(suppressed.has(c.id)).toBe(false);
          }
        if (p.audit.passed) return;
        // The repair gave up only where suppressing every other cell would not help either.
        const all = problem.cells.filter((c) => p.status[c.id] !== 'exact_by_decision').map((c) => c.id);
        const unsafe = Object.keys(p.reasons);
        const most = await audit(problem, all, { width: 3, unsafe });
        for (const id of p.audit.failing) expect(most.failing).toContain(id);
      }),
      { numRuns: 10 },
    );
  });
});

describe('the attacker’s audit', () => {
  it('equals the brute-force integer range on a 2×2 table with margins (an LP of a two-way table has integer vertices)', async () => {
    const arb = fc.record({
      inner: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
      mask: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ inner, mask }) => {
        const t = twoWay('t', ['a', 'b'], ['x', 'y'], inner);
        const suppressed = t.cells.filter((_, k) => mask[k]).map((c) => c.id);
        const a = await audit(t, suppressed, { width: 0 });
        // Every 2×2 table of inner values 0…L agreeing with the published cells (cells in twoWay's order).
        const L = 15;
        const values = (m: number[]) => [m[0], m[1], m[0] + m[1], m[2], m[3], m[2] + m[3], m[0] + m[2], m[1] + m[3], m[0] + m[1] + m[2] + m[3]];
        const truth = values(inner.flat());
        expect(t.cells.map((c) => c.count)).toEqual(truth);
        const lo = Array(9).fill(Infinity);
        const hi = Array(9).fill(-Infinity);
        for (let v = 0; v < (L + 1) ** 4; v++) {
          const y = values([v % (L + 1), Math.floor(v / (L + 1)) % (L + 1), Math.floor(v / (L + 1) ** 2) % (L + 1), Math.floor(v / (L + 1) ** 3)]);
          if (!y.every((value, k) => mask[k] || value === truth[k])) continue;
          y.forEach((value, k) => ((lo[k] = Math.min(lo[k], value)), (hi[k] = Math.max(hi[k], value))));
        }
        for (const c of a.cells) {
          const k = t.cells.findIndex((x) => x.id === c.id);
          expect(c.lo, c.id).toBe(lo[k]);
          // An inner value at the enumeration's limit may go further: the audit's bound is then at least as far.
          if (hi[k] < L) expect(c.hi, c.id).toBe(hi[k]);
          else expect(c.hi).toBeGreaterThanOrEqual(hi[k]);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a certified interval (large parts) lies within the exact one, and certifies only what passes', async () => {
    const h = await highs();
    await fc.assert(
      fc.asyncProperty(arbCube(3, 3), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), async (cube, bits) => {
        const problem = twoTables(cube);
        const x = indexProblem(problem);
        const s = Uint8Array.from({ length: x.n }, (_, i) => (bits[i % bits.length] ? 1 : 0));
        const targets = [...Array(x.n).keys()].filter((i) => s[i]);
        const exact = intervals(h, x, s, targets);
        const certified = intervals(h, x, s, targets, 3, 0);
        for (const i of targets) {
          const e = exact.get(i)!;
          const c = certified.get(i)!;
          expect(e.exact).toBe(true);
          expect(c.lo).toBeGreaterThanOrEqual(e.lo);
          expect(c.hi).toBeLessThanOrEqual(e.hi);
          if (!c.exact) expect(c.hi - c.lo).toBeGreaterThanOrEqual(3);
          else expect(c).toEqual(e);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('the cut of a failing pattern bounds the interval width of every other pattern (valid duals)', async () => {
    const h = await highs();
    await fc.assert(
      fc.asyncProperty(arbCube(3, 3), fc.array(fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), { minLength: 4, maxLength: 4 }), async (cube, patterns) => {
        const problem = twoTables(cube);
        const x = indexProblem(problem);
        const policy = policyOf({});
        const unsafe = [...primaryCells(problem, x, policy).keys()];
        if (!unsafe.length) return;
        const p = unsafe[0];
        const cap = capOf(x, policy.width);
        const s0 = new Uint8Array(x.n);
        for (const u of unsafe) s0[u] = 1;
        const cut = protectionCut(h, x, s0, p, policy.width, cap);
        const k = policy.width - cut.rhs;
        for (const bits of patterns) {
          const s = Uint8Array.from({ length: x.n }, (_, i) => (bits[i % bits.length] || i === p ? 1 : 0));
          const bound = [...cut.coef].reduce((t, [i, v]) => t + (s[i] ? v : 0), k);
          const w = protectionCut(h, x, s, p, policy.width, cap).lpWidth;
          expect(w).toBeLessThanOrEqual(bound + 1e-6);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('primary rules and the policy', () => {
  const row = (counts: number[], extra: Partial<Problem> = {}): Problem => {
    const t = twoWay('t', ['r'], counts.map((_, i) => `c${i}`), [counts]);
    return { ...t, groups: [{ cells: counts.map((_, i) => `t:r|c${i}`) }], ...extra };
  };
  const reasons = (problem: Problem, policy = {}) => {
    const x = indexProblem(problem);
    // Inner cells only: the margins follow the same rule and are checked in the protect properties.
    return Object.fromEntries([...primaryCells(problem, x, policyOf(policy))].filter(([i]) => !x.ids[i].includes('T')).map(([i, r]) => [x.ids[i], r]));
  };

  it('threshold: 1 … n−1 unsafe, zeros only when protected', () => {
    expect(reasons(twoWay('t', ['r'], ['a', 'b', 'c', 'd'], [[0, 1, 2, 3]]))).toEqual({ 't:r|b': 'threshold', 't:r|c': 'threshold' });
    expect(reasons(twoWay('t', ['r'], ['a', 'b'], [[0, 5]]), { protectZeros: true })).toEqual({ 't:r|a': 'zero' });
    expect(reasons(twoWay('t', ['r'], ['a', 'b'], [[0, 5]]))).toEqual({});
    expect(reasons(twoWay('t', ['r'], ['a', 'b'], [[4, 5]]), { threshold: 5 })).toEqual({ 't:r|a': 'threshold' });
  });

  it('group disclosure: every person (≥ 2) of a row in one cell of the sensitive dimension', () => {
    expect(reasons(row([0, 7, 0]))).toEqual({ 't:r|c1': 'group' });
    expect(reasons(row([0, 2, 0]))).toEqual({ 't:r|c1': 'threshold' });
    expect(reasons(row([1, 6, 0]))).toEqual({ 't:r|c0': 'threshold' });
    expect(reasons(row([0, 7, 0]), { exact: { t: 'published by law' } })).toEqual({});
  });

  it('protect hides a group-disclosed cell with an interval of the width', async () => {
    const problem: Problem = {
      ...tableWithMargins('t', [['r1', 'r2'], ['c0', 'c1', 'c2']], ([r, c]) => (r === 'r1' ? [0, 7, 0] : [4, 5, 6])[Number(c.slice(1))]),
      groups: [{ cells: ['t:r1|c0', 't:r1|c1', 't:r1|c2'] }],
    };
    const p = await protect(problem);
    expect(p.reasons).toEqual({ 't:r1|c1': 'group' });
    expect(p.audit.passed).toBe(true);
    const c = p.audit.cells.find((x) => x.id === 't:r1|c1')!;
    expect(c.hi - c.lo).toBeGreaterThanOrEqual(3);
  });

  it('a policy needs sane figures and a reason for every exact table', () => {
    expect(() => policyOf({ threshold: 0 })).toThrow(/threshold/);
    expect(() => policyOf({ width: -1 })).toThrow(/width/);
    expect(() => policyOf({ exact: { trend: ' ' } })).toThrow(/reason/);
    expect(policyOf({})).toEqual({ threshold: 3, protectZeros: false, width: 3, cost: 'persons', exact: {} });
  });

  it('a problem whose relations do not hold on its counts, or name unknown cells, is refused', () => {
    expect(() => indexProblem({ cells: [{ id: 'a', count: 1 }, { id: 't', count: 3 }], relations: [{ kind: 'sum', total: 't', parts: ['a'] }] })).toThrow(ProblemError);
    expect(() => indexProblem({ cells: [{ id: 'a', count: 1 }], relations: [{ kind: 'sum', total: 't', parts: ['a'] }] })).toThrow(/unknown cell t/);
    expect(() => indexProblem({ cells: [{ id: 'a', count: 4 }, { id: 'b', count: 3 }], relations: [{ kind: 'at_most', total: 'b', parts: ['a'] }] })).toThrow(ProblemError);
  });

  it('costs: persons first, or cells first', () => {
    const x = indexProblem({ cells: [{ id: 'a', count: 0 }, { id: 'b', count: 5 }, { id: 'c', count: 1, persons: 9 }], relations: [] });
    expect([...costs(x, policyOf({}))]).toEqual([1, 21, 37]);
    expect([...costs(x, policyOf({ cost: 'cells' }))]).toEqual([15, 20, 24]);
  });

  it('an at_most relation is part of what the attacker knows', async () => {
    // b ≤ a (a subset of a's persons): with a published as 4, a suppressed b of 3 is at most 4.
    const problem: Problem = { cells: [{ id: 'a', count: 4 }, { id: 'b', count: 3 }], relations: [{ kind: 'at_most', total: 'a', parts: ['b'] }] };
    const a = await audit(problem, ['b'], { width: 3 });
    expect(a.cells.map((c) => [c.lo, c.hi])).toEqual([[0, 4]]);
    const free = await audit({ ...problem, relations: [] }, ['b'], { width: 3 });
    expect(free.cells[0].hi).toBe(Infinity);
  });
});
