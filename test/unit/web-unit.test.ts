// The web app's pure parts: case form state ↔ API case, country search, error targets, version diffs,
// routes, the codes document, chart tables and import problem lines.
import { describe, expect, it } from 'vitest';
import { changedFields, emptyCase, fieldId, fromRecord, inapplicable, isRequired, refusedCodes, resolveCountry, targetOf, toPayload } from '../../web/src/caseModel.ts';
import { normalizeCodes } from '../../web/src/codes.ts';
import { chartTable } from '../../web/src/report.ts';
import { matchRoute } from '../../web/src/router.tsx';
import { parseProblem } from '../../web/src/pages/Import.tsx';
import { codesDocument } from '../../src/standard/api-codes.ts';
import { CaseInput } from '../../src/standard/case.ts';

/** The form rules as /api/codes serves them. */
const rules = codesDocument().rules;

const countries = [
  { code: 'DE', sv: 'Tyskland', en: 'Germany' },
  { code: 'TH', sv: 'Thailand', en: 'Thailand' },
  { code: 'SE', sv: 'Sverige', en: 'Sweden' },
];

describe('case form model', () => {
  it('an empty form sends nulls and empty lists, never empty strings', () => {
    const body = toPayload({ ...emptyCase('syd'), identified_on: '2025-03-01', sex: 'female', age_group: 'adult' }, rules);
    expect(body.region).toBe('syd');
    expect(body.crime_type).toBeNull();
    expect(body.nationality).toBeNull();
    expect(body.support).toBeNull();
    expect(body.workplace_inspection).toBeNull();
    expect(body.exploitation_forms).toEqual([]);
    expect(Object.values(body).includes('')).toBe(false);
  });

  it('drops industries when labour is not a form', () => {
    const f = { ...emptyCase(), exploitation_forms: ['sexual'], industries: ['cleaning'] };
    expect(toPayload(f, rules).industries).toEqual([]);
    expect(toPayload({ ...f, exploitation_forms: ['labour'] }, rules).industries).toEqual(['cleaning']);
  });

  it('round-trips a full case through the form state and passes the case schema', () => {
    const record = {
      source: 'coordinator', organisation_id: 'rk-vast', region: 'vast', identified_on: '2025-05-02', crime_type: 'exploitation',
      sex: 'male', age: 34, age_group: 'adult', exploitation_forms: ['labour', 'begging'], industries: ['berry_picking'],
      nationality: 'TH', exploited_in_sweden: 'yes', exploitation_countries: ['SE', 'DE'], referred_by: 'police', workplace_inspection: true,
      related_children: [{ location: 'abroad', age_band: '0_11' }, { location: 'abroad', age_band: '0_11' }], contact_type: null,
      support: {
        reflection_period: 'granted', temporary_residence_permit: null, nsp: { status: 'granted', start_date: '2025-05-10', end_date: null },
        amp: null, police_report: 'yes', offence_reported: ['exploitation'], legal_status: 'investigation_ongoing', injured_party_counsel: 'yes',
        coordinator_contact: null, social_services: [], civil_society_support: ['housing'], why_civil_society: [],
      },
      linkage_key: null,
      origin_region: null, identified_by: null, programme: null, programme_status: null, programme_role: null, rest_period_start: null, rest_period_end: null,
      integration_period_start: null, integration_period_end: null, return_country: null,
    };
    const body = toPayload(fromRecord(record), rules);
    expect(body).toEqual(record);
    expect(CaseInput.safeParse(body).success).toBe(true);
  });

  it('marks, refuses and leaves out fields as the server\'s rules say, per source', () => {
    expect(isRequired(rules, 'coordinator', 'region')).toBe(true);
    expect(isRequired(rules, 'coordinator', 'organisation_id')).toBe(false);
    expect(isRequired(rules, 'civil_society', 'organisation_id')).toBe(true);
    expect(isRequired(rules, 'civil_society', 'contact_type')).toBe(true);
    expect(isRequired(rules, 'support_programme', 'contact_type')).toBe(false);
    expect(isRequired(null, 'coordinator', 'region')).toBe(false);
    expect(refusedCodes(rules, 'coordinator', 'crime_type')).toEqual(['unknown']);
    expect(refusedCodes(rules, 'civil_society', 'crime_type')).toEqual([]);
    // A coordinator's case has no programme, so none of the programme's fields either.
    const programmeFields = ['programme', 'programme_status', 'programme_role', 'rest_period_start', 'rest_period_end', 'integration_period_start', 'integration_period_end', 'return_country'];
    expect([...inapplicable({ ...emptyCase(), exploitation_forms: ['sexual'] }, rules)]).toEqual(['industries', ...programmeFields]);
    expect([...inapplicable({ ...emptyCase(), exploitation_forms: ['labour'] }, rules)]).toEqual(programmeFields);
    expect([...inapplicable({ ...emptyCase('', 'support_programme'), exploitation_forms: ['labour'], programme: 'nsp' }, rules)]).toEqual(['return_country']);
  });

  it('keeps a false workplace inspection as false, not as unanswered', () => {
    expect(toPayload(fromRecord({ workplace_inspection: false }), rules).workplace_inspection).toBe(false);
  });

  it('finds countries by Swedish or English name, by code and by the datalist text', () => {
    expect(resolveCountry('Tyskland', countries)).toBe('DE');
    expect(resolveCountry('germany', countries)).toBe('DE');
    expect(resolveCountry('Sweden – Sverige (SE)', countries)).toBe('SE');
    expect(resolveCountry('th', countries)).toBe('TH');
    expect(resolveCountry('Atlantis', countries)).toBeNull();
  });

  it('points a server error path at the nearest control on the page', () => {
    const present = new Set([fieldId('support.nsp.start_date'), fieldId('exploitation_forms'), fieldId('related_children.1.location')]);
    expect(targetOf('support.nsp.start_date', (id) => present.has(id))).toBe('f-support-nsp-start_date');
    expect(targetOf('exploitation_forms.2', (id) => present.has(id))).toBe('f-exploitation_forms');
    expect(targetOf('related_children.1.location', (id) => present.has(id))).toBe('f-related_children-1-location');
    expect(targetOf('nothing', () => false)).toBeNull();
  });

  it('lists the fields that changed between two versions', () => {
    const a = { age: 30, support: { nsp: { status: 'applied' } }, exploitation_forms: ['labour'] };
    const b = { age: 31, support: { nsp: { status: 'granted' } }, exploitation_forms: ['labour'] };
    expect(changedFields(a, b).sort()).toEqual(['age', 'support.nsp.status']);
    expect(changedFields(a, a)).toEqual([]);
  });
});

