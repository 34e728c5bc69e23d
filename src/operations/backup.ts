// Backup and restore: one portable archive of every table, taken as a consistent snapshot and
// restored all or nothing. The format (documented in docs/operations.md) is gzip-compressed
// text, one JSON value a line:
//
//   {"format":"lagesbild-backup/1","created_at":…,"source":"pglite"|"postgres","migrations":[…],"tables":[{"name","columns","rows"}…]}
//   {"table":"organisations"}        then that table's rows, one a line: a JSON array of each
//   …                                column's PostgreSQL text form (null for NULL), in the header's
//                                    column order; tables in an order that satisfies foreign keys
//   {"end":"lagesbild-backup/1","lines":N,"sha256":"…"}   N lines before it, and their hash
//
// Values go as PostgreSQL's own text form, as COPY moves them: written by PostgreSQL and parsed
// by PostgreSQL, never through JavaScript values, so that timestamps keep their microseconds and
// bigints, numerics, jsonb (a JSON null apart from NULL), arrays and bytea their exact value, and
// a PGlite archive restores into PostgreSQL and back. The session settings that shape the text
// (time zone, date style, bytea, float digits) are fixed for both. Both ways read and write in
// pages: the archive is never held in memory whole.
import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { DomainError } from '../standard/domain-error.ts';
import { rows, toNumber, type Database, type Executor, type Tx } from '../store/db.ts';

export const BACKUP_FORMAT = 'lagesbild-backup/1';

/**
 * Left out of every archive: sign-in state that ends anyway (sessions, their drafts, sign-in throttling,
 * one-time codes for a new password — valid a day, and a restore must not bring back one since used or replaced).
 */
export const excludedTables: readonly string[] = ['sessions', 'login_throttle', 'case_drafts', 'password_reset_codes'];

/**
 * What the migrations and an instance's first start put into an empty database: a restore
 * replaces these rows with the archive's. Any other table holding a row makes an instance
 * non-empty (also a table added later, so that a new kind of record is never overwritten).
 */
const setUpTables: readonly string[] = ['organisations', 'instance_settings', 'published_series'];

type Text = { sv: string; en: string };

/** The archive is not one this version can restore (truncated, corrupt, another format): exit 2, nothing written. */
export class BackupFormatError extends DomainError {
  constructor(text: Text) {
    super('backup_format', 'invalid', text);
  }
}

/** The target may not be restored into (not empty, the demo, another schema): exit 2, nothing written. */
export class RestoreRefusedError extends DomainError {
  constructor(
    readonly reason: 'not_empty' | 'demo' | 'migrations' | 'tables',
    text: Text,
  ) {
    super('restore_refused', 'conflict', text);
  }
}

export type TableInfo = { name: string; columns: string[]; types?: string[]; rows: number };
export type BackupHeader = {
  format: string;
  created_at: string;
  source: 'pglite' | 'postgres';
  migrations: { hash: string; created_at: string }[];
  tables: TableInfo[];
};
export type BackupSummary = { tables: number; rows: number; migrations: number };

// ---- the catalogue ----------------------------------------------------------------------------

type TableShape = { name: string; columns: string[]; types: string[]; key: string[]; hasBytea: boolean };

/** The tables of the public schema (less the excluded ones), parents before the tables that refer to them. */
async function tableShapes(ex: Executor): Promise<TableShape[]> {
  const found = await rows<{ name: string; columns: string[]; types: string[]; key: string[] | null; has_bytea: boolean }>(
    ex,
    sql`select c.relname as name,
               array(select a.attname::text from pg_attribute a
                     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                     order by a.attnum) as columns,
               array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a
                     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                     order by a.attnum) as types,
               (select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, n)
                             join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.n)
                  from pg_index i where i.indrelid = c.oid and i.indisprimary) as key,
               exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                       and a.atttypid = 'bytea'::regtype) as has_bytea
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
        order by c.relname`,
  );
  const edges = await rows<{ child: string; parent: string }>(
    ex,
    sql`select distinct c.relname as child, p.relname as parent
        from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_class p on p.oid = f.confrelid
        join pg_namespace n on n.oid = c.relnamespace
        where f.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`,
  );
  const shapes = new Map(
    found
      .filter((t) => !excludedTables.includes(t.name))
      .map((t) => [t.name, { name: t.name, columns: t.columns, types: t.types, key: t.key ?? [], hasBytea: t.has_bytea }]),
  );
  // Depth-first: a table is placed after every table it refers to (names keep the order stable).
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (placed.has(name) || !shapes.has(name)) return;
    if (path.has(name)) throw new Error(`foreign keys form a cycle through ${name}`);
    path.add(name);
    for (const e of edges) if (e.child === name) visit(e.parent, path);
    path.delete(name);
    placed.add(name);
    ordered.push(shapes.get(name)!);
  };
  for (const name of shapes.keys()) visit(name, new Set());
  return ordered;
}

