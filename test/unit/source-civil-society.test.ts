// The civil-society report: each table read over the demo's 2024 records reproduces the figures the
// platform printed for 2024 (test/fixtures/civil-society-2024.json: the statistician's exact form),
// the demo's records are valid and carry the demo's linkage keys in 2025, and the reads keep the
// denominator rule for any records (property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/civil-society-2024.json' with { type: 'json' };
import type { CaseData } from '../../src/standard/case.ts';
import * as c from '../../src/standard/codes.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { worldRegionOf } from '../../src/standard/world-regions.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { civilSocietyReport, formGroupOf, percent1, rightsReceived } from '../../src/stats/sources/civil-society.ts';
import { civilSocietyDemoYears, DEMO_CIVIL_SOCIETY_ORGANISATION } from '../../src/stats/sources/demo-civil-society.ts';
import { demoPersonKey } from '../../src/stats/sources/demo-keys.ts';
import type { SourceRecord, SourceTableBody } from '../../src/stats/sources/types.ts';
import { arbCaseData } from '../support/arbitraries.ts';

type PrintedRow = { count?: number; percent?: number; reproduced?: number; more_than?: number };
type PrintedTable = {
  decimals?: number;
  n_answered?: number;
  percent_of?: 'rights_received';
  rows: Record<string, PrintedRow>;
  largest_row?: string;
  printed_unknown?: number;
};
const printed = fixture.tables as Record<string, PrintedTable>;

const asRecords = (records: readonly CaseData[]): SourceRecord[] => records.map((r, i) => ({ ...r, id: `r${i}`, status: 'open' }));
const year2024 = civilSocietyDemoYears.find((y) => y.year === 2024)!.records;
const year2025 = civilSocietyDemoYears.find((y) => y.year === 2025)!.records;
const records = asRecords(year2024);
const table = (id: string) => civilSocietyReport.tables.find((t) => t.id === id)!;
const read = (id: string, rs: readonly SourceRecord[] = records) => table(id).read(rs, 2024);
const row = (body: SourceTableBody, code: string) => {
  const r = body.rows.find((x) => x.code === code);
  if (!r) throw new Error(`no row ${code}`);
  return r;
};

/** count/answered as a percent rounded half-up to `decimals` places, exactly (integers only). */
function rounded(count: number, answered: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.floor((200 * scale * count + answered) / (2 * answered)) / scale;
}

describe('civil-society report: the declaration', () => {
  it('numbers and names its tables once each and reads the year alone', () => {
    const ids = civilSocietyReport.tables.map((t) => t.id);
    const numbers = civilSocietyReport.tables.map((t) => t.number);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(civilSocietyReport.years(2024)).toEqual({ from: 2024, to: 2024 });
    expect(civilSocietyReport.source).toBe('civil_society');
    for (const t of civilSocietyReport.tables) {
      const codes = t.rows.codes(2024).map((x) => x.code);
      expect(new Set(codes).size, t.id).toBe(codes.length);
      expect(t.unit).toBe('person');
    }
  });

  it('includes every non-withdrawn civil-society record and nothing else', () => {
    const r = records[0];
    expect(civilSocietyReport.includes(r)).toBe(true);
    expect(civilSocietyReport.includes({ ...r, status: 'closed' })).toBe(true);
    expect(civilSocietyReport.includes({ ...r, status: 'withdrawn' })).toBe(false);
    expect(civilSocietyReport.includes({ ...r, source: 'coordinator' })).toBe(false);
    expect(civilSocietyReport.includes({ ...r, source: 'support_programme' })).toBe(false);
  });

  it('has a printed figure or a stated loss in the fixture for every table, and no figure for a table it lacks', () => {
    expect(Object.keys(printed).sort()).toEqual(civilSocietyReport.tables.map((t) => t.id).sort());
  });
});

