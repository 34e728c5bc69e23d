// Spreadsheets typed by people arrive as XLSX: the first sheet is read as the interchange format's
// table (header in row 1), so a problem's line number is the sheet's row number.
//
// A workbook is a zip of XML, and a few kilobytes of it can describe a million rows or a cell at
// column XFD. So it is read here with bounds, not with a general spreadsheet library: the zip
// directory first (declared sizes refused before anything is inflated, inflation itself capped),
// then the sheet's XML inflated and scanned as a stream, every cell counted against `importLimits`
// before it is used, and row by row the cells that hold something passed on.
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import type { CsvRecord } from '../standard/csv.ts';
import { DomainError } from '../standard/domain-error.ts';
import { ImportLimitError, importLimits, type ImportLimit } from './limits.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const unreadable = {
  sv: 'Filen kunde inte läsas som ett Excel-ark (XLSX).',
  en: 'The file could not be read as an Excel workbook (XLSX).',
};

export class SpreadsheetError extends DomainError {
  constructor() {
    super('validation', 'invalid', unreadable, [{ path: 'file', rule: 'xlsx', message: unreadable }]);
  }
}

// ---- the zip directory ------------------------------------------------------------------------

type ZipEntry = { method: number; flags: number; compressedSize: number; size: number; offset: number };

/** The central directory of a zip, by name; a file that is not a plain (non-zip64) zip is unreadable. */
function zipDirectory(file: Buffer): Map<string, ZipEntry> {
  const floor = Math.max(0, file.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = file.length - 22; i >= floor; i--) {
    if (file.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new SpreadsheetError();
  const count = file.readUInt16LE(eocd + 10);
  const start = file.readUInt32LE(eocd + 16);
  if (count > importLimits.zipEntries) throw new SpreadsheetError();
  const entries = new Map<string, ZipEntry>();
  let p = start;
  for (let k = 0; k < count; k++) {
    if (p + 46 > file.length || file.readUInt32LE(p) !== 0x02014b50) throw new SpreadsheetError();
    const nameLength = file.readUInt16LE(p + 28);
    const name = file.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, {
      flags: file.readUInt16LE(p + 8),
      method: file.readUInt16LE(p + 10),
      compressedSize: file.readUInt32LE(p + 20),
      size: file.readUInt32LE(p + 24),
      offset: file.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
  }
  return entries;
}

/** One part of the zip as text, refused by its declared size before inflating and capped while inflating. */
function readPart(file: Buffer, entry: ZipEntry, maxBytes: number, limit: ImportLimit | null): string {
  if (entry.size > maxBytes || entry.size === 0xffffffff) throw limit ? new ImportLimitError(limit) : new SpreadsheetError();
  if (entry.flags & 1) throw new SpreadsheetError(); // encrypted
  const p = entry.offset;
  if (p + 30 > file.length || file.readUInt32LE(p) !== 0x04034b50) throw new SpreadsheetError();
  const dataStart = p + 30 + file.readUInt16LE(p + 26) + file.readUInt16LE(p + 28);
  const data = file.subarray(dataStart, dataStart + entry.compressedSize);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method !== 8) throw new SpreadsheetError();
  try {
    // The declared size may lie: inflation stops at the bound whatever the directory says.
    return inflateRawSync(data, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw limit ? new ImportLimitError(limit) : new SpreadsheetError();
    throw new SpreadsheetError();
  }
}

// ---- the workbook's parts ---------------------------------------------------------------------

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] !== '#') return entities[e];
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}
const attrPatterns = new Map<string, RegExp>();
function attr(tag: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) attrPatterns.set(name, (re = new RegExp(`\\s${name}="([^"]*)"`)));
  return re.exec(tag)?.[1];
}

/** The text of a string item: its runs' `<t>`, without phonetic runs. */
function itemText(xml: string): string {
  let text = '';
  for (const m of xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '').matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) text += m[1];
  return unescapeXml(text);
}

function sharedStrings(xml: string): string[] {
  return Array.from(xml.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g), (m) => itemText(m[1] ?? ''));
}

// Built-in number formats that are dates (ECMA-376 18.8.30).
const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** The cell styles (indices of cellXfs) whose number format shows a date. */
function dateStyles(xml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b[^>]*>/g)) custom.set(Number(attr(m[0], 'numFmtId')), unescapeXml(attr(m[0], 'formatCode') ?? ''));
  const isDate = (id: number) => {
    if (builtInDateFormats.has(id)) return true;
    const code = custom.get(id);
    // A date format has d, m or y outside quoted text, escapes and [colour/locale] brackets.
    return code !== undefined && /[dmy]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));
  };
  const styles = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[\s\S]*?<\/(?:\w+:)?cellXfs>/.exec(xml)?.[0] ?? '';
  let index = 0;
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b[^>]*>/g)) {
    if (isDate(Number(attr(m[0], 'numFmtId') ?? 0))) styles.add(index);
    index++;
  }
  return styles;
}

