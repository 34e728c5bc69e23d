// Disclosure control of a release: the report's public tables as one disclosure problem
// (src/disclosure), so a figure printed in two tables is one cell with one status everywhere.
//
// Every figure a public output prints is a cell here: each interior cell of a public table (every
// code of its code lists, zeros included), the totals of a cross table's rows and columns and its
// grand total (the printed pivots show them), each table's answered and missing counts, the
// quality notes' counts and the trend's point for the release's own year. The catalogue's relations
// become the problem's equations and inequalities; two cells that are equal by a relation (a row
// total of one table that is the row of another, a subset's row) are merged into one cell.
import { linkedAudit, protect, type Audit, type Link, type Policy, type PrimaryReason, type Problem, type ProtectOptions, type Relation as Equation } from '../disclosure/index.ts';
import type { DomainViolation } from '../standard/domain-error.ts';
import { codeLists, type CodeEntry } from '../standard/codes.ts';
import { catalogue, dimensions, isTableId, tableSpec, tableWith, type Dimension, type Margin, type TableId, type TableSpec } from './catalogue.ts';
import { builderDimensions, defaultBuilderExclusions, isBuilderDimension, type BuilderDimension } from './builder-dimensions.ts';
import { runChecks } from './checks.ts';
import type { CellStatus, DisclosureSummary, PublishedReport, PublishedRow, PublishedTable, Report, ReportRow, ReportTable } from './report-types.ts';

/**
 * Dimensions over which "all persons of a row in one cell" discloses something about each of them
 * (group disclosure): the form of exploitation (its category and the combination of forms) and
 * the type of crime. A legal-process dimension belongs here once a table has one.
 */
export const sensitiveDimensions: readonly string[] = ['category', 'combination', 'crime_type'];

/** The tables a release publishes unless its policy says otherwise: every table of the report but the internal ones. */
export const defaultPublicTables = (): TableId[] => catalogue.filter((t) => !t.internal).map((t) => t.id);

/**
 * A release's disclosure policy as it is stored and served: the core's policy (src/disclosure,
 * Policy) and which tables are public.
 */
export type PolicyDocument = {
  /** Counts 1 … threshold−1 are unsafe. */
  threshold: number;
  protect_zeros: boolean;
  /** The smallest interval an attacker may derive for a suppressed unsafe cell. */
  width: number;
  cost: 'persons' | 'cells';
  public_tables: TableId[];
  /** Tables published exactly, each with the statistician's written reason. */
  exact: Record<string, string>;
  /** Dimension pairs the public table builder never crosses for this release (builder-dimensions.ts). */
  builder_exclusions: [BuilderDimension, BuilderDimension][];
};

export const defaultPolicyDocument = (): PolicyDocument => ({ threshold: 3, protect_zeros: false, width: 3, cost: 'persons', public_tables: defaultPublicTables(), exact: {}, builder_exclusions: defaultBuilderExclusions() });

/** The stored policy (null: the default), completed with the default's fields. */
export const policyDocumentOf = (stored: unknown): PolicyDocument => ({ ...defaultPolicyDocument(), ...((stored ?? {}) as Partial<PolicyDocument>) });

/** A policy as PUT …/policy and a publication take it (src/contract/stats.ts, PolicyBody): the lists left out are the default ones. */
export const policyDocumentOfBody = (
  body: Omit<PolicyDocument, 'public_tables' | 'builder_exclusions'> & { public_tables?: string[]; builder_exclusions?: [string, string][] },
): PolicyDocument => ({
  ...body,
  public_tables: (body.public_tables ?? defaultPublicTables()) as TableId[],
  builder_exclusions: (body.builder_exclusions ?? defaultBuilderExclusions()) as PolicyDocument['builder_exclusions'],
});

export const corePolicy = (doc: PolicyDocument): Policy => ({ threshold: doc.threshold, protectZeros: doc.protect_zeros, width: doc.width, cost: doc.cost, exact: doc.exact });