describe('routes', () => {
  it('gives public pages their language from the path and coordinator pages none', () => {
    expect(matchRoute('/statistik')).toMatchObject({ page: 'statistics', lang: 'sv' });
    expect(matchRoute('/en/statistics/')).toMatchObject({ page: 'statistics', lang: 'en' });
    expect(matchRoute('/en/help')).toMatchObject({ page: 'help', lang: 'en' });
    expect(matchRoute('/arenden/01ABC/andra')).toMatchObject({ page: 'editCase', params: { id: '01ABC' } });
    expect(matchRoute('/arenden/01ABC').lang).toBeUndefined();
    expect(matchRoute('/en/nonsense')).toMatchObject({ page: 'notFound', lang: 'en' });
    expect(matchRoute('/finns/inte')).toMatchObject({ page: 'notFound', lang: 'sv' });
  });
});

describe('codes and report helpers', () => {
  it('reads the /api/codes document: lists, industry groups, countries and field names', () => {
    const codes = normalizeCodes(JSON.parse(JSON.stringify(codesDocument())));
    expect(codes.lists.exploitation_form.map((c) => c.code)).toContain('labour');
    expect(codes.industryGroups.find((g) => g.code === 'green')?.leaves).toContain('berry_picking');
    expect(codes.countries.find((c) => c.code === 'DE')).toMatchObject({ sv: 'Tyskland', en: 'Germany' });
    expect(codes.fields['support.nsp.start_date']?.sv).toBeTruthy();
    expect(codes.rules).toEqual(rules);
    expect(normalizeCodes({}).rules).toBeNull();
  });

  it('turns a chart spec into its table alternative, one column per series', () => {
    const chart = {
      id: 'x', title: 'X',
      spec: { data: { values: [
        { label: 'Arbetskraft', series: 'Kvinnor', value: 88 },
        { label: 'Arbetskraft', series: 'Män', value: 236 },
        { label: 'Sexuella ändamål', series: 'Kvinnor', value: 77 },
      ] } },
    };
    expect(chartTable(chart, 'Form', 'Antal')).toEqual({
      head: ['Form', 'Kvinnor', 'Män'],
      body: [['Arbetskraft', 88, 236], ['Sexuella ändamål', 77, 0]],
    });
  });

  it('splits an import problem into line, field and message', () => {
    expect(parseProblem('line 7: sex: Okänd kod.')).toEqual({ line: '7', field: 'sex', message: 'Okänd kod.' });
    expect(parseProblem('Något annat')).toEqual({ line: '', field: '', message: 'Något annat' });
  });
});
