// One workbook: "Om statistiken" first, then one sheet per table in its printed shape.
import ExcelJS from 'exceljs';
import type { PublishedReport } from '../stats/report-types.ts';
import { demoMark, releaseKinds, reportTitle, shortTitle, yesNoLabel, type Lang } from './labels.ts';
import { checkText, disclosureDeclaration, SUPPRESSED, tableLayout, type Cell, type TableLayout } from './layout.ts';

/** Row of the heading line in every table sheet; the body follows it. */
export const HEADER_ROW = 4;

const aboutTexts = {
  sv: {
    sheet: 'Om statistiken',
    year: 'År',
    release: 'Release',
    kind: 'Typ av release',
    number: 'Releasenummer',
    published: 'Publicerad',
    unknownAge: 'Personer med okänd ålder räknas som vuxna',
    generated: 'Framtagen',
    live: 'Ingen (levande data)',
    checks: ['Konsistenskontroll', 'Resultat'],
    ok: 'Uppfylld',
    failed: 'Inte uppfylld',
    quality: ['Datakvalitet', 'Antal'],
    tables: ['Tabell', 'Flik', 'Uppgift finns', 'Uppgift saknas'],
  },
  en: {
    sheet: 'About the statistics',
    year: 'Year',
    release: 'Release',
    kind: 'Kind of release',
    number: 'Release number',
    published: 'Published',
    unknownAge: 'Persons of unknown age counted as adults',
    generated: 'Generated',
    live: 'None (live data)',
    checks: ['Consistency check', 'Result'],
    ok: 'Met',
    failed: 'Not met',
    quality: ['Data quality', 'Number'],
    tables: ['Table', 'Sheet', 'Answered', 'Missing'],
  },
};

function boldRow(row: ExcelJS.Row) {
  row.font = { bold: true };
}

function addAbout(wb: ExcelJS.Workbook, report: PublishedReport, lang: Lang) {
  const t = aboutTexts[lang];
  const ws = wb.addWorksheet(t.sheet);
  ws.columns = [{ width: 48 }, { width: 30 }, { width: 70 }, { width: 16 }];
  ws.addRow([reportTitle(report.year, lang)]).font = { bold: true, size: 14 };
  if (report.demo) ws.addRow([demoMark[lang]]).font = { bold: true, color: { argb: 'FFB00020' } };
  ws.addRow([]);
  const r = report.release;
  ws.addRow([t.year, report.year]);
  ws.addRow([t.release, r.id ?? t.live]);
  ws.addRow([t.kind, releaseKinds[r.kind][lang]]);
  if (r.number !== undefined) ws.addRow([t.number, r.number]);
  if (r.published !== undefined) ws.addRow([t.published, yesNoLabel(r.published, lang)]);
  ws.addRow([t.unknownAge, yesNoLabel(report.settings.unknown_age_as_adult, lang)]);
  if (report.generated_at) ws.addRow([t.generated, report.generated_at]);
  ws.addRow([]);
  boldRow(ws.addRow(t.checks));
  // In words in the workbook's language: no internal ids or formulas.
  for (const c of report.checks) ws.addRow([checkText(c, lang), c.ok ? t.ok : t.failed]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
  ws.addRow([]);
  boldRow(ws.addRow(t.quality));
  for (const q of report.quality) ws.addRow([q[lang], q.count ?? SUPPRESSED]);
  for (const sentence of disclosureDeclaration(report, lang)) ws.addRow([sentence]);
  ws.addRow([]);
  boldRow(ws.addRow(t.tables));
  for (const table of report.tables) {
    ws.addRow([tableLayout(table, lang).title, shortTitle(table.id, lang), table.n_answered ?? SUPPRESSED, table.n_missing ?? SUPPRESSED]);
  }
}

/** A cell as the workbook stores it: a year of a label column as a number (Excel sorts and charts it), empty for no figure. */
function cellValue(layout: TableLayout, i: number, v: Cell): ExcelJS.CellValue {
  if (v === null) return undefined as unknown as ExcelJS.CellValue;
  if (layout.keys[i] === 'year' && typeof v === 'string' && /^\d{4}$/.test(v)) return Number(v);
  return v;
}

export async function renderXlsx(report: PublishedReport, lang: Lang = 'sv'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lägesbild';
  wb.title = reportTitle(report.year, lang);
  addAbout(wb, report, lang);
  for (const table of report.tables) {
    const layout = tableLayout(table, lang);
    const ws = wb.addWorksheet(shortTitle(table.id, lang), {
      views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    });
    ws.getCell(1, 1).value = layout.title;
    ws.getCell(1, 1).font = { bold: true, size: 12 };
    const note = [layout.note, report.demo ? demoMark[lang] : ''].filter(Boolean).join(' ');
    if (note) ws.getCell(2, 1).value = note;
    const head = ws.getRow(HEADER_ROW);
    head.values = layout.head;
    boldRow(head);
    layout.body.forEach((line, i) => {
      const row = ws.getRow(HEADER_ROW + 1 + i);
      row.values = line.map((v, c) => cellValue(layout, c, v));
      if (layout.totalRow && i === layout.body.length - 1) boldRow(row);
    });
    layout.head.forEach((h, i) => {
      const col = ws.getColumn(i + 1);
      const longest = Math.max(h.length, ...layout.body.map((l) => String(l[i] ?? '').length));
      col.width = Math.min(60, Math.max(8, longest + 2));
      if (i >= layout.firstValue) col.alignment = { horizontal: 'right' };
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
