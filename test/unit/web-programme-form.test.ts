// The case form's model for civil society and the programmes: the source follows the role, fields
// the rules leave out are sent empty, and the start page's periods match the data standard's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyCase, endingPeriods, fromRecord, sourceOfRole, stockholmToday, toPayload } from '../../web/src/caseModel.ts';
import { caseRules } from '../../src/standard/rules.ts';
import { addDays, periodsEndingWithin } from '../../src/standard/periods.ts';
import { todayInStockholm } from '../../src/standard/validate.ts';

const rules = caseRules();
const arbDate = fc.integer({ min: Date.UTC(2018, 0, 1) / 864e5, max: Date.UTC(2030, 11, 31) / 864e5 }).map((n) => new Date(n * 864e5).toISOString().slice(0, 10));

describe('the programme and civil-society form model', () => {
  it('takes the source from the role', () => {
    expect(sourceOfRole('coordinator')).toBe('coordinator');
    expect(sourceOfRole('organisation_reporter')).toBe('civil_society');
    expect(sourceOfRole('programme_officer')).toBe('support_programme');
    expect(sourceOfRole('statistician')).toBeNull();
    expect(emptyCase('', 'support_programme', 'nsp')).toMatchObject({ source: 'support_programme', organisation_id: 'nsp' });
  });

  it('sends NSP periods only for NSP, the return country only for ÅMP, and no programme fields for civil society', () => {
    const f = { ...emptyCase('', 'support_programme', 'nsp'), programme: 'amp', programme_status: 'granted', rest_period_start: '2025-01-01', rest_period_end: '2025-01-30', return_country: 'RO' };
    expect(toPayload(f, rules)).toMatchObject({ programme: 'amp', rest_period_start: null, rest_period_end: null, return_country: 'RO' });
    expect(toPayload({ ...f, programme: 'nsp' }, rules)).toMatchObject({ rest_period_start: '2025-01-01', rest_period_end: '2025-01-30', return_country: null });
    expect(toPayload({ ...f, source: 'civil_society' }, rules)).toMatchObject({ programme: null, programme_status: null, return_country: null, rest_period_end: null });
    const back = fromRecord(toPayload({ ...f, programme: 'nsp' }, rules) as Record<string, unknown>);
    expect(back).toMatchObject({ programme: 'nsp', rest_period_end: '2025-01-30', return_country: '' });
  });

  it("the start page's periods are the data standard's (periodsEndingWithin)", () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: -15, max: 15 }), fc.option(fc.integer({ min: -15, max: 15 }), { nil: null }), (today, a, b) => {
        const r = { rest_period_start: null, rest_period_end: addDays(today, a), integration_period_start: null, integration_period_end: b === null ? null : addDays(today, b) };
        expect(endingPeriods(r, today, 7)).toEqual(periodsEndingWithin(r, today, 7));
      }),
    );
    expect(stockholmToday(new Date('2025-12-31T23:30:00Z'))).toBe(todayInStockholm(new Date('2025-12-31T23:30:00Z')));
  });
});