async function appliedMigrations(ex: Executor): Promise<{ hash: string; created_at: string }[]> {
  const exists = await rows<{ ok: boolean }>(ex, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`);
  if (!exists[0]?.ok) return [];
  const found = await rows<{ hash: string; created_at: string | number }>(ex, sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at, id`);
  return found.map((m) => ({ hash: m.hash, created_at: String(m.created_at) }));
}

const ident = (name: string) => sql.identifier(name);

/** The same text for the same value on every server, whatever its configuration. */
async function fixTextForms(tx: Tx) {
  await tx.execute(sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
                             set_config('IntervalStyle', 'postgres', true), set_config('bytea_output', 'hex', true),
                             set_config('extra_float_digits', '3', true)`);
}

// ---- backup -----------------------------------------------------------------------------------

/**
 * Writes the archive's lines (uncompressed) to `write`, awaiting each call (the caller's back
 * pressure), from one read-only REPEATABLE READ transaction: every table as of the same moment,
 * while the server goes on working (on PGlite, its single connection waits for the backup).
 *
 * A backup holds every case, so it is recorded in the audit trail first, in its own transaction
 * (the snapshot's is read-only): the archive holds the record of its own taking.
 */
export async function writeBackup(database: Database, write: (text: string) => Promise<void>, actor: Actor = systemActor('backup'), now = new Date()): Promise<BackupSummary> {
  await writeAudit(database.db, { actor, operation: 'instance.backup', details: { format: BACKUP_FORMAT } }, now);
  return database.db.transaction(
    async (tx) => {
      await fixTextForms(tx);
      const shapes = await tableShapes(tx);
      const migrations = await appliedMigrations(tx);
      const tables: TableInfo[] = [];
      for (const s of shapes) {
        const [{ n }] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${ident(s.name)}`);
        tables.push({ name: s.name, columns: s.columns, types: s.types, rows: toNumber(n) });
      }
      const hash = crypto.createHash('sha256');
      let lines = 0;
      const line = async (text: string) => {
        const withEnd = `${text}\n`;
        hash.update(withEnd);
        lines++;
        await write(withEnd);
      };
      const header: BackupHeader = { format: BACKUP_FORMAT, created_at: now.toISOString(), source: database.kind, migrations, tables };
      await line(JSON.stringify(header));
      for (const s of shapes) {
        await line(JSON.stringify({ table: s.name }));
        await copyRows(tx, s, line);
      }
      await write(`${JSON.stringify({ end: BACKUP_FORMAT, lines, sha256: hash.digest('hex') })}\n`);
      return { tables: shapes.length, rows: tables.reduce((a, t) => a + t.rows, 0), migrations: migrations.length };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function copyRows(tx: Tx, s: TableShape, line: (text: string) => Promise<void>) {
  const cursor = ident(`backup_${s.name}`);
  const order = s.key.length ? sql` order by ${sql.join(s.key.map(ident), sql`, `)}` : sql``;
  const values = sql.join(s.columns.map((c) => sql`${ident(c)}::text`), sql`, `);
  await tx.execute(sql`declare ${cursor} no scroll cursor for select json_build_array(${values})::text as j from ${ident(s.name)}${order}`);
  // Pages small enough for stored files (bytea), large enough for few round trips.
  const page = sql.raw(String(s.hasBytea ? 10 : 500));
  for (;;) {
    const batch = await rows<{ j: string }>(tx, sql`fetch forward ${page} from ${cursor}`);
    for (const r of batch) await line(r.j);
    if (batch.length === 0) break;
  }
  await tx.execute(sql`close ${cursor}`);
}

