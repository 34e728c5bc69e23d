// The support programmes' and civil society's records through the HTTP API: an NSP record with both
// periods and an ÅMP record with its return country are saved and read back, a period too long is
// refused naming the field in Swedish and English, the start page's filter finds exactly the periods
// ending within 7 days (and only in the officer's own programme), and a civil-society record keeps
// its contact type, support lists, police report, legal process and rights. The session names a
// programme officer's programme, which the web form then gives instead of asking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/standard/periods.ts';
import { todayInStockholm } from '../../src/standard/validate.ts';
import { organisations } from '../../src/store/schema.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type ApiErrorBody, type TestApp } from '../support/http.ts';

type View = Record<string, unknown> & { id: string; reference: string; version: number };
type Page = { items: View[]; total: number };

const today = todayInStockholm();
const person = { identified_on: addDays(today, -40), sex: 'female', age_group: 'adult' };
const nsp = (organisation_id: string, more: Record<string, unknown>) => ({ source: 'support_programme', organisation_id, ...person, programme: 'nsp', programme_status: 'granted', ...more });

describe.each(dbTargets())('programme and civil-society records on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(target);
    await t.database.db.insert(organisations).values([
      { id: 'nsp-test', kind: 'support_programme', name_sv: 'NSP test', name_en: 'NSP test', region: null, programme: 'nsp' },
      { id: 'nsp-other', kind: 'support_programme', name_sv: 'NSP annan', name_en: 'NSP other', region: null, programme: 'nsp' },
      { id: 'amp-test', kind: 'support_programme', name_sv: 'ÅMP test', name_en: 'AVRR test', region: null, programme: 'amp' },
      { id: 'cso-test', kind: 'civil_society', name_sv: 'Förening', name_en: 'Association', region: null },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = async (organisation_id: string, role: 'programme_officer' | 'organisation_reporter', body: Record<string, unknown>, lang = 'sv') => {
    const s = await t.as({ role, organisation_id });
    return s.inject({ method: 'POST', url: '/api/cases', payload: body, headers: { 'accept-language': lang } });
  };
  const read = async (organisation_id: string, role: 'programme_officer' | 'organisation_reporter', id: string) => {
    const s = await t.as({ role, organisation_id });
    const res = await s.inject({ url: `/api/cases/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return json<View>(res);
  };

  it("the session gives a programme officer their organisation's programme, and no one else one", async () => {
    const programmeOf = async (who: Parameters<TestApp['as']>[0]) => json<{ programme: unknown }>(await (await t.as(who)).inject({ url: '/api/session' })).programme;
    expect(await programmeOf({ role: 'programme_officer', organisation_id: 'nsp-test' })).toBe('nsp');
    expect(await programmeOf({ role: 'programme_officer', organisation_id: 'amp-test' })).toBe('amp');
    expect(await programmeOf({ role: 'organisation_reporter', organisation_id: 'cso-test' })).toBeNull();
    expect(await programmeOf({ role: 'coordinator', region: 'stockholm' })).toBeNull();
  });

  it('saves and reads an NSP record with both periods and an ÅMP record with its return country', async () => {
    const periods = { rest_period_start: addDays(today, -20), rest_period_end: addDays(today, 5), integration_period_start: addDays(today, 6), integration_period_end: addDays(today, 95) };
    const res = await post('nsp-test', 'programme_officer', nsp('nsp-test', { ...periods, origin_region: 'africa', identified_by: 'other_organisation' }));
    expect(res.statusCode, res.body).toBe(201);
    const saved = json<View>(res);
    expect(saved.reference).toMatch(/^STP-/);
    const back = await read('nsp-test', 'programme_officer', saved.id);
    expect(back).toMatchObject({ ...periods, programme: 'nsp', programme_status: 'granted', origin_region: 'africa', identified_by: 'other_organisation', return_country: null });

    const amp = await post('amp-test', 'programme_officer', { source: 'support_programme', organisation_id: 'amp-test', ...person, programme: 'amp', programme_status: 'applied', return_country: 'RO' });
    expect(amp.statusCode, amp.body).toBe(201);
    expect(await read('amp-test', 'programme_officer', json<View>(amp).id)).toMatchObject({ programme: 'amp', programme_status: 'applied', return_country: 'RO', rest_period_end: null });
  });

  it('refuses a rest period of 31 days and a period for ÅMP, naming the field, and stores nothing', async () => {
    const before = (await (await t.as({ role: 'programme_officer', organisation_id: 'nsp-test' })).inject({ url: '/api/cases' })).json().total;
    const long = { rest_period_start: '2025-03-01', rest_period_end: '2025-03-31' };
    const sv = await post('nsp-test', 'programme_officer', nsp('nsp-test', long));
    expect(sv.statusCode).toBe(400);
    const body = json<ApiErrorBody>(sv);
    expect(body.errors.map((e) => [e.path, e.rule])).toEqual([['rest_period_end', 'period_too_long']]);
    expect(body.errors[0].message).toContain('Betänketid i NSP: slutdatum');
    expect(body.errors[0].message).toContain('30 dagar');
    const en = json<ApiErrorBody>(await post('nsp-test', 'programme_officer', nsp('nsp-test', long), 'en'));
    expect(en.errors[0].message).toContain('NSP rest period: end date');
    const ampPeriod = json<ApiErrorBody>(await post('nsp-test', 'programme_officer', nsp('nsp-test', { programme: 'amp', integration_period_start: '2025-03-01', integration_period_end: '2025-03-10' })));
    expect(ampPeriod.errors.map((e) => [e.path, e.rule])).toEqual([
      ['integration_period_start', 'period_without_nsp'],
      ['integration_period_end', 'period_without_nsp'],
    ]);
    expect((await (await t.as({ role: 'programme_officer', organisation_id: 'nsp-test' })).inject({ url: '/api/cases' })).json().total).toBe(before);
  });

  it("the start page's filter finds exactly the periods ending from today to 7 days later, in the officer's own programme only", async () => {
    const make = async (org: string, more: Record<string, unknown>) => {
      const res = await post(org, 'programme_officer', nsp(org, more));
      expect(res.statusCode, res.body).toBe(201);
      return json<View>(res).reference;
    };
    const endsToday = await make('nsp-test', { rest_period_start: addDays(today, -29), rest_period_end: today });
    const endsIn7 = await make('nsp-test', { integration_period_start: addDays(today, -30), integration_period_end: addDays(today, 7) });
    await make('nsp-test', { rest_period_start: addDays(today, -10), rest_period_end: addDays(today, 8) });
    await make('nsp-test', { rest_period_start: addDays(today, -20), rest_period_end: addDays(today, -1) });
    const otherProgramme = await make('nsp-other', { rest_period_start: addDays(today, -20), rest_period_end: addDays(today, 2) });

    const officer = await t.as({ role: 'programme_officer', organisation_id: 'nsp-test' });
    const res = await officer.inject({ url: '/api/cases?period_ends_within=7&pageSize=500' });
    expect(res.statusCode, res.body).toBe(200);
    const found = json<Page>(res).items.map((c) => c.reference).sort();
    // The first test's record: its rest period ends in 5 days.
    expect(found).toHaveLength(3);
    expect(found).toEqual(expect.arrayContaining([endsToday, endsIn7]));
    expect(found).not.toContain(otherProgramme);
    const statistician = await t.as({ role: 'statistician' });
    expect(json<Page>(await statistician.inject({ url: '/api/cases?period_ends_within=7&pageSize=500' })).items.map((c) => c.reference)).toContain(otherProgramme);
    expect(json<Page>(await officer.inject({ url: '/api/cases?period_ends_within=0&pageSize=500' })).items.map((c) => c.reference)).toEqual([endsToday]);
    expect((await officer.inject({ url: '/api/cases?period_ends_within=91' })).statusCode).toBe(400);
    expect((await officer.inject({ url: '/api/cases?period_ends_within=soon' })).statusCode).toBe(400);
  });

  it('saves and reads a civil-society record: contact type, support lists, police report, legal process and rights', async () => {
    const support = {
      social_services: ['applied', 'protected_housing'],
      civil_society_support: ['legal_advice', 'psychological'],
      why_civil_society: ['more_than_offered'],
      police_report: 'yes',
      offence_reported: ['trafficking', 'rape'],
      legal_status: 'investigation_ongoing',
      reflection_period: 'granted',
      temporary_residence_permit: 'applied',
      injured_party_counsel: 'yes',
      coordinator_contact: 'no',
    };
    const body = { source: 'civil_society', organisation_id: 'cso-test', ...person, contact_type: 'indirect', age_group: 'child', identified_by: 'regional_coordinator', origin_region: 'eu', nationality: 'RO', support };
    const res = await post('cso-test', 'organisation_reporter', body);
    expect(res.statusCode, res.body).toBe(201);
    const back = await read('cso-test', 'organisation_reporter', json<View>(res).id);
    expect(back.reference).toMatch(/^CIV-/);
    expect(back).toMatchObject({ contact_type: 'indirect', identified_by: 'regional_coordinator', origin_region: 'eu', programme: null });
    expect(back.support).toMatchObject({ ...support, nsp: null, amp: null });
    // A programme field on a civil-society record is refused.
    const refused = json<ApiErrorBody>(await post('cso-test', 'organisation_reporter', { ...body, programme: 'nsp' }));
    expect(refused.errors.map((e) => [e.path, e.rule])).toEqual([['programme', 'programme_without_support_programme']]);
  });
});
