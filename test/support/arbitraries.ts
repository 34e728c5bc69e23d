// fast-check arbitraries for cases of the data standard: valid cases of every source, and
// valid cases broken by exactly one rule (with the field path and rule id validation must report).
import fc from 'fast-check';
import type { CaseData, CaseInputIn } from '../../src/standard/case.ts';
import * as c from '../../src/standard/codes.ts';
import { countryList } from '../../src/standard/countries.ts';
import { todayInStockholm, validateCase } from '../../src/standard/validate.ts';

const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOfDay = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/** A calendar date (YYYY-MM-DD) between two dates, both included. */
export function arbDate(from: string, to: string): fc.Arbitrary<string> {
  return fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map(isoOfDay);
}

const countryCodes = countryList.map((x) => x.code);
export const arbCountry = fc.constantFrom(...countryCodes);
const arbSlug = fc
  .tuple(fc.constantFrom('org', 'plattform', 'nsp', 'iom', 'stod'), fc.stringMatching(/^[a-z0-9-]{1,20}$/))
  .map(([a, b]) => `${a}-${b}`);
const arbLinkageKey = fc.stringMatching(/^[0-9a-f]{64}$/);
const some = <T>(codes: readonly T[], maxLength = codes.length) =>
  fc.uniqueArray(fc.constantFrom(...codes), { maxLength });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const leafIndustries = c.industry.codes;

function arbSupport(today: string) {
  const status = nullable(fc.constantFrom(...c.applicationStatus.codes));
  const nsp = fc
    .tuple(status, nullable(arbDate('2018-01-01', today)), fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }))
    .map(([s, start, length]) => ({
      status: s,
      start_date: start,
      end_date: start && length !== null ? isoOfDay(dayNumber(start) + length) : null,
    }));
  return fc.record(
    {
      reflection_period: status,
      temporary_residence_permit: status,
      nsp: nullable(nsp),
      amp: status,
      police_report: nullable(fc.constantFrom(...c.policeReport.codes)),
      offence_reported: some(c.offenceReported.codes, 3),
      legal_status: nullable(fc.constantFrom(...c.legalStatus.codes)),
      injured_party_counsel: nullable(fc.constantFrom(...c.yesNo.codes)),
      coordinator_contact: nullable(fc.constantFrom(...c.yesNo.codes)),
      social_services: some(c.socialServicesSupport.codes, 3),
      civil_society_support: some(c.civilSocietySupport.codes, 4),
      why_civil_society: some(c.whyCivilSociety.codes),
    },
    { requiredKeys: [] },
  );
}

export type ArbCaseOptions = { source?: c.SourceCode; today?: string };

/**
 * Valid cases (`CaseInputIn`) of every source: required fields per source, age agreeing with
 * age group, industries only with labour, each list code once, dates from 2018-01-01 to today.
 * Optional fields are sometimes left out and sometimes null.
 */
