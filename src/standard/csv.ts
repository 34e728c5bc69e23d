// The CSV interchange format (data standard section 8): text in, text out, read as a stream.
import { finished } from 'node:stream/promises';
import { parse as parseStream, type Options as ParseOptions } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import countries from 'i18n-iso-countries';
import { caseFieldNames, NspSupport, Support, systemFields, type CaseData, type CaseRecord } from './case.ts';
import { codeLists, industryGroup, type CodeEntry, type CodeListName, type Lang } from './codes.ts';
import { countryList } from './countries.ts';
import { ruleMessage, type RuleId } from './messages.ts';
import { todayInStockholm, validateCase, type Violation } from './validate.ts';

type Kind =
  | { kind: 'code' | 'codes'; list: CodeListName }
  | { kind: 'text' | 'int' | 'bool' | 'country' | 'countries' | 'children' };

/** How each data-standard column is written and read. */
const columnKinds: Record<string, Kind> = {
  source: { kind: 'code', list: 'source' },
  organisation_id: { kind: 'text' },
  region: { kind: 'code', list: 'region' },
  identified_on: { kind: 'text' },
  crime_type: { kind: 'code', list: 'crime_type' },
  sex: { kind: 'code', list: 'sex' },
  age: { kind: 'int' },
  age_group: { kind: 'code', list: 'age_group' },
  exploitation_forms: { kind: 'codes', list: 'exploitation_form' },
  industries: { kind: 'codes', list: 'industry' },
  nationality: { kind: 'country' },
  origin_region: { kind: 'code', list: 'world_region' },
  exploited_in_sweden: { kind: 'code', list: 'yes_no' },
  exploitation_countries: { kind: 'countries' },
  referred_by: { kind: 'code', list: 'referred_by' },
  identified_by: { kind: 'code', list: 'identified_by' },
  workplace_inspection: { kind: 'bool' },
  related_children: { kind: 'children' },
  contact_type: { kind: 'code', list: 'contact_type' },
  programme: { kind: 'code', list: 'programme' },
  programme_status: { kind: 'code', list: 'programme_status' },
  programme_role: { kind: 'code', list: 'programme_role' },
  rest_period_start: { kind: 'text' },
  rest_period_end: { kind: 'text' },
  integration_period_start: { kind: 'text' },
  integration_period_end: { kind: 'text' },
  return_country: { kind: 'country' },
  linkage_key: { kind: 'text' },
  'support.reflection_period': { kind: 'code', list: 'application_status' },
  'support.temporary_residence_permit': { kind: 'code', list: 'application_status' },
  'support.nsp.status': { kind: 'code', list: 'application_status' },
  'support.nsp.start_date': { kind: 'text' },
  'support.nsp.end_date': { kind: 'text' },
  'support.amp': { kind: 'code', list: 'application_status' },
  'support.police_report': { kind: 'code', list: 'police_report' },
  'support.offence_reported': { kind: 'codes', list: 'offence_reported' },
  'support.legal_status': { kind: 'code', list: 'legal_status' },
  'support.injured_party_counsel': { kind: 'code', list: 'yes_no' },
  'support.coordinator_contact': { kind: 'code', list: 'yes_no' },
  'support.social_services': { kind: 'codes', list: 'social_services_support' },
  'support.civil_society_support': { kind: 'codes', list: 'civil_society_support' },
  'support.why_civil_society': { kind: 'codes', list: 'why_civil_society' },
};

const supportColumns = Object.keys(Support.shape).flatMap((k) =>
  k === 'nsp' ? Object.keys(NspSupport.shape).map((n) => `support.nsp.${n}`) : [`support.${k}`],
);
const dataColumns = caseFieldNames.flatMap((f) => (f === 'support' ? supportColumns : [f]));
for (const col of dataColumns) if (!columnKinds[col]) throw new Error(`CSV column without a kind: ${col}`);

/** Header order: data-standard fields (support fields as support.<name>), then system columns. */
export const csvColumns: string[] = [...dataColumns, ...systemFields];

export type CsvRowResult = { line: number; data: CaseData | null; errors: Violation[]; warnings: Violation[] };

const requiredColumns = ['source', 'identified_on', 'sex', 'age_group'];
const knownColumns = new Set(csvColumns);
const systemColumns = new Set<string>(systemFields);

// Lookup maps from code, Swedish or English label to code, built once.
const norm = (s: string) => s.trim().toLowerCase().replace(/[\u2010-\u2015]/g, '-').replace(/\s+/g, ' ');

