// The disclosure-control problem in general terms: cells with their true counts, and the linear
// relations between them that a reader knows (a total is the sum of its parts; a cell is at most,
// or its parts at least, another). One problem holds every public table of a release at once, so
// a cell shared by two tables is one cell here and gets one status everywhere. Nothing here knows
// about the report: the caller builds the problem (see README.md in this folder).

export type Cell = {
  id: string;
  /** The true count (non-negative integer). */
  count: number;
  /** Persons the cell describes, the cost of suppressing it under cost 'persons'; the count when left out. */
  persons?: number;
  /** The tables it is published in (a shared margin is in several); a cell of a table the policy publishes exactly is never suppressed. */
  tables?: readonly string[];
};

/**
 * A relation every reader knows. `sum`: total = Σ parts; `at_most`: Σ parts ≤ total (e.g. a
 * subset's cell against the same cell of the whole); `at_least`: Σ parts ≥ total (e.g. a person
 * counted once in each of several industries).
 */
export type Relation = { kind: 'sum' | 'at_most' | 'at_least'; total: string; parts: readonly string[] };

/**
 * A published row or column over a sensitive dimension (exploitation form, crime type, legal
 * process): its cells, each a value of that dimension. When all its persons (two or more) are in
 * one cell, that cell is unsafe (group disclosure).
 */
export type Group = { cells: readonly string[] };

export type Problem = { cells: readonly Cell[]; relations: readonly Relation[]; groups?: readonly Group[] };

/** One linear row over cell indices: Σ coef·y (= | ≤ | ≥) 0 on the true counts. */
export type Row = { cols: Int32Array; coef: Float64Array; sense: 'eq' | 'le' | 'ge' };

/** The problem with cells numbered 0 … n−1 and relations as rows; built once, read by every method. */
export type Indexed = {
  n: number;
  ids: readonly string[];
  index: ReadonlyMap<string, number>;
  count: Float64Array;
  persons: Float64Array;
  tables: readonly (readonly string[])[];
  rows: readonly Row[];
  /** Rows each cell is in. */
  rowsOf: readonly number[][];
};

export class ProblemError extends Error {}

export function indexProblem(p: Problem): Indexed {
  const n = p.cells.length;
  const index = new Map<string, number>();
  const count = new Float64Array(n);
  const persons = new Float64Array(n);
  p.cells.forEach((c, i) => {
    if (index.has(c.id)) throw new ProblemError(`cell ${c.id} twice`);
    if (!Number.isInteger(c.count) || c.count < 0) throw new ProblemError(`cell ${c.id}: count must be a non-negative integer`);
    index.set(c.id, i);
    count[i] = c.count;
    persons[i] = c.persons ?? c.count;
  });
  const at = (id: string) => {
    const i = index.get(id);
    if (i === undefined) throw new ProblemError(`relation names an unknown cell ${id}`);
    return i;
  };
  const rows: Row[] = [];
  for (const r of p.relations) {
    // Σ parts − total, with a part named twice counted twice (and a total that is also a part cancelling).
    const coef = new Map<number, number>();
    for (const part of r.parts) coef.set(at(part), (coef.get(at(part)) ?? 0) + 1);
    const t = at(r.total);
    coef.set(t, (coef.get(t) ?? 0) - 1);
    const entries = [...coef].filter(([, v]) => v !== 0);
    const value = entries.reduce((s, [i, v]) => s + v * count[i], 0);
    const sense = r.kind === 'sum' ? 'eq' : r.kind === 'at_most' ? 'le' : 'ge';
    // The true table must satisfy what the reader is told; a problem that does not is a caller's bug.
    if ((sense === 'eq' && value !== 0) || (sense === 'le' && value > 0) || (sense === 'ge' && value < 0))
      throw new ProblemError(`relation ${r.kind} ${r.total} does not hold on the counts`);
    if (entries.length) rows.push({ cols: Int32Array.from(entries.map(([i]) => i)), coef: Float64Array.from(entries.map(([, v]) => v)), sense });
  }
  const rowsOf: number[][] = Array.from({ length: n }, () => []);
  rows.forEach((r, ri) => r.cols.forEach((c) => rowsOf[c].push(ri)));
  return { n, ids: p.cells.map((c) => c.id), index, count, persons, tables: p.cells.map((c) => c.tables ?? []), rows, rowsOf };
}
