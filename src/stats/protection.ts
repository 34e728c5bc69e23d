// Disclosure control of a release: the report's public tables as one disclosure problem
// (src/disclosure), so a figure printed in two tables is one cell with one status everywhere.
//
// Every figure a public output prints is a cell here: each interior cell of a public table (every
// code of its code lists, zeros included), the totals of a cross table's rows and columns and its
// grand total (the printed pivots show them), each table's answered and missing counts, the
// quality notes' counts and the trend's point for the release's own year. The catalogue's relations
// become the problem's equations and inequalities; two cells that are equal by a relation (a row
// total of one table that is the row of another, a subset's row) are merged into one cell.
import type { CellStatus, Policy, Problem, Relation as Equation } from '../disclosure/index.ts';
import { codeLists, type CodeEntry } from '../standard/codes.ts';
import { catalogue, dimensions, tableSpec, tableWith, type Dimension, type Margin, type TableId, type TableSpec } from './catalogue.ts';
import type { Report, ReportRow, ReportTable } from './report-types.ts';

/**
 * Dimensions over which "all persons of a row in one cell" discloses something about each of them
 * (group disclosure): the form of exploitation (its category and the combination of forms) and
 * the type of crime. A legal-process dimension belongs here once a table has one.
 */
export const sensitiveDimensions: readonly string[] = ['category', 'combination', 'crime_type'];

/** The tables a release publishes unless its policy says otherwise: every table of the report but the internal ones. */
export const defaultPublicTables = (): TableId[] => catalogue.filter((t) => !t.internal).map((t) => t.id);

/** A release's disclosure policy: the core's policy and which tables are public. */
export type ReleasePolicy = Policy & { public: readonly TableId[] };

/** Dimensions whose codes are open (any country, any combination of forms): only the codes present are listed. */
const openDimensions: readonly string[] = ['nationality', 'combination'];

type Key = Record<string, string | number>;

/** One printed figure of a table: an interior cell (`margin` false) or a total over `over`. */
export type TableCell = { key: Key; margin: boolean; cell: string };

export type ReleaseProblem = {
  problem: Problem;
  /** Per public table (and `quality`, `trend`'s own year), its printed figures and their cell ids. */
  tables: Map<string, TableCell[]>;
  /** The cell of a table's answered / missing count. */
  answered: Map<string, { answered: string; missing: string }>;
  /** The cell of each quality note's count. */
  quality: Map<string, string>;
};

const ANY = '*';
const rawId = (table: string, dims: readonly string[], key: Key) => `${table}|${dims.map((d) => `${d}=${key[d] ?? ANY}`).join(',')}`;

/** The codes a dimension can take in a table: its code list, or the dimension's own codes, and whatever the rows hold. */
function codesOf(dimension: string, rows: readonly ReportRow[], context: Key): string[] {
  const d = (dimensions as Record<string, Dimension>)[dimension];
  let listed: string[] = [];
  if (dimension === 'code') {
    // A `totals` row's code is read in the code list its `dimension` names.
    const of = (dimensions as Record<string, Dimension>)[String(context.dimension)];
    listed = of?.list ? (codeLists[of.list].items as CodeEntry[]).map((i) => i.code) : [String(context.dimension)];
  } else if (d?.list) listed = (codeLists[d.list].items as CodeEntry[]).map((i) => i.code);
  else if (d?.codes && !openDimensions.includes(dimension)) listed = Object.keys(d.codes);
  // Dimensions without a closed list (nationality, combination of forms) list the codes present:
  // a code left out is one nobody has, which a published zero would say as well.
  const present = rows.filter((r) => Object.entries(context).every(([k, v]) => String(r[k]) === String(v))).map((r) => String(r[dimension]));
  return [...new Set([...listed, ...present])];
}

/** Every key of a table's dimensions: the cross product, each dimension's codes read in the context of the ones before it. */
function keysOf(dims: readonly string[], rows: readonly ReportRow[]): Key[] {
  let keys: Key[] = [{}];
  for (const d of dims) keys = keys.flatMap((k) => codesOf(d, rows, k).map((code) => ({ ...k, [d]: code })));
  return keys;
}

