// A small seeded pseudo-random generator for the demo dataset: the same seed gives the same
// dataset on every machine, so the demo's report is reproducible.

/** sfc32 seeded through splitmix32, so neighbouring seeds give unrelated streams. */
function sfc32(seed: number): () => number {
  let s = Math.floor(seed) >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** Seeded draws: floats, integers, picks, weighted choices, shuffles, samples and allocations. */
export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = sfc32(seed);
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index chosen in proportion to the weights; uniform when they are all zero. */
  index(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) return Math.floor(this.next() * weights.length);
    let r = this.next() * total;
    let last = 0;
    for (let j = 0; j < weights.length; j++) {
      if (weights[j] <= 0) continue;
      last = j;
      r -= weights[j];
      if (r < 0) return j;
    }
    return last;
  }

  /** One key of a table of weights, chosen in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    return entries[this.index(entries.map(([, w]) => w))][0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** n distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (n > items.length) throw new Error(`cannot draw ${n} of ${items.length}`);
    return this.shuffle(items).slice(0, n);
  }

  /**
   * Splits `total` units over keys one unit at a time, in proportion to the weights, never
   * giving a key more than its cap; `min` units are given to every key first.
   */
  allocate<K extends string>(total: number, weights: Readonly<Record<K, number>>, cap = Infinity, min = 0): Record<K, number> {
    const keys = Object.keys(weights) as K[];
    const out = Object.fromEntries(keys.map((k) => [k, min])) as Record<K, number>;
    let left = total - min * keys.length;
    if (left < 0 || keys.length * cap < total) throw new Error(`cannot allocate ${total} units`);
    while (left > 0) {
      const open = Object.fromEntries(keys.filter((k) => out[k] < cap).map((k) => [k, weights[k]])) as Record<K, number>;
      out[this.weighted(open)]++;
      left--;
    }
    return out;
  }
}

/**
 * Gives every person one item of a multiset with exactly as many items as persons. The rarest
 * items are placed first, each on a person drawn in proportion to the person's affinity for it,
 * so that small groups land where they are plausible while every count stays exact.
 */
export function assignByAffinity<P, K extends string>(
  rng: Random,
  persons: readonly P[],
  counts: Readonly<Partial<Record<K, number>>>,
  affinity: (person: P, item: K) => number,
): Map<P, K> {
  const items = (Object.entries(counts) as [K, number][]).filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1]);
  if (items.reduce((s, [, n]) => s + n, 0) !== persons.length) throw new Error('as many items as persons are needed');
  const open = new Set(persons);
  const out = new Map<P, K>();
  for (const [item, n] of items) {
    for (let i = 0; i < n; i++) {
      const candidates = [...open];
      const chosen = candidates[rng.index(candidates.map((p) => affinity(p, item)))];
      open.delete(chosen);
      out.set(chosen, item);
    }
  }
  return out;
}

/** Repeats each key its count of times: a multiset as a flat list. */
export function expand<K extends string>(counts: Readonly<Partial<Record<K, number>>>): K[] {
  return (Object.entries(counts) as [K, number][]).flatMap(([k, n]) => Array<K>(n).fill(k));
}