export function arbValidCase(opts: ArbCaseOptions = {}): fc.Arbitrary<CaseInputIn> {
  const today = opts.today ?? todayInStockholm();
  const source = opts.source ? fc.constant(opts.source) : fc.constantFrom(...c.source.codes);
  const age = fc.oneof(
    fc.integer({ min: 0, max: 120 }).map((a) => ({ age: a as number | null, age_group: a < 18 ? ('child' as const) : ('adult' as const) })),
    fc.record({ age: fc.constant(null), age_group: fc.constantFrom(...c.ageGroup.codes) }),
  );
  const forms = some(c.exploitationForm.codes, 4).chain((f) =>
    f.includes('labour')
      ? some(leafIndustries, 3).map((industries) => ({ exploitation_forms: f, industries }))
      : fc.constant({ exploitation_forms: f, industries: [] as c.IndustryCode[] }),
  );
  const common = fc.record(
    {
      identified_on: arbDate('2018-01-01', today),
      sex: fc.constantFrom(...c.sex.codes),
      nationality: nullable(arbCountry),
      exploited_in_sweden: nullable(fc.constantFrom(...c.yesNo.codes)),
      exploitation_countries: fc.uniqueArray(arbCountry, { maxLength: 3 }),
      workplace_inspection: nullable(fc.boolean()),
      related_children: fc.array(
        fc.record({ location: fc.constantFrom(...c.childLocation.codes), age_band: fc.constantFrom(...c.childAgeBand.codes) }),
        { maxLength: 4 },
      ),
      support: nullable(arbSupport(today)),
      linkage_key: nullable(arbLinkageKey),
    },
    { requiredKeys: ['identified_on', 'sex'] },
  );
  const bySource = source.chain((s): fc.Arbitrary<Case> => {
    if (s === 'coordinator') {
      return fc
        .record(
          {
            region: fc.constantFrom(...c.region.codes),
            crime_type: fc.constantFrom('trafficking' as const, 'exploitation' as const),
            referred_by: fc.constantFrom(...c.referredBy.codes),
            withOffice: fc.boolean(),
            contact_type: nullable(fc.constantFrom(...c.contactType.codes)),
          },
          { requiredKeys: ['region', 'crime_type', 'referred_by', 'withOffice'] },
        )
        .map(({ withOffice, ...rest }) => ({
          source: s,
          ...rest,
          ...(withOffice ? { organisation_id: c.regionOffice(rest.region) } : {}),
        }));
    }
    return fc
      .record(
        {
          organisation_id: arbSlug,
          region: nullable(fc.constantFrom(...c.region.codes)),
          crime_type: nullable(fc.constantFrom(...c.crimeType.codes)),
          referred_by: nullable(fc.constantFrom(...c.referredBy.codes)),
          contact_type: s === 'civil_society' ? fc.constantFrom(...c.contactType.codes) : nullable(fc.constantFrom(...c.contactType.codes)),
        },
        { requiredKeys: s === 'civil_society' ? ['organisation_id', 'contact_type'] : ['organisation_id'] },
      )
      .chain((rest): fc.Arbitrary<Case> =>
        s === 'support_programme'
          ? fc
              .record(
                {
                  programme: fc.constantFrom(...c.programme.codes),
                  programme_status: fc.constantFrom(...c.programmeStatus.codes),
                  programme_role: nullable(fc.constantFrom(...c.programmeRole.codes)),
                },
                { requiredKeys: ['programme', 'programme_status'] },
              )
              .map((p) => ({ source: s, ...rest, ...p }))
          : fc.constant({ source: s, ...rest }),
      );
  });
  return fc.tuple(bySource, common, age, forms).map(([a, b, ag, f]) => ({ ...a, ...b, ...ag, ...f }) as unknown as CaseInputIn);
}

/** Complete `CaseData` as validation returns it for valid cases (defaults filled, empty support as null). */
export function arbCaseData(opts: ArbCaseOptions = {}): fc.Arbitrary<CaseData> {
  const today = opts.today ?? todayInStockholm();
  return arbValidCase({ ...opts, today }).map((x) => {
    const r = validateCase(x, { today });
    if (!r.ok) throw new Error(`arbValidCase produced an invalid case: ${r.errors.map((e) => `${e.path} ${e.rule}`).join(', ')}`);
    return r.data;
  });
}

/** A valid case broken by one rule, and where validation must report it. */
export type BrokenCase = { input: unknown; path: string; rule: string };
type Case = Record<string, unknown>;

const without = (x: Case, ...keys: string[]) => {
  const y = { ...x };
  for (const k of keys) delete y[k];
  return y;
};
const broken = (arb: fc.Arbitrary<CaseInputIn>, f: (x: Case) => BrokenCase): fc.Arbitrary<BrokenCase> =>
  arb.map((x) => f(x as Case));

/**
 * For each rule, an arbitrary of valid cases with exactly that one violation.
 * Keys name the situation; values give the input, the path and the rule to expect.
 */