const matches = (key: Key, where: Record<string, string> | undefined) => Object.entries(where ?? {}).every(([k, v]) => String(key[k]) === v);

/** Union–find over cell ids; the first id of a class (catalogue order) names it. */
class Classes {
  private parent = new Map<string, string>();
  private order = new Map<string, number>();
  add(id: string) {
    if (!this.parent.has(id)) {
      this.parent.set(id, id);
      this.order.set(id, this.order.size);
    }
  }
  find(id: string): string {
    let r = id;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(id, r);
    return r;
  }
  union(a: string, b: string): boolean {
    const [x, y] = [this.find(a), this.find(b)];
    if (x === y) return false;
    const [first, second] = this.order.get(x)! < this.order.get(y)! ? [x, y] : [y, x];
    this.parent.set(second, first);
    return true;
  }
}

type Built = { spec: TableSpec; dims: string[]; cells: { raw: string; key: Key; margin: boolean; members: string[] }[]; interior: Map<string, { raw: string; key: Key }> };

/** A table's printed figures: every interior cell, and for a cross table the totals of its rows, its columns and all. */
function buildTable(table: ReportTable, counts: Map<string, number>): Built {
  const spec = tableSpec(table.id);
  const dims = [...spec.rows, ...(spec.column ? [spec.column] : [])];
  const cells: Built['cells'] = [];
  const interior = new Map<string, { raw: string; key: Key }>();
  const exact = new Map(table.rows.map((r) => [rawId(table.id, dims, r as Key), r.count]));
  for (const key of keysOf(dims, table.rows)) {
    const raw = rawId(table.id, dims, key);
    counts.set(raw, exact.get(raw) ?? 0);
    interior.set(raw, { raw, key });
    cells.push({ raw, key, margin: false, members: [raw] });
  }
  if (spec.column) {
    // The printed pivot's totals: per row (over the column), per column (over the rows), and all.
    const groups = new Map<string, { key: Key; members: string[] }>();
    const add = (key: Key, member: string) => {
      const raw = rawId(table.id, dims, key);
      const g = groups.get(raw) ?? { key, members: [] };
      g.members.push(member);
      groups.set(raw, g);
    };
    for (const { raw, key } of interior.values()) {
      add(Object.fromEntries(spec.rows.map((d) => [d, key[d]])), raw);
      add({ [spec.column]: key[spec.column] }, raw);
      add({}, raw);
    }
    for (const [raw, g] of groups) {
      counts.set(raw, g.members.reduce((s, m) => s + counts.get(m)!, 0));
      cells.push({ raw, key: g.key, margin: true, members: g.members });
    }
  }
  return { spec, dims, cells, interior };
}

/** The interior cells of a table matching a margin's `where`, grouped by its `by` code ('' when none). */
function groupsOf(t: Built, m: Margin, map?: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { raw, key } of t.interior.values()) {
    if (!matches(key, m.where)) continue;
    let code = m.by ? String(key[m.by]) : '';
    if (map) {
      if (map[code] === undefined) continue;
      code = map[code];
    }
    out.set(code, [...(out.get(code) ?? []), raw]);
  }
  return out;
}

/** The printed figure of a table that is exactly the sum of these interior cells. */
function figureOf(t: Built, members: readonly string[]): string | undefined {
  const want = [...members].sort().join('\n');
  return t.cells.find((c) => [...c.members].sort().join('\n') === want)?.raw;
}

/** The trend's measures for one year as the cells of the persons' and forms' tables they are counted from (tables.ts, trendFromMargins). */
function trendParts(report: Report): Record<string, { table: TableId; keys: Key[] }> {
  const persons = tableWith('persons');
  const age = (code: string): Key => ({ dimension: 'age_group', code });
  return {
    total: { table: persons, keys: [{ dimension: 'all', code: 'all' }] },
    adults: { table: persons, keys: report.settings.unknown_age_as_adult ? [age('adult'), age('unknown')] : [age('adult')] },
    labour: { table: tableWith('forms'), keys: [{ category: 'labour' }] },
    sexual: { table: tableWith('forms'), keys: [{ category: 'sexual' }] },
    children: { table: persons, keys: [age('child')] },
  };
}

