// CSV and XLSX import, CSV export. An import is all or nothing: every row is validated in JS
// first, as the file streams in, then all rows are loaded in one transaction with COPY.
import crypto, { type Hash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { and, asc, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize, can } from '../access/policy.ts';
import { caseScopeCondition } from '../access/scope-sql.ts';
import type { CaseData } from '../standard/case.ts';
import type { Lang } from '../standard/codes.ts';
import { CaseTableReader, casesToCsv, columnOfPath, csvRecords, CsvRecordTooLong, type CsvRecord, type CsvRowResult } from '../standard/csv.ts';
import { statisticsYear } from '../standard/derive.ts';
import { canonicalJson } from '../store/canonical-json.ts';
import { copyInto, copyText } from '../store/copy.ts';
import type { Executor, Tx } from '../store/db.ts';
import { isDemoInstance } from '../store/instance.ts';
import { DomainError } from '../standard/domain-error.ts';
import { cases, caseVersions, importFiles } from '../store/schema.ts';
import { filterColumns, formatReference, newCaseId, whereOf, type CaseFilters, referencePrefix, reserveReferences, targetOf, unknownOrganisation, unknownOrganisations, organisationProgrammes, otherProgramme } from './cases.ts';
import type { Violation } from '../standard/validate.ts';
import { ImportLimitError, importLimits } from './limits.ts';
import { xlsxRecords } from './xlsx.ts';

const outOfScope: Violation = {
  path: 'region',
  rule: 'out_of_scope',
  message: {
    sv: 'Du kan bara registrera ärenden inom din egen region eller organisation.',
    en: 'You can only register cases within your own region or organisation.',
  },
};

/**
 * The demo instance holds synthetic data only and refuses every import, whoever asks (the web
 * app, the API, the command line on the data directory): the refusal lives here, not in a caller.
 */
export class DemoInstanceError extends DomainError {
  constructor() {
    super('demo_instance', 'conflict', {
      sv: 'Det här är demoinstansen med syntetiska uppgifter; den tar inte emot riktiga uppgifter. Starta en riktig instans med en egen datakatalog och --no-demo (eller DATABASE_URL).',
      en: 'This is the demo instance with synthetic data; it does not accept real data. Start a real instance with its own data directory and --no-demo (or DATABASE_URL).',
    });
  }
}

/**
 * The same file (byte for byte) was imported before: importing it again would register every case
 * a second time, so it is refused unless the person confirms (`confirmDuplicate`).
 */
export class DuplicateImportError extends DomainError {
  constructor(readonly importedAt: Date) {
    super('duplicate_import', 'conflict', {
      sv: `Samma fil importerades redan ${stockholmTime(importedAt, 'sv')}. Importerar du den igen registreras alla ärenden i den en gång till.`,
      en: `The same file was already imported on ${stockholmTime(importedAt, 'en')}. Importing it again registers every case in it a second time.`,
    });
  }
}

/**
 * Rows of the file whose data equals a case already registered (not withdrawn): importing them
 * registers those persons a second time, so the import is refused unless the person confirms
 * (`confirmDuplicate`, the same confirmation as for a file imported before). Names the lines.
 */
export class IdenticalRowsError extends DomainError {
  constructor(readonly lines: readonly number[]) {
    const shown = lines.slice(0, 10).join(', ');
    const more = lines.length > 10 ? lines.length - 10 : 0;
    super('identical_rows', 'conflict', {
      sv: `${lines.length === 1 ? 'En rad är likadan' : `${lines.length} rader är likadana`} som ärenden som redan finns (rad ${shown}${more ? ` och ${more} till` : ''}). Importerar du ändå registreras de en gång till.`,
      en: `${lines.length === 1 ? 'One row is the same' : `${lines.length} rows are the same`} as cases already registered (line ${shown}${more ? ` and ${more} more` : ''}). Importing all the same registers them a second time.`,
    });
  }
}

/** A moment as people in Sweden read it: "2026-12-02 kl. 06:41" / "2026-12-02 at 06:41". */
function stockholmTime(at: Date, lang: Lang): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${lang === 'sv' ? 'kl.' : 'at'} ${parts.hour}:${parts.minute}`;
}

/** One listed error of an import: its line (file line or sheet row), column, rule and message. */
export type ImportError = { line: number; field: string; rule: string; message: string };
/** How many problems a column has under one rule, and the rule in words (the first row's message). */
export type RuleCount = { field: string; rule: string; count: number; message: string };
/** The rows that share one warning: their count, the first lines and the first row's message. */
export type WarningGroup = RuleCount & { lines: number[] };

export type ImportResult = {
  ok: boolean;
  imported: number;
  /** Every error of the file, counted. */
  errorCount: number;
  /** The first `importLimits.errorsListed` errors (header errors first, then in line order). */
  errors: ImportError[];
  /** The same errors as text lines: `line N: field: message`. */
  problems: string[];
  /** All errors counted per column and rule, most frequent first. */
  errorsByRule: RuleCount[];
  warningCount: number;
  /** Warnings grouped per column and rule, most frequent first. */
  warningGroups: WarningGroup[];
  /** The groups as text lines: `warning: RULE: N rows: line 11, 12, 13 … and N more: field: message`. */
  warnings: string[];
};

/** Where the table comes from: CSV text (or its bytes as a stream), or an XLSX workbook. */
export type ImportSource = { csv: string | AsyncIterable<string | Uint8Array> } | { xlsx: Buffer };

/** An import's problems, bounded: the first errors listed, every error and warning counted. */
class Report {
  private headerErrors: ImportError[] = [];
  private rowErrors: ImportError[] = [];
  private errorCounts = new Map<string, RuleCount>();
  private warningCounts = new Map<string, WarningGroup>();
  errorCount = 0;
  warningCount = 0;

  constructor(private readonly lang: Lang) {}

  error(line: number, v: Violation, header = false) {
    this.errorCount++;
    const field = columnOfPath(v.path);
    const key = `${field}\u0000${v.rule}`;
    const counted = this.errorCounts.get(key);
    if (counted) counted.count++;
    else this.errorCounts.set(key, { field, rule: v.rule, count: 1, message: v.message[this.lang] });
    const list = header ? this.headerErrors : this.rowErrors;
    if (list.length < importLimits.errorsListed) list.push({ line, field, rule: v.rule, message: v.message[this.lang] });
  }

  warning(line: number, v: Violation) {
    this.warningCount++;
    const field = columnOfPath(v.path);
    const key = `${field}\u0000${v.rule}`;
    const group = this.warningCounts.get(key);
    if (!group) this.warningCounts.set(key, { field, rule: v.rule, count: 1, lines: [line], message: v.message[this.lang] });
    else {
      group.count++;
      // A row may warn twice under one rule (two list items): its line is listed once.
      if (group.lines.length < importLimits.warningLinesListed && group.lines.at(-1) !== line) group.lines.push(line);
    }
  }

  result(imported: number): ImportResult {
    const byCount = <T extends RuleCount>(a: T, b: T) => b.count - a.count || a.field.localeCompare(b.field) || a.rule.localeCompare(b.rule);
    const errors = [...this.headerErrors, ...this.rowErrors].slice(0, importLimits.errorsListed);
    const warningGroups = [...this.warningCounts.values()].sort(byCount);
    return {
      ok: this.errorCount === 0,
      imported,
      errorCount: this.errorCount,
      errors,
      problems: errors.map(problemLine),
      errorsByRule: [...this.errorCounts.values()].sort(byCount),
      warningCount: this.warningCount,
      warningGroups,
      warnings: warningGroups.map(warningLine),
    };
  }
}

/** An error as a report line: `line N: field: message` (the field left out for a whole-row problem). */
export function problemLine(e: ImportError): string {
  return e.field === '' ? `line ${e.line}: ${e.message}` : `line ${e.line}: ${e.field}: ${e.message}`;
}

/** A warning group as one report line: `warning: RULE: N rows: line 11, 12, 13 … and N more: field: message`. */
export function warningLine(g: WarningGroup): string {
  const more = g.count - g.lines.length;
  const lines = `line ${g.lines.join(', ')}${more > 0 ? ` … and ${more} more` : ''}`;
  return `warning: ${g.rule}: ${g.count} ${g.count === 1 ? 'row' : 'rows'}: ${lines}: ${g.field === '' ? '' : `${g.field}: `}${g.message}`;
}

/** Bytes of a streamed CSV counted against the file-size limit as they arrive. */
async function* capped(source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, maxBytes: number, hash: Hash): AsyncGenerator<string | Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > maxBytes) throw new ImportLimitError('file_size');
    hash.update(chunk);
    yield chunk;
  }
}

/** The table's records, refused as a whole past the limits on size, record length, rows and columns. */
async function* tableRecords(source: ImportSource, hash: Hash): AsyncGenerator<CsvRecord> {
  let records: Iterable<CsvRecord> | AsyncIterable<CsvRecord>;
  if ('xlsx' in source) {
    if (source.xlsx.length > importLimits.xlsxBytes) throw new ImportLimitError('file_size');
    hash.update(source.xlsx);
    records = xlsxRecords(source.xlsx);
  } else {
    const csv = typeof source.csv === 'string' ? [source.csv] : source.csv;
    records = csvRecords(capped(csv, importLimits.csvBytes, hash), { maxRecordChars: importLimits.recordChars });
  }
  let rows = -1; // the header is the first record that holds something
  try {
    for await (const record of records) {
      if (record.cells.length > importLimits.columns) throw new ImportLimitError('column_limit');
      if (record.cells.some((c) => c.trim() !== '') && ++rows > importLimits.rows) throw new ImportLimitError('row_limit');
      yield record;
    }
  } catch (e) {
    if (e instanceof CsvRecordTooLong) throw new ImportLimitError('record_size', e.line);
    throw e;
  }
}

// Rows wait in batches of this size for their organisations to be looked up in one query.
const BATCH = 1000;

/**
 * Imports a table of cases (CSV or XLSX); with any invalid row nothing is written. The file is read
 * as a stream and refused past `importLimits`; its problems come back bounded (see Report).
 */
export async function importCases(
  db: Executor,
  actor: Actor,
  source: ImportSource,
  opts: { lang?: Lang; /** import a file imported before all the same */ confirmDuplicate?: boolean } = {},
): Promise<ImportResult> {
  authorize(actor, 'cases.import');
  // Before a byte of the file is read: nothing of a real file is even looked at on the demo.
  if (await isDemoInstance(db)) throw new DemoInstanceError();
  const report = new Report(opts.lang ?? 'sv');
  const reader = new CaseTableReader();
  // Valid rows are kept only while the file has no error: after one, nothing will be written.
  const data: CaseData[] = [];
  const lines: number[] = [];
  const knownOrgs = new Map<string, boolean>();
  // a support programme's programme (NSP or ÅMP): its records must name it
  const programmes = new Map<string, string>();
  let batch: CsvRowResult[] = [];
  // The file's bytes as they arrive: an identical file imported before is refused at the end.
  const hash = crypto.createHash('sha256');

  const flush = async () => {
    const wanted = new Set<string>();
    for (const row of batch) if (row.data && !knownOrgs.has(row.data.organisation_id!)) wanted.add(row.data.organisation_id!);
    const unknown = await unknownOrganisations(db, wanted);
    for (const id of wanted) knownOrgs.set(id, !unknown.has(id));
    for (const [id, programme] of await organisationProgrammes(db, wanted)) programmes.set(id, programme);
    for (const row of batch) {
      const errors = [...row.errors];
      if (row.data && !knownOrgs.get(row.data.organisation_id!)) errors.push(unknownOrganisation);
      const programme = row.data?.source === 'support_programme' ? programmes.get(row.data.organisation_id!) : undefined;
      if (programme && row.data!.programme !== programme) errors.push(otherProgramme(programme));
      if (row.data && !can(actor, 'case.create', targetOf(row.data))) errors.push(outOfScope);
      for (const v of errors) report.error(row.line, v);
      for (const v of row.warnings) report.warning(row.line, v);
      if (report.errorCount === 0) {
        data.push(row.data!);
        lines.push(row.line);
      } else data.length = lines.length = 0;
    }
    batch = [];
  };

  for await (const record of tableRecords(source, hash)) {
    const row = reader.read(record);
    if (!row) continue;
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  for (const v of reader.finish()) report.error(1, v, true);
  if (report.errorCount > 0) return report.result(0);
  const sha256 = hash.digest('hex');
  if (data.length > 0)
    await db.transaction(async (tx) => {
      const [before] = await tx.select({ at: importFiles.imported_at }).from(importFiles).where(eq(importFiles.sha256, sha256)).orderBy(desc(importFiles.imported_at)).limit(1);
      if (before && !opts.confirmDuplicate) throw new DuplicateImportError(before.at);
      const identical = before ? [] : await identicalRows(tx, data, lines);
      if (identical.length > 0 && !opts.confirmDuplicate) throw new IdenticalRowsError(identical);
      const ids = await insertCases(tx, actor, data);
      await tx.insert(importFiles).values({ id: newCaseId(), sha256, actor_id: actor.id, rows: ids.length });
      await writeAudit(tx, {
        actor,
        operation: 'cases.import',
        caseIds: ids,
        details: { imported: ids.length, sha256, duplicate_confirmed: Boolean(before), ...(identical.length > 0 && { identical_rows_confirmed: identical.length }) },
      });
    });
  return report.result(data.length);
}

/**
 * The lines of rows whose data equals the current data of a registered, not withdrawn case. Only
 * cases of the rows' organisations and identification dates can be equal, so only those are read.
 */
async function identicalRows(tx: Executor, data: readonly CaseData[], lines: readonly number[]): Promise<number[]> {
  const orgs = [...new Set(data.map((d) => d.organisation_id!))];
  const dates = [...new Set(data.map((d) => d.identified_on))];
  const existing = new Set<string>();
  for (let i = 0; i < dates.length; i += BATCH) {
    const rows = await tx
      .select({ data: caseVersions.data })
      .from(cases)
      .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
      .where(and(inArray(cases.organisation_id, orgs), inArray(cases.identified_on, dates.slice(i, i + BATCH)), ne(cases.status, 'withdrawn')));
    for (const r of rows) existing.add(canonicalJson(r.data));
  }
  return existing.size === 0 ? [] : lines.filter((_, i) => existing.has(canonicalJson(data[i])));
}

/**
 * The same export as a workbook: one sheet holding exactly the CSV's table (the header of the
 * interchange format, every cell as text), so it imports back as the CSV does.
 */
export async function exportXlsx(db: Executor, actor: Actor, opts: ExportOptions = {}): Promise<Buffer> {
  const table: string[][] = parseCsv(await exportCsv(db, actor, opts), { bom: true, relax_column_count: false });
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Ärenden');
  for (const row of table) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Imports a CSV text of cases (see importCases). */
export async function importCsv(db: Executor, actor: Actor, text: string, opts: { lang?: Lang; confirmDuplicate?: boolean } = {}): Promise<ImportResult> {
  return importCases(db, actor, { csv: text }, opts);
}

export const caseCopyColumns = [
  'id', 'reference', 'source', 'organisation_id', 'region', 'year', 'identified_on', 'status', 'version',
  'crime_type', 'category', 'sex', 'age_group', 'nationality', 'linkage_key', 'created_by',
] as const;
export const versionCopyColumns = ['case_id', 'version', 'operation', 'status', 'data', 'actor_id', 'actor_role'] as const;

/** The rows of `cases` and `case_versions` for new cases, as COPY text. */
export function caseCopyText(actor: Actor, data: readonly CaseData[], ids: readonly string[], references: readonly string[]) {
  return {
    cases: copyText(
      data.map((d, i) => {
        const f = filterColumns(d);
        return [ids[i], references[i], f.source, f.organisation_id, f.region, f.year, f.identified_on, 'open', 1,
          f.crime_type, f.category, f.sex, f.age_group, f.nationality, f.linkage_key, actor.id];
      }),
    ),
    versions: copyText(data.map((d, i) => [ids[i], 1, 'import', 'open', JSON.stringify(d), actor.id, actor.role])),
  };
}

/** Inserts validated cases as version 1 with COPY; references are numbered in input order. */
export async function insertCases(tx: Tx, actor: Actor, data: readonly CaseData[]): Promise<string[]> {
  const groups = new Map<string, { prefix: string; year: number; count: number; next: number }>();
  const groupOf = data.map((d) => {
    const prefix = referencePrefix(d);
    const year = statisticsYear(d.identified_on);
    const key = `${prefix}-${year}`;
    const g = groups.get(key) ?? { prefix, year, count: 0, next: 0 };
    g.count++;
    groups.set(key, g);
    return g;
  });
  for (const g of groups.values()) g.next = await reserveReferences(tx, g.prefix, g.year, g.count);
  const ids = data.map(() => newCaseId());
  const references = groupOf.map((g) => formatReference(g.prefix, g.year, g.next++));
  const text = caseCopyText(actor, data, ids, references);
  await copyInto(tx, 'cases', caseCopyColumns, text.cases);
  await copyInto(tx, 'case_versions', versionCopyColumns, text.versions);
  return ids;
}

/** The current version of every case (of a year), oldest first, as CSV; withdrawn cases only when asked. */
export type ExportOptions = { year?: number; includeWithdrawn?: boolean; /** the case list's filters: the list as shown */ filters?: CaseFilters };

export async function exportCsv(db: Executor, actor: Actor, opts: ExportOptions = {}): Promise<string> {
  authorize(actor, 'cases.export');
  const conditions: (SQL | undefined)[] = [
    caseScopeCondition(actor),
    opts.year === undefined ? undefined : eq(cases.year, opts.year),
    // A status asked for is exported as asked (withdrawn too); otherwise withdrawn cases only when asked.
    opts.includeWithdrawn || opts.filters?.status !== undefined ? undefined : ne(cases.status, 'withdrawn'),
    opts.filters ? whereOf(opts.filters) : undefined,
  ];
  const rows = await db.transaction(async (tx) => {
    const found = await tx
    .select({
      id: cases.id,
      reference: cases.reference,
      version: cases.version,
      status: cases.status,
      created_at: cases.created_at,
      updated_at: cases.updated_at,
      created_by: cases.created_by,
      data: caseVersions.data,
    })
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
    .where(and(...conditions))
    .orderBy(asc(cases.id));
    // Case-level data leaving the system: every exported id is in the trail.
    await writeAudit(tx, { actor, operation: 'cases.export', caseIds: found.map((r) => r.id), details: { year: opts.year ?? null, filters: Object.keys(opts.filters ?? {}).filter((k) => opts.filters![k as keyof CaseFilters] !== undefined), rows: found.length } });
    return found;
  });
  return casesToCsv(
    rows.map(({ data, created_at, updated_at, status, ...system }) => ({
      ...(data as CaseData),
      ...system,
      status: status as 'open',
      created_at: created_at.toISOString(),
      updated_at: updated_at.toISOString(),
    })),
  );
}
