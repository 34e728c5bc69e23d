// The case API through app.inject: codes, create, read, list with filters and paging, changes
// with optimistic concurrency, status changes, history, idempotent submission, and the error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as c from '../../src/standard/codes.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { exploitationCategory, statisticsYear } from '../../src/standard/derive.ts';
import { arbCaseData } from '../support/arbitraries.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, routedClient, type ApiErrorBody, type TestApp } from '../support/http.ts';

type CaseBody = CaseData & { id: string; reference: string; version: number; status: string; possible_duplicate: boolean };
type ListBody = { items: CaseBody[]; total: number; page: number; pageSize: number };

describe.each(dbTargets())('case API on %s', (target) => {
  let t: TestApp;
  let inject: ReturnType<typeof routedClient>;
  beforeAll(async () => {
    t = await openTestApp(target);
    inject = routedClient(t);
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers: Record<string, string> = {}) => inject({ method: 'POST', url: '/api/cases', payload: body as object, headers });
  const get = (url: string, headers: Record<string, string> = {}) => inject({ method: 'GET', url, headers });
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    inject({ method: 'PUT', url: `/api/cases/${id}`, payload: body as object, headers });
  const total = async () => json<ListBody>(await get('/api/cases?pageSize=1')).total;
  const dataOf = (body: Record<string, unknown>) => {
    const { id: _i, reference: _r, version: _v, status: _s, possible_duplicate: _p, created_at: _c, updated_at: _u, created_by: _b, warnings: _w, ...data } = body;
    return data;
  };

  it('serves the code lists publicly with Swedish and English labels', async () => {
    const res = await get('/api/codes');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/public/);
    const doc = json(res);
    expect(doc.lists.region.map((i: { code: string }) => i.code)).toEqual([...c.region.codes]);
    expect(doc.lists.sex).toEqual(c.sex.items.map(({ code, sv, en }) => ({ code, sv, en })));
    expect(doc.lists.sex.find((i: { code: string }) => i.code === 'female')).toEqual({ code: 'female', sv: 'Kvinna/flicka', en: 'Woman/girl' });
    for (const list of Object.values(doc.lists) as { code: string; sv: string; en: string }[][]) {
      for (const item of list) {
        expect(item.sv.length).toBeGreaterThan(0);
        expect(item.en.length).toBeGreaterThan(0);
      }
    }
    expect(doc.countries.find((x: { code: string }) => x.code === 'SE')).toMatchObject({ sv: 'Sverige', en: 'Sweden' });
  });

  it('checks a case without saving it: the same rules and messages as a save, nothing written', async () => {
    const before = await total();
    const check = (body: unknown, lang = 'sv') =>
      inject({ method: 'POST', url: '/api/cases/validate', payload: body as object, headers: { 'accept-language': lang } });
    const good = await check(coordinatorCase({ region: 'stockholm' }));
    expect(good.statusCode).toBe(200);
    expect(json(good)).toMatchObject({ ok: true, errors: [] });
    const badInput = { ...coordinatorCase({ region: 'stockholm' }), age: 12, age_group: 'adult' };
    const bad = json(await check(badInput));
    const saved = json<ApiErrorBody>(await post(badInput));
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual(saved.errors);
    expect(bad.errors.map((e: { path: string; rule: string }) => [e.path, e.rule])).toEqual([['age_group', 'age_group_mismatch']]);
    expect(json(await check(badInput, 'en')).errors[0].message).not.toBe(bad.errors[0].message);
    expect(await total()).toBe(before);
  });

  it('creates a case: 201 with the first reference of the region and year, Location and the data back', async () => {
    const input = coordinatorCase({ region: 'stockholm', identified_on: '2025-02-03' });
    const res = await post(input);
    expect(res.statusCode).toBe(201);
    const body = json<CaseBody>(res);
    expect(body.reference).toBe('STH-2025-0001');
    expect(body).toMatchObject({ version: 1, status: 'open', source: 'coordinator', region: 'stockholm', identified_on: '2025-02-03', organisation_id: 'rk-stockholm' });
    expect(res.headers.location).toBe(`/api/cases/${body.id}`);
    const second = json<CaseBody>(await post(coordinatorCase({ region: 'stockholm', identified_on: '2025-05-01' })));
    expect(second.reference).toBe('STH-2025-0002');

    const got = await get(`/api/cases/${body.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(json(got)).toEqual(expect.objectContaining({ id: body.id, reference: 'STH-2025-0001', version: 1 }));
    expect(dataOf(json(got))).toEqual(dataOf(body as unknown as Record<string, unknown>));
    // by reference too, and 404 in the error shape for an unknown id
    expect(json(await get('/api/cases/STH-2025-0001')).id).toBe(body.id);
    const missing = await get('/api/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(missing.statusCode).toBe(404);
    expect(json<ApiErrorBody>(missing)).toMatchObject({ code: 'not_found', errors: [] });
  });

  it('rejects invalid data with 400 naming field and rule, in Swedish by default and English on request, writing nothing', async () => {
    const before = await total();
    const bad = { ...coordinatorCase(), age: 12, age_group: 'adult', nationality: 'Sverige' };
    const sv = await post(bad);
    expect(sv.statusCode).toBe(400);
    const svBody = json<ApiErrorBody>(sv);
    expect(svBody.code).toBe('validation');
    expect(svBody.message).toBe('Uppgifterna innehåller fel.');
    expect(svBody.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'age_group', rule: 'age_group_mismatch' }),
        expect.objectContaining({ path: 'nationality', rule: 'code' }),
      ]),
    );
    const en = await post(bad, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    const enBody = json<ApiErrorBody>(en);
    expect(enBody.message).toBe('The submitted data has errors.');
    expect(enBody.errors.map((e) => [e.path, e.rule])).toEqual(svBody.errors.map((e) => [e.path, e.rule]));
    // the two languages really differ, and no message repeats what was submitted
    const svNat = svBody.errors.find((e) => e.path === 'nationality')!.message;
    const enNat = enBody.errors.find((e) => e.path === 'nationality')!.message;
    expect(svNat).not.toBe(enNat);
    for (const text of [sv.body, en.body]) expect(text).not.toContain('Sverige');
    // a preference list: Swedish preferred over English
    expect(json<ApiErrorBody>(await post(bad, { 'accept-language': 'sv;q=0.9, en;q=0.5' })).message).toBe(svBody.message);
    expect(json<ApiErrorBody>(await post(bad, { 'accept-language': 'de, en-GB;q=0.8' })).message).toBe(enBody.message);
    // not JSON at all
    const broken = await inject({ method: 'POST', url: '/api/cases', payload: '{"source":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(json<ApiErrorBody>(broken)).toMatchObject({ code: 'invalid_json', errors: [] });
    expect(await total()).toBe(before);
  });

  it('lists with every filter and paging; no filter lists all years', async () => {
    const fresh = await openTestApp(target);
    const freshInject = routedClient(fresh);
    try {
      const sample = fc.sample(arbCaseData({ source: 'coordinator' }), { numRuns: 40, seed: 7 });
      const created: CaseBody[] = [];
      for (const input of sample) {
        const res = await freshInject({ method: 'POST', url: '/api/cases', payload: input });
        expect(res.statusCode).toBe(201);
        created.push(json<CaseBody>(res));
      }
      // one closed and one withdrawn case so status filters have something to find
      await freshInject({ method: 'POST', url: `/api/cases/${created[0].id}/close`, payload: {} });
      await freshInject({ method: 'POST', url: `/api/cases/${created[1].id}/withdraw`, payload: {} });
      const statusOf = (x: CaseBody, i: number) => (i === 0 ? 'closed' : i === 1 ? 'withdrawn' : 'open');
      const list = async (q: string) => {
        const res = await freshInject({ method: 'GET', url: `/api/cases?${q}` });
        expect(res.statusCode).toBe(200);
        return json<ListBody>(res);
      };
      const idsOf = (b: ListBody) => b.items.map((x) => x.id).sort();
      const expectIds = (pred: (x: CaseBody, i: number) => boolean) => created.filter(pred).map((x) => x.id).sort();

      const all = await list('pageSize=500');
      expect(all.total).toBe(created.length);
      expect(idsOf(all)).toEqual(expectIds(() => true));
      expect(new Set(created.map((x) => statisticsYear(x.identified_on))).size).toBeGreaterThan(1);

      const probe = created[5];
      const checks: [string, (x: CaseBody, i: number) => boolean][] = [
        [`year=${statisticsYear(probe.identified_on)}`, (x) => statisticsYear(x.identified_on) === statisticsYear(probe.identified_on)],
        [`region=${probe.region}`, (x) => x.region === probe.region],
        [`category=${exploitationCategory(probe.exploitation_forms)}`, (x) => exploitationCategory(x.exploitation_forms) === exploitationCategory(probe.exploitation_forms)],
        [`sex=${probe.sex}`, (x) => x.sex === probe.sex],
        [`age_group=${probe.age_group}`, (x) => x.age_group === probe.age_group],
        [`nationality=${created.find((x) => x.nationality)!.nationality}`, (x) => x.nationality === created.find((y) => y.nationality)!.nationality],
        ['status=open', (x, i) => statusOf(x, i) === 'open'],
        ['status=closed', (x, i) => statusOf(x, i) === 'closed'],
        ['status=withdrawn', (x, i) => statusOf(x, i) === 'withdrawn'],
        [`region=${probe.region}&sex=${probe.sex}`, (x) => x.region === probe.region && x.sex === probe.sex],
        ['source=civil_society', () => false],
      ];
      for (const [q, pred] of checks) {
        const body = await list(`${q}&pageSize=500`);
        expect(idsOf(body), q).toEqual(expectIds(pred));
        expect(body.total, q).toBe(expectIds(pred).length);
      }

      // paging: disjoint pages that together are everything, in one order
      const pages: string[] = [];
      for (let page = 1; page <= 5; page++) {
        const body = await list(`page=${page}&pageSize=9`);
        expect(body).toMatchObject({ page, pageSize: 9, total: created.length });
        expect(body.items.length).toBe(Math.max(0, Math.min(9, created.length - (page - 1) * 9)));
        pages.push(...body.items.map((x) => x.id));
      }
      expect(pages).toEqual(all.items.map((x) => x.id));
      expect((await list('')).pageSize).toBe(50);

      // the reference filter answers one case
      const byRef = await list(`reference=${probe.reference.toLowerCase()}`);
      expect(byRef.items.map((x) => x.id)).toEqual([probe.id]);

      // bad filter values are 400 with the field named, never 500
      for (const q of ['region=atlantis', 'year=1999', 'page=0', 'pageSize=501', 'nationality=se', 'status=gone']) {
        const res = await freshInject({ method: 'GET', url: `/api/cases?${q}` });
        expect(res.statusCode, q).toBe(400);
        const body = json<ApiErrorBody>(res);
        expect(body.code).toBe('validation');
        expect(body.errors[0].path, q).toBe(q.split('=')[0]);
      }
    } finally {
      await fresh.close();
    }
  });

  it('changes a case with the version last seen (body or If-Match); a stale version is 409 and writes nothing', async () => {
    const created = json<CaseBody>(await post(coordinatorCase({ region: 'nord' })));
    const v2 = await put(created.id, { ...coordinatorCase({ region: 'nord', age: 30 }), version: 1 });
    expect(v2.statusCode).toBe(200);
    expect(v2.headers.etag).toBe('"2"');
    expect(json(v2)).toMatchObject({ version: 2, age: 30 });

    const v3 = await put(created.id, coordinatorCase({ region: 'nord', age: 31 }), { 'if-match': '"2"' });
    expect(v3.statusCode).toBe(200);
    expect(json(v3)).toMatchObject({ version: 3, age: 31 });

    for (const stale of [
      () => put(created.id, { ...coordinatorCase({ region: 'nord', age: 99 }), version: 2 }),
      () => put(created.id, coordinatorCase({ region: 'nord', age: 99 }), { 'if-match': '"1"' }),
    ]) {
      const res = await stale();
      expect(res.statusCode).toBe(409);
      expect(json<ApiErrorBody>(res).code).toBe('version_conflict');
    }
    const now = json<CaseBody>(await get(`/api/cases/${created.id}`));
    expect(now).toMatchObject({ version: 3, age: 31 });
    expect(json(await get(`/api/cases/${created.id}/history`)).items).toHaveLength(3);

    // no version at all: 428, named
    const none = await put(created.id, coordinatorCase({ region: 'nord', age: 40 }));
    expect(none.statusCode).toBe(428);
    expect(json<ApiErrorBody>(none).errors).toEqual([expect.objectContaining({ path: 'version', rule: 'required' })]);
    // invalid data on change: 400, nothing written
    const invalid = await put(created.id, { ...coordinatorCase({ region: 'nord' }), age: 10, age_group: 'adult', version: 3 });
    expect(invalid.statusCode).toBe(400);
    expect(json<ApiErrorBody>(invalid).errors).toEqual([expect.objectContaining({ path: 'age_group', rule: 'age_group_mismatch' })]);
    expect(json<CaseBody>(await get(`/api/cases/${created.id}`)).version).toBe(3);
    // unknown case: 404
    expect((await put('01ARZ3NDEKTSV4RRFFQ69G5FAV', { ...coordinatorCase(), version: 1 })).statusCode).toBe(404);
  });

  it('a reference addresses the case in every route, in any letter case', async () => {
    const created = json<CaseBody>(await post(coordinatorCase({ region: 'bergslagen', identified_on: '2024-08-08' })));
    const ref = created.reference.toLowerCase();
    expect(json(await get(`/api/cases/${ref}`)).id).toBe(created.id);
    const changed = await put(ref, { ...coordinatorCase({ region: 'bergslagen', identified_on: '2024-08-08', age: 44 }), version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(json(changed)).toMatchObject({ id: created.id, version: 2, age: 44 });
    const closed = await inject({ method: 'POST', url: `/api/cases/${created.reference}/close`, payload: { version: 2 } });
    expect(closed.statusCode).toBe(200);
    expect(json(closed)).toMatchObject({ id: created.id, status: 'closed', version: 3 });
    const history = await get(`/api/cases/${created.reference}/history`);
    expect(json(history).items.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
    expect((await put('BGL-2024-9999', { ...coordinatorCase(), version: 1 })).statusCode).toBe(404);
    expect((await get('/api/cases/BGL-2024-9999/history')).statusCode).toBe(404);
  });

  it('of two concurrent changes on one version exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const created = json<CaseBody>(await post(coordinatorCase({ region: 'vast' })));
      const [a, b] = await Promise.all([
        put(created.id, { ...coordinatorCase({ region: 'vast', age: 40 }), version: 1 }),
        put(created.id, { ...coordinatorCase({ region: 'vast', age: 50 }), version: 1 }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? json<CaseBody>(a) : json<CaseBody>(b);
      const now = json<CaseBody>(await get(`/api/cases/${created.id}`));
      expect(now).toMatchObject({ version: 2, age: winner.age });
      expect(json(await get(`/api/cases/${created.id}/history`)).items).toHaveLength(2);
    }
  });

  it('closes, reopens and withdraws; the history lists every version', async () => {
    const created = json<CaseBody>(await post(coordinatorCase({ region: 'syd' })));
    const action = (name: string, body: unknown = {}, headers: Record<string, string> = {}) =>
      inject({ method: 'POST', url: `/api/cases/${created.id}/${name}`, payload: body as object, headers });
    const closed = await action('close', { version: 1 });
    expect(closed.statusCode).toBe(200);
    expect(json(closed)).toMatchObject({ status: 'closed', version: 2 });
    expect(closed.headers.etag).toBe('"2"');
    // closing a closed case: 409 conflict; a stale version: 409 version_conflict
    const again = await action('close', { version: 2 });
    expect(again.statusCode).toBe(409);
    expect(json<ApiErrorBody>(again).code).toBe('conflict');
    const stale = await action('reopen', { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(json<ApiErrorBody>(stale).code).toBe('version_conflict');
    expect(json(await action('reopen', {}, { 'if-match': '"2"' }))).toMatchObject({ status: 'open', version: 3 });
    expect(json(await action('withdraw'))).toMatchObject({ status: 'withdrawn', version: 4 });
    // a withdrawn case cannot be changed
    const change = await put(created.id, { ...coordinatorCase({ region: 'syd' }), version: 4 });
    expect(change.statusCode).toBe(409);
    expect(json(await action('reopen'))).toMatchObject({ status: 'open', version: 5 });
    expect(json(await put(created.id, { ...coordinatorCase({ region: 'syd', age: 33 }), version: 5 }))).toMatchObject({ version: 6 });

    const history = await get(`/api/cases/${created.id}/history`);
    expect(history.statusCode).toBe(200);
    const items = json(history).items as { version: number; status: string; operation: string; data: CaseData }[];
    expect(items.map((v) => [v.version, v.operation, v.status])).toEqual([
      [1, 'create', 'open'],
      [2, 'close', 'closed'],
      [3, 'reopen', 'open'],
      [4, 'withdraw', 'withdrawn'],
      [5, 'reopen', 'open'],
      [6, 'change', 'open'],
    ]);
    expect(items[0].data.age).toBe(24);
    expect(items[5].data.age).toBe(33);
    // Who acted, readable in the reader's language: the username and the role with its region, never only an id.
    const names = (body: unknown) => (body as { items: { changed_by_name: string }[] }).items.map((v) => v.changed_by_name);
    expect(new Set(names(json(history)))).toEqual(new Set([expect.stringMatching(/^coordinator-\d+ \(regionkoordinator, Syd\)$/)]));
    const english = json(await get(`/api/cases/${created.id}/history`, { 'accept-language': 'en' }));
    expect(names(english)[0]).toMatch(/^coordinator-\d+ \(regional coordinator, South\)$/);
    expect((await get('/api/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV/history')).statusCode).toBe(404);
    // unknown bodies on status changes are refused, not ignored into a 500
    expect((await action('close', { version: 'x' })).statusCode).toBe(400);
  });

  it('an Idempotency-Key retried gives one case; the same key with another body is 409', async () => {
    const before = await total();
    const input = coordinatorCase({ region: 'mitt' });
    const first = await post(input, { 'idempotency-key': 'form-123' });
    const retry = await post(input, { 'idempotency-key': 'form-123' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(json(retry).id).toBe(json(first).id);
    expect(json(retry).reference).toBe(json(first).reference);
    expect(await total()).toBe(before + 1);

    const other = await post(coordinatorCase({ region: 'mitt', age: 50 }), { 'idempotency-key': 'form-123' });
    expect(other.statusCode).toBe(409);
    expect(json<ApiErrorBody>(other).code).toBe('idempotency_conflict');
    expect(await total()).toBe(before + 1);

    // concurrent retries of one submission still give one case
    const [a, b] = await Promise.all([post(input, { 'idempotency-key': 'form-456' }), post(input, { 'idempotency-key': 'form-456' })]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(json(a).id).toBe(json(b).id);
    expect(await total()).toBe(before + 2);
  });
});