const violation = (path: string, rule: string, sv: string, en: string): DomainViolation => ({ path, rule, message: { sv, en } });

/** What the schema cannot say of a policy: public tables of the catalogue and not internal, exact ones public with a reason. */
export function policyViolations(doc: PolicyDocument): DomainViolation[] {
  const out: DomainViolation[] = [];
  doc.public_tables.forEach((t, i) => {
    if (!isTableId(t)) out.push(violation(`public_tables.${i}`, 'table', `Okänd tabell ${t}.`, `Unknown table ${t}.`));
    else if (tableSpec(t).internal) out.push(violation(`public_tables.${i}`, 'internal', `Tabellen ${t} är intern och kan inte publiceras.`, `The table ${t} is internal and cannot be published.`));
  });
  if (new Set(doc.public_tables).size !== doc.public_tables.length) out.push(violation('public_tables', 'unique', 'En tabell är angiven två gånger.', 'A table is named twice.'));
  for (const [t, reason] of Object.entries(doc.exact)) {
    if (!doc.public_tables.includes(t as TableId)) out.push(violation(`exact.${t}`, 'public', `Tabellen ${t} publiceras inte och kan inte publiceras exakt.`, `The table ${t} is not public, so it cannot be published exactly.`));
    if (!reason.trim()) out.push(violation(`exact.${t}`, 'reason', 'Ett skäl måste anges för en exakt publicerad tabell.', 'A table published exactly needs a written reason.'));
  }
  out.push(...builderExclusionViolations(doc.builder_exclusions));
  return out;
}

/** The table builder's excluded pairs: two known, different builder dimensions, each pair (in either order) once. */
function builderExclusionViolations(pairs: readonly (readonly string[])[]): DomainViolation[] {
  const out: DomainViolation[] = [];
  const seen = new Set<string>();
  const known = builderDimensions.join(', ');
  pairs.forEach((pair, i) => {
    const unknown = pair.findIndex((d) => !isBuilderDimension(d));
    if (pair.length !== 2 || unknown >= 0) {
      const at = unknown >= 0 ? `.${unknown}` : '';
      out.push(violation(`builder_exclusions.${i}${at}`, 'dimension', `Tabellverktyget har ingen sådan indelning; välj bland ${known}.`, `The table builder has no such dimension; choose among ${known}.`));
      return;
    }
    if (pair[0] === pair[1]) {
      out.push(violation(`builder_exclusions.${i}`, 'distinct', 'Ett uteslutet par består av två olika indelningar.', 'An excluded pair is two different dimensions.'));
      return;
    }
    const key = [...pair].sort().join('×');
    if (seen.has(key)) out.push(violation(`builder_exclusions.${i}`, 'unique', 'Paret är angivet två gånger.', 'The pair is named twice.'));
    seen.add(key);
  });
  return out;
}

/**
 * The protection stored with a published release: every cell's status, why each primary cell is
 * unsafe, the loss and the attacker's audit (each suppressed cell's exact count and interval —
 * internal: never served to the public). `trend`: the statuses of the release's own-year trend
 * points, read by the trend of later years' reports.
 */
export type StoredProtection = {
  policy_version: number;
  policy: PolicyDocument;
  method: 'exact' | 'fast';
  optimal: boolean;
  status: Record<string, CellStatus>;
  reasons: Record<string, PrimaryReason>;
  loss: { cells: number; persons: number; primary: number; secondary: number };
  /** The audit as stored: each suppressed cell's exact count and interval (`hi` null: unbounded). */
  audit: { width: number; passed: boolean; failing: string[]; cells: { id: string; count: number; lo: number; hi: number | null; unsafe: boolean; ok: boolean }[] };
  trend: Record<string, CellStatus>;
  seconds: { protect: number; audit: number };
  /** The audit across the other releases of the year published before this one (none: absent). */
  linked?: StoredLinkedAudit;
};

/**
 * The attacker's audit of a release together with the releases of its year published before it
 * (auditAcrossReleases), as stored with its protection. Internal, as the audit is.
 */
