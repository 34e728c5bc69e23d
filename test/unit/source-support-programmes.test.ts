// The support programmes' report: each table read over the demo's 2021–2023 records reproduces every
// figure the programmes printed for those years (test/fixtures/support-programmes-2021-2023.json, with
// each inconsistency of the print resolved as the fixture lists: the statistician's exact form); the
// demo's records are valid, 2025's carry the demo's linkage keys; the reads keep their sums for any
// records (property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/support-programmes-2021-2023.json' with { type: 'json' };
import type { CaseData } from '../../src/standard/case.ts';
import * as c from '../../src/standard/codes.ts';
import { periodLength } from '../../src/standard/periods.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { civilSocietyDemoYears } from '../../src/stats/sources/demo-civil-society.ts';
import { demoPersonKey } from '../../src/stats/sources/demo-keys.ts';
import { PROGRAMMES_2025, supportProgrammeDemoYears } from '../../src/stats/sources/demo-support-programmes.ts';
import { supportProgrammeReport } from '../../src/stats/sources/support-programmes.ts';
import type { SourceRecord, SourceTableBody, SourceTableSpec } from '../../src/stats/sources/types.ts';

type Printed = number | 'blank' | 'not printed';
type FixtureCell = { row: string; column: string; printed: Printed; value: number };
type FixtureTotal = { column: string; printed: Printed; value: number };
type FixtureTable = { id: string; cells: FixtureCell[]; totals: FixtureTotal[]; n_answered: number; n_missing: number };
const tables = fixture.tables as FixtureTable[];
const resolved = new Set(fixture.resolutions.flatMap((r) => r.cells));

const asRecords = (records: readonly CaseData[]): SourceRecord[] => records.map((r, i) => ({ ...r, id: `r${i}`, status: 'open' }));
const demoOf = (year: number) => supportProgrammeDemoYears.find((y) => y.year === year)!.records;
const allDemo = supportProgrammeDemoYears.flatMap((y) => y.records);
/** What a release of 2023 freezes: the programme records of 2021–2023 the report includes. */
const span = supportProgrammeReport.years(fixture.report_year);
const release2023 = asRecords(allDemo.filter((r) => Number(r.identified_on.slice(0, 4)) >= span.from && Number(r.identified_on.slice(0, 4)) <= span.to)).filter(
  supportProgrammeReport.includes,
);
const spec = (id: string) => {
  const t = supportProgrammeReport.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
};
const cell = (body: SourceTableBody, row: string, column: string) => {
  const r = body.rows.find((x) => x.code === row && x.column === column);
  if (!r) throw new Error(`no cell ${row}/${column}`);
  return r.count;
};

