// Releases: freeze a year's coordinator cases into an immutable, numbered release, publish it,
// compare two releases, and choose which data a report is computed from.
import crypto from 'node:crypto';
import { and, asc, desc, eq, isNotNull, isNull, max, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize } from '../access/policy.ts';
import type { CaseData } from '../standard/case.ts';
import type { CaseStatusCode } from '../standard/codes.ts';
import type { Executor } from '../store/db.ts';
import { cases, caseVersions } from '../store/schema.ts';
import { tableWith } from './catalogue.ts';
import { buildCube, type StatsCase } from './cube.ts';
import { computeReport, trendMeasures } from './engine.ts';
import { releaseNotFound, reportNotFound, StatsError } from './errors.ts';
import type { ReleaseRef, Report, ReportSettings } from './report-types.ts';
import { isDemoInstance } from '../store/instance.ts';
import { releaseCases, releases } from './schema.ts';
import { loadPublishedSeries } from './series-store.ts';
import { mergeTrend } from './series.ts';
import { defaultSettings } from './tables.ts';
import { canonicalJson } from '../store/canonical-json.ts';

export type ReleaseKind = 'preliminary' | 'final';

export type Release = {
  id: string;
  year: number;
  number: number;
  kind: ReleaseKind;
  case_count: number;
  checksum: string;
  settings: ReportSettings;
  demo: boolean;
  published: boolean;
  created_at: string;
  created_by: string;
  published_at: string | null;
  published_by: string | null;
};

type FrozenCase = CaseData & { id: string; status: CaseStatusCode };

/** The current data of the year's non-withdrawn coordinator cases, with their version numbers. */
export async function liveCasesOfYear(db: Executor, year: number): Promise<Array<FrozenCase & { version: number }>> {
  const rows = await db
    .select({ id: cases.id, status: cases.status, version: cases.version, data: caseVersions.data })
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
    .where(and(eq(cases.year, year), eq(cases.source, 'coordinator'), sql`${cases.status} <> 'withdrawn'`))
    .orderBy(cases.id);
  return rows.map((r) => ({ ...(r.data as CaseData), id: r.id, status: r.status as CaseStatusCode, version: r.version }));
}


