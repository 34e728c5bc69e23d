// Disclosure control of a source's report (the civil-society and the support-programme reports):
// every printed figure of every table is a cell of one problem (src/disclosure), protected with the
// release's policy (threshold, zeros, width, cost) as the coordinators' releases are.
//
// Cells: each table's interior cells (every code of its rows and columns, zeros included), its
// answered and missing counts, the release's persons. Relations a reader knows:
// - a table that is not `multi` (each person in one row): its rows sum to those who answered; in a
//   cross table each column's rows sum to a column total, each row's columns to a row total, and
//   the totals to the grand total (those who answered when they are the same count);
// - a `multi` table (a person in several rows): each cell is at most those who answered;
// - answered plus missing is the release's persons when the counts say so (the question asked of
//   everyone: a relation the reader may know, so it is assumed known whenever it holds).
// Groups (group disclosure): in a cross table over a sensitive axis (the form of exploitation),
// each column across it (a year, a sex), whose one cell holding all its persons is unsafe.
// Cell ids: `<table>|<row>` (`<table>|<row>|<column>` in a cross table), totals with `total` for
// the code summed over, `<table>|answered`, `<table>|missing`, `persons`.
import { protect, type Cell, type Group, type Problem, type ProtectOptions, type Relation } from '../../disclosure/index.ts';
import type { CellStatus } from '../report-types.ts';
import { auditLinked, corePolicy, publicationMethod, storedAudit, type PolicyDocument, type StoredLinkedAudit, type StoredProtection } from '../protection.ts';
import type { PublishedSourceReport, PublishedSourceRow, PublishedSourceTable, SourceReport, SourceReportSpec, SourceTableSpec } from './types.ts';

const TOTAL = 'total';

export const cellId = (table: string, code: string, column?: string) => (column === undefined ? `${table}|${code}` : `${table}|${code}|${column}`);
export const answeredId = (table: string) => `${table}|answered`;
export const missingId = (table: string) => `${table}|missing`;
export const PERSONS = 'persons';

/** How one table's figures are laid out in the problem: interior cells, totals (cross tables), the denominators of its percentages. */
type TableLayout = {
  interior: { code: string; column?: string; cell: string; count: number }[];
  totals: { code: string; column: string; cell: string; count: number }[];
  /** A cross table that is not multi: each column's total cell (the denominator of its percentages). */
  columnTotal: Map<string, string>;
};

function isPartition(spec: SourceTableSpec, t: SourceReport['tables'][number]): boolean {
  if (spec.multi) return false;
  const sum = t.rows.reduce((s, r) => s + r.count, 0);
  return sum === t.n_answered;
}

/** The table's cells in code order, every code of its axes (zeros included). */
function interiorOf(spec: SourceTableSpec, t: SourceReport['tables'][number], year: number) {
  const counts = new Map(t.rows.map((r) => [`${r.code}\n${r.column ?? ''}`, r.count]));
  const rows = spec.rows.codes(year);
  const columns = spec.column?.codes(year);
  const out: TableLayout['interior'] = [];
  for (const r of rows) {
    if (!columns) out.push({ code: r.code, cell: cellId(spec.id, r.code), count: counts.get(`${r.code}\n`) ?? 0 });
    else for (const c of columns) out.push({ code: r.code, column: c.code, cell: cellId(spec.id, r.code, c.code), count: counts.get(`${r.code}\n${c.code}`) ?? 0 });
  }
  const known = new Set(out.map((c) => `${c.code}\n${c.column ?? ''}`));
  for (const r of t.rows) {
    if (!known.has(`${r.code}\n${r.column ?? ''}`) && r.count > 0) throw new Error(`source report ${spec.id}: a count for ${r.code}${r.column ? `/${r.column}` : ''}, a code the table does not list`);
  }
  return out;
}

/**
 * Group disclosure in a cross table: across a sensitive axis, each row (or column) of the other is a
 * group, so that the one cell holding all of its persons is unsafe. A table of one axis has none, as
 * in the coordinators' report.
 */
function groupsOf(spec: SourceTableSpec, interior: TableLayout['interior']): Group[] {
  if (!spec.column) return [];
  const along = (key: (c: TableLayout['interior'][number]) => string): Group[] => {
    const byKey = new Map<string, string[]>();
    for (const c of interior) byKey.set(key(c), [...(byKey.get(key(c)) ?? []), c.cell]);
    return [...byKey.values()].map((cells) => ({ cells }));
  };
  return [...(spec.rows.sensitive ? along((c) => c.column!) : []), ...(spec.column.sensitive ? along((c) => c.code) : [])];
}

export type SourceProblem = { problem: Problem; layouts: Map<string, TableLayout> };