export type StoredLinkedAudit = {
  /** The other releases and how many cases differ from this one (added, removed or changed). */
  releases: { id: string; distance: number }[];
  /** Cells of this release suppressed because an earlier release of the year suppresses them. */
  forced: string[];
  passed: boolean;
  failing: { release: string; cell: string }[];
  /** Every unsafe cell of every release of the year: its count and the interval from everything they publish. */
  cells: { release: string; cell: string; count: number; lo: number; hi: number | null; ok: boolean }[];
};

/**
 * The suppression method a publication uses: `LAGESBILD_PUBLICATION_METHOD`, by default 'auto' —
 * the exact method up to 1,000 cells (with its deadline of 8 s, then repair and comparison with the
 * fast method, the cheaper kept: src/disclosure/protect.ts), the fast one above. On a quiet machine
 * the exact method protects the demo release optimally in about 3 s (1,233 persons suppressed
 * against the fast method's 1,322). The test suite sets 'fast': the exact method's seconds per
 * publication, times the hundreds of publications the tests make on two shared cores, ran the
 * publishing tests over their timeouts; one test publishes with 'auto' (BENCHMARKS.md).
 */
export function publicationMethod(env: NodeJS.ProcessEnv = process.env): NonNullable<ProtectOptions['method']> {
  const asked = env.LAGESBILD_PUBLICATION_METHOD?.trim() || 'auto';
  if (asked === 'auto' || asked === 'exact' || asked === 'fast') return asked;
  throw new Error(`LAGESBILD_PUBLICATION_METHOD must be auto, exact or fast (not ${asked})`);
}

/**
 * Protects a release's exact report under its policy. `forced`: cells suppressed because another
 * release of the year suppresses them (forcedBy); they keep the width like unsafe cells, so this
 * release gives away nothing of them, and are marked secondary.
 */
export async function computeProtection(exact: Report, doc: PolicyDocument, version: number, options: ProtectOptions = {}, forced: readonly string[] = []): Promise<StoredProtection> {
  const rp = releaseProblem(exact, doc.public_tables);
  const p = await protect(rp.problem, corePolicy(doc), { method: publicationMethod(), ...options, unsafe: forced });
  for (const id of forced) {
    if (p.reasons[id] !== 'manual') continue;
    delete p.reasons[id];
    p.status[id] = 'secondary';
    p.loss.primary--;
    p.loss.secondary++;
  }
  const trend = Object.fromEntries((rp.tables.get(tableWith('years')) ?? []).map((c) => [String(c.key.measure), p.status[c.cell]]));
  return {
    policy_version: version,
    policy: doc,
    method: p.method,
    optimal: p.optimal,
    status: p.status,
    reasons: p.reasons,
    loss: { cells: p.loss.cells, persons: p.loss.persons, primary: p.loss.primary, secondary: p.loss.secondary },
    audit: storedAudit(p.audit),
    trend,
    seconds: { protect: p.seconds.protect, audit: p.seconds.audit },
  };
}

/** A release as the audit across releases reads it: its exact report and its protection. */
export type ProtectedRelease = { id: string; exact: Report; protection: Pick<StoredProtection, 'policy' | 'status'> };

const suppressedCells = (r: Pick<ProtectedRelease, 'protection'>) => Object.keys(r.protection.status).filter((id) => suppressed(r.protection.status[id]));

/** The cells of `self` that print a figure one of `others` suppresses: suppressed in `self` too, so a figure has one status in every release of the year. */
export function forcedBy(self: { exact: Report; policy: PolicyDocument }, others: readonly ProtectedRelease[]): string[] {
  const mine = releaseProblem(self.exact, self.policy.public_tables).classOf;
  const out = new Set<string>();
  for (const o of others) {
    const theirs = releaseProblem(o.exact, o.protection.policy.public_tables).classOf;
    const hidden = new Set(suppressedCells(o));
    for (const [raw, cell] of theirs) if (hidden.has(cell) && mine.has(raw)) out.add(mine.get(raw)!);
  }
  return [...out].sort();
}

