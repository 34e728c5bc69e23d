// Protecting a problem under a policy: the primary rules, secondary suppression by the exact or
// the fast method, and the attacker's audit of the result, all in one answer.
import { auditIndexed, type Audit } from './audit.ts';
import { exactSuppression } from './exact.ts';
import { fastSuppression, prune, repair } from './fast.ts';
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
  /**
   * Seconds the exact method may spend in all (its master problems and cuts; default 8). When it
   * is reached, the last pattern is repaired and compared with the fast method's (see `protect`).
   */
  deadlineSeconds?: number;
  /** Rounds of cuts the exact method may take (default 200); reaching it is handled as the deadline. */
  maxRounds?: number;
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
  /**
   * What the method did: exact — rounds of cuts, cuts added, seconds in master problems and cuts,
   * and when it stopped early (`deadline` 1) the cells the repair added and the cost of both
   * candidates (`exactCost`, `fastCost`, in the policy's cost units); fast — cells added by the
   * repair and published again by pruning, and the time of each step.
   */
  detail: Record<string, number>;
};

export const EXACT_LIMIT = 1000;
/** Seconds the exact method gets unless told (see `protect`). */
export const EXACT_DEADLINE = 8;

/** The method `protect` uses: the one asked for, or under 'auto' exact up to `exactLimit` cells (inclusive) and fast above. */
export const methodFor = (cells: number, options: Pick<ProtectOptions, 'method' | 'exactLimit'> = {}): 'exact' | 'fast' =>
  options.method === 'exact' || (options.method !== 'fast' && cells <= (options.exactLimit ?? EXACT_LIMIT)) ? 'exact' : 'fast';

/** The pattern's cost under the policy (what both methods minimise). */
const costOf = (suppressed: Uint8Array, cost: Float64Array) => suppressed.reduce((t, v, i) => t + (v ? cost[i] : 0), 0);

/**
 * Protects a problem: the primary cells by the policy, then secondary suppression, then the
 * audit of exactly what is returned.
 *
 * The exact method runs for at most `deadlineSeconds` (8 s unless told). When it proves its
 * pattern the cheapest, that pattern is the answer (`optimal`). Otherwise — the deadline or the
 * round limit reached, or a master stopped by its time limit — its last pattern is finished by the
 * fast method's repair (which suppresses cells until the audit passes) and pruning (which
 * publishes again the cells the repair made unnecessary), the fast method is run as
 * well, and the cheaper of the two under the policy's cost is returned (the exact one on a tie),
 * with `method` saying which and `optimal` false. So the answer never costs more than the fast
 * method's, and a slow exact run costs at most the deadline plus two repairs, two prunings (each
 * at most `pruneSeconds`, by default the deadline) and one Gaussian elimination.
 */
export async function protect(problem: Problem, policy: Partial<Policy> = {}, options: ProtectOptions = {}): Promise<Protection> {
  const pol = policyOf(policy);
  const x = indexProblem(problem);
  const primary = primaryCells(problem, x, pol, options.unsafe);
  const unsafe = new Set(primary.keys());
  const fixed = Uint8Array.from({ length: x.n }, (_, i) => (isExact(x, i, pol) ? 1 : 0));
  const cost = costs(x, pol);
  let method = methodFor(x.n, options);
  const t0 = performance.now();
  let suppressed: Uint8Array;
  let optimal = false;
  let detail: Record<string, number>;
  const deadline = options.deadlineSeconds ?? EXACT_DEADLINE;
  const runFast = async (pruneSeconds = options.pruneSeconds) => {
    const r = await fastSuppression(x, unsafe, fixed, cost, pol.width, { pruneSeconds });
    return {
      suppressed: r.suppressed,
      detail: { repaired: r.repaired, pruned: r.pruned, eliminationSeconds: r.seconds.elimination, repairSeconds: r.seconds.repair, pruneSeconds: r.seconds.prune },
    };
  };
  if (method === 'exact') {
    const r = await exactSuppression(x, unsafe, fixed, cost, pol.width, {
      timeLimit: options.timeLimit,
      maxRounds: options.maxRounds,
      deadlineSeconds: deadline,
    });
    suppressed = r.suppressed;
    optimal = r.optimal && r.stopped === 'passed';
    detail = { rounds: r.rounds, cuts: r.cuts, masterSeconds: r.seconds.master, cutSeconds: r.seconds.cuts };
    if (!optimal) {
      // Stopped early: the repair finishes the last pattern (a no-op when it already passes), the
      // pruning publishes again what the repair made unnecessary, and the fast method's pattern is
      // taken instead when it is cheaper.
      detail.deadline = r.stopped === 'passed' ? 0 : 1;
      detail.repaired = await repair(x, unsafe, fixed, cost, pol.width, suppressed);
      // The repair adds cells one at a time: publish again those the pattern no longer needs.
      // Both prunings get the deadline (unless told), so a run stopped early stays bounded.
      const pruneSeconds = options.pruneSeconds ?? deadline;
      detail.pruned = await prune(x, unsafe, cost, pol.width, suppressed, pruneSeconds);
      const fast = await runFast(pruneSeconds);
      detail.exactCost = costOf(suppressed, cost);
      detail.fastCost = costOf(fast.suppressed, cost);
      if (detail.fastCost < detail.exactCost) {
        method = 'fast';
        suppressed = fast.suppressed;
        detail = { ...detail, ...Object.fromEntries(Object.entries(fast.detail).map(([k, v]) => [`fast_${k}`, v])) };
      }
    }
  } else {
    const r = await runFast();
    suppressed = r.suppressed;
    detail = r.detail;
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