function lookupMap(entries: readonly CodeEntry[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) m.set(norm(e.code), e.code);
  for (const lang of ['sv', 'en'] as const) for (const e of entries) if (!m.has(norm(e[lang]))) m.set(norm(e[lang]), e.code);
  return m;
}
const codeMaps = new Map<CodeListName, Map<string, string>>(
  (Object.keys(codeLists) as CodeListName[]).map((name) => {
    const items = codeLists[name].items as CodeEntry[];
    // Group codes are looked up too, so that validation can say "choose an industry within the group".
    return [name, lookupMap(name === 'industry' ? [...items, ...(industryGroup.items as CodeEntry[])] : items)];
  }),
);
const countryMap = (() => {
  const m = new Map<string, string>();
  for (const c of countryList) m.set(norm(c.code), c.code);
  for (const lang of ['sv', 'en'] as const) {
    for (const [code, names] of Object.entries(countries.getNames(lang, { select: 'all' }) as Record<string, string[]>))
      for (const n of names) if (!m.has(norm(n))) m.set(norm(n), code);
  }
  for (const c of countryList) if (!m.has(norm(c.alpha3))) m.set(norm(c.alpha3), c.code);
  return m;
})();
const boolMap = new Map<string, boolean>([
  ['true', true], ['false', false], ['sant', true], ['falskt', false],
  ['ja', true], ['nej', false], ['yes', true], ['no', false],
]);

// An unrecognised cell is passed on as text, so that validation reports it with its rule.
const splitList = (cell: string) => cell.split(';').map((s) => s.trim()).filter((s) => s !== '');
const toCode = (m: Map<string, string>, s: string) => m.get(s) ?? m.get(norm(s)) ?? s;

function readCell(kind: Kind, cell: string): unknown {
  switch (kind.kind) {
    case 'text':
      return cell;
    case 'code':
      return toCode(codeMaps.get(kind.list)!, cell);
    case 'codes':
      return splitList(cell).map((s) => toCode(codeMaps.get(kind.list)!, s));
    case 'int':
      return /^[+-]?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    case 'bool':
      return boolMap.get(norm(cell)) ?? cell;
    case 'country':
      return toCode(countryMap, cell);
    case 'countries':
      return splitList(cell).map((s) => toCode(countryMap, s));
    case 'children':
      return splitList(cell).map((item) => {
        const colon = item.indexOf(':');
        const location = (colon < 0 ? item : item.slice(0, colon)).trim();
        const ageBand = colon < 0 ? '' : item.slice(colon + 1).trim();
        return {
          location: location ? toCode(codeMaps.get('child_location')!, location) : undefined,
          age_band: ageBand ? toCode(codeMaps.get('child_age_band')!, ageBand) : undefined,
        };
      });
  }
}

/** One record of the table: the physical line it starts on and its cells. `unclosed`: a quote opened there never closed. */
export type CsvRecord = { line: number; cells: string[]; unclosed?: boolean };

/** A CSV record longer than the reader's bound (usually an unpaired quote swallowing the rest of the file). */
export class CsvRecordTooLong extends Error {
  constructor(readonly line: number) {
    super(`CSV record at line ${line} too long`);
    this.name = 'CsvRecordTooLong';
  }
}

// RFC 4180 leniently: any line break ends a record, a quote inside an unquoted cell is text, rows
// may have any number of cells. `raw` gives each record's text, so that its starting line is known.
const parseOptions = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  raw: true,
  record_delimiter: ['\r\n', '\n', '\r'],
} satisfies ParseOptions;

/** Line breaks in a record's raw text: a quoted cell's newlines count, like the record's own end. */
function lineBreaks(raw: string): number {
  let n = 0;
  for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) n++;
  if (raw.endsWith('\r')) n++;
  return n;
}

