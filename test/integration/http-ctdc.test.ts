// The CTDC export through the HTTP API: the statistician downloads a published release's records in
// CTDC's columns, k-anonymised (k = 11), as a CSV that parses with CTDC's header; a coordinator and
// the public are refused; an unpublished release is refused; the export is in the audit trail as an
// export of case-level data, with the ids of the cases written and no value of any case.
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { auditLog } from '../../src/access/schema.ts';
import { createCase } from '../../src/registry/cases.ts';
import { CTDC_K, ctdcColumns, quasiIdentifiers } from '../../src/stats/ctdc.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { json, openTestApp, type Client, type TestApp } from '../support/http.ts';

describe('the CTDC download', () => {
  let t: TestApp;
  let statistician: Client;
  let coordinator: Client;
  const ids: { common: string[]; men: string[]; rare: string[]; lone: string[] } = { common: [], men: [], rare: [], lone: [] };
  const references: string[] = [];

  beforeAll(async () => {
    t = await openTestApp('pglite');
    const system = systemActor('test');
    const add = async (group: keyof typeof ids, over: Parameters<typeof coordinatorCase>[0]) => {
      const c = await createCase(t.database.db, system, coordinatorCase(over));
      ids[group].push(c.id);
      references.push(c.reference);
    };
    // 14 women of 24 from Romania exploited in Sweden; 11 men of 33 from Nigeria, in labour on
    // building sites in Sweden; 4 women of 24 from four other countries; one man of 70 alone.
    for (let i = 0; i < 14; i++) await add('common', { identified_on: `2025-0${1 + (i % 9)}-1${i % 9}`, exploited_in_sweden: 'yes', region: i % 2 ? 'syd' : 'stockholm' });
    for (let i = 0; i < 11; i++) {
      await add('men', {
        sex: 'male',
        age: 33,
        nationality: 'NG',
        exploitation_forms: ['labour'],
        industries: ['construction'],
        exploitation_countries: ['SE'],
        region: 'vast',
      });
    }
    for (const nationality of ['TH', 'UA', 'VN', 'AL']) await add('rare', { nationality, exploited_in_sweden: 'yes', region: 'nord' });
    await add('lone', { sex: 'male', age: 70, nationality: 'PL', exploitation_forms: ['begging'], region: 'mitt' });
    const release = await freezeRelease(t.database.db, system, { year: 2025, kind: 'final' });
    await publishRelease(t.database.db, system, release.id);
    // an unpublished release of the same year
    await freezeRelease(t.database.db, system, { year: 2025, kind: 'preliminary' });
    statistician = await t.as({ role: 'statistician' });
    coordinator = await t.as({ role: 'coordinator', region: 'stockholm' });
  }, 120_000);
  afterAll(() => t?.close());

  const exportsInTrail = () => t.database.db.select().from(auditLog).where(and(eq(auditLog.operation, 'cases.export')));

  it('gives the statistician a CSV that parses, with CTDC’s header, k-anonymised, and audits it', async () => {
    const res = await statistician.inject({ url: '/api/stats/ctdc?year=2025' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="ctdc-2025-1.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.split('\r\n')[0]).toBe(ctdcColumns.join(','));
    const rows = parse(res.body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...ctdcColumns]);
    // the four rare women lose citizenship and country, and are then four alike (< 11): their age
    // goes too, and they are dropped; so is the lone man. The 14 and the 11 pass unchanged.
    const counts = new Map<string, number>();
    for (const r of rows) {
      const key = quasiIdentifiers.map((q) => r[q]).join('|');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) expect(n, key).toBeGreaterThanOrEqual(CTDC_K);
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.gender === 'Woman')).toHaveLength(14);
    expect(rows.filter((r) => r.gender === 'Woman').every((r) => r.citizenship === 'ROU' && r.CountryOfExploitation === 'SWE' && r.ageBroad === '24--26' && r.isSexualExploit === '1')).toBe(true);
    expect(rows.filter((r) => r.gender === 'Man').every((r) => r.citizenship === 'NGA' && r.ageBroad === '30--38' && r.isForcedLabour === '1' && r.typeOfLabourConstruction === '1')).toBe(true);
    expect(rows.every((r) => r.yearOfRegistration === '2025')).toBe(true);
    // no case ids, references, dates or regions
    for (const id of [...ids.common, ...ids.men, ...ids.rare, ...ids.lone]) expect(res.body).not.toContain(id);
    for (const ref of references) expect(res.body).not.toContain(ref);
    expect(res.body).not.toMatch(/\d{4}-\d\d-\d\d|stockholm|syd|vast/);

    const trail = await exportsInTrail();
    expect(trail).toHaveLength(1);
    const [row] = trail;
    expect(row.actor_id).toBe(statistician.user.id);
    expect(row.actor_role).toBe('statistician');
    expect([...row.case_ids].sort()).toEqual([...ids.common, ...ids.men].sort());
    expect(row.details).toEqual({ format: 'ctdc', release_id: '2025-1', year: 2025, k: 11, rows: 25, blanked_countries: 5, blanked_age: 5, dropped: 5 });
  });

  it('refuses a coordinator (403) and the public (401), and audits nothing for them', async () => {
    const before = (await exportsInTrail()).length;
    const co = await coordinator.inject({ url: '/api/stats/ctdc?year=2025' });
    expect(co.statusCode).toBe(403);
    expect(json(co).code).toBe('forbidden');
    const anon = await t.app.inject({ url: '/api/stats/ctdc?year=2025' });
    expect(anon.statusCode).toBe(401);
    expect(co.body + anon.body).not.toContain('ROU');
    expect((await exportsInTrail()).length).toBe(before);
  });

  it('exports a published release only: an unpublished one is 409, a year without one 404', async () => {
    const unpublished = await statistician.inject({ url: '/api/stats/ctdc?year=2025&release=2025-2' });
    expect(unpublished.statusCode).toBe(409);
    const named = await statistician.inject({ url: '/api/stats/ctdc?year=2025&release=2025-1' });
    expect(named.statusCode).toBe(200);
    const otherYear = await statistician.inject({ url: '/api/stats/ctdc?year=2024&release=2025-1' });
    expect(otherYear.statusCode).toBe(404);
    const none = await statistician.inject({ url: '/api/stats/ctdc?year=2024' });
    expect(none.statusCode).toBe(404);
    expect((await statistician.inject({ url: '/api/stats/ctdc?year=x' })).statusCode).toBe(400);
  });
});
