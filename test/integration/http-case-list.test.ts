// The coordinator's everyday list: sorting by a column, pages, a reference found by any part of it
// (LIKE wildcards matched literally), the cases per year the start page opens on, the export of
// the list as filtered, the import template and the refusal of a file imported before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { listCases, likeLiteral } from '../../src/registry/cases.ts';
import { systemActor } from '../../src/access/actor.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type TestApp } from '../support/http.ts';

const token = 'case-list-test-token';
const importCsv = (t: TestApp, text: string, query = '') =>
  t.app.inject({ method: 'POST', url: `/api/import${query}`, payload: text, headers: { 'content-type': 'text/csv; charset=utf-8', 'x-lagesbild-local-token': token } });
type Item = { id: string; reference: string; identified_on: string; updated_at: string; status: string };
type Page = { items: Item[]; total: number; page: number; pageSize: number };

describe.each(dbTargets())('the case list, its export and the import guard on %s', (target) => {
  let t: TestApp;
  let file: string;
  let cases: CaseData[];
  const list = async (query: string) => {
    const s = await t.as({ role: 'statistician' });
    const res = await s.inject({ method: 'GET', url: `/api/cases?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return json<Page>(res);
  };

  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
    cases = importableCases(30, 4711);
    file = casesToCsv(cases);
    const res = await importCsv(t, file);
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sorts by each column both ways, ties newest first, and pages through without losing or repeating a case', async () => {
    const all = (await list('pageSize=500')).items;
    expect(all).toHaveLength(30);
    for (const key of ['reference', 'identified_on', 'updated_at', 'status'] as const) {
      const asc = (await list(`pageSize=500&sort=${key}`)).items;
      const desc = (await list(`pageSize=500&sort=-${key}`)).items;
      const byKeyThenNewest = (dir: 1 | -1) => (a: Item, b: Item) => dir * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0) || (a.id < b.id ? 1 : -1);
      expect(asc.map((c) => c.id), key).toEqual([...all].sort(byKeyThenNewest(1)).map((c) => c.id));
      expect(desc.map((c) => c.id), key).toEqual([...all].sort(byKeyThenNewest(-1)).map((c) => c.id));
    }
    const pages = await Promise.all([1, 2, 3, 4].map((p) => list(`pageSize=8&page=${p}&sort=identified_on`)));
    expect(pages.map((p) => p.items.length)).toEqual([8, 8, 8, 6]);
    expect(pages.every((p) => p.total === 30)).toBe(true);
    expect(pages.flatMap((p) => p.items.map((c) => c.id))).toEqual((await list('pageSize=500&sort=identified_on')).items.map((c) => c.id));
    expect((await t.app.inject({ url: '/api/cases?sort=version', headers: { 'x-lagesbild-local-token': token } })).statusCode).toBe(400);
  });

  it('finds a reference by any part of it in any letter case, with the other filters', async () => {
    const all = (await list('pageSize=500')).items;
    const one = all[7];
    const number = one.reference.slice(-4); // "STO-2025-0124" → "0124"
    const found = await list(`reference=${number}&pageSize=500`);
    expect(found.items.map((c) => c.reference)).toContain(one.reference);
    expect(found.items.every((c) => c.reference.includes(number))).toBe(true);
    expect(found.total).toBe(all.filter((c) => c.reference.includes(number)).length);
    expect((await list(`reference=${one.reference.toLowerCase()}`)).items.map((c) => c.reference)).toEqual([one.reference]);
    expect((await list(`reference=${number}&status=withdrawn`)).total).toBe(0);
    expect((await list('reference=ZZZ-9999')).total).toBe(0);
  });

  it('matches LIKE wildcards literally: "%" and "_" are refused at the API and find nothing in the registry', async () => {
    const s = await t.as({ role: 'statistician' });
    for (const attack of ['%25', '_', 'STO_2025', '%25%25']) expect((await s.inject({ url: `/api/cases?reference=${attack}` })).statusCode, attack).toBe(400);
    const actor = systemActor('test');
    for (const attack of ['%', '_', '-20_5-', '\\', '%-%']) expect((await listCases(t.database.db, actor, { reference: attack }, { pageSize: 500 })).total, attack).toBe(0);
    // A dash is an ordinary character: "-20" is in every reference.
    expect((await listCases(t.database.db, actor, { reference: '-20' }, { pageSize: 500 })).total).toBe(30);
    expect(likeLiteral('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });

  it('counts the cases per statistics year, newest first, for the start page to open on', async () => {
    const s = await t.as({ role: 'statistician' });
    const res = await s.inject({ url: '/api/cases/years' });
    expect(res.statusCode).toBe(200);
    const years = json<{ items: { year: number; total: number }[] }>(res).items;
    const expected = new Map<number, number>();
    for (const c of (await list('pageSize=500')).items) {
      const y = Number((c as unknown as { year: number }).year ?? c.identified_on.slice(0, 4));
      expected.set(y, (expected.get(y) ?? 0) + 1);
    }
    expect(years.map((y) => y.year)).toEqual([...expected.keys()].sort((a, b) => b - a));
    expect(years.reduce((n, y) => n + y.total, 0)).toBe(30);
    const coordinator = await t.as({ role: 'coordinator', region: 'stockholm' });
    const own = json<{ items: { total: number }[] }>(await coordinator.inject({ url: '/api/cases/years' })).items.reduce((n, y) => n + y.total, 0);
    expect(own).toBe(cases.filter((c) => c.source === 'coordinator' && c.region === 'stockholm').length);
  });

  it('exports the list as filtered', async () => {
    const s = await t.as({ role: 'statistician' });
    const all = (await list('pageSize=500')).items;
    const number = all[3].reference.slice(-4);
    const res = await s.inject({ url: `/api/export?reference=${number}` });
    expect(res.statusCode).toBe(200);
    const rows = parseCasesCsv(res.body).rows;
    expect(rows.length).toBe((await list(`reference=${number}&pageSize=500`)).total);
    expect(res.body).toContain(all[3].reference);
    const region = (await s.inject({ url: '/api/export?region=stockholm' })).body;
    expect(parseCasesCsv(region).rows.length).toBe((await list('region=stockholm&pageSize=500')).total);
  });

  it('offers the import template: the header row an import reads, which imports as an empty file', async () => {
    const co = await t.as({ role: 'coordinator', region: 'stockholm' });
    const res = await co.inject({ url: '/api/import/template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="lagesbild-importmall\.csv"/);
    const lines = res.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines).toEqual([casesToCsv([]).replace(/^\ufeff/, '').split('\r\n')[0].split(',').filter((c) => !['id', 'reference', 'version', 'status', 'created_at', 'updated_at', 'created_by'].includes(c)).join(','), '']);
    expect(lines[0]).toMatch(/^source,/);
    const empty = await importCsv(t, res.body);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(json(empty).imported).toBe(0);
  });

  it('refuses the same file a second time with 409 naming when, and imports it when confirmed', async () => {
    const before = (await list('pageSize=1')).total;
    const again = await importCsv(t, file);
    expect(again.statusCode).toBe(409);
    const body = json<{ code: string; message: string }>(again);
    expect(body.code).toBe('duplicate_import');
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    expect(body.message).toContain(`Samma fil importerades redan ${today} kl. `);
    expect((await list('pageSize=1')).total).toBe(before);
    // English too.
    const en = await t.app.inject({ method: 'POST', url: '/api/import', payload: file, headers: { 'content-type': 'text/csv', 'accept-language': 'en', 'x-lagesbild-local-token': token } });
    expect(json(en).message).toMatch(/^The same file was already imported on \d{4}-\d\d-\d\d at \d\d:\d\d\./);
    // One byte more is another file.
    const other = casesToCsv(importableCases(2, 99));
    expect((await importCsv(t, other)).statusCode).toBe(200);
    const confirmed = await importCsv(t, file, '?confirm_duplicate=1');
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(json(confirmed).imported).toBe(30);
    expect((await list('pageSize=1')).total).toBe(before + 32);
  });

  it('refuses another file with rows equal to registered cases, naming their lines, and imports it when confirmed', async () => {
    const before = (await list('pageSize=1')).total;
    // Two new cases around two already registered (lines 3 and 5 of the file): different bytes, same persons.
    const fresh = importableCases(2, 8123);
    const mixed = casesToCsv([fresh[0], cases[4], fresh[1], cases[17]]);
    const refused = await importCsv(t, mixed);
    expect(refused.statusCode, refused.body).toBe(409);
    const body = json<{ code: string; message: string }>(refused);
    expect(body.code).toBe('identical_rows');
    expect(body.message).toBe('2 rader är likadana som ärenden som redan finns (rad 3, 5). Importerar du ändå registreras de en gång till.');
    expect((await list('pageSize=1')).total).toBe(before);
    const confirmed = await importCsv(t, mixed, '?confirm_duplicate=1');
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(json(confirmed).imported).toBe(4);
    expect((await list('pageSize=1')).total).toBe(before + 4);
  });
});
