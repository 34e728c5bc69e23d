// The statistics API: the public sees published releases only, the signed-in statistician
// freezes, publishes and reads internal data; reports download in every format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesToCsv } from '../../src/standard/csv.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, routedClient, type ApiErrorBody, type Client, type TestApp } from '../support/http.ts';

const token = 'test-local-token';
/** Marks a request made by the signed-in statistician. */
const internal: Record<string, string> = Object.freeze({});

describe.each(dbTargets())('statistics API on %s', (target) => {
  let t: TestApp;
  let statistician: Client;
  let owners: ReturnType<typeof routedClient>;
  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
    // Cases of every region and organisation at once: the command line's import (local token).
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      payload: casesToCsv(importableCases(150, 41, { today: '2025-12-31' })),
      headers: { 'content-type': 'text/csv', 'x-lagesbild-local-token': token },
    });
    expect(res.statusCode).toBe(200);
    statistician = await t.as({ role: 'statistician' });
    owners = routedClient(t);
  });
  afterAll(() => t?.close());

  /** As the statistician with `internal`, a case route as its owner, anything else not signed in. */
  const send = (method: 'GET' | 'POST', url: string, payload: object | undefined, headers: Record<string, string>) => {
    if (headers === internal) return statistician.inject({ method, url, payload });
    if (url.startsWith('/api/cases')) return owners({ method, url, payload, headers });
    return t.app.inject({ method, url, payload, headers });
  };
  const get = (url: string, headers: Record<string, string> = {}) => send('GET', url, undefined, headers);
  const post = (url: string, payload?: object, headers: Record<string, string> = {}) => send('POST', url, payload, headers);

  it('shows nothing publicly before a release is published, and live data only internally', async () => {
    const pub = await get('/api/stats/public');
    expect(pub.statusCode).toBe(200);
    expect(json(pub)).toEqual({ report: null, charts: [], releases: [] });
    const report = await get('/api/stats/report?year=2025');
    expect(report.statusCode).toBe(404);
    expect(json<ApiErrorBody>(report).code).toBe('not_found');
    expect((await get('/api/stats/report/download?year=2025&format=csv')).statusCode).toBe(404);
    const live = await get('/api/stats/report?year=2025', internal);
    expect(live.statusCode).toBe(200);
    expect(json(live).release).toEqual({ id: null, kind: 'live' });
    expect(json(live).tables.map((x: { id: string }) => x.id)).toContain('region');
    expect((await get('/api/stats/quality?year=2025')).statusCode).toBe(401);
    const coordinator = await t.as({ role: 'coordinator', region: 'syd' });
    expect((await coordinator.inject({ url: '/api/stats/quality?year=2025' })).statusCode).toBe(403);
    expect(json(await coordinator.inject({ url: '/api/stats/report?year=2025' })).code).toBe('not_found');
    const quality = await get('/api/stats/quality?year=2025', internal);
    expect(quality.statusCode).toBe(200);
    expect(json(quality).year).toBe(2025);
  });

  it('only the statistician freezes and publishes; the public then sees the published release only', async () => {
    const refused = await post('/api/stats/releases', { year: 2025, kind: 'final' });
    expect(refused.statusCode).toBe(401);
    const coordinator = await t.as({ role: 'coordinator', region: 'syd' });
    expect((await coordinator.inject({ method: 'POST', url: '/api/stats/releases', payload: { year: 2025, kind: 'final' } })).statusCode).toBe(403);
    expect(json(await get('/api/stats/releases', internal)).items).toEqual([]);

    const frozen = await post('/api/stats/releases', { year: 2025, kind: 'final' }, internal);
    expect(frozen.statusCode).toBe(201);
    expect(json(frozen)).toMatchObject({ id: '2025-1', kind: 'final', published: false });
    expect(json(await get('/api/stats/public')).releases).toEqual([]);
    expect((await post('/api/stats/releases/2025-1/publish')).statusCode).toBe(401);
    expect((await coordinator.inject({ method: 'POST', url: '/api/stats/releases/2025-1/publish' })).statusCode).toBe(403);
    const publishedRes = await post('/api/stats/releases/2025-1/publish', undefined, internal);
    expect(publishedRes.statusCode).toBe(200);
    expect(json(publishedRes)).toMatchObject({ id: '2025-1', published: true });
    const twice = await post('/api/stats/releases/2025-1/publish', undefined, internal);
    expect(twice.statusCode).toBe(409);
    expect(json<ApiErrorBody>(twice).code).toBe('conflict');

    // an internal second release stays internal
    expect((await post('/api/stats/releases', { year: 2025, kind: 'preliminary' }, internal)).statusCode).toBe(201);
    const pub = json(await get('/api/stats/public'));
    expect(pub.releases.map((r: { id: string }) => r.id)).toEqual(['2025-1']);
    expect(pub.report.release).toMatchObject({ id: '2025-1', kind: 'final', published: true });
    expect(pub.report.tables.map((x: { id: string }) => x.id)).not.toContain('region');
    // the protected form (this small release's charts may be all suppressed)
    expect(pub.report.disclosure).toMatchObject({ threshold: 3, width: 3 });
    expect(Array.isArray(pub.charts)).toBe(true);
    expect(json(await get('/api/stats/releases')).items.map((r: { id: string }) => r.id)).toEqual(['2025-1']);
    expect(json(await get('/api/stats/releases', internal)).items.map((r: { id: string }) => r.id)).toEqual(['2025-2', '2025-1']);
    expect((await get('/api/stats/report?year=2025&release=2025-2')).statusCode).toBe(404);
    expect(json(await get('/api/stats/report?year=2025&release=2025-2', internal)).release).toMatchObject({ id: '2025-2' });
    expect((await get('/api/stats/releases/compare?from=2025-1&to=2025-2')).statusCode).toBe(404);
    const cmp = await get('/api/stats/releases/compare?from=2025-1&to=2025-2', internal);
    expect(cmp.statusCode).toBe(200);
    expect(json(cmp)).toMatchObject({ added: [], removed: [], changed: [], cells: [] });
    // bad input is 400, never 500
    for (const url of ['/api/stats/report?year=abc', '/api/stats/report?year=2025&release=x', '/api/stats/report/download?year=2025&format=doc', '/api/stats/releases/compare?from=2025-1']) {
      expect((await get(url, internal)).statusCode, url).toBe(400);
    }
    expect((await post('/api/stats/releases', { year: 2025, kind: 'draft' }, internal)).statusCode).toBe(400);
  });

  it('the quality view groups possible duplicates without showing their linkage key', async () => {
    const key = 'de'.repeat(32);
    const made: string[] = [];
    for (const region of ['syd', 'nord', 'vast'] as const) {
      const res = await post('/api/cases', { ...coordinatorCase({ region, identified_on: '2025-06-01' }), linkage_key: key });
      expect(res.statusCode).toBe(201);
      made.push(json(res).id);
    }
    await post(`/api/cases/${made[2]}/withdraw`, {});
    const res = await get('/api/stats/quality?year=2025', internal);
    expect(res.statusCode).toBe(200);
    const body = json(res);
    const group = body.possible_duplicates.find((g: { case_ids: string[] }) => g.case_ids.includes(made[0]));
    expect(group.case_ids.sort()).toEqual([made[0], made[1]].sort());
    expect(res.body).not.toContain(key);
    // the live coordinator cases of the year, withdrawn ones left out (none here is closed)
    expect(body.cases).toBe(json(await get('/api/cases?year=2025&source=coordinator&status=open&pageSize=1')).total);
  });

  it('downloads the report with the right content type in every format', async () => {
    const expected = {
      json: 'application/json; charset=utf-8',
      csv: 'text/csv; charset=utf-8',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      pdf: 'application/pdf',
      html: 'text/html; charset=utf-8',
    };
    for (const [format, type] of Object.entries(expected)) {
      const res = await get(`/api/stats/report/download?year=2025&format=${format}`);
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-type'], format).toBe(type);
      expect(res.headers['content-disposition'], format).toBe(`attachment; filename="rk-statistik-2025.${format}"`);
      const bytes = res.rawPayload;
      if (format === 'json') expect(JSON.parse(res.body).release).toMatchObject({ id: '2025-1', kind: 'final' });
      if (format === 'csv') expect(res.body.length).toBeGreaterThan(100);
      if (format === 'xlsx') expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
      if (format === 'pdf') expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      if (format === 'html') expect(res.body.startsWith('<!DOCTYPE html>\n<html lang="sv">')).toBe(true);
    }
    const sv = await get('/api/stats/report/download?year=2025&format=csv');
    const en = await get('/api/stats/report/download?year=2025&format=csv&lang=en');
    const enHeader = await get('/api/stats/report/download?year=2025&format=csv', { 'accept-language': 'en' });
    expect(en.body).not.toBe(sv.body);
    expect(enHeader.body).toBe(en.body);
    // the public download never holds the internal region table
    expect(JSON.parse((await get('/api/stats/report/download?year=2025&format=json')).body).tables.map((x: { id: string }) => x.id)).not.toContain('region');
  });
});
