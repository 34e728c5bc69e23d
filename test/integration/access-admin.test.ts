// The administrator's organisations and users through the real application, and every user's own
// password change: who may (403 for every other role, 401 signed out), the refusals naming field
// and rule in both languages, 409 for a name or username taken, the fixed regional offices, the
// audit rows written with each change, and what a deactivation does (sessions end, sign-in refused).
// An organisation reporter sees and writes only their own organisation's cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, gt, sql } from 'drizzle-orm';
import { auditLog } from '../../src/access/schema.ts';
import { systemActor } from '../../src/access/actor.ts';
import { createOrganisation, slugOf } from '../../src/access/organisations.ts';
import { generatePassword, checkPassword } from '../../src/access/passwords.ts';
import * as codes from '../../src/standard/codes.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, signIn, TEST_PASSWORD, type ApiErrorBody, type Client, type TestApp } from '../support/http.ts';

const civilCase = (organisation_id: string): CaseInputIn => ({
  ...coordinatorCase(),
  source: 'civil_society',
  region: null,
  organisation_id,
  referred_by: null,
  contact_type: codes.contactType.codes[0],
});

describe.each(dbTargets())('administration on %s', (target) => {
  let t: TestApp;
  let now = new Date();
  let admin: Client;
  const lastSeq = async () => Number((await t.database.db.select({ seq: sql<number>`coalesce(max(${auditLog.seq}), 0)` }).from(auditLog))[0].seq);
  const auditAfter = (seq: number, operation: string) => t.database.db.select().from(auditLog).where(and(gt(auditLog.seq, seq), eq(auditLog.operation, operation)));
  const post = (c: Client, url: string, payload: object, lang = 'sv') => c.inject({ method: 'POST', url, payload, headers: { 'accept-language': lang } });
  const patch = (c: Client, url: string, payload: object, lang = 'sv') => c.inject({ method: 'PATCH', url, payload, headers: { 'accept-language': lang } });

  beforeAll(async () => {
    t = await openTestApp(target, { clock: () => now });
    admin = await t.as({ role: 'admin' });
  });
  afterAll(() => t?.close());

  it('lists the seven fixed regional offices; every other role gets 403 and the signed-out 401 on every admin route', async () => {
    await createOrganisation(t.database.db, systemActor('test'), { kind: 'civil_society', name_sv: 'Rapportörernas förening', id: 'rapportorerna' });
    const list = json(await admin.inject({ url: '/api/admin/organisations' }));
    const offices = list.items.filter((o: { kind: string }) => o.kind === 'coordinator_office');
    expect(offices.map((o: { id: string }) => o.id).sort()).toEqual(codes.region.codes.map((r) => `rk-${r}`).sort());
    expect(offices.every((o: { fixed: boolean; active: boolean }) => o.fixed && o.active)).toBe(true);
    const others = [
      await t.as({ role: 'coordinator', region: 'syd' }),
      await t.as({ role: 'statistician' }),
      await t.as({ role: 'organisation_reporter', organisation_id: 'rapportorerna' }),
    ];
    const requests = [
      { method: 'GET', url: '/api/admin/organisations' },
      { method: 'POST', url: '/api/admin/organisations', payload: { kind: 'civil_society', name_sv: 'Obehörig förening' } },
      { method: 'PATCH', url: '/api/admin/organisations/rk-syd', payload: { active: false } },
      { method: 'GET', url: '/api/admin/users' },
      { method: 'POST', url: '/api/admin/users', payload: { username: 'intrang', role: 'admin' } },
      { method: 'PATCH', url: `/api/admin/users/${admin.user.id}`, payload: { active: false } },
    ] as const;
    for (const r of requests) {
      for (const c of others) expect((await c.inject({ ...r })).statusCode, `${r.method} ${r.url}`).toBe(403);
      expect((await t.app.inject({ ...r })).statusCode, `${r.method} ${r.url} signed out`).toBe(401);
    }
    expect(json(await admin.inject({ url: '/api/admin/organisations' })).items).toHaveLength(list.items.length);
  });

  it('adds an organisation (short name from the Swedish name) with its audit row; a taken name or short name is 409', async () => {
    const since = await lastSeq();
    const res = await post(admin, '/api/admin/organisations', { kind: 'civil_society', name_sv: '  Föreningen   Ängsbacken ', name_en: 'The Meadow Association' });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toEqual({
      id: 'foreningen-angsbacken',
      kind: 'civil_society',
      name_sv: 'Föreningen Ängsbacken',
      name_en: 'The Meadow Association',
      region: null,
      programme: null,
      active: true,
      fixed: false,
      users: 0,
    });
    const rows = await auditAfter(since, 'organisations.create');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: admin.user.id, actor_role: 'admin', details: { organisation_id: 'foreningen-angsbacken', kind: 'civil_society' } });
    // the same name in another case, in either language, and the same short name
    for (const body of [
      { kind: 'support_programme', programme: 'nsp', name_sv: 'FÖRENINGEN ÄNGSBACKEN', id: 'annan' },
      { kind: 'support_programme', programme: 'amp', name_sv: 'Ny', name_en: 'föreningen ängsbacken', id: 'annan' },
      { kind: 'civil_society', name_sv: 'Ett annat namn', id: 'foreningen-angsbacken' },
    ]) {
      const dup = await post(admin, '/api/admin/organisations', body);
      expect(dup.statusCode, JSON.stringify(body)).toBe(409);
      expect(json<ApiErrorBody>(dup).code).toBe('organisation_taken');
    }
    expect(await auditAfter(since, 'organisations.create')).toHaveLength(1);
    expect(slugOf('Ideella föreningen Öst & Väst!')).toBe('ideella-foreningen-ost-vast');
  });

  it('refuses bad input with 400 naming field and rule in Swedish and English, never a 500', async () => {
    const cases: [object, string, string][] = [
      [{ kind: 'coordinator_office', name_sv: 'Regionkoordinator Gotland' }, 'kind', 'fixed'],
      [{ kind: 'club', name_sv: 'Klubben' }, 'kind', 'code'],
      [{ kind: 'civil_society', name_sv: '   ' }, 'name_sv', 'required'],
      [{ kind: 'civil_society', name_sv: 'x'.repeat(121) }, 'name_sv', 'length'],
      [{ kind: 'civil_society', name_sv: 'Bra namn', id: 'Ogiltigt kortnamn!' }, 'id', 'format'],
      [{ kind: 'support_programme', name_sv: 'Programmet' }, 'programme', 'required'],
      [{ kind: 'support_programme', name_sv: 'Programmet', programme: 'xyz' }, 'programme', 'code'],
      [{ kind: 'civil_society', name_sv: 'Föreningen', programme: 'nsp' }, 'programme', 'kind'],
    ];
    for (const [body, path, rule] of cases) {
      for (const lang of ['sv', 'en']) {
        const res = await post(admin, '/api/admin/organisations', body, lang);
        expect(res.statusCode, `${JSON.stringify(body)} ${lang}`).toBe(400);
        const error = json<ApiErrorBody>(res);
        expect(error.errors).toMatchObject([{ path, rule }]);
        expect(error.errors[0].message).toMatch(lang === 'sv' ? /[åäö]|Ange|Okänd|Namnet|Kortnamnet/ : /^(The|Unknown|Give|Only)/);
      }
    }
    const wrongType = await post(admin, '/api/admin/organisations', { kind: 'civil_society', name_sv: 42 });
    expect(wrongType.statusCode).toBe(400);
    expect(json<ApiErrorBody>(wrongType).errors[0].path).toBe('name_sv');
    expect((await patch(admin, '/api/admin/organisations/foreningen-angsbacken', {})).statusCode).toBe(400);
    expect((await patch(admin, '/api/admin/organisations/finns-inte', { active: false })).statusCode).toBe(404);
  });

  it('the regional offices stay fixed: no rename, no deactivation (409), nothing written', async () => {
    const since = await lastSeq();
    for (const body of [{ name_sv: 'Nytt namn' }, { active: false }]) {
      const res = await patch(admin, '/api/admin/organisations/rk-syd', body);
      expect(res.statusCode).toBe(409);
      expect(json<ApiErrorBody>(res).code).toBe('fixed_organisation');
    }
    expect(json(await admin.inject({ url: '/api/admin/organisations' })).items.find((o: { id: string }) => o.id === 'rk-syd')).toMatchObject({
      name_sv: 'Regionkoordinator Syd',
      active: true,
    });
    expect(await auditAfter(since, 'organisations.update')).toHaveLength(0);
  });

  it('adds users with a password shown once or set, refuses a taken username (409) and a weak password (400)', async () => {
    const since = await lastSeq();
    const made = await post(admin, '/api/admin/users', { username: 'Anna.Angsbacken', role: 'organisation_reporter', organisation_id: 'foreningen-angsbacken' });
    expect(made.statusCode, made.body).toBe(201);
    const body = json(made);
    expect(body.user).toMatchObject({ username: 'anna.angsbacken', role: 'organisation_reporter', organisation_id: 'foreningen-angsbacken', active: true, has_password: true });
    expect(checkPassword(body.password, 'anna.angsbacken')).toBeNull();
    expect(made.body).not.toContain('argon2');
    await signIn(t.app, 'anna.angsbacken', body.password);
    const set = await post(admin, '/api/admin/users', { username: 'bo-stat', role: 'statistician', password: TEST_PASSWORD });
    expect(set.statusCode).toBe(201);
    expect(json(set).password).toBeNull();
    expect((await auditAfter(since, 'users.create')).map((r) => r.details)).toEqual([
      expect.objectContaining({ user_id: body.user.id, role: 'organisation_reporter', organisation_id: 'foreningen-angsbacken' }),
      expect.objectContaining({ role: 'statistician' }),
    ]);
    const dup = await post(admin, '/api/admin/users', { username: 'ANNA.angsbacken', role: 'statistician', password: TEST_PASSWORD }, 'en');
    expect(dup.statusCode).toBe(409);
    expect(json<ApiErrorBody>(dup)).toMatchObject({ code: 'username_taken', errors: [{ path: 'username', rule: 'taken', message: 'The username is taken.' }] });
    const weak = await post(admin, '/api/admin/users', { username: 'svag', role: 'statistician', password: 'kort' });
    expect(weak.statusCode).toBe(400);
    expect(json<ApiErrorBody>(weak).errors).toMatchObject([{ path: 'password', rule: 'too_short' }]);
    const noOrg = await post(admin, '/api/admin/users', { username: 'utan-org', role: 'programme_officer' });
    expect(json<ApiErrorBody>(noOrg).errors).toMatchObject([{ path: 'organisation_id', rule: 'required' }]);
    const badRole = await post(admin, '/api/admin/users', { username: 'fel-roll', role: 'king' });
    expect(json<ApiErrorBody>(badRole).errors).toMatchObject([{ path: 'role', rule: 'code' }]);
    const list = json(await admin.inject({ url: '/api/admin/users' }));
    expect(list.items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['anna.angsbacken', 'bo-stat']));
    expect(JSON.stringify(list)).not.toMatch(/argon2|password_hash/);
  });

  it('an organisation reporter sees and writes only their own organisation’s cases', async () => {
    await post(admin, '/api/admin/organisations', { kind: 'civil_society', name_sv: 'Föreningen Björken', id: 'bjorken' });
    const a = await t.as({ role: 'organisation_reporter', organisation_id: 'foreningen-angsbacken' });
    const b = await t.as({ role: 'organisation_reporter', organisation_id: 'bjorken' });
    const created = await a.inject({ method: 'POST', url: '/api/cases', payload: civilCase('foreningen-angsbacken') });
    expect(created.statusCode, created.body).toBe(201);
    const { id, reference } = json(created);
    expect(reference).toMatch(/^CIV-/);
    expect((await b.inject({ url: `/api/cases/${id}` })).statusCode).toBe(404);
    expect((await b.inject({ url: `/api/cases/${reference}/history` })).statusCode).toBe(404);
    expect((await b.inject({ method: 'POST', url: `/api/cases/${id}/close`, payload: {} })).statusCode).toBe(404);
    expect(json(await b.inject({ url: '/api/cases?pageSize=500' })).total).toBe(0);
    expect((await b.inject({ method: 'POST', url: '/api/cases', payload: civilCase('foreningen-angsbacken') })).statusCode).toBe(403);
    const own = json(await a.inject({ url: '/api/cases?pageSize=500' }));
    expect(own.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await a.inject({ url: '/api/export' })).body).not.toContain('bjorken');
  });

  it('deactivating an organisation ends its users’ sessions and refuses their sign-in until it is active again', async () => {
    const reporter = await t.as({ role: 'organisation_reporter', organisation_id: 'bjorken' });
    expect((await reporter.inject({ url: '/api/cases' })).statusCode).toBe(200);
    const since = await lastSeq();
    const res = await patch(admin, '/api/admin/organisations/bjorken', { active: false, name_sv: 'Föreningen Björken (nedlagd)' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ active: false, name_sv: 'Föreningen Björken (nedlagd)', users: 1 });
    expect((await auditAfter(since, 'organisations.update'))[0].details).toEqual({ organisation_id: 'bjorken', renamed: true, active: false });
    expect((await reporter.inject({ url: '/api/cases' })).statusCode).toBe(401);
    await expect(signIn(t.app, reporter.user.username)).rejects.toThrow(/401/);
    const listed = json(await admin.inject({ url: '/api/admin/users' })).items.find((u: { id: string }) => u.id === reporter.user.id);
    expect(listed).toMatchObject({ active: true, organisation_active: false });
    const newUser = await post(admin, '/api/admin/users', { username: 'ny-i-bjorken', role: 'organisation_reporter', organisation_id: 'bjorken' });
    expect(json<ApiErrorBody>(newUser).errors).toMatchObject([{ path: 'organisation_id', rule: 'inactive' }]);
    expect((await patch(admin, '/api/admin/organisations/bjorken', { active: true })).statusCode).toBe(200);
    const again = await signIn(t.app, reporter.user.username);
    expect((await again.inject({ url: '/api/cases' })).statusCode).toBe(200);
  });

  it('resets a password (made and shown once) and deactivates a user, ending their sessions; audited; never oneself', async () => {
    const user = await t.as({ role: 'coordinator', region: 'nord' });
    const since = await lastSeq();
    const reset = await patch(admin, `/api/admin/users/${user.user.id}`, { generatePassword: true });
    expect(reset.statusCode, reset.body).toBe(200);
    const password = json(reset).password as string;
    expect(checkPassword(password, user.user.username)).toBeNull();
    expect((await user.inject({ url: '/api/cases' })).statusCode).toBe(401);
    await expect(signIn(t.app, user.user.username)).rejects.toThrow(/401/);
    const fresh = await signIn(t.app, user.user.username, password);
    expect((await auditAfter(since, 'users.update')).map((r) => r.details)).toEqual([{ user_id: user.user.id, change: 'password' }]);
    const off = await patch(admin, `/api/admin/users/${user.user.id}`, { active: false });
    expect(json(off).user).toMatchObject({ active: false });
    expect(json(off).password).toBeNull();
    expect((await fresh.inject({ url: '/api/cases' })).statusCode).toBe(401);
    expect((await auditAfter(since, 'users.deactivate')).map((r) => r.details)).toEqual([{ user_id: user.user.id, active: false }]);
    expect((await patch(admin, `/api/admin/users/${user.user.id}`, { active: true })).statusCode).toBe(200);
    await signIn(t.app, user.user.username, password);
    const self = await patch(admin, `/api/admin/users/${admin.user.id}`, { active: false });
    expect(self.statusCode).toBe(400);
    expect(json<ApiErrorBody>(self).errors).toMatchObject([{ path: 'active', rule: 'self' }]);
    expect((await patch(admin, `/api/admin/users/${user.user.id}`, { password: generatePassword(), generatePassword: true })).statusCode).toBe(400);
    expect((await patch(admin, `/api/admin/users/${user.user.id}`, {})).statusCode).toBe(400);
    expect((await patch(admin, '/api/admin/users/01ARZ3NDEKTSV4RRFFQ69G5FAV', { active: false })).statusCode).toBe(404);
  });

  it('a user changes their own password: the current one checked and throttled, the rules of new passwords, other sessions ended', async () => {
    const me = await t.as({ role: 'statistician' });
    const other = await signIn(t.app, me.user.username);
    const change = (c: Client, current: string, password: string, lang = 'sv') => post(c, '/api/session/password', { current, password }, lang);
    const next = 'sju sorters kakor i farmors skafferi';
    const weak = await change(me, TEST_PASSWORD, 'password123456789', 'en');
    expect(weak.statusCode).toBe(400);
    expect(json<ApiErrorBody>(weak).errors).toMatchObject([{ path: 'password', rule: 'common' }]);
    expect(json<ApiErrorBody>(await change(me, TEST_PASSWORD, TEST_PASSWORD)).errors).toMatchObject([{ path: 'password', rule: 'same' }]);
    const wrong = await change(me, 'inte det rätta lösenordet alls', next);
    expect(wrong.statusCode).toBe(400);
    expect(json<ApiErrorBody>(wrong).errors).toMatchObject([{ path: 'current', rule: 'incorrect', message: 'Det nuvarande lösenordet stämmer inte.' }]);
    expect((await t.app.inject({ method: 'POST', url: '/api/session/password', payload: { current: TEST_PASSWORD, password: next } })).statusCode).toBe(401);
    const since = await lastSeq();
    const ok = await change(me, TEST_PASSWORD, next);
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await me.inject({ url: '/api/session' })).json()).toMatchObject({ signedIn: true });
    expect((await other.inject({ url: '/api/cases' })).statusCode).toBe(401);
    await expect(signIn(t.app, me.user.username)).rejects.toThrow(/401/);
    await signIn(t.app, me.user.username, next);
    expect((await auditAfter(since, 'users.update')).map((r) => [r.actor_id, r.details])).toEqual([[me.user.id, { user_id: me.user.id, change: 'own_password' }]]);
    // guessing the current password through an open session is throttled like sign-in
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await change(me, `fel gissning nummer ${i} här`, 'ett helt nytt lösenord för mig')).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const locked = await change(me, next, 'ett helt nytt lösenord för mig');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    now = new Date(now.getTime() + 2 * 60_000);
    const fresh = await signIn(t.app, me.user.username, next);
    expect((await change(fresh, next, 'ett helt nytt lösenord för mig')).statusCode).toBe(204);
  });
});
