// The linear programs behind the audit and the protection cuts, solved with HiGHS (WebAssembly,
// loaded from the package's own file: no network). Every program is in deviation form: a
// variable z_i = y_i − count_i per cell it holds (the attacker's guess minus the truth), so the
// table's equations have right-hand side 0 and a published cell is simply z = 0.
import highsModule, { type Highs, type Model } from 'highs';
import type { Indexed } from './problem.ts';

// The package's types describe its CommonJS entry; under ESM the default export is the loader itself.
type Loader = () => Promise<Highs>;
const loader = highsModule as unknown as Loader | { default: Loader };
const loadHighs: Loader = typeof loader === 'function' ? loader : loader.default;

let loading: Promise<Highs> | undefined;
/** The solver, loaded once per process. */
export const highs = () => (loading ??= loadHighs());

const EPS = 1e-7;

/** Cells linked to `seeds` through rows by suppressed cells: the part of the table an attacker solves together. */
export function component(x: Indexed, suppressed: Uint8Array, seeds: Iterable<number>): number[] {
  const seen = new Set<number>();
  const stack = [...seeds];
  for (const s of stack) seen.add(s);
  while (stack.length) {
    const i = stack.pop()!;
    for (const r of x.rowsOf[i])
      for (const j of x.rows[r].cols)
        if (suppressed[j] && !seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
  }
  return [...seen].sort((a, b) => a - b);
}

/** Every published cell that shares a row with one of `cells`. */
export function neighbours(x: Indexed, suppressed: Uint8Array, cells: readonly number[]): number[] {
  const out = new Set<number>();
  for (const i of cells) for (const r of x.rowsOf[i]) for (const j of x.rows[r].cols) if (!suppressed[j]) out.add(j);
  return [...out].sort((a, b) => a - b);
}

/**
 * A persistent HiGHS model over `cols` (cell indices) with the given bounds on z, holding every
 * row that touches them, restricted to them (cells outside are published: z = 0).
 */
export class DeviationLp {
  readonly model: Model;
  readonly local = new Map<number, number>();
  private current = -1;
  constructor(
    private readonly h: Highs,
    x: Indexed,
    readonly cols: readonly number[],
    lower: Float64Array,
    upper: Float64Array,
  ) {
    cols.forEach((c, k) => this.local.set(c, k));
    const rowSet = new Set<number>();
    for (const c of cols) for (const r of x.rowsOf[c]) rowSet.add(r);
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    for (const r of [...rowSet].sort((a, b) => a - b)) {
      const row = x.rows[r];
      let act = 0;
      const entries: [number, number][] = [];
      for (let k = 0; k < row.cols.length; k++) {
        act += row.coef[k] * x.count[row.cols[k]];
        const l = this.local.get(row.cols[k]);
        if (l !== undefined) entries.push([l, row.coef[k]]);
      }
      entries.sort((a, b) => a[0] - b[0]);
      for (const [l, v] of entries) (indices.push(l), values.push(v));
      starts.push(indices.length);
      // Σ coef·(count + z) (=|≤|≥) 0  ⇔  Σ coef·z (=|≤|≥) −act; act is 0 for an equation.
      rowLower.push(row.sense === 'le' ? -h.infinity : -act);
      rowUpper.push(row.sense === 'ge' ? h.infinity : -act);
    }
    this.model = h.createModel({
      numCols: cols.length,
      numRows: rowLower.length,
      sense: h.constants.objectiveSense.maximize,
      colCost: new Float64Array(cols.length),
      colLower: lower,
      colUpper: upper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows: rowLower.length, numCols: cols.length, starts, indices, values },
    });
    // Primal simplex: after a change of objective the last basis is still feasible, so each new
    // cell starts from it (on a 4,000-cell part, 15 times fewer iterations than dual simplex).
    this.model.options.set({ output_flag: false, simplex_strategy: 4 });
  }

  /**
   * max of sign·z_cell; Infinity when unbounded. Always maximising keeps the reduced costs'
   * sign rule the same for both directions (positive at an upper bound, negative at a lower one).
   */
  maximise(cell: number, sign: 1 | -1): { value: number; dual?: Float64Array; primal?: Float64Array } {
    const k = this.local.get(cell)!;
    if (this.current >= 0 && this.current !== k) this.model.changeColCost(this.current, 0);
    this.model.changeColCost(k, sign);
    this.current = k;
    return this.run();
  }

  /** max of Σ weight·z over all its cells (a direction, for spreading the cells cheaply). */
  maximiseDirection(weights: Float64Array) {
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.cols.length - 1 }, weights);
    const out = this.run();
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.cols.length - 1 }, new Float64Array(this.cols.length));
    this.current = -1;
    return out;
  }

  private run(): { value: number; dual?: Float64Array; primal?: Float64Array } {
    this.model.run();
    const status = this.model.getModelStatus();
    if (status === this.h.constants.modelStatus.optimal) {
      const sol = this.model.getSolution();
      return { value: this.model.getObjectiveValue(), dual: sol.colDual, primal: sol.colValue };
    }
    if (status === this.h.constants.modelStatus.unbounded || status === this.h.constants.modelStatus.unboundedOrInfeasible) return { value: Infinity };
    throw new Error(`audit LP ended with status ${status}`);
  }

  dispose() {
    this.model.dispose();
  }
}