/**
 * The archive as a gzip stream. A consumer that goes away (a closed connection) ends the
 * snapshot's transaction; an error while reading ends the stream with that error, so a
 * partial archive is never taken for a whole one.
 */
export function backupStream(database: Database, actor?: Actor): Readable {
  const gzip = zlib.createGzip();
  const out = new PassThrough();
  gzip.pipe(out);
  out.on('close', () => gzip.destroy());
  const gone = () => out.destroyed || gzip.destroyed;
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (gone()) return reject(new Error('the backup stream was closed'));
      if (gzip.write(text)) return resolve();
      const settle = () => {
        gzip.off('drain', settle);
        out.off('close', settle);
        if (gone()) reject(new Error('the backup stream was closed'));
        else resolve();
      };
      gzip.on('drain', settle);
      out.on('close', settle);
    });
  writeBackup(database, write, actor).then(
    () => gzip.end(),
    (e: Error) => out.destroy(e),
  );
  return out;
}

// ---- reading an archive -----------------------------------------------------------------------

const corrupt = (sv: string, en: string) => new BackupFormatError({ sv: `Säkerhetskopian kan inte läsas: ${sv}.`, en: `The backup cannot be read: ${en}.` });

// A row of a stored file (a report PDF as hex) can be large; beyond this a line is not ours.
const MAX_LINE = 256 * 1024 * 1024;

/** The archive's lines, decompressed, with the hash and count checked against its last line. */
async function* archiveLines(source: Readable): AsyncGenerator<string, void, undefined> {
  const gunzip = zlib.createGunzip();
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  const hash = crypto.createHash('sha256');
  let lines = 0;
  let rest = '';
  let trailer: string | null = null;
  const take = function* (text: string): Generator<string> {
    if (trailer !== null) throw corrupt('det finns data efter slutraden', 'there is data after its last line');
    if (text.startsWith('{"end":')) {
      trailer = text;
      return;
    }
    hash.update(`${text}\n`);
    lines++;
    yield text;
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      rest += chunk.toString('utf8');
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const text = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        yield* take(text);
      }
      if (rest.length > MAX_LINE) throw corrupt('en rad är orimligt lång', 'a line is unreasonably long');
    }
  } catch (e) {
    if (e instanceof BackupFormatError) throw e;
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('Z_') || code === 'ERR_STREAM_PREMATURE_CLOSE') throw corrupt('filen är inte en hel gzip-fil (avkortad eller skadad)', 'the file is not a whole gzip file (truncated or damaged)');
    throw e;
  } finally {
    source.unpipe(gunzip);
    gunzip.destroy();
    source.destroy();
  }
  if (rest.length) throw corrupt('filen slutar mitt i en rad', 'the file ends in the middle of a line');
  if (trailer === null) throw corrupt('slutraden saknas (filen är avkortad)', 'its last line is missing (the file is truncated)');
  let end: { end?: unknown; lines?: unknown; sha256?: unknown };
  try {
    end = JSON.parse(trailer);
  } catch {
    throw corrupt('slutraden är skadad', 'its last line is damaged');
  }
  if (end.end !== BACKUP_FORMAT || end.lines !== lines || end.sha256 !== hash.digest('hex')) {
    throw corrupt('innehållet stämmer inte med kontrollsumman', 'its content does not match its checksum');
  }
}

