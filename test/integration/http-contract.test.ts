// The response contract (src/contract): every API route declares what it answers, /api/docs
// publishes each answer's schema, and the answers conform — also those the serializer never
// sees, a published release's stored outputs, sent as the bytes they were stored as.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as contract from '../../src/contract/index.ts';
import { systemActor } from '../../src/access/actor.ts';
import type { RouteEntry } from '../../src/http/app.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { importableCases, json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const token = 'test-local-token';
/** Routes of the API; the web app's pages and files and the API documentation itself are not. */
const isApi = (r: RouteEntry) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs');
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the response contract', () => {
  let t: TestApp;
  let statistician: Client;
  let coordinator: Client;

  beforeAll(async () => {
    t = await openTestApp('pglite', { localToken: token });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      payload: casesToCsv(importableCases(60, 11, { today: '2025-12-31' })),
      headers: { 'content-type': 'text/csv', 'x-lagesbild-local-token': token },
    });
    expect(res.statusCode, res.body).toBe(200);
    contract.ImportDone.parse(json(res));
    for (let i = 0; i < 2; i++) {
      const release = await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final' });
      await publishRelease(t.database.db, systemActor('test'), release.id);
    }
    const civ = await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final', source: 'civil_society' });
    await publishRelease(t.database.db, systemActor('test'), civ.id);
    statistician = await t.as({ role: 'statistician' });
    coordinator = await t.as({ role: 'coordinator', region: 'stockholm' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every API route declares its success answer and its 4xx and 5xx error body', () => {
    const routes = t.app.routeTable.filter(isApi);
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes
      .filter((r) => {
        const response = (r.schema?.response ?? {}) as Record<string, unknown>;
        const success = Object.keys(response).some((code) => /^[23]\d\d$/.test(code));
        return !success || response['4xx'] !== contract.ApiErrorBody || response['5xx'] !== contract.ApiErrorBody;
      })
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('publishes a response schema for every API route at /api/docs/json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    type Operation = { responses?: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> }> };
    const paths = json(res).paths as Record<string, Record<string, Operation>>;
    const problems: string[] = [];
    for (const r of t.app.routeTable.filter((x) => isApi(x) && x.method !== 'HEAD')) {
      const name = `${r.method} ${r.url}`;
      const responses = paths[openApiPath(r.url)]?.[r.method.toLowerCase()]?.responses;
      if (!responses) {
        problems.push(`${name}: not in the document`);
        continue;
      }
      const success = Object.entries(responses).filter(([code]) => /^[23]\d\d$/.test(code));
      if (success.length === 0) problems.push(`${name}: no success answer`);
      for (const [code, answer] of success) {
        // An answer without a body (204, redirects, 304) has a description and no content.
        if (['204', '302', '303', '304'].includes(code)) continue;
        const schemas = Object.values(answer.content ?? {}).map((c) => c.schema);
        if (schemas.length === 0 || schemas.some((s) => !s || Object.keys(s).length === 0)) problems.push(`${name}: ${code} without a schema`);
      }
      for (const code of ['4XX', '5XX']) {
        const schema = responses[code]?.content?.['application/json']?.schema as { properties?: Record<string, unknown> } | undefined;
        if (!schema?.properties?.code || !schema.properties.errors) problems.push(`${name}: ${code} is not the error body`);
      }
    }
    expect(problems).toEqual([]);
  });

  /** GETs a route and parses its JSON with a contract schema, strictly (no key the contract lacks). */
  async function conforms<T extends z.ZodType>(schema: T, url: string, as?: Client, status = 200): Promise<z.output<T>> {
    const res = as ? await as.inject({ method: 'GET', url }) : await t.app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(status);
    const parsed = schema.safeParse(json(res));
    expect(parsed.error?.issues.slice(0, 5) ?? [], url).toEqual([]);
    return parsed.data as z.output<T>;
  }

  it('the public outputs of published releases (stored bytes, never serialized) conform', async () => {
    const page = await conforms(contract.PublicStats, '/api/stats/public?lang=en');
    expect(page.report?.release.id).toBe('2025-2');
    expect(page.report?.disclosure?.policy_version).toBe(1);
    // The public reads the protected form: the published-report schema, with its disclosure summary.
    expect((await conforms(contract.PublishedReport, '/api/stats/report?year=2025')).disclosure).toBeDefined();
    await conforms(contract.PublishedReport, '/api/stats/report/download?year=2025&format=json');
    await conforms(contract.Charts, '/api/stats/charts?year=2025&lang=sv');
    const comparison = await conforms(contract.ReleaseComparison, '/api/stats/releases/compare?from=2025-1&to=2025-2');
    expect(comparison.added).toEqual([]);
    await conforms(contract.ReleaseList, '/api/stats/releases');
    await conforms(contract.ReleaseList, '/api/stats/releases?source=civil_society');
    expect((await conforms(contract.SourceReportView, '/api/stats/source-report?source=civil_society&year=2025&lang=en')).form).toBe('protected');
    await conforms(contract.SourceReportView, '/api/stats/source-report/download?release=2025-civ-1&format=json');
    await conforms(contract.ApiErrorBody, '/api/stats/source-report?source=support_programme&year=2025', undefined, 404);
    await conforms(contract.CodesDocument, '/api/codes');
    await conforms(contract.SignInMethods, '/api/session/methods');
    await conforms(contract.Health, '/api/health');
    await conforms(contract.Ready, '/api/ready');
    await conforms(contract.ApiErrorBody, '/api/stats/report?year=2019', undefined, 404);
    await conforms(contract.ApiErrorBody, '/api/cases', undefined, 401);
  });

  it('the statistician\'s and the coordinator\'s answers conform', async () => {
    await conforms(contract.Report, '/api/stats/report?year=2025', statistician);
    await conforms(contract.Report, '/api/stats/report?year=2025&release=2025-1', statistician);
    await conforms(contract.PublishedReport, '/api/stats/report?year=2025&release=2025-1&form=protected', statistician);
    const policy = await conforms(contract.PolicyView, '/api/stats/releases/2025-1/policy', statistician);
    expect(policy.protection?.audit.passed).toBe(true);
    await conforms(contract.Charts, '/api/stats/charts?year=2025', statistician);
    await conforms(contract.ReleaseList, '/api/stats/releases', statistician);
    await conforms(contract.SourceReportView, '/api/stats/source-report?source=civil_society&year=2025&form=exact', statistician);
    await conforms(contract.ReleaseComparison, '/api/stats/releases/compare?from=2025-1&to=2025-2', statistician);
    await conforms(contract.YearQuality, '/api/stats/quality?year=2025', statistician);
    await conforms(contract.PublishedSeries, '/api/stats/series', statistician);
    await conforms(contract.AuditPage, '/api/audit', statistician);
    await conforms(contract.AuditChainState, '/api/audit/chain', statistician);
    await conforms(contract.SessionView, '/api/session', coordinator);
    await conforms(contract.Draft, '/api/drafts/case', coordinator);

    const list = await conforms(contract.CaseList, '/api/cases?year=2025&pageSize=5', coordinator);
    expect(list.items.length).toBeGreaterThan(0);
    const one = await conforms(contract.CaseView, `/api/cases/${list.items[0].id}`, coordinator);
    expect(one.abilities['case.read']).toBe(true);
    await conforms(contract.CaseHistory, `/api/cases/${one.id}/history`, coordinator);

    const check = await coordinator.inject({ method: 'POST', url: '/api/cases/validate', payload: { source: 'coordinator' } });
    expect(check.statusCode).toBe(200);
    const parsed = contract.CaseCheck.parse(json(check));
    expect(parsed.ok).toBe(false);
    const missing = new Set(parsed.errors.filter((e) => e.rule === 'required').map((e) => e.path));
    // What the form marks required for a coordinator (the rules of /api/codes) is what the server asks for.
    const codes = contract.CodesDocument.parse(json(await t.app.inject({ method: 'GET', url: '/api/codes' })));
    expect([...missing].sort()).toEqual(codes.rules.required.coordinator.filter((f) => f !== 'source').sort());
  });

  it('a one-time code and a new password with it conform (the code answer, the refusal, then 204)', async () => {
    const admin = await t.as({ role: 'admin' });
    const res = await admin.inject({ method: 'POST', url: `/api/admin/users/${coordinator.user.id}/reset-code` });
    expect(res.statusCode, res.body).toBe(201);
    const made = contract.ResetCodeResult.parse(json(res));
    const body = (code: string) => contract.PasswordResetBody.parse({ username: coordinator.user.username, code, password: 'hjortronsylt till våffeldagen i lappland' });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/session/reset', payload: body('AAAA-BBBB-CCCC') });
    expect(wrong.statusCode).toBe(400);
    expect(contract.ApiErrorBody.parse(json(wrong)).errors.map((e) => e.path)).toEqual(['code']);
    const done = await t.app.inject({ method: 'POST', url: '/api/session/reset', payload: body(made.code) });
    expect(done.statusCode, done.body).toBe(204);
    expect(done.body).toBe('');
  });
});
