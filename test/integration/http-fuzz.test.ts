// Whatever a client sends, the API answers in its error shape and never with a 500:
// arbitrary JSON bodies to POST/PUT, arbitrary query strings to the list, arbitrary text as CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvColumns } from '../../src/standard/csv.ts';
import { arbValidCase } from '../support/arbitraries.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type ApiErrorBody, type Client, type TestApp } from '../support/http.ts';

const numRuns = 120;

/** Any JSON value, with keys that are sometimes the case's own field names. */
const fieldNames = ['source', 'region', 'identified_on', 'sex', 'age', 'age_group', 'exploitation_forms', 'support', 'related_children', 'nationality', 'version', '__proto__', 'constructor'];
const arbKey = fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 }));
const arbJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(arbKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A valid case with one to three fields replaced by arbitrary JSON (deep validation paths). */
const arbMutated = fc
  .tuple(arbValidCase(), fc.array(fc.tuple(fc.constantFrom(...fieldNames, 'support.nsp', 'related_children.0'), arbJson), { minLength: 1, maxLength: 3 }))
  .map(([base, changes]) => {
    const out: Record<string, unknown> = JSON.parse(JSON.stringify(base));
    for (const [path, value] of changes) {
      const [head, tail] = path.split('.');
      if (tail === undefined) out[head] = value;
      else out[head] = { ...(typeof out[head] === 'object' && out[head] !== null ? (out[head] as object) : {}), [tail]: value };
    }
    return out;
  });

const arbBody = fc.oneof(arbJson, arbMutated, arbValidCase() as fc.Arbitrary<unknown>);

function expectHandled(res: { statusCode: number; body: string }, what: string) {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = json<ApiErrorBody>(res as never);
    expect(typeof body.code).toBe('string');
    expect(typeof body.message).toBe('string');
    expect(Array.isArray(body.errors)).toBe(true);
    for (const e of body.errors) {
      expect(typeof e.path).toBe('string');
      expect(typeof e.rule).toBe('string');
      expect(typeof e.message).toBe('string');
    }
  }
}