describe('civil-society report over the demo 2024 records reproduces the printed 2024 figures', () => {
  for (const [id, p] of Object.entries(printed)) {
    it(`${id}`, () => {
      const body = read(id);
      if (p.n_answered !== undefined) expect(body.n_answered).toBe(p.n_answered);
      const rightsTotal = body.rows.reduce((s, r) => s + r.count, 0);
      for (const [code, want] of Object.entries(p.rows)) {
        const got = row(body, code);
        if (want.count !== undefined) expect([code, got.count]).toEqual([code, want.count]);
        if (want.percent === undefined) continue;
        const decimals = p.decimals ?? 1;
        if (p.percent_of === 'rights_received') {
          // The print's shares of all rights received; the report's percent is of persons.
          expect([code, rounded(got.count, rightsTotal, decimals)]).toEqual([code, want.percent]);
          expect(got.percent).toBe(percent1(got.count, body.n_answered));
          continue;
        }
        // As printed, from the exact count (never from the one-decimal percent: no double rounding) …
        expect([code, rounded(got.count, body.n_answered, decimals)]).toEqual([code, want.reproduced ?? want.percent]);
        // … and the report's own one-decimal percent agrees.
        if (decimals === 1) expect([code, got.percent]).toEqual([code, want.reproduced ?? want.percent]);
        if (want.more_than !== undefined) expect(got.percent!).toBeGreaterThan(want.more_than);
      }
      if (p.largest_row) {
        const max = Math.max(...body.rows.map((r) => r.count));
        expect(body.rows.filter((r) => r.count === max).map((r) => r.code)).toEqual([p.largest_row]);
      }
      if (p.printed_unknown !== undefined) expect(body.n_missing).toBeGreaterThanOrEqual(p.printed_unknown);
    });
  }

  it('reproduces only within 0.1 the figures the fixture says cannot be reached, and says why', () => {
    for (const [id, p] of Object.entries(printed))
      for (const [code, want] of Object.entries(p.rows))
        if (want.reproduced !== undefined) expect([id, code, Math.round(Math.abs(want.reproduced - want.percent!) * 10) <= 1]).toEqual([id, code, true]);
    const explained = fixture.resolutions.map((r) => r.figure).join('\n');
    expect(explained).toMatch(/civil-society support/);
    expect(explained).toMatch(/12,8/);
  });

  it('rights: the report prints percent of the 49 persons, and the print’s shares of rights received add to 100', () => {
    const body = read('rights');
    expect(body.rows.map((r) => r.count)).toEqual([37, 37, 21, 11]);
    expect(body.rows.map((r) => r.percent)).toEqual([75.5, 75.5, 42.9, 22.4]);
  });

  const t = fixture.text;
  const direct = year2024.filter((r) => r.contact_type === 'direct');
  const isEu = (r: CaseData) => r.nationality !== null && worldRegionOf(r.nationality) === 'eu';

  it('text: the contacts without follow-up, the directly exposed minors, women of all directly exposed', () => {
    expect(direct.filter((r) => r.support === null)).toHaveLength(t.direct_without_follow_up.count);
    const minors = direct.filter((r) => r.age_group === 'child');
    expect(minors.filter((r) => r.exploitation_forms.includes('sexual'))).toHaveLength(t.direct_minors_sexual.count);
    expect(minors.filter((r) => r.exploited_in_sweden === 'yes')).toHaveLength(t.direct_minors_exploited_in_sweden.count);
    expect(rounded(direct.filter((r) => r.sex === 'female').length, direct.length, 0)).toBe(t.female_of_all_direct_percent.percent);
  });

  it('text: nationalities, the largest countries of origin', () => {
    const byCountry = new Map<string, number>();
    for (const r of year2024) if (r.nationality) byCountry.set(r.nationality, (byCountry.get(r.nationality) ?? 0) + 1);
    expect(byCountry.size).toBe(t.nationalities.count);
    const ranked = [...byCountry].sort((a, b) => b[1] - a[1]);
    expect([ranked[0][0], ranked[1][0]]).toEqual([t.largest_origin_country.first, t.largest_origin_country.second]);
    expect(ranked[1][1]).toBeGreaterThan(ranked[2][1]);
  });

  it('text: sexual and labour exploitation in Sweden by country of birth', () => {
    const sexual = direct.filter((r) => formGroupOf(r.exploitation_forms) === 'sexual' && r.exploited_in_sweden === 'yes');
    const s = t.sexual_in_sweden;
    expect(sexual).toHaveLength(s.count);
    const se = sexual.filter((r) => r.nationality === 'SE').length;
    const eu = sexual.filter((r) => isEu(r) && r.nationality !== 'SE').length;
    const outside = sexual.filter((r) => r.nationality !== null && !isEu(r)).length;
    expect([se, eu, outside]).toEqual([s.born_in_sweden, s.born_in_eu, s.born_outside_eu]);
    expect([rounded(se, s.count, 0), rounded(eu, s.count, 0), rounded(outside, s.count, 0)]).toEqual([
      s.percent.born_in_sweden,
      s.percent.born_in_eu,
      s.percent.born_outside_eu,
    ]);
    const labour = direct.filter((r) => formGroupOf(r.exploitation_forms) === 'labour' && r.exploited_in_sweden === 'yes');
    expect(labour).toHaveLength(t.labour_in_sweden.count);
    expect(rounded(labour.filter((r) => r.nationality !== null && !isEu(r)).length, labour.length, 0)).toBe(t.labour_in_sweden.born_outside_eu_percent);
  });

  it('text: persons with social-services support, NSP, why, several offences', () => {
    const supportCodes = new Set(['social_worker_support', 'applied', 'financial_assistance', 'protected_housing', 'emergency_housing', 'emergency_assistance', 'mika_evonhuset']);
    const got = year2024.map((r) => (r.support?.social_services ?? []).filter((x) => supportCodes.has(x)).length);
    expect(got.filter((n) => n > 0)).toHaveLength(t.social_services_persons.persons_with_support);
    expect(got.filter((n) => n > 1)).toHaveLength(t.social_services_persons.persons_with_several);
    expect(year2024.filter((r) => r.support?.nsp?.status === 'granted')).toHaveLength(t.nsp_granted.count);
    const why = read('why_civil_society');
    expect(rounded(row(why, 'more_than_offered').count + row(why, 'refused_by_authorities').count, why.n_answered, 0)).toBe(
      t.why_insufficient_or_none_percent.percent,
    );
    const reported = year2024.filter((r) => r.support?.police_report === 'yes');
    const several = reported.filter((r) => r.support!.offence_reported.length > 1).length / reported.length;
    expect(Math.abs(several - t.offences_several_share.about)).toBeLessThan(0.05);
  });
});

