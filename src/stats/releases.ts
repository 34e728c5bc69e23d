// Releases: freeze a year's coordinator cases into an immutable, numbered release, publish it,
// compare two releases, and choose which data a report is computed from. The civil-society and
// support-programme reports have releases of their own (`source`, ids 2024-civ-1, 2023-stp-1):
// frozen, protected and published the same way, read by buildSourceReport; every coordinator path
// (listings, the default release, the trend, comparisons, outputs) reads coordinator releases only.
//
// The read services take the actor and decide here what it sees, so no caller decides it again:
// the public (null) and every role without `release.read_internal` see published releases only and
// no region table; the statistician (and the system) see the internal view — unpublished releases,
// the live data, the region table — and every such read writes its audit row in the read's own
// transaction. Reads of published releases by the public are not audited.
import crypto from 'node:crypto';
import { and, asc, desc, eq, isNotNull, isNull, max, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit, type AuditEntry } from '../access/audit.ts';
import { authorize, can } from '../access/policy.ts';
import type { CaseData } from '../standard/case.ts';
import type { CaseStatusCode } from '../standard/codes.ts';
import type { Executor } from '../store/db.ts';
import { cases, caseVersions } from '../store/schema.ts';
import { tableWith } from './catalogue.ts';
import { buildCube, type StatsCase } from './cube.ts';
import { computeReport, trendMeasures } from './engine.ts';
import { releaseNotFound, reportNotFound, StatsError } from './errors.ts';
import type { CellStatus, PublishedReport, ReleaseRef, Report, ReportSettings } from './report-types.ts';
import {
  auditAcrossReleases,
  computeProtection,
  failingByTable,
  forcedBy,
  policyDocumentOf,
  policyViolations,
  protectedReport,
  releaseProblem,
  type PolicyDocument,
  type ProtectedRelease,
  type StoredLinkedAudit,
  type StoredProtection,
} from './protection.ts';
import { isDemoInstance } from '../store/instance.ts';
import { releaseCases, releases } from './schema.ts';
import { newRecordKey, recordKeysOfYear } from './record-keys.ts';
import { loadPublishedSeries } from './series-store.ts';
import { mergeTrend } from './series.ts';
import { defaultSettings } from './tables.ts';
import { canonicalJson } from '../store/canonical-json.ts';
import { sourceReportSpecs } from './sources/index.ts';
import { liveSourceRecords } from './sources/records.ts';
import { computeSourceReport } from './sources/report.ts';
import { auditSourceReleases, computeSourceProtection, exactSourceReport, protectedSourceReport, sourceForcedBy, type ProtectedSourceRelease } from './sources/protection.ts';
import { releaseTag, type PublishedSourceReport, type ReportSource, type SourceRecord, type SourceReport } from './sources/types.ts';

export type ReleaseKind = 'preliminary' | 'final';

/** Whose report a release freezes: the regional coordinators' (the default everywhere) or one of the other sources'. */
export type ReleaseSource = 'coordinator' | ReportSource;
export const releaseSources = ['coordinator', 'civil_society', 'support_programme'] as const satisfies readonly ReleaseSource[];

/** A release's id: `2025-1` for the coordinators, `2024-civ-1`, `2023-stp-1` for the others. */
export const releaseIdOf = (source: ReleaseSource, year: number, number: number): string =>
  source === 'coordinator' ? `${year}-${number}` : `${year}-${releaseTag[source]}-${number}`;

export type Release = {
  id: string;
  year: number;
  source: ReleaseSource;
  number: number;
  kind: ReleaseKind;
  case_count: number;
  checksum: string;
  settings: ReportSettings;
  demo: boolean;
  published: boolean;
  created_at: string;
  /** Who froze and published it: null in what the public reads (no user ids leave the system). */
  created_by: string | null;
  published_at: string | null;
  published_by: string | null;
  /** The version of its disclosure policy: counts the statistician's changes, fixed once published. */
  policy_version: number;
};

/** A release as the public reads it: without the ids of the users who froze and published it. */
export const publicRelease = (r: Release): Release => ({ ...r, created_by: null, published_by: null });

type FrozenCase = CaseData & { id: string; status: CaseStatusCode };

/**
 * The current data of the year's non-withdrawn coordinator cases, with their version numbers. A query
 * for this module's services (which authorise and audit); callers ask `buildReport` or `qualityView`.
 */
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
    source: row.source as ReleaseSource,
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
    policy_version: row.policy_version,
  };
}

/** Names the advisory lock (with the year as second key) that serialises freezes of a year. */
const FREEZE_LOCK = 0x52454c;

/**
 * Freezes the year's current coordinator cases (withdrawn left out) into a new release; with
 * `source`, that source's non-withdrawn records of the years its report needs (spec.years) that
 * the report counts (spec.includes).
 */