async function* decodeUtf8(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * The records of a CSV text, read as a stream (csv-parse): memory holds one chunk at a time.
 * Ends with an `unclosed` record when a quote never closes; throws CsvRecordTooLong past `maxRecordChars`.
 */
export async function* csvRecords(source: string | AsyncIterable<string | Uint8Array>, opts: { maxRecordChars?: number } = {}): AsyncGenerator<CsvRecord> {
  // Records are taken off the parser as it reads them (on_record), not from its readable side: a
  // parse error destroys that side with the records still in it, and their lines would be lost.
  const parsed: CsvRecord[] = [];
  let line = 1;
  const parser = parseStream({
    ...parseOptions,
    max_record_size: opts.maxRecordChars ?? 0,
    on_record: (entry: unknown) => {
      const { record, raw } = entry as { record: string[]; raw: string };
      parsed.push({ line, cells: record });
      line += lineBreaks(raw);
      return null;
    },
  } as ParseOptions);
  parser.on('error', () => {}); // every error is taken from write's callback or from `finished`
  parser.resume();
  const write = (chunk: string) => new Promise<void>((resolve, reject) => parser.write(chunk, (e) => (e ? reject(e) : resolve())));
  try {
    for await (const text of typeof source === 'string' ? [source] : decodeUtf8(source)) {
      await write(text);
      yield* parsed.splice(0);
    }
    parser.end();
    await finished(parser);
    yield* parsed.splice(0);
  } catch (e) {
    yield* parsed.splice(0);
    const code = (e as { code?: unknown }).code;
    if (code === 'CSV_MAX_RECORD_SIZE') throw new CsvRecordTooLong(line);
    if (typeof code !== 'string' || !code.startsWith('CSV_')) throw e;
    yield { line, cells: [], unclosed: true };
  } finally {
    parser.destroy();
  }
}

/** The records of a CSV text at once (csv-parse's synchronous API, the same options and lines). */
function csvRecordsSync(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  try {
    parseSync(text, {
      ...parseOptions,
      // With `raw`, each record arrives as { record, raw }.
      on_record: (entry: unknown) => {
        const { record, raw } = entry as { record: string[]; raw: string };
        records.push({ line, cells: record });
        line += lineBreaks(raw);
        return null;
      },
    } as ParseOptions);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('CSV_')) throw e;
    records.push({ line, cells: [], unclosed: true });
  }
  return records;
}

const violation = (path: string, rule: RuleId): Violation => ({ path, rule, message: ruleMessage(rule, path) });
function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}
// Export guards cells against spreadsheet formulas with a leading apostrophe; import removes it.
const unguard = (cell: string) => (cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

type ColumnReader = { index: number; kind: Kind; group: 'case' | 'support' | 'nsp'; key: string };

/**
 * Reads the table of cases one record at a time (CSV or a spreadsheet's rows): the first record is
 * the header, every later one a case validated with validateCase. A table with header errors must be
 * rejected as a whole; its rows are still read so that every problem is shown at once.
 */
export class CaseTableReader {
  readonly headerErrors: Violation[] = [];
  private state: 'start' | 'rows' | 'stopped' | 'empty' = 'start';
  private width = 0;
  private readers: ColumnReader[] = [];
  private badEncoding = false;
  private readonly today: string;

  constructor(opts: { today?: string } = {}) {
    this.today = opts.today ?? todayInStockholm();
  }

  /** A data row's result; null for the header, a blank row, or any row after an unreadable header. */
  read(record: CsvRecord): CsvRowResult | null {
    const { line, cells } = record;
    if (record.unclosed) {
      if (this.state === 'start') {
        this.headerErrors.push(violation('', line === 1 ? 'unclosed_quote' : 'empty_file'));
        this.state = 'empty';
      }
      return this.state === 'rows' ? { line, data: null, errors: [violation('', 'unclosed_quote')], warnings: [] } : null;
    }
    if (!this.badEncoding && cells.some((c) => c.includes('\ufffd'))) this.badEncoding = true;
    if (this.state === 'start') {
      this.readHeader(cells);
      return null;
    }
    if (this.state !== 'rows' || isBlank(cells)) return null;
    return this.readRow(line, cells);
  }

  /** After the last record: the header errors of the whole table. */
  finish(): Violation[] {
    if (this.state === 'start') {
      this.headerErrors.push(violation('', 'empty_file'));
      this.state = 'empty';
    }
    if (this.badEncoding && this.state !== 'empty') {
      this.headerErrors.unshift(violation('', 'encoding'));
      this.badEncoding = false;
    }
    return this.headerErrors;
  }

  private readHeader(cells: string[]) {
    if (isBlank(cells)) {
      this.headerErrors.push(violation('', 'empty_file'));
      this.state = 'empty';
      return;
    }
    if (cells.length === 1 && cells[0].includes(';') && cells[0].split(';').some((name) => knownColumns.has(norm(name)))) {
      this.headerErrors.push(violation('', 'delimiter'));
      this.state = 'stopped';
      return;
    }
    const names = cells.map(norm);
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (!knownColumns.has(name)) this.headerErrors.push(violation(cells[i].trim().slice(0, 64), 'unknown_column'));
      else if (seen.has(name)) this.headerErrors.push(violation(name, 'duplicate_column'));
      seen.add(name);
    });
    for (const col of requiredColumns) if (!seen.has(col)) this.headerErrors.push(violation(col, 'missing_column'));
    // Only data columns are read, each once: system and unknown columns are skipped.
    const taken = new Set<string>();
    names.forEach((name, index) => {
      if (!knownColumns.has(name) || systemColumns.has(name) || taken.has(name)) return;
      taken.add(name);
      const group = name.startsWith('support.nsp.') ? 'nsp' : name.startsWith('support.') ? 'support' : 'case';
      this.readers.push({ index, kind: columnKinds[name], group, key: name.slice(name.lastIndexOf('.') + 1) });
    });
    this.width = names.length;
    this.state = 'rows';
  }

  private readRow(line: number, cells: string[]): CsvRowResult {
    const extra: Violation[] = [];
    if (cells.length > this.width && !isBlank(cells.slice(this.width))) extra.push(violation('', 'column_count'));
    const input: Record<string, unknown> = {};
    let support: Record<string, unknown> | null = null;
    let nsp: Record<string, unknown> | null = null;
    for (const { index, kind, group, key } of this.readers) {
      const cell = unguard((cells[index] ?? '').trim());
      if (cell === '') continue;
      const value = readCell(kind, cell);
      if (group === 'case') input[key] = value;
      else if (group === 'nsp') (nsp ??= {})[key] = value;
      else (support ??= {})[key] = value;
    }
    if (nsp) (support ??= {}).nsp = nsp;
    if (support) input.support = support;
    const result = validateCase(input, { today: this.today });
    return result.ok
      ? { line, data: extra.length ? null : result.data, errors: extra, warnings: result.warnings }
      : { line, data: null, errors: [...extra, ...result.errors], warnings: result.warnings };
  }
}

