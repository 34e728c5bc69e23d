// The exact secondary suppression: the cheapest set of cells to suppress such that every unsafe
// cell keeps an attacker's interval of at least the policy's width, proven optimal by HiGHS.
//
// Method (Fischetti and Salazar's cut generation, solved by re-optimising a small master):
// 1. The master is a 0/1 program over the cells: s_i = 1 when cell i is suppressed, the unsafe
//    cells fixed to 1, exactly published cells to 0, minimising Σ cost_i·s_i. It starts with the
//    obvious constraints: in every equation holding an unsafe cell, at least one other cell is
//    suppressed (otherwise the equation gives the cell away).
// 2. Solve the master; for every unsafe cell p, solve the attacker's two LPs (max and min of p)
//    under that pattern, with each suppressed cell's deviation bounded by [−count, cap].
// 3. Where p's interval is narrower than the width, add the cut from the LPs' duals
//    (`protectionCut` in lp.ts): every protecting pattern satisfies it and the current one does
//    not. When the LP interval is wide enough but the integer one is not (a fractional vertex),
//    add the no-good cut "suppress at least one more of the published cells next to p's part of
//    suppressed cells" (valid: without one of them p's part can only shrink, and so its interval).
// 4. Repeat until every unsafe cell passes. Each cut removes only failing patterns, so the first
//    master optimum that passes is the optimum of the whole problem (under the cap, which is
//    larger than any cell of a table with a published grand total).
// Two things save rounds and time: the start also holds, for an unsafe cell below the width, the
// one-row bound "the cells that can make room for it to grow must hold at least width − count"
// (in a row, a same-signed cell can give at most its count, an opposite-signed one any amount),
// which a pair of suppressed 1s under a published total violates; and a cell whose connected part
// of suppressed cells is one it already passed with is not solved again (its LPs are the same).
// On a sparse report of 20–40 cases these took the rounds from 43–49 to 11–15. Where the
// relations are inequalities (a person counted in several industries), the cuts stay weak: the
// master can swap one empty cell for another round after round.
// The master grows by at most one cut per unsafe cell and round. Sparse table sets (a few dozen
// persons over many cells) can need dozens of rounds, so the method takes a deadline: when it is
// reached, it returns the last master pattern (not yet protecting, and no more costly than the
// optimum) with `optimal: false`, for the caller to repair (see protect.ts). Meant for up to about
// 1,000 cells; the fast method covers larger sets.
import type { Highs } from 'highs';
import { component, highs, neighbours, protectionCut } from './lp.ts';
import type { Indexed } from './problem.ts';

/** `stopped`: why the rounds ended — every unsafe cell passed (`optimal` when each master was solved to optimality), or a limit was reached. */
export type ExactResult = {
  suppressed: Uint8Array;
  rounds: number;
  cuts: number;
  optimal: boolean;
  stopped: 'passed' | 'deadline' | 'rounds';
  seconds: { master: number; cuts: number };
};

export type ExactOptions = {
  /** Seconds the solver may spend on one master problem before the best pattern found is used (default 120). */
  timeLimit?: number;
  /** Rounds of cuts before giving up on optimality (the caller then repairs the best pattern; default 200). */
  maxRounds?: number;
  /** Seconds for all rounds together (master problems and cuts), checked between master and cuts and before each cut. Default: none. */
  deadlineSeconds?: number;
};

/** The cap on a suppressed cell's upward deviation in the cut LPs: all the persons of every cell, plus the width. */
export const capOf = (x: Indexed, width: number) => x.count.reduce((s, v) => s + v, 0) + width + 1;