export async function freezeRelease(
  db: Executor,
  actor: Actor,
  opts: { year: number; kind: ReleaseKind; settings?: Partial<ReportSettings>; source?: ReleaseSource },
): Promise<Release> {
  const source = opts.source ?? 'coordinator';
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
    const live = source === 'coordinator' ? await liveCasesOfYear(tx, opts.year) : await liveOfSource(tx, source, opts.year);
    const records: FrozenCase[] = live.map(({ version: _v, ...r }) => r);
    const [{ last }] = await tx
      .select({ last: max(releases.number) })
      .from(releases)
      .where(and(eq(releases.year, opts.year), eq(releases.source, source)));
    const number = (last ?? 0) + 1;
    const id = releaseIdOf(source, opts.year, number);
    const [row] = await tx
      .insert(releases)
      .values({
        id,
        year: opts.year,
        source,
        number,
        kind: opts.kind,
        case_count: records.length,
        checksum: releaseChecksum(records),
        settings: { ...defaultSettings, ...opts.settings },
        demo,
        created_by: actor.id,
      })
      .returning();
    // A case keeps the record key an earlier release of the year gave it (src/stats/record-keys.ts).
    const keys = await recordKeysOfYear(tx, opts.year);
    const chunk = 1000;
    for (let i = 0; i < records.length; i += chunk) {
      await tx.insert(releaseCases).values(
        live.slice(i, i + chunk).map(({ version, ...r }) => ({
          release_id: id,
          case_id: r.id,
          case_version: version,
          data: r,
          record_key: keys.get(r.id) ?? newRecordKey(),
        })),
      );
    }
    await writeAudit(tx, { actor, operation: 'release.freeze', details: { release_id: id, year: opts.year, source, kind: opts.kind, cases: records.length } });
    return toRelease(row);
  });
}

/** A source's live records that its report of the year counts. */
async function liveOfSource(db: Executor, source: ReportSource, year: number) {
  const spec = sourceReportSpecs[source];
  return (await liveSourceRecords(db, source, spec.years(year))).filter((r) => spec.includes(r));
}

const refOf = (release: Release): ReleaseRef => ({ id: release.id, kind: release.kind, number: release.number, published: release.published, checksum: release.checksum });

/** The exact report of a source's release. */
async function exactSourceReportOf(db: Executor, release: Release, records?: FrozenCase[]): Promise<SourceReport> {
  const spec = sourceReportSpecs[release.source as ReportSource];
  const rs = (records ?? (await releaseRecords(db, release.id))) as SourceRecord[];
  return computeSourceReport(spec, rs, release.year, refOf(release), { demo: release.demo });
}

/** The stored row of a release (policy, its version and protection included). */
async function releaseRow(db: Executor, id: string) {
  const [row] = await db.select().from(releases).where(eq(releases.id, id));
  if (!row) throw releaseNotFound();
  return row;
}

/** The exact report of a release with its own settings (its own year's trend point only): what its protection protects. */
async function exactReportOf(db: Executor, release: Release, records?: FrozenCase[]): Promise<Report> {
  return computeReport({
    year: release.year,
    cases: records ?? (await releaseRecords(db, release.id)),
    release: { id: release.id, kind: release.kind, number: release.number, published: release.published, checksum: release.checksum },
    settings: release.settings,
    demo: release.demo,
  });
}

const alreadyPublished = () => new StatsError('conflict', { sv: 'Utgåvan är redan publicerad.', en: 'The release is already published.' });

/**
 * Publishes a release: from now on everyone may read it, in the form its disclosure policy
 * protects. The protection is computed first (outside the transaction: it may take seconds) and
 * refused when an unsafe cell's interval is narrower than the policy's width (only cells of tables
 * published exactly can cause that); it is stored with the release. Publishing twice is refused.
 */