/** The disclosure problem of a source's report: every printed figure and what a reader knows of them. */
export function sourceProblem(spec: SourceReportSpec, report: SourceReport): SourceProblem {
  const cells: Cell[] = [{ id: PERSONS, count: report.persons }];
  const relations: Relation[] = [];
  const groups: Group[] = [];
  const layouts = new Map<string, TableLayout>();
  for (const ts of spec.tables) {
    const t = report.tables.find((x) => x.id === ts.id);
    if (!t) throw new Error(`source report: no table ${ts.id}`);
    const interior = interiorOf(ts, t, report.year);
    const layout: TableLayout = { interior, totals: [], columnTotal: new Map() };
    layouts.set(ts.id, layout);
    for (const c of interior) cells.push({ id: c.cell, count: c.count, tables: [ts.id] });
    const answered = answeredId(ts.id);
    cells.push({ id: answered, count: t.n_answered, tables: [ts.id] }, { id: missingId(ts.id), count: t.n_missing, tables: [ts.id] });
    if (t.n_answered + t.n_missing === report.persons) relations.push({ kind: 'sum', total: PERSONS, parts: [answered, missingId(ts.id)] });
    groups.push(...groupsOf(ts, interior));
    if (!isPartition(ts, t)) {
      for (const c of interior) relations.push({ kind: 'at_most', total: answered, parts: [c.cell] });
      continue;
    }
    if (!ts.column) {
      relations.push({ kind: 'sum', total: answered, parts: interior.map((c) => c.cell) });
      continue;
    }
    // A cross table: column totals, row totals, and their grand total, which is those who answered.
    const columns = ts.column.codes(report.year).map((c) => c.code);
    const rows = ts.rows.codes(report.year).map((r) => r.code);
    for (const col of columns) {
      const parts = interior.filter((c) => c.column === col);
      const id = cellId(ts.id, TOTAL, col);
      const count = parts.reduce((s, c) => s + c.count, 0);
      cells.push({ id, count, tables: [ts.id] });
      relations.push({ kind: 'sum', total: id, parts: parts.map((c) => c.cell) });
      layout.totals.push({ code: TOTAL, column: col, cell: id, count });
      layout.columnTotal.set(col, id);
    }
    for (const row of rows) {
      const parts = interior.filter((c) => c.code === row);
      const id = cellId(ts.id, row, TOTAL);
      const count = parts.reduce((s, c) => s + c.count, 0);
      cells.push({ id, count, tables: [ts.id] });
      relations.push({ kind: 'sum', total: id, parts: parts.map((c) => c.cell) });
      layout.totals.push({ code: row, column: TOTAL, cell: id, count });
    }
    relations.push({ kind: 'sum', total: answered, parts: columns.map((c) => cellId(ts.id, TOTAL, c)) });
    relations.push({ kind: 'sum', total: answered, parts: rows.map((r) => cellId(ts.id, r, TOTAL)) });
    layout.totals.push({ code: TOTAL, column: TOTAL, cell: answered, count: t.n_answered });
  }
  return { problem: { cells, relations, groups }, layouts };
}

/**
 * Protects a source's report under the release's policy (its threshold, zeros, width and cost; the
 * coordinators' table lists do not apply). `forced`: cells suppressed because another release of the
 * source and year suppresses them (sourceForcedBy); kept as wide as unsafe cells, marked secondary.
 */
export async function computeSourceProtection(
  spec: SourceReportSpec,
  exact: SourceReport,
  doc: PolicyDocument,
  version: number,
  options: ProtectOptions = {},
  forced: readonly string[] = [],
): Promise<StoredProtection> {
  const { problem } = sourceProblem(spec, exact);
  const p = await protect(problem, { ...corePolicy(doc), exact: {} }, { method: publicationMethod(), ...options, unsafe: forced });
  for (const id of forced) {
    if (p.reasons[id] !== 'manual') continue;
    delete p.reasons[id];
    p.status[id] = 'secondary';
    p.loss.primary--;
    p.loss.secondary++;
  }
  return {
    policy_version: version,
    policy: doc,
    method: p.method,
    optimal: p.optimal,
    status: p.status,
    reasons: p.reasons,
    loss: { cells: p.loss.cells, persons: p.loss.persons, primary: p.loss.primary, secondary: p.loss.secondary },
    audit: storedAudit(p.audit),
    trend: {},
    seconds: { protect: p.seconds.protect, audit: p.seconds.audit },
  };
}

/** A release of a source as the audit across releases reads it. */
export type ProtectedSourceRelease = { id: string; exact: SourceReport; protection: Pick<StoredProtection, 'policy' | 'status'> };

const suppressedCells = (r: ProtectedSourceRelease) => Object.keys(r.protection.status).filter((id) => suppressed(r.protection.status[id] as CellStatus));

/** The cells of `self` another release of the source and year suppresses: suppressed here too, so a figure has one status in each. */
export function sourceForcedBy(spec: SourceReportSpec, self: SourceReport, others: readonly ProtectedSourceRelease[]): string[] {
  const mine = new Set(sourceProblem(spec, self).problem.cells.map((c) => c.id));
  const out = new Set<string>();
  for (const o of others) for (const id of suppressedCells(o)) if (mine.has(id)) out.add(id);
  return [...out].sort();
}

/**
 * The attacker's audit of releases of one source and year read together: a figure both print (the
 * same cell id: the same table and codes) differs by at most the number of records that differ
 * between them (`distance`).
 */