/**
 * The disclosure problem of a release's public tables, from its exact report. Every relation of
 * the catalogue between two public tables holds on the counts (`indexProblem` checks it).
 */
export function releaseProblem(report: Report, publicTables: readonly TableId[]): ReleaseProblem {
  const isPublic = new Set(publicTables);
  const years = tableWith('years');
  const counts = new Map<string, number>();
  const built = new Map<TableId, Built>();
  for (const t of report.tables) if (isPublic.has(t.id) && t.id !== years) built.set(t.id, buildTable(t, counts));

  const classes = new Classes();
  for (const t of built.values()) for (const c of t.cells) classes.add(c.raw);
  const tablesOf = new Map<string, Set<string>>();
  const inTable = (raw: string, table: string) => tablesOf.set(raw, (tablesOf.get(raw) ?? new Set()).add(table));
  for (const t of built.values()) for (const c of t.cells) inTable(c.raw, t.spec.id);

  const eqs: Equation[] = [];
  // A cross table's totals are sums of its interior cells.
  for (const t of built.values()) {
    for (const c of t.cells) if (c.margin) eqs.push({ kind: 'sum', total: c.raw, parts: c.members });
    // …and the grand total is the sum of the row totals and of the column totals, which names it
    // as the same cell as the margin those totals sum to in another table.
    if (!t.spec.column) continue;
    const column = t.spec.column;
    const totals = t.cells.filter((c) => c.margin);
    const grand = totals.find((c) => Object.keys(c.key).length === 0)?.raw;
    if (grand === undefined) continue; // a table with no cell at all (no nationality known)
    const byColumn = totals.filter((c) => Object.keys(c.key).length === 1 && column in c.key).map((c) => c.raw);
    const byRow = totals.filter((c) => Object.keys(c.key).length > 0 && !(column in c.key)).map((c) => c.raw);
    eqs.push({ kind: 'sum', total: grand, parts: byColumn }, { kind: 'sum', total: grand, parts: byRow });
  }
  // The catalogue's relations between two public tables.
  for (const t of built.values()) {
    for (const r of t.spec.relations) {
      const other = built.get(r.table);
      if (!other) continue;
      if (r.kind === 'at_most') {
        for (const { raw, key } of t.interior.values()) {
          const whole = rawId(other.spec.id, other.dims, key);
          if (other.interior.has(whole)) eqs.push({ kind: 'at_most', total: whole, parts: [raw] });
        }
        continue;
      }
      const mine = groupsOf(t, r.cells, r.kind === 'sum' ? r.map : undefined);
      const theirs = groupsOf(other, r.margin);
      for (const [code, parts] of mine) {
        const members = theirs.get(code);
        if (!members) {
          if (r.kind === 'sum' && (r.subset || r.map)) continue;
          throw new Error(`protection: ${t.spec.id} → ${other.spec.id}: no margin for ${code || 'the sum'}`);
        }
        const total = figureOf(other, members);
        if (!total) throw new Error(`protection: ${t.spec.id} → ${other.spec.id}: the margin ${code || 'sum'} is not a printed figure`);
        eqs.push({ kind: r.kind === 'sum' ? 'sum' : 'at_least', total, parts });
      }
    }
  }

  // The trend's point for this year: cells of the tables it is counted from.
  const own = new Map<string, string>();
  const trend = report.tables.find((t) => t.id === years);
  if (trend && isPublic.has(years)) {
    for (const [measure, { table, keys }] of Object.entries(trendParts(report))) {
      const from = built.get(table);
      const row = trend.rows.find((r) => r.year === report.year && r.source === 'release' && r.measure === measure);
      if (!row || !from) continue;
      const raw = rawId(years, ['year', 'source', 'measure'], { year: report.year, source: 'release', measure });
      classes.add(raw);
      inTable(raw, years);
      counts.set(raw, row.count);
      own.set(measure, raw);
      eqs.push({ kind: 'sum', total: raw, parts: keys.map((k) => rawId(table, from.dims, k)) });
    }
  }

  // Answered and missing: together the table's whole population where it covers every person.
  const answered = new Map<string, { answered: string; missing: string }>();
  const all = built.get(tableWith('persons')) ? rawId(tableWith('persons'), built.get(tableWith('persons'))!.dims, { dimension: 'all', code: 'all' }) : undefined;
  for (const t of report.tables) {
    const b = built.get(t.id);
    if (!b) continue;
    const ids = { answered: `${t.id}|answered`, missing: `${t.id}|missing` };
    for (const [id, n] of [[ids.answered, t.n_answered], [ids.missing, t.n_missing]] as const) {
      classes.add(id);
      inTable(id, t.id);
      counts.set(id, n);
    }
    if (b.spec.coversAll && all) eqs.push({ kind: 'sum', total: all, parts: [ids.answered, ids.missing] });
    answered.set(t.id, ids);
  }
  // The quality notes' counts: persons too, related to nothing printed.
  const quality = new Map<string, string>();
  for (const q of report.quality) {
    const id = `quality|id=${q.id}`;
    classes.add(id);
    counts.set(id, q.count);
    quality.set(q.id, id);
  }

  // Merge cells a relation makes equal: a sum of one part, and two sums of the same parts.
  for (let changed = true; changed; ) {
    changed = false;
    const bySum = new Map<string, string>();
    for (const e of eqs) {
      if (e.kind !== 'sum') continue;
      const parts = e.parts.map((p) => classes.find(p));
      if (parts.length === 1) changed = classes.union(e.total, parts[0]) || changed;
      const sig = [...parts].sort().join('\n');
      const seen = bySum.get(sig);
      if (seen === undefined) bySum.set(sig, e.total);
      else changed = classes.union(seen, e.total) || changed;
    }
  }

  // The problem over the classes: one cell per class, the tables of all its members.
  const cells = new Map<string, { id: string; count: number; tables: Set<string> }>();
  for (const [raw, count] of counts) {
    const id = classes.find(raw);
    const cell = cells.get(id) ?? { id, count, tables: new Set<string>() };
    if (cell.count !== count) throw new Error(`protection: ${raw} (${count}) and ${id} (${cell.count}) are one cell by a relation but differ`);
    for (const t of tablesOf.get(raw) ?? []) cell.tables.add(t);
    cells.set(id, cell);
  }
  const seen = new Set<string>();
  const relations: Equation[] = [];
  for (const e of eqs) {
    const total = classes.find(e.total);
    const parts = e.parts.map((p) => classes.find(p));
    if (e.kind === 'sum' && parts.length === 1) continue; // merged
    const sig = `${e.kind}|${total}|${[...parts].sort().join(',')}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    relations.push({ kind: e.kind, total, parts });
  }

  // Group disclosure: each row of a cross table over a sensitive dimension (both ways when both are).
  const groups: { cells: string[] }[] = [];
  for (const b of built.values()) {
    if (b.dims.length !== 2) continue;
    for (const [i, d] of b.dims.entries()) {
      if (!sensitiveDimensions.includes(d)) continue;
      const other = b.dims[1 - i];
      const rows = new Map<string, string[]>();
      for (const { raw, key } of b.interior.values()) rows.set(String(key[other]), [...(rows.get(String(key[other])) ?? []), classes.find(raw)]);
      for (const g of rows.values()) groups.push({ cells: g });
    }
  }

  const tables = new Map<string, TableCell[]>();
  for (const b of built.values()) tables.set(b.spec.id, b.cells.map((c) => ({ key: c.key, margin: c.margin, cell: classes.find(c.raw) })));
  if (own.size) tables.set(years, [...own].map(([measure, raw]) => ({ key: { year: report.year, source: 'release', measure }, margin: false, cell: classes.find(raw) })));
  const canon = (ids: { answered: string; missing: string }) => ({ answered: classes.find(ids.answered), missing: classes.find(ids.missing) });
  return {
    problem: { cells: [...cells.values()].map((c) => ({ id: c.id, count: c.count, tables: [...c.tables] })), relations, groups },
    tables,
    answered: new Map([...answered].map(([t, ids]) => [t, canon(ids)])),
    quality: new Map([...quality].map(([q, id]) => [q, classes.find(id)])),
  };
}

export type { CellStatus };
