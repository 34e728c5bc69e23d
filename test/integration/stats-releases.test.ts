// Releases: freezing stores the exact records with a checksum, later changes never touch a
// release or its report, comparison names what moved, numbering, the default release, publishing,
// the demo seed against the published 2025 figures, the trend's sources and the printed series.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../src/access/actor.ts';
import { systemActor } from '../../src/access/actor.ts';
import { seedDemo, DemoRefusedError, importSeries } from '../../src/cli/stats.ts';
import { renderJson } from '../../src/publish/json.ts';
import { changeCase, createCase, getCase, withdrawCase } from '../../src/registry/cases.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { validateCase } from '../../src/standard/validate.ts';
import type { PublishedReport, Report, ReportRow } from '../../src/stats/report-types.ts';
import {
  buildPublishedReport,
  buildReport,
  compareReleases,
  defaultReleaseOf,
  freezeRelease,
  getRelease,
  listReleases,
  liveCasesOfYear,
  publishRelease,
  releaseRecords,
  type Release,
} from '../../src/stats/releases.ts';
import { ensurePublishedSeries, loadPublishedSeries, shippedSeries } from '../../src/stats/series-store.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { coordinatorCase, randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';
import { hardFromReport } from '../support/hard-figures.ts';
import { published, restrictTo } from '../demo-checks.ts';

const stat: Actor = { id: 'user-stat', role: 'statistician', organisation_id: null, region: null };
/** Registers and changes the cases (every region): the system actor, as an import does. */
const registrar: Actor = systemActor('test');

