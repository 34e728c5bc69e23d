// Access through the real application, route by route: every route of the app's own route table
// × every role (and not signed in) × a case inside and outside the actor's scope gets the status
// the expectation table says; a route the table does not name fails the test. Besides: a
// coordinator of one region learns nothing of another region's cases by any route, every
// case-level read is in the audit trail, arbitrary bodies never give a 500, CSRF, lockout,
// session expiry and fixation, and `lagesbild audit verify` finds tampering.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { systemActor } from '../../src/access/actor.ts';
import { verifyPassword } from '../../src/access/passwords.ts';
import { findUserByUsername } from '../../src/access/users.ts';
import { createOrganisation } from '../../src/access/organisations.ts';
import { auditLog } from '../../src/access/schema.ts';
import { runAudit } from '../../src/cli/audit.ts';
import { createCase, closeCase } from '../../src/registry/cases.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import { openDatabase } from '../../src/store/db.ts';
import * as codes from '../../src/standard/codes.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { runMain, tempDataDir } from '../support/cli.ts';
import { dbTargets } from '../support/db.ts';
import { addUser, json, openTestApp, sessionCookie, signIn, TEST_PASSWORD, type Client, type TestApp, type Who } from '../support/http.ts';

type RoleName = 'anonymous' | 'coordinator' | 'organisation_reporter' | 'programme_officer' | 'statistician' | 'admin';
const roleNames: RoleName[] = ['anonymous', 'coordinator', 'organisation_reporter', 'programme_officer', 'statistician', 'admin'];
const who: Record<Exclude<RoleName, 'anonymous'>, Who> = {
  coordinator: { role: 'coordinator', region: 'stockholm' },
  organisation_reporter: { role: 'organisation_reporter', organisation_id: 'matris-forening' },
  programme_officer: { role: 'programme_officer', organisation_id: 'matris-nsp' },
  statistician: { role: 'statistician' },
  admin: { role: 'admin' },
};
type Scope = 'in' | 'out';

/** A case each role owns ("in"), and one outside every scoped role ("out": another region's coordinator case). */
const ownCase: Record<RoleName, CaseInputIn> = {
  anonymous: coordinatorCase({ region: 'stockholm' }),
  coordinator: coordinatorCase({ region: 'stockholm' }),
  organisation_reporter: { ...coordinatorCase(), source: 'civil_society', region: null, organisation_id: 'matris-forening', referred_by: null, contact_type: codes.contactType.codes[0] },
  programme_officer: { ...coordinatorCase(), source: 'support_programme', region: null, organisation_id: 'matris-nsp', referred_by: null, programme: 'nsp', programme_status: 'granted' },
  statistician: coordinatorCase({ region: 'stockholm' }),
  admin: coordinatorCase({ region: 'stockholm' }),
};
const otherRegionCase = () => coordinatorCase({ region: 'nord', identified_on: '2025-04-04', age: 41 });

const writers: RoleName[] = ['coordinator', 'organisation_reporter', 'programme_officer'];
const readers: RoleName[] = [...writers, 'statistician'];
const signedIn: RoleName[] = roleNames.filter((r) => r !== 'anonymous');

/** The answer a case route must give: 401 not signed in, 403 a role that never may, 404 outside scope. */
function caseStatus(role: RoleName, scope: Scope, ok: number, may: RoleName[]): number {
  if (role === 'anonymous') return 401;
  if (!may.includes(role)) return 403;
  if (role === 'statistician') return ok;
  return scope === 'in' ? ok : 404;
}
const listStatus = (role: RoleName, may: RoleName[], ok = 200) => (role === 'anonymous' ? 401 : may.includes(role) ? ok : 403);
const publicStatus = () => 200;

type Cell = { role: RoleName; scope: Scope };
type RouteCase = {
  /** the request for a cell; `id`/`reference` name a case made for that cell */
  request: (c: Cell & { id: string; reference: string }) => { url: string; payload?: unknown; headers?: Record<string, string> };
  expect: (c: Cell) => number;
  /** a fresh case per cell, of the role's own scope or the other region (status changes and edits) */
  freshCase?: 'open' | 'closed';
  /** a fresh session per cell (sign-out) */
  freshSession?: boolean;
  /** prepares the cell and returns values for its request (e.g. a frozen release) */
  prepare?: (c: Cell) => Promise<Record<string, string>>;
};

const csvOf = (c: CaseInputIn) => casesToCsv([c as never]);