function parseHeader(text: string | undefined): BackupHeader {
  let header: Partial<BackupHeader>;
  try {
    header = JSON.parse(text ?? '');
  } catch {
    throw corrupt('första raden är inte en rubrik', 'its first line is not a header');
  }
  if (!header || typeof header !== 'object' || typeof header.format !== 'string') throw corrupt('första raden är inte en rubrik', 'its first line is not a header');
  if (header.format !== BACKUP_FORMAT) {
    throw new BackupFormatError({
      sv: `Säkerhetskopian har formatet ${JSON.stringify(header.format).slice(0, 60)}; den här versionen läser ${BACKUP_FORMAT}.`,
      en: `The backup is in format ${JSON.stringify(header.format).slice(0, 60)}; this version reads ${BACKUP_FORMAT}.`,
    });
  }
  const tablesOk =
    Array.isArray(header.tables) &&
    header.tables.every(
      (t) => t && typeof t.name === 'string' && Array.isArray(t.columns) && t.columns.every((c) => typeof c === 'string') && Number.isSafeInteger(t.rows) && t.rows >= 0,
    );
  const migrationsOk = Array.isArray(header.migrations) && header.migrations.every((m) => m && typeof m.hash === 'string');
  const originOk = typeof header.created_at === 'string' && header.created_at.length <= 40 && (header.source === 'pglite' || header.source === 'postgres');
  if (!tablesOk || !migrationsOk || !originOk) throw corrupt('rubriken är ofullständig', 'its header is incomplete');
  return header as BackupHeader;
}

/** Reads a whole archive and checks it without writing anything: its header and what it holds. */
export async function inspectBackup(source: Readable): Promise<BackupHeader> {
  let header: BackupHeader | null = null;
  let table = -1;
  let left = 0;
  for await (const text of archiveLines(source)) {
    if (!header) {
      header = parseHeader(text);
      continue;
    }
    if (left > 0) {
      left--;
      continue;
    }
    table++;
    if (table >= header.tables.length || text !== JSON.stringify({ table: header.tables[table].name })) throw corrupt('tabellerna följer inte rubriken', 'its tables do not follow its header');
    left = header.tables[table].rows;
  }
  if (!header) throw corrupt('filen är tom', 'the file is empty');
  if (table !== header.tables.length - 1 || left !== 0) throw corrupt('tabellerna följer inte rubriken', 'its tables do not follow its header');
  return header;
}

// ---- restore ----------------------------------------------------------------------------------