/**
 * The attacker's audit of releases of one year together: every unsafe cell of each, from every
 * figure any of them publishes, where a figure printed by two releases differs by at most the
 * number of cases that differ between them (`distance`). The trend's point of the year is one of
 * these figures, so the trend is audited with them.
 */
export async function auditAcrossReleases(releases: readonly ProtectedRelease[], distance: (a: string, b: string) => number): Promise<Omit<StoredLinkedAudit, 'releases' | 'forced'>> {
  const problems = releases.map((r) => releaseProblem(r.exact, r.protection.policy.public_tables));
  return auditLinked(
    releases,
    problems.map((p) => p.problem),
    (i, j) => {
      const a = problems[i].classOf;
      const b = problems[j].classOf;
      const pairs = new Map<string, readonly [string, string]>();
      for (const [raw, cell] of a) if (b.has(raw)) pairs.set(`${cell}\n${b.get(raw)}`, [cell, b.get(raw)!]);
      return [...pairs.values()];
    },
    distance,
  );
}

/**
 * The linked audit of protected releases read together, whatever their tables: `shared(i, j)` pairs
 * the cells of the i-th and j-th release that print the same figure. The coordinators' releases and
 * each source's (src/stats/sources/protection.ts) are audited by this one function.
 */
export async function auditLinked(
  releases: readonly Pick<ProtectedRelease, 'id' | 'protection'>[],
  problems: readonly Problem[],
  shared: (i: number, j: number) => (readonly [string, string])[],
  distance: (a: string, b: string) => number,
): Promise<Omit<StoredLinkedAudit, 'releases' | 'forced'>> {
  const publications = releases.map((r, k) => ({
    name: r.id,
    problem: problems[k],
    suppressed: suppressedCells(r),
    unsafe: Object.keys(r.protection.status).filter((id) => r.protection.status[id] === 'primary'),
    width: r.protection.policy.width,
  }));
  const links: Link[] = [];
  for (let i = 0; i < releases.length; i++)
    for (let j = i + 1; j < releases.length; j++) links.push({ a: releases[i].id, b: releases[j].id, distance: distance(releases[i].id, releases[j].id), cells: shared(i, j) });
  const r = await linkedAudit(publications, links);
  return {
    passed: r.passed,
    failing: r.failing.map((f) => ({ release: f.publication, cell: f.id })),
    cells: r.cells.map((c) => ({ release: c.publication, cell: c.id, count: c.count, lo: c.lo, hi: Number.isFinite(c.hi) ? c.hi : null, ok: c.ok })),
  };
}

/** The audit in the stored shape (JSON has no infinity). */
export function storedAudit(a: Audit): StoredProtection['audit'] {
  return {
    width: a.width,
    passed: a.passed,
    failing: a.failing,
    cells: a.cells.map((c) => ({ id: c.id, count: c.count, lo: c.lo, hi: Number.isFinite(c.hi) ? c.hi : null, unsafe: c.unsafe, ok: c.ok })),
  };
}

/** The tables of the cells an audit failed on, and the cells: for the statistician's refusal. */
export function failingByTable(problem: Problem, failing: readonly string[]): Record<string, string[]> {
  const tables = new Map(problem.cells.map((c) => [c.id, c.tables ?? []]));
  const out: Record<string, string[]> = {};
  for (const id of failing) for (const t of tables.get(id) ?? ['?']) (out[t] ??= []).push(id);
  return out;
}

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
  /** Each printed figure's own name (table and codes) → its cell: what names the same figure in another release of the year. */
  classOf: Map<string, string>;
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
  // In code order, never in the rows' order (a ranked table's order would tell a suppressed count).
  return [...new Set([...listed, ...present.sort()])];
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
    classOf: new Map([...counts.keys()].map((raw) => [raw, classes.find(raw)])),
  };
}

