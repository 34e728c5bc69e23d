import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseInput } from '../../src/standard/case.ts';
import { ruleIds, ruleMessage } from '../../src/standard/messages.ts';
import { todayInStockholm, validateCase } from '../../src/standard/validate.ts';
import { arbValidCase, brokenCases } from '../support/arbitraries.ts';

const today = '2026-06-15';
const base = {
  source: 'coordinator',
  region: 'syd',
  identified_on: '2025-03-01',
  crime_type: 'trafficking',
  sex: 'female',
  age_group: 'adult',
  referred_by: 'police',
};

describe('validateCase: valid cases', () => {
  it('accepts every generated valid case of every source and fills a complete CaseData', () => {
    fc.assert(
      fc.property(arbValidCase({ today }), (input) => {
        const r = validateCase(input, { today });
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        // Complete: every field present, and the result passes the schema as it is.
        expect(Object.keys(r.data).sort()).toEqual(Object.keys(CaseInput.shape).sort());
        expect(CaseInput.parse(r.data)).toEqual(r.data);
        // Validating the output again changes nothing.
        const again = validateCase(r.data, { today });
        expect(again.ok && again.data).toEqual(r.data);
      }),
      { numRuns: 300 },
    );
  });

  it('defaults a coordinator record to its region office and fills nulls and empty lists', () => {
    const r = validateCase(base, { today });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.organisation_id).toBe('rk-syd');
    expect(r.data.age).toBeNull();
    expect(r.data.exploitation_forms).toEqual([]);
    expect(r.data.support).toBeNull();
  });

  it('stores a support block with nothing answered as not answered', () => {
    const r = validateCase({ ...base, support: { nsp: { status: null }, offence_reported: [] } }, { today });
    expect(r.ok && r.data.support).toBeNull();
  });

  it('accepts identified_on equal to today and to 2018-01-01, and a related child twice', () => {
    const twins = [{ location: 'abroad', age_band: '0_11' }, { location: 'abroad', age_band: '0_11' }];
    expect(validateCase({ ...base, identified_on: today, related_children: twins }, { today }).ok).toBe(true);
    expect(validateCase({ ...base, identified_on: '2018-01-01' }, { today }).ok).toBe(true);
  });

  it('allows crime type unknown for civil society and support programme records', () => {
    for (const source of ['civil_society', 'support_programme']) {
      const r = validateCase(
        {
          source,
          organisation_id: 'org-a',
          identified_on: '2024-01-01',
          sex: 'unknown',
          age_group: 'unknown',
          crime_type: 'unknown',
          contact_type: 'direct',
          ...(source === 'support_programme' ? { programme: 'amp', programme_status: 'applied' } : {}),
        },
        { today },
      );
      expect(r.ok).toBe(true);
    }
  });
});