/** Reads a whole CSV text of cases at once (tests, benchmarks; the import streams with csvRecords). */
export function parseCasesCsv(text: string, opts: { today?: string } = {}): { headerErrors: Violation[]; rows: CsvRowResult[] } {
  const reader = new CaseTableReader(opts);
  const rows: CsvRowResult[] = [];
  for (const record of csvRecordsSync(text)) {
    const row = reader.read(record);
    if (row) rows.push(row);
  }
  return { headerErrors: reader.finish(), rows };
}

type ExportRecord = CaseData & Partial<Pick<CaseRecord, 'id' | 'reference' | 'version' | 'status' | 'created_at' | 'updated_at' | 'created_by'>>;

function cellOf(record: ExportRecord, column: string): string {
  let value: unknown;
  if (column.startsWith('support.nsp.')) value = record.support?.nsp?.[column.slice(12) as 'status'];
  else if (column.startsWith('support.')) value = record.support?.[column.slice(8) as 'amp'];
  else value = (record as Record<string, unknown>)[column];
  if (value === null || value === undefined) return '';
  if (column === 'related_children') return record.related_children.map((c) => `${c.location}:${c.age_band}`).join(';');
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

function quote(cell: string): string {
  const guarded = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]|^\s|\s$/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Writes cases as CSV with a byte-order mark, the header of csvColumns and CRLF line ends. */
export function casesToCsv(records: ReadonlyArray<ExportRecord>): string {
  const lines = [csvColumns.join(',')];
  for (const r of records) lines.push(csvColumns.map((col) => quote(cellOf(r, col))).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** An empty file to fill in: the header of the data-standard columns an import reads (no system columns). */
export function importTemplateCsv(): string {
  return '\ufeff' + dataColumns.join(',') + '\r\n';
}

/** The CSV column a violation path belongs to (list positions and child fields fold into their column). */
export function columnOfPath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('.')) {
    if (/^\d+$/.test(p)) break;
    parts.push(p);
  }
  const col = parts.join('.');
  return knownColumns.has(col) || col === '' ? col : path;
}

/** One problem as a line of the import report: `line N: field: message`, warnings with `warning:`. */
export function formatProblem(line: number, v: Violation, lang: Lang, kind: 'error' | 'warning' = 'error'): string {
  const field = columnOfPath(v.path);
  const text = (kind === 'warning' ? 'warning: ' : '') + v.message[lang];
  return field === '' ? `line ${line}: ${text}` : `line ${line}: ${field}: ${text}`;
}
