import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/publish/csv.ts';
import { render, formats } from '../../src/publish/index.ts';
import { renderJson } from '../../src/publish/json.ts';
import { codeLabel, rowLabel, shortTitle, dimensionKeys } from '../../src/publish/labels.ts';
import { tableIds } from '../../src/stats/catalogue.ts';
import { answeredNote, pivotOf, tableLayout } from '../../src/publish/layout.ts';
import { HEADER_ROW, renderXlsx } from '../../src/publish/xlsx.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import type { Report, ReportRow } from '../../src/stats/report-types.ts';
import { fixtureReport, tableOf } from '../publish-fixture.ts';

const report = fixtureReport();
const engineReport = computeReport({ year: 2025, cases: generateDemoCases(), release: { id: null, kind: 'live' }, demo: true, includeRegion: true });

async function loadWorkbook(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type, older than Node's.
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

describe('labels', () => {
  it('labels codes of every dimension in Swedish and English', () => {
    expect(codeLabel('category', 'labour')).toBe('Arbetskraft');
    expect(codeLabel('group', 'girl')).toBe('Flickor');
    expect(codeLabel('group', 'girl', 'en')).toBe('Girls');
    expect(codeLabel('nationality', 'TH')).toBe('Thailand');
    expect(codeLabel('nationality', 'RO')).toBe('Rumänien');
    expect(codeLabel('nationality', 'unknown')).toBe('Okänt');
    expect(codeLabel('combination', 'labour+sexual')).toBe('Arbetskraft + Sexuella ändamål');
    expect(codeLabel('referred_by', 'own_outreach')).toBe('Egen uppsökande verksamhet');
    expect(codeLabel('industry', 'construction')).toBe('Bygg (inkl. asfalts- och stenläggning)');
    expect(codeLabel('measure', 'labour', 'en')).toBe('Labour exploitation');
    expect(rowLabel({ dimension: 'group', code: 'man', count: 1 }, 'code')).toBe('Män');
    expect(rowLabel({ dimension: 'crime_type', code: 'trafficking', count: 1 }, 'code')).toBe('Människohandel');
  });

  it('gives every table a sheet name Excel accepts', () => {
    for (const lang of ['sv', 'en'] as const) {
      const names = tableIds.map((id) => shortTitle(id, lang));
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n.length <= 31 && !/[\\/?*[\]:]/.test(n)).toBe(true);
    }
  });
});

describe('layout', () => {
  it('pivots Tabell 1 into Kvinnor, Män, Flickor, Pojkar … with totals', () => {
    const l = tableLayout(tableOf(report, 'form_by_group'));
    expect(l.head).toEqual(['Exploateringsform', 'Kvinnor', 'Män', 'Flickor', 'Pojkar', 'Annan könsidentitet', 'Okänt', 'Totalt']);
    expect(l.body.find((r) => r[0] === 'Arbetskraft')).toEqual(['Arbetskraft', 87, 234, 1, 2, 0, 1, 325]);
    expect(l.body.at(-1)).toEqual(['Totalt', 212, 251, 8, 9, 0, 1, 481]);
  });

  it('leaves years without a figure empty in the trend, not zero', () => {
    const l = tableLayout(tableOf(report, 'trend'));
    const y2024 = l.body.find((r) => r[0] === '2024')!;
    expect(y2024[l.head.indexOf('Totalt')]).toBeNull();
    expect(y2024[l.head.indexOf('Arbetskraft')]).toBe(233);
  });
});

describe('renderJson', () => {
  it('is the contract unchanged', () => {
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });
});

function expectCsvReadsBack(report: Report) {
  const text = renderCsv(report);
  expect(text.startsWith('\uFEFF')).toBe(true);
  const records: Record<string, string>[] = parse(text, { bom: true, columns: true });
  const cells = report.tables.flatMap((t) => t.rows.map((row) => ({ id: t.id, row })));
  expect(records).toHaveLength(cells.length);
  records.forEach((rec, i) => {
    const { id, row } = cells[i];
    expect(rec.table).toBe(id);
    const back: Record<string, string | number> = { count: Number(rec.count) };
    if (rec.percent !== '') back.percent = Number(rec.percent);
    for (let d = 1; rec[`dimension_${d}`]; d++) {
      const key = rec[`dimension_${d}`];
      back[key] = typeof row[key] === 'number' ? Number(rec[`code_${d}`]) : rec[`code_${d}`];
      expect(rec[`label_${d}`]).toBe(rowLabel(row, key));
    }
    expect(back).toEqual(row);
  });
  return records;
}

describe('renderCsv', () => {
  it('has one line per cell that reads back to the JSON rows', () => {
    const records = expectCsvReadsBack(report);
    const th = records.find((r) => r.table === 'nationality_top' && r.code_1 === 'TH')!;
    expect([th.label_1, th.count]).toEqual(['Thailand', '85']);
  });

  it('reads back the engine report of the demo cases', () => {
    expectCsvReadsBack(engineReport);
  });

  it('labels in English when asked', () => {
    const records: Record<string, string>[] = parse(renderCsv(report, 'en'), { bom: true, columns: true });
    expect(records.find((r) => r.table === 'form_by_group' && r.code_2 === 'girl')?.label_2).toBe('Girls');
  });
});

