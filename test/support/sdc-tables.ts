// Tables with margins as disclosure-control problems, for the tests and the benchmark: an
// n-dimensional table of inner counts, every margin (each dimension's "total" code), and the
// equations "margin = sum of its parts" along every dimension.
import type { Cell, Relation } from '../../src/disclosure/problem.ts';

export const TOTAL = 'T';

/** Cell id of a table's cell: `table:code|code|…`. */
export const cellId = (table: string, codes: readonly string[]) => `${table}:${codes.join('|')}`;

/**
 * The cells and relations of a table with the given dimension codes and inner counts
 * (`inner(codes)` for each combination of inner codes).
 */
export function tableWithMargins(table: string, dims: readonly (readonly string[])[], inner: (codes: readonly string[]) => number) {
  const cells: Cell[] = [];
  const relations: Relation[] = [];
  const counts = new Map<string, number>();
  const withTotal = dims.map((d) => [...d, TOTAL]);
  // Every combination of codes (totals included), in an order where parts come before their margins.
  const combos: string[][] = [[]];
  for (const d of withTotal) {
    const next: string[][] = [];
    for (const c of combos) for (const code of d) next.push([...c, code]);
    combos.splice(0, combos.length, ...next);
  }
  const countOf = (codes: readonly string[]): number => {
    const id = cellId(table, codes);
    const known = counts.get(id);
    if (known !== undefined) return known;
    const j = codes.indexOf(TOTAL);
    const v = j < 0 ? inner(codes) : dims[j].reduce((s, code) => s + countOf(codes.map((c, k) => (k === j ? code : c))), 0);
    counts.set(id, v);
    return v;
  };
  for (const codes of combos) {
    cells.push({ id: cellId(table, codes), count: countOf(codes), tables: [table] });
    codes.forEach((c, j) => {
      if (c === TOTAL) relations.push({ kind: 'sum', total: cellId(table, codes), parts: dims[j].map((code) => cellId(table, codes.map((x, k) => (k === j ? code : x)))) });
    });
  }
  return { cells, relations };
}

/** A two-way table from a matrix of inner counts, rows and columns named by their codes. */
export const twoWay = (table: string, rows: readonly string[], cols: readonly string[], inner: readonly (readonly number[])[]) =>
  tableWithMargins(table, [rows, cols], ([r, c]) => inner[rows.indexOf(r)][cols.indexOf(c)]);

/**
 * Several tables of the same persons, the way the report publishes them: each table crosses some
 * dimensions, with every margin. A cell is named by the codes it fixes (`cat=c1,group=g2`; the
 * grand total fixes none), so a margin two tables share is one cell with both tables, and the
 * relations "margin = sum over one dimension" are stated once.
 */
export function crossTables(
  persons: readonly Readonly<Record<string, string>>[],
  codes: Readonly<Record<string, readonly string[]>>,
  tables: Readonly<Record<string, readonly string[]>>,
) {
  const idOf = (fixed: Readonly<Record<string, string>>) =>
    Object.keys(fixed)
      .sort()
      .map((d) => `${d}=${fixed[d]}`)
      .join(',') || 'all';
  const count = new Map<string, number>();
  const tablesOf = new Map<string, string[]>();
  const relations = new Map<string, Relation>();
  for (const [table, dims] of Object.entries(tables)) {
    let combos: Record<string, string>[] = [{}];
    for (const d of dims) combos = combos.flatMap((c) => [c, ...codes[d].map((v) => ({ ...c, [d]: v }))]);
    for (const fixed of combos) {
      const id = idOf(fixed);
      tablesOf.set(id, [...new Set([...(tablesOf.get(id) ?? []), table])]);
      count.set(id, 0);
      for (const d of dims)
        if (!(d in fixed)) {
          const parts = codes[d].map((v) => idOf({ ...fixed, [d]: v }));
          relations.set(`${id}/${d}`, { kind: 'sum', total: id, parts });
        }
    }
  }
  for (const p of persons) {
    // Each cell of a table whose codes the person has (every subset of the table's dimensions), once.
    const seen = new Set<string>();
    for (const dims of Object.values(tables))
      for (let mask = 0; mask < 1 << dims.length; mask++) {
        const id = idOf(Object.fromEntries(dims.filter((_, k) => mask & (1 << k)).map((d) => [d, p[d]])));
        if (!seen.has(id)) (seen.add(id), count.set(id, count.get(id)! + 1));
      }
  }
  const cells: Cell[] = [...count].map(([id, n]) => ({ id, count: n, tables: tablesOf.get(id)! }));
  return { cells, relations: [...relations.values()] };
}