export async function publishRelease(db: Executor, actor: Actor, id: string, opts: { policy?: PolicyDocument } = {}): Promise<Release> {
  authorize(actor, 'release.publish');
  if (opts.policy) assertValidPolicy(opts.policy);
  const row = await releaseRow(db, id);
  if (row.published_at !== null) throw alreadyPublished();
  const release = toRelease(row);
  // A policy given with the publication is stored only with it: a refused publication changes nothing.
  const doc = opts.policy ?? policyDocumentOf(row.policy);
  const version = opts.policy ? row.policy_version + 1 : row.policy_version;
  const records = await releaseRecords(db, id);
  if (release.source !== 'coordinator') {
    const { protection, linked } = await protectSourceAmongYear(db, { release, records }, doc, version);
    if (!protection.audit.passed) {
      const list = protection.audit.failing.join('; ');
      throw new StatsError('conflict', {
        sv: `Utgåvan kan inte publiceras: röjandeskyddet klarar inte granskningen (${list}).`,
        en: `The release cannot be published: its protection fails the audit (${list}).`,
      });
    }
    if (linked && !linked.passed) {
      const list = linked.failing.map((f) => `${f.release}: ${f.cell}`).join('; ');
      const others = linked.releases.map((r) => r.id).join(', ');
      throw new StatsError('conflict', {
        sv: `Utgåvan kan inte publiceras: tillsammans med de redan publicerade utgåvorna av året (${others}) röjer den celler som måste skyddas (${list}).`,
        en: `The release cannot be published: together with the releases of the year already published (${others}) it gives away cells that must be protected (${list}).`,
      });
    }
    return storePublication(db, actor, row, { protection, doc, version, policyGiven: !!opts.policy });
  }
  const exact = await exactReportOf(db, release, records);
  const { protection, linked } = await protectAmongYear(db, { release, records, exact }, doc, version);
  if (!protection.audit.passed) {
    const byTable = failingByTable(releaseProblem(exact, doc.public_tables).problem, protection.audit.failing);
    const list = Object.entries(byTable).map(([t, cells]) => `${t}: ${cells.join('; ')}`).join(' | ');
    throw new StatsError(
      'conflict',
      {
        sv: `Utgåvan kan inte publiceras: de exakt publicerade tabellerna röjer celler som måste skyddas (${list}).`,
        en: `The release cannot be published: the tables published exactly give away cells that must be protected (${list}).`,
      },
      Object.entries(byTable).map(([t, cells]) => ({
        path: `exact.${t}`,
        rule: 'width',
        message: {
          sv: `Intervallet för ${cells.join(', ')} är smalare än ${doc.width}.`,
          en: `The interval of ${cells.join(', ')} is narrower than ${doc.width}.`,
        },
      })),
    );
  }
  if (linked && !linked.passed) {
    const list = linked.failing.map((f) => `${f.release}: ${f.cell}`).join('; ');
    const others = linked.releases.map((r) => r.id).join(', ');
    throw new StatsError(
      'conflict',
      {
        sv: `Utgåvan kan inte publiceras: tillsammans med de redan publicerade utgåvorna av året (${others}) röjer den celler som måste skyddas (${list}).`,
        en: `The release cannot be published: together with the releases of the year already published (${others}) it gives away cells that must be protected (${list}).`,
      },
      [
        {
          path: 'linked',
          rule: 'width',
          message: {
            sv: `Intervallet för ${list} är smalare än ${doc.width} när utgåvorna läses tillsammans.`,
            en: `The interval of ${list} is narrower than ${doc.width} when the releases are read together.`,
          },
        },
      ],
    );
  }
  return storePublication(db, actor, row, { protection, doc, version, policyGiven: !!opts.policy });
}

/** Stores a publication and its protection, with its audit rows (and the policy's when one came with it). */
async function storePublication(
  db: Executor,
  actor: Actor,
  row: typeof releases.$inferSelect,
  p: { protection: StoredProtection; doc: PolicyDocument; version: number; policyGiven: boolean },
): Promise<Release> {
  const { protection, doc, version } = p;
  const id = row.id;
  return db.transaction(async (tx) => {
    // Conditional on still being unpublished under the same policy: of two concurrent publications
    // only one succeeds, and a policy changed meanwhile is not published with another's protection.
    const [updated] = await tx
      .update(releases)
      .set({ published_at: new Date(), published_by: actor.id, protection, ...(p.policyGiven && { policy: doc, policy_version: version }) })
      .where(and(eq(releases.id, id), isNull(releases.published_at), eq(releases.policy_version, row.policy_version)))
      .returning();
    if (!updated) {
      if ((await releaseRow(tx, id)).published_at !== null) throw alreadyPublished();
      throw new StatsError('conflict', { sv: 'Publiceringsreglerna ändrades under tiden; försök igen.', en: 'The disclosure policy changed meanwhile; try again.' });
    }
    if (p.policyGiven) await writeAudit(tx, { actor, operation: 'release.policy', details: { release_id: id, version, policy: doc } });
    await writeAudit(tx, {
      actor,
      operation: 'release.publish',
      details: {
        release_id: id,
        year: updated.year,
        source: updated.source,
        policy_version: version,
        suppressed: protection.loss.cells,
        // The statistician's reasons for tables published exactly stay in the trail with the publication.
        exact: doc.exact,
      },
    });
    return toRelease(updated);
  });
}

function assertValidPolicy(doc: PolicyDocument): void {
  const violations = policyViolations(doc);
  if (violations.length) throw new StatsError('validation', { sv: 'Publiceringsreglerna är ogiltiga.', en: 'The disclosure policy is invalid.' }, violations);
}