/** SHA-256 over the frozen records in id order. */
export function releaseChecksum(records: readonly { id: string }[]): string {
  const hash = crypto.createHash('sha256');
  for (const r of [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) hash.update(canonicalJson(r)).update('\n');
  return hash.digest('hex');
}

function toRelease(row: typeof releases.$inferSelect): Release {
  return {
    id: row.id,
    year: row.year,
    number: row.number,
    kind: row.kind as ReleaseKind,
    case_count: row.case_count,
    checksum: row.checksum,
    settings: { ...defaultSettings, ...(row.settings as Partial<ReportSettings>) },
    demo: row.demo,
    published: row.published_at !== null,
    created_at: row.created_at.toISOString(),
    created_by: row.created_by,
    published_at: row.published_at?.toISOString() ?? null,
    published_by: row.published_by,
  };
}

/** Names the advisory lock (with the year as second key) that serialises freezes of a year. */
const FREEZE_LOCK = 0x52454c;

/** Freezes the year's current coordinator cases (withdrawn left out) into a new release. */
export async function freezeRelease(
  db: Executor,
  actor: Actor,
  opts: { year: number; kind: ReleaseKind; settings?: Partial<ReportSettings> },
): Promise<Release> {
  if (!Number.isInteger(opts.year) || opts.year < 2018 || opts.year > 2100) {
    throw new StatsError('validation', { sv: 'Ogiltigt år.', en: 'Invalid year.' }, [
      { path: 'year', rule: 'range', message: { sv: 'Året måste vara 2018 eller senare.', en: 'The year must be 2018 or later.' } },
    ]);
  }
  authorize(actor, 'release.freeze');
  return db.transaction(async (tx) => {
    // Freezes of one year take turns, so two at once get consecutive numbers instead of one failing.
    await tx.execute(sql`select pg_advisory_xact_lock(${FREEZE_LOCK}, ${opts.year})`);
    const demo = await isDemoInstance(tx);
    const live = await liveCasesOfYear(tx, opts.year);
    const records: FrozenCase[] = live.map(({ version: _v, ...r }) => r);
    const [{ last }] = await tx.select({ last: max(releases.number) }).from(releases).where(eq(releases.year, opts.year));
    const number = (last ?? 0) + 1;
    const id = `${opts.year}-${number}`;
    const [row] = await tx
      .insert(releases)
      .values({
        id,
        year: opts.year,
        number,
        kind: opts.kind,
        case_count: records.length,
        checksum: releaseChecksum(records),
        settings: { ...defaultSettings, ...opts.settings },
        demo,
        created_by: actor.id,
      })
      .returning();
    const chunk = 1000;
    for (let i = 0; i < records.length; i += chunk) {
      await tx.insert(releaseCases).values(
        live.slice(i, i + chunk).map(({ version, ...r }) => ({ release_id: id, case_id: r.id, case_version: version, data: r })),
      );
    }
    await writeAudit(tx, { actor, operation: 'release.freeze', details: { release_id: id, year: opts.year, kind: opts.kind, cases: records.length } });
    return toRelease(row);
  });
}

/** Publishes a release: from now on everyone may read it. Publishing twice is refused. */
export async function publishRelease(db: Executor, actor: Actor, id: string): Promise<Release> {
  authorize(actor, 'release.publish');
  return db.transaction(async (tx) => {
    const release = await getRelease(tx, id);
    if (release.published) {
      throw new StatsError('conflict', { sv: 'Utgåvan är redan publicerad.', en: 'The release is already published.' });
    }
    // Conditional on still being unpublished: of two concurrent publications only one succeeds.
    const [row] = await tx
      .update(releases)
      .set({ published_at: new Date(), published_by: actor.id })
      .where(and(eq(releases.id, id), isNull(releases.published_at)))
      .returning();
    if (!row) throw new StatsError('conflict', { sv: 'Utgåvan är redan publicerad.', en: 'The release is already published.' });
    await writeAudit(tx, { actor, operation: 'release.publish', details: { release_id: id, year: row.year } });
    return toRelease(row);
  });
}

export async function getRelease(db: Executor, id: string, opts: { publishedOnly?: boolean } = {}): Promise<Release> {
  const [row] = await db.select().from(releases).where(eq(releases.id, id));
  if (!row || (opts.publishedOnly && row.published_at === null)) throw releaseNotFound();
  return toRelease(row);
}

/** Releases, newest first; `publishedOnly` for anyone not allowed to see internal ones. */
export async function listReleases(db: Executor, opts: { year?: number; publishedOnly?: boolean } = {}): Promise<Release[]> {
  const conditions = [];
  if (opts.year !== undefined) conditions.push(eq(releases.year, opts.year));
  if (opts.publishedOnly) conditions.push(isNotNull(releases.published_at));
  const rows = await db
    .select()
    .from(releases)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(releases.year), desc(releases.number));
  return rows.map(toRelease);
}

/** The frozen records of a release, checked against its checksum. */
export async function releaseRecords(db: Executor, id: string): Promise<FrozenCase[]> {
  const release = await getRelease(db, id);
  const rows = await db.select({ data: releaseCases.data }).from(releaseCases).where(eq(releaseCases.release_id, id)).orderBy(asc(releaseCases.case_id));
  const records = rows.map((r) => r.data as FrozenCase);
  if (releaseChecksum(records) !== release.checksum) {
    throw new Error(`release ${id}: stored records do not match the checksum`);
  }
  return records;
}

/**
 * The release a report of the year uses when none is named: the newest final release,
 * otherwise the newest preliminary; undefined when the year has none.
 */
export function defaultReleaseOf(candidates: readonly Release[], year: number): Release | undefined {
  const ofYear = candidates.filter((r) => r.year === year).sort((a, b) => b.number - a.number);
  return ofYear.find((r) => r.kind === 'final') ?? ofYear.find((r) => r.kind === 'preliminary');
}

export type ReportRequest = {
  year: number;
  releaseId?: string;
  /** only published releases, never live data (anyone not signed in as a statistician) */
  publishedOnly: boolean;
  settings?: Partial<ReportSettings>;
  includeRegion?: boolean;
};

/** Computes the report a request asks for, from a release or from the live data. */
export async function buildReport(db: Executor, req: ReportRequest): Promise<Report> {
  const all = await listReleases(db, { publishedOnly: req.publishedOnly });
  let release: Release | undefined;
  if (req.releaseId) {
    release = all.find((r) => r.id === req.releaseId);
    if (!release || release.year !== req.year) throw releaseNotFound();
  } else {
    release = defaultReleaseOf(all, req.year);
  }
  if (!release && req.publishedOnly) throw reportNotFound();

  const cases: StatsCase[] = release ? await releaseRecords(db, release.id) : await liveCasesOfYear(db, req.year);
  const ref: ReleaseRef = release
    ? { id: release.id, kind: release.kind, number: release.number, published: release.published, checksum: release.checksum }
    : { id: null, kind: 'live' };
  const settings = { ...(release?.settings ?? defaultSettings), ...req.settings };
  const demo = release ? release.demo : await isDemoInstance(db);
  return computeReport({
    year: req.year,
    cases,
    release: ref,
    settings,
    trend: await trendPoints(db, all, { year: req.year, cases, settings, publishedOnly: req.publishedOnly }),
    demo,
    includeRegion: req.includeRegion ?? false,
  });
}

