// CSV import and export through the API: all or nothing, every bad row reported as
// `line N: field: message`, and export → import through the API without loss. Files of every
// region at once come the way the command line sends them (the local token); a statistician
// counts and exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type ApiErrorBody, type TestApp } from '../support/http.ts';

const token = 'transfer-test-token';
const dataOf = (csv: string) => parseCasesCsv(csv).rows.map((r) => r.data);
const importCsv = (t: TestApp, text: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/import', payload: text, headers: { 'content-type': 'text/csv; charset=utf-8', 'x-lagesbild-local-token': token, ...headers } });
const statistician = async (t: TestApp) => t.as({ role: 'statistician' });
const total = async (t: TestApp) => json(await (await statistician(t)).inject({ method: 'GET', url: '/api/cases?pageSize=1' })).total as number;
const exportOf = async (t: TestApp, url: string) => (await statistician(t)).inject({ method: 'GET', url });

type Rejected = Omit<ApiErrorBody, 'errors'> & {
  errors: { line: number; path: string; rule: string; message: string }[];
  problems: string[];
  errorCount: number;
  errorsByRule: { field: string; rule: string; count: number }[];
};

describe.each(dbTargets())('CSV import and export through the API on %s', (target) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([openTestApp(target, { localToken: token }), openTestApp(target, { localToken: token })]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('rejects a file with bad rows as a whole, listing line, field and message of each', async () => {
    const good = importableCases(10, 11);
    const rows: unknown[] = [...good];
    rows[2] = { ...good[2], age: 12, age_group: 'adult' };
    rows[5] = { ...good[5], sex: 'zz' };
    rows[7] = { ...good[7], identified_on: '2017-06-01' };
    const csv = casesToCsv(rows as CaseData[]);
    const before = await total(a);

    const sv = await importCsv(a, csv);
    expect(sv.statusCode).toBe(400);
    const body = json<Rejected>(sv);
    expect(body.code).toBe('import_rejected');
    expect(body.message).toMatch(/Inget har sparats/);
    expect(body.problems).toHaveLength(3);
    expect(body.problems[0]).toMatch(/^line 4: age_group: \S/);
    expect(body.problems[1]).toMatch(/^line 7: sex: \S/);
    expect(body.problems[2]).toMatch(/^line 9: identified_on: \S/);
    // The listed errors carry line, column and rule; `problems` are the same as text lines.
    expect(body.errors.map((e) => `line ${e.line}: ${e.path}: ${e.message}`)).toEqual(body.problems);
    expect(body.errors.map((e) => [e.line, e.path])).toEqual([[4, 'age_group'], [7, 'sex'], [9, 'identified_on']]);
    expect(body.errorCount).toBe(3);
    expect(body.errorsByRule.map((g) => g.count)).toEqual([1, 1, 1]);
    // no submitted value in any message
    expect(sv.body).not.toContain('zz');
    expect(sv.body).not.toContain('2017-06-01');
    expect(await total(a)).toBe(before);

    const en = json<Rejected>(await importCsv(a, csv, { 'accept-language': 'en' }));
    expect(en.message).toMatch(/Nothing was saved/);
    expect(en.problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual(body.problems.map((p) => p.split(':').slice(0, 2).join(':')));
    expect(en.problems[0]).not.toBe(body.problems[0]);
    expect(await total(a)).toBe(before);
  });

  it('reports a broken header and an empty body as 400 without writing', async () => {
    const before = await total(a);
    for (const text of ['', 'not,a,header\r\n1,2,3\r\n', 'source;identified_on;sex\r\ncoordinator;2025-01-01;female\r\n']) {
      const res = await importCsv(a, text);
      expect(res.statusCode, JSON.stringify(text)).toBe(400);
      expect(json<Rejected>(res).problems.length).toBeGreaterThan(0);
    }
    const asJson = await a.app.inject({ method: 'POST', url: '/api/import', payload: { rows: [] }, headers: { 'x-lagesbild-local-token': token } });
    expect(asJson.statusCode).toBe(415);
    expect(json<ApiErrorBody>(asJson).code).toBe('unsupported_media_type');
    expect(await total(a)).toBe(before);
  });

  it('imports a valid file and exports it again without loss, also into another instance', async () => {
    const original = importableCases(120, 12);
    const res = await importCsv(a, casesToCsv(original));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ imported: 120 });

    const exported = await exportOf(a, '/api/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="lagesbild-arenden\.csv"/);
    expect(dataOf(exported.body)).toEqual(original);

    // the export (with its system columns) imports into an empty instance and exports the same data
    const again = await importCsv(b, exported.body);
    expect(again.statusCode).toBe(200);
    expect(json(again).imported).toBe(120);
    const second = await exportOf(b, '/api/export');
    expect(dataOf(second.body)).toEqual(original);

    // a year's export holds that year's cases only
    const year = Number(original[0].identified_on.slice(0, 4));
    const ofYear = await exportOf(a, `/api/export?year=${year}`);
    expect(ofYear.headers['content-disposition']).toContain(`lagesbild-arenden-${year}.csv`);
    expect(dataOf(ofYear.body)).toEqual(original.filter((d) => d.identified_on.startsWith(`${year}-`)));
    expect((await exportOf(a, '/api/export?year=1990')).statusCode).toBe(400);
  });

  it('accepts an import larger than the general request limit of 1 MiB', async () => {
    const fresh = await openTestApp(target, { localToken: token });
    try {
      const base = importableCases(500, 14);
      const many = Array.from({ length: 8 }, () => base).flat();
      const csv = casesToCsv(many);
      expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
      const res = await importCsv(fresh, csv);
      expect(res.statusCode).toBe(200);
      expect(json(res).imported).toBe(4000);
      expect(await total(fresh)).toBe(4000);
      // a JSON case body stays under the general limit
      const big = await fresh.app.inject({ method: 'POST', url: '/api/cases', payload: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }), headers: { 'content-type': 'application/json' } });
      expect(big.statusCode).toBe(413);
      expect(json<ApiErrorBody>(big).code).toBe('payload_too_large');
    } finally {
      await fresh.close();
    }
  });

  it('the demo instance refuses imports with the demo message', async () => {
    // The database says it is the demo (as a seeded one does); the import service refuses from that.
    const demo = await openTestApp(target, { demo: true, localToken: token });
    try {
      await setInstanceKind(demo.database.db, 'demo');
      const res = await importCsv(demo, casesToCsv(importableCases(2, 13)));
      expect(res.statusCode).toBe(409);
      expect(json<ApiErrorBody>(res)).toMatchObject({ code: 'demo_instance', errors: [] });
      expect(json<ApiErrorBody>(res).message).toMatch(/demoinstansen/);
      expect(await total(demo)).toBe(0);
    } finally {
      await demo.close();
    }
  });
});