/** How many cases differ between two frozen sets of records: added, removed or changed. */
export function recordDistance(a: readonly FrozenCase[], b: readonly FrozenCase[]): number {
  const mine = new Map(a.map((r) => [r.id, canonicalJson(r)]));
  let distance = 0;
  for (const r of b) {
    const other = mine.get(r.id);
    if (other === undefined || other !== canonicalJson(r)) distance++;
    mine.delete(r.id);
  }
  return distance + mine.size;
}

/**
 * A release's protection among the releases of its year already published: protected alone
 * first; when the attacker's audit of all of them together fails, protected again with the cells
 * the others suppress suppressed here too (forcedBy), and audited together again. `linked` is
 * absent when no other release of the year is published.
 */
async function protectAmongYear(
  db: Executor,
  self: { release: Release; records: FrozenCase[]; exact: Report },
  doc: PolicyDocument,
  version: number,
): Promise<{ protection: StoredProtection; linked?: StoredLinkedAudit }> {
  let protection = await computeProtection(self.exact, doc, version);
  const others = (await releasesOf(db, { year: self.release.year, internal: false })).filter((r) => r.id !== self.release.id);
  if (!others.length || !protection.audit.passed) return { protection };
  const records = new Map([[self.release.id, self.records]]);
  const siblings: ProtectedRelease[] = [];
  for (const o of others) {
    const rs = await releaseRecords(db, o.id);
    records.set(o.id, rs);
    siblings.push({ id: o.id, exact: await exactReportOf(db, o, rs), protection: await releaseProtection(db, o) });
  }
  const distances = new Map<string, number>();
  const distance = (a: string, b: string) => {
    const key = [a, b].sort().join('\n');
    if (!distances.has(key)) distances.set(key, recordDistance(records.get(a)!, records.get(b)!));
    return distances.get(key)!;
  };
  const together = (p: StoredProtection) => auditAcrossReleases([{ id: self.release.id, exact: self.exact, protection: p }, ...siblings], distance);
  let result = await together(protection);
  let forced: string[] = [];
  if (!result.passed) {
    forced = forcedBy({ exact: self.exact, policy: doc }, siblings);
    protection = await computeProtection(self.exact, doc, version, {}, forced);
    if (protection.audit.passed) result = await together(protection);
  }
  const linked: StoredLinkedAudit = { releases: others.map((o) => ({ id: o.id, distance: distance(self.release.id, o.id) })), forced, ...result };
  return { protection: { ...protection, linked }, linked };
}

/**
 * A source release's protection among the published releases of the same source and year, as
 * protectAmongYear does for the coordinators': alone first; when the audit of all of them together
 * fails, again with the cells the others suppress suppressed here too, and audited together again.
 */
async function protectSourceAmongYear(
  db: Executor,
  self: { release: Release; records: FrozenCase[] },
  doc: PolicyDocument,
  version: number,
): Promise<{ protection: StoredProtection; linked?: StoredLinkedAudit }> {
  const spec = sourceReportSpecs[self.release.source as ReportSource];
  const exact = await exactSourceReportOf(db, self.release, self.records);
  let protection = await computeSourceProtection(spec, exact, doc, version);
  const others = (await releasesOf(db, { year: self.release.year, internal: false, source: self.release.source })).filter((r) => r.id !== self.release.id);
  if (!others.length || !protection.audit.passed) return { protection };
  const records = new Map([[self.release.id, self.records]]);
  const siblings: ProtectedSourceRelease[] = [];
  for (const o of others) {
    const rs = await releaseRecords(db, o.id);
    records.set(o.id, rs);
    siblings.push({ id: o.id, exact: await exactSourceReportOf(db, o, rs), protection: await releaseProtection(db, o) });
  }
  const distance = (a: string, b: string) => recordDistance(records.get(a)!, records.get(b)!);
  const together = (p: StoredProtection) => auditSourceReleases(spec, [{ id: self.release.id, exact, protection: p }, ...siblings], distance);
  let result = await together(protection);
  let forced: string[] = [];
  if (!result.passed) {
    forced = sourceForcedBy(spec, exact, siblings);
    protection = await computeSourceProtection(spec, exact, doc, version, {}, forced);
    if (protection.audit.passed) result = await together(protection);
  }
  const linked: StoredLinkedAudit = { releases: others.map((o) => ({ id: o.id, distance: distance(self.release.id, o.id) })), forced, ...result };
  return { protection: { ...protection, linked }, linked };
}

/** A release's disclosure policy as the statistician reads and sets it, with the protection stored at publication. */
export type PolicyView = { release_id: string; published: boolean; version: number; policy: PolicyDocument; protection: StoredProtection | null };