describe('civil-society demo records', () => {
  const today = '2026-06-30';

  it('are valid, without warnings, in both years', () => {
    for (const { year, records: rs } of civilSocietyDemoYears) {
      for (const r of rs) {
        const v = validateCase(r, { today });
        expect(v.ok ? [] : v.errors.map((e) => `${e.path} ${e.rule}`), `${year}`).toEqual([]);
        expect(v.warnings.map((w) => `${w.path} ${w.rule}`)).toEqual([]);
        // Validation changes nothing: the demo's records are stored as they are.
        if (v.ok) expect(v.data).toEqual(r);
        expect(r.source).toBe('civil_society');
        expect(r.organisation_id).toBe(DEMO_CIVIL_SOCIETY_ORGANISATION);
        expect(Number(r.identified_on.slice(0, 4))).toBe(year);
      }
    }
  });

  it('are the same on every run', async () => {
    const { generateCivilSociety2024 } = await import('../../src/stats/sources/demo-civil-society.ts');
    expect(generateCivilSociety2024()).toEqual(year2024);
  });

  it('2025 carries the linkage keys of the demo convention, the coordinators’ persons 0..59 as the coordinators know them', () => {
    const keys = year2025.map((r) => r.linkage_key);
    expect(new Set(keys).size).toBe(year2025.length);
    const expected = [
      ...Array.from({ length: 60 }, (_, n) => n),
      ...Array.from({ length: 20 }, (_, i) => 300000 + i),
      ...Array.from({ length: year2025.length - 80 }, (_, i) => 100000 + i),
    ].map(demoPersonKey);
    expect(new Set(keys)).toEqual(new Set(expected));
    const coordinators = generateDemoCases();
    const byKey = new Map(year2025.map((r) => [r.linkage_key, r]));
    for (let n = 0; n < 60; n++) {
      const civ = byKey.get(demoPersonKey(n))!;
      const coo = coordinators[n];
      expect([civ.sex, civ.age_group, civ.age, civ.nationality], `person ${n}`).toEqual([coo.sex, coo.age_group, coo.age, coo.nationality]);
      expect(civ.contact_type).toBe('direct');
      expect(civ.support?.coordinator_contact).toBe('yes');
    }
    for (let i = 0; i < 20; i++) expect(byKey.get(demoPersonKey(300000 + i))!.support?.nsp?.status).toBe('granted');
    // 2025 keeps 2024's shape: direct and indirect, every table answered by some.
    const rs = asRecords(year2025);
    expect(read('contacts', rs).rows.map((r) => r.count)).toEqual([395, 36]);
    for (const t of civilSocietyReport.tables) expect([t.id, t.read(rs, 2025).n_answered > 0]).toEqual([t.id, true]);
  });
});