/**
 * The trend: each year from its default release where one exists (the report's own year from
 * the data the report uses), otherwise from the printed series.
 */
async function trendPoints(
  db: Executor,
  visible: readonly Release[],
  current: { year: number; cases: readonly StatsCase[]; settings: ReportSettings; publishedOnly: boolean },
) {
  const byYear = new Map<number, Record<string, number>>();
  const years = [...new Set(visible.map((r) => r.year))].filter((y) => y < current.year);
  for (const year of years) {
    const release = defaultReleaseOf(visible, year);
    if (!release) continue;
    const records = await releaseRecords(db, release.id);
    byYear.set(year, { ...trendMeasures(buildCube(records, year), release.settings) });
  }
  if (current.cases.length > 0 || !current.publishedOnly) {
    byYear.set(current.year, { ...trendMeasures(buildCube(current.cases, current.year), current.settings) });
  }
  const printed = (await loadPublishedSeries(db)).filter((r) => r.year <= current.year && ['total', 'adults', 'labour', 'sexual', 'children'].includes(r.measure));
  return mergeTrend(byYear, printed);
}

export type ReleaseComparison = {
  from: Release;
  to: Release;
  added: string[];
  removed: string[];
  changed: string[];
  cells: { table: string; key: Record<string, string | number>; from: number; to: number }[];
};

/** What changed between two releases: cases added, removed or changed, and every table cell that moved. */
export async function compareReleases(db: Executor, fromId: string, toId: string, opts: { publishedOnly?: boolean } = {}): Promise<ReleaseComparison> {
  const [from, to] = [await getRelease(db, fromId, opts), await getRelease(db, toId, opts)];
  const [a, b] = [await releaseRecords(db, fromId), await releaseRecords(db, toId)];
  const aById = new Map(a.map((r) => [r.id, canonicalJson(r)]));
  const bById = new Map(b.map((r) => [r.id, canonicalJson(r)]));
  const added = [...bById.keys()].filter((id) => !aById.has(id));
  const removed = [...aById.keys()].filter((id) => !bById.has(id));
  const changed = [...bById.keys()].filter((id) => aById.has(id) && aById.get(id) !== bById.get(id));
  // The region table is internal: a comparison for the public leaves it out like the public report does.
  const reportOf = (release: Release, records: FrozenCase[]) =>
    computeReport({ year: release.year, cases: records, release: { id: release.id, kind: release.kind }, settings: release.settings, includeRegion: !opts.publishedOnly });
  const cells = diffCells(reportOf(from, a), reportOf(to, b));
  return { from, to, added, removed, changed, cells };
}

/** Every interior cell whose count differs between two reports (a cell missing on one side counts 0). */
export function diffCells(a: Report, b: Report): ReleaseComparison['cells'] {
  const keyOf = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'count' && k !== 'percent' && k !== 'status')) as Record<string, string | number>;
  const index = (r: Report) => {
    const m = new Map<string, { table: string; key: Record<string, string | number>; count: number }>();
    for (const t of r.tables) {
      if (t.id === tableWith('years')) continue; // the trend is not a count of the release's cases
      for (const row of t.rows) {
        const key = keyOf(row);
        m.set(`${t.id}|${canonicalJson(key)}`, { table: t.id, key, count: row.count });
      }
    }
    return m;
  };
  const [ia, ib] = [index(a), index(b)];
  const out: ReleaseComparison['cells'] = [];
  for (const k of new Set([...ia.keys(), ...ib.keys()])) {
    const [x, y] = [ia.get(k), ib.get(k)];
    const fromCount = x?.count ?? 0;
    const toCount = y?.count ?? 0;
    if (fromCount !== toCount) out.push({ table: (x ?? y)!.table, key: (x ?? y)!.key, from: fromCount, to: toCount });
  }
  return out.sort((p, q) => (p.table < q.table ? -1 : p.table > q.table ? 1 : 0));
}