const policyView = (row: typeof releases.$inferSelect): PolicyView => ({
  release_id: row.id,
  published: row.published_at !== null,
  version: row.policy_version,
  policy: policyDocumentOf(row.policy),
  protection: (row.protection as StoredProtection | null) ?? null,
});

/** The policy of a release (statistician: it comes with the exact counts of the audit). */
export async function getReleasePolicy(db: Executor, actor: Actor, id: string): Promise<PolicyView> {
  authorize(actor, 'release.publish');
  return auditedRead(db, actor, async (tx) => policyView(await releaseRow(tx, id)), () => ({ operation: 'release.read_internal', details: { view: 'policy', release_id: id } }));
}

/**
 * Sets a release's disclosure policy before it is published (refused after: what was published
 * stays published). Each change counts up the policy's version and writes an audit row with the
 * whole policy, the reasons for tables published exactly included.
 */
export async function setReleasePolicy(db: Executor, actor: Actor, id: string, doc: PolicyDocument): Promise<PolicyView> {
  authorize(actor, 'release.publish');
  assertValidPolicy(doc);
  return db.transaction(async (tx) => {
    const row = await releaseRow(tx, id);
    if (row.published_at !== null) {
      throw new StatsError('conflict', { sv: 'Utgåvan är publicerad; dess publiceringsregler kan inte ändras.', en: 'The release is published; its disclosure policy cannot change.' });
    }
    const [updated] = await tx
      .update(releases)
      .set({ policy: doc, policy_version: sql`${releases.policy_version} + 1` })
      .where(and(eq(releases.id, id), isNull(releases.published_at)))
      .returning();
    if (!updated) throw alreadyPublished();
    await writeAudit(tx, { actor, operation: 'release.policy', details: { release_id: id, version: updated.policy_version, policy: doc } });
    return policyView(updated);
  });
}

/**
 * The protection of a published release: stored at publication, or — for a release published
 * before policies existed — computed with its (default) policy on first need and stored. An
 * unpublished release's protection is a preview under its current policy, never stored.
 */
export async function releaseProtection(db: Executor, release: Release): Promise<StoredProtection> {
  const row = await releaseRow(db, release.id);
  if (row.protection) return row.protection as StoredProtection;
  if (row.source !== 'coordinator') {
    // A source's release is protected when published; unpublished, this is its preview.
    const spec = sourceReportSpecs[row.source as ReportSource];
    return computeSourceProtection(spec, await exactSourceReportOf(db, release), policyDocumentOf(row.policy), row.policy_version);
  }
  const protection = await computeProtection(await exactReportOf(db, release), policyDocumentOf(row.policy), row.policy_version);
  if (row.published_at === null) return protection;
  await db.update(releases).set({ protection }).where(and(eq(releases.id, release.id), isNull(releases.protection)));
  const stored = (await releaseRow(db, release.id)).protection as StoredProtection;
  return stored;
}

/**
 * The actor when it reads the internal view of the statistics (unpublished releases, the live
 * data); null for everyone else, the public (null) included: they read published releases only.
 */
function internalReader(actor: Actor | null): Actor | null {
  return actor && can(actor, 'release.read_internal') ? actor : null;
}

/** Whether the actor reads the internal view; for a caller choosing between these services and the stored outputs. */
export const readsInternal = (actor: Actor | null): boolean => internalReader(actor) !== null;

/** The internal region table: for those who read the internal view and the live data. */
const seesRegion = (actor: Actor | null) => readsInternal(actor) && can(actor, 'report.read_live');

/**
 * Runs a read of the internal view and writes its audit row in the same transaction: no row
 * without the read, no read without its row. The row is written last, as it holds the trail's
 * lock until the commit.
 */
async function auditedRead<T>(db: Executor, actor: Actor, read: (tx: Executor) => Promise<T>, entry: (result: T) => Omit<AuditEntry, 'actor'>): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await read(tx);
    await writeAudit(tx, { actor, ...entry(result) });
    return result;
  });
}

/**
 * A release by id; `publishedOnly`: an unpublished one is not found (never "forbidden": that would
 * say it exists). `source`: a release of another source is not found either.
 */
async function releaseById(db: Executor, id: string, publishedOnly: boolean, source?: ReleaseSource): Promise<Release> {
  const [row] = await db.select().from(releases).where(eq(releases.id, id));
  if (!row || (publishedOnly && row.published_at === null) || (source !== undefined && row.source !== source)) throw releaseNotFound();
  return toRelease(row);
}

