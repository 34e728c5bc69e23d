// The civil-society and support-programme reports in every format, from a view built by hand:
// a cross table with totals and a suppressed cell, and a multi table with percents.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderSourceReport, sourceFileName } from '../../src/publish/sources/index.ts';
import { SOURCE_HEADER_ROW } from '../../src/publish/sources/xlsx.ts';
import type { SourceReportView } from '../../src/stats/sources/types.ts';

/** A protected civil-society report, 2024: contacts by year × sex with totals (one cell suppressed), and a list question. */
function sampleView(lang: 'sv' | 'en' = 'sv'): SourceReportView {
  const sv = lang === 'sv';
  return {
    source: 'civil_society',
    year: 2024,
    release: { id: '2024-civ-1', kind: 'preliminary', number: 1, published: true },
    form: 'protected',
    persons: 412,
    lang,
    title: sv ? 'Civilsamhällets stöd till utsatta för människohandel' : 'Civil society support to victims of human trafficking',
    reporter: sv ? 'Plattformen Civila Sverige mot människohandel' : 'The Swedish Civil Society Platform against Human Trafficking',
    disclosure: { threshold: 3, suppressed: 2, policy_version: 1 },
    tables: [
      {
        id: 'sex_by_year',
        number: 1,
        section: sv ? 'Personer som fått stöd' : 'Persons supported',
        title: sv ? 'Personer som fått stöd efter kön och år' : 'Persons supported by sex and year',
        row_heading: sv ? 'Kön' : 'Sex',
        row_codes: [
          { code: 'woman', label: sv ? 'Kvinnor' : 'Women' },
          { code: 'man', label: sv ? 'Män' : 'Men' },
          { code: 'other', label: sv ? 'Annan könsidentitet' : 'Other gender identity' },
        ],
        column_heading: sv ? 'År' : 'Year',
        column_codes: [
          { code: '2023', label: '2023' },
          { code: '2024', label: '2024' },
        ],
        multi: false,
        base: sv ? 'av samtliga personer som svarade' : 'of all persons who answered',
        percent: false,
        figure_title: sv ? 'Personer som fått stöd efter kön och år' : 'Persons supported by sex and year',
        note: sv ? 'Åren före 2024 enligt plattformens tidigare rapporter.' : 'Years before 2024 as in the platform’s earlier reports.',
        n_answered: 401,
        n_missing: 11,
        rows: [
          { code: 'woman', column: '2023', count: 187, percent: null, status: 'safe' },
          { code: 'woman', column: '2024', count: 236, percent: null, status: 'safe' },
          { code: 'man', column: '2023', count: 141, percent: null, status: 'safe' },
          { code: 'man', column: '2024', count: 163, percent: null, status: 'safe' },
          { code: 'other', column: '2023', count: null, percent: null, status: 'primary' },
          { code: 'other', column: '2024', count: null, percent: null, status: 'secondary' },
        ],
        totals: [
          { code: 'woman', column: 'total', count: 423, percent: null, status: 'safe' },
          { code: 'man', column: 'total', count: 304, percent: null, status: 'safe' },
          { code: 'other', column: 'total', count: 5, percent: null, status: 'safe' },
          { code: 'total', column: '2023', count: 330, percent: null, status: 'safe' },
          { code: 'total', column: '2024', count: 402, percent: null, status: 'safe' },
          { code: 'total', column: 'total', count: 732, percent: null, status: 'safe' },
        ],
      },
      {
        id: 'support_given',
        number: 2,
        section: sv ? 'Stöd' : 'Support',
        title: sv ? 'Stöd som getts' : 'Support given',
        row_heading: sv ? 'Stöd' : 'Support',
        row_codes: [
          { code: 'housing', label: sv ? 'Boende' : 'Housing' },
          { code: 'legal', label: sv ? 'Juridisk rådgivning' : 'Legal advice' },
          { code: 'health', label: sv ? 'Hälso- och sjukvård' : 'Health care' },
        ],
        column_heading: null,
        column_codes: null,
        multi: true,
        base: sv ? 'av dem som fått stöd och svarade' : 'of those supported who answered',
        percent: true,
        figure_title: sv ? 'Stöd som getts' : 'Support given',
        note: null,
        n_answered: 380,
        n_missing: 32,
        rows: [
          { code: 'housing', count: 211, percent: 55.5, status: 'safe' },
          { code: 'legal', count: 190, percent: 50, status: 'safe' },
          { code: 'health', count: 97, percent: 25.5, status: 'safe' },
        ],
      },
    ],
  };
}

const view = sampleView();

describe('renderSourceReport: JSON', () => {
  it('is the view as the API serves it', async () => {
    const file = await renderSourceReport(view, 'json');
    expect(file.contentType).toBe('application/json; charset=utf-8');
    expect(file.extension).toBe('json');
    expect(JSON.parse(file.body.toString('utf8'))).toEqual(view);
    expect(sourceFileName(view, 'json')).toBe('2024-civ-1-sv.json');
  });
});

