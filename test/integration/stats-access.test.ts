// The statistics services decide from the actor what it sees and audit what is not public; the
// routes only ask. Each decision is tested on the service itself and, where a route could have
// decided instead, through HTTP: an unpublished release is not found for anyone but the
// statistician, the statistician's live and internal reads are in the trail (one row, in the
// read's own transaction), the quality view too, and reads of published releases by the public
// write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, gt, sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import { auditLog } from '../../src/access/schema.ts';
import { createCase } from '../../src/registry/cases.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { qualityView } from '../../src/stats/quality.ts';
import { buildPublishedReport, buildReport, compareReleases, freezeRelease, getRelease, listReleases, liveCasesOfYear, publishRelease } from '../../src/stats/releases.ts';
import type { Executor } from '../../src/store/db.ts';
import { coordinatorCase, randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const stat: Actor = { id: 'user-stat-direct', role: 'statistician', organisation_id: null, region: null };
const coordinator: Actor = { id: 'user-nord-direct', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const registrar = systemActor('test');

const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
const hasRegion = (r: { tables: { id: string }[] }) => r.tables.some((t) => t.id === 'region');

class RolledBack extends Error {}
/** Runs `read` inside a transaction that is then rolled back. */
async function rolledBack(db: Executor, read: (tx: Executor) => Promise<unknown>) {
  await expect(
    db.transaction(async (tx) => {
      await read(tx);
      throw new RolledBack();
    }),
  ).rejects.toBeInstanceOf(RolledBack);
}

describe.each(dbTargets())('the statistics services decide from the actor on %s', (target) => {
  let t: TestApp;
  const db = () => t.database.db;
  let co: Client;
  let st: Client;
  let duplicates: string[];

  /** Audit rows after `since`, of every actor. */
  const rowsAfter = (since: number) => db().select().from(auditLog).where(gt(auditLog.seq, since)).orderBy(auditLog.seq);
  const lastSeq = async () => Number((await db().select({ seq: sql<number>`coalesce(max(${auditLog.seq}), 0)` }).from(auditLog))[0].seq);

  beforeAll(async () => {
    t = await openTestApp(target);
    const rand = seededRandom(9);
    const valid = (input: CaseInputIn) => {
      const r = validateCase(input);
      if (!r.ok) throw new Error('fixture invalid');
      return r.data;
    };
    await db().transaction((tx) => insertCases(tx, registrar, Array.from({ length: 30 }, () => valid(randomCase(rand, [2024, 2025])))));
    // two 2025 cases with one linkage key: the quality view names them
    duplicates = [
      (await createCase(db(), registrar, { ...coordinatorCase({ region: 'vast' }), linkage_key: '5c'.repeat(32) } as CaseInputIn)).id,
      (await createCase(db(), registrar, { ...coordinatorCase({ region: 'syd' }), linkage_key: '5c'.repeat(32) } as CaseInputIn)).id,
    ];
    // 2025-1 and 2025-2 published, 2025-3 internal; 2024 has no release (its report is the live data)
    for (const kind of ['preliminary', 'final', 'preliminary'] as const) await freezeRelease(db(), registrar, { year: 2025, kind });
    await publishRelease(db(), registrar, '2025-1');
    await publishRelease(db(), registrar, '2025-2');
    co = await t.as({ role: 'coordinator', region: 'nord' });
    st = await t.as({ role: 'statistician' });
  });
  afterAll(() => t?.close());

  it('a coordinator asking for an unpublished release gets not found, never its data, and writes no audit row', async () => {
    const unpublished = await getRelease(db(), stat, '2025-3');
    const since = await lastSeq();
    for (const url of [
      '/api/stats/report?year=2025&release=2025-3',
      '/api/stats/charts?year=2025&release=2025-3',
      '/api/stats/report/download?year=2025&release=2025-3&format=csv',
      '/api/stats/releases/compare?from=2025-1&to=2025-3',
      '/api/stats/report?year=2024',
    ]) {
      const res = await co.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(json(res).code, url).toBe('not_found');
      expect(res.body, url).not.toContain(unpublished.checksum);
    }
    expect(json(await co.inject({ url: '/api/stats/releases' })).items.map((r: { id: string }) => r.id)).toEqual(['2025-2', '2025-1']);
    // the services themselves, asked directly with the coordinator
    expect(await codeOf(getRelease(db(), coordinator, '2025-3'))).toBe('not_found');
    expect(await codeOf(buildPublishedReport(db(), coordinator, { year: 2025, releaseId: '2025-3' }))).toBe('not_found');
    expect(await codeOf(compareReleases(db(), coordinator, '2025-1', '2025-3'))).toBe('not_found');
    expect(await codeOf(buildPublishedReport(db(), coordinator, { year: 2024 }))).toBe('not_found');
    expect((await listReleases(db(), coordinator)).map((r) => r.id)).toEqual(['2025-2', '2025-1']);
    const own = await buildPublishedReport(db(), coordinator, { year: 2025 });
    expect(own.release).toMatchObject({ id: '2025-2', published: true });
    expect(hasRegion(own)).toBe(false);
    expect(await rowsAfter(since)).toEqual([]);
    // while the statistician gets the same release: the refusal above is the actor's, not the data's
    expect((await buildReport(db(), stat, { year: 2025, releaseId: '2025-3' })).release).toMatchObject({ id: '2025-3', published: false });
    expect((await st.inject({ url: '/api/stats/report?year=2025&release=2025-3' })).statusCode).toBe(200);
  });

  it("a statistician's live report read writes exactly one audit row, in the read's own transaction", async () => {
    const since = await lastSeq();
    const live = await buildReport(db(), stat, { year: 2024 });
    expect(live.release).toEqual({ id: null, kind: 'live' });
    expect(hasRegion(live)).toBe(true);
    const cases = (await liveCasesOfYear(db(), 2024)).length;
    const written = await rowsAfter(since);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ operation: 'report.read_live', actor_id: stat.id, actor_role: 'statistician', details: { view: 'report', year: 2024, cases } });
    // the row belongs to the read's transaction: rolled back with it
    const before = await lastSeq();
    await rolledBack(db(), (tx) => buildReport(tx, stat, { year: 2024 }));
    expect(await rowsAfter(before)).toEqual([]);
    // through HTTP, every form of the report is one row of the statistician
    for (const [url, operation] of [
      ['/api/stats/report?year=2024', 'report.read_live'],
      ['/api/stats/charts?year=2024', 'report.read_live'],
      ['/api/stats/report/download?year=2024&format=csv', 'report.read_live'],
      ['/api/stats/report?year=2025&release=2025-3', 'release.read_internal'],
      ['/api/stats/releases/compare?from=2025-1&to=2025-3', 'release.read_internal'],
      ['/api/stats/releases', 'release.read_internal'],
    ] as const) {
      const at = await lastSeq();
      const res = await st.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const rows = await rowsAfter(at);
      expect(rows.map((r) => [r.operation, r.actor_id]), url).toEqual([[operation, st.user.id]]);
    }
  });

  it('an internal release read and a comparison are audited with what they read; a published release read by the statistician too, as it shows the region table', async () => {
    const since = await lastSeq();
    const internal = await buildReport(db(), stat, { year: 2025, releaseId: '2025-3' });
    const published = await buildReport(db(), stat, { year: 2025, releaseId: '2025-1' });
    expect(hasRegion(published)).toBe(true);
    expect(hasRegion(await buildPublishedReport(db(), null, { year: 2025, releaseId: '2025-1' }))).toBe(false);
    await compareReleases(db(), stat, '2025-1', '2025-3');
    await compareReleases(db(), stat, '2025-1', '2025-2');
    const rows = await rowsAfter(since);
    expect(rows.map((r) => [r.operation, r.actor_id, r.details])).toEqual([
      ['release.read_internal', stat.id, { view: 'report', year: 2025, release_id: internal.release.id }],
      ['release.read_internal', stat.id, { view: 'report', year: 2025, release_id: '2025-1' }],
      ['release.read_internal', stat.id, { view: 'compare', from: '2025-1', to: '2025-3' }],
      ['release.read_internal', stat.id, { view: 'compare', from: '2025-1', to: '2025-2' }],
    ]);
    const before = await lastSeq();
    await rolledBack(db(), (tx) => compareReleases(tx, stat, '2025-1', '2025-3'));
    await rolledBack(db(), (tx) => listReleases(tx, stat));
    expect(await rowsAfter(before)).toEqual([]);
  });

  it('the exact report is the internal reader’s only: the public and a coordinator are refused, even for a published release, and read the protected form', async () => {
    const since = await lastSeq();
    for (const actor of [null, coordinator]) {
      for (const req of [{ year: 2025 }, { year: 2025, releaseId: '2025-1' }, { year: 2025, releaseId: '2025-3' }, { year: 2024 }]) {
        const refusal = await buildReport(db(), actor, req).then(
          () => null,
          (e: { code?: string; kind?: string }) => e,
        );
        expect(refusal, `${actor?.role ?? 'public'} ${JSON.stringify(req)}`).toMatchObject({ code: 'forbidden', kind: 'forbidden' });
      }
      // what they read instead: the published release's protected form, every cell with its status
      const form = await buildPublishedReport(db(), actor, { year: 2025, releaseId: '2025-1' });
      expect(form.disclosure).toBeDefined();
      const cells = form.tables.flatMap((t) => t.rows);
      expect(cells.length).toBeGreaterThan(0);
      expect(cells.every((r) => ['safe', 'primary', 'secondary', 'exact_by_decision'].includes(String(r.status)))).toBe(true);
      expect(cells.some((r) => r.count === null)).toBe(true);
    }
    // a refusal reads nothing, so it writes no audit row
    expect(await rowsAfter(since)).toEqual([]);
    // the statistician still gets the exact counts
    const exact = await buildReport(db(), stat, { year: 2025, releaseId: '2025-1' });
    expect(exact.tables.flatMap((t) => t.rows).every((r) => typeof r.count === 'number')).toBe(true);
  });

  it('the quality view authorises, and audits the cases it names in its own transaction', async () => {
    const since = await lastSeq();
    const view = await qualityView(db(), stat, 2025);
    // The possible duplicates and the cases behind each quality note, each case once.
    const named = [...new Set([...view.possible_duplicates.flatMap((g) => g.case_ids), ...Object.values(view.note_cases).flat()])];
    expect(named).toEqual(expect.arrayContaining(duplicates));
    expect(Object.values(view.note_cases).flat().length).toBeGreaterThan(0);
    const rows = await rowsAfter(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'report.read_live', actor_id: stat.id, details: { view: 'quality', year: 2025, cases: view.cases } });
    expect([...rows[0].case_ids].sort()).toEqual([...named].sort());
    const before = await lastSeq();
    await rolledBack(db(), (tx) => qualityView(tx, stat, 2025));
    expect(await codeOf(qualityView(db(), coordinator, 2025))).toBe('forbidden');
    expect(await rowsAfter(before)).toEqual([]);
  });

  it('reads of published releases by the public write no audit row, through the services or HTTP', async () => {
    const since = await lastSeq();
    expect((await listReleases(db(), null)).map((r) => r.id)).toEqual(['2025-2', '2025-1']);
    expect((await getRelease(db(), null, '2025-1')).published).toBe(true);
    expect(await codeOf(getRelease(db(), null, '2025-3'))).toBe('not_found');
    const report = await buildPublishedReport(db(), null, { year: 2025 });
    expect(report.release).toMatchObject({ id: '2025-2', published: true });
    expect(hasRegion(report)).toBe(false);
    const cmp = await compareReleases(db(), null, '2025-1', '2025-2');
    expect(cmp.cells.filter((c) => c.table === 'region')).toEqual([]);
    for (const url of [
      '/api/stats/releases',
      '/api/stats/report?year=2025',
      '/api/stats/report?year=2025&release=2025-1',
      '/api/stats/charts?year=2025',
      '/api/stats/report/download?year=2025&format=csv',
      '/api/stats/releases/compare?from=2025-1&to=2025-2',
      '/api/stats/public',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
    }
    expect(await rowsAfter(since)).toEqual([]);
    // nor does a read of the coordinator, who sees only what the public sees
    expect((await co.inject({ url: '/api/stats/report?year=2025' })).statusCode).toBe(200);
    expect(await db().select().from(auditLog).where(and(gt(auditLog.seq, since), eq(auditLog.actor_id, co.user.id)))).toEqual([]);
  });
});