describe('support-programme report: the printed 2021–2023 figures (Jämställdhetsmyndigheten, Rapport 2024:3)', () => {
  it('freezes the report year and the two before it, and counts granted programme records only', () => {
    expect(supportProgrammeReport.years(2023)).toEqual({ from: 2021, to: 2023 });
    const r = asRecords(demoOf(2023))[0];
    expect(supportProgrammeReport.includes(r)).toBe(true);
    expect(supportProgrammeReport.includes({ ...r, programme_status: 'applied' })).toBe(false);
    expect(supportProgrammeReport.includes({ ...r, programme_status: 'refused' })).toBe(false);
    expect(supportProgrammeReport.includes({ ...r, status: 'withdrawn' })).toBe(false);
    expect(supportProgrammeReport.includes({ ...r, source: 'civil_society' })).toBe(false);
  });

  it('the fixture covers every table, each with its rows and columns, and no others', () => {
    expect(tables.map((t) => t.id).sort()).toEqual(supportProgrammeReport.tables.map((t) => t.id).sort());
    for (const t of tables) {
      const s = spec(t.id);
      const expected = s.rows.codes(2023).flatMap((r) => s.column!.codes(2023).map((col) => `${r.code}/${col.code}`));
      expect(t.cells.map((x) => `${x.row}/${x.column}`).sort(), t.id).toEqual(expected.sort());
    }
    expect(new Set(supportProgrammeReport.tables.map((t) => t.number)).size).toBe(supportProgrammeReport.tables.length);
  });

  for (const t of tables) {
    it(`${t.id}: every cell, total and base as the fixture gives them`, () => {
      const body = spec(t.id).read(release2023, 2023);
      for (const x of t.cells) expect(cell(body, x.row, x.column), `${t.id} ${x.row}/${x.column}`).toBe(x.value);
      for (const tot of t.totals) {
        const sum = body.rows.filter((r) => r.column === tot.column).reduce((s, r) => s + r.count, 0);
        expect(sum, `${t.id} total ${tot.column}`).toBe(tot.value);
      }
      expect([body.n_answered, body.n_missing]).toEqual([t.n_answered, t.n_missing]);
      expect(body.rows.every((r) => r.percent === null)).toBe(true);
    });

    it(`${t.id}: a value differs from print only where a resolution names the cell`, () => {
      for (const x of t.cells) {
        // A blank or unprinted cell, or a printed figure not kept, is the fixture's reading: a resolution says why.
        const id = `${t.id}/${x.row}/${x.column}`;
        if (x.printed !== x.value) expect(resolved.has(id), id).toBe(true);
      }
      for (const tot of t.totals) {
        const printedCells = t.cells.filter((x) => x.column === tot.column);
        if (tot.printed === 'not printed') expect(resolved.has(`${t.id}/total/${tot.column}`), `${t.id} total ${tot.column}`).toBe(true);
        else {
          expect(tot.value, `${t.id} total ${tot.column}`).toBe(tot.printed);
          // Where the printed cells do not add to the printed total, some cell of the column is resolved.
          const printedSum = printedCells.reduce((s, x) => s + (typeof x.printed === 'number' ? x.printed : 0), 0);
          if (printedSum !== tot.printed) expect(printedCells.some((x) => resolved.has(`${t.id}/${x.row}/${x.column}`)), `${t.id} ${tot.column}`).toBe(true);
        }
      }
    });
  }

  it('the inconsistencies the fixture resolves are in it as printed', () => {
    const amp = tables.find((t) => t.id === 'amp_granted')!;
    const printed2022 = amp.cells.filter((x) => x.column === '2022').reduce((s, x) => s + (x.printed as number), 0);
    expect(printed2022).toBe(33);
    expect(amp.totals.find((x) => x.column === '2022')!.printed).toBe(30);
    expect(tables.find((t) => t.id === 'nsp_forms')!.totals.find((x) => x.column === '2023')!.printed).toBe(43);
    expect(tables.find((t) => t.id === 'nsp_granted')!.totals.find((x) => x.column === '2023')!.printed).toBe(68);
    // Every resolved cell is a cell or total of the fixture.
    const known = new Set(tables.flatMap((t) => [...t.cells.map((x) => `${t.id}/${x.row}/${x.column}`), ...t.totals.map((x) => `${t.id}/total/${x.column}`)]));
    for (const id of resolved) expect(known.has(id), id).toBe(true);
  });

  it('the 2023 text: ÅMP by group, form, industry and nationality, NSP by sex and form', () => {
    const amp = demoOf(2023).filter((r) => r.programme === 'amp');
    const nsp = demoOf(2023).filter((r) => r.programme === 'nsp');
    const count = (rs: readonly CaseData[], f: (r: CaseData) => boolean) => rs.filter(f).length;
    const t = fixture.text_checks.amp_2023;
    expect(count(amp, (r) => r.sex === 'female' && r.age_group === 'adult')).toBe(t.women);
    expect(count(amp, (r) => r.sex === 'male' && r.age_group === 'adult')).toBe(t.men);
    expect(count(amp, (r) => r.programme_role === 'accompanying_child')).toBe(t.accompanying_child);
    expect(count(amp, (r) => r.programme_role === 'accompanying_family')).toBe(t.accompanying_family);
    expect(count(amp, (r) => r.industries.some((i) => i === 'forestry' || i === 'berry_picking'))).toBe(t.labour_in_forestry_and_berry_picking);
    expect(count(amp, (r) => r.nationality === 'TH')).toBe(t.thailand);
    expect(count(amp, (r) => r.return_country === null)).toBe(0);
    expect(amp.filter((r) => r.exploitation_forms.length === 2).map((r) => [...r.exploitation_forms].sort())).toEqual([['domestic_work', 'sexual']]);
    const n = fixture.text_checks.nsp_2023;
    expect(count(nsp, (r) => r.age_group === 'child')).toBe(n.children);
    expect(count(nsp, (r) => r.age_group === 'child' && r.programme_role === 'exposed')).toBe(n.exposed_children);
    expect(count(nsp, (r) => r.sex === 'female' && r.age_group === 'adult' && r.exploitation_forms.length === 2)).toBe(n.women_multiple);
  });
});