type Workbook = { sheet: string; strings: string | null; styles: string | null; date1904: boolean };

/** The first sheet's part, and the shared strings and styles, from the workbook and its relationships. */
function workbookParts(file: Buffer, dir: Map<string, ZipEntry>): Workbook {
  const book = dir.get('xl/workbook.xml');
  if (!book) throw new SpreadsheetError();
  const workbook = readPart(file, book, importLimits.partXmlBytes, null);
  const rels = dir.get('xl/_rels/workbook.xml.rels');
  const targets = new Map<string, { type: string; target: string }>();
  if (rels) {
    for (const m of readPart(file, rels, importLimits.partXmlBytes, null).matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      const target = attr(m[0], 'Target') ?? '';
      targets.set(attr(m[0], 'Id') ?? '', { type: attr(m[0], 'Type') ?? '', target: target.startsWith('/') ? target.slice(1) : `xl/${target}` });
    }
  }
  const firstSheet = /<(?:\w+:)?sheet\b[^>]*>/.exec(workbook)?.[0] ?? '';
  const id = /\s(?:\w+:)?id="([^"]*)"/.exec(firstSheet)?.[1];
  const byType = (suffix: string) => [...targets.values()].find((t) => t.type.endsWith(suffix))?.target;
  return {
    sheet: (id && targets.get(id)?.target) || 'xl/worksheets/sheet1.xml',
    strings: byType('/sharedStrings') ?? (dir.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : null),
    styles: byType('/styles') ?? (dir.has('xl/styles.xml') ? 'xl/styles.xml' : null),
    date1904: /<(?:\w+:)?workbookPr\b[^>]*\sdate1904="(1|true)"/.test(workbook),
  };
}

// ---- the sheet --------------------------------------------------------------------------------

// A row tag, or a cell (self-closed, or with content). Attributes never contain '>' unescaped.
const tagPattern = /<(?:\w+:)?row\b([^>]*?)\/?>|<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

/** Row and column of a cell: from its `r` attribute, else the one after the previous (as the format allows). */
function position(attrs: string, row: number, previousColumn: number): { row: number; column: number } {
  const r = attr(attrs, 'r');
  const m = r ? /^([A-Z]{1,3})(\d+)$/.exec(r) : null;
  return m ? { row: Number(m[2]), column: columnNumber(m[1]) } : { row, column: previousColumn + 1 };
}

const hasValue = (inner: string | undefined) => inner !== undefined && /<(?:\w+:)?(?:v|is)\b/.test(inner);

/** The inflated text of a part in chunks, refused by its declared size and stopped at `maxBytes` as it inflates. */
async function* partChunks(file: Buffer, entry: ZipEntry, maxBytes: number, limit: ImportLimit): AsyncGenerator<string> {
  if (entry.size > maxBytes || entry.size === 0xffffffff) throw new ImportLimitError(limit);
  if (entry.flags & 1) throw new SpreadsheetError(); // encrypted
  const p = entry.offset;
  if (p + 30 > file.length || file.readUInt32LE(p) !== 0x04034b50) throw new SpreadsheetError();
  const dataStart = p + 30 + file.readUInt16LE(p + 26) + file.readUInt16LE(p + 28);
  const data = file.subarray(dataStart, dataStart + entry.compressedSize);
  if (entry.method === 0) {
    yield data.toString('utf8');
    return;
  }
  if (entry.method !== 8) throw new SpreadsheetError();
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  inflate.end(data);
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      // The declared size may lie: inflation stops at the bound whatever the directory says.
      bytes += chunk.length;
      if (bytes > maxBytes) throw new ImportLimitError(limit);
      yield decoder.decode(chunk, { stream: true });
    }
  } catch (e) {
    if (e instanceof ImportLimitError) throw e;
    throw new SpreadsheetError();
  } finally {
    inflate.destroy();
  }
  yield decoder.decode();
}

/** The end of the last closing row tag in `s` (-1 when none): a row's cells never cross it. */
function lastRowEnd(s: string): number {
  for (let i = s.lastIndexOf('row>'); i >= 0; i = s.lastIndexOf('row>', i - 1)) {
    const open = s.lastIndexOf('<', i);
    if (open >= 0 && /^<\/(?:\w+:)?$/.test(s.slice(open, i))) return i + 4;
  }
  return -1;
}

/** The sheet's XML in pieces that end at a row's end, so no cell is cut; a row longer than `maxRowChars` is refused. */
async function* rowPieces(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of chunks) {
    pending += chunk;
    const cut = lastRowEnd(pending);
    if (cut < 0) {
      if (pending.length > maxRowChars) throw new ImportLimitError('sheet_size');
      continue;
    }
    yield pending.slice(0, cut);
    pending = pending.slice(cut);
  }
  if (pending) yield pending;
}
// A sheet row of the standard's columns is a few kilobytes of XML; this is far beyond any real one.
const maxRowChars = 16 * 1024 * 1024;