describe('civil-society reads keep the denominator rule (property tests)', () => {
  const arbRecord = fc
    .tuple(
      arbCaseData({ source: 'civil_society', today: '2025-12-31' }),
      fc.option(fc.constantFrom(...c.worldRegion.codes), { nil: null }),
      fc.option(fc.constantFrom(...c.identifiedBy.codes), { nil: null }),
    )
    .map(([r, origin, identified]): CaseData => ({ ...r, origin_region: origin, identified_by: identified }));
  const arbRecords = fc.array(arbRecord, { maxLength: 40 }).map(asRecords);

  /** Who each table asks: its base. */
  const baseOf = (id: string, rs: readonly SourceRecord[]): number => {
    const direct = rs.filter((r) => r.contact_type === 'direct');
    if (['age', 'sex', 'exploitation_form', 'exploited_in_sweden', 'police_report'].includes(id)) return direct.length;
    if (id === 'minors') return rs.filter((r) => r.age_group === 'child').length;
    if (id === 'offence_reported' || id === 'legal_status') return direct.filter((r) => r.support?.police_report === 'yes').length;
    return rs.length;
  };

  it('percent is count of those who answered to one decimal; single-answer rows add to those who answered; answered + missing is the base', () => {
    fc.assert(
      fc.property(arbRecords, (rs) => {
        for (const t of civilSocietyReport.tables) {
          const body = t.read(rs, 2025);
          expect(body.n_answered + body.n_missing, t.id).toBe(baseOf(t.id, rs));
          expect(body.n_answered).toBeGreaterThanOrEqual(0);
          expect(body.n_missing).toBeGreaterThanOrEqual(0);
          expect(body.rows.map((r) => r.code)).toEqual(t.rows.codes(2025).map((x) => x.code));
          for (const r of body.rows) {
            expect(r.count).toBeLessThanOrEqual(body.n_answered);
            expect(r.percent).toBe(body.n_answered === 0 ? null : rounded(r.count, body.n_answered, 1));
          }
          const sum = body.rows.reduce((s, r) => s + r.count, 0);
          if (!t.multi) expect(sum, t.id).toBe(body.n_answered);
          else expect(sum).toBeGreaterThanOrEqual(t.id === 'rights' ? 0 : body.n_answered);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a list question counts each answering person once per row, however the list is written', () => {
    fc.assert(
      fc.property(arbRecords, (rs) => {
        const body = read('civil_society_support', rs);
        for (const code of c.civilSocietySupport.codes)
          expect(row(body, code).count).toBe(rs.filter((r) => r.support?.civil_society_support.includes(code)).length);
        expect(body.n_answered).toBe(rs.filter((r) => (r.support?.civil_society_support.length ?? 0) > 0).length);
      }),
      { numRuns: 100 },
    );
  });

  it('rights: answered when any of the four is answered; counted when received', () => {
    fc.assert(
      fc.property(arbRecords, (rs) => {
        const body = read('rights', rs);
        expect(body.n_answered).toBe(rs.filter((r) => rightsReceived(r) !== null).length);
        expect(row(body, 'reflection_period').count).toBe(rs.filter((r) => r.support?.reflection_period === 'granted').length);
        expect(row(body, 'coordinator_contact').count).toBe(rs.filter((r) => r.support?.coordinator_contact === 'yes').length);
      }),
      { numRuns: 100 },
    );
  });

  it('percent1 rounds half-up to one decimal, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 0, max: 100000 }), (answered, c0) => {
        const count = c0 % (answered + 1);
        const k = Math.round(percent1(count, answered)! * 10);
        // (k − ½)/10 ≤ 100·count/answered < (k + ½)/10, in integers.
        expect((2 * k - 1) * answered).toBeLessThanOrEqual(2000 * count);
        expect(2000 * count).toBeLessThan((2 * k + 1) * answered);
      }),
    );
    expect(percent1(9, 70)).toBe(12.9);
    expect(percent1(1, 8)).toBe(12.5);
    expect(percent1(1, 16)).toBe(6.3);
    expect(percent1(0, 0)).toBeNull();
  });
});
