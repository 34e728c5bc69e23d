// The fast secondary suppression for large table sets: Gaussian elimination over the relations,
// in the spirit of Statistics Norway's GaussSuppression, followed by the attacker's audit and a
// greedy repair, so what it returns always passes the audit.
//
// An attacker knows the equations and every published cell. An unsuppressed cell's value is
// known; a suppressed cell p is given away when e_p lies in the span of the equations restricted
// to the suppressed cells. We keep that restricted equation system in reduced row echelon form
// (each row has a pivot cell that no other row holds), starting from every cell suppressed, and
// go through the candidates in the order we would most like to publish them (the costliest to
// suppress first). Publishing a cell deletes its column: rows lose it (re-pivoting and eliminating
// when it was a pivot). Before committing, we look at the rows that change: if one would consist
// of unsafe cells only and either hold a single cell (the cell is derived exactly) or pin a sum of
// same-signed unsafe cells below the width (the singleton problem: two suppressed 1s whose sum is
// published are each at most 2), the candidate is suppressed instead. Pivots are chosen among the
// cells to be published last, so most deletions touch a non-pivot column and cost one row edit.
//
// Exact linear independence ignores that cells are non-negative, which can still narrow an
// interval; the audit finds those cells, and the repair suppresses, for each, the published cell
// the LP duals say widens it most per unit of cost, until the audit passes.
import type { Highs } from 'highs';
import { intervals } from './audit.ts';
import { capOf } from './exact.ts';
import { component, highs, neighbours, protectionCut } from './lp.ts';
import type { Indexed } from './problem.ts';

const TOL = 1e-9;

type SparseRow = Map<number, number>;

export function gaussSuppression(x: Indexed, unsafe: ReadonlySet<number>, fixed: Uint8Array, cost: Float64Array, width: number): Uint8Array {
  // Publish order: exactly published tables first, then by cost, costliest first; unsafe cells never.
  const order = [...Array(x.n).keys()].filter((i) => !unsafe.has(i)).sort((a, b) => fixed[b] - fixed[a] || cost[b] - cost[a] || a - b);
  const rank = new Float64Array(x.n).fill(Infinity);
  order.forEach((c, k) => (rank[c] = k));
  const rows: (SparseRow | null)[] = [];
  const colRows: Set<number>[] = Array.from({ length: x.n }, () => new Set());
  const pivotRow = new Int32Array(x.n).fill(-1);
  const pivotOf: number[] = [];

  const setRow = (r: number, row: SparseRow | null) => {
    const old = rows[r];
    if (old) for (const c of old.keys()) colRows[c].delete(r);
    rows[r] = row;
    if (row) for (const c of row.keys()) colRows[c].add(r);
  };
  // row − factor·other, dropping round-off zeros.
  const axpy = (row: SparseRow, factor: number, other: SparseRow): SparseRow => {
    const out = new Map(row);
    for (const [c, v] of other) {
      const w = (out.get(c) ?? 0) - factor * v;
      if (Math.abs(w) < TOL) out.delete(c);
      else out.set(c, w);
    }
    return out;
  };
  const latest = (row: SparseRow) => {
    let best = -1;
    for (const c of row.keys()) if (best < 0 || rank[c] > rank[best] || (rank[c] === rank[best] && c > best)) best = c;
    return best;
  };
  const normalised = (row: SparseRow, pivot: number) => {
    const f = row.get(pivot)!;
    return new Map([...row].map(([c, v]) => [c, v / f]));
  };
  // The changes of installing `row` with pivot `pivot`: the row itself and every other row holding the pivot.
  const eliminate = (row: SparseRow, pivot: number, skip: number) => {
    const changes: [number, SparseRow][] = [];
    for (const q of colRows[pivot]) if (q !== skip) changes.push([q, axpy(rows[q]!, rows[q]!.get(pivot)!, row)]);
    return changes;
  };
  // A row that would pin unsafe cells: all its cells unsafe, and one cell, or a same-signed sum below the width.
  const discloses = (row: SparseRow) => {
    if (row.size === 0) return false;
    let value = 0;
    let pos = 0;
    let neg = 0;
    for (const [c, v] of row) {
      if (!unsafe.has(c)) return false;
      value += v * x.count[c];
      if (v > 0) pos++;
      else neg++;
    }
    if (row.size === 1) return true;
    if (pos && neg) return false;
    for (const v of row.values()) if (Math.abs(value / v) < width) return true;
    return false;
  };

  // The equations in reduced row echelon form, pivots on the cells to be published last.
  for (const eq of x.rows) {
    if (eq.sense !== 'eq') continue;
    let row: SparseRow = new Map();
    eq.cols.forEach((c, k) => row.set(c, eq.coef[k]));
    for (const c of [...row.keys()]) {
      const pr = pivotRow[c];
      if (pr >= 0 && row.has(c)) row = axpy(row, row.get(c)!, rows[pr]!);
    }
    if (row.size === 0) continue;
    const pivot = latest(row);
    row = normalised(row, pivot);
    const r = rows.length;
    rows.push(null);
    pivotOf.push(pivot);
    for (const [q, next] of eliminate(row, pivot, r)) setRow(q, next);
    setRow(r, row);
    pivotRow[pivot] = r;
  }

  const suppressed = new Uint8Array(x.n).fill(1);
  for (const c of order) {
    const pr = pivotRow[c];
    const changes: [number, SparseRow | null][] = [];
    let newPivot = -1;
    if (pr < 0) {
      for (const r of colRows[c]) {
        const row = new Map(rows[r]!);
        row.delete(c);
        changes.push([r, row]);
      }
    } else {
      const row = new Map(rows[pr]!);
      row.delete(c);
      if (row.size === 0) changes.push([pr, null]);
      else {
        newPivot = latest(row);
        const n = normalised(row, newPivot);
        changes.push([pr, n], ...eliminate(n, newPivot, pr));
      }
    }
    if (!fixed[c] && changes.some(([, row]) => row && discloses(row))) continue; // stays suppressed
    suppressed[c] = 0;
    for (const [r, row] of changes) setRow(r, row);
    if (pr >= 0) {
      pivotRow[c] = -1;
      if (newPivot >= 0) {
        pivotRow[newPivot] = pr;
        pivotOf[pr] = newPivot;
      }
    }
  }
  return suppressed;
}

