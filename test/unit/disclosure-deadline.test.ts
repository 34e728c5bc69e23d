// The exact method's deadline and the choice of method: an exact run stopped early still returns
// a pattern that passes the attacker's audit, never costlier than the fast method's, and 'auto'
// takes the exact method up to the limit of cells and the fast one above it.
import { describe, expect, it } from 'vitest';
import { audit, protect, type Problem, type Protection } from '../../src/disclosure/index.ts';
import { EXACT_LIMIT, methodFor } from '../../src/disclosure/protect.ts';
import { cellId, tableWithMargins } from '../support/sdc-tables.ts';

/**
 * A 4 × 3 × 3 table with every margin (80 cells), mostly 0s, 1s and 2s: many unsafe cells that
 * need each other; the exact method needs several rounds of cuts for it (6 here).
 */
const inner = [2, 3, 1, 0, 0, 0, 0, 2, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 2, 1, 0, 2, 1, 0, 3, 0, 3, 2, 1, 1, 0, 0, 2, 0, 2, 4];
const dims = [['a0', 'a1', 'a2', 'a3'], ['b0', 'b1', 'b2'], ['c0', 'c1', 'c2']];
const problem: Problem = tableWithMargins('t', dims, ([a, b, c]) => inner[(dims[0].indexOf(a) * 3 + dims[1].indexOf(b)) * 3 + dims[2].indexOf(c)]);

const personsCost = (p: Protection) => problem.cells.reduce((t, c) => t + (p.status[c.id] === 'primary' || p.status[c.id] === 'secondary' ? c.count : 0), 0);

/** The audit of what protect returned, run again from the statuses alone. */
async function reaudit(p: Protection) {
  const suppressed = problem.cells.filter((c) => p.status[c.id] === 'primary' || p.status[c.id] === 'secondary').map((c) => c.id);
  const unsafe = problem.cells.filter((c) => p.status[c.id] === 'primary').map((c) => c.id);
  return audit(problem, suppressed, { width: p.policy.width, unsafe });
}

describe('the exact method under a deadline', { timeout: 180_000 }, () => {
  it('stopped at once, returns a repaired pattern that passes the audit, no costlier than the fast one', async () => {
    // The prunings get the same time as the fast method alone (by default they get the deadline).
    const stopped = await protect(problem, {}, { method: 'exact', deadlineSeconds: 0, pruneSeconds: 60 });
    const fast = await protect(problem, {}, { method: 'fast', pruneSeconds: 60 });
    expect(stopped.optimal).toBe(false);
    expect(stopped.detail.deadline).toBe(1);
    expect(stopped.audit.passed).toBe(true);
    expect((await reaudit(stopped)).passed).toBe(true);
    // Every unsafe cell is suppressed.
    expect(stopped.loss.primary).toBeGreaterThan(3);
    expect(problem.cells.filter((c) => c.count === 1 || c.count === 2).every((c) => stopped.status[c.id] === 'primary')).toBe(true);
    // The cheaper candidate is kept, and the method says whose pattern it is.
    expect(stopped.method).toBe(stopped.detail.fastCost < stopped.detail.exactCost ? 'fast' : 'exact');
    expect(Math.min(stopped.detail.exactCost, stopped.detail.fastCost)).toBeLessThanOrEqual(stopped.detail.fastCost);
    expect(personsCost(stopped)).toBeLessThanOrEqual(personsCost(fast));
    expect(stopped.loss.persons).toBe(personsCost(stopped));
  });

  it('a limit of one round is handled as the deadline', async () => {
    const p = await protect(problem, {}, { method: 'exact', maxRounds: 1 });
    // One round cannot prove this table: its first pattern leaves unsafe cells narrow.
    expect(p.optimal).toBe(false);
    expect(p.detail.rounds).toBe(1);
    expect(p.detail.deadline).toBe(1);
    expect(p.audit.passed).toBe(true);
    expect((await reaudit(p)).passed).toBe(true);
  });

  it('given time, proves its pattern optimal: no costlier than the one stopped early nor the fast one', async () => {
    const full = await protect(problem, {}, { method: 'exact', deadlineSeconds: 600 });
    const stopped = await protect(problem, {}, { method: 'exact', deadlineSeconds: 0, pruneSeconds: 60 });
    const fast = await protect(problem, {}, { method: 'fast', pruneSeconds: 60 });
    expect(full.method).toBe('exact');
    expect(full.optimal).toBe(true);
    expect(full.detail.deadline).toBeUndefined();
    expect(full.audit.passed).toBe(true);
    expect(personsCost(full)).toBeLessThanOrEqual(personsCost(stopped));
    expect(personsCost(full)).toBeLessThanOrEqual(personsCost(fast));
  });
});

describe("'auto'", { timeout: 180_000 }, () => {
  it('picks the exact method up to the limit of cells and the fast one above', () => {
    expect(methodFor(EXACT_LIMIT)).toBe('exact');
    expect(methodFor(EXACT_LIMIT + 1)).toBe('fast');
    expect(methodFor(1)).toBe('exact');
    expect(methodFor(50, { exactLimit: 49 })).toBe('fast');
    expect(methodFor(50, { exactLimit: 50 })).toBe('exact');
    // An explicit method is taken whatever the size.
    expect(methodFor(EXACT_LIMIT + 1, { method: 'exact' })).toBe('exact');
    expect(methodFor(1, { method: 'fast' })).toBe('fast');
  });

  it('protect runs the exact method at the limit and the fast one just above it', async () => {
    const n = problem.cells.length;
    expect(n).toBe(80);
    const at = await protect(problem, {}, { exactLimit: n });
    const above = await protect(problem, {}, { exactLimit: n - 1 });
    // Only the exact method counts rounds of cuts; only the fast one eliminates.
    expect(at.detail.rounds).toBeGreaterThanOrEqual(1);
    expect(above.method).toBe('fast');
    expect(above.detail.rounds).toBeUndefined();
    expect(above.detail.eliminationSeconds).toBeGreaterThanOrEqual(0);
    expect(at.audit.passed && above.audit.passed).toBe(true);
    expect(at.status[cellId('t', ['a0', 'b0', 'c0'])]).toBe('primary');
  });
});