describe('validateCase: one broken rule', () => {
  for (const [name, arb] of Object.entries(brokenCases({ today }))) {
    it(`${name}: rejected with exactly that field and rule`, () => {
      fc.assert(
        fc.property(arb, ({ input, path, rule }) => {
          const r = validateCase(input, { today });
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.errors.map((e) => [e.path, e.rule])).toEqual([[path, rule]]);
          expect(r.errors[0].message.sv.length).toBeGreaterThan(0);
          expect(r.errors[0].message.en.length).toBeGreaterThan(0);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('a non-object input is one type error on the whole case', () => {
    for (const input of [null, 'case', 42, [base]]) {
      const r = validateCase(input, { today });
      expect(!r.ok && r.errors.map((e) => [e.path, e.rule])).toEqual([['', 'type']]);
    }
  });

  it('reports every broken field at once, not only the first', () => {
    const r = validateCase({ ...base, sex: 'x', age: 300, identified_on: '2099-01-01', industries: ['cleaning'] }, { today });
    expect(!r.ok && r.errors.map((e) => e.rule).sort()).toEqual(['code', 'date_future', 'industries_without_labour', 'range']);
  });
});

describe('validateCase: messages', () => {
  it('has a Swedish and an English message for every rule, different from each other', () => {
    for (const rule of ruleIds) {
      const m = ruleMessage(rule, 'age');
      expect(m.sv.trim(), rule).not.toBe('');
      expect(m.en.trim(), rule).not.toBe('');
      expect(m.sv, rule).not.toBe(m.en);
    }
  });

  it('names the field in words and never repeats the submitted value or zod text', () => {
    const secret = 'ZZsecretZZ';
    const r = validateCase(
      { ...base, sex: secret, referred_by: secret, linkage_key: secret + ' !', organisation_id: secret, support: { legal_status: secret } },
      { today },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const texts = r.errors.flatMap((e) => [e.message.sv, e.message.en]);
    for (const t of texts) {
      expect(t).not.toContain(secret);
      expect(t).not.toMatch(/Invalid|expected|received/);
    }
    const sex = r.errors.find((e) => e.path === 'sex')!;
    expect(sex.message.sv).toContain('Kön');
    expect(r.errors.find((e) => e.path === 'referred_by')!.message.sv).toContain('Hänvisande aktör');
  });

  it('tells the user to choose Unknown where unknown is allowed', () => {
    const r = validateCase({ ...base, sex: undefined }, { today });
    expect(!r.ok && r.errors[0].message.sv).toMatch(/Okänt/);
  });
});

describe('validateCase: warnings', () => {
  it('warns, without blocking, when human exploitation has a form outside work and begging', () => {
    fc.assert(
      fc.property(
        arbValidCase({ today, source: 'coordinator' }),
        fc.constantFrom('sexual', 'forced_marriage', 'organ_removal', 'military_service', 'illegal_adoption', 'criminality', 'domestic_work'),
        (x, form) => {
          const r = validateCase({ ...x, crime_type: 'exploitation', exploitation_forms: ['labour', form], industries: [] }, { today });
          expect(r.ok).toBe(true);
          expect(r.warnings.map((w) => [w.path, w.rule])).toContainEqual(['exploitation_forms', 'exploitation_crime_form']);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('does not warn for human exploitation in labour, begging or other', () => {
    const r = validateCase({ ...base, crime_type: 'exploitation', exploitation_forms: ['labour', 'begging', 'other'] }, { today });
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('warns on contradictions a reviewer would want to see', () => {
    const rules = (x: object) => validateCase({ ...base, ...x }, { today }).warnings.map((w) => w.rule);
    expect(rules({ crime_type: 'exploitation', identified_on: '2018-03-01', exploitation_forms: ['begging'] })).toEqual([
      'exploitation_before_in_force',
    ]);
    expect(rules({ exploited_in_sweden: 'no', exploitation_countries: ['RO', 'SE'] })).toEqual(['exploited_in_sweden_conflict']);
    expect(rules({ support: { nsp: { status: 'applied', start_date: '2025-01-01' } } })).toEqual(['nsp_dates_without_grant']);
    expect(rules({ exploitation_forms: ['labour'], industries: ['unknown', 'cleaning'] })).toEqual(['unknown_with_other_codes']);
  });
});

describe('todayInStockholm', () => {
  it('uses the Stockholm calendar day, not UTC', () => {
    expect(todayInStockholm(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(todayInStockholm(new Date('2025-06-30T22:30:00Z'))).toBe('2025-07-01');
    expect(todayInStockholm(new Date('2025-06-30T21:30:00Z'))).toBe('2025-06-30');
  });

  it('a date that is tomorrow in UTC terms but today in Stockholm is not in the future', () => {
    const now = new Date('2025-12-31T23:30:00Z');
    expect(validateCase({ ...base, identified_on: '2026-01-01' }, { today: todayInStockholm(now) }).ok).toBe(true);
  });
});

describe('validateCase: the programmes and civil society (data standard 2.2)', () => {
  const nsp = { source: 'support_programme', organisation_id: 'nsp', identified_on: '2025-03-01', sex: 'female', age_group: 'adult', programme: 'nsp', programme_status: 'granted' };
  const day0 = Date.UTC(2024, 0, 1) / 86_400_000;
  const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  const arbDay = fc.integer({ min: day0, max: day0 + 900 });
  const errorsOf = (input: Record<string, unknown>) => {
    const r = validateCase(input, { today });
    return r.ok ? [] : r.errors.map((e) => [e.path, e.rule]);
  };

  for (const [period, max] of [['rest_period', 30], ['integration_period', 90]] as const) {
    it(`${period}: accepted exactly when the end is on or after the start and the period is at most ${max} days, both days counted`, () => {
      fc.assert(
        fc.property(arbDay, fc.integer({ min: -40, max: max + 40 }), (start, offset) => {
          const errors = errorsOf({ ...nsp, [`${period}_start`]: iso(start), [`${period}_end`]: iso(start + offset) });
          if (offset < 0) expect(errors).toEqual([[`${period}_end`, 'period_end_before_start']]);
          else if (offset + 1 > max) expect(errors).toEqual([[`${period}_end`, 'period_too_long']]);
          else expect(errors).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });

    it(`${period}: one date without the other names the missing one`, () => {
      fc.assert(
        fc.property(arbDay, fc.boolean(), (d, startGiven) => {
          const given = startGiven ? `${period}_start` : `${period}_end`;
          const missing = startGiven ? `${period}_end` : `${period}_start`;
          expect(errorsOf({ ...nsp, [given]: iso(d) })).toEqual([[missing, 'period_incomplete']]);
        }),
      );
    });
  }

  it('a day that does not exist is a format error naming the period field', () => {
    expect(errorsOf({ ...nsp, rest_period_start: '2025-02-29', rest_period_end: '2025-03-10' })).toEqual([['rest_period_start', 'format']]);
  });

  it('the 30-day limit tells its number in both languages', () => {
    const r = validateCase({ ...nsp, rest_period_start: '2025-03-01', rest_period_end: '2025-03-31' }, { today });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].message.sv).toContain('Betänketid i NSP: slutdatum');
    expect(r.errors[0].message.sv).toContain('högst 30 dagar');
    expect(r.errors[0].message.en).toContain('at most 30 days');
    expect(validateCase({ ...nsp, rest_period_start: '2025-03-01', rest_period_end: '2025-03-30' }, { today }).ok).toBe(true);
  });

  it('NSP periods only for NSP, the return country only for ÅMP, the programme only on a support-programme record', () => {
    fc.assert(
      fc.property(fc.constantFrom('nsp', 'amp', null), fc.boolean(), fc.boolean(), (programme, periods, country) => {
        const input: Record<string, unknown> = { ...nsp, programme };
        if (periods) Object.assign(input, { integration_period_start: '2025-01-01', integration_period_end: '2025-03-01' });
        if (country) input.return_country = 'RO';
        const expected: string[][] = programme === null ? [['programme', 'required']] : [];
        if (periods && programme !== 'nsp') expected.push(['integration_period_start', 'period_without_nsp'], ['integration_period_end', 'period_without_nsp']);
        if (country && programme !== 'amp') expected.push(['return_country', 'return_country_without_amp']);
        expect(errorsOf(input)).toEqual(expected);
      }),
    );
    expect(errorsOf({ ...base, programme: 'nsp', programme_status: 'applied' })).toEqual([
      ['programme', 'programme_without_support_programme'],
      ['programme_status', 'programme_without_support_programme'],
    ]);
  });

  it('a programme record must name its programme and its decision; the role is optional and only on a programme record', () => {
    const sources = fc.constantFrom('coordinator', 'civil_society', 'support_programme');
    const coordinatorPart = { region: 'syd', crime_type: 'trafficking', referred_by: 'police' };
    fc.assert(
      fc.property(
        sources,
        fc.constantFrom('nsp', 'amp', null),
        fc.constantFrom('applied', 'granted', 'refused', null),
        fc.constantFrom('exposed', 'accompanying_family', 'accompanying_child', null),
        (source, programme, status, role) => {
          const input: Record<string, unknown> = {
            source,
            identified_on: '2025-03-01',
            sex: 'female',
            age_group: 'adult',
            programme,
            programme_status: status,
            programme_role: role,
            ...(source === 'coordinator' ? coordinatorPart : { organisation_id: 'org-a' }),
            ...(source === 'civil_society' ? { contact_type: 'direct' } : {}),
          };
          const expected: string[][] = [];
          if (source === 'support_programme') {
            if (programme === null) expected.push(['programme', 'required']);
            if (status === null) expected.push(['programme_status', 'required']);
          } else {
            if (programme !== null) expected.push(['programme', 'programme_without_support_programme']);
            if (status !== null) expected.push(['programme_status', 'programme_without_support_programme']);
            if (role !== null) expected.push(['programme_role', 'programme_without_support_programme']);
          }
          expect(errorsOf(input)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
    const r = validateCase({ ...nsp, programme: null, programme_status: null }, { today });
    expect(!r.ok && r.errors.map((e) => e.message.sv)).toEqual(['Stödprogram måste fyllas i.', 'Ansökt eller beviljat måste fyllas i.']);
    expect(!r.ok && r.errors.map((e) => e.message.en)).toEqual(['Support programme is required.', 'Applied or granted is required.']);
    expect(errorsOf({ ...nsp, programme_role: 'bystander' })).toEqual([['programme_role', 'code']]);
  });

  it('the return country is an assigned ISO code; the world region and who identified are codes of their lists', () => {
    const amp = { ...nsp, programme: 'amp' };
    expect(errorsOf({ ...amp, return_country: 'RO' })).toEqual([]);
    expect(errorsOf({ ...amp, return_country: 'XX' })).toEqual([['return_country', 'code']]);
    expect(errorsOf({ ...amp, return_country: 'ro' })).toEqual([['return_country', 'code']]);
    const civ = { source: 'civil_society', organisation_id: 'org-a', identified_on: '2025-01-01', sex: 'female', age_group: 'adult', contact_type: 'direct' };
    expect(errorsOf({ ...civ, origin_region: 'africa', identified_by: 'regional_coordinator' })).toEqual([]);
    expect(errorsOf({ ...civ, origin_region: 'atlantis', identified_by: 'oracle' })).toEqual([['origin_region', 'code'], ['identified_by', 'code']]);
  });

  it('warns, without blocking, when a period is given for a programme not granted', () => {
    const r = validateCase({ ...nsp, programme_status: 'applied', rest_period_start: '2025-03-01', rest_period_end: '2025-03-30' }, { today });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.path, w.rule])).toEqual([['programme_status', 'period_without_grant']]);
  });
});
