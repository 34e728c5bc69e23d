// Spreadsheets typed by people arrive as XLSX: the first sheet is read as the interchange
// format's table (header in row 1), so a problem's line number is the sheet's row number.
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class SpreadsheetError extends Error {
  readonly code = 'validation';
  readonly text = {
    sv: 'Filen kunde inte läsas som ett Excel-ark (XLSX).',
    en: 'The file could not be read as an Excel workbook (XLSX).',
  };
  readonly violations = [{ path: 'file', rule: 'xlsx', message: this.text }];
  constructor() {
    super('unreadable spreadsheet');
    this.name = 'SpreadsheetError';
  }
}

/** One cell as the CSV format writes it: dates as YYYY-MM-DD, booleans as true/false, line breaks folded. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string') return String(value).replace(/\r?\n/g, ' ');
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').replace(/\r?\n/g, ' ');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
  }
  return '';
}

/** The first sheet of an XLSX workbook as CSV text of the interchange format, one line per sheet row. */
export async function xlsxToCsv(file: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new SpreadsheetError();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SpreadsheetError();
  const width = sheet.getRow(1).cellCount;
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  }
  return stringify(rows, { record_delimiter: '\n' });
}