describe('renderSourceReport: CSV', () => {
  const read = async (v: SourceReportView) => {
    const file = await renderSourceReport(v, 'csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    const text = file.body.toString('utf8');
    // UTF-8 with a byte-order mark and CRLF, as the coordinators' CSV.
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    return parse(text.slice(1), { columns: true }) as Record<string, string>[];
  };

  it('has one line per cell, totals included, with both codes and labels', async () => {
    const rows = await read(view);
    expect(Object.keys(rows[0])).toEqual(['table_number', 'table_id', 'row_code', 'row_label', 'column_code', 'column_label', 'count', 'percent', 'status', 'n_answered', 'n_missing']);
    expect(rows).toHaveLength(6 + 6 + 3);
    expect(rows[0]).toMatchObject({ table_number: '1', table_id: 'sex_by_year', row_code: 'woman', row_label: 'Kvinnor', column_code: '2023', column_label: '2023', count: '187', status: 'safe', n_answered: '401', n_missing: '11' });
    const grand = rows.find((r) => r.row_code === 'total' && r.column_code === 'total');
    expect(grand).toMatchObject({ row_label: 'Totalt', column_label: 'Totalt', count: '732' });
  });

  it('leaves a suppressed count and its percent empty and says why in status', async () => {
    const rows = await read(view);
    const other = rows.filter((r) => r.row_code === 'other' && r.column_code !== 'total');
    expect(other.map((r) => [r.count, r.percent, r.status])).toEqual([
      ['', '', 'primary'],
      ['', '', 'secondary'],
    ]);
  });

  it('prints percents of those who answered as numbers, in English labels for the English view', async () => {
    const rows = await read(sampleView('en'));
    const housing = rows.find((r) => r.table_id === 'support_given' && r.row_code === 'housing')!;
    expect(housing).toMatchObject({ table_number: '2', row_label: 'Housing', column_code: '', count: '211', percent: '55.5' });
    expect(Number(housing.percent)).toBeCloseTo(55.5);
    expect(rows.find((r) => r.row_code === 'total')!.row_label).toBe('Total');
  });
});

describe('renderSourceReport: XLSX', () => {
  const load = async (v: SourceReportView) => {
    const file = await renderSourceReport(v, 'xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.extension).toBe('xlsx');
    const wb = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type, older than Node's.
    await wb.xlsx.load(file.body as unknown as ExcelJS.Buffer);
    return wb;
  };
  /** A sheet's rows as arrays of values (column A first). */
  const rowsOf = (ws: ExcelJS.Worksheet) => {
    const out: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      out[n - 1] = (row.values as unknown[]).slice(1);
    });
    return out;
  };

  it('has a contents sheet first, then one sheet per table named by number and short title', async () => {
    const wb = await load(view);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Innehåll', '1 Personer som fått stöd efter…', '2 Stöd som getts']);
    for (const s of wb.worksheets) expect(s.name.length).toBeLessThanOrEqual(31);
    const contents = rowsOf(wb.worksheets[0]).map((r) => (r ?? []).map((v) => (typeof v === 'object' && v && 'text' in v ? (v as { text: string }).text : v)));
    const flat = contents.flat().map(String).join(' | ');
    expect(flat).toContain('Civilsamhällets stöd till utsatta för människohandel 2024');
    expect(flat).toContain('2024-civ-1');
    expect(flat).toContain('Preliminär statistik 2024, utgåva 1');
    expect(flat).toContain('Nämnaren');
    expect(flat).toContain('inte samtliga personer');
    expect(flat).toContain('2 celler är undertryckta');
    // The table list: number, sheet, title, answered and missing as numbers.
    const line = contents.find((r) => r?.[0] === 2)!;
    expect(line.slice(0, 5)).toEqual([2, '2 Stöd som getts', 'Stöd som getts', 380, 32]);
  });

  it('stores counts as numbers, ".." where suppressed, with totals and answered/missing', async () => {
    const ws = (await load(view)).worksheets[1];
    const rows = rowsOf(ws);
    expect(rows[0][0]).toBe('Tabell 1. Personer som fått stöd efter kön och år');
    expect(rows[2]).toEqual(['Uppgift finns', 401, 'Uppgift saknas', 11]);
    expect(rows[SOURCE_HEADER_ROW - 1]).toEqual(['Kön', '2023', '2024', 'Totalt']);
    const body = rows.slice(SOURCE_HEADER_ROW, SOURCE_HEADER_ROW + 4);
    expect(body).toEqual([
      ['Kvinnor', 187, 236, 423],
      ['Män', 141, 163, 304],
      ['Annan könsidentitet', '..', '..', 5],
      ['Totalt', 330, 402, 732],
    ]);
    expect(typeof ws.getCell(SOURCE_HEADER_ROW + 1, 2).value).toBe('number');
    const notes = rows.slice(SOURCE_HEADER_ROW + 4).flat().filter(Boolean).join(' ');
    expect(notes).toContain('.. = röjandeskyddat');
    expect(notes).toContain('Åren före 2024');
  });

  it('prints the percent of those who answered beside each count, as a number', async () => {
    const ws = (await load(sampleView('en'))).worksheets[2];
    const rows = rowsOf(ws);
    expect(rows[SOURCE_HEADER_ROW - 1]).toEqual(['Support', 'Number', '%']);
    expect(rows.slice(SOURCE_HEADER_ROW, SOURCE_HEADER_ROW + 3)).toEqual([
      ['Housing', 211, 55.5],
      ['Legal advice', 190, 50],
      ['Health care', 97, 25.5],
    ]);
    expect(ws.getCell(SOURCE_HEADER_ROW + 1, 3).numFmt).toBe('0.0');
    const notes = rows.slice(SOURCE_HEADER_ROW + 3).flat().filter(Boolean).join(' ');
    expect(notes).toContain('Per cent of those who answered');
    expect(notes).toContain('may add up to more than 100');
    expect(notes).toContain('not of all persons');
  });
});
