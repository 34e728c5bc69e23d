// The civil-society and support-programme reports in every format, from a view built by hand:
// a cross table with totals and a suppressed cell, and a multi table with percents.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderSourceReport, sourceFileName } from '../../src/publish/sources/index.ts';
import { SOURCE_HEADER_ROW } from '../../src/publish/sources/xlsx.ts';
import { sourceTableLayout } from '../../src/publish/sources/layout.ts';
import { methodParagraphs } from '../../src/publish/sources/labels.ts';
import { renderSourcePdf, renderSourcePdfWithLayout } from '../../src/publish/sources/pdf.ts';
import { figureAlts, inkShare, pdfPages } from '../support/pdf-alt.ts';
import type { SourceReportView } from '../../src/stats/sources/types.ts';
import { sampleView } from '../source-report-fixture.ts';

const view = sampleView();

const hasPoppler = ['pdftotext', 'pdftoppm', 'pdfinfo'].every((cmd) => spawnSync(cmd, ['-v']).error === undefined);
if (!hasPoppler) console.warn('publish-source-report: pdftotext/pdftoppm/pdfinfo missing (apt-get install poppler-utils); PDF content and structure checks skipped');

// Rendering takes seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
const dir = mkdtempSync(path.join(tmpdir(), 'publish-source-report-'));
function write(name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return file;
}
const pages = pdfPages;


describe('the printed shape of a table', () => {
  it('puts a percent column beside each count column of a cross table that prints percents, the totals last', () => {
    const cross = { ...view.tables[0], percent: true, rows: view.tables[0].rows.map((r) => ({ ...r, percent: r.count === null ? null : 50 })) };
    const l = sourceTableLayout(cross, 'sv');
    // The totals carry no percents here, so their column has none.
    expect(l.head).toEqual(['Kön', '2023', '2023, %', '2024', '2024, %', 'Totalt']);
    expect(l.kinds).toEqual(['label', 'count', 'percent', 'count', 'percent', 'count']);
    expect(l.body[0]).toEqual(['Kvinnor', 187, 50, 236, 50, 423]);
    expect(l.body[2]).toEqual(['Annan könsidentitet', '..', '..', '..', '..', 5]);
    expect(l.body.at(-1)).toEqual(['Totalt', 330, null, 402, null, 732]);
    expect(l.totalRow).toBe(true);
  });

  it('leaves out the totals the view does not give, and prints a missing cell of the exact form as 0', () => {
    const { totals: _, ...bare } = view.tables[0];
    const l = sourceTableLayout({ ...bare, rows: bare.rows.filter((r) => !(r.code === 'man' && r.column === '2023')) }, 'en');
    expect(l.head).toEqual(['Kön', '2023', '2024']);
    expect(l.body.map((line) => line[1])).toEqual([187, 0, '..']);
    expect(l.totalRow).toBe(false);
  });

  it('says so when no cell needed suppressing, and that the exact form is not to be published', () => {
    const none = methodParagraphs({ ...view, disclosure: { threshold: 3, suppressed: 0, policy_version: 2 } })[1].text;
    expect(none).toMatch(/^Ingen cell behövde undertryckas/);
    expect(none).not.toContain('0 celler');
    expect(methodParagraphs({ ...view, form: 'exact', disclosure: undefined })[1].text).toContain('får inte publiceras');
  });
});

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