/** A cell as the CSV format writes it: dates as YYYY-MM-DD, booleans as true/false, line breaks folded. */
function cellText(attrs: string, inner: string, strings: string[], dates: Set<number>, date1904: boolean): string {
  const type = attr(attrs, 't') ?? 'n';
  const v = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
  let text: string;
  switch (type) {
    case 's':
      text = strings[Number(v)] ?? '';
      break;
    case 'inlineStr':
      text = itemText(/<(?:\w+:)?is\b[\s\S]*?<\/(?:\w+:)?is>/.exec(inner)?.[0] ?? '');
      break;
    case 'b':
      text = v === undefined ? '' : v.trim() === '1' || v.trim() === 'true' ? 'true' : 'false';
      break;
    case 'e':
      text = '';
      break;
    case 'd':
      text = unescapeXml(v ?? '').slice(0, 10);
      break;
    case 'str':
      text = unescapeXml(v ?? '');
      break;
    default: {
      if (v === undefined) return '';
      const number = Number(v);
      const style = Number(attr(attrs, 's') ?? 0);
      if (Number.isFinite(number) && dates.has(style)) {
        // Excel counts days from 1899-12-30 (1904-01-01 in the 1904 system).
        const at = new Date(Math.round((number - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
        text = Number.isFinite(at.getTime()) ? at.toISOString().slice(0, 10) : v;
      } else text = Number.isFinite(number) ? String(number) : v;
    }
  }
  return text.replace(/\r?\n/g, ' ');
}

/**
 * The first sheet of an XLSX workbook as records of the interchange format's table, one per sheet
 * row (the row number is the line). The sheet is inflated and read as a stream; every cell is
 * counted against `importLimits` before it is used (cells, rows and columns of cells that hold a
 * value; a formatted but empty cell is no data but is work), so a bomb is refused as soon as it
 * shows, whatever it declares, and no row is ever expanded beyond the limits.
 */
export async function* xlsxRecords(file: Buffer): AsyncGenerator<CsvRecord> {
  const dir = zipDirectory(file);
  const parts = workbookParts(file, dir);
  const sheetEntry = dir.get(parts.sheet);
  if (!sheetEntry) throw new SpreadsheetError();
  if (sheetEntry.size > importLimits.sheetXmlBytes || sheetEntry.size === 0xffffffff) throw new ImportLimitError('sheet_size');
  const stringsEntry = parts.strings ? dir.get(parts.strings) : undefined;
  const strings = stringsEntry ? sharedStrings(readPart(file, stringsEntry, importLimits.sharedStringsXmlBytes, 'sheet_size')) : [];
  const stylesEntry = parts.styles ? dir.get(parts.styles) : undefined;
  const dates = stylesEntry ? dateStyles(readPart(file, stylesEntry, importLimits.partXmlBytes, null)) : new Set<number>();

  // Rows are passed on as they end; the rows between two that hold data are empty lines.
  let current: CsvRecord | null = null;
  let cells = 0;
  let row = 0;
  let column = 0;
  let emitted = 0;
  for await (const piece of rowPieces(partChunks(file, sheetEntry, importLimits.sheetXmlBytes, 'sheet_size'))) {
    for (const m of piece.matchAll(tagPattern)) {
      if (m[2] === undefined) {
        if (current) yield current;
        current = null;
        const r = attr(m[1], 'r');
        row = r ? Number(r) : row + 1;
        column = 0;
        continue;
      }
      if (++cells > importLimits.cells) throw new ImportLimitError('cell_limit');
      const at = position(m[2], row, column);
      column = at.column;
      if (!hasValue(m[3])) continue;
      // The header is row 1: rows + 1 sheet rows hold at most `rows` data rows.
      if (at.row > importLimits.rows + 1) throw new ImportLimitError('row_limit');
      if (at.column > importLimits.columns) throw new ImportLimitError('column_limit');
      const text = cellText(m[2], m[3], strings, dates, parts.date1904);
      if (text === '') continue;
      if (!current || current.line !== at.row) {
        if (current) yield current;
        while (emitted + 1 < at.row) yield { line: ++emitted, cells: [] };
        current = { line: at.row, cells: [] };
        emitted = Math.max(emitted, at.row);
      }
      while (current.cells.length < at.column - 1) current.cells.push('');
      current.cells[at.column - 1] = text;
    }
  }
  if (current) yield current;
}

/** The first sheet as CSV text (the table as the CSV format would hold it); for tests and tools. */
export async function xlsxToCsv(file: Buffer): Promise<string> {
  const rows: string[][] = [];
  for await (const r of xlsxRecords(file)) rows.push(r.cells);
  const width = rows[0]?.length ?? 0;
  return stringify(rows.map((cells) => Array.from({ length: Math.max(width, cells.length) }, (_, i) => cells[i] ?? '')), { record_delimiter: '\n' });
}