/** Releases of a source (the coordinators' unless named), newest first; published ones only unless `internal`. */
async function releasesOf(db: Executor, opts: { year?: number; internal: boolean; source?: ReleaseSource }): Promise<Release[]> {
  const conditions = [eq(releases.source, opts.source ?? 'coordinator')];
  if (opts.year !== undefined) conditions.push(eq(releases.year, opts.year));
  if (!opts.internal) conditions.push(isNotNull(releases.published_at));
  const rows = await db
    .select()
    .from(releases)
    .where(and(...conditions))
    .orderBy(desc(releases.year), desc(releases.number));
  return rows.map(toRelease);
}

/** One release as the actor may see it: an unpublished one is not found for the public. */
export async function getRelease(db: Executor, actor: Actor | null, id: string): Promise<Release> {
  const reader = internalReader(actor);
  if (!reader) return publicRelease(await releaseById(db, id, true));
  return auditedRead(db, reader, (tx) => releaseById(tx, id, false), () => ({
    operation: 'release.read_internal',
    details: { view: 'release', release_id: id },
  }));
}

/** The releases of a source (the coordinators' unless named) the actor may see, newest first (the public: the published ones). */
export async function listReleases(db: Executor, actor: Actor | null, opts: { year?: number; source?: ReleaseSource } = {}): Promise<Release[]> {
  const reader = internalReader(actor);
  const source = opts.source ?? 'coordinator';
  if (!reader) return (await releasesOf(db, { year: opts.year, internal: false, source })).map(publicRelease);
  return auditedRead(db, reader, (tx) => releasesOf(tx, { year: opts.year, internal: true, source }), (list) => ({
    operation: 'release.read_internal',
    details: { view: 'list', year: opts.year ?? null, ...(source !== 'coordinator' && { source }), releases: list.length },
  }));
}

/** The frozen records of a release, checked against its checksum (a query for this module's services). */
export async function releaseRecords(db: Executor, id: string): Promise<FrozenCase[]> {
  const release = await releaseById(db, id, false);
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
  settings?: Partial<ReportSettings>;
};

/**
 * The exact report a request asks for, from a release or from the live data: for the internal
 * reader only (the statistician); everyone else is refused (forbidden) and reads the protected form
 * (buildPublishedReport). The read is audited: `report.read_live` when it is computed from the
 * live data, `release.read_internal` when from a release.
 */
export async function buildReport(db: Executor, actor: Actor | null, req: ReportRequest): Promise<Report> {
  authorize(actor, 'release.read_internal');
  return exactReport(db, actor, req);
}

/**
 * The exact counts of a report as the actor may see them: the public gets published releases only
 * (not found otherwise), never the live data or the region table; the internal view's read is
 * audited. Not exported: outside this module only buildPublishedReport's protected form of it
 * leaves for anyone but the internal reader.
 */
async function exactReport(db: Executor, actor: Actor | null, req: ReportRequest): Promise<Report> {
  const reader = internalReader(actor);
  const view = { internal: reader !== null, readLive: can(reader, 'report.read_live') };
  const input = reader
    ? await auditedRead(db, reader, (tx) => reportInput(tx, req, view), (i) =>
        i.release.id === null
          ? { operation: 'report.read_live', details: { view: 'report', year: req.year, cases: i.cases.length } }
          : { operation: 'release.read_internal', details: { view: 'report', year: req.year, release_id: i.release.id } },
      )
    : await reportInput(db, req, view);
  // Computed after the commit: the counting may take seconds and needs no transaction.
  return computeReport({ ...input, includeRegion: seesRegion(actor) });
}

export type ReportForm = 'exact' | 'protected';

/** The protected form exists with the release's own settings only (see buildPublishedReport). */
export function assertOwnSettings(release: Pick<Release, 'settings'>, asked: Partial<ReportSettings> | undefined): void {
  if (asked?.unknown_age_as_adult === undefined || asked.unknown_age_as_adult === release.settings.unknown_age_as_adult) return;
  throw new StatsError('validation', { sv: 'Statistiken publiceras med utgåvans inställning.', en: 'The statistics are published with the release’s setting.' }, [
    {
      path: 'unknown_age_as_adult',
      rule: 'protected',
      message: { sv: 'Den skyddade statistiken finns bara med utgåvans egen inställning.', en: 'The protected statistics exist with the release’s own setting only.' },
    },
  ]);
}

/**
 * The report as the actor may read it: the statistician (who reads the internal view) the exact
 * form unless asking for the protected one; everyone else the protected form of a published
 * release, protected as its stored protection says (computed and stored on first need for a release
 * published before policies existed). The protected form exists for the release's own settings
 * only: a second count of persons of unknown age would be a second, unaudited set of figures.
 */
