// Releases of the civil-society and support-programme reports: frozen per source with their own
// ids (2024-civ-1, 2024-stp-1) beside the coordinators' (2024-1), listed per source while every
// coordinator listing stays as it was; published with their protection (suppressed cells null with
// their status, no unsafe count printed, the audit passed), read by the public only when published
// and only in the protected form, by the statistician exactly (audited).
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { drawnVariant } from '../../src/outputs/release-outputs.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import { statisticsYear } from '../../src/standard/derive.ts';
import { releaseChecksum, releaseRecords } from '../../src/stats/releases.ts';
import { sourceReportSpecs } from '../../src/stats/sources/index.ts';
import { computeSourceReport } from '../../src/stats/sources/report.ts';
import { sourceProblem } from '../../src/stats/sources/protection.ts';
import type { SourceRecord, SourceReportView as ServiceView } from '../../src/stats/sources/types.ts';
import type { SourceReportView } from '../../src/contract/source-reports.ts';
import { rows } from '../../src/store/db.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const YEAR = 2024;

it('the contract’s view is the service’s', () => {
  expectTypeOf<ServiceView>().toExtend<SourceReportView>();
  expectTypeOf<SourceReportView>().toExtend<ServiceView>();
});

describe.each(dbTargets())('source releases on %s', (target) => {
  let t: TestApp;
  let stat: Client;
  let coordinator: Client;
  const get = (url: string, who?: Client) => (who ? who.inject({ method: 'GET', url }) : t.app.inject({ method: 'GET', url }));
  const post = (who: Client, url: string, payload: Record<string, unknown> = {}) => who.inject({ method: 'POST', url, payload });

  beforeAll(async () => {
    t = await openTestApp(target);
    // Every source's records over several years (the generator's own mix), so each report has small cells to protect.
    const data = importableCases(500, 7, { today: '2025-12-31' });
    await t.database.db.transaction((tx) => insertCases(tx, systemActor('test'), data));
    stat = await t.as({ role: 'statistician' });
    coordinator = await t.as({ role: 'coordinator', region: 'stockholm' });
  }, 120_000);
  afterAll(() => t?.close());

  it('freezes each source into its own numbered releases, with the ids of its source', async () => {
    const coord = json(await post(stat, '/api/stats/releases', { year: YEAR, kind: 'final' }));
    expect(coord).toMatchObject({ id: `${YEAR}-1`, source: 'coordinator', number: 1 });
    const civ = await post(stat, '/api/stats/releases', { year: YEAR, kind: 'final', source: 'civil_society' });
    expect(civ.statusCode).toBe(201);
    expect(json(civ)).toMatchObject({ id: `${YEAR}-civ-1`, source: 'civil_society', number: 1, published: false });
    const stp = json(await post(stat, '/api/stats/releases', { year: YEAR, kind: 'final', source: 'support_programme' }));
    expect(stp).toMatchObject({ id: `${YEAR}-stp-1`, source: 'support_programme', number: 1 });
    const civ2 = json(await post(stat, '/api/stats/releases', { year: YEAR, kind: 'preliminary', source: 'civil_society' }));
    expect(civ2).toMatchObject({ id: `${YEAR}-civ-2`, number: 2 });
    // A coordinator may not freeze any source.
    expect((await post(coordinator, '/api/stats/releases', { year: YEAR, kind: 'final', source: 'civil_society' })).statusCode).toBe(403);
  });

  it('freezes the source’s non-withdrawn records of the years its report needs, which its report includes, with their checksum', async () => {
    for (const [id, source] of [[`${YEAR}-civ-1`, 'civil_society'], [`${YEAR}-stp-1`, 'support_programme']] as const) {
      const spec = sourceReportSpecs[source];
      const { from, to } = spec.years(YEAR);
      const expected = await rows<{ id: string }>(
        t.database.db,
        sql`select c.id from cases c join case_versions v on v.case_id = c.id and v.version = c.version
            where c.source = ${source} and c.status <> 'withdrawn' and c.year between ${from} and ${to} order by c.id`,
      );
      const records = await releaseRecords(t.database.db, id);
      expect(records.every((r) => r.source === source)).toBe(true);
      expect(records.every((r) => spec.includes(r as SourceRecord))).toBe(true);
      expect(records.every((r) => statisticsYear(r.identified_on) >= from && statisticsYear(r.identified_on) <= to)).toBe(true);
      const included = new Set(records.map((r) => r.id));
      expect(expected.map((r) => r.id).filter((x) => included.has(x))).toEqual(records.map((r) => r.id));
      expect(records.length).toBeGreaterThan(0);
      const [row] = await rows<{ checksum: string; case_count: number }>(t.database.db, sql`select checksum, case_count from releases where id = ${id}`);
      expect(row).toEqual({ checksum: releaseChecksum(records), case_count: records.length });
    }
  });

  it('lists releases per source: a coordinator listing holds the coordinators’ only', async () => {
    const coordList = json<{ items: { id: string; source: string }[] }>(await get(`/api/stats/releases?year=${YEAR}`, stat)).items;
    expect(coordList.map((r) => r.id)).toEqual([`${YEAR}-1`]);
    expect(coordList.every((r) => r.source === 'coordinator')).toBe(true);
    const civList = json<{ items: { id: string }[] }>(await get(`/api/stats/releases?year=${YEAR}&source=civil_society`, stat)).items;
    expect(civList.map((r) => r.id)).toEqual([`${YEAR}-civ-2`, `${YEAR}-civ-1`]);
    // The coordinators' report and comparison do not read another source's release.
    expect((await get(`/api/stats/report?year=${YEAR}&release=${YEAR}-civ-1`, stat)).statusCode).toBe(400);
  });

  it('the public reads neither an unpublished source release nor the exact form', async () => {
    expect((await get(`/api/stats/source-report?source=civil_society&year=${YEAR}`)).statusCode).toBe(404);
    const named = await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&release=${YEAR}-civ-1`);
    expect(named.statusCode).toBe(404);
    expect(json(named).message).toContain(`${YEAR}-civ-1`);
    expect(json<{ items: unknown[] }>(await get(`/api/stats/releases?source=civil_society`)).items).toEqual([]);
    expect((await get(`/api/stats/source-report/download?release=${YEAR}-civ-1&format=json`)).statusCode).toBe(404);
  });

  it('publishes a source release with its protection: suppressed cells null with their status, no unsafe count printed', async () => {
    const res = await post(stat, `/api/stats/releases/${YEAR}-civ-1/publish`);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ id: `${YEAR}-civ-1`, published: true, source: 'civil_society' });
    const [stored] = await rows<{ protection: { audit: { passed: boolean }; status: Record<string, string> } }>(
      t.database.db,
      sql`select protection from releases where id = ${`${YEAR}-civ-1`}`,
    );
    expect(stored.protection.audit.passed).toBe(true);
    // Its protection covers every figure of the problem.
    const spec = sourceReportSpecs.civil_society;
    const exact = computeSourceReport(spec, (await releaseRecords(t.database.db, `${YEAR}-civ-1`)) as SourceRecord[], YEAR, { id: `${YEAR}-civ-1`, kind: 'final' });
    const { problem } = sourceProblem(spec, exact);
    expect(Object.keys(stored.protection.status).sort()).toEqual(problem.cells.map((c) => c.id).sort());

    const view = json<SourceReportView>(await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&lang=en`));
    expect(view).toMatchObject({ source: 'civil_society', year: YEAR, form: 'protected', lang: 'en', release: { id: `${YEAR}-civ-1` } });
    expect(view.tables.map((x) => x.id)).toEqual(spec.tables.map((x) => x.id));
    let suppressed = 0;
    for (const table of view.tables) {
      for (const r of [...table.rows, ...(table.totals ?? [])]) {
        const hidden = r.status === 'primary' || r.status === 'secondary';
        expect(r.count === null).toBe(hidden);
        if (hidden) {
          expect(r.percent).toBeNull();
          suppressed++;
        }
        if (r.count !== null) expect(r.count === 0 || r.count >= 3).toBe(true);
      }
      if (table.n_answered !== null) expect(table.n_answered === 0 || table.n_answered >= 3).toBe(true);
      if (table.n_missing !== null) expect(table.n_missing === 0 || table.n_missing >= 3).toBe(true);
      // Every code of the table is printed, zeros included, in the spec's order.
      expect(table.rows.map((r) => r.code)).toEqual(
        table.column_codes ? table.row_codes.flatMap((c) => table.column_codes!.map(() => c.code)) : table.row_codes.map((c) => c.code),
      );
    }
    expect(suppressed).toBeGreaterThan(0);
    expect(view.disclosure).toMatchObject({ threshold: 3, policy_version: 1 });
    // Published twice: refused.
    expect((await post(stat, `/api/stats/releases/${YEAR}-civ-1/publish`)).statusCode).toBe(409);
    // The listing now shows it to the public, without user ids.
    const publicList = json<{ items: { id: string; created_by: string | null }[] }>(await get(`/api/stats/releases?source=civil_society`)).items;
    expect(publicList).toMatchObject([{ id: `${YEAR}-civ-1`, created_by: null }]);
  });

  it('the public still cannot ask for the exact form; the statistician reads it, audited', async () => {
    expect((await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&form=exact`)).statusCode).toBe(401);
    expect((await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&form=exact`, coordinator)).statusCode).toBe(403);
    const before = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where operation = 'release.read_internal'`);
    const exact = json<SourceReportView>(await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&release=${YEAR}-civ-1&form=exact`, stat));
    expect(exact.form).toBe('exact');
    expect(exact.tables.flatMap((x) => x.rows).every((r) => r.status === 'safe' && r.count !== null)).toBe(true);
    const after = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where operation = 'release.read_internal'`);
    expect(after[0].n).toBe(before[0].n + 1);
    // The statistician also reads the unpublished release, here the preview of its protection.
    const preview = json<SourceReportView>(await get(`/api/stats/source-report?source=civil_society&year=${YEAR}&release=${YEAR}-civ-2`, stat));
    expect(preview).toMatchObject({ form: 'protected', release: { id: `${YEAR}-civ-2`, published: false } });
  });

  it('serves the published report’s files from storage, the JSON as the view', async () => {
    const first = await get(`/api/stats/source-report/download?release=${YEAR}-civ-1&format=json&lang=sv`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-disposition']).toContain(`${YEAR}-civ-1`);
    const again = await t.app.inject({ method: 'GET', url: `/api/stats/source-report/download?release=${YEAR}-civ-1&format=json&lang=sv`, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const csv = await get(`/api/stats/source-report/download?release=${YEAR}-civ-1&format=csv&lang=sv`);
    expect(csv.statusCode).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    // The printed files: a PDF and a workbook, stored once per language.
    const pdf = await get(`/api/stats/source-report/download?release=${YEAR}-civ-1&format=pdf&lang=en`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toContain(`${YEAR}-civ-1-en.pdf`);
    const xlsx = await get(`/api/stats/source-report/download?release=${YEAR}-civ-1&format=xlsx&lang=sv`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const stored = await rows<{ variant: string; output: string }>(t.database.db, sql`select variant, output from release_outputs where release_id = ${`${YEAR}-civ-1`} order by output, lang`);
    // the view is keyed by the policy version; the files also by the renderers' version
    for (const r of stored) expect(r.variant).toBe(r.output === 'source-report' ? 'protected-v1' : drawnVariant('protected-v1'));
    expect(stored.map((r) => r.output)).toEqual(expect.arrayContaining(['source-report', 'download.json', 'download.csv', 'download.pdf', 'download.xlsx']));
    // A release of the other source is not found under this one's name, nor an unpublished one by its id.
    expect((await get(`/api/stats/source-report?source=support_programme&year=${YEAR}&release=${YEAR}-civ-1`)).statusCode).toBe(404);
    expect((await get(`/api/stats/source-report/download?release=${YEAR}-stp-1&format=json`)).statusCode).toBe(404);
  });

  it('audits a release with the source’s releases of the year already published, and suppresses here what they suppress', async () => {
    type Linked = { releases: { id: string; distance: number }[]; passed: boolean; forced: string[]; cells: { release: string; ok: boolean }[] };
    const protectionOf = async (id: string) =>
      (await rows<{ protection: { status: Record<string, string>; linked?: Linked } }>(t.database.db, sql`select protection from releases where id = ${id}`))[0].protection;
    // 2024-civ-2 froze the same records as 2024-civ-1: the same figures, so the same cells hidden.
    const pub2 = await post(stat, `/api/stats/releases/${YEAR}-civ-2/publish`);
    expect(pub2.statusCode, pub2.body).toBe(200);
    const [first, second] = [await protectionOf(`${YEAR}-civ-1`), await protectionOf(`${YEAR}-civ-2`)];
    expect(second.linked).toMatchObject({ releases: [{ id: `${YEAR}-civ-1`, distance: 0 }], passed: true });
    const hidden = (p: { status: Record<string, string> }) => Object.keys(p.status).filter((id) => p.status[id] === 'primary' || p.status[id] === 'secondary').sort();
    expect(hidden(second)).toEqual(hidden(first));
    // One more record of the year, in cells the published releases print as 0: a third release read
    // beside them would give the new person's cells away (0 there, at most 1 here), so it is refused.
    const [one] = importableCases(400, 8, { today: '2025-12-31' }).filter((d) => d.source === 'civil_society' && d.identified_on.startsWith(String(YEAR)));
    await t.database.db.transaction((tx) => insertCases(tx, systemActor('test'), [one]));
    const third = json<{ id: string }>(await post(stat, '/api/stats/releases', { year: YEAR, kind: 'final', source: 'civil_society' }));
    expect(third.id).toBe(`${YEAR}-civ-3`);
    const refused = await post(stat, `/api/stats/releases/${third.id}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).message).toContain(`${YEAR}-civ-1`);
    expect(json(refused).message).toMatch(new RegExp(`${YEAR}-civ-3: \\w+\\|`));
    const [row] = await rows<{ published_at: string | null }>(t.database.db, sql`select published_at from releases where id = ${third.id}`);
    expect(row.published_at).toBeNull();
    // The public reads the newest final published release of the year.
    expect(json<SourceReportView>(await get(`/api/stats/source-report?source=civil_society&year=${YEAR}`)).release.id).toBe(`${YEAR}-civ-1`);
  });

  it('publishes the support programmes’ release too', async () => {
    expect((await post(stat, `/api/stats/releases/${YEAR}-stp-1/publish`)).statusCode).toBe(200);
    const view = json<SourceReportView>(await get(`/api/stats/source-report?source=support_programme&year=${YEAR}`));
    expect(view).toMatchObject({ source: 'support_programme', form: 'protected', release: { id: `${YEAR}-stp-1` } });
    // The coordinators' public listing is unchanged by either.
    expect(json<{ items: unknown[] }>(await get(`/api/stats/releases`)).items).toEqual([]);
  });
});
