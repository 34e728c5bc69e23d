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
//    add the no-good cut "suppress at least one more cell" (valid: a subset of a failing pattern
//    fails too).
// 4. Repeat until every unsafe cell passes. Each cut removes only failing patterns, so the first
//    master optimum that passes is the optimum of the whole problem (under the cap, which is
//    larger than any cell of a table with a published grand total).
// The master grows by at most one cut per unsafe cell and round; the tables the report publishes
// need a handful of rounds. Meant for up to about 1,000 cells; the fast method covers larger sets.
import type { Highs } from 'highs';
import { highs, protectionCut } from './lp.ts';
import type { Indexed } from './problem.ts';

export type ExactResult = { suppressed: Uint8Array; rounds: number; cuts: number; optimal: boolean };

export type ExactOptions = {
  /** Seconds the solver may spend on one master problem before the best pattern found is used. */
  timeLimit?: number;
  /** Rounds of cuts before giving up on optimality (the caller then repairs the best pattern). */
  maxRounds?: number;
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
  // Costs are integers, so an absolute gap below 1 proves optimality.
  model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: options.timeLimit ?? 120 });
  const addCut = (coef: Map<number, number>, rhs: number) => {
    const entries = [...coef].filter(([i]) => !fixed[i]).sort((a, b) => a[0] - b[0]);
    // A coefficient above the right-hand side can be lowered to it: one such cell alone satisfies the cut.
    model.addRow(rhs, h.infinity, { indices: entries.map(([i]) => i), values: entries.map(([, v]) => Math.min(v, rhs)) });
  };
  try {
    let cuts = 0;
    for (const p of unsafe)
      for (const r of x.rowsOf[p]) {
        const row = x.rows[r];
        if (row.sense !== 'eq') continue;
        addCut(new Map([...row.cols].filter((j) => j !== p).map((j) => [j, 1])), 1);
        cuts++;
      }
    let optimal = true;
    const maxRounds = options.maxRounds ?? 200;
    for (let round = 1; ; round++) {
      model.run();
      const status = model.getModelStatus();
      if (status !== h.constants.modelStatus.optimal) {
        if (status !== h.constants.modelStatus.timeLimit) throw new Error(`suppression master ended with status ${status}`);
        optimal = false;
      }
      const value = model.getSolution().colValue;
      const s = Uint8Array.from(value, (v) => (v > 0.5 ? 1 : 0));
      let added = 0;
      for (const p of unsafe) {
        const cut = protectionCut(h, x, s, p, width, cap);
        if (cut.interval.hi - cut.interval.lo >= width) continue;
        const atPattern = [...cut.coef].reduce((t, [i, v]) => t + (s[i] ? Math.min(v, cut.rhs) : 0), 0);
        if (cut.rhs > 1e-6 && atPattern < cut.rhs - 1e-6) addCut(cut.coef, cut.rhs);
        else addCut(new Map([...Array(x.n).keys()].filter((i) => !s[i]).map((i) => [i, 1])), 1);
        added++;
      }
      cuts += added;
      if (!added) return { suppressed: s, rounds: round, cuts, optimal };
      if (round >= maxRounds) return { suppressed: s, rounds: round, cuts, optimal: false };
    }
  } finally {
    model.dispose();
  }
}
