import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { codeLists, type CodeEntry } from '../../src/standard/codes.ts';
import { countryList } from '../../src/standard/countries.ts';
import { casesToCsv, csvColumns, formatProblem, parseCasesCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { arbCaseData } from '../support/arbitraries.ts';

const today = '2026-06-15';
const validData = () => arbCaseData({ today });

const header = (cols: string[]) => cols.join(',');
const minimalCols = ['source', 'region', 'identified_on', 'crime_type', 'sex', 'age_group', 'referred_by'];

describe('CSV export and import', () => {
  it('round-trips arbitrary valid cases losslessly', () => {
    fc.assert(
      fc.property(fc.array(validData(), { minLength: 1, maxLength: 12 }), (cases) => {
        const { headerErrors, rows } = parseCasesCsv(casesToCsv(cases), { today });
        expect(headerErrors).toEqual([]);
        expect(rows.map((r) => r.errors)).toEqual(cases.map(() => []));
        expect(rows.map((r) => r.data)).toEqual(cases);
        expect(rows.map((r) => r.line)).toEqual(cases.map((_, i) => i + 2));
      }),
      { numRuns: 150 },
    );
  });

  it('writes a BOM, the header of csvColumns and CRLF rows; system columns are written and ignored on import', () => {
    const data = validateCase(
      { source: 'coordinator', region: 'ost', identified_on: '2025-02-03', crime_type: 'exploitation', sex: 'male', age: 34, age_group: 'adult', referred_by: 'police', exploitation_forms: ['labour', 'begging'], industries: ['berry_picking'], related_children: [{ location: 'abroad', age_band: '0_11' }, { location: 'abroad', age_band: '0_11' }], workplace_inspection: false, support: { nsp: { status: 'granted', start_date: '2025-02-10', end_date: '2025-05-10' } } },
      { today },
    );
    if (!data.ok) throw new Error('fixture invalid');
    const record = { ...data.data, id: '01J0000000000000000000000', reference: 'OST-2025-0001', version: 3, status: 'closed' as const, created_at: '2025-02-03T10:00:00Z', updated_at: '2025-03-01T10:00:00Z', created_by: 'user-1' };
    const csv = casesToCsv([record]);
    expect(csv.startsWith('\ufeff' + csvColumns.join(',') + '\r\n')).toBe(true);
    expect(csvColumns.slice(-7)).toEqual(['id', 'reference', 'version', 'status', 'created_at', 'updated_at', 'created_by']);
    expect(csvColumns).toContain('support.nsp.start_date');
    const row = csv.split('\r\n')[1].split(',');
    const cell = (col: string) => row[csvColumns.indexOf(col)];
    expect(cell('exploitation_forms')).toBe('labour;begging');
    expect(cell('related_children')).toBe('abroad:0_11;abroad:0_11');
    expect(cell('workplace_inspection')).toBe('false');
    expect(cell('support.nsp.end_date')).toBe('2025-05-10');
    expect(cell('reference')).toBe('OST-2025-0001');
    expect(cell('nationality')).toBe('');
    const back = parseCasesCsv(csv, { today });
    expect(back.rows[0].data).toEqual(data.data);
  });

  it('guards cells that a spreadsheet would read as a formula', () => {
    // No valid field can start with = + - @ any more (linkage keys are 64 hex characters); the guard
    // stays for whatever a record holds, so the writer is tested with records that bypass validation.
    const r = validateCase({ source: 'support_programme', organisation_id: 'nsp-a', identified_on: '2024-01-01', sex: 'female', age_group: 'adult', programme: 'nsp', programme_status: 'granted', linkage_key: null }, { today });
    if (!r.ok) throw new Error('fixture invalid');
    const csv = casesToCsv(['+abc/def==', '-abcdefgh', '=HYPERLINK', '@SUM(A1)'].map((k) => ({ ...r.data, linkage_key: k })));
    expect(csv).toContain(",'+abc/def==");
    expect(csv).toContain(",'=HYPERLINK");
    expect(csv).not.toMatch(/,[=+\-@]/);
    // Read back, each is the linkage key it was (refused as not 64 hex characters, naming the field).
    const rows = parseCasesCsv(csv, { today }).rows;
    expect(rows.map((x) => x.errors?.map((e) => e.path))).toEqual([['linkage_key'], ['linkage_key'], ['linkage_key'], ['linkage_key']]);
  });

  it('accepts a file with or without BOM, LF or CRLF, and skips blank and all-empty rows', () => {
    const rows = ['coordinator,syd,2025-01-05,trafficking,female,adult,police', 'coordinator,mitt,2025-01-06,exploitation,male,adult,unknown'];
    const variants = [
      [header(minimalCols), ...rows].join('\n'),
      '\ufeff' + [header(minimalCols), ...rows].join('\r\n') + '\r\n',
      [header(minimalCols), rows[0], '', ',,,,,,', rows[1], ''].join('\n'),
    ];
    for (const text of variants) {
      const r = parseCasesCsv(text, { today });
      expect(r.headerErrors).toEqual([]);
      expect(r.rows.map((x) => [x.data?.organisation_id, x.data?.region])).toEqual([
        ['rk-syd', 'syd'],
        ['rk-mitt', 'mitt'],
      ]);
    }
    expect(parseCasesCsv([header(minimalCols), rows[0], '', rows[1]].join('\n'), { today }).rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('reads an empty cell as not answered and an empty list cell as the empty list', () => {
    const cols = [...minimalCols, 'age', 'exploitation_forms', 'industries', 'nationality', 'related_children', 'support.police_report'];
    const r = parseCasesCsv([header(cols), 'coordinator,syd,2025-01-05,trafficking,female,adult,police,,,,,,'].join('\n'), { today });
    const d = r.rows[0].data!;
    expect(r.rows[0].errors).toEqual([]);
    expect([d.age, d.exploitation_forms, d.industries, d.nationality, d.related_children, d.support]).toEqual([null, [], [], null, [], null]);
  });

  it('a required field left empty is an error naming that column', () => {
    const r = parseCasesCsv([header(minimalCols), 'coordinator,syd,2025-01-05,trafficking,,adult,police'].join('\n'), { today });
    expect(r.rows[0].data).toBeNull();
    expect(r.rows[0].errors.map((e) => formatProblem(r.rows[0].line, e, 'en'))).toEqual([
      'line 2: sex: Sex is required. Choose “Unknown” if it is not known.',
    ]);
  });
});

describe('CSV labels', () => {
  const cols = [
    'source', 'region', 'identified_on', 'crime_type', 'sex', 'age', 'age_group', 'exploitation_forms', 'industries', 'nationality',
    'exploited_in_sweden', 'exploitation_countries', 'referred_by', 'workplace_inspection', 'related_children', 'contact_type',
    'support.nsp.status', 'support.police_report', 'support.offence_reported', 'support.legal_status', 'support.injured_party_counsel',
  ];
  const expected: Partial<CaseData> = {
    source: 'coordinator', organisation_id: 'rk-vast', region: 'vast', identified_on: '2025-04-01', crime_type: 'exploitation', sex: 'female',
    age: 17, age_group: 'child', exploitation_forms: ['labour', 'begging'], industries: ['berry_picking', 'cleaning'], nationality: 'RO',
    exploited_in_sweden: 'yes', exploitation_countries: ['SE', 'NO'], referred_by: 'police', workplace_inspection: true,
    related_children: [{ location: 'abroad', age_band: '0_11' }, { location: 'in_sweden', age_band: '12_17' }], contact_type: 'direct',
  };
  const expectedSupport = { nsp: { status: 'granted', start_date: null, end_date: null }, police_report: 'yes', offence_reported: ['trafficking', 'procuring'], legal_status: 'investigation_ongoing', injured_party_counsel: 'no' };

  it('imports Swedish labels, case-insensitively', () => {
    const row = ['Regionkoordinator', 'väst', '2025-04-01', 'MÄNNISKOEXPLOATERING', 'Kvinna/flicka', '17', 'barn', 'Arbetskraft; tiggeri', 'Bärplockning;Städ', 'Rumänien',
      'Ja', 'Sverige;Norge', 'Polisen', 'sant', '"I annat land:0–11 år;Medföljande, i Sverige:12-17 år"', 'direkt utsatt',
      'Beviljad', 'ja', 'Människohandel;Koppleri', 'Förundersökning pågår', 'Nej'];
    const r = parseCasesCsv([header(cols), row.join(',')].join('\n'), { today });
    expect(r.headerErrors).toEqual([]);
    expect(r.rows[0].errors).toEqual([]);
    expect(r.rows[0].data).toMatchObject({ ...expected, support: expectedSupport });
  });

  it('imports English labels and codes mixed, and countries by English name or code', () => {
    const row = ['regional coordinator', 'West', '2025-04-01', 'Human exploitation', 'woman/girl', '17', 'CHILD', 'Labour exploitation;begging', 'berry picking;Cleaning', 'romania',
      'yes', 'SE;Norway', 'police', 'TRUE', 'In another country:0–11 years;in_sweden:12_17', 'Directly exposed',
      'granted', 'Yes', 'Human trafficking;procuring', 'Investigation ongoing', 'no'];
    const r = parseCasesCsv([header(cols), row.join(',')].join('\n'), { today });
    expect(r.rows[0].errors).toEqual([]);
    expect(r.rows[0].data).toMatchObject({ ...expected, support: expectedSupport });
  });

  // Each column that holds codes, with its code list; every label of every list must import as its code.
  const codeColumns: [string, keyof typeof codeLists][] = [
    ['region', 'region'], ['crime_type', 'crime_type'], ['sex', 'sex'], ['age_group', 'age_group'],
    ['exploitation_forms', 'exploitation_form'], ['industries', 'industry'], ['exploited_in_sweden', 'yes_no'],
    ['referred_by', 'referred_by'], ['contact_type', 'contact_type'], ['support.reflection_period', 'application_status'],
    ['support.temporary_residence_permit', 'application_status'], ['support.nsp.status', 'application_status'],
    ['support.amp', 'application_status'], ['support.police_report', 'police_report'], ['support.offence_reported', 'offence_reported'],
    ['support.legal_status', 'legal_status'], ['support.injured_party_counsel', 'yes_no'], ['support.coordinator_contact', 'yes_no'],
    ['support.social_services', 'social_services_support'], ['support.civil_society_support', 'civil_society_support'],
    ['support.why_civil_society', 'why_civil_society'],
  ];
  const baseCols = ['source', 'organisation_id', 'identified_on', 'sex', 'age_group', 'contact_type', 'exploitation_forms'];
  const baseRow = ['civil_society', 'org-a', '2024-05-01', 'unknown', 'unknown', 'direct', 'labour'];

  it('imports every Swedish and English label of every code column, in any letter case', () => {
    for (const [column, list] of codeColumns) {
      for (const item of codeLists[list].items as CodeEntry[]) {
        for (const text of [item.code, item.sv, item.en, item.sv.toUpperCase(), item.en.toLowerCase()]) {
          const cols = [...baseCols.filter((c) => c !== column), column];
          const row = [...baseRow.filter((_, i) => baseCols[i] !== column), `"${text}"`];
          const r = parseCasesCsv([cols.join(','), row.join(',')].join('\n'), { today });
          expect(r.rows[0].errors, `${column}: ${text}`).toEqual([]);
          const [top, mid, leaf] = column.split('.');
          const d = r.rows[0].data as unknown as Record<string, Record<string, Record<string, unknown>>>;
          const value = leaf ? d[top][mid][leaf] : mid ? d[top][mid] : d[top];
          expect(Array.isArray(value) ? value : [value], `${column}: ${text}`).toEqual([item.code]);
        }
      }
    }
  });

  it('imports every country by code, Swedish name, English name or alpha-3', () => {
    const cols = [...baseCols, 'nationality', 'exploitation_countries'];
    for (const country of countryList) {
      for (const text of [country.code, country.code.toLowerCase(), country.sv, country.en.toUpperCase(), country.alpha3]) {
        const r = parseCasesCsv([cols.join(','), [...baseRow, `"${text}"`, `"${text}"`].join(',')].join('\n'), { today });
        expect(r.rows[0].errors, text).toEqual([]);
        expect([r.rows[0].data?.nationality, r.rows[0].data?.exploitation_countries], text).toEqual([country.code, [country.code]]);
      }
    }
  });

  it('an unrecognised label is a code error on that column, without the value in the message', () => {
    const r = parseCasesCsv([header(minimalCols), 'coordinator,syd,2025-01-05,trafficking,Kvinnlig,adult,Grannen'].join('\n'), { today });
    const lines = r.rows[0].errors.map((e) => formatProblem(2, e, 'sv'));
    expect(lines).toEqual([
      'line 2: sex: Kön har ett värde som inte finns i kodlistan.',
      'line 2: referred_by: Hänvisande aktör har ett värde som inte finns i kodlistan.',
    ]);
  });
});

describe('CSV header and structure', () => {
  it('an unknown column is a header error naming it, with the column-name prefix', () => {
    const r = parseCasesCsv([header([...minimalCols, 'nationalty']), 'coordinator,syd,2025-01-05,trafficking,female,adult,police,SE'].join('\n'), { today });
    expect(r.headerErrors.map((e) => [e.path, e.rule])).toEqual([['nationalty', 'unknown_column']]);
    expect(formatProblem(1, r.headerErrors[0], 'en')).toBe(
      'line 1: nationalty: The column is not part of the data standard. Check the spelling in the header row.',
    );
  });

  it('reports duplicate and missing required columns', () => {
    const r = parseCasesCsv(header(['source', 'region', 'region', 'identified_on', 'age_group']) + '\n', { today });
    expect(r.headerErrors.map((e) => [e.path, e.rule])).toEqual([
      ['region', 'duplicate_column'],
      ['sex', 'missing_column'],
    ]);
  });

  it('accepts system columns and leaves them out of the data; organisation_id may be left out for coordinators', () => {
    const r = parseCasesCsv([header(['id', 'reference', ...minimalCols, 'status']), 'X1,SYD-2025-0001,coordinator,syd,2025-01-05,trafficking,female,adult,police,withdrawn'].join('\n'), { today });
    expect(r.headerErrors).toEqual([]);
    expect(r.rows[0].data).toMatchObject({ organisation_id: 'rk-syd' });
    expect(r.rows[0].data).not.toHaveProperty('reference');
  });

  it('recognises a semicolon-separated file and a file not saved as UTF-8', () => {
    const semi = parseCasesCsv([minimalCols.join(';'), 'coordinator;syd;2025-01-05;trafficking;female;adult;police'].join('\n'), { today });
    expect(semi.headerErrors.map((e) => e.rule)).toEqual(['delimiter']);
    expect(semi.rows).toEqual([]);
    const latin1 = parseCasesCsv([header(minimalCols), 'coordinator,syd,2025-01-05,trafficking,female,adult,Gr\ufffdnspolisen'].join('\n'), { today });
    expect(latin1.headerErrors.map((e) => e.rule)).toEqual(['encoding']);
    expect(parseCasesCsv('source\ncoordinator', { today }).headerErrors.map((e) => e.rule)).toEqual(['missing_column', 'missing_column', 'missing_column']);
  });

  it('an empty file has a header error', () => {
    expect(parseCasesCsv('', { today }).headerErrors.map((e) => e.rule)).toEqual(['empty_file']);
    expect(parseCasesCsv('\ufeff\r\n', { today }).headerErrors.map((e) => e.rule)).toEqual(['empty_file']);
  });

  it('gives the physical line where a record starts when quoted cells hold newlines', () => {
    const text = [
      header([...minimalCols, 'exploitation_forms']),
      'coordinator,syd,2025-01-05,trafficking,female,adult,police,"labour;',
      'begging"',
      'coordinator,syd,2025-01-05,trafficking,female,adult,police,"sexual;\r\n\r\nother"',
      'coordinator,syd,2099-01-05,trafficking,female,adult,police,sexual',
    ].join('\r\n');
    const r = parseCasesCsv(text, { today });
    expect(r.rows.map((x) => x.line)).toEqual([2, 4, 7]);
    expect(r.rows[0].data?.exploitation_forms).toEqual(['labour', 'begging']);
    expect(r.rows[1].data?.exploitation_forms).toEqual(['sexual', 'other']);
    expect(formatProblem(r.rows[2].line, r.rows[2].errors[0], 'sv')).toBe('line 7: identified_on: Datum för kännedom får inte ligga i framtiden.');
  });

  it('reads doubled quotes inside a quoted cell as one quote', () => {
    const r = parseCasesCsv([header(minimalCols), '"coordinator","syd","2025-01-05","trafficking","female","adult","""police"""'].join('\n'), { today });
    expect(r.rows[0].errors.map((e) => [e.path, e.rule])).toEqual([['referred_by', 'code']]);
  });

  it('reports a row with more cells than the header, and an unclosed quote', () => {
    const r = parseCasesCsv([header(minimalCols), 'coordinator,syd,2025-01-05,trafficking,female,adult,police,extra', 'coordinator,"syd,2025-01-05'].join('\n'), { today });
    expect(r.rows.map((x) => [x.line, x.data, x.errors.map((e) => e.rule)])).toEqual([
      [2, null, ['column_count']],
      [3, null, ['unclosed_quote']],
    ]);
    expect(formatProblem(2, r.rows[0].errors[0], 'en')).toBe('line 2: The row has more cells than the header row.');
  });
});

describe('CSV problem lines', () => {
  it('formats errors and warnings with the literal prefix, list positions folded into the column', () => {
    const r = parseCasesCsv(
      [header([...minimalCols, 'exploitation_forms', 'related_children', 'support.nsp.start_date']), 'coordinator,syd,2025-01-05,exploitation,female,adult,police,sexual;sexual,abroad:teen,2025-13-01'].join('\n'),
      { today },
    );
    const row = r.rows[0];
    const children = parseCasesCsv([header([...minimalCols, 'related_children']), 'coordinator,syd,2025-01-05,trafficking,female,adult,police,abroad;in_sweden:0_11:x'].join('\n'), { today });
    expect(children.rows[0].errors.map((e) => [e.path, e.rule])).toEqual([
      ['related_children.0.age_band', 'required'],
      ['related_children.1.age_band', 'code'],
    ]);
    expect(row.errors.map((e) => formatProblem(row.line, e, 'en'))).toEqual([
      'line 2: related_children: Related child: age (no. 1) has a value that is not in the code list.',
      'line 2: support.nsp.start_date: NSP: start date must be a real date written YYYY-MM-DD.',
      'line 2: exploitation_forms: Form of exploitation (no. 2): the same choice is given more than once.',
    ]);
    expect(row.warnings.map((w) => formatProblem(row.line, w, 'sv', 'warning'))).toContain(
      'line 2: exploitation_forms: warning: Exploateringsform: människoexploatering (BrB 4:1b) gäller arbete och tiggeri. Sexuella ändamål, tvångsäktenskap, organhandel, krigstjänst och illegal adoption registreras som människohandel.',
    );
  });

  it('five bad rows in an 800-row file give five problems naming the right lines', () => {
    const cases = fc.sample(validData(), { numRuns: 800, seed: 42 });
    const [head, ...rows] = casesToCsv(cases).replace(/\r\n$/, '').split('\r\n');
    const col = (name: string) => csvColumns.indexOf(name);
    const breakRow = (i: number, name: string, value: string) => {
      const cells = rows[i].split(',');
      cells[col(name)] = value;
      rows[i] = cells.join(',');
    };
    // Quoted newlines in some rows shift the physical lines of every later row.
    const multiline = [10, 11, 300, 640];
    for (const i of multiline) {
      const cells = rows[i].split(',');
      cells[col('related_children')] = `"${cells[col('related_children')]}\r\n"`;
      rows[i] = cells.join(',');
    }
    const bad = { 0: ['sex', 'okänt kön'], 57: ['identified_on', '2099-01-01'], 301: ['age', '130'], 641: ['source', ''], 799: ['exploitation_countries', 'SE;SE'] } as const;
    for (const [i, [name, value]] of Object.entries(bad)) breakRow(Number(i), name, value);
    const lineOf = (i: number) => 2 + i + multiline.filter((m) => m < i).length;

    const r = parseCasesCsv([head, ...rows].join('\r\n'), { today });
    expect(r.headerErrors).toEqual([]);
    expect(r.rows).toHaveLength(800);
    const problems = r.rows.flatMap((row) => row.errors.map((e) => formatProblem(row.line, e, 'en')));
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(': ').slice(0, 2).join(': '))).toEqual([
      `line ${lineOf(0)}: sex`,
      `line ${lineOf(57)}: identified_on`,
      `line ${lineOf(301)}: age`,
      `line ${lineOf(641)}: source`,
      `line ${lineOf(799)}: exploitation_countries`,
    ]);
    expect(r.rows.filter((row) => row.data !== null)).toHaveLength(795);
  });
});