const suppressed = (s: CellStatus | undefined) => s === 'primary' || s === 'secondary';

/**
 * The protected form of a release's report: every printed cell of a public table (zeros
 * included, in code order so a row's place says nothing of its count) with its status, `count`
 * and `percent` null when suppressed; a cross table's totals; answered, missing and the quality
 * notes' counts null when suppressed; non-public tables dropped; the trend's points of this year
 * from this protection and of earlier years from theirs (`trendOf`: a year's own-year statuses,
 * undefined when that year's figures are not a release's); failing checks without their figures.
 */
export function protectedReport(exact: Report, stored: StoredProtection, trendOf: (year: number) => Record<string, CellStatus> | undefined = () => undefined): PublishedReport {
  const rp = releaseProblem(exact, stored.policy.public_tables);
  const statusOf = (cell: string): CellStatus => {
    const s = stored.status[cell];
    if (!s) throw new Error(`protection: no status for ${cell} (the stored protection is not of this report)`);
    return s;
  };
  const years = tableWith('years');
  const counts = new Map(rp.problem.cells.map((c) => [c.id, c.count]));
  const percentOfRow = (t: ReportTable): boolean => tableSpec(t.id).percent === 'of_all';
  const tables: PublishedTable[] = [];
  for (const t of exact.tables) {
    if (!stored.policy.public_tables.includes(t.id)) continue;
    if (t.id === years) {
      tables.push({ ...t, rows: t.rows.map((r) => trendRow(r)) });
      continue;
    }
    const cells = rp.tables.get(t.id) ?? [];
    const row = (c: TableCell): PublishedRow => {
      const status = statusOf(c.cell);
      const count = suppressed(status) ? null : counts.get(c.cell)!;
      const out: PublishedRow = { ...c.key, count, status };
      if (percentOfRow(t) && !c.margin) out.percent = count === null ? null : percentOfExact(t, c.key);
      return out;
    };
    const ids = rp.answered.get(t.id)!;
    const spec = tableSpec(t.id);
    tables.push({
      id: t.id,
      n_answered: suppressed(statusOf(ids.answered)) ? null : t.n_answered,
      n_missing: suppressed(statusOf(ids.missing)) ? null : t.n_missing,
      rows: cells.filter((c) => !c.margin).map(row),
      ...(spec.column ? { totals: cells.filter((c) => c.margin).map(row) } : {}),
    });
  }
  function percentOfExact(t: ReportTable, key: Record<string, string | number>) {
    const r = t.rows.find((x) => Object.entries(key).every(([k, v]) => String(x[k]) === String(v)));
    return r?.percent ?? 0; // a zero's share
  }
  function trendRow(r: ReportRow): PublishedRow {
    if (r.source !== 'release') return { ...r, status: 'safe' };
    const own = r.year === exact.year ? rp.tables.get(years)?.find((c) => c.key.measure === r.measure) : undefined;
    const status: CellStatus = own ? statusOf(own.cell) : (trendOf(Number(r.year))?.[String(r.measure)] ?? 'safe');
    return { ...r, count: suppressed(status) ? null : r.count, status };
  }
  const disclosure: DisclosureSummary = {
    policy_version: stored.policy_version,
    threshold: stored.policy.threshold,
    width: stored.policy.width,
    protect_zeros: stored.policy.protect_zeros,
    suppressed: stored.loss.cells,
    exact: stored.policy.exact,
  };
  return {
    ...exact,
    tables,
    // The checks of the public tables only (a check naming an internal table says it exists), and
    // a failing one without the figures its detail would print.
    checks: runChecks(exact.tables.filter((t) => stored.policy.public_tables.includes(t.id))).map((c) => (c.ok ? c : { ...c, detail: '' })),
    quality: exact.quality.map((q) => {
      const status = statusOf(rp.quality.get(q.id)!);
      return { ...q, count: suppressed(status) ? null : q.count, status };
    }),
    disclosure,
  };
}
