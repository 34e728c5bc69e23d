// A release's disclosure policy and the primary rules it implies.
import type { Indexed, Problem } from './problem.ts';

export type Policy = {
  /** Counts 1 … threshold−1 are unsafe. */
  threshold: number;
  /** Whether a published 0 is unsafe too (it says "nobody of this kind"). */
  protectZeros: boolean;
  /** The smallest interval (max − min, integers) an attacker may derive for a suppressed unsafe cell. */
  width: number;
  /** What suppression costs: the persons in suppressed cells, or the number of cells. */
  cost: 'persons' | 'cells';
  /** Tables published exactly, each with the statistician's written reason. */
  exact: Readonly<Record<string, string>>;
};

export const defaultPolicy: Policy = { threshold: 3, protectZeros: false, width: 3, cost: 'persons', exact: {} };

export function policyOf(p: Partial<Policy> = {}): Policy {
  const policy = { ...defaultPolicy, ...p };
  if (!Number.isInteger(policy.threshold) || policy.threshold < 1) throw new RangeError('threshold must be an integer ≥ 1');
  if (!Number.isInteger(policy.width) || policy.width < 0) throw new RangeError('width must be an integer ≥ 0');
  for (const [table, reason] of Object.entries(policy.exact)) if (!reason.trim()) throw new RangeError(`exact table ${table} needs a reason`);
  return policy;
}

export type PrimaryReason = 'threshold' | 'zero' | 'group' | 'manual';

/** True when the policy publishes one of the cell's tables exactly: such a cell is never unsafe nor suppressed. */
export const isExact = (x: Indexed, i: number, policy: Policy) => x.tables[i].some((t) => Object.hasOwn(policy.exact, t));

/**
 * The unsafe cells and why: a count 1 … threshold−1; a zero when zeros are protected; the one
 * cell holding every person (two or more) of a group over a sensitive dimension; and any the
 * caller names (`manual`). Cells of exactly published tables are left out.
 */
export function primaryCells(problem: Problem, x: Indexed, policy: Policy, manual: Iterable<string> = []): Map<number, PrimaryReason> {
  const out = new Map<number, PrimaryReason>();
  for (let i = 0; i < x.n; i++) {
    if (isExact(x, i, policy)) continue;
    const k = x.count[i];
    if (k >= 1 && k < policy.threshold) out.set(i, 'threshold');
    else if (k === 0 && policy.protectZeros) out.set(i, 'zero');
  }
  for (const g of problem.groups ?? []) {
    const cells = g.cells.map((id) => {
      const i = x.index.get(id);
      if (i === undefined) throw new RangeError(`group names an unknown cell ${id}`);
      return i;
    });
    const nonzero = cells.filter((i) => x.count[i] > 0);
    const persons = cells.reduce((s, i) => s + x.count[i], 0);
    if (nonzero.length === 1 && persons >= 2 && !isExact(x, nonzero[0], policy) && !out.has(nonzero[0])) out.set(nonzero[0], 'group');
  }
  for (const id of manual) {
    const i = x.index.get(id);
    if (i === undefined) throw new RangeError(`unknown cell ${id}`);
    if (!isExact(x, i, policy) && !out.has(i)) out.set(i, 'manual');
  }
  return out;
}

/**
 * The cost of suppressing each cell, as integers so the solver can prove optimality: persons
 * first and one per cell to break ties (a suppressed zero is not free), or cells first and persons
 * to break ties.
 */
export function costs(x: Indexed, policy: Policy): Float64Array {
  const c = new Float64Array(x.n);
  const totalPersons = x.persons.reduce((s, v) => s + v, 0);
  for (let i = 0; i < x.n; i++) c[i] = policy.cost === 'persons' ? x.persons[i] * (x.n + 1) + 1 : (totalPersons + 1) + x.persons[i];
  return c;
}