export async function buildPublishedReport(db: Executor, actor: Actor | null, req: ReportRequest & { form?: ReportForm }): Promise<PublishedReport> {
  const internal = readsInternal(actor);
  if (internal && req.form !== 'protected') return exactReport(db, actor, req);
  const exact = await exactReport(db, actor, req);
  if (exact.release.id === null) {
    throw new StatsError('validation', { sv: 'Det finns ingen skyddad form av levande data.', en: 'Live data has no protected form.' }, [
      { path: 'form', rule: 'release', message: { sv: 'Den skyddade formen finns för utgåvor.', en: 'The protected form exists for releases.' } },
    ]);
  }
  const release = await releaseById(db, exact.release.id, !internal, 'coordinator');
  assertOwnSettings(release, req.settings);
  const protection = await releaseProtection(db, release);
  // The trend's points of earlier years are protected as their own releases are.
  const visible = await releasesOf(db, { internal });
  const earlier = new Map<number, Record<string, CellStatus>>();
  for (const row of exact.tables.find((t) => t.id === tableWith('years'))?.rows ?? []) {
    const year = Number(row.year);
    if (row.source !== 'release' || year === exact.year || earlier.has(year)) continue;
    const of = defaultReleaseOf(visible, year);
    if (of) earlier.set(year, (await releaseProtection(db, of)).trend);
  }
  return protectedReport(exact, protection, (year) => earlier.get(year));
}

/** What a report is computed from: its release (or the live data), settings and trend. */
async function reportInput(db: Executor, req: ReportRequest, view: { internal: boolean; readLive: boolean }) {
  const all = await releasesOf(db, { internal: view.internal });
  let release: Release | undefined;
  if (req.releaseId) {
    release = all.find((r) => r.id === req.releaseId);
    if (!release || release.year !== req.year) throw releaseNotFound();
  } else {
    release = defaultReleaseOf(all, req.year);
  }
  if (!release && !view.readLive) throw reportNotFound();

  const cases: StatsCase[] = release ? await releaseRecords(db, release.id) : await liveCasesOfYear(db, req.year);
  const ref: ReleaseRef = release
    ? { id: release.id, kind: release.kind, number: release.number, published: release.published, checksum: release.checksum }
    : { id: null, kind: 'live' };
  const settings = { ...(release?.settings ?? defaultSettings), ...req.settings };
  const demo = release ? release.demo : await isDemoInstance(db);
  const trend = await trendPoints(db, all, { year: req.year, cases, settings, internal: view.internal });
  return { year: req.year, cases, release: ref, settings, trend, demo };
}

/**
 * The trend: each year from its default release where one exists (the report's own year from
 * the data the report uses), otherwise from the printed series.
 */