export async function auditSourceReleases(
  spec: SourceReportSpec,
  releases: readonly ProtectedSourceRelease[],
  distance: (a: string, b: string) => number,
): Promise<Omit<StoredLinkedAudit, 'releases' | 'forced'>> {
  const problems = releases.map((r) => sourceProblem(spec, r.exact).problem);
  // A source's cells are named by table and codes, the same in every release of the source.
  return auditLinked(
    releases,
    problems,
    (i, j) => {
      const b = new Set(problems[j].cells.map((c) => c.id));
      return problems[i].cells.filter((c) => b.has(c.id)).map((c) => [c.id, c.id] as const);
    },
    distance,
  );
}

/** A cell's exact percent: the table's own (a zero's share 0), none where the table prints none or nobody answered. */
function percentOf(ts: SourceTableSpec, answered: number, percents: Map<string, number | null>, c: { code: string; column?: string }): number | null {
  if (!ts.percent || answered === 0) return null;
  return percents.get(`${c.code}\n${c.column ?? ''}`) ?? 0;
}

const suppressed = (s: CellStatus | undefined) => s === 'primary' || s === 'secondary';

/**
 * The protected form: every cell of every table in code order (zeros included) with its status,
 * count and percent null when suppressed; a percentage also null when its denominator (those who
 * answered, a cross table's column total) is suppressed, as count and percent would give it away.
 */
export function protectedSourceReport(spec: SourceReportSpec, exact: SourceReport, stored: StoredProtection): PublishedSourceReport {
  const { layouts } = sourceProblem(spec, exact);
  const statusOf = (cell: string): CellStatus => {
    const s = stored.status[cell] as CellStatus | undefined;
    if (!s) throw new Error(`source protection: no status for ${cell} (the stored protection is not of this report)`);
    return s;
  };
  const tables: PublishedSourceTable[] = spec.tables.map((ts) => {
    const t = exact.tables.find((x) => x.id === ts.id)!;
    const layout = layouts.get(ts.id)!;
    const percents = new Map(t.rows.map((r) => [`${r.code}\n${r.column ?? ''}`, r.percent]));
    const answeredHidden = suppressed(statusOf(answeredId(ts.id)));
    const rows: PublishedSourceRow[] = layout.interior.map((c) => {
      const status = statusOf(c.cell);
      const hidden = suppressed(status);
      const denominator = c.column !== undefined ? layout.columnTotal.get(c.column) : undefined;
      const percentHidden = hidden || answeredHidden || (denominator !== undefined && suppressed(statusOf(denominator)));
      const exactPercent = percentOf(ts, t.n_answered, percents, c);
      return { code: c.code, ...(c.column !== undefined && { column: c.column }), count: hidden ? null : c.count, percent: percentHidden ? null : exactPercent, status };
    });
    const out: PublishedSourceTable = {
      id: ts.id,
      n_answered: answeredHidden ? null : t.n_answered,
      n_missing: suppressed(statusOf(missingId(ts.id))) ? null : t.n_missing,
      rows,
    };
    if (layout.totals.length) {
      out.totals = layout.totals.map((c) => {
        const status = statusOf(c.cell);
        return { code: c.code, column: c.column, count: suppressed(status) ? null : c.count, percent: null, status };
      });
    }
    return out;
  });
  return {
    source: exact.source,
    year: exact.year,
    release: exact.release,
    ...(exact.demo ? { demo: true as const } : {}),
    form: 'protected',
    persons: suppressed(statusOf(PERSONS)) ? null : exact.persons,
    tables,
    disclosure: { threshold: stored.policy.threshold, suppressed: stored.loss.cells, policy_version: stored.policy_version },
  };
}

/** The exact form as the statistician reads it: the same cells, every status `safe`. */
export function exactSourceReport(spec: SourceReportSpec, exact: SourceReport): PublishedSourceReport {
  const { layouts } = sourceProblem(spec, exact);
  const tables: PublishedSourceTable[] = spec.tables.map((ts) => {
    const t = exact.tables.find((x) => x.id === ts.id)!;
    const layout = layouts.get(ts.id)!;
    const percents = new Map(t.rows.map((r) => [`${r.code}\n${r.column ?? ''}`, r.percent]));
    const rows: PublishedSourceRow[] = layout.interior.map((c) => ({
      code: c.code,
      ...(c.column !== undefined && { column: c.column }),
      count: c.count,
      percent: percentOf(ts, t.n_answered, percents, c),
      status: 'safe',
    }));
    return {
      id: ts.id,
      n_answered: t.n_answered,
      n_missing: t.n_missing,
      rows,
      ...(layout.totals.length ? { totals: layout.totals.map((c) => ({ code: c.code, column: c.column, count: c.count, percent: null, status: 'safe' as const })) } : {}),
    };
  });
  return { source: exact.source, year: exact.year, release: exact.release, ...(exact.demo ? { demo: true as const } : {}), form: 'exact', persons: exact.persons, tables };
}