describe('support-programme demo records', () => {
  it('every record of every year passes validation without a warning, unchanged by it', () => {
    for (const { year, records } of supportProgrammeDemoYears) {
      for (const r of records) {
        const v = validateCase(r, { today: '2026-06-30' });
        expect(v.ok && v.warnings, `${year}`).toEqual([]);
        if (v.ok) expect(v.data).toEqual(r);
      }
    }
  });

  it('NSP and ÅMP records belong to demo-nsp and demo-amp, are granted and in their own year', () => {
    for (const { year, records } of supportProgrammeDemoYears) {
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(r.source).toBe('support_programme');
        expect(r.organisation_id).toBe(r.programme === 'nsp' ? 'demo-nsp' : 'demo-amp');
        expect(r.programme_status).toBe('granted');
        expect(r.identified_on.slice(0, 4)).toBe(String(year));
      }
    }
    expect(supportProgrammeDemoYears.map((y) => y.year)).toEqual([2021, 2022, 2023, 2025]);
  });

  it("NSP's exposed adults have a rest period of at most 30 days and an integration period of at most 90", () => {
    for (const r of allDemo.filter((x) => x.programme === 'nsp' && x.rest_period_start !== null)) {
      expect(periodLength(r.rest_period_start!, r.rest_period_end!)).toBeLessThanOrEqual(30);
      expect(periodLength(r.integration_period_start!, r.integration_period_end!)).toBeLessThanOrEqual(90);
      expect(r.integration_period_start! > r.rest_period_end!).toBe(true);
    }
    expect(allDemo.filter((x) => x.programme === 'nsp' && x.rest_period_start !== null).length).toBeGreaterThan(100);
  });

  it('2021–2023 have no linkage keys; 2025 has the keys of demo-keys.ts, shared persons copied from the source that knows them', () => {
    for (const year of [2021, 2022, 2023]) expect(demoOf(year).every((r) => r.linkage_key === null)).toBe(true);
    const r2025 = demoOf(2025);
    const numberOf = new Map<string, number>();
    for (const n of [...PROGRAMMES_2025.amp.shared, ...PROGRAMMES_2025.nsp.shared]) numberOf.set(demoPersonKey(n), n);
    for (let n = 200000; n < 200200; n++) numberOf.set(demoPersonKey(n), n);
    const numbers = r2025.map((r) => numberOf.get(r.linkage_key ?? ''));
    expect(numbers.every((n) => n !== undefined)).toBe(true);
    expect(new Set(numbers).size).toBe(r2025.length);
    const shared = numbers.filter((n) => n! < 200000 || n! >= 300000).sort((a, b) => a! - b!);
    const expected = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => 60 + i), ...Array.from({ length: 20 }, (_, i) => 300000 + i)];
    expect(shared).toEqual(expected);
    const coordinator = generateDemoCases();
    const civil = new Map(civilSocietyDemoYears.find((y) => y.year === 2025)!.records.map((r) => [r.linkage_key, r]));
    r2025.forEach((r, i) => {
      const n = numbers[i]!;
      const from = n < 200000 ? coordinator[n] : n >= 300000 ? civil.get(r.linkage_key) : undefined;
      if (from) expect([r.sex, r.age_group, r.age, r.nationality]).toEqual([from.sex, from.age_group, from.age, from.nationality]);
      else expect(n).toBeGreaterThanOrEqual(200000);
    });
    // 300000..300019 are the civil-society persons granted NSP support.
    for (const r of r2025.filter((x) => numberOf.get(x.linkage_key!)! >= 300000)) expect(r.programme).toBe('nsp');
  });

  it('2025 is of the size and mix of the printed years', () => {
    const r2025 = demoOf(2025);
    const amp = r2025.filter((r) => r.programme === 'amp');
    const nsp = r2025.filter((r) => r.programme === 'nsp');
    expect(amp.length).toBeGreaterThanOrEqual(45);
    expect(amp.length).toBeLessThanOrEqual(75);
    expect(nsp.length).toBeGreaterThanOrEqual(55);
    expect(nsp.length).toBeLessThanOrEqual(85);
    expect(amp.filter((r) => r.exploitation_forms.includes('labour')).length).toBeGreaterThan(amp.length / 3);
    expect(amp.some((r) => r.programme_role === 'accompanying_child') && amp.some((r) => r.programme_role === 'accompanying_family')).toBe(true);
    expect(nsp.filter((r) => r.age_group === 'child').length).toBeGreaterThan(nsp.length / 4);
  });
});