describe.each(dbTargets())('API robustness on %s', (target) => {
  let t: TestApp;
  /** Stockholm's coordinator, who owns the case the changes go to */
  let co: Client;
  let caseId: string;
  beforeAll(async () => {
    t = await openTestApp(target);
    co = await t.as({ role: 'coordinator', region: 'stockholm' });
    caseId = (await co.inject({ method: 'POST', url: '/api/cases', payload: coordinatorCase() })).json().id;
  });
  afterAll(() => t?.close());

  it('POST /api/cases with arbitrary JSON never gives a 500', async () => {
    await fc.assert(
      fc.asyncProperty(arbBody, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }), async (body, key) => {
        const res = await co.inject({
          method: 'POST',
          url: '/api/cases',
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        });
        expectHandled(res, 'POST /api/cases');
        if (res.statusCode === 201) expect(json(res).reference).toMatch(/^[A-Z]{3}-\d{4}-\d{4}$/);
      }),
      { numRuns },
    );
  });

  it('PUT /api/cases/:id with arbitrary JSON and If-Match never gives a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbBody,
        fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.oneof(fc.integer(), fc.maxSafeInteger()).map((n) => `"${n}"`)), { nil: undefined }),
        fc.constantFrom(caseId, 'nope', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'STH-2025-0001', '%20', '%00', 'a%00b-1'),
        async (body, ifMatch, id) => {
          const res = await co.inject({
            method: 'PUT',
            url: `/api/cases/${id}`,
            payload: JSON.stringify(body),
            headers: { 'content-type': 'application/json', ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}) },
          });
          expectHandled(res, 'PUT /api/cases/:id');
        },
      ),
      { numRuns },
    );
  });

  it('status changes with arbitrary bodies never give a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(arbJson, fc.maxSafeInteger().map((version) => ({ version }))), fc.constantFrom('close', 'reopen', 'withdraw'), async (body, action) => {
        const res = await co.inject({
          method: 'POST',
          url: `/api/cases/${caseId}/${action}`,
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expectHandled(res, action);
      }),
      { numRuns: 60 },
    );
  });

  it('GET /api/cases with arbitrary query strings never gives a 500', async () => {
    const names = ['year', 'region', 'category', 'sex', 'age_group', 'nationality', 'status', 'source', 'reference', 'page', 'pageSize', 'organisation_id', 'x'];
    const arbValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('2025', 'stockholm', 'labour', 'SE', 'open', '-1', '1e9', 'NaN', '', '\u0000', 'STH-2025-0001\u0000'));
    const arbQuery = fc.oneof(
      fc.array(fc.tuple(fc.constantFrom(...names), arbValue), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()),
      fc.string({ maxLength: 40 }).map((s) => encodeURI(s)),
    );
    await fc.assert(
      fc.asyncProperty(arbQuery, async (q) => {
        const res = await co.inject({ method: 'GET', url: `/api/cases?${q}` });
        expectHandled(res, `GET /api/cases?${q}`);
        if (res.statusCode === 200) {
          const body = json(res);
          expect(Array.isArray(body.items)).toBe(true);
          expect(body.items.length).toBeLessThanOrEqual(body.pageSize);
        }
      }),
      { numRuns },
    );
  });

  it('answers the inputs that once reached SQL unchecked with 4xx (NUL bytes, versions beyond the integer range)', async () => {
    const requests = [
      { method: 'GET', url: '/api/cases?reference=%00' },
      { method: 'GET', url: '/api/cases?organisation_id=%00' },
      { method: 'GET', url: '/api/cases/%00' },
      { method: 'GET', url: '/api/cases/a%00b-1/history' },
      { method: 'PUT', url: `/api/cases/${caseId}`, payload: { ...coordinatorCase(), version: 99_999_999_999 } },
      { method: 'PUT', url: `/api/cases/${caseId}`, payload: coordinatorCase(), headers: { 'if-match': '"99999999999"' } },
      { method: 'POST', url: `/api/cases/${caseId}/close`, payload: { version: 99_999_999_999 } },
    ] as const;
    const before = json(await co.inject({ method: 'GET', url: `/api/cases/${caseId}` }));
    for (const r of requests) {
      const res = await co.inject(r as never);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(json<ApiErrorBody>(res).code).toBe('validation');
    }
    const after = json(await co.inject({ method: 'GET', url: `/api/cases/${caseId}` }));
    expect(after.version).toBe(before.version);
  });

  it('the statistics routes with arbitrary query strings never give a 500', async () => {
    const local = await openTestApp(target, { localToken: 'fuzz-token' });
    try {
      await local.app.inject({ method: 'POST', url: '/api/cases', payload: coordinatorCase(), headers: { 'x-lagesbild-local-token': 'fuzz-token' } });
      await local.app.inject({ method: 'POST', url: '/api/stats/releases', payload: { year: 2025, kind: 'final' }, headers: { 'x-lagesbild-local-token': 'fuzz-token' } });
      const paths = ['/api/stats/report', '/api/stats/report/download', '/api/stats/charts', '/api/stats/releases', '/api/stats/releases/compare', '/api/stats/quality', '/api/stats/public'];
      const names = ['year', 'release', 'unknown_age_as_adult', 'lang', 'format', 'from', 'to', 'x'];
      const arbValue = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('2025', '2024', '2025-1', '2025-2', '2025-0', '0000-1', 'true', 'false', 'sv', 'en', 'json', 'csv', '\u0000', '99999'));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), fc.array(fc.tuple(fc.constantFrom(...names), arbValue), { maxLength: 4 }), fc.boolean(), async (p, pairs, inside) => {
          const res = await local.app.inject({
            method: 'GET',
            url: `${p}?${new URLSearchParams(pairs)}`,
            headers: inside ? { 'x-lagesbild-local-token': 'fuzz-token' } : {},
          });
          expectHandled(res, `${p}?${new URLSearchParams(pairs)}`);
        }),
        { numRuns: 80 },
      );
    } finally {
      await local.close();
    }
  });

  it('POST /api/import with arbitrary text never gives a 500', async () => {
    const header = csvColumns.join(',');
    const arbCell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('coordinator', '2025-01-01', 'female', 'adult', 'stockholm', 'labour;sexual', '"', '""', '=1+1', ''));
    const arbCsv = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.array(arbCell, { maxLength: csvColumns.length + 2 }), { maxLength: 4 }).map((rows) => [header, ...rows.map((r) => r.join(','))].join('\r\n')),
      fc.array(fc.array(arbCell, { maxLength: 6 }), { maxLength: 4 }).map((rows) => rows.map((r) => r.join(';')).join('\n')),
    );
    await fc.assert(
      fc.asyncProperty(arbCsv, fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'text/plain'), async (text, type) => {
        const res = await co.inject({ method: 'POST', url: '/api/import', payload: text, headers: { 'content-type': type } });
        expectHandled(res, 'POST /api/import');
      }),
      { numRuns },
    );
    // a JSON body to the import is refused as the wrong media type, not a crash
    const asJson = await co.inject({ method: 'POST', url: '/api/import', payload: { a: 1 } });
    expect(asJson.statusCode).toBe(415);
  });
});
