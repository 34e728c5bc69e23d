// Protecting a problem under a policy: the primary rules, secondary suppression by the exact or
// the fast method, and the attacker's audit of the result, all in one answer.
import { auditIndexed, type Audit } from './audit.ts';
import { exactSuppression } from './exact.ts';
import { fastSuppression, repair } from './fast.ts';
import { highs } from './lp.ts';
import { costs, isExact, policyOf, primaryCells, type Policy, type PrimaryReason } from './policy.ts';
import { indexProblem, type Problem } from './problem.ts';

export type CellStatus = 'safe' | 'primary' | 'secondary' | 'exact_by_decision';

export type ProtectOptions = {
  /** 'auto' (default): exact up to `exactLimit` cells, fast above. */
  method?: 'auto' | 'exact' | 'fast';
  exactLimit?: number;
  /** Cells unsafe for a reason the caller knows (e.g. a reference tool's manual rule). */
  unsafe?: Iterable<string>;
  /** Seconds for one exact master problem. */
  timeLimit?: number;
  /** Seconds the fast method may spend publishing unneeded secondary cells again (default 60). */
  pruneSeconds?: number;
};

export type Protection = {
  policy: Policy;
  method: 'exact' | 'fast';
  /** Whether the exact method proved its suppression the cheapest. */
  optimal: boolean;
  status: Record<string, CellStatus>;
  /** Why each primary cell is unsafe. */
  reasons: Record<string, PrimaryReason>;
  loss: { cells: number; persons: number; primary: number; secondary: number };
  audit: Audit;
  seconds: { protect: number; audit: number };
  /** What the method did: exact — rounds of cuts and cuts added; fast — cells added by the repair and published again by pruning, and the time of each step. */
  detail: Record<string, number>;
};

export const EXACT_LIMIT = 1000;

export async function protect(problem: Problem, policy: Partial<Policy> = {}, options: ProtectOptions = {}): Promise<Protection> {
  const pol = policyOf(policy);
  const x = indexProblem(problem);
  const primary = primaryCells(problem, x, pol, options.unsafe);
  const unsafe = new Set(primary.keys());
  const fixed = Uint8Array.from({ length: x.n }, (_, i) => (isExact(x, i, pol) ? 1 : 0));
  const cost = costs(x, pol);
  const method = options.method === 'exact' || (options.method !== 'fast' && x.n <= (options.exactLimit ?? EXACT_LIMIT)) ? 'exact' : 'fast';
  const t0 = performance.now();
  let suppressed: Uint8Array;
  let optimal = false;
  let detail: Record<string, number>;
  if (method === 'exact') {
    const r = await exactSuppression(x, unsafe, fixed, cost, pol.width, { timeLimit: options.timeLimit });
    suppressed = r.suppressed;
    optimal = r.optimal;
    detail = { rounds: r.rounds, cuts: r.cuts };
    // Only when the master was stopped early can its pattern still fail; the repair then finishes it.
    if (!optimal) detail.repaired = await repair(x, unsafe, fixed, cost, pol.width, suppressed);
  } else {
    const r = await fastSuppression(x, unsafe, fixed, cost, pol.width, { pruneSeconds: options.pruneSeconds });
    suppressed = r.suppressed;
    detail = { repaired: r.repaired, pruned: r.pruned, eliminationSeconds: r.seconds.elimination, repairSeconds: r.seconds.repair, pruneSeconds: r.seconds.prune };
  }
  const t1 = performance.now();
  const audit = auditIndexed(await highs(), x, suppressed, unsafe, pol.width);
  const t2 = performance.now();

  const status: Record<string, CellStatus> = {};
  const reasons: Record<string, PrimaryReason> = {};
  const loss = { cells: 0, persons: 0, primary: 0, secondary: 0 };
  for (let i = 0; i < x.n; i++) {
    const id = x.ids[i];
    status[id] = fixed[i] ? 'exact_by_decision' : unsafe.has(i) ? 'primary' : suppressed[i] ? 'secondary' : 'safe';
    if (unsafe.has(i)) reasons[id] = primary.get(i)!;
    if (suppressed[i]) {
      loss.cells++;
      loss.persons += x.persons[i];
      if (unsafe.has(i)) loss.primary++;
      else loss.secondary++;
    }
  }
  return { policy: pol, method, optimal, status, reasons, loss, audit, seconds: { protect: (t1 - t0) / 1000, audit: (t2 - t1) / 1000 }, detail };
}