/** Why the target is not empty, or null when it is: the first record table that holds a row. */
async function nonEmptyTable(tx: Tx, shapes: TableShape[]): Promise<string | null> {
  for (const s of shapes) {
    if (setUpTables.includes(s.name)) continue;
    const [found] = await rows<{ one: number }>(tx, sql`select 1 as one from ${ident(s.name)} limit 1`);
    if (found) return s.name;
  }
  return null;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Restores an archive into an empty instance in one transaction: all of it, or (on any error,
 * a bad archive found at its very end included) nothing. Refuses the demo, an instance with
 * records, and an archive of another schema version. The restore is the first record the
 * restored trail gains (chained onto the archive's last row).
 */
export async function restoreBackup(database: Database, source: Readable, actor: Actor = systemActor('restore')): Promise<BackupSummary> {
  const lines = archiveLines(source);
  try {
    return await database.db.transaction(async (tx) => {
      await fixTextForms(tx);
      const first = await lines.next();
      const header = parseHeader(first.done ? undefined : first.value);

      const shapes = await tableShapes(tx);
      const [demo] = await rows<{ demo: boolean }>(tx, sql`select exists (select 1 from instance_settings where key = 'kind' and value = '"demo"'::jsonb) as demo`);
      if (demo?.demo) {
        throw new RestoreRefusedError('demo', {
          sv: 'Det här är demoinstansen; en säkerhetskopia läses bara in i en tom, riktig instans.',
          en: 'This is the demo instance; a backup is restored only into an empty, real instance.',
        });
      }
      const occupied = await nonEmptyTable(tx, shapes);
      if (occupied) {
        throw new RestoreRefusedError('not_empty', {
          sv: `Instansen är inte tom (tabellen ${occupied} har rader). En säkerhetskopia läses bara in i en tom instans; inget har ändrats.`,
          en: `The instance is not empty (table ${occupied} has rows). A backup is restored only into an empty instance; nothing was changed.`,
        });
      }
      const migrations = await appliedMigrations(tx);
      if (!sameList(header.migrations.map((m) => m.hash), migrations.map((m) => m.hash))) {
        throw new RestoreRefusedError('migrations', {
          sv: `Säkerhetskopian är gjord med en annan databasversion (${header.migrations.length} migreringar, här ${migrations.length}). Läs in den med samma version av Lägesbild som tog den.`,
          en: `The backup was taken with another database version (${header.migrations.length} migrations, here ${migrations.length}). Restore it with the version of Lägesbild that took it.`,
        });
      }
      const byName = new Map(shapes.map((s) => [s.name, s]));
      const mismatch =
        header.tables.length !== shapes.length ||
        header.tables.some((t) => !byName.has(t.name) || !sameList([...t.columns].sort(), [...byName.get(t.name)!.columns].sort()));
      if (mismatch) {
        throw new RestoreRefusedError('tables', {
          sv: 'Säkerhetskopians tabeller stämmer inte med databasens.',
          en: 'The backup’s tables do not match the database’s.',
        });
      }

      // What the migrations and the first start wrote gives way to the archive's rows.
      for (const s of [...shapes].reverse()) if (setUpTables.includes(s.name)) await tx.execute(sql`delete from ${ident(s.name)}`);

      let total = 0;
      for (const t of header.tables) {
        const marker = await lines.next();
        if (marker.done || marker.value !== JSON.stringify({ table: t.name })) throw corrupt('tabellerna följer inte rubriken', 'its tables do not follow its header');
        let batch: string[] = [];
        let size = 0;
        for (let i = 0; i < t.rows; i++) {
          const row = await lines.next();
          if (row.done) throw corrupt('rader saknas', 'rows are missing');
          batch.push(row.value);
          size += row.value.length;
          if (batch.length >= 500 || size >= 8 * 1024 * 1024) {
            await insertRows(tx, t, byName.get(t.name)!, batch);
            batch = [];
            size = 0;
          }
        }
        if (batch.length) await insertRows(tx, t, byName.get(t.name)!, batch);
        total += t.rows;
      }
      // The archive is taken only when it ended as it should (its checksum included).
      const after = await lines.next();
      if (!after.done) throw corrupt('det finns fler rader än rubriken anger', 'it has more lines than its header says');
      await resetSequences(tx);
      await writeAudit(tx, { actor, operation: 'instance.restore', details: { format: header.format, created_at: header.created_at, source: header.source, rows: total } });
      return { tables: header.tables.length, rows: total, migrations: migrations.length };
    });
  } catch (e) {
    throw asArchiveError(e);
  } finally {
    await lines.return(undefined);
  }
}

/** Inserts rows of the archive's column order; each value parsed by the target column type's input function. */
async function insertRows(tx: Tx, t: TableInfo, shape: TableShape, batch: string[]) {
  const typeOf = new Map(shape.columns.map((c, i) => [c, shape.types[i]]));
  const columns = sql.join(t.columns.map(ident), sql`, `);
  const values = sql.join(
    t.columns.map((c, i) => sql`(r.v ->> ${sql.raw(String(i))})::${sql.raw(typeOf.get(c)!)}`),
    sql`, `,
  );
  await tx.execute(
    sql`insert into ${ident(t.name)} (${columns}) overriding system value
        select ${values} from json_array_elements(${`[${batch.join(',')}]`}::json) as r(v)`,
  );
}

/** Sequences owned by restored columns continue after the restored values. */
async function resetSequences(tx: Tx) {
  const owned = await rows<{ seq: string; tbl: string; col: string }>(
    tx,
    sql`select s.oid::regclass::text as seq, c.relname as tbl, a.attname as col
        from pg_class s join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
        join pg_class c on c.oid = d.refobjid join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
        join pg_namespace n on n.oid = c.relnamespace
        where s.relkind = 'S' and n.nspname = 'public'`,
  );
  for (const o of owned) {
    await tx.execute(sql`select setval(${o.seq}::regclass, coalesce((select max(${ident(o.col)}) from ${ident(o.tbl)}), 0) + 1, false)`);
  }
}

/** A database refusing the archive's rows (bad values, broken keys) is the archive's fault: exit 2. */
function asArchiveError(e: unknown): unknown {
  if (e instanceof BackupFormatError || e instanceof RestoreRefusedError) return e;
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  if (/^2[23]/.test(code)) {
    return new BackupFormatError({
      sv: `Säkerhetskopians rader passar inte databasen (SQLSTATE ${code}); inget har ändrats.`,
      en: `The backup’s rows do not fit the database (SQLSTATE ${code}); nothing was changed.`,
    });
  }
  return e;
}