async function expectXlsxReadsBack(report: Report) {
  const wb = await loadWorkbook(await renderXlsx(report));
  expect(wb.worksheets[0].name).toBe('Om statistiken');
  expect(wb.worksheets.map((w) => w.name).slice(1)).toEqual(report.tables.map((t) => shortTitle(t.id, 'sv')));
  for (const table of report.tables) {
    const ws = wb.getWorksheet(shortTitle(table.id, 'sv'))!;
    if (table.id !== 'trend') expect(String(ws.getCell(2, 1).value)).toContain(answeredNote(table, 'sv'));
    const head = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1).map(String);
    const lines: unknown[][] = [];
    for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) lines.push((ws.getRow(r).values as unknown[]).slice(1));
    const valueAt = (row: ReportRow, key: string) => {
      const pivot = pivotOf(table.id);
      if (!pivot) {
        const line = lines[table.rows.indexOf(row)];
        dimensionKeys(row).forEach((k, i) => expect(line[i]).toBe(rowLabel(row, k)));
        return line[head.indexOf(key === 'count' ? 'Antal' : 'Andel (%)')];
      }
      const line = lines.find((l) => pivot.rows.every((k, i) => String(l[i]) === rowLabel(row, k)));
      return line?.[head.indexOf(codeLabel(pivot.column, row[pivot.column]))];
    };
    for (const row of table.rows) {
      expect(valueAt(row, 'count'), `${table.id} ${JSON.stringify(row)}`).toBe(row.count);
      if (row.percent !== undefined) expect(valueAt(row, 'percent')).toBe(row.percent);
    }
  }
}

describe('renderXlsx', () => {
  it('writes every table as a sheet that reads back cell for cell', async () => {
    await expectXlsxReadsBack(report);
  });

  it('reads back the engine report of the demo cases', async () => {
    await expectXlsxReadsBack(engineReport);
  });

  it('describes the release, settings and checks on the first sheet', async () => {
    const wb = await loadWorkbook(await renderXlsx({ ...report, demo: true }));
    const text = wb.worksheets[0].getSheetValues().flat().map(String).join('\n');
    expect(text).toContain('Regionkoordinatorernas statistik om människohandel och människoexploatering 2025');
    expect(text).toContain('2025-final-1');
    expect(text).toContain('Slutlig');
    expect(text).toContain('DEMO – syntetiska uppgifter');
    expect(text).toContain('Exploateringsform saknas för 8 personer');
  });

  it('states the consistency checks in words in the workbook\'s language, without ids or formulas', async () => {
    expect(engineReport.checks.length).toBeGreaterThan(10);
    for (const lang of ['sv', 'en'] as const) {
      const ws = (await loadWorkbook(await renderXlsx(engineReport, lang))).worksheets[0];
      const rows = (ws.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1).map((v) => String(v ?? '')));
      const head = rows.findIndex((r) => r[0] === (lang === 'sv' ? 'Konsistenskontroll' : 'Consistency check'));
      expect(head, lang).toBeGreaterThan(0);
      const checks = rows.slice(head + 1, head + 1 + engineReport.checks.length);
      expect(checks.map((r) => r[1])).toEqual(engineReport.checks.map((c) => (c.ok ? (lang === 'sv' ? 'Uppfylld' : 'Met') : lang === 'sv' ? 'Inte uppfylld' : 'Not met')));
      checks.forEach(([text], i) => {
        const id = engineReport.checks[i].id;
        expect(text, id).not.toContain(id);
        expect(text, id).not.toMatch(/ = | ≤ |half-up|_/);
        expect(text, id).toMatch(lang === 'sv' ? /(^|\s)(är|varje|antalet|summan|de)\s/i : /(^|\s)(is|are|each|equals|every|sum|the)\s/i);
      });
      if (lang === 'sv') expect(checks.some(([t]) => t.startsWith('Summan av ”Antal identifierade personer”'))).toBe(true);
    }
  });

  it('stores the years of the trend as numbers, not text', async () => {
    const wb = await loadWorkbook(await renderXlsx(report));
    const ws = wb.getWorksheet(shortTitle(tableOf(report, 'trend').id, 'sv'))!;
    const years: unknown[] = [];
    for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) years.push(ws.getCell(r, 1).value);
    expect(years.length).toBeGreaterThan(3);
    for (const y of years) expect(typeof y, String(y)).toBe('number');
    expect(years).toContain(2025);
    expect(ws.getCell(HEADER_ROW, 1).value).toBe('År');
  });
});

describe('render', () => {
  it('dispatches on the format', async () => {
    expect(await render(report, 'json')).toBe(renderJson(report));
    expect(await render(report, 'csv', 'en')).toBe(renderCsv(report, 'en'));
    expect(formats.xlsx.extension).toBe('xlsx');
    expect(formats.csv.contentType).toMatch(/^text\/csv/);
  });
});

describe('answeredNote', () => {
  it('says "1 person", never "1 personer"', () => {
    const one = { ...tableOf(report, 'referrer'), n_answered: 1, n_missing: 0 };
    expect(answeredNote(one, 'sv')).toBe('Uppgift finns för 1 person, saknas för 0.');
    expect(answeredNote(one, 'en')).toBe('Answered for 1 person, missing for 0.');
    expect(answeredNote({ ...one, n_answered: 2 }, 'sv')).toBe('Uppgift finns för 2 personer, saknas för 0.');
  });
});