describe.each(dbTargets())('access matrix on %s', (target) => {
  let t: TestApp;
  let now = new Date();
  const clock = () => now;
  const clients = {} as Record<Exclude<RoleName, 'anonymous'>, Client>;
  const shared = {} as Record<RoleName | 'other', { id: string; reference: string }>;

  const make = async (data: CaseInputIn, status: 'open' | 'closed' = 'open') => {
    const created = await createCase(t.database.db, systemActor('test'), data);
    if (status === 'closed') await closeCase(t.database.db, systemActor('test'), created.id);
    return { id: created.id, reference: created.reference };
  };
  const send = async (role: RoleName, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}, client?: Client) => {
    const opts = { method: method as 'GET', url, headers, ...(payload === undefined ? {} : typeof payload === 'string' ? { payload } : { payload: payload as object }) };
    if (role === 'anonymous') return t.app.inject(opts);
    return (client ?? clients[role]).inject(opts);
  };

  let releaseCounter = 0;
  let duplicateCounter = 0;
  const routeCases: Record<string, RouteCase> = {
    'GET /api/cases': { request: () => ({ url: '/api/cases?pageSize=500' }), expect: ({ role }) => listStatus(role, readers) },
    'POST /api/cases': {
      request: ({ role, scope }) => ({ url: '/api/cases', payload: scope === 'in' ? ownCase[role] : otherRegionCase() }),
      expect: ({ role, scope }) => (role === 'anonymous' ? 401 : !writers.includes(role) ? 403 : scope === 'in' ? 201 : 403),
    },
    'POST /api/cases/validate': {
      request: () => ({ url: '/api/cases/validate', payload: otherRegionCase() }),
      expect: ({ role }) => (role === 'anonymous' ? 401 : !writers.includes(role) ? 403 : 200),
    },
    'GET /api/cases/:id': { request: ({ id }) => ({ url: `/api/cases/${id}` }), expect: ({ role, scope }) => caseStatus(role, scope, 200, readers) },
    'PUT /api/cases/:id': {
      freshCase: 'open',
      request: ({ role, scope, id }) => ({ url: `/api/cases/${id}`, payload: { ...(scope === 'in' ? ownCase[role] : otherRegionCase()), age: 30, version: 1 } }),
      expect: ({ role, scope }) => caseStatus(role, scope, 200, writers),
    },
    'POST /api/cases/:id/close': { freshCase: 'open', request: ({ id }) => ({ url: `/api/cases/${id}/close`, payload: {} }), expect: ({ role, scope }) => caseStatus(role, scope, 200, writers) },
    'POST /api/cases/:id/reopen': { freshCase: 'closed', request: ({ id }) => ({ url: `/api/cases/${id}/reopen`, payload: {} }), expect: ({ role, scope }) => caseStatus(role, scope, 200, writers) },
    'POST /api/cases/:id/withdraw': { freshCase: 'open', request: ({ id }) => ({ url: `/api/cases/${id}/withdraw`, payload: {} }), expect: ({ role, scope }) => caseStatus(role, scope, 200, writers) },
    'GET /api/cases/:id/history': { request: ({ reference }) => ({ url: `/api/cases/${reference}/history` }), expect: ({ role, scope }) => caseStatus(role, scope, 200, readers) },
    'POST /api/import': {
      // The role's own case is registered already: confirmed, as the rows equal it (identical_rows is tested in http-case-list).
      request: ({ role, scope }) => ({ url: '/api/import?confirm_duplicate=1', payload: csvOf(scope === 'in' ? ownCase[role] : otherRegionCase()), headers: { 'content-type': 'text/csv' } }),
      expect: ({ role, scope }) => (role === 'anonymous' ? 401 : !writers.includes(role) ? 403 : scope === 'in' ? 200 : 400),
    },
    'GET /api/export': { request: () => ({ url: '/api/export' }), expect: ({ role }) => listStatus(role, readers) },
    'GET /api/import/template': { request: () => ({ url: '/api/import/template' }), expect: ({ role }) => listStatus(role, writers) },
    'GET /api/cases/years': { request: () => ({ url: '/api/cases/years' }), expect: ({ role }) => listStatus(role, readers) },
    'GET /api/cases/overview': { request: () => ({ url: '/api/cases/overview?year=2025' }), expect: ({ role }) => listStatus(role, readers) },
    'GET /api/audit': { request: () => ({ url: '/api/audit?pageSize=5' }), expect: ({ role }) => listStatus(role, ['coordinator', 'statistician', 'admin']) },
    // the chain's state: those who search the whole trail (a region's view holds only some rows)
    'GET /api/audit/chain': { request: () => ({ url: '/api/audit/chain' }), expect: ({ role }) => listStatus(role, ['statistician', 'admin']) },
    'GET /api/drafts/case': { request: () => ({ url: '/api/drafts/case' }), expect: ({ role }) => listStatus(role, signedIn) },
    'PUT /api/drafts/case': { request: () => ({ url: '/api/drafts/case', payload: { data: { sex: 'female' } } }), expect: ({ role }) => listStatus(role, signedIn, 204) },
    'DELETE /api/drafts/case': { request: () => ({ url: '/api/drafts/case' }), expect: ({ role }) => listStatus(role, signedIn, 204) },
    'POST /api/session': { request: ({ role, scope }) => ({ url: '/api/session', payload: { username: `nobody-${role}-${scope}`, password: 'not the password of anyone' } }), expect: () => 401 },
    'GET /api/session': { request: () => ({ url: '/api/session' }), expect: publicStatus },
    'DELETE /api/session': { freshSession: true, request: () => ({ url: '/api/session' }), expect: () => 204 },
    'GET /api/session/methods': { request: () => ({ url: '/api/session/methods' }), expect: publicStatus },
    'GET /api/stats/releases': { request: () => ({ url: '/api/stats/releases' }), expect: publicStatus },
    'POST /api/stats/releases': { request: () => ({ url: '/api/stats/releases', payload: { year: 2025, kind: 'preliminary' } }), expect: ({ role }) => listStatus(role, ['statistician'], 201) },
    'POST /api/stats/releases/:id/publish': {
      prepare: async () => {
        const release = await freezeRelease(t.database.db, systemActor('test'), { year: 2024, kind: 'preliminary' });
        releaseCounter++;
        return { release: release.id };
      },
      request: (c) => ({ url: `/api/stats/releases/${(c as unknown as { release: string }).release}/publish`, payload: {} }),
      expect: ({ role }) => listStatus(role, ['statistician']),
    },
    'GET /api/stats/releases/:id/policy': { request: () => ({ url: '/api/stats/releases/2025-1/policy' }), expect: ({ role }) => listStatus(role, ['statistician']) },
    'PUT /api/stats/releases/:id/policy': {
      prepare: async () => {
        const release = await freezeRelease(t.database.db, systemActor('test'), { year: 2024, kind: 'preliminary' });
        releaseCounter++;
        return { release: release.id };
      },
      request: (c) => ({ method: 'PUT', url: `/api/stats/releases/${(c as unknown as { release: string }).release}/policy`, payload: { threshold: 4 } }),
      expect: ({ role }) => listStatus(role, ['statistician']),
    },
    'GET /api/stats/releases/compare': { request: () => ({ url: '/api/stats/releases/compare?from=2025-1&to=2025-2' }), expect: publicStatus },
    'GET /api/stats/report': { request: () => ({ url: '/api/stats/report?year=2025' }), expect: publicStatus },
    'GET /api/stats/report/download': { request: () => ({ url: '/api/stats/report/download?year=2025&format=csv' }), expect: publicStatus },
    // case-level rows, k-anonymised: the statistician's export only, audited (src/stats/ctdc.ts)
    'GET /api/stats/ctdc': { request: () => ({ url: '/api/stats/ctdc?year=2025' }), expect: ({ role }) => listStatus(role, ['statistician']) },
    // the civil-society and support-programme reports: the public reads the protected form of a published release
    'GET /api/stats/source-report': { request: () => ({ url: '/api/stats/source-report?source=civil_society&year=2025' }), expect: publicStatus },
    'GET /api/stats/source-report/download': { request: () => ({ url: '/api/stats/source-report/download?release=2025-civ-1&format=json' }), expect: publicStatus },
    'GET /api/stats/charts': { request: () => ({ url: '/api/stats/charts?year=2025' }), expect: publicStatus },
    'GET /api/stats/public': { request: () => ({ url: '/api/stats/public' }), expect: publicStatus },
    'GET /api/stats/quality': { request: () => ({ url: '/api/stats/quality?year=2025' }), expect: ({ role }) => listStatus(role, ['statistician']) },
    'GET /api/stats/series': { request: () => ({ url: '/api/stats/series' }), expect: publicStatus },
    'GET /api/stats/table': { request: () => ({ url: '/api/stats/table?dimensions=sex' }), expect: publicStatus },
    'GET /api/codes': { request: () => ({ url: '/api/codes' }), expect: publicStatus },
    'GET /api/health': { request: () => ({ url: '/api/health' }), expect: publicStatus },
    // operations: the local command line only (its token), never a user, not even an administrator
    'POST /api/operations/audit/anchor': { request: () => ({ url: '/api/operations/audit/anchor', payload: {} }), expect: ({ role }) => listStatus(role, []) },
    'POST /api/operations/audit/verify': { request: () => ({ url: '/api/operations/audit/verify', payload: { anchors: [] } }), expect: ({ role }) => listStatus(role, []) },
    'GET /api/operations/backup': { request: () => ({ url: '/api/operations/backup' }), expect: ({ role }) => listStatus(role, []) },
    'GET /api/ready': { request: () => ({ url: '/api/ready' }), expect: publicStatus },
    // administration: the administrator only
    'GET /api/admin/organisations': { request: () => ({ url: '/api/admin/organisations' }), expect: ({ role }) => listStatus(role, ['admin']) },
    'POST /api/admin/organisations': {
      request: ({ role, scope }) => ({ url: '/api/admin/organisations', payload: { kind: 'civil_society', name_sv: `Matrisförening ${role} ${scope}` } }),
      expect: ({ role }) => listStatus(role, ['admin'], 201),
    },
    'PATCH /api/admin/organisations/:id': {
      request: () => ({ url: '/api/admin/organisations/matrisen', payload: { name_en: 'The matrix association' } }),
      expect: ({ role }) => listStatus(role, ['admin']),
    },
    'GET /api/admin/users': { request: () => ({ url: '/api/admin/users' }), expect: ({ role }) => listStatus(role, ['admin']) },
    'POST /api/admin/users': {
      request: ({ role, scope }) => ({ url: '/api/admin/users', payload: { username: `matris-${role.replace('_', '-')}-${scope}`, role: 'statistician' } }),
      expect: ({ role }) => listStatus(role, ['admin'], 201),
    },
    'PATCH /api/admin/users/:id': {
      request: () => ({ url: `/api/admin/users/${clients.statistician.user.id}`, payload: { active: true } }),
      expect: ({ role }) => listStatus(role, ['admin']),
    },
    'POST /api/admin/users/:id/reset-code': {
      request: () => ({ url: `/api/admin/users/${clients.statistician.user.id}/reset-code` }),
      expect: ({ role }) => listStatus(role, ['admin'], 201),
    },
    // possible duplicates: each scoped role reviews pairs inside its own scope, the statistician pairs
    // across scopes; a pair the user does not review is 404 like one that does not exist
    'GET /api/duplicates': { request: () => ({ url: '/api/duplicates?year=2025' }), expect: ({ role }) => listStatus(role, readers) },
    'GET /api/stats/unique-people': { request: () => ({ url: '/api/stats/unique-people?year=2025' }), expect: ({ role }) => listStatus(role, ['statistician']) },
    'GET /api/stats/unique-people/public': { request: () => ({ url: '/api/stats/unique-people/public?year=2025' }), expect: publicStatus },
    'POST /api/duplicates/:id/resolution': {
      prepare: async ({ role, scope }) => {
        const linkage_key = `${'d'.repeat(40)}${String(++duplicateCounter).padStart(24, '0')}`;
        // in: two cases of the role's own scope (the statistician: two regions); out: two of another region
        const first = scope === 'in' ? ownCase[role] : otherRegionCase();
        const second = scope === 'in' && role === 'statistician' ? otherRegionCase() : first;
        const a = await make({ ...first, linkage_key } as CaseInputIn);
        const b = await make({ ...second, linkage_key } as CaseInputIn);
        return { pair: a.id < b.id ? `${a.id}-${b.id}` : `${b.id}-${a.id}` };
      },
      request: (c) => ({ url: `/api/duplicates/${(c as unknown as { pair: string }).pair}/resolution`, payload: { resolution: 'same_person' } }),
      expect: ({ role, scope }) => (role === 'anonymous' ? 401 : !readers.includes(role) ? 403 : scope === 'in' ? 200 : 404),
    },
    // every signed-in user, for their own password: a wrong current password is a 400 naming the field
    'POST /api/session/password': {
      request: () => ({ url: '/api/session/password', payload: { current: 'not the current password', password: 'a new password nobody guesses' } }),
      expect: ({ role }) => (role === 'anonymous' ? 401 : 400),
    },
    // anyone, without a session: a code that is not right is a 400 naming the code (a username per request, so no pair waits)
    'POST /api/session/reset': {
      request: ({ role, scope }) => ({ url: '/api/session/reset', payload: { username: `matris-reset-${role}-${scope}`, code: 'AAAA-BBBB-CCCC', password: 'a new password nobody guesses' } }),
      expect: () => 400,
    },
  };
  /** Routes that hold no case data: the API documentation and the web app's files; public, checked for no 5xx. */
  const staticRoute = (url: string) => url.startsWith('/api/docs') || !url.startsWith('/api/');

  beforeAll(async () => {
    t = await openTestApp(target, { clock, localToken: 'matrix-local-token' });
    // the organisations of the reporter and the programme officer (each role in an organisation of its kind)
    await createOrganisation(t.database.db, systemActor('test'), { kind: 'civil_society', name_sv: 'Matrisens förening', id: 'matris-forening' });
    await createOrganisation(t.database.db, systemActor('test'), { kind: 'support_programme', programme: 'nsp', name_sv: 'Matrisens NSP', id: 'matris-nsp' });
    for (const role of signedIn) clients[role as Exclude<RoleName, 'anonymous'>] = await t.as(who[role as Exclude<RoleName, 'anonymous'>]);
    for (const role of roleNames) shared[role] = await make(ownCase[role]);
    await createOrganisation(t.database.db, systemActor('test'), { kind: 'civil_society', name_sv: 'Matrisen', id: 'matrisen' });
    shared.other = await make(otherRegionCase());
    // Two published releases of 2025 for the public routes, one year's cases for 2024's releases.
    await make(coordinatorCase({ region: 'syd', identified_on: '2024-05-05' }));
    await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'preliminary' });
    await publishRelease(t.database.db, systemActor('test'), '2025-1');
    await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final' });
    await publishRelease(t.database.db, systemActor('test'), '2025-2');
    await freezeRelease(t.database.db, systemActor('test'), { year: 2025, kind: 'final', source: 'civil_society' });
    await publishRelease(t.database.db, systemActor('test'), '2025-civ-1');
  });
  afterAll(() => t?.close());

  const routes = () => t.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);

  it('the expectation table names every route of the app', () => {
    const missing = routes().filter((r) => !routeCases[r] && !staticRoute(r.split(' ')[1]));
    expect(missing).toEqual([]);
    expect(Object.keys(routeCases).filter((k) => !routes().includes(k))).toEqual([]);
  });

  it('every route × every role × in and out of scope answers as the table says', { timeout: 300_000 }, async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes()) {
      const [method, url] = route.split(' ');
      const rc = routeCases[route];
      for (const role of roleNames) {
        for (const scope of ['in', 'out'] as const) {
          cells++;
          if (!rc) {
            const res = await send(role, method, url.replace(/\*$/, '').replace(/:[a-z]+/g, 'x'));
            if (res.statusCode >= 500) failures.push(`${route} as ${role}: ${res.statusCode}`);
            continue;
          }
          const target = rc.freshCase
            ? await make(scope === 'in' ? ownCase[role] : otherRegionCase(), rc.freshCase)
            : scope === 'in'
              ? shared[role]
              : shared.other;
          const extra = rc.prepare ? await rc.prepare({ role, scope }) : {};
          const client = rc.freshSession && role !== 'anonymous' ? await signIn(t.app, clients[role as Exclude<RoleName, 'anonymous'>].user.username) : undefined;
          const req = rc.request({ role, scope, ...target, ...extra });
          const res = await send(role, method, req.url, req.payload, req.headers, client as Client | undefined);
          const expected = rc.expect({ role, scope });
          if (res.statusCode !== expected) failures.push(`${route} as ${role} (${scope}): ${res.statusCode}, expected ${expected} ${res.body.slice(0, 120)}`);
          if (res.statusCode === 404 && url.startsWith('/api/cases/')) {
            // Outside scope looks exactly like a case that does not exist.
            const none = await send(role, method, req.url.replace(/\/api\/cases\/[^/]+/, '/api/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV'), req.payload, req.headers, client as Client | undefined);
            if (none.statusCode !== 404 || none.body !== res.body) failures.push(`${route} as ${role}: the 404 differs from an unknown case's`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThanOrEqual(routes().length * roleNames.length * 2);
    console.info(`access matrix on ${target}: ${routes().length} routes × ${roleNames.length} roles × 2 scopes = ${cells} cells`);
  });

  it('a coordinator of one region learns nothing of another region’s cases by any route', async () => {
    const co = clients.coordinator;
    const other = shared.other;
    const mentions = (res: LightMyRequestResponse) => res.body.includes(other.id) || res.body.includes(other.reference);
    const inScope = json(await co.inject({ url: '/api/cases?pageSize=500' }));
    expect(inScope.items.every((c: { source: string; region: string }) => c.source === 'coordinator' && c.region === 'stockholm')).toBe(true);
    expect(inScope.total).toBe(inScope.items.length);
    expect(inScope.abilities).toMatchObject({ 'cases.list': true, 'case.create': true });
    for (const url of [
      '/api/cases?pageSize=500',
      '/api/cases?region=nord',
      '/api/cases?source=coordinator&region=nord&pageSize=500',
      `/api/cases?reference=${other.reference}`,
      '/api/export',
      '/api/export?year=2025',
      `/api/cases/${other.id}`,
      `/api/cases/${other.reference}`,
      `/api/cases/${other.id}/history`,
      `/api/cases/${other.reference}/history`,
      '/api/stats/quality?year=2025',
      `/api/audit?case=${other.id}`,
      '/api/audit?pageSize=500',
    ]) {
      const res = await co.inject({ url });
      expect(mentions(res), url).toBe(false);
      expect(res.statusCode, url).toBeLessThan(500);
    }
    expect(json(await co.inject({ url: '/api/cases?region=nord' })).total).toBe(0);
    expect(json(await co.inject({ url: `/api/cases?reference=${other.reference}` })).total).toBe(0);
    expect((await co.inject({ url: '/api/audit?region=nord' })).statusCode).toBe(403);
    for (const action of ['close', 'reopen', 'withdraw']) {
      const res = await co.inject({ method: 'POST', url: `/api/cases/${other.id}/${action}`, payload: {} });
      expect(res.statusCode, action).toBe(404);
      expect(mentions(res)).toBe(false);
    }
    const put = await co.inject({ method: 'PUT', url: `/api/cases/${other.reference}`, payload: { ...otherRegionCase(), version: 1 } });
    expect(put.statusCode).toBe(404);
    // moving an own case into another region is refused, and the case stays where it was
    const own = await make(coordinatorCase({ region: 'stockholm' }));
    expect((await co.inject({ method: 'PUT', url: `/api/cases/${own.id}`, payload: { ...otherRegionCase(), version: 1 } })).statusCode).toBe(403);
    // a possible duplicate in another region is not named to the coordinator
    const dup = coordinatorCase({ region: 'nord', linkage_key: '5a'.repeat(32) } as never);
    const dupOther = await make(dup);
    const mine = await co.inject({ method: 'POST', url: '/api/cases', payload: { ...coordinatorCase({ region: 'stockholm' }), linkage_key: '5a'.repeat(32) } });
    expect(mine.statusCode).toBe(201);
    expect(mine.body).not.toContain(dupOther.id);
    expect(mine.body).not.toContain(dupOther.reference);
    expect(json(mine).possible_duplicate).toBe(false);
    const review = await co.inject({ url: '/api/duplicates?year=2025' });
    expect(review.statusCode).toBe(200);
    expect(mentions(review) || review.body.includes(dupOther.id) || review.body.includes(json(mine).id)).toBe(false);
  });

  it('every case-level read is in the audit trail with the actor and the case ids', async () => {
    const co = clients.coordinator;
    const own = shared.coordinator;
    const since = Number((await t.database.db.select({ seq: sql<number>`coalesce(max(${auditLog.seq}), 0)` }).from(auditLog))[0].seq);
    const rowsAfter = async (operation: string) =>
      t.database.db.select().from(auditLog).where(and(gt(auditLog.seq, since), eq(auditLog.operation, operation), eq(auditLog.actor_id, co.user.id)));
    const got = json(await co.inject({ url: `/api/cases/${own.id}` }));
    expect(got.abilities).toMatchObject({ 'case.read': true, 'case.update': true });
    await co.inject({ url: `/api/cases/${own.reference}/history` });
    const list = json(await co.inject({ url: '/api/cases?pageSize=500' }));
    await co.inject({ url: `/api/cases?reference=${own.reference}` });
    const exported = await co.inject({ url: '/api/export' });
    expect((await rowsAfter('case.read')).some((r) => r.case_ids.includes(own.id))).toBe(true);
    expect((await rowsAfter('case.history')).some((r) => r.case_ids.includes(own.id))).toBe(true);
    const listed = await rowsAfter('cases.list');
    expect(listed.some((r) => list.items.every((c: { id: string }) => r.case_ids.includes(c.id)))).toBe(true);
    expect((await rowsAfter('cases.export')).some((r) => r.case_ids.includes(own.id) && exported.body.includes(own.reference))).toBe(true);
    expect((await rowsAfter('case.read')).filter((r) => r.case_ids.includes(own.id)).length).toBeGreaterThanOrEqual(2);
    // the statistician's quality view names cases (two sharing a linkage key): in the trail too, with the
    // statistician as actor and exactly the cases the view named as its target
    const stat = clients.statistician;
    const pair = [
      await make({ ...coordinatorCase({ region: 'vast', identified_on: '2025-02-02' }), linkage_key: '9e'.repeat(32) } as CaseInputIn),
      await make({ ...coordinatorCase({ region: 'syd', identified_on: '2025-03-03' }), linkage_key: '9e'.repeat(32) } as CaseInputIn),
    ];
    const qualityRes = await stat.inject({ url: '/api/stats/quality?year=2025' });
    expect(qualityRes.statusCode, qualityRes.body.slice(0, 200)).toBe(200);
    const view = json<{ cases: number; possible_duplicates: { case_ids: string[] }[]; note_cases: Record<string, string[]> }>(qualityRes);
    // the possible duplicates and the cases behind each quality note, each case once
    const named = [...new Set([...view.possible_duplicates.flatMap((g) => g.case_ids), ...Object.values(view.note_cases).flat()])];
    expect(named).toEqual(expect.arrayContaining(pair.map((c) => c.id)));
    const quality = await t.database.db.select().from(auditLog).where(and(gt(auditLog.seq, since), eq(auditLog.actor_id, stat.user.id)));
    expect(quality).toHaveLength(1);
    expect(quality[0]).toMatchObject({ operation: 'report.read_live', actor_role: 'statistician', details: { view: 'quality', year: 2025, cases: view.cases } });
    expect([...quality[0].case_ids].sort()).toEqual([...named].sort());
    // a coordinator sees who looked at their region's cases, and only that
    const trail = json(await co.inject({ url: `/api/audit?case=${own.id}&pageSize=500` }));
    expect(trail.items.some((i: { actor_id: string; operation: string }) => i.actor_id === co.user.id && i.operation === 'case.read')).toBe(true);
    expect(JSON.stringify(trail)).not.toContain(shared.other.id);
  });

  it('arbitrary bodies and queries against every route as every role never give a 500', { timeout: 300_000 }, async () => {
    const table = routes().filter((r) => !staticRoute(r.split(' ')[1]));
    const ids = [shared.coordinator.id, shared.other.id, shared.other.reference, 'nope', '%00', 'x'.repeat(300)];
    const arbBody = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ source: fc.constantFrom('coordinator', 'civil_society', 'x'), region: fc.constantFrom('nord', 'stockholm', ''), version: fc.oneof(fc.integer(), fc.maxSafeInteger()) }, { requiredKeys: [] }),
      fc.record({ data: fc.jsonValue({ maxDepth: 2 }) }),
      fc.string({ maxLength: 60 }),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...table), fc.constantFrom(...roleNames.filter((r) => r !== 'anonymous'), 'anonymous' as const), arbBody, fc.constantFrom(...ids), fc.string({ maxLength: 20 }), async (route, role, body, id, query) => {
        const [method, pattern] = route.split(' ');
        if (route === 'DELETE /api/session') return;
        const url = `${pattern.replace(/:[a-z]+/g, encodeURIComponent(id).replaceAll('%25', '%'))}?q=${encodeURIComponent(query)}`;
        const payload = method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const res = await send(role, method, url, payload, payload === undefined ? {} : { 'content-type': typeof body === 'string' && route === 'POST /api/import' ? 'text/csv' : 'application/json' });
        if (res.statusCode >= 500) failures.push(`${route} as ${role}: ${res.statusCode} ${res.body.slice(0, 100)}`);
      }),
      { numRuns: 300, seed: 20260202 },
    );
    expect(failures).toEqual([]);
  });

  it('every state-changing route refuses a missing or wrong CSRF token with 403', async () => {
    const co = clients.coordinator;
    const other = await t.as({ role: 'coordinator', region: 'syd' });
    // (sign-in and a new password with a one-time code need no session, so no token)
    const unsafe = routes().filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r) && r !== 'POST /api/session' && r !== 'POST /api/session/reset');
    expect(unsafe.length).toBeGreaterThan(8);
    for (const route of unsafe) {
      const [method, pattern] = route.split(' ');
      const url = pattern.replace(':id', shared.coordinator.id);
      for (const token of [undefined, other.csrfToken, 'x']) {
        const res = await t.app.inject({
          method: method as 'POST',
          url,
          payload: {},
          headers: { cookie: `lagesbild_session=${co.cookie}`, ...(token ? { 'x-csrf-token': token } : {}) },
        });
        expect(res.statusCode, `${route} with ${token ? 'a wrong' : 'no'} token`).toBe(403);
        expect(json(res).code).toBe('csrf_failed');
      }
    }
    // nothing changed: the case is still at its first version and the session still works
    expect(json(await co.inject({ url: `/api/cases/${shared.coordinator.id}` })).version).toBe(1);
  });

  it('locks a username out with 429 and Retry-After; sessions expire; a sign-in never keeps the offered session id', async () => {
    const user = await addUser(t.database, { role: 'coordinator', region: 'vast' }, 'lockout-target');
    for (let i = 0; i < 5; i++) expect((await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: user.username, password: `wrong password ${i} xx` } })).statusCode).toBe(401);
    const locked = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: user.username, password: TEST_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    now = new Date(now.getTime() + 16 * 60_000);
    const session = await signIn(t.app, user.username);
    expect((await session.inject({ url: '/api/cases' })).statusCode).toBe(200);
    // fixation: a cookie the browser offers is replaced at sign-in, and the old one ends
    const again = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: user.username, password: TEST_PASSWORD }, headers: { cookie: `lagesbild_session=${session.cookie}` } });
    expect(sessionCookie(again)).toBeTruthy();
    expect(sessionCookie(again)).not.toBe(session.cookie);
    expect((await session.inject({ url: '/api/cases' })).statusCode).toBe(401);
    const planted = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: user.username, password: TEST_PASSWORD }, headers: { cookie: 'lagesbild_session=attacker-chosen-value' } });
    expect(sessionCookie(planted)).not.toBe('attacker-chosen-value');
    // idle expiry through the real app: the draft goes with the session
    const fresh = await signIn(t.app, user.username);
    expect((await fresh.inject({ method: 'PUT', url: '/api/drafts/case', payload: { data: { age: 33 } } })).statusCode).toBe(204);
    expect(json(await fresh.inject({ url: '/api/drafts/case' })).data).toEqual({ age: 33 });
    now = new Date(now.getTime() + 31 * 60_000);
    const expired = await fresh.inject({ url: '/api/drafts/case' });
    expect(expired.statusCode).toBe(401);
    const count = await t.database.db.execute(sql`select count(*)::int as n from case_drafts where user_id = ${user.id}`);
    expect(Number((count as unknown as { rows: { n: number }[] }).rows[0].n)).toBe(0);
  });

  it('a draft is the signed-in session’s own, size-limited, and gone at sign-out', async () => {
    const a = await signIn(t.app, clients.coordinator.user.username);
    // (signed in afresh: the lockout test moved the clock past the idle limit of earlier sessions)
    const b = await signIn(t.app, clients.organisation_reporter.user.username);
    expect((await a.inject({ method: 'PUT', url: '/api/drafts/case', payload: { data: { region: 'stockholm', age: 20 } } })).statusCode).toBe(204);
    expect(json(await b.inject({ url: '/api/drafts/case' })).data).toEqual({});
    expect((await a.inject({ method: 'PUT', url: '/api/drafts/case', payload: { data: { pad: 'x'.repeat(70 * 1024) } } })).statusCode).toBe(413);
    expect(json(await a.inject({ url: '/api/drafts/case' })).data).toEqual({ region: 'stockholm', age: 20 });
    expect((await a.inject({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
    const left = await t.database.db.execute(sql`select count(*)::int as n from case_drafts where session_id_hash not in (select id_hash from sessions)`);
    expect(Number((left as unknown as { rows: { n: number }[] }).rows[0].n)).toBe(0);
  });

  it('the audit chain verifies, and detects a row changed behind the trigger', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
    expect(await runAudit(t.database, ['verify'], io)).toBe(0);
    const [row] = await t.database.db.select({ seq: auditLog.seq }).from(auditLog).where(eq(auditLog.operation, 'case.read')).limit(1);
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(sql`update audit_log set actor_id = 'someone-else' where seq = ${row.seq}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    out.length = 0;
    expect(await runAudit(t.database, ['verify'], io)).toBe(1);
    expect(out.join('')).toContain(`rad ${row.seq}`);
  });
});

// The commands as the command line runs them (its main, on a data directory or DATABASE_URL), in this
// process: a process per command spent most of its time starting node, tsx and the embedded database,
// and outlasted the test timeout on a loaded machine. Reading the password from standard input in a real
// process is tested in access-cli, the exit codes of bin/lagesbild in cli-demo.
describe('lagesbild users add and audit verify', { timeout: 180_000 }, () => {
  it('adds a user with the password it reads, verifies the chain (0), then names the first tampered row (1)', async () => {
    const tmp = tempDataDir();
    try {
      const added = await runMain(['users', 'add', '--username', 'maria', '--role', 'coordinator', '--region', 'syd'], tmp.dataDir, {}, TEST_PASSWORD);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/^Skapade användaren maria \(coordinator, syd, rk-syd\), id \w+\.\n$/);
      const ok = await runMain(['audit', 'verify'], tmp.dataDir);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Granskningsloggen är obruten (1 rader).');
      const database = await openDatabase({ dataDir: tmp.dataDir });
      try {
        expect(await verifyPassword((await findUserByUsername(database.db, 'maria'))!.password_hash!, TEST_PASSWORD)).toBe(true);
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
          await tx.execute(sql`update audit_log set details = '{"role":"admin"}'::jsonb where seq = 1`);
          await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
        });
      } finally {
        await database.close();
      }
      const bad = await runMain(['audit', 'verify'], tmp.dataDir);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Granskningsloggen är bruten vid rad 1:');
    } finally {
      tmp.remove();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('on PostgreSQL (DATABASE_URL) too', async () => {
    const tmp = tempDataDir();
    const server = process.env.TEST_DATABASE_URL!;
    const name = `lagesbild_test_${process.pid}_audit_cli`;
    const admin = async (text: string) => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    };
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const env = { DATABASE_URL: url.toString() };
    try {
      const added = await runMain(['users', 'add', '--username', 'maria', '--role', 'statistician'], tmp.dataDir, env, TEST_PASSWORD);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/^Skapade användaren maria \(statistician\), id \w+\.\n$/);
      const ok = await runMain(['audit', 'verify'], tmp.dataDir, env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Granskningsloggen är obruten (1 rader).');
      // the data directory was not used: the command went to DATABASE_URL
      expect(fs.existsSync(tmp.dataDir)).toBe(false);
      const database = await openDatabase({ url: url.toString(), migrate: false });
      try {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
          await tx.execute(sql`update audit_log set actor_role = 'admin' where seq = 1`);
          await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
        });
      } finally {
        await database.close();
      }
      const bad = await runMain(['audit', 'verify'], tmp.dataDir, env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Granskningsloggen är bruten vid rad 1:');
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      tmp.remove();
    }
  });
});