function valid(input: unknown): CaseData {
  const r = validateCase(input);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.errors)}`);
  return r.data;
}
const casesOf = (n: number, seed: number, years: number[]) => {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => valid(randomCase(rand, years)));
};

/** Canonical JSON written independently of the service: keys sorted, undefined left out. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}
function sha256Of(records: { id: string }[]): string {
  const h = crypto.createHash('sha256');
  for (const r of [...records].sort((a, b) => (a.id < b.id ? -1 : 1))) h.update(canonical(r) + '\n');
  return h.digest('hex');
}

/** A table's rows, of the exact report or of the published form (whose suppressed counts are null). */
const rowsOf = (report: Report | PublishedReport, id: string): ReportRow[] => (report.tables.find((t) => t.id === id)?.rows ?? []) as ReportRow[];
const totalsCell = (report: Report | PublishedReport, dimension: string, code: string) =>
  rowsOf(report, 'totals').find((r) => r.dimension === dimension && r.code === code)?.count ?? 0;
const reportJson = async (db: Database['db'], actor: Actor | null, req: Parameters<typeof buildReport>[2]) => renderJson(await buildReport(db, actor, req));
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe.each(dbTargets())('releases on %s', (target) => {
  let database: Database;
  const db = () => database.db;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await db().transaction((tx) => insertCases(tx, registrar, [...casesOf(40, 1, [2025]), ...casesOf(25, 2, [2024])]));
    // one withdrawn coordinator case of 2025 that no release may contain
    const w = await createCase(db(), registrar, coordinatorCase({ region: 'ost' }));
    await withdrawCase(db(), registrar, w.id);
  });
  afterAll(() => database?.close());

  let first: Release;
  let firstJson: string;

  it('freezes the exact current records of the year with a checksum', async () => {
    first = await freezeRelease(db(), stat, { year: 2025, kind: 'preliminary' });
    expect(first).toMatchObject({ id: '2025-1', year: 2025, number: 1, kind: 'preliminary', published: false, demo: false, created_by: stat.id });
    const live = await liveCasesOfYear(db(), 2025);
    expect(live.every((c) => c.source === 'coordinator' && c.status !== 'withdrawn' && c.identified_on.startsWith('2025-'))).toBe(true);
    const expected = live.map(({ version: _v, ...r }) => r);
    expect(first.case_count).toBe(expected.length);
    expect(first.case_count).toBeGreaterThan(20);
    const records = await releaseRecords(db(), first.id);
    expect(records).toEqual(expected);
    expect(first.checksum).toBe(sha256Of(expected));
    // the stored rows name the case versions they froze
    const stored = await rows<{ case_id: string; case_version: number }>(db(), sql`select case_id, case_version from release_cases where release_id = '2025-1' order by case_id`);
    expect(stored).toEqual(live.map((c) => ({ case_id: c.id, case_version: c.version })));
    firstJson = await reportJson(db(), stat, { year: 2025, releaseId: '2025-1' });
    expect(JSON.parse(firstJson).release).toMatchObject({ id: '2025-1', kind: 'preliminary', checksum: first.checksum });
    expect(totalsCell(JSON.parse(firstJson), 'all', 'all')).toBe(first.case_count);
  });

  let changedId: string;
  let withdrawnId: string;
  let addedId: string;

  it('a case changed, withdrawn or added after the freeze changes neither the release nor its report', async () => {
    const live = await liveCasesOfYear(db(), 2025);
    const target1 = live.find((c) => c.sex === 'female' && c.age_group === 'adult')!;
    changedId = target1.id;
    const { id: _i, status: _s, version, ...data } = target1;
    await changeCase(db(), registrar, changedId, version, { ...data, sex: 'male' });
    withdrawnId = live.find((c) => c.id !== changedId)!.id;
    await withdrawCase(db(), registrar, withdrawnId);
    addedId = (await createCase(db(), registrar, coordinatorCase({ region: 'syd', identified_on: '2025-04-02' }))).id;

    expect(await reportJson(db(), stat, { year: 2025, releaseId: '2025-1' })).toBe(firstJson);
    // the default report of the year still uses the release, not the live data
    expect(await reportJson(db(), stat, { year: 2025 })).toBe(firstJson);
    expect((await getRelease(db(), stat, '2025-1')).checksum).toBe(first.checksum);
    expect(await releaseRecords(db(), '2025-1')).toHaveLength(first.case_count);
    // the live data does see the changes
    const liveIds = (await liveCasesOfYear(db(), 2025)).map((c) => c.id);
    expect(liveIds).toContain(addedId);
    expect(liveIds).not.toContain(withdrawnId);
  });

  it('the next freeze sees the changes and the comparison names the cases and cells that moved', async () => {
    const second = await freezeRelease(db(), stat, { year: 2025, kind: 'final' });
    expect(second).toMatchObject({ id: '2025-2', number: 2, kind: 'final', case_count: first.case_count });
    expect(second.checksum).not.toBe(first.checksum);
    const cmp = await compareReleases(db(), stat, '2025-1', '2025-2');
    expect(cmp.added).toEqual([addedId]);
    expect(cmp.removed).toEqual([withdrawnId]);
    expect(cmp.changed).toEqual([changedId]);

    const [a, b] = [
      await buildReport(db(), stat, { year: 2025, releaseId: '2025-1' }),
      await buildReport(db(), stat, { year: 2025, releaseId: '2025-2' }),
    ];
    // every cell whose count differs between the two reports is listed, and nothing else
    const cellKey = (table: string, row: Record<string, unknown>) =>
      `${table}|${canonical(Object.fromEntries(Object.entries(row).filter(([k]) => !['count', 'percent', 'status'].includes(k))))}`;
    const counts = (r: Report) => {
      const m = new Map<string, number>();
      for (const t of r.tables) if (t.id !== 'trend') for (const row of t.rows) m.set(cellKey(t.id, row), row.count);
      return m;
    };
    const [ca, cb] = [counts(a), counts(b)];
    const moved = [...new Set([...ca.keys(), ...cb.keys()])].filter((k) => (ca.get(k) ?? 0) !== (cb.get(k) ?? 0)).sort();
    expect(cmp.cells.map((c) => cellKey(c.table, c.key)).sort()).toEqual(moved);
    for (const c of cmp.cells) {
      expect(c.from).toBe(ca.get(cellKey(c.table, c.key)) ?? 0);
      expect(c.to).toBe(cb.get(cellKey(c.table, c.key)) ?? 0);
    }
    // the case changed from woman to man moves the person-group totals
    const group = (code: string) => cmp.cells.find((c) => c.table === 'totals' && c.key.dimension === 'group' && c.key.code === code);
    expect(moved.length).toBeGreaterThan(0);
    expect(group('man')).toBeDefined();
    expect(totalsCell(b, 'group', 'man') - totalsCell(a, 'group', 'man')).toBe(group('man')!.to - group('man')!.from);
  });

  it('numbers releases per year, also when two freezes run at once', async () => {
    const y24 = await freezeRelease(db(), stat, { year: 2024, kind: 'preliminary' });
    expect(y24.id).toBe('2024-1');
    const [x, y] = await Promise.all([
      freezeRelease(db(), stat, { year: 2025, kind: 'preliminary' }),
      freezeRelease(db(), stat, { year: 2025, kind: 'preliminary' }),
    ]);
    expect([x.id, y.id].sort()).toEqual(['2025-3', '2025-4']);
    // and on a year with no release yet, with connections ready so the freezes really overlap
    await Promise.all(Array.from({ length: 4 }, () => db().execute(sql`select pg_sleep(0.05)`)));
    const three = await Promise.all([2019, 2019, 2019].map((year) => freezeRelease(db(), stat, { year, kind: 'preliminary' })));
    expect(three.map((r) => r.id).sort()).toEqual(['2019-1', '2019-2', '2019-3']);
    expect((await listReleases(db(), stat, { year: 2025 })).map((r) => r.id)).toEqual(['2025-4', '2025-3', '2025-2', '2025-1']);
    expect((await listReleases(db(), stat)).map((r) => r.id)).toEqual(['2025-4', '2025-3', '2025-2', '2025-1', '2024-1', '2019-3', '2019-2', '2019-1']);
    expect(await codeOf(freezeRelease(db(), stat, { year: 2017, kind: 'final' }))).toBe('validation');
  });

  it('chooses a final before any preliminary, the newest of the kind, otherwise the live data', async () => {
    // 2025: 1 preliminary, 2 final, 3 and 4 preliminary → the final
    const r25 = await buildReport(db(), stat, { year: 2025 });
    expect(r25.release).toMatchObject({ id: '2025-2', kind: 'final' });
    // 2024: only a preliminary → it
    expect((await buildReport(db(), stat, { year: 2024 })).release).toMatchObject({ id: '2024-1', kind: 'preliminary' });
    // 2023: no release → the live data, marked live
    const live23 = await buildReport(db(), stat, { year: 2023 });
    expect(live23.release).toEqual({ id: null, kind: 'live' });
    expect(totalsCell(live23, 'all', 'all')).toBe((await liveCasesOfYear(db(), 2023)).length);
    // the pure choice: newest final, else newest preliminary, else none
    const rel = (year: number, number: number, kind: 'final' | 'preliminary') => ({ year, number, kind }) as Release;
    const list = [rel(2025, 1, 'final'), rel(2025, 2, 'preliminary'), rel(2025, 3, 'final'), rel(2025, 4, 'preliminary'), rel(2024, 1, 'preliminary'), rel(2024, 2, 'preliminary')];
    expect(defaultReleaseOf(list, 2025)).toMatchObject({ number: 3 });
    expect(defaultReleaseOf(list, 2024)).toMatchObject({ number: 2 });
    expect(defaultReleaseOf(list, 2023)).toBeUndefined();
  });

  it('shows only published releases, never live data, to those who may not see internal ones', async () => {
    expect(await listReleases(db(), null)).toEqual([]);
    expect(await codeOf(buildPublishedReport(db(), null, { year: 2025 }))).toBe('not_found');
    expect(await codeOf(buildPublishedReport(db(), null, { year: 2023 }))).toBe('not_found');
    await publishRelease(db(), stat, '2025-1');
    expect((await listReleases(db(), null)).map((r) => r.id)).toEqual(['2025-1']);
    // the public default is the published preliminary, although an internal final exists
    const pub = await buildPublishedReport(db(), null, { year: 2025 });
    expect(pub.release).toMatchObject({ id: '2025-1', kind: 'preliminary', published: true });
    expect(pub.tables.find((t) => t.id === 'region')).toBeUndefined();
    expect(await codeOf(buildPublishedReport(db(), null, { year: 2025, releaseId: '2025-2' }))).toBe('not_found');
    expect(await codeOf(buildReport(db(), stat, { year: 2024, releaseId: '2025-1' }))).toBe('not_found');
    expect(await codeOf(compareReleases(db(), null, '2025-1', '2025-2'))).toBe('not_found');
    // the public trend holds no year from an internal release: 2024 has none published
    expect(rowsOf(pub, 'trend').filter((r) => r.year === 2024 && r.source === 'release')).toEqual([]);
  });

  it('a public comparison of published releases never shows the internal region table', async () => {
    await publishRelease(db(), stat, '2025-2');
    const pub = await compareReleases(db(), null, '2025-1', '2025-2');
    expect(pub.cells.filter((c) => c.table === 'region')).toEqual([]);
    // The public comparison names no cases and no users; the statistician's names the changed case.
    expect([pub.added, pub.removed, pub.changed]).toEqual([[], [], []]);
    expect([pub.from.created_by, pub.from.published_by, pub.to.published_by]).toEqual([null, null, null]);
    expect((await compareReleases(db(), stat, '2025-1', '2025-2')).changed).toEqual([changedId]);
  });

  it('publishing twice is a conflict, also when two publish at once', async () => {
    expect(await codeOf(publishRelease(db(), stat, '2025-1'))).toBe('conflict');
    expect(await codeOf(publishRelease(db(), stat, '2099-1'))).toBe('not_found');
    const results = await Promise.all([codeOf(publishRelease(db(), stat, '2025-3')), codeOf(publishRelease(db(), stat, '2025-3'))]);
    expect(results.sort()).toEqual(['conflict', 'ok']);
  });

  it('refuses to read a release whose stored records no longer match its checksum', async () => {
    const r = await freezeRelease(db(), stat, { year: 2024, kind: 'final' });
    await db().execute(sql`update release_cases set data = jsonb_set(data, '{sex}', '"unknown"') where release_id = ${r.id} and case_id = (select min(case_id) from release_cases where release_id = ${r.id})`);
    await expect(releaseRecords(db(), r.id)).rejects.toThrow(/checksum/);
  });

  it('the trend takes years from releases where they exist and the printed series otherwise, saying which', async () => {
    await ensurePublishedSeries(db());
    await publishRelease(db(), stat, '2024-1');
    const report = await buildPublishedReport(db(), null, { year: 2025 });
    const trend = rowsOf(report, 'trend');
    const sourcesOf = (year: number) => [...new Set(trend.filter((r) => r.year === year).map((r) => r.source))];
    expect(sourcesOf(2025)).toEqual(['release']);
    expect(sourcesOf(2024)).toEqual(['release']);
    for (const y of [2018, 2019, 2020, 2021, 2022, 2023]) expect(sourcesOf(y), String(y)).toEqual(['published']);
    const y24 = await buildPublishedReport(db(), null, { year: 2024, releaseId: '2024-1' });
    expect(trend.find((r) => r.year === 2024 && r.measure === 'total')!.count).toBe(totalsCell(y24, 'all', 'all'));
    expect(trend.find((r) => r.year === 2025 && r.measure === 'total')!.count).toBe(totalsCell(report, 'all', 'all'));
    const printed = shippedSeries();
    expect(trend.find((r) => r.year === 2022 && r.measure === 'total')!.count).toBe(printed.find((r) => r.year === 2022 && r.measure === 'total')!.value);
    // years after the report's own year never appear
    expect(trend.every((r) => Number(r.year) <= 2025)).toBe(true);
    expect(rowsOf(await buildPublishedReport(db(), null, { year: 2024 }), 'trend').every((r) => Number(r.year) <= 2024)).toBe(true);
  });

  it('series import adds valid rows and names the row and field of an invalid file', async () => {
    const before = (await loadPublishedSeries(db())).length;
    const file = { format: 'lagesbild-series/1', rows: [{ year: 2015, measure: 'total', value: 123, source_document: 'rapport-2016.pdf', source_table: 'Tabell 1' }] };
    expect(await importSeries(db(), JSON.stringify(file))).toBe(1);
    const after = await loadPublishedSeries(db());
    expect(after).toHaveLength(before + 1);
    expect(after.find((r) => r.year === 2015)).toEqual(file.rows[0]);

    const bad = { ...file, rows: [file.rows[0], { ...file.rows[0], year: 2016, measure: 'persons' }, { ...file.rows[0], year: 2017, value: -1 }] };
    const err = await importSeries(db(), JSON.stringify(bad)).catch((e) => e);
    expect(err.code).toBe('validation');
    expect(err.violations.map((v: { path: string }) => v.path)).toEqual(['rows.1.measure', 'rows.2.value']);
    expect((await importSeries(db(), '{not json').catch((e) => e)).code).toBe('validation');
    expect(await loadPublishedSeries(db())).toHaveLength(before + 1);
  });
});

describe.each(dbTargets())('the demo seed on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database?.close());

  it('gives a published final 2025 release whose report reproduces every hard figure of rk-2025.json', async () => {
    const release = await seedDemo(database.db);
    expect(release).toMatchObject({ id: '2025-1', year: 2025, kind: 'final', published: true, demo: true, case_count: 481 });
    // the statistician's exact form: the printed figures are exact
    const report = await buildReport(database.db, stat, { year: 2025 });
    expect(report.release).toMatchObject({ id: '2025-1', kind: 'final', published: true });
    expect(report.demo).toBe(true);
    expect(restrictTo(hardFromReport(report), published.hard)).toEqual(published.hard);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    // the trend: 2025 from the release, earlier years from the printed series
    const trend = rowsOf(report, 'trend');
    expect(new Set(trend.filter((r) => r.year === 2025).map((r) => r.source))).toEqual(new Set(['release']));
    expect(new Set(trend.filter((r) => Number(r.year) < 2025).map((r) => r.source))).toEqual(new Set(['published']));
    expect(trend.find((r) => r.year === 2025 && r.measure === 'total')!.count).toBe(published.hard.total);
  });

  it('refuses an instance that is not empty', async () => {
    await expect(seedDemo(database.db)).rejects.toBeInstanceOf(DemoRefusedError);
    const other = await openTestDatabase(target);
    try {
      await createCase(other.db, systemActor(), coordinatorCase());
      await expect(seedDemo(other.db)).rejects.toBeInstanceOf(DemoRefusedError);
      expect(await listReleases(other.db, stat)).toEqual([]);
      const id = (await rows<{ id: string }>(other.db, sql`select id from cases`))[0].id;
      await withdrawCase(other.db, systemActor(), id);
      await expect(seedDemo(other.db)).rejects.toBeInstanceOf(DemoRefusedError);
    } finally {
      await other.close();
    }
    const real = await openTestDatabase(target);
    try {
      await setInstanceKind(real.db, 'real');
      await expect(seedDemo(real.db)).rejects.toBeInstanceOf(DemoRefusedError);
      expect((await getCase(real.db, systemActor(), 'STH-2025-0001').catch((e) => e)).code).toBe('not_found');
    } finally {
      await real.close();
    }
  });
});