export async function exactSuppression(
  x: Indexed,
  unsafe: ReadonlySet<number>,
  fixed: Uint8Array,
  cost: Float64Array,
  width: number,
  options: ExactOptions = {},
): Promise<ExactResult> {
  const h: Highs = await highs();
  const start = performance.now();
  const deadline = start + (options.deadlineSeconds ?? Infinity) * 1000;
  const left = () => (deadline - performance.now()) / 1000;
  const cap = capOf(x, width);
  const model = h.createModel({
    numCols: x.n,
    numRows: 0,
    sense: h.constants.objectiveSense.minimize,
    colCost: cost,
    colLower: Float64Array.from({ length: x.n }, (_, i) => (unsafe.has(i) ? 1 : 0)),
    colUpper: Float64Array.from({ length: x.n }, (_, i) => (fixed[i] ? 0 : 1)),
    rowLower: [],
    rowUpper: [],
    matrix: { format: 'csr', numRows: 0, numCols: x.n, starts: [0], indices: [], values: [] },
    integrality: new Int32Array(x.n).fill(h.constants.variableType.integer),
  });
  const timeLimit = options.timeLimit ?? 120;
  // Costs are integers, so an absolute gap below 1 proves optimality.
  model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: timeLimit });
  const addCut = (coef: Map<number, number>, rhs: number) => {
    const entries = [...coef].filter(([i]) => !fixed[i]).sort((a, b) => a[0] - b[0]);
    // A coefficient above the right-hand side can be lowered to it: one such cell alone satisfies the cut.
    model.addRow(rhs, h.infinity, { indices: entries.map(([i]) => i), values: entries.map(([, v]) => Math.min(v, rhs)) });
  };
  const seconds = { master: 0, cuts: 0 };
  try {
    let cuts = 0;
    for (const p of unsafe)
      for (const r of x.rowsOf[p]) {
        const row = x.rows[r];
        if (row.sense !== 'eq') continue;
        addCut(new Map([...row.cols].filter((j) => j !== p).map((j) => [j, 1])), 1);
        cuts++;
        // One row alone: p can fall by its count at most, and rise by what the other suppressed
        // cells make room for (a same-signed cell its count, an opposite-signed one without bound).
        const k = row.cols.indexOf(p);
        const need = Math.abs(row.coef[k]) * (width - x.count[p]);
        if (need <= 0) continue;
        const room = new Map<number, number>();
        row.cols.forEach((j, m) => {
          if (j === p) return;
          const same = Math.sign(row.coef[m]) === Math.sign(row.coef[k]);
          room.set(j, same ? Math.abs(row.coef[m]) * x.count[j] : need);
        });
        if ([...room.values()].some((v) => v > 0)) {
          addCut(new Map([...room].filter(([, v]) => v > 0)), need);
          cuts++;
        }
      }
    let optimal = true;
    const maxRounds = options.maxRounds ?? 200;
    // The parts each unsafe cell passed with: the same part passes again without solving.
    const passedWith = new Map<number, Set<string>>();
    let last: Uint8Array | undefined;
    for (let round = 1; ; round++) {
      const t0 = performance.now();
      // Each master gets the time left (at least a moment: a pattern, even a poor one, is needed).
      model.options.set({ time_limit: Math.max(Math.min(timeLimit, left()), 0.01) });
      model.run();
      seconds.master += (performance.now() - t0) / 1000;
      const status = model.getModelStatus();
      if (status !== h.constants.modelStatus.optimal) {
        if (status !== h.constants.modelStatus.timeLimit) throw new Error(`suppression master ended with status ${status}`);
        optimal = false;
      }
      const feasible = Number(model.info.get('primal_solution_status')) === h.constants.solutionStatus.feasible;
      if (!feasible) {
        // Stopped before any pattern: the last round's, or the unsafe cells alone.
        const s = last ?? Uint8Array.from({ length: x.n }, (_, i) => (unsafe.has(i) ? 1 : 0));
        return { suppressed: s, rounds: round, cuts, optimal: false, stopped: 'deadline', seconds };
      }
      const s = Uint8Array.from(model.getSolution().colValue, (v) => (v > 0.5 ? 1 : 0));
      last = s;
      const t1 = performance.now();
      let added = 0;
      let outOfTime = false;
      for (const p of unsafe) {
        if (left() <= 0) {
          outOfTime = true;
          break;
        }
        const key = component(x, s, [p]).join(',');
        if (passedWith.get(p)?.has(key)) continue;
        const cut = protectionCut(h, x, s, p, width, cap);
        if (cut.interval.hi - cut.interval.lo >= width) {
          if (!passedWith.has(p)) passedWith.set(p, new Set());
          passedWith.get(p)!.add(key);
          continue;
        }
        const atPattern = [...cut.coef].reduce((t, [i, v]) => t + (s[i] ? Math.min(v, cut.rhs) : 0), 0);
        if (cut.rhs > 1e-6 && atPattern < cut.rhs - 1e-6) addCut(cut.coef, cut.rhs);
        // The LP interval suffices but not its integer rounding: suppress one more cell next to p's
        // part (a pattern adding none of them gives p a part within this one: no wider interval).
        else addCut(new Map(neighbours(x, s, component(x, s, [p])).map((i) => [i, 1])), 1);
        added++;
      }
      seconds.cuts += (performance.now() - t1) / 1000;
      cuts += added;
      if (!added && !outOfTime) return { suppressed: s, rounds: round, cuts, optimal, stopped: 'passed', seconds };
      if (outOfTime || left() <= 0) return { suppressed: s, rounds: round, cuts, optimal: false, stopped: 'deadline', seconds };
      if (round >= maxRounds) return { suppressed: s, rounds: round, cuts, optimal: false, stopped: 'rounds', seconds };
    }
  } finally {
    model.dispose();
  }
}
