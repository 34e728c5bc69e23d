// Hostile input is refused at the edge with a 400 naming the field and the rule, on every route:
// control characters and lone surrogates (PostgreSQL refuses NUL in text and jsonb, and a lone
// surrogate's escape in jsonb), dates beyond PostgreSQL's range, JSON nested without end.
// Each request here once gave a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonTooDeep, MAX_JSON_DEPTH, MAX_QUERY_VALUE, textProblems } from '../../src/http/security.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type ApiErrorBody, type Client, type TestApp } from '../support/http.ts';

/** `depth` arrays or objects inside each other around a number. */
function nested(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + '1' + ']'.repeat(depth);
}

/** Depth of a parsed value, computed the plain recursive way (values here are shallow). */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Object.values(v as object);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('the JSON depth check', () => {
  it('agrees with the depth of the parsed value, for any JSON and any limit', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, limit) => {
        expect(jsonTooDeep(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
        expect(jsonTooDeep(JSON.stringify(value, null, 2), limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 500 },
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(JSON.stringify({ a: '[[[[{{{{\\"[[[[' }), 1)).toBe(false);
    expect(jsonTooDeep(JSON.stringify(['"', [['x']]]), 2)).toBe(true);
  });

  it('reads a megabyte of brackets without recursion', () => {
    expect(jsonTooDeep('['.repeat(1024 * 1024), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('the text check of parsed values', () => {
  const arbControl = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCharCode(c));
  /** Every string and key of a JSON value with its path, the recursive way. */
  function strings(v: unknown, path = ''): { path: string; text: string }[] {
    if (typeof v === 'string') return [{ path: path || '(body)', text: v }];
    if (v === null || typeof v !== 'object') return [];
    return Object.entries(v).flatMap(([k, x]) => {
      const p = path ? `${path}.${k}` : k;
      return [...(Array.isArray(v) ? [] : [{ path: p, text: k }]), ...strings(x, p)];
    });
  }

  it('names exactly the strings and keys that hold a control character', () => {
    const arbValue = fc.jsonValue({ maxDepth: 3 }).chain((v) =>
      fc.tuple(fc.constant(v), arbControl, fc.boolean()).map(([value, control, taint]) => {
        if (!taint) return value;
        // the control goes into every string value (keys stay clean, so paths stay comparable)
        return JSON.parse(JSON.stringify(value, (_k, x) => (typeof x === 'string' ? x + control : x)));
      }),
    );
    fc.assert(
      fc.property(arbValue, (value) => {
        const expected = strings(value).filter((s) => /[\u0000-\u001f\u007f]/.test(s.text)).map((s) => s.path);
        const found = textProblems(value, '', Infinity);
        expect(found.every((f) => f.rule === 'control_characters')).toBe(true);
        expect(found.map((f) => f.path).sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('refuses lone surrogates but keeps pairs, and allows every other character', () => {
    expect(textProblems({ a: '\ud800', b: '😀', c: 'å\u00a0\u2028\u0085' })).toEqual([{ path: 'a', rule: 'invalid_unicode' }]);
  });
});

const errorOf = (res: { statusCode: number; body: string }) => {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
  const body = json<ApiErrorBody>(res as never);
  expect(body.code).toBe('validation');
  return body;
};

describe.each(dbTargets())('hostile input through the API on %s', (target) => {
  let t: TestApp;
  let st: Client;
  let co: Client;
  beforeAll(async () => {
    t = await openTestApp(target);
    st = await t.as({ role: 'statistician' });
    co = await t.as({ role: 'coordinator', region: 'stockholm' });
  });
  afterAll(() => t?.close());

  it('a NUL or any control character in the sign-in username is a 400 naming the field, before any sign-in', async () => {
    for (const username of ['a\u0000b', 'a\tb', 'a\nb', '\u007f', 'a\u001bb']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'x' } });
      const body = errorOf(res);
      expect(body.errors).toEqual([{ path: 'username', rule: 'control_characters', message: expect.stringMatching(/styrtecken/) }]);
    }
    const en = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'a\u0000b', password: 'x' }, headers: { 'accept-language': 'en' } });
    expect(errorOf(en).message).toBe('The submitted data has errors.');
    expect(errorOf(en).errors[0].message).toMatch(/control characters/);
    // The refusal echoes no submitted value.
    expect(en.body).not.toContain('a\\u0000b');
  });

  it('a NUL in a draft value or key, or a lone surrogate, is a 400 and the saved draft stays as it was', async () => {
    expect((await co.inject({ method: 'PUT', url: '/api/drafts/case', payload: { data: { sex: 'female' } } })).statusCode).toBe(204);
    const cases: [unknown, string, string][] = [
      [{ sex: 'x\u0000' }, 'data.sex', 'control_characters'],
      [{ 'a\u0000b': 'x' }, 'data.a\ufffdb', 'control_characters'],
      [{ list: ['ok', { deep: 'line\nbreak' }] }, 'data.list.1.deep', 'control_characters'],
      [{ sex: '\ud800' }, 'data.sex', 'invalid_unicode'],
      [{ '\udc00': 1 }, 'data.\ufffd', 'invalid_unicode'],
    ];
    for (const [data, path, rule] of cases) {
      const body = errorOf(await co.inject({ method: 'PUT', url: '/api/drafts/case', payload: { data } }));
      expect(body.errors.map((e) => [e.path, e.rule])).toEqual([[path, rule]]);
    }
    expect(json((await co.inject({ method: 'GET', url: '/api/drafts/case' }))).data).toEqual({ sex: 'female' });
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 400 max_depth; exactly ${MAX_JSON_DEPTH} is accepted`, async () => {
    const put = (text: string) => co.inject({ method: 'PUT', url: '/api/drafts/case', payload: text, headers: { 'content-type': 'application/json' } });
    // the body's own object is one level
    expect((await put(`{"data":${nested(MAX_JSON_DEPTH - 1)}}`)).statusCode).toBe(204);
    for (const text of [`{"data":${nested(MAX_JSON_DEPTH)}}`, `{"data":${nested(10_000)}}`, `{"data":{"a":${nested(50_000, 'array')}}}`]) {
      const body = errorOf(await put(text));
      expect(body.errors.map((e) => [e.path, e.rule])).toEqual([['(body)', 'max_depth']]);
    }
    // every JSON route, also where nobody is signed in
    for (const url of ['/api/session', '/api/cases', '/api/cases/validate', '/api/stats/releases']) {
      const res = await t.app.inject({ method: 'POST', url, payload: nested(10_000, 'array'), headers: { 'content-type': 'application/json' } });
      expect(errorOf(res).errors[0].rule).toBe('max_depth');
    }
  });

  it('the audit filters: a NUL in actor and dates beyond 1900–2100 are 400 naming the parameter', async () => {
    const get = (q: string) => st.inject({ method: 'GET', url: `/api/audit?${q}` });
    expect(errorOf(await get('actor=%00')).errors.map((e) => [e.path, e.rule])).toEqual([['actor', 'control_characters']]);
    for (const [q, path] of [
      ['since=-271821-04-20', 'since'],
      ['until=%2B275760-09-13', 'until'],
      ['since=0000-00-00', 'since'],
      ['since=1899-12-31', 'since'],
      ['until=2101-01-01', 'until'],
      [`since=${'2'.repeat(41)}`, 'since'],
    ] as const) {
      const body = errorOf(await get(q));
      expect(body.errors.map((e) => e.path), q).toEqual([path]);
    }
    expect((await get('since=1900-01-01&until=2100-12-31')).statusCode).toBe(200);
    expect((await get('since=2025-01-01T00:00:00Z')).statusCode).toBe(200);
  });

  it(`query values over ${MAX_QUERY_VALUE} characters and control characters in path parameters or headers are refused on every route`, async () => {
    const long = 'x'.repeat(MAX_QUERY_VALUE + 1);
    for (const url of [`/api/cases?reference=${long}`, `/api/stats/public?lang=${long}`, `/api/health?anything=${long}`]) {
      expect(errorOf(await co.inject({ method: 'GET', url })).errors.map((e) => e.rule)).toContain('max_length');
    }
    expect(errorOf(await co.inject({ method: 'GET', url: '/api/cases/a%00b' })).errors).toEqual([
      { path: 'id', rule: 'control_characters', message: expect.any(String) },
    ]);
    const idem = await co.inject({ method: 'POST', url: '/api/cases', payload: coordinatorCase(), headers: { 'idempotency-key': 'k\u0000' } });
    expect(errorOf(idem).errors.map((e) => [e.path, e.rule])).toEqual([['idempotency-key', 'control_characters']]);
    // A tab in a header is allowed by HTTP and refused nowhere.
    expect((await co.inject({ method: 'GET', url: '/api/health', headers: { 'x-anything': 'a\tb' } })).statusCode).toBe(200);
  });

  it('a case with a control character is refused with the standard rule, in words, and nothing is stored', async () => {
    const before = json(await st.inject({ method: 'GET', url: '/api/cases' })).total;
    for (const url of ['/api/cases', '/api/cases/validate']) {
      const res = await co.inject({ method: 'POST', url, payload: { ...coordinatorCase(), nationality: 'S\u0000' } });
      expect(res.statusCode).toBe(400);
      expect(json<ApiErrorBody>(res).errors.map((e) => [e.path, e.rule])).toEqual([['nationality', 'control_characters']]);
    }
    expect(json(await st.inject({ method: 'GET', url: '/api/cases' })).total).toBe(before);
  });
});