describe.skipIf(!hasPoppler)('renderSourceReport: tagged PDF', () => {
  let pdf: Buffer;
  let file: string;
  let text: string[];
  let struct: string;
  let laid: Awaited<ReturnType<typeof renderSourcePdfWithLayout>>;

  beforeAll(async () => {
    const rendered = await renderSourceReport(view, 'pdf');
    expect(rendered.contentType).toBe('application/pdf');
    expect(rendered.extension).toBe('pdf');
    pdf = rendered.body;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    file = write('report.pdf', pdf);
    text = pages(file);
    struct = execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    laid = await renderSourcePdfWithLayout(view);
  });

  it('is tagged, in Swedish, with the report title and year as its title', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Civilsamhällets stöd till utsatta för människohandel 2024$/m);
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Lang (sv-SE)');
    expect(raw).toContain('/DisplayDocTitle true');
  });

  it('opens with a cover: title and year, the release and that it is preliminary, reporter, publisher and contact', () => {
    expect(text[0]).toContain('Civilsamhällets stöd till utsatta för människohandel 2024');
    expect(text[0]).toContain('Preliminär statistik 2024, utgåva 1');
    expect(text[0]).toContain('Release: 2024-civ-1');
    expect(text[0]).toContain('Preliminära uppgifter');
    expect(text[0]).toContain('Uppgiftslämnare: Plattformen Civila Sverige mot människohandel');
    expect(text[0]).toContain('Utgiven av: Jämställdhetsmyndigheten');
    expect(text[0]).toContain('Kontakt: nspm.jamstalldhetsmyndigheten.se');
  });

  it('names the publisher and contact the configuration gives', async () => {
    const configured = await renderSourcePdf(view, { publisher: { sv: 'Myndigheten X', en: 'Agency X' }, contact: 'statistik@example.org' });
    const cover = pages(write('configured.pdf', configured))[0];
    expect(cover).toContain('Utgiven av: Myndigheten X');
    expect(cover).toContain('Kontakt: statistik@example.org');
  });

  it('has a structure tree: the title as H1, contents, sections and the closing section as H2, its parts as H3', () => {
    expect(struct.split('\n')[0]).toBe('Document');
    expect(struct).toMatch(/H1 \(block\)\n\s+"Civilsamhällets stöd till utsatta för människohandel 2024"/);
    for (const h of ['Innehåll', 'Personer som fått stöd', 'Stöd', 'Om statistiken']) expect(struct).toMatch(new RegExp(`H2 \\(block\\)\\n\\s+"${h}"`));
    for (const h of ['Nämnaren', 'Röjandeskydd']) expect(struct).toMatch(new RegExp(`H3 \\(block\\)\\n\\s+"${h}"`));
  });

  it('tags each table with its caption, column headers and row headers, ".." in a suppressed cell', () => {
    expect(struct).toMatch(/Caption\n\s+"Tabell 1\. Personer som fått stöd efter kön och år"/);
    expect(struct).toMatch(/Caption\n\s+"Tabell 2\. Stöd som getts"/);
    for (const h of ['Kön', '2023', '2024', 'Totalt', 'Antal', '%']) expect(struct).toMatch(new RegExp(`TH:\\n\\s+/Scope /Column\\n\\s+"${h}"`));
    expect(struct).toMatch(/TH:\n\s+\/Scope \/Row\n\s+"Annan könsidentitet"\n\s+TD\n\s+"\.\."\n\s+TD\n\s+"\.\."\n\s+TD\n\s+"5"/);
    // The totals line, and a percent beside its count with one decimal.
    expect(struct).toMatch(/"Totalt"\n\s+TD\n\s+"330"\n\s+TD\n\s+"402"\n\s+TD\n\s+"732"/);
    expect(struct).toMatch(/"Juridisk rådgivning"\n\s+TD\n\s+"190"\n\s+TD\n\s+"50,0"/);
  });

  it('draws a bar chart for each table with a figure, its alternative text giving every figure', () => {
    expect(struct.match(/Figure:/g)).toHaveLength(2);
    const alts = figureAlts(pdf);
    expect(alts).toEqual([
      'Stapeldiagram. Figur 1. Personer som fått stöd efter kön och år. Kvinnor: 2023 187, 2024 236; Män: 2023 141, 2024 163; Annan könsidentitet: 2023 .. (undertryckt), 2024 .. (undertryckt).',
      'Stapeldiagram. Figur 2. Stöd som getts. Boende 211 (55,5 %); Juridisk rådgivning 190 (50,0 %); Hälso- och sjukvård 97 (25,5 %).',
    ]);
  });

  it('prints under each table its base, answered and missing, and notes', () => {
    const all = text.join(' ');
    expect(all).toContain('Bas: av samtliga personer som svarade (n = 401). Uppgift saknas för 11.');
    expect(all).toContain('Åren före 2024 enligt plattformens tidigare rapporter.');
    expect(all).toContain('Procent av dem som svarade. Bas: av dem som fått stöd och svarade (n = 380). Uppgift saknas för 32.');
    expect(all).toContain('kan summera till mer än 100');
    expect(all).toContain('.. = röjandeskyddat');
  });

  it('lists the contents with the page each section and table starts on', async () => {
    // A long list table pushes the third table and the closing section to later pages.
    const [first, second] = view.tables;
    const codes = Array.from({ length: 70 }, (_, i) => ({ code: `c${i}`, label: `Insats ${i + 1}` }));
    const long: SourceReportView = {
      ...view,
      tables: [
        first,
        { ...second, figure_title: null, row_codes: codes, rows: codes.map((c, i) => ({ code: c.code, count: 100 + i, percent: 10, status: 'safe' as const })) },
        { ...first, id: 'again', number: 3, section: 'Igen', title: 'Samma tabell igen' },
      ],
    };
    const laidOut = await renderSourcePdfWithLayout(long);
    const longFile = write('long.pdf', laidOut.pdf);
    const contents = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', '2', '-l', '2', longFile, '-'], { encoding: 'utf8' });
    const pageOf = (kind: string, start: string) => laidOut.placed.find((p) => p.kind === kind && p.text.startsWith(start))!.page;
    const [table2, table3, method] = [pageOf('table', 'Tabell 2.'), pageOf('table', 'Tabell 3.'), pageOf('h2', 'Om statistiken')];
    expect(table3).toBeGreaterThan(table2);
    expect(method).toBeGreaterThanOrEqual(table3);
    expect(contents).toMatch(new RegExp(`Tabell 2\\. Stöd som getts\\s+${table2}\\n`));
    expect(contents).toMatch(new RegExp(`Igen\\s+${table3}\\n`));
    expect(contents).toMatch(new RegExp(`Tabell 3\\. Samma tabell igen\\s+${table3}\\n`));
    expect(contents).toMatch(new RegExp(`Om statistiken\\s+${method}\\n`));
    const longText = pages(longFile);
    expect(longText[table3 - 1]).toContain('Tabell 3. Samma tabell igen');
    expect(longText[method - 1]).toContain('Om statistiken');
    // A table over several pages repeats its header as page furniture, not in the structure tree.
    const tree = execFileSync('pdfinfo', ['-struct-text', longFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(tree.match(/"Insats 1"/g)).toHaveLength(1);
  });

  it('closes with the denominator rule and disclosure control: how many cells, the threshold, which tables', () => {
    const all = text.join(' ');
    expect(all).toContain('inte samtliga personer: personer för vilka uppgiften saknas ingår inte i nämnaren');
    expect(all).toContain('2 celler är undertryckta');
    expect(all).toContain('Tröskel: 3.');
    expect(all).toContain('Undertryckta celler per tabell: • Tabell 1. Personer som fått stöd efter kön och år: 2');
  });

  it('draws the pages: the cover and the tables are not blank', () => {
    for (const page of [1, laid.placed.find((p) => p.kind === 'table')!.page]) {
      const pgm = execFileSync('pdftoppm', ['-r', '50', '-f', String(page), '-l', String(page), '-gray', file]);
      expect(inkShare(pgm)).toBeGreaterThan(0.005);
    }
  });

  it('in English: language, words and labels, and the exact form said to be unpublishable', async () => {
    const en = sampleView('en');
    const exact = { ...en, form: 'exact' as const, disclosure: undefined, release: { ...en.release, kind: 'final' as const } };
    const enFile = write('en.pdf', await renderSourcePdf(exact));
    expect(execFileSync('pdfinfo', [enFile], { encoding: 'utf8' })).toMatch(/^Tagged:\s+yes$/m);
    const enText = pages(enFile);
    expect(enText[0]).toContain('Civil society support to victims of human trafficking 2024');
    expect(enText[0]).toContain('Final statistics 2024, edition 1');
    expect(enText[0]).toContain('It must not be published');
    expect(enText[1]).toContain('Contents');
    const all = enText.join(' ');
    expect(all).toContain('Table 1. Persons supported by sex and year');
    expect(all).toContain('Per cent of those who answered. Base: of those supported who answered (n = 380).');
    expect(all).toContain('not of all persons');
    expect(all).not.toContain('Suppressed cells by table');
    expect(figureAlts(await renderSourcePdf(exact))[1]).toMatch(/^Bar chart\. Figure 2\. Support given\. Housing 211 \(55\.5 %\)/);
  });
});
