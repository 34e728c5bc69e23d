// The bounds of an import, in one place. A file is refused as a whole, before any row is expanded,
// when it is larger than a real import needs: the registry takes a few hundred cases a year, so
// 100,000 rows are decades of national data, and the data standard has 39 columns.
import type { Label } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import { csvColumns } from '../standard/csv.ts';

export const importLimits = {
  /** Bytes of a CSV file (an export of 100,000 cases is about 37 MB). */
  csvBytes: 64 * 1024 * 1024,
  /** Bytes of an XLSX file as sent (compressed). */
  xlsxBytes: 32 * 1024 * 1024,
  /** Data rows of a file, after the header. */
  rows: 100_000,
  /** Columns of a table: the standard's columns and a few more (an unknown column is reported by name). */
  columns: csvColumns.length + 25,
  /** Characters of one CSV record (an exported row is about 400). */
  recordChars: 64 * 1024,
  /** Cells of a sheet, empty styled ones included: the work of reading it (all rows × the standard's columns, and some). */
  cells: 5_000_000,
  /** Uncompressed bytes of the sheet's XML, refused by the zip directory's size and while inflating (it streams). */
  sheetXmlBytes: 256 * 1024 * 1024,
  /** Uncompressed bytes of the workbook's shared strings. */
  sharedStringsXmlBytes: 32 * 1024 * 1024,
  /** Uncompressed bytes of the workbook's small parts (workbook, relationships, styles). */
  partXmlBytes: 4 * 1024 * 1024,
  /** Entries of the zip directory. */
  zipEntries: 10_000,
  /** Errors listed one by one in a report; all of them are counted per field and rule. */
  errorsListed: 1000,
  /** Line numbers listed per warning group. */
  warningLinesListed: 20,
} as const;

export type ImportLimit = 'file_size' | 'row_limit' | 'column_limit' | 'cell_limit' | 'record_size' | 'sheet_size';

const n = (x: number) => x.toLocaleString('sv-SE');
const en = (x: number) => x.toLocaleString('en-GB');
const mib = (bytes: number) => Math.round(bytes / (1024 * 1024));

function limitText(rule: ImportLimit, line?: number): Label {
  const L = importLimits;
  switch (rule) {
    case 'file_size':
      return {
        sv: `Filen är för stor: en import tar högst ${mib(L.csvBytes)} MB som CSV och ${mib(L.xlsxBytes)} MB som Excel-ark. Dela upp filen.`,
        en: `The file is too large: an import takes at most ${mib(L.csvBytes)} MB as CSV and ${mib(L.xlsxBytes)} MB as an Excel workbook. Split the file.`,
      };
    case 'row_limit':
      return {
        sv: `Filen har fler än ${n(L.rows)} rader; en import tar högst ${n(L.rows)} rader. Dela upp filen.`,
        en: `The file has more than ${en(L.rows)} rows; an import takes at most ${en(L.rows)} rows. Split the file.`,
      };
    case 'column_limit':
      return {
        sv: `Tabellen har fler än ${L.columns} kolumner; datastandarden har ${csvColumns.length}.`,
        en: `The table has more than ${L.columns} columns; the data standard has ${csvColumns.length}.`,
      };
    case 'cell_limit':
      return {
        sv: `Arket har fler än ${n(L.cells)} celler; en import tar högst ${n(L.cells)}. Dela upp filen.`,
        en: `The sheet has more than ${en(L.cells)} cells; an import takes at most ${en(L.cells)}. Split the file.`,
      };
    case 'record_size':
      return {
        sv: `Rad ${line ?? '?'} är längre än ${n(L.recordChars)} tecken; kontrollera att citattecknen är parade.`,
        en: `Line ${line ?? '?'} is longer than ${en(L.recordChars)} characters; check that the quotes are paired.`,
      };
    case 'sheet_size':
      return {
        sv: `Arket är för stort: högst ${mib(L.sheetXmlBytes)} MB okomprimerat. Spara det som CSV eller dela upp det.`,
        en: `The sheet is too large: at most ${mib(L.sheetXmlBytes)} MB uncompressed. Save it as CSV or split it.`,
      };
  }
}

/** A file beyond a limit of `importLimits`: a 400 (413 for its size) naming the limit, nothing read further. */
export class ImportLimitError extends DomainError {
  constructor(readonly rule: ImportLimit, line?: number) {
    const text = limitText(rule, line);
    super('validation', 'invalid', text, [{ path: 'file', rule, message: text }]);
  }
}
