// Organisations of civil society and the support programmes, and the users bound to them, through
// the real application: the administrator adds a civil-society organisation and an NSP and an ÅMP
// programme; each case-writing role is refused in an organisation of another kind (400 naming
// organisation_id, Swedish and English); a programme officer's records take their programme from the
// organisation (filled in when left empty, refused naming `programme` when the other one). Then the
// attacks: a reporter of organisation A asks for B's records and a coordinator's by list, filter,
// search, address (404), history (404), change and status change (404), moving their own record to B
// (403) and export, and finds none of them; B's possible duplicates are not A's; an NSP officer sees
// nothing of ÅMP's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseInputIn } from '../../src/standard/case.ts';
import * as codes from '../../src/standard/codes.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, signIn, TEST_PASSWORD, type ApiErrorBody, type Client, type TestApp } from '../support/http.ts';

type View = { id: string; reference: string; version: number; organisation_id: string; source: string; programme: string | null };
type Page = { items: View[]; total: number };

const key = (n: number) => n.toString(16).padStart(64, 'a');

const civilCase = (organisation_id: string, more: Partial<CaseInputIn> = {}): CaseInputIn => ({
  ...coordinatorCase(),
  source: 'civil_society',
  region: null,
  organisation_id,
  referred_by: null,
  contact_type: codes.contactType.codes[0],
  ...more,
});
const programmeCase = (organisation_id: string, more: Record<string, unknown> = {}) => ({
  ...coordinatorCase(),
  source: 'support_programme',
  region: null,
  organisation_id,
  referred_by: null,
  programme_status: 'granted',
  ...more,
});

