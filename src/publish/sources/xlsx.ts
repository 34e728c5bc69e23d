// One workbook: a contents sheet (the report, its release, the denominator rule, disclosure control
// and a line per table), then one sheet per table in its printed shape. Counts and percents are
// stored as numbers, a suppressed figure as "..".
import ExcelJS from 'exceljs';
import type { SourceReportView, SourceTableView } from '../../stats/sources/types.ts';
import { SUPPRESSED } from '../layout.ts';
import { methodParagraphs, sourceEdition, sourceTitle, sourceWords, tableNotes } from './labels.ts';
import { sourceTableLayout } from './layout.ts';

/** Row of the heading line in every table sheet; the body follows it. */
export const SOURCE_HEADER_ROW = 5;

const contentsTexts = {
  sv: { tables: ['Tabell', 'Flik', 'Titel', 'Uppgift finns', 'Uppgift saknas', 'Bas'], published: 'Publicerad', yes: 'Ja', no: 'Nej' },
  en: { tables: ['Table', 'Sheet', 'Title', 'Answered', 'Missing', 'Base'], published: 'Published', yes: 'Yes', no: 'No' },
};

/** A sheet name: "3 Kontakter per år", at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetName(t: SourceTableView, taken: Set<string>): string {
  const clean = `${t.number} ${t.title}`.replace(/[:\\/?*[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  let name = clean.length <= 31 ? clean : `${clean.slice(0, 30).trimEnd()}…`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${clean.slice(0, 31 - String(i).length - 1).trimEnd()} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

const bold = (row: ExcelJS.Row) => {
  row.font = { bold: true };
};
const wrapped = (row: ExcelJS.Row) => {
  row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
};
const figure = (v: number | null) => v ?? SUPPRESSED;

export async function renderSourceXlsx(view: SourceReportView): Promise<Buffer> {
  const lang = view.lang;
  const w = sourceWords[lang];
  const c = contentsTexts[lang];
  const tables = [...view.tables].sort((a, b) => a.number - b.number);
  const taken = new Set<string>([w.contentsSheet.toLowerCase()]);
  const names = new Map(tables.map((t) => [t.id, sheetName(t, taken)]));

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lägesbild';
  wb.title = sourceTitle(view);

  const ws = wb.addWorksheet(w.contentsSheet);
  ws.columns = [{ width: 22 }, { width: 32 }, { width: 60 }, { width: 14 }, { width: 14 }, { width: 50 }];
  ws.addRow([sourceTitle(view)]).font = { bold: true, size: 14 };
  if (view.demo) ws.addRow([w.demo]).font = { bold: true, color: { argb: 'FFB00020' } };
  ws.addRow([]);
  ws.addRow([w.reporter, view.reporter]);
  ws.addRow([w.year, view.year]);
  ws.addRow([w.release, view.release.id ?? w.kinds.live]);
  ws.addRow([w.kind, sourceEdition(view)]);
  if (view.release.published !== undefined) ws.addRow([c.published, view.release.published ? c.yes : c.no]);
  ws.addRow([w.form, w.forms[view.form]]);
  ws.addRow([w.persons, figure(view.persons)]);
  if (view.release.kind === 'preliminary') ws.addRow([w.preliminaryNote]);
  ws.addRow([]);
  for (const { heading, text } of methodParagraphs(view)) {
    bold(ws.addRow([heading]));
    const row = ws.addRow([text]);
    ws.mergeCells(row.number, 1, row.number, 6);
    row.height = 45;
    wrapped(row);
  }
  ws.addRow([]);
  bold(ws.addRow(c.tables));
  for (const t of tables) {
    const row = ws.addRow([t.number, names.get(t.id), t.title, figure(t.n_answered), figure(t.n_missing), t.base]);
    // A link to the table's sheet.
    row.getCell(2).value = { text: names.get(t.id)!, hyperlink: `#'${names.get(t.id)!.replace(/'/g, "''")}'!A1` };
  }

  for (const t of tables) {
    const l = sourceTableLayout(t, lang);
    const sheet = wb.addWorksheet(names.get(t.id)!, { views: [{ state: 'frozen', ySplit: SOURCE_HEADER_ROW }] });
    sheet.getCell(1, 1).value = `${w.table} ${t.number}. ${t.title}`;
    sheet.getCell(1, 1).font = { bold: true, size: 12 };
    sheet.getCell(2, 1).value = `${w.base}: ${t.base}`;
    sheet.getRow(3).values = [w.answered, figure(t.n_answered), w.missing, figure(t.n_missing)];
    const head = sheet.getRow(SOURCE_HEADER_ROW);
    head.values = l.head;
    bold(head);
    l.body.forEach((line, i) => {
      const row = sheet.getRow(SOURCE_HEADER_ROW + 1 + i);
      row.values = line.map((v) => (v === null ? (undefined as unknown as ExcelJS.CellValue) : v));
      if (l.totalRow && i === l.body.length - 1) bold(row);
    });
    l.head.forEach((h, i) => {
      const col = sheet.getColumn(i + 1);
      const longest = Math.max(h.length, ...l.body.map((line) => String(line[i] ?? '').length));
      col.width = Math.min(60, Math.max(8, longest + 2));
      if (l.kinds[i] !== 'label') col.alignment = { horizontal: 'right' };
      if (l.kinds[i] === 'percent') col.numFmt = '0.0';
    });
    let r = SOURCE_HEADER_ROW + l.body.length + 2;
    const notes = [...tableNotes(t, lang), ...(t.percent ? [w.denominator] : []), ...(view.demo ? [w.demo] : [])];
    for (const note of notes) sheet.getCell(r++, 1).value = note;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
