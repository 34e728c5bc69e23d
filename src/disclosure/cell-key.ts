// The cell-key method for tables the public builds itself: every case carries a random record
// key fixed when the release is frozen; a cell's key is the fractional part of the sum of its
// records' keys, so the same persons give the same key in every table and every request; the
// key picks the published value from a perturbation table. The table's noise is bounded (at most
// `maxDeviation` either way), has mean zero for every true count, never publishes 1 … smallest−1,
// and keeps 0 at 0.
//
// Keys are summed as 32-bit integers (a record key u ∈ [0,1) is ⌊u·2³²⌋), so the sum is exact and
// does not depend on the order the records are added in; floating-point sums would.

const SCALE = 2 ** 32;

/** A record key as the integer the sums use. */
export function recordKey(u: number): number {
  if (!(u >= 0 && u < 1)) throw new RangeError('a record key is in [0, 1)');
  return Math.floor(u * SCALE);
}

/** The cell key in [0, 1) of the records with these keys (each in [0, 1)). */
export function cellKey(recordKeys: Iterable<number>): number {
  let s = 0;
  for (const u of recordKeys) s = (s + recordKey(u)) % SCALE;
  return s / SCALE;
}

export type PerturbationRow = { values: readonly number[]; cumulative: readonly number[] };
export type PerturbationTable = { maxDeviation: number; smallest: number; rows: readonly PerturbationRow[] };

/**
 * The perturbation table: for each true count n, the values it may be published as and their
 * probabilities. The values are n−D … n+D that are 0 or at least `smallest`; the probabilities
 * are a fixed bell (weight (D+1−|d|)² for deviation d) tilted by exp(λ·d), with λ chosen by
 * bisection so the mean is n exactly (a count at the edge of its values, like 3 with values 3…5,
 * is published as itself). Counts from smallest+D on all use the untilted bell.
 */
export function perturbationTable(options: { maxDeviation?: number; smallest?: number } = {}): PerturbationTable {
  const D = options.maxDeviation ?? 2;
  const smallest = options.smallest ?? 3;
  if (!Number.isInteger(D) || D < 0) throw new RangeError('maxDeviation must be an integer ≥ 0');
  if (!Number.isInteger(smallest) || smallest < 1) throw new RangeError('smallest must be an integer ≥ 1');
  if (smallest > 1 + D) throw new RangeError(`a count of 1 cannot reach ${smallest} within ${D}`);
  const rows: PerturbationRow[] = [];
  for (let n = 0; n <= smallest + D; n++) {
    const values: number[] = [];
    for (let v = Math.max(0, n - D); v <= n + D; v++) if (v === 0 || v >= smallest) values.push(v);
    if (n === values[0] || n === values.at(-1)) {
      rows.push({ values: [n], cumulative: [1] });
      continue;
    }
    const weight = (v: number) => (D + 1 - Math.abs(v - n)) ** 2;
    const probs = (lambda: number) => {
      const w = values.map((v) => weight(v) * Math.exp(lambda * (v - n)));
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / total);
    };
    const mean = (lambda: number) => probs(lambda).reduce((m, p, k) => m + p * values[k], 0);
    let lo = -50;
    let hi = 50;
    for (let k = 0; k < 200; k++) {
      const mid = (lo + hi) / 2;
      if (mean(mid) < n) lo = mid;
      else hi = mid;
    }
    const p = probs((lo + hi) / 2);
    let c = 0;
    const cumulative = p.map((x) => (c += x));
    cumulative[cumulative.length - 1] = 1;
    rows.push({ values, cumulative });
  }
  return { maxDeviation: D, smallest, rows };
}

/** The published value of a cell with true count `count` and cell key `key`. */
export function perturb(count: number, key: number, table: PerturbationTable): number {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const last = table.rows.length - 1;
  const row = table.rows[Math.min(count, last)];
  const shift = count > last ? count - last : 0;
  let k = 0;
  while (k < row.cumulative.length - 1 && key >= row.cumulative[k]) k++;
  return row.values[k] + shift;
}

/** The mean of the published value for a true count (n exactly, up to round-off). */
export function expectedValue(count: number, table: PerturbationTable): number {
  const last = table.rows.length - 1;
  const row = table.rows[Math.min(count, last)];
  const shift = count > last ? count - last : 0;
  return row.values.reduce((m, v, k) => m + (v + shift) * (row.cumulative[k] - (k ? row.cumulative[k - 1] : 0)), 0);
}
