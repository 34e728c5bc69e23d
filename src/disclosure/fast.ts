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
// the LP duals say widens it most per unit of cost, until the audit passes. A last pass publishes
// again the secondary cells that turned out unnecessary.
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
  // Cells of each row that are not unsafe: a row reaching 0 pins unsafe cells only.
  const safeCount: number[] = [];

  const setRow = (r: number, row: SparseRow | null) => {
    const old = rows[r];
    if (old) for (const c of old.keys()) colRows[c].delete(r);
    rows[r] = row;
    let k = 0;
    if (row)
      for (const c of row.keys()) {
        colRows[c].add(r);
        if (!unsafe.has(c)) k++;
      }
    safeCount[r] = k;
  };
  // row − factor·other, into a new row (the original stays for a candidate that is refused).
  const axpy = (row: SparseRow, factor: number, other: SparseRow): SparseRow => {
    const out = new Map(row);
    for (const [c, v] of other) {
      const w = (out.get(c) ?? 0) - factor * v;
      if (Math.abs(w) < TOL) out.delete(c);
      else out.set(c, w);
    }
    return out;
  };
  const latest = (row: SparseRow, skip = -1) => {
    let best = -1;
    for (const c of row.keys()) if (c !== skip && (best < 0 || rank[c] > rank[best] || (rank[c] === rank[best] && c > best))) best = c;
    return best;
  };
  const normalised = (row: SparseRow, pivot: number, skip = -1) => {
    const f = row.get(pivot)!;
    const out: SparseRow = new Map();
    for (const [c, v] of row) if (c !== skip) out.set(c, v / f);
    return out;
  };
  // A row that pins unsafe cells: all its cells (but `skip`) unsafe, and one cell, or a same-signed sum below the width.
  const discloses = (row: SparseRow, skip = -1) => {
    let value = 0;
    let pos = 0;
    let neg = 0;
    let size = 0;
    let smallest = Infinity;
    for (const [c, v] of row) {
      if (c === skip) continue;
      if (!unsafe.has(c)) return false;
      value += v * x.count[c];
      size++;
      if (v > 0) pos++;
      else neg++;
    }
    if (size === 0) return false;
    if (size === 1) return true;
    if (pos && neg) return false;
    for (const [c, v] of row) if (c !== skip) smallest = Math.min(smallest, Math.abs(value / v));
    return smallest < width;
  };

  // row −= factor·other in place, keeping the column index and the count of safe cells (building only).
  const subtractInPlace = (r: number, factor: number, other: SparseRow) => {
    const row = rows[r]!;
    for (const [c, v] of other) {
      const had = row.has(c);
      const w = (row.get(c) ?? 0) - factor * v;
      if (Math.abs(w) < TOL) {
        if (had) (row.delete(c), colRows[c].delete(r), unsafe.has(c) || safeCount[r]--);
      } else {
        row.set(c, w);
        if (!had) (colRows[c].add(r), unsafe.has(c) || safeCount[r]++);
      }
    }
  };

  // The equations in reduced row echelon form, pivots on the cells to be published last.
  for (const eq of x.rows) {
    if (eq.sense !== 'eq') continue;
    const r = rows.length;
    rows.push(null);
    safeCount.push(0);
    const fresh: SparseRow = new Map();
    eq.cols.forEach((c, k) => fresh.set(c, eq.coef[k]));
    setRow(r, fresh);
    for (const c of eq.cols) {
      const pr = pivotRow[c];
      const f = rows[r]!.get(c);
      if (pr >= 0 && f !== undefined) subtractInPlace(r, f, rows[pr]!);
    }
    const row = rows[r]!;
    if (row.size === 0) {
      setRow(r, null);
      continue;
    }
    const pivot = latest(row);
    const f = row.get(pivot)!;
    for (const [c, v] of row) row.set(c, v / f);
    for (const q of [...colRows[pivot]]) if (q !== r) subtractInPlace(q, rows[q]!.get(pivot)!, row);
    pivotRow[pivot] = r;
  }

  const suppressed = new Uint8Array(x.n).fill(1);
  for (const c of order) {
    const pr = pivotRow[c];
    if (pr < 0) {
      // Not a pivot: publishing c removes it from its rows. Only a row left with unsafe cells alone can disclose.
      if (!fixed[c]) {
        let refuse = false;
        for (const r of colRows[c]) if (safeCount[r] === 1 && discloses(rows[r]!, c)) refuse = true;
        if (refuse) continue;
      }
      for (const r of colRows[c]) {
        rows[r]!.delete(c);
        safeCount[r]--;
      }
      colRows[c].clear();
      suppressed[c] = 0;
      continue;
    }
    // A pivot: its row loses it and takes a new pivot, eliminated from every other row that holds it.
    const row = rows[pr]!;
    if (row.size === 1) {
      setRow(pr, null); // c was already derivable from what is published
      pivotRow[c] = -1;
      suppressed[c] = 0;
      continue;
    }
    const next = latest(row, c);
    const n = normalised(row, next, c);
    const changes: [number, SparseRow][] = [[pr, n]];
    for (const q of colRows[next]) if (q !== pr) changes.push([q, axpy(rows[q]!, rows[q]!.get(next)!, n)]);
    if (!fixed[c] && changes.some(([, r]) => discloses(r))) continue; // stays suppressed
    for (const [r, updated] of changes) setRow(r, updated);
    pivotRow[c] = -1;
    pivotRow[next] = pr;
    suppressed[c] = 0;
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
    const iv = intervals(h, x, suppressed, targets, width);
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

/**
 * Publishes again every secondary cell the protection does not need, costliest first: a cell is
 * published when every unsafe cell it was linked to still passes the audit without it. The
 * elimination and the repair each add cells one at a time and never look back; this removes what
 * later additions made unnecessary. Stops after `seconds`. Returns the number of cells published.
 */
export async function prune(x: Indexed, unsafe: ReadonlySet<number>, cost: Float64Array, width: number, suppressed: Uint8Array, seconds = Infinity) {
  const h: Highs = await highs();
  const until = performance.now() + seconds * 1000;
  const secondary = [...Array(x.n).keys()].filter((i) => suppressed[i] && !unsafe.has(i)).sort((a, b) => cost[b] - cost[a] || a - b);
  let published = 0;
  for (const c of secondary) {
    if (performance.now() > until) break;
    suppressed[c] = 0;
    const linked = new Set<number>();
    for (const r of x.rowsOf[c]) for (const j of x.rows[r].cols) if (suppressed[j]) linked.add(j);
    const affected = component(x, suppressed, linked).filter((j) => unsafe.has(j));
    const iv = intervals(h, x, suppressed, affected, width);
    if (affected.every((p) => iv.get(p)!.hi - iv.get(p)!.lo >= width)) published++;
    else suppressed[c] = 1;
  }
  return published;
}

export async function fastSuppression(x: Indexed, unsafe: ReadonlySet<number>, fixed: Uint8Array, cost: Float64Array, width: number, options: { pruneSeconds?: number } = {}) {
  // Pruning re-audits a part per secondary cell: bounded in time (60 s unless told) on large sets.
  const t0 = performance.now();
  const suppressed = gaussSuppression(x, unsafe, fixed, cost, width);
  const t1 = performance.now();
  const repaired = await repair(x, unsafe, fixed, cost, width, suppressed);
  const t2 = performance.now();
  const pruned = await prune(x, unsafe, cost, width, suppressed, options.pruneSeconds ?? 60);
  const t3 = performance.now();
  return { suppressed, repaired, pruned, seconds: { elimination: (t1 - t0) / 1000, repair: (t2 - t1) / 1000, prune: (t3 - t2) / 1000 } };
}