// Property tests: any granted or not, any programme, any year around the report's.
const arbRecord: fc.Arbitrary<SourceRecord> = fc
  .record({
    year: fc.integer({ min: 2019, max: 2026 }),
    day: fc.integer({ min: 1, max: 28 }),
    sex: fc.constantFrom(...c.sex.codes),
    age_group: fc.constantFrom(...c.ageGroup.codes),
    programme: fc.constantFrom(...c.programme.codes),
    programme_status: fc.constantFrom(...c.programmeStatus.codes),
    programme_role: fc.option(fc.constantFrom(...c.programmeRole.codes), { nil: null }),
    exploitation_forms: fc.uniqueArray(fc.constantFrom(...c.exploitationForm.codes), { maxLength: 3 }),
    source: fc.constantFrom<c.SourceCode>('support_programme', 'support_programme', 'support_programme', 'civil_society'),
  })
  .map(({ year, day, ...r }) => ({
    ...asRecords(demoOf(2023))[0],
    ...r,
    identified_on: `${year}-03-${String(day).padStart(2, '0')}`,
    id: 'x',
    status: 'open' as const,
  }));
const arbRecords = fc.array(arbRecord, { maxLength: 60 }).map((rs) => rs.map((r, i) => ({ ...r, id: `p${i}` })));
const arbYear = fc.integer({ min: 2021, max: 2025 });
const key = (r: { code: string; column?: string }) => `${r.code}/${r.column}`;
const sum = (b: SourceTableBody) => b.rows.reduce((s, r) => s + r.count, 0);

