// The programme and civil-society fields in the CSV interchange format: written as codes, read back
// unchanged, and read from Swedish or English labels typed by hand.
import { describe, expect, it } from 'vitest';
import { casesToCsv, csvColumns, parseCasesCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';

const today = '2026-06-15';

describe('CSV: programme and civil-society fields', () => {
  it('round-trips an NSP record with both periods, an ÅMP record with its return country and a civil-society record', () => {
    const inputs = [
      { source: 'support_programme', organisation_id: 'nsp', identified_on: '2025-03-01', sex: 'female', age_group: 'adult', programme: 'nsp', programme_status: 'granted', rest_period_start: '2025-03-01', rest_period_end: '2025-03-30', integration_period_start: '2025-03-31', integration_period_end: '2025-06-28', origin_region: 'africa' },
      { source: 'support_programme', organisation_id: 'iom', identified_on: '2025-04-01', sex: 'male', age_group: 'adult', programme: 'amp', programme_status: 'applied', return_country: 'RO' },
      { source: 'civil_society', organisation_id: 'org-a', identified_on: '2025-05-01', sex: 'female', age_group: 'adult', contact_type: 'indirect', identified_by: 'other_organisation', origin_region: 'eu' },
    ];
    const records = inputs.map((i) => {
      const r = validateCase(i, { today });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.data;
    });
    const csv = casesToCsv(records);
    for (const col of ['programme', 'programme_status', 'rest_period_start', 'rest_period_end', 'integration_period_start', 'integration_period_end', 'return_country', 'origin_region', 'identified_by'])
      expect(csvColumns).toContain(col);
    const back = parseCasesCsv(csv, { today });
    expect(back.headerErrors).toEqual([]);
    expect(back.rows.map((r) => r.data)).toEqual(records);
  });

  it('reads labels in either language and names the column of a refused period', () => {
    const header = 'source,organisation_id,identified_on,sex,age_group,programme,programme_status,return_country,rest_period_start,rest_period_end,origin_region';
    const text = [header, '"Stödprogram (NSP, ÅMP)",iom,2025-04-01,Man/pojke,Vuxen,Återvändandeprogram (ÅMP),Beviljat,Rumänien,,,Övriga Europa', 'support_programme,iom,2025-04-01,male,adult,AMP,granted,Romania,2025-04-01,2025-04-10,Rest of Europe'].join('\n');
    const { rows } = parseCasesCsv(text, { today });
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].data).toMatchObject({ programme: 'amp', programme_status: 'granted', return_country: 'RO', origin_region: 'other_europe' });
    expect(rows[1].errors.map((e) => [e.path, e.rule])).toEqual([
      ['rest_period_start', 'period_without_nsp'],
      ['rest_period_end', 'period_without_nsp'],
    ]);
  });
});