/**
 * Adds suppressions until the audit passes: each round audits the suppressed unsafe cells, and for
 * each failing one the cut of lp.ts says how much each published neighbour would widen its
 * interval; the one with the most width per cost (or the cheapest that suffices alone) is
 * suppressed. Ends when the audit passes, or when no published cell can help (the audit then
 * says so). Returns the number of cells it added.
 */
export async function repair(x: Indexed, unsafe: ReadonlySet<number>, fixed: Uint8Array, cost: Float64Array, width: number, suppressed: Uint8Array) {
  const h: Highs = await highs();
  const cap = capOf(x, width);
  let added = 0;
  for (;;) {
    const targets = [...unsafe].filter((p) => suppressed[p]);
    const iv = intervals(h, x, suppressed, targets);
    const failing = targets.filter((p) => iv.get(p)!.hi - iv.get(p)!.lo < width);
    let changed = false;
    for (const p of failing) {
      const cut = protectionCut(h, x, suppressed, p, width, cap);
      if (cut.interval.hi - cut.interval.lo >= width) continue; // widened by this round's earlier additions
      const need = Math.max(cut.rhs - [...cut.coef].reduce((t, [i, v]) => t + (suppressed[i] ? v : 0), 0), 1e-9);
      let best = -1;
      let bestScore = -Infinity;
      for (const [i, v] of cut.coef) {
        if (suppressed[i] || fixed[i]) continue;
        const score = v >= need ? 1e15 - cost[i] : v / cost[i];
        if (score > bestScore) (best = i), (bestScore = score);
      }
      // The LP interval suffices but its integer rounding does not: take the cheapest published neighbour.
      if (best < 0)
        for (const i of neighbours(x, suppressed, component(x, suppressed, [p]))) if (!fixed[i] && (best < 0 || cost[i] < cost[best])) best = i;
      if (best < 0) continue; // nothing left to suppress near p: the audit reports it
      suppressed[best] = 1;
      added++;
      changed = true;
    }
    if (!changed) return added;
  }
}

export async function fastSuppression(x: Indexed, unsafe: ReadonlySet<number>, fixed: Uint8Array, cost: Float64Array, width: number) {
  const suppressed = gaussSuppression(x, unsafe, fixed, cost, width);
  const repaired = await repair(x, unsafe, fixed, cost, width, suppressed);
  return { suppressed, repaired };
}