describe.each(dbTargets())('organisations and the users bound to them on %s', (target) => {
  let t: TestApp;
  let admin: Client;
  const users = new Map<string, Client>();
  const post = (c: Client, url: string, payload: object, lang = 'sv') => c.inject({ method: 'POST', url, payload, headers: { 'accept-language': lang } });
  /** The administrator adds the user through the API; signed in with the password given. */
  const user = async (username: string, role: string, organisation_id: string | null, region: string | null = null) => {
    const res = await post(admin, '/api/admin/users', { username, role, organisation_id, region, password: TEST_PASSWORD });
    expect(res.statusCode, res.body).toBe(201);
    const client = await signIn(t.app, username);
    users.set(username, client);
    return client;
  };
  let reporterA: Client, reporterB: Client, coordinator: Client, officerNsp: Client, officerAmp: Client;
  const made: Record<string, View> = {};
  const create = async (c: Client, name: string, body: object) => {
    const res = await post(c, '/api/cases', body);
    expect(res.statusCode, `${name}: ${res.body}`).toBe(201);
    made[name] = json<View>(res);
    return made[name];
  };

  beforeAll(async () => {
    t = await openTestApp(target);
    admin = await t.as({ role: 'admin' });
    for (const body of [
      { kind: 'civil_society', name_sv: 'Föreningen Alfa', name_en: 'Alpha Association', id: 'alfa' },
      { kind: 'civil_society', name_sv: 'Föreningen Beta', name_en: 'Beta Association', id: 'beta' },
      { kind: 'support_programme', programme: 'nsp', name_sv: 'Stödprogrammet NSP', name_en: 'The NSP programme', id: 'program-nsp' },
      { kind: 'support_programme', programme: 'amp', name_sv: 'Stödprogrammet ÅMP', name_en: 'The AVRR programme', id: 'program-amp' },
    ]) {
      const res = await post(admin, '/api/admin/organisations', body);
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject({ id: body.id, kind: body.kind, programme: body.programme ?? null });
    }
    reporterA = await user('rapportor-alfa', 'organisation_reporter', 'alfa');
    reporterB = await user('rapportor-beta', 'organisation_reporter', 'beta');
    coordinator = await user('koordinator-syd', 'coordinator', null, 'syd');
    officerNsp = await user('handlaggare-nsp', 'programme_officer', 'program-nsp');
    officerAmp = await user('handlaggare-amp', 'programme_officer', 'program-amp');
  });
  afterAll(() => t?.close());

  it('lists each organisation with its programme', async () => {
    const items = json<{ items: { id: string; kind: string; programme: string | null }[] }>(await admin.inject({ url: '/api/admin/organisations' })).items;
    const byId = new Map(items.map((o) => [o.id, o]));
    expect(byId.get('program-nsp')).toMatchObject({ kind: 'support_programme', programme: 'nsp' });
    expect(byId.get('program-amp')).toMatchObject({ kind: 'support_programme', programme: 'amp' });
    expect(byId.get('alfa')).toMatchObject({ kind: 'civil_society', programme: null });
    expect(items.filter((o) => o.kind === 'coordinator_office').every((o) => o.programme === null)).toBe(true);
  });

  it('refuses each case-writing role in an organisation of another kind, naming organisation_id in Swedish and English', async () => {
    const refused: [string, string, string | null][] = [
      ['organisation_reporter', 'rk-syd', null],
      ['organisation_reporter', 'program-nsp', null],
      ['programme_officer', 'alfa', null],
      ['programme_officer', 'rk-mitt', null],
      ['coordinator', 'alfa', 'syd'],
      ['coordinator', 'program-amp', 'syd'],
    ];
    for (const [role, organisation_id, region] of refused) {
      for (const lang of ['sv', 'en']) {
        const res = await post(admin, '/api/admin/users', { username: `fel-${role.slice(0, 4)}-${organisation_id}-${lang}`, role, organisation_id, region, password: TEST_PASSWORD }, lang);
        expect(res.statusCode, `${role} in ${organisation_id}: ${res.body}`).toBe(400);
        const error = json<ApiErrorBody>(res);
        expect(error.errors).toMatchObject([{ path: 'organisation_id', rule: 'kind' }]);
        expect(error.errors[0].message).toMatch(lang === 'sv' ? /hör till (ett regionkontor|en organisation i civilsamhället|ett stödprogram)/ : /belongs to (a regional office|a civil-society organisation|a support programme)/);
      }
    }
    const list = json<{ items: { username: string }[] }>(await admin.inject({ url: '/api/admin/users' })).items;
    expect(list.filter((u) => u.username.startsWith('fel-'))).toEqual([]);
  });

  it('a programme officer’s record takes its programme from the organisation: filled in, or refused naming the field', async () => {
    const nsp = await create(officerNsp, 'nsp', programmeCase('program-nsp', { linkage_key: key(1) }));
    expect(nsp.programme).toBe('nsp');
    const amp = await create(officerAmp, 'amp', programmeCase('program-amp', { return_country: 'RO' }));
    expect(amp.programme).toBe('amp');
    for (const lang of ['sv', 'en']) {
      const res = await post(officerNsp, '/api/cases', programmeCase('program-nsp', { programme: 'amp' }), lang);
      expect(res.statusCode, res.body).toBe(400);
      const error = json<ApiErrorBody>(res);
      expect(error.errors).toMatchObject([{ path: 'programme', rule: 'organisation_programme' }]);
      expect(error.errors[0].message).toContain(lang === 'sv' ? 'Organisationen är stödprogrammet Nationellt stödprogram (NSP)' : 'The organisation is the support programme National support programme (NSP)');
    }
    // a change naming the other programme is refused the same way and leaves the record as it was
    const change = await officerNsp.inject({ method: 'PUT', url: `/api/cases/${nsp.id}`, payload: { ...programmeCase('program-nsp', { programme: 'amp' }), version: nsp.version } });
    expect(change.statusCode).toBe(400);
    expect(json<ApiErrorBody>(change).errors[0].path).toBe('programme');
    expect(json<View>(await officerNsp.inject({ url: `/api/cases/${nsp.id}` }))).toMatchObject({ version: 1, programme: 'nsp' });
  });

  it('an import into a support programme names its programme: the other one is refused naming the field, nothing written', async () => {
    const data = (programme: string) => {
      const result = validateCase(programmeCase('program-nsp', { programme, identified_on: '2025-05-05' }));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const before = json<Page>(await officerNsp.inject({ url: '/api/cases?pageSize=1' })).total;
    const importCsv = (csv: string) => officerNsp.inject({ method: 'POST', url: '/api/import', payload: csv, headers: { 'content-type': 'text/csv' } });
    const refused = await importCsv(casesToCsv([data('nsp'), data('amp')]));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(json<{ errors: { line: number; path: string; rule: string }[] }>(refused).errors).toEqual([
      expect.objectContaining({ line: 3, path: 'programme', rule: 'organisation_programme' }),
    ]);
    expect(json<Page>(await officerNsp.inject({ url: '/api/cases?pageSize=1' })).total).toBe(before);
    const done = await importCsv(casesToCsv([data('nsp')]));
    expect(done.statusCode, done.body).toBe(200);
    expect(json<Page>(await officerNsp.inject({ url: '/api/cases?pageSize=100' })).items.map((c) => c.programme)).toEqual(Array(before + 1).fill('nsp'));
  });

  describe('a reporter of organisation A', () => {
    beforeAll(async () => {
      await create(reporterA, 'a1', civilCase('alfa'));
      await create(reporterA, 'a2', civilCase('alfa', { contact_type: codes.contactType.codes[1] }));
      // B has a possible duplicate of its own (the same linkage key twice in a year)
      await create(reporterB, 'b1', civilCase('beta', { linkage_key: key(2) }));
      await create(reporterB, 'b2', civilCase('beta', { linkage_key: key(2), identified_on: '2025-04-01' }));
      await create(coordinator, 'c1', coordinatorCase({ region: 'syd', linkage_key: key(3) }));
    });

    it('lists and searches only A’s records, whatever the filter asks for', async () => {
      const mine = json<Page>(await reporterA.inject({ url: '/api/cases?pageSize=100' }));
      expect(mine.items.map((c) => c.id).sort()).toEqual([made.a1.id, made.a2.id].sort());
      for (const query of ['organisation_id=beta', 'source=coordinator', 'source=civil_society&organisation_id=beta', `reference=${made.b1.reference}`, `reference=${made.c1.reference}`, 'region=syd']) {
        const res = await reporterA.inject({ url: `/api/cases?pageSize=100&${query}` });
        expect(res.statusCode, query).toBe(200);
        const ids = json<Page>(res).items.map((c) => c.id);
        expect(ids.filter((id) => ![made.a1.id, made.a2.id].includes(id)), query).toEqual([]);
      }
      const years = json<{ items: { year: number; total: number }[] }>(await reporterA.inject({ url: '/api/cases/years' })).items;
      expect(years.reduce((n, y) => n + y.total, 0)).toBe(2);
    });

    it('gets 404 for B’s and a coordinator’s records by id or reference: reading, history, change, status change', async () => {
      for (const other of [made.b1, made.c1]) {
        for (const ref of [other.id, other.reference]) {
          expect((await reporterA.inject({ url: `/api/cases/${ref}` })).statusCode, ref).toBe(404);
          expect((await reporterA.inject({ url: `/api/cases/${ref}/history` })).statusCode, ref).toBe(404);
        }
        const change = await reporterA.inject({ method: 'PUT', url: `/api/cases/${other.id}`, payload: { ...civilCase('alfa'), version: other.version } });
        expect(change.statusCode).toBe(404);
        for (const action of ['close', 'withdraw']) {
          expect((await reporterA.inject({ method: 'POST', url: `/api/cases/${other.id}/${action}`, payload: { version: other.version } })).statusCode).toBe(404);
        }
      }
      // untouched: B still reads version 1
      expect(json<View>(await reporterB.inject({ url: `/api/cases/${made.b1.id}` })).version).toBe(1);
      expect(json<View>(await coordinator.inject({ url: `/api/cases/${made.c1.id}` })).version).toBe(1);
    });

    it('cannot register a record in B nor move their own record to B (403), and nothing is written', async () => {
      const create = await post(reporterA, '/api/cases', civilCase('beta'));
      expect(create.statusCode).toBe(403);
      const asCoordinator = await post(reporterA, '/api/cases', coordinatorCase({ region: 'syd' }));
      expect(asCoordinator.statusCode).toBe(403);
      const move = await reporterA.inject({ method: 'PUT', url: `/api/cases/${made.a1.id}`, payload: { ...civilCase('beta'), version: made.a1.version } });
      expect(move.statusCode).toBe(403);
      expect(json<View>(await reporterA.inject({ url: `/api/cases/${made.a1.id}` }))).toMatchObject({ version: 1, organisation_id: 'alfa' });
      expect(json<Page>(await reporterB.inject({ url: '/api/cases?pageSize=100' })).total).toBe(2);
    });

    it('exports only A’s records, whatever the filter asks for', async () => {
      for (const query of ['', '&organisation_id=beta', '&source=coordinator']) {
        const res = await reporterA.inject({ url: `/api/export?format=csv${query}` });
        expect(res.statusCode, query).toBe(200);
        const parsed = parseCasesCsv(res.body);
        const orgs = parsed.rows.map((r) => r.data?.organisation_id);
        expect(orgs.every((o) => o === 'alfa'), query).toBe(true);
        if (!query) expect(orgs).toHaveLength(2);
        expect(res.body).not.toContain(made.b1.reference);
        expect(res.body).not.toContain(made.c1.reference);
      }
    });

    it('sees no possible duplicates of B; B sees its own pair', async () => {
      const ofA = json<{ items: unknown[] }>(await reporterA.inject({ url: '/api/duplicates?year=2025' }));
      expect(ofA.items).toEqual([]);
      const ofB = json<{ items: { cases: { id: string }[] }[] }>(await reporterB.inject({ url: '/api/duplicates?year=2025' }));
      expect(ofB.items.map((p) => p.cases.map((c) => c.id).sort())).toEqual([[made.b1.id, made.b2.id].sort()]);
      expect((await post(reporterA, `/api/duplicates/${[made.b1.id, made.b2.id].sort().join('-')}/resolution`, { resolution: 'same_person' })).statusCode).toBeGreaterThanOrEqual(400);
      expect(json<{ items: { resolution: unknown }[] }>(await reporterB.inject({ url: '/api/duplicates?year=2025' })).items[0].resolution).toBeNull();
    });
  });

  it('an NSP officer sees nothing of ÅMP’s records, and the reverse', async () => {
    await create(officerAmp, 'amp2', programmeCase('program-amp', { linkage_key: key(1) }));
    const nspItems = json<Page>(await officerNsp.inject({ url: '/api/cases?pageSize=100' })).items;
    // the record registered and the one imported above, both NSP's
    expect(nspItems).toHaveLength(2);
    expect(nspItems.map((c) => c.id)).toContain(made.nsp.id);
    expect(nspItems.every((c) => c.organisation_id === 'program-nsp' && c.programme === 'nsp')).toBe(true);
    const ampIds = json<Page>(await officerAmp.inject({ url: '/api/cases?pageSize=100' })).items.map((c) => c.id).sort();
    expect(ampIds).toEqual([made.amp.id, made.amp2.id].sort());
    for (const ref of [made.amp.id, made.amp.reference]) {
      expect((await officerNsp.inject({ url: `/api/cases/${ref}` })).statusCode).toBe(404);
      expect((await officerNsp.inject({ url: `/api/cases/${ref}/history` })).statusCode).toBe(404);
    }
    expect((await officerAmp.inject({ url: `/api/cases/${made.nsp.id}` })).statusCode).toBe(404);
    expect((await officerNsp.inject({ url: `/api/cases?pageSize=100&organisation_id=program-amp` })).json().items ?? []).toEqual([]);
    const exported = await officerNsp.inject({ url: '/api/export?format=csv' });
    expect(parseCasesCsv(exported.body).rows.map((r) => r.data?.organisation_id)).toEqual(['program-nsp', 'program-nsp']);
    // the same linkage key in NSP and ÅMP is no possible duplicate of either officer's (different scopes)
    expect(json<{ items: unknown[] }>(await officerNsp.inject({ url: '/api/duplicates?year=2025' })).items).toEqual([]);
    // and neither sees a reporter's record
    expect((await officerNsp.inject({ url: `/api/cases/${made.a1.id}` })).statusCode).toBe(404);
    expect((await reporterA.inject({ url: `/api/cases/${made.nsp.id}` })).statusCode).toBe(404);
  });
});