describe('support-programme tables: properties', () => {
  const each = (f: (t: SourceTableSpec) => void) => supportProgrammeReport.tables.forEach(f);

  it('every table: every cell of its rows × columns once, counts never negative, rows add to those who answered', () => {
    fc.assert(
      fc.property(arbRecords, arbYear, (rs, year) => {
        each((t) => {
          const b = t.read(rs, year);
          expect(t.multi).toBe(false);
          const cells = t.rows.codes(year).flatMap((r) => t.column!.codes(year).map((col) => `${r.code}/${col.code}`));
          expect(b.rows.map(key).sort()).toEqual(cells.sort());
          expect(b.rows.every((r) => Number.isInteger(r.count) && r.count >= 0)).toBe(true);
          expect(sum(b)).toBe(b.n_answered);
          expect(b.n_missing).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('removing one record lowers exactly its own cell by one (or, if it was counted nowhere, no cell), and its base by at most one', () => {
    fc.assert(
      fc.property(arbRecords.filter((rs) => rs.length > 0), arbYear, fc.nat(), (rs, year, pick) => {
        const i = pick % rs.length;
        const without = rs.filter((_, j) => j !== i);
        each((t) => {
          const before = t.read(rs, year);
          const after = t.read(without, year);
          const lowered = before.rows.filter((r, k) => after.rows[k].count !== r.count);
          expect(lowered.length).toBeLessThanOrEqual(1);
          for (const r of lowered) expect(after.rows[before.rows.indexOf(r)].count).toBe(r.count - 1);
          const alone = t.read([rs[i]], year);
          expect(lowered.map(key)).toEqual(alone.rows.filter((r) => r.count === 1).map(key));
          expect(before.n_answered - after.n_answered).toBe(alone.n_answered);
          expect(before.n_missing - after.n_missing).toBe(alone.n_missing);
          expect(alone.n_answered + alone.n_missing).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('records not granted, of another source or of a year not shown change no table', () => {
    fc.assert(
      fc.property(arbRecords, arbRecord, arbYear, (rs, extra, year) => {
        const shown = Number(extra.identified_on.slice(0, 4));
        fc.pre(extra.programme_status !== 'granted' || extra.source !== 'support_programme' || shown < year - 2 || shown > year);
        each((t) => expect(t.read([...rs, extra], year)).toEqual(t.read(rs, year)));
      }),
      { numRuns: 150 },
    );
  });

  it("ÅMP's tables place every granted ÅMP person of a shown year: each year's column adds to that year's persons in both", () => {
    fc.assert(
      fc.property(arbRecords, arbYear, (rs, year) => {
        const forms = spec('amp_forms').read(rs, year);
        const groups = spec('amp_granted').read(rs, year);
        expect(forms.n_missing).toBe(0);
        for (let y = year - 2; y <= year; y++) {
          const persons = rs.filter((r) => r.source === 'support_programme' && r.programme === 'amp' && r.programme_status === 'granted' && r.identified_on.startsWith(`${y}-`));
          expect(forms.rows.filter((r) => r.column === String(y)).reduce((s, r) => s + r.count, 0)).toBe(persons.length);
          const inGroups = groups.rows.filter((r) => r.column === String(y)).reduce((s, r) => s + r.count, 0);
          expect(inGroups).toBe(persons.filter((r) => (r.sex === 'female' || r.sex === 'male') && r.age_group !== 'unknown').length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("NSP by sex is the report year's column of NSP's forms, less the adults of another or unknown sex", () => {
    fc.assert(
      fc.property(arbRecords, arbYear, (rs, year) => {
        const forms = spec('nsp_forms').read(rs, year);
        const bySex = spec('nsp_forms_sex').read(rs, year);
        for (const row of spec('nsp_forms').rows.codes(year)) {
          const total = cell(forms, row.code, String(year));
          const split = cell(bySex, row.code, 'woman') + cell(bySex, row.code, 'man');
          expect(split).toBeLessThanOrEqual(total);
        }
        const otherSex = rs.filter(
          (r) =>
            r.source === 'support_programme' && r.programme === 'nsp' && r.programme_status === 'granted' && r.identified_on.startsWith(`${year}-`) &&
            r.age_group === 'adult' && r.programme_role !== 'accompanying_family' && r.programme_role !== 'accompanying_child' &&
            r.exploitation_forms.length > 0 && r.sex !== 'female' && r.sex !== 'male',
        ).length;
        expect(bySex.n_answered + otherSex).toBe(forms.rows.filter((r) => r.column === String(year)).reduce((s, r) => s + r.count, 0));
      }),
      { numRuns: 150 },
    );
  });
});