export type Interval = { lo: number; hi: number };

/** The attacker's interval of a cell from its LP range: integer bounds rounded inward. */
export const integerInterval = (count: number, zMin: number, zMax: number): Interval => ({
  lo: Math.ceil(count + zMin - EPS) + 0, // no −0
  hi: zMax === Infinity ? Infinity : Math.floor(count + zMax + EPS),
});

/**
 * How far a primary cell is from protection, and a cut that any protecting suppression must
 * satisfy. With the suppressed cells' deviations bounded by [−count, cap], LP duality gives,
 * for every suppression pattern s ∈ {0,1}ⁿ:
 *   max z_p − min z_p ≤ Σ_i (α_i·cap + β_i·count_i)·s_i + K
 * where α, β are the positive and negative parts of the reduced costs of the two LPs at the
 * current pattern and K collects the rows' part (0 for equations). The bound is tight at the
 * current pattern, so "Σ coef_i·s_i ≥ width − K" is violated by it exactly when the LP width is
 * below `width`, and holds for every pattern that protects p (Fischetti and Salazar's capacity
 * constraints). Cells beyond the neighbourhood have reduced cost 0 and do not appear.
 */
export function protectionCut(h: Highs, x: Indexed, suppressed: Uint8Array, p: number, width: number, cap: number) {
  const comp = component(x, suppressed, [p]);
  const cols = [...comp, ...neighbours(x, suppressed, comp)].sort((a, b) => a - b);
  const lower = Float64Array.from(cols, (c) => (suppressed[c] ? -x.count[c] : 0));
  const upper = Float64Array.from(cols, (c) => (suppressed[c] ? cap : 0));
  const lp = new DeviationLp(h, x, cols, lower, upper);
  try {
    const coef = new Map<number, number>();
    let k = 0;
    const z: number[] = [];
    for (const sign of [1, -1] as const) {
      const { value, dual } = lp.maximise(p, sign);
      z.push(value);
      if (!dual) continue; // unbounded: p is protected whatever else is suppressed
      let atPattern = 0;
      cols.forEach((c, j) => {
        const d = dual[j];
        const cc = d > 0 ? d * cap : -d * x.count[c];
        if (cc > EPS) coef.set(c, (coef.get(c) ?? 0) + cc);
        if (suppressed[c]) atPattern += cc;
      });
      k += value - atPattern;
    }
    return { coef, rhs: width - k, lpWidth: z[0] + z[1], interval: integerInterval(x.count[p], -z[1], z[0]) };
  } finally {
    lp.dispose();
  }
}