async function trendPoints(
  db: Executor,
  visible: readonly Release[],
  current: { year: number; cases: readonly StatsCase[]; settings: ReportSettings; internal: boolean },
) {
  const byYear = new Map<number, Record<string, number>>();
  const years = [...new Set(visible.map((r) => r.year))].filter((y) => y < current.year);
  for (const year of years) {
    const release = defaultReleaseOf(visible, year);
    if (!release) continue;
    const records = await releaseRecords(db, release.id);
    byYear.set(year, { ...trendMeasures(buildCube(records, year), release.settings) });
  }
  if (current.cases.length > 0 || current.internal) {
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

/**
 * What changed between two releases: cases added, removed or changed, and every table cell that
 * moved. The public compares published releases only (not found otherwise), without the region
 * table; the internal view's comparison is audited.
 */
export async function compareReleases(db: Executor, actor: Actor | null, fromId: string, toId: string): Promise<ReleaseComparison> {
  const reader = internalReader(actor);
  const load = async (tx: Executor) => {
    const [from, to] = [await releaseById(tx, fromId, !reader, 'coordinator'), await releaseById(tx, toId, !reader, 'coordinator')];
    return { from, to, a: await releaseRecords(tx, fromId), b: await releaseRecords(tx, toId) };
  };
  const { from, to, a, b } = reader
    ? await auditedRead(db, reader, load, () => ({ operation: 'release.read_internal', details: { view: 'compare', from: fromId, to: toId } }))
    : await load(db);
  const aById = new Map(a.map((r) => [r.id, canonicalJson(r)]));
  const bById = new Map(b.map((r) => [r.id, canonicalJson(r)]));
  const added = [...bById.keys()].filter((id) => !aById.has(id));
  const removed = [...aById.keys()].filter((id) => !bById.has(id));
  const changed = [...bById.keys()].filter((id) => aById.has(id) && aById.get(id) !== bById.get(id));
  const includeRegion = seesRegion(actor);
  const reportOf = (release: Release, records: FrozenCase[]) =>
    computeReport({ year: release.year, cases: records, release: { id: release.id, kind: release.kind }, settings: release.settings, includeRegion });
  if (reader) return { from, to, added, removed, changed, cells: diffCells(reportOf(from, a), reportOf(to, b)) };
  // The public: which cases moved is case-level, so only cells of the protected forms that both
  // releases publish (a cell suppressed on either side stays unknown).
  const protectedOf = async (release: Release, records: FrozenCase[]) =>
    protectedReport(reportOf(release, records), await releaseProtection(db, release));
  const cells = diffCells(await protectedOf(from, a), await protectedOf(to, b), { publishedOnly: true });
  return { from: publicRelease(from), to: publicRelease(to), added: [], removed: [], changed: [], cells };
}

/**
 * Every interior cell whose count differs between two reports (a cell missing on one side counts
 * 0). `publishedOnly`: protected forms, where a cell suppressed on either side (null) is left out.
 */
export function diffCells(a: PublishedReport, b: PublishedReport, opts: { publishedOnly?: boolean } = {}): ReleaseComparison['cells'] {
  const keyOf = (row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'count' && k !== 'percent' && k !== 'status')) as Record<string, string | number>;
  const index = (r: PublishedReport) => {
    const m = new Map<string, { table: string; key: Record<string, string | number>; count: number | null }>();
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
    if (opts.publishedOnly && (!x || !y || x.count === null || y.count === null)) continue;
    const fromCount = x?.count ?? 0;
    const toCount = y?.count ?? 0;
    if (fromCount !== toCount && fromCount !== null && toCount !== null) out.push({ table: (x ?? y)!.table, key: (x ?? y)!.key, from: fromCount, to: toCount });
  }
  return out.sort((p, q) => (p.table < q.table ? -1 : p.table > q.table ? 1 : 0));
}

/** The sources' names in a sentence: "ingen rapport från civilsamhället". */
const sourceNames: Record<ReportSource, { sv: string; en: string }> = {
  civil_society: { sv: 'civilsamhället', en: 'civil society' },
  support_programme: { sv: 'stödprogrammen', en: 'the support programmes' },
};

const sourceReportNotFound = (source: ReportSource, year: number) =>
  new StatsError('not_found', {
    sv: `Det finns ingen publicerad rapport från ${sourceNames[source].sv} för ${year}.`,
    en: `There is no published report from ${sourceNames[source].en} for ${year}.`,
  });

const sourceReleaseNotFound = (source: ReportSource, year: number, id: string) =>
  new StatsError('not_found', {
    sv: `Utgåvan ${id} av rapporten från ${sourceNames[source].sv} för ${year} hittades inte.`,
    en: `The release ${id} of the report from ${sourceNames[source].en} for ${year} was not found.`,
  });

export type SourceReportRequest = { source: ReportSource; year: number; releaseId?: string; form?: ReportForm };

/** The release a request for a source's report reads: the one named, or the year's default (newest final, else newest preliminary). */
export function pickSourceRelease(candidates: readonly Release[], req: Pick<SourceReportRequest, 'source' | 'year' | 'releaseId'>): Release {
  if (req.releaseId) {
    const release = candidates.find((r) => r.id === req.releaseId && r.source === req.source);
    if (!release || release.year !== req.year) throw sourceReleaseNotFound(req.source, req.year, req.releaseId);
    return release;
  }
  const release = defaultReleaseOf(
    candidates.filter((r) => r.source === req.source),
    req.year,
  );
  if (!release) throw sourceReportNotFound(req.source, req.year);
  return release;
}

/**
 * A source's report for a year as the actor may read it: everyone the protected form of a
 * published release (not found otherwise); the statistician (who reads the internal view) also
 * unpublished releases (their protection a preview) and, asking `form=exact`, the exact counts —
 * every such read audited. Anyone else asking for the exact form is refused.
 */
export async function buildSourceReport(db: Executor, actor: Actor | null, req: SourceReportRequest): Promise<PublishedSourceReport> {
  const reader = internalReader(actor);
  if (req.form === 'exact') authorize(actor, 'release.read_internal');
  const spec = sourceReportSpecs[req.source];
  const load = async (tx: Executor) => {
    const release = pickSourceRelease(await releasesOf(tx, { year: req.year, internal: reader !== null, source: req.source }), req);
    return { release, records: await releaseRecords(tx, release.id) };
  };
  const { release, records } = reader
    ? await auditedRead(db, reader, load, (r) => ({
        operation: 'release.read_internal',
        details: { view: 'source-report', source: req.source, year: req.year, release_id: r.release.id, form: req.form ?? 'protected' },
      }))
    : await load(db);
  const exact = await exactSourceReportOf(db, release, records);
  if (req.form === 'exact') return exactSourceReport(spec, exact);
  return protectedSourceReport(spec, exact, await releaseProtection(db, release));
}
