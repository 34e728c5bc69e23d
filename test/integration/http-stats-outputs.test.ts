// A published release's outputs are computed once and served from release_outputs: with an ETag
// and 304s, compressed when asked, once per key under concurrent first requests and across
// servers, unchanged by later publications, and never for an unpublished release.
import zlib from 'node:zlib';
import { storedForms } from '../../src/http/routes/stats.ts';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { buildApp } from '../../src/http/app.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { drawnVariant, outputCounters, variantOf } from '../../src/outputs/release-outputs.ts';
import { releaseOutputs } from '../../src/stats/schema.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { rows } from '../../src/store/db.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const token = 'test-local-token';
type OutputRow = { variant: string; output: string; lang: string; etag: string; created_at: string };
/** The key of the files and charts of the protected form under policy version 1, as this renderer draws them. */
const drawn = drawnVariant('protected-v1');

describe.each(dbTargets())('stored release outputs on %s', (target) => {
  let t: TestApp;
  let statistician: Client;
  /** A second server on the same database: its own memory and in-flight map, like another process. */
  let other: FastifyInstance;
  const stored = (releaseId: string) =>
    rows<OutputRow>(
      t.database.db,
      sql`select variant, output, lang, etag, created_at::text as created_at from release_outputs where release_id = ${releaseId} order by variant, output, lang`,
    );
  const get = (url: string, headers: Record<string, string> = {}, app: FastifyInstance = t.app) => app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      payload: casesToCsv(importableCases(80, 8, { today: '2025-12-31' })),
      headers: { 'content-type': 'text/csv', 'x-lagesbild-local-token': token },
    });
    expect(res.statusCode).toBe(200);
    statistician = await t.as({ role: 'statistician' });
    // Published without the route, so nothing is precomputed: the first request computes.
    const release = await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final' });
    await publishRelease(t.database.db, systemActor('test'), release.id);
    other = await buildApp({ oidc: null, database: t.database });
    await other.ready();
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('computes the public page once; later requests, also on another server, are served from storage', async () => {
    expect(await stored('2025-1')).toEqual([]);
    const before = outputCounters.reportsComputed;
    const first = await get('/api/stats/public');
    expect(first.statusCode).toBe(200);
    expect(json(first).report.release).toMatchObject({ id: '2025-1', published: true });
    expect(json(first).releases.map((r: { id: string }) => r.id)).toEqual(['2025-1']);
    expect(outputCounters.reportsComputed - before).toBe(1);
    expect((await stored('2025-1')).map((r) => `${r.variant}/${r.output}/${r.lang}`)).toEqual(['protected-v1/report/any', `${drawn}/charts/sv`]);

    for (let i = 0; i < 3; i++) expect((await get('/api/stats/public')).body).toBe(first.body);
    // The report route reads the same stored report; English charts are one more row, not one more report.
    expect((await get('/api/stats/report?year=2025')).body).toBe(JSON.stringify(json(first).report));
    const en = await get('/api/stats/public?lang=en');
    // (this small release's figures are all suppressed, so its charts are empty in both languages)
    expect((await stored('2025-1')).map((r) => `${r.variant}/${r.output}/${r.lang}`)).toContain(`${drawn}/charts/en`);
    const elsewhere = await get('/api/stats/public', {}, other);
    expect(elsewhere.body).toBe(first.body);
    expect(elsewhere.headers.etag).toBe(first.headers.etag);
    expect(outputCounters.reportsComputed - before).toBe(1);
    expect((await stored('2025-1')).length).toBe(3);
  });

  it('answers 304 to If-None-Match, weak or strong, and 200 with the body otherwise', async () => {
    for (const url of ['/api/stats/public', '/api/stats/report?year=2025', '/api/stats/charts?year=2025&lang=en', '/api/stats/report/download?year=2025&format=pdf&lang=sv']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      const etag = String(res.headers.etag);
      expect(etag, url).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      const bare = etag.slice(2);
      for (const tag of [etag, bare, `"other", ${etag}`, '*']) {
        const again = await get(url, { 'if-none-match': tag, 'accept-encoding': 'gzip, br' });
        expect(again.statusCode, `${url} ${tag}`).toBe(304);
        expect(again.rawPayload.length, url).toBe(0);
        expect(again.headers.etag, url).toBe(etag);
      }
      const changed = await get(url, { 'if-none-match': '"something-else"' });
      expect(changed.statusCode, url).toBe(200);
      expect(changed.rawPayload.equals(res.rawPayload), url).toBe(true);
    }
  });

  it('compresses with gzip and brotli to the same JSON; PDF and XLSX go as they are', async () => {
    const plain = await get('/api/stats/public');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await get('/api/stats/public', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gz.headers.etag).toBe(plain.headers.etag);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(zlib.gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    const br = await get('/api/stats/public', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    // The compressed forms are made once: asking again compresses nothing.
    const compressions = storedForms.stats.compressions;
    const again = await get('/api/stats/public', { 'accept-encoding': 'gzip, deflate, br' });
    expect(again.rawPayload.equals(br.rawPayload)).toBe(true);
    expect(storedForms.stats.compressions).toBe(compressions);
    const csv = await get('/api/stats/report/download?year=2025&format=csv', { 'accept-encoding': 'gzip' });
    expect(csv.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(csv.rawPayload).toString('utf8')).toBe((await get('/api/stats/report/download?year=2025&format=csv')).body);
    for (const [format, magic] of [['pdf', '%PDF-'], ['xlsx', 'PK']]) {
      const res = await get(`/api/stats/report/download?year=2025&format=${format}`, { 'accept-encoding': 'gzip, br' });
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-encoding'], format).toBeUndefined();
      expect(res.rawPayload.subarray(0, magic.length).toString('latin1'), format).toBe(magic);
    }
  });

  it('serves every format in both languages from storage, one row per key', async () => {
    const before = outputCounters.reportsComputed;
    for (const lang of ['sv', 'en']) {
      for (const format of ['json', 'csv', 'xlsx', 'pdf', 'html']) {
        const url = `/api/stats/report/download?year=2025&format=${format}&lang=${lang}`;
        const a = await get(url);
        const b = await get(url, {}, other);
        expect(a.statusCode, url).toBe(200);
        expect(a.headers['content-disposition'], url).toBe(`attachment; filename="rk-statistik-2025.${format}"`);
        expect(b.rawPayload.equals(a.rawPayload), url).toBe(true);
      }
    }
    // Accept-Language picks the same stored English file as ?lang=en, and says it varies by it.
    const byHeader = await get('/api/stats/report/download?year=2025&format=csv', { 'accept-language': 'en' });
    expect(byHeader.body).toBe((await get('/api/stats/report/download?year=2025&format=csv&lang=en')).body);
    expect(byHeader.headers.vary).toMatch(/accept-language/i);
    expect(outputCounters.reportsComputed).toBe(before);
    const keys = (await stored('2025-1')).map((r) => `${r.variant}/${r.output}/${r.lang}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of [`${drawn}/download.json/any`, `${drawn}/download.csv/sv`, `${drawn}/download.csv/en`, `${drawn}/download.pdf/en`, `${drawn}/download.xlsx/sv`]) {
      expect(keys).toContain(k);
    }
  });

  it('the protected form is keyed by the policy version; the other count of unknown ages is refused; concurrent first requests on two servers store once', async () => {
    expect(variantOf({ settings: { unknown_age_as_adult: true }, policy_version: 1 }, { unknown_age_as_adult: true })).toBe('protected-v1');
    expect(variantOf({ settings: { unknown_age_as_adult: true }, policy_version: 4 }, undefined)).toBe('protected-v4');
    expect(() => variantOf({ settings: { unknown_age_as_adult: true }, policy_version: 1 }, { unknown_age_as_adult: false })).toThrow();
    // A second set of figures with the other count would be unaudited: refused, naming the field.
    const refused = await get('/api/stats/report?year=2025&unknown_age_as_adult=false', { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('unknown_age_as_adult');

    const url = '/api/stats/report/download?year=2025&format=xlsx&lang=en';
    const before = outputCounters.reportsComputed;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(url, {}, i % 2 ? other : t.app)));
    for (const a of answers) {
      expect(a.statusCode).toBe(200);
      // every server sends the row that was stored first, whichever computed it
      expect(a.headers.etag).toBe(answers[0].headers.etag);
      expect(a.rawPayload.equals(answers[0].rawPayload)).toBe(true);
    }
    // the report is stored already; the other server may compute it once more at most
    expect(outputCounters.reportsComputed - before).toBeLessThanOrEqual(1);

    // Within one server, concurrent first requests compute once.
    const once = outputCounters.reportsComputed;
    const same = await Promise.all(Array.from({ length: 10 }, () => get('/api/stats/charts?year=2025&lang=en')));
    expect(new Set(same.map((r) => r.body)).size).toBe(1);
    expect(outputCounters.reportsComputed).toBe(once); // the form's report is stored already
    // ?unknown_age_as_adult=true is the release's own setting: the same form, nothing new stored
    const count = (await stored('2025-1')).length;
    expect((await get('/api/stats/report?year=2025&unknown_age_as_adult=true')).body).toBe((await get('/api/stats/report?year=2025')).body);
    expect((await stored('2025-1')).length).toBe(count);
  });

  it('a file drawn by an earlier renderer is drawn again, never served, and deleted; the stored figures are kept', async () => {
    const report = (await stored('2025-1')).find((r) => r.output === 'report');
    await t.database.db.execute(sql`delete from release_outputs where release_id = '2025-1' and output = 'download.csv'`);
    const stale = Buffer.from('drawn by an earlier renderer\n');
    // as stored before renderers were versioned, and by an earlier renderer version
    // (and one of a later renderer, as a process already upgraded would store it)
    const later = drawnVariant('protected-v1').replace(/-r\d+$/, '-r999');
    for (const variant of ['protected-v1', 'protected-v1-r0', later]) {
      await t.database.db.insert(releaseOutputs).values({ release_id: '2025-1', variant, output: 'download.csv', lang: 'sv', content_type: 'text/csv; charset=utf-8', body: stale, etag: '"stale"' });
    }
    // a server that has nothing in memory: it reads the table
    const fresh = await buildApp({ oidc: null, database: t.database });
    try {
      await fresh.ready();
      const res = await get('/api/stats/report/download?year=2025&release=2025-1&format=csv', {}, fresh);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(stale)).toBe(false);
      expect(res.headers.etag).not.toBe('"stale"');
      expect(res.body.split('\r\n')[0]).toMatch(/^\ufefftable,title,dimension_1,/);
    } finally {
      await fresh.close();
    }
    const after = await stored('2025-1');
    expect(after.map((r) => `${r.variant}/${r.output}/${r.lang}`)).toContain(`${drawn}/download.csv/sv`);
    // what the earlier renderers drew is gone, the later renderer's file is kept
    expect(after.filter((r) => r.output === 'download.csv' && r.lang === 'sv').map((r) => r.variant).sort()).toEqual([drawn, later].sort());
    await t.database.db.execute(sql`delete from release_outputs where release_id = '2025-1' and variant = ${later}`);
    // the figures were not computed again: the stored report is the same row
    expect(after.find((r) => r.output === 'report')).toEqual(report);
  });

  it('a new publication leaves an earlier release stored as it was, and shows in the list at once', async () => {
    const earlier = await stored('2025-1');
    const earlierReport = await get('/api/stats/report?year=2025&release=2025-1');
    const publicBefore = await get('/api/stats/public');
    const frozen = await statistician.inject({ method: 'POST', url: '/api/stats/releases', payload: { year: 2025, kind: 'final' } });
    expect(frozen.statusCode).toBe(201);
    const published = await statistician.inject({ method: 'POST', url: '/api/stats/releases/2025-2/publish' });
    expect(published.statusCode).toBe(200);
    // publication precomputed the new release's default form in both languages
    expect((await stored('2025-2')).map((r) => `${r.variant}/${r.output}/${r.lang}`)).toEqual([
      'protected-v1/report/any',
      `${drawn}/charts/en`,
      `${drawn}/charts/sv`,
      `${drawn}/download.csv/en`,
      `${drawn}/download.csv/sv`,
      `${drawn}/download.html/en`,
      `${drawn}/download.html/sv`,
      `${drawn}/download.json/any`,
      `${drawn}/download.pdf/en`,
      `${drawn}/download.pdf/sv`,
      `${drawn}/download.xlsx/en`,
      `${drawn}/download.xlsx/sv`,
    ]);
    expect(await stored('2025-1')).toEqual(earlier);
    const again = await get('/api/stats/report?year=2025&release=2025-1');
    expect(again.body).toBe(earlierReport.body);
    expect(again.headers.etag).toBe(earlierReport.headers.etag);
    const publicAfter = await get('/api/stats/public');
    expect(publicAfter.headers.etag).not.toBe(publicBefore.headers.etag);
    expect(json(publicAfter).releases.map((r: { id: string }) => r.id)).toEqual(['2025-2', '2025-1']);
    expect(json(publicAfter).report.release.id).toBe('2025-2');
    // A comparison of two published releases is stored too, under the later one.
    const cmp = await get('/api/stats/releases/compare?from=2025-1&to=2025-2');
    expect(cmp.statusCode).toBe(200);
    // The public comparison names no cases and no users.
    expect(json(cmp)).toMatchObject({ added: [], removed: [], changed: [], from: { created_by: null, published_by: null } });
    expect((await stored('2025-2')).map((r) => r.output)).toContain('compare-from-2025-1');
  });

  it('the public never gets an unpublished release, even when outputs of it were stored', async () => {
    const frozen = await statistician.inject({ method: 'POST', url: '/api/stats/releases', payload: { year: 2025, kind: 'final' } });
    expect(json(frozen).id).toBe('2025-3');
    // The statistician's view of it is computed, with the internal region table, and not stored.
    const internalView = await statistician.inject({ url: '/api/stats/report?year=2025&release=2025-3' });
    expect(internalView.statusCode).toBe(200);
    expect(json(internalView).tables.map((x: { id: string }) => x.id)).toContain('region');
    expect(await stored('2025-3')).toEqual([]);
    // A row for it (a bug elsewhere, or a hand edit) must still not reach the public.
    await t.database.db.execute(
      sql`insert into release_outputs (release_id, variant, output, lang, content_type, body, etag) values ('2025-3', 'default', 'report', 'any', 'application/json', ${Buffer.from('{"leak":true}')}, '"x"')`,
    );
    const coordinator = await t.as({ role: 'coordinator', region: 'syd' });
    for (const url of [
      '/api/stats/report?year=2025&release=2025-3',
      '/api/stats/charts?year=2025&release=2025-3',
      '/api/stats/report/download?year=2025&release=2025-3&format=json',
      '/api/stats/releases/compare?from=2025-1&to=2025-3',
    ]) {
      for (const res of [await get(url), await get(url, {}, other), await coordinator.inject({ url })]) {
        expect(res.statusCode, url).toBe(404);
        expect(res.body, url).not.toContain('leak');
      }
    }
    expect(json(await get('/api/stats/public')).releases.map((r: { id: string }) => r.id)).not.toContain('2025-3');
    expect(json(await get('/api/stats/releases')).items.map((r: { id: string }) => r.id)).toEqual(['2025-2', '2025-1']);
    // a year without a published release: 404, nothing stored
    expect((await get('/api/stats/report?year=2031')).statusCode).toBe(404);
  });
});