export function brokenCases(opts: { today?: string } = {}): Record<string, fc.Arbitrary<BrokenCase>> {
  const today = opts.today ?? todayInStockholm();
  const any = arbValidCase({ today });
  const coord = arbValidCase({ today, source: 'coordinator' });
  const civil = arbValidCase({ today, source: 'civil_society' });
  const other = fc.oneof(civil, arbValidCase({ today, source: 'support_programme' }));
  const withForms = (arb: fc.Arbitrary<CaseInputIn>) => arb.filter((x) => (x.exploitation_forms ?? []).length > 0);
  const req = (arb: fc.Arbitrary<CaseInputIn>, key: string, asNull = false) =>
    broken(arb, (x) => ({ input: asNull ? { ...x, [key]: null } : without(x, key), path: key, rule: 'required' }));
  const tomorrowOn = dayNumber(today) + 1;

  return {
    required_source: req(any, 'source'),
    required_identified_on: req(any, 'identified_on'),
    required_sex: req(any, 'sex', true),
    required_age_group: req(any, 'age_group').map((b) => ({ ...b, input: without(b.input as Case, 'age') })),
    required_region: req(coord, 'region'),
    required_crime_type: req(coord, 'crime_type', true),
    required_referred_by: req(coord, 'referred_by'),
    required_contact_type: req(civil, 'contact_type'),
    required_organisation_id: req(other, 'organisation_id'),
    required_programme: req(arbValidCase({ today, source: 'support_programme' }), 'programme'),
    required_programme_status: req(arbValidCase({ today, source: 'support_programme' }), 'programme_status', true),
    programme_role_without_support_programme: broken(fc.oneof(coord, civil), (x) => ({
      input: { ...x, programme_role: 'exposed' },
      path: 'programme_role',
      rule: 'programme_without_support_programme',
    })),
    crime_type_unknown_for_coordinator: broken(coord, (x) => ({
      input: { ...x, crime_type: 'unknown' },
      path: 'crime_type',
      rule: 'crime_type_unknown_for_coordinator',
    })),
    organisation_region: fc.tuple(coord, fc.constantFrom(...c.region.codes)).filter(([x, r]) => x.region !== r).map(([x, r]) => ({
      input: { ...x, organisation_id: c.regionOffice(r) },
      path: 'organisation_id',
      rule: 'organisation_region',
    })),
    date_format: fc.tuple(any, fc.constantFrom('2025-1-1', '20250101', '01/02/2024', 'igår', '2025-03-01T10:00')).map(([x, d]) => ({
      input: { ...x, identified_on: d },
      path: 'identified_on',
      rule: 'format',
    })),
    date_not_in_calendar: fc.tuple(any, fc.constantFrom('2019-02-29', '2023-02-30', '2021-04-31', '2022-13-01', '2024-00-10')).map(([x, d]) => ({
      input: { ...x, identified_on: d },
      path: 'identified_on',
      rule: 'format',
    })),
    date_future: fc.tuple(any, fc.integer({ min: tomorrowOn, max: tomorrowOn + 2000 })).map(([x, d]) => ({
      input: { ...x, identified_on: isoOfDay(d) },
      path: 'identified_on',
      rule: 'date_future',
    })),
    date_before_2018: fc.tuple(any, arbDate('1990-01-01', '2017-12-31')).map(([x, d]) => ({
      input: { ...x, identified_on: d },
      path: 'identified_on',
      rule: 'date_before_2018',
    })),
    age_range: fc.tuple(any, fc.oneof(fc.integer({ min: 121, max: 10_000 }), fc.integer({ min: -1000, max: -1 }))).map(([x, a]) => ({
      input: { ...x, age: a },
      path: 'age',
      rule: 'range',
    })),
    age_integer: fc.tuple(any, fc.integer({ min: 0, max: 119 })).map(([x, a]) => ({
      input: { ...x, age: a + 0.5, age_group: a < 18 ? 'child' : 'adult' },
      path: 'age',
      rule: 'integer',
    })),
    age_type: fc.tuple(any, fc.integer({ min: 0, max: 120 })).map(([x, a]) => ({
      input: { ...x, age: String(a), age_group: a < 18 ? 'child' : 'adult' },
      path: 'age',
      rule: 'type',
    })),
    list_type: broken(any, (x) => ({ input: { ...x, exploitation_forms: 'labour' }, path: 'exploitation_forms', rule: 'type' })),
    boolean_type: fc.tuple(any, fc.constantFrom('true', 'ja', 1, 0)).map(([x, v]) => ({
      input: { ...x, workplace_inspection: v },
      path: 'workplace_inspection',
      rule: 'type',
    })),
    code_sex: fc.tuple(any, fc.constantFrom('kvinna', 'f', 'FEMALE', '')).map(([x, v]) => ({ input: { ...x, sex: v }, path: 'sex', rule: 'code' })),
    code_in_list: fc.tuple(any, fc.constantFrom('trafficking', 'sex', 'Labour')).map(([x, v]) => {
      const forms = (x.exploitation_forms ?? []) as string[];
      return { input: { ...x, exploitation_forms: [...forms, v] }, path: `exploitation_forms.${forms.length}`, rule: 'code' };
    }),
    code_referred_by: broken(coord, (x) => ({ input: { ...x, referred_by: 'polisen' }, path: 'referred_by', rule: 'code' })),
    code_support: broken(any, (x) => ({
      input: { ...x, support: { ...(x.support as Case | null), legal_status: 'pending' } },
      path: 'support.legal_status',
      rule: 'code',
    })),
    nationality_unassigned: fc.tuple(any, fc.constantFrom('XX', 'ZZ', 'AA', 'QQ', 'UK', 'EU')).map(([x, v]) => ({
      input: { ...x, nationality: v },
      path: 'nationality',
      rule: 'code',
    })),
    nationality_not_code: fc.tuple(any, fc.constantFrom('se', 'Sverige', 'SWE', 'S')).map(([x, v]) => ({
      input: { ...x, nationality: v },
      path: 'nationality',
      rule: 'code',
    })),
    exploitation_country_unassigned: fc.tuple(any, fc.constantFrom('XX', 'ZZ', 'EU')).map(([x, v]) => {
      const list = (x.exploitation_countries ?? []) as string[];
      return { input: { ...x, exploitation_countries: [...list, v] }, path: `exploitation_countries.${list.length}`, rule: 'code' };
    }),
    age_group_mismatch: fc
      .tuple(any, fc.integer({ min: 0, max: 120 }), fc.constantFrom(...c.ageGroup.codes))
      .filter(([, a, g]) => (a < 18 ? 'child' : 'adult') !== g)
      .map(([x, a, g]) => ({ input: { ...x, age: a, age_group: g }, path: 'age_group', rule: 'age_group_mismatch' })),
    industries_without_labour: fc.tuple(any, fc.uniqueArray(fc.constantFrom(...leafIndustries), { minLength: 1, maxLength: 3 })).map(([x, ind]) => ({
      input: { ...x, exploitation_forms: (x.exploitation_forms ?? []).filter((f) => f !== 'labour'), industries: ind },
      path: 'industries',
      rule: 'industries_without_labour',
    })),
    industry_group: broken(any, (x) => ({
      input: { ...x, exploitation_forms: [...new Set([...((x.exploitation_forms ?? []) as string[]), 'labour'])], industries: ['green'] },
      path: 'industries.0',
      rule: 'industry_group',
    })),
    duplicate_form: fc.tuple(withForms(any), fc.nat()).map(([x, k]) => {
      const forms = x.exploitation_forms as string[];
      return {
        input: { ...x, exploitation_forms: [...forms, forms[k % forms.length]] },
        path: `exploitation_forms.${forms.length}`,
        rule: 'duplicate_code',
      };
    }),
    duplicate_country: fc.tuple(any, arbCountry).map(([x, cc]) => {
      const list = [...new Set([...((x.exploitation_countries ?? []) as string[]), cc])];
      return {
        input: { ...x, exploitation_countries: [...list, cc] },
        path: `exploitation_countries.${list.length}`,
        rule: 'duplicate_code',
      };
    }),
    duplicate_support_list: broken(any, (x) => ({
      input: { ...x, support: { ...(x.support as Case | null), offence_reported: ['rape', 'assault', 'rape'] } },
      path: 'support.offence_reported.2',
      rule: 'duplicate_code',
    })),
    unknown_field: fc.tuple(any, fc.constantFrom('nationalty', 'Sex', 'name', 'comment', 'age group', 'constructor', 'toString', '__proto__')).map(([x, k]) => ({
      input: Object.defineProperty({ ...x }, k, { value: 'x', enumerable: true }),
      path: k,
      rule: 'unknown_field',
    })),
    unknown_support_field: broken(any, (x) => ({
      input: { ...x, support: { ...(x.support as Case | null), reflection: 'granted' } },
      path: 'support.reflection',
      rule: 'unknown_field',
    })),
    unknown_child_field: broken(any, (x) => {
      const kids = (x.related_children ?? []) as Case[];
      return {
        input: { ...x, related_children: [...kids, { location: 'abroad', age_band: '0_11', age: 4 }] },
        path: `related_children.${kids.length}.age`,
        rule: 'unknown_field',
      };
    }),
    child_code: broken(any, (x) => {
      const kids = (x.related_children ?? []) as Case[];
      return {
        input: { ...x, related_children: [...kids, { location: 'sweden', age_band: '0_11' }] },
        path: `related_children.${kids.length}.location`,
        rule: 'code',
      };
    }),
    nsp_end_before_start: fc.tuple(any, arbDate('2018-01-02', today), fc.integer({ min: 1, max: 300 })).map(([x, start, back]) => ({
      input: {
        ...x,
        support: { ...(x.support as Case | null), nsp: { status: 'granted', start_date: start, end_date: isoOfDay(dayNumber(start) - back) } },
      },
      path: 'support.nsp.end_date',
      rule: 'nsp_end_before_start',
    })),
    nsp_date_format: broken(any, (x) => ({
      input: { ...x, support: { ...(x.support as Case | null), nsp: { status: 'granted', start_date: '2023-02-30' } } },
      path: 'support.nsp.start_date',
      rule: 'format',
    })),
    organisation_format: fc.tuple(other, fc.constantFrom('RK Syd', 'a', 'org_1', '-org', 'Plattformen')).map(([x, o]) => ({
      input: { ...x, organisation_id: o },
      path: 'organisation_id',
      rule: 'format',
    })),
    linkage_key_format: fc.tuple(any, fc.constantFrom('short', 'has space in it', 'ÅÄÖåäö12345')).map(([x, k]) => ({
      input: { ...x, linkage_key: k },
      path: 'linkage_key',
      rule: 'format',
    })),
    support_type: fc.tuple(any, fc.constantFrom('yes', 1, [])).map(([x, s]) => ({ input: { ...x, support: s }, path: 'support', rule: 'type' })),
  };
}
