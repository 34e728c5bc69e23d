// bin/lagesbild: start, migrate, import, export. Exit codes: 0 ok, 2 bad input, 1 anything else.
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { Lang } from '../standard/codes.ts';
import { systemActor } from '../access/actor.ts';
import * as transfer from '../registry/transfer.ts';
import { XLSX_CONTENT_TYPE } from '../registry/xlsx.ts';
import { isDemoInstance } from '../store/instance.ts';
import type { Format } from '../publish/index.ts';
import type { Release } from '../stats/releases.ts';
import * as stats from './stats.ts';
import { refreshDemoUsers } from './demo-users.ts';
import { usersCommand } from './users.ts';
import { auditCommand } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import type { Database } from '../store/index.ts';
import {
  DataDirLockedError,
  describeTarget,
  open,
  readServerInfo,
  removeServerInfo,
  resolveTarget,
  writeServerInfo,
  type ServerInfo,
  type Target,
} from './context.ts';

export class UsageError extends Error {}

export type Io = { out: (s: string) => void; err: (s: string) => void };
const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

const usage = `Användning: lagesbild <kommando> [flaggor]

  start [--port N] [--host H]     starta servern (PORT, HOST; standard http://localhost:3000)
  migrate                         kör databasmigreringar (för produktionsdriftsättning)
  import FIL [--lang sv|en]       importera ärenden från CSV eller XLSX (allt eller inget)
  export --format csv [--out FIL] [--year ÅR]
                                  exportera ärenden som CSV
  seed --demo                     fyll en tom instans med demodata (481 syntetiska ärenden 2025)
  freeze --year ÅR --kind final|preliminary
                                  frys årets ärenden till en utgåva
  publish UTGÅVA                  publicera en utgåva
  releases [--year ÅR]            lista utgåvor
  report --year ÅR [--release ID] --format json|csv|xlsx|pdf [--out FIL] [--lang sv|en]
         [--unknown-age-as-adult true|false]
                                  årsrapporten (standard ut utan --out)
  series import FIL               lägg till tryckta serier (JSON, format lagesbild-series/1)
  users add --username U --role ROLL [--region KOD | --organisation ID]
                                  lägg till en användare (lösenordet läses från standard in)
  users list | password --username U | deactivate --username U
                                  lista användare, byt lösenord, inaktivera
  audit verify [--anchor FIL]     kontrollera granskningsloggens kedja och ankarna i FIL (0 = obruten, 1 = bruten)
  audit anchor [--out FIL]        skriv kedjans huvud som en JSON-rad (med --out: lägg till sist i FIL)
  audit search [--operation OP] [--actor ID] [--case ID] [--region KOD] [--limit N]
                                  sök i granskningsloggen
  backup --out FIL                säkerhetskopia av hela instansen (en ny fil)
  restore FIL                     läs in en säkerhetskopia i en tom instans (servern stoppad)

Databas: DATABASE_URL (PostgreSQL) eller den inbäddade i LAGESBILD_DATA_DIR (standard ./data).
`;

type Command = (args: string[], io: Io, lang: Lang) => Promise<number>;

const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  import: importCommand,
  export: exportCommand,
  seed: seedCommand,
  freeze: freezeCommand,
  publish: publishCommand,
  releases: releasesCommand,
  report: reportCommand,
  series: seriesCommand,
  users: (args, io, lang) => usersCommand(args, io, lang),
  audit: (args, io, lang) => auditCommand(args, io, lang),
  backup: (args, io, lang) => backupCommand(args, io, lang),
  restore: (args, io, lang) => restoreCommand(args, io, lang),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  const lang: Lang = process.env.LAGESBILD_LANG === 'en' ? 'en' : 'sv';
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Okänt kommando: ${name}\n\n${usage}`);
    return 2;
  }
  try {
    return await command(rest, io, lang);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    if (e instanceof DataDirLockedError) {
      io.err(`${e.messages[lang]}\n`);
      return 1;
    }
    const domain = e as { code?: unknown; text?: { sv: string; en: string }; violations?: { path: string; message: { sv: string; en: string } }[] };
    if (typeof domain.code === 'string' && domain.text && typeof domain.text === 'object') {
      io.err(`${domain.text[lang]}\n`);
      for (const v of domain.violations ?? []) io.err(`${v.path}: ${v.message[lang]}\n`);
      return ['validation', 'not_found', 'conflict', 'version_conflict'].includes(domain.code) ? 2 : 1;
    }
    if (e && typeof e === 'object' && 'code' in e && (e as { code: unknown }).code === 'ENOENT') {
      io.err(`Filen finns inte: ${(e as { path?: string }).path ?? ''}\n`);
      return 2;
    }
    io.err(`Fel: ${unexpectedMessage(e)}\n`);
    return 1;
  }
}

/**
 * What an unexpected error may show: a database error names its class and SQLSTATE only, since its
 * message quotes the query's parameters or values, i.e. case contents.
 */
function unexpectedMessage(e: unknown): string {
  const err = e as { message?: unknown; params?: unknown; severity?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (err && typeof err === 'object' && ('params' in err || 'severity' in err)) {
    const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : 'okänd';
    return `databasfel (SQLSTATE ${code}).`;
  }
  return String(err?.message ?? e);
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function parseYear(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2018 || year > 2100) throw new UsageError(`Ogiltigt år: ${value}`);
  return year;
}

/**
 * Runs `local` against the database, or — when a running server holds the embedded
 * database — `remote` through that server.
 */
async function withDatabase<T>(target: Target, local: (db: Database) => Promise<T>, remote?: (server: ServerInfo) => Promise<T>): Promise<T> {
  let database: Database;
  try {
    database = await open(target);
  } catch (e) {
    if (e instanceof DataDirLockedError && target.kind === 'pglite') {
      const server = readServerInfo(target.dataDir);
      if (server && remote) return remote(server);
    }
    throw e;
  }
  try {
    return await local(database);
  } finally {
    await database.close();
  }
}

async function callServer(server: ServerInfo, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, server.url), {
    ...init,
    headers: { ...(init.headers ?? {}), 'x-lagesbild-local-token': server.token },
  });
}

async function migrateCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  const target = resolveTarget();
  const database = await open(target, true);
  await database.close();
  io.out(`Databasen är migrerad (${describeTarget(target)}).\n`);
  return 0;
}

async function importCommand(args: string[], io: Io, defaultLang: Lang): Promise<number> {
  const { positionals, values } = parse(args, { lang: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('Ange en fil: lagesbild import FIL');
  const lang: Lang = values.lang === 'en' ? 'en' : values.lang === 'sv' || values.lang === undefined ? defaultLang : (() => {
    throw new UsageError(`Okänt språk: ${values.lang}`);
  })();
  const file = fs.readFileSync(positionals[0]);
  // A workbook (a zip: "PK") is read as its first sheet; anything else as UTF-8 CSV.
  const isXlsx = file.subarray(0, 2).toString('latin1') === 'PK';
  const result = await withDatabase(
    resolveTarget(),
    async (database) => {
      if (await isDemoInstance(database.db)) throw new UsageError(demoRefusal[lang]);
      return transfer.importCases(database.db, systemActor('cli'), isXlsx ? { xlsx: file } : { csv: file.toString('utf8') }, { lang });
    },
    async (server) => {
      const response = await callServer(server, '/api/import', {
        method: 'POST',
        body: file,
        headers: { 'content-type': isXlsx ? XLSX_CONTENT_TYPE : 'text/csv; charset=utf-8', 'accept-language': lang },
      });
      const body = (await response.json()) as Partial<transfer.ImportResult> & { code?: string; message?: string };
      if (body.code === 'demo_instance') throw new UsageError(body.message ?? demoRefusal[lang]);
      if (response.status >= 500 || (!response.ok && !body.problems)) throw new Error(body.message ?? `HTTP ${response.status}`);
      return {
        ok: response.ok,
        imported: body.imported ?? 0,
        problems: body.problems ?? [],
        errorCount: body.errorCount ?? 0,
        errorsByRule: body.errorsByRule ?? [],
        warnings: body.warnings ?? [],
      };
    },
  );
  // One line per warning rule and per listed error, then the counts: never one line per row of a warning.
  for (const w of result.warnings) io.err(`${w}\n`);
  if (!result.ok) {
    for (const p of result.problems) io.err(`${p}\n`);
    const more = result.errorCount - result.problems.length;
    if (more > 0) io.err(lang === 'sv' ? `… och ${more} fel till.\n` : `… and ${more} more errors.\n`);
    if (result.errorsByRule.length > 1 || more > 0) {
      io.err(lang === 'sv' ? 'Fel per fält och regel:\n' : 'Errors per field and rule:\n');
      for (const g of result.errorsByRule) io.err(`errors: ${g.field === '' ? '' : `${g.field}: `}${g.rule}: ${g.count}\n`);
    }
    io.err(
      lang === 'sv'
        ? `Filen importerades inte: ${result.errorCount} fel. Inget har sparats.\n`
        : `The file was not imported: ${result.errorCount} errors. Nothing was saved.\n`,
    );
    return 2;
  }
  io.out(lang === 'sv' ? `Importerade ${result.imported} ärenden.\n` : `Imported ${result.imported} cases.\n`);
  return 0;
}

export const demoRefusal: Record<Lang, string> = {
  sv: 'Det här är demoinstansen med syntetiska uppgifter; den tar inte emot riktiga uppgifter. Starta en riktig instans med en egen datakatalog och --no-demo (eller DATABASE_URL).',
  en: 'This is the demo instance with synthetic data; it does not accept real data. Start a real instance with its own data directory and --no-demo (or DATABASE_URL).',
};

async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, year: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  if (values.format !== 'csv') throw new UsageError(`Okänt format: ${values.format} (export stöder csv)`);
  const year = parseYear(values.year as string | undefined);
  const csv = await withDatabase(
    resolveTarget(),
    (database) => transfer.exportCsv(database.db, systemActor('cli'), { year }),
    async (server) => {
      const response = await callServer(server, `/api/export${year ? `?year=${year}` : ''}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    },
  );
  if (values.out) {
    fs.writeFileSync(values.out as string, csv);
    io.err(`Exporterade till ${values.out}.\n`);
  } else {
    io.out(csv);
  }
  return 0;
}

async function startCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, host: { type: 'string' }, 'no-demo': { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Ogiltig port: ${values.port ?? process.env.PORT}`);
  const host = (values.host as string | undefined) ?? process.env.HOST ?? 'localhost';
  const target = resolveTarget();
  const database = await open(target, true);
  const prepared = await stats.prepareInstance(database.db, { embedded: target.kind === 'pglite', noDemo: Boolean(values['no-demo']) });
  if (prepared === 'seeded') io.out('Demodata inlagd: 481 syntetiska ärenden för 2025, fryst och publicerad som slutlig utgåva.\n');
  const demo = prepared !== 'real';
  const demoLogins = demo ? await refreshDemoUsers(database.db) : [];
  const { buildApp } = await import('../http/app.ts');
  const token = randomBytes(24).toString('base64url');
  const app = await buildApp({ database, demo, localToken: token, logger: process.env.LAGESBILD_LOG === 'debug' ? { level: 'debug' } : { level: 'warn' } });
  const address = await app.listen({ port, host });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  if (target.kind === 'pglite') writeServerInfo(target.dataDir, { pid: process.pid, url, token });
  io.out(`Lägesbild kör på ${url} (${describeTarget(target)}${demo ? ', DEMO med syntetiska uppgifter' : ''}).\n`);
  if (demoLogins.length) {
    io.out(`Demo: logga in på ${url}/logga-in som\n`);
    for (const d of demoLogins) io.out(`  ${d.username.padEnd(18)} lösenord ${d.password}   (${d.sv})\n`);
    io.out('Lösenorden byts vid varje start.\n');
  }

  await new Promise<void>((resolve) => {
    // Kept (not `once`): a wrapper such as npm may pass the same signal on a moment later, and a
    // second signal must not cut the shutdown short before the directory is let go.
    const stop = () => resolve();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.out('Stänger …\n');
  if (target.kind === 'pglite') removeServerInfo(target.dataDir);
  await app.close();
  await database.close();
  return 0;
}

function requireYear(value: unknown): number {
  if (value === undefined) throw new UsageError('Ange --year ÅR.');
  return parseYear(value as string)!;
}

async function seedCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { demo: { type: 'boolean' } });
  if (!values.demo || positionals.length) throw new UsageError('Användning: lagesbild seed --demo');
  const release = await withDatabase(resolveTarget(), async (database) => {
    try {
      return await stats.seedDemo(database.db);
    } catch (e) {
      if (e instanceof stats.DemoRefusedError) throw new UsageError(e.message);
      throw e;
    }
  }, async () => {
    throw new UsageError('Servern kör på den här datakatalogen. Stoppa den först, eller använd en tom datakatalog för demon.');
  });
  io.out(`Demodata inlagd: ${release.case_count} ärenden, utgåva ${release.id} (slutlig, publicerad).\n`);
  return 0;
}

async function freezeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { year: { type: 'string' }, kind: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  const year = requireYear(values.year);
  const kind = values.kind;
  if (kind !== 'final' && kind !== 'preliminary') throw new UsageError('Ange --kind final eller --kind preliminary.');
  const release = await withDatabase(
    resolveTarget(),
    (database) => stats.freezeRelease(database.db, systemActor('cli'), { year, kind }),
    (server) => serverJson<Release>(server, '/api/stats/releases', { method: 'POST', body: JSON.stringify({ year, kind }), headers: { 'content-type': 'application/json' } }),
  );
  io.out(`Fryst: ${stats.describeRelease(release)}\n`);
  return 0;
}

async function publishCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('Användning: lagesbild publish UTGÅVA (t.ex. 2025-1)');
  const id = positionals[0];
  const release = await withDatabase(
    resolveTarget(),
    (database) => stats.publishRelease(database.db, systemActor('cli'), id),
    (server) => serverJson<Release>(server, `/api/stats/releases/${encodeURIComponent(id)}/publish`, { method: 'POST' }),
  );
  io.out(`Publicerad: ${stats.describeRelease(release)}\n`);
  return 0;
}

async function releasesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { year: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  const year = parseYear(values.year as string | undefined);
  const items = await withDatabase(
    resolveTarget(),
    (database) => stats.listReleases(database.db, { year }),
    async (server) => (await serverJson<{ items: Release[] }>(server, `/api/stats/releases${year ? `?year=${year}` : ''}`)).items,
  );
  if (items.length === 0) io.out('Inga utgåvor.\n');
  for (const r of items) io.out(`${stats.describeRelease(r)}\n`);
  return 0;
}

async function reportCommand(args: string[], io: Io, defaultLang: Lang): Promise<number> {
  const { values, positionals } = parse(args, {
    year: { type: 'string' },
    release: { type: 'string' },
    format: { type: 'string', default: 'json' },
    out: { type: 'string' },
    lang: { type: 'string' },
    'unknown-age-as-adult': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  const year = requireYear(values.year);
  const format = values.format as Format;
  const foldFlag = values['unknown-age-as-adult'] as string | undefined;
  if (foldFlag !== undefined && foldFlag !== 'true' && foldFlag !== 'false') {
    throw new UsageError('--unknown-age-as-adult tar true eller false.');
  }
  const unknownAgeAsAdult = foldFlag === undefined ? undefined : foldFlag === 'true';
  if (!['json', 'csv', 'xlsx', 'pdf'].includes(format)) throw new UsageError(`Okänt format: ${format} (json, csv, xlsx eller pdf)`);
  const lang: Lang = values.lang === 'en' ? 'en' : values.lang === undefined || values.lang === 'sv' ? defaultLang : (() => {
    throw new UsageError(`Okänt språk: ${values.lang}`);
  })();
  const releaseId = values.release as string | undefined;
  const body = await withDatabase(
    resolveTarget(),
    async (database) => (await stats.writeReport(database.db, { year, releaseId, format, lang, unknownAgeAsAdult })).body,
    async (server) => {
      const q = new URLSearchParams({
        year: String(year),
        format,
        lang,
        ...(releaseId ? { release: releaseId } : {}),
        ...(foldFlag ? { unknown_age_as_adult: foldFlag } : {}),
      });
      const response = await callServer(server, `/api/stats/report/download?${q}`);
      if (!response.ok) throw serverError(response.status, ((await response.json()) as { message?: string }).message);
      return Buffer.from(await response.arrayBuffer());
    },
  );
  if (values.out) {
    fs.writeFileSync(values.out as string, body);
    io.err(`Skrev ${values.out}.\n`);
  } else if (typeof body === 'string') {
    io.out(body.endsWith('\n') ? body : `${body}\n`);
  } else {
    process.stdout.write(body);
  }
  return 0;
}

async function seriesCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals[0] !== 'import' || positionals.length !== 2) throw new UsageError('Användning: lagesbild series import FIL');
  const text = fs.readFileSync(positionals[1], 'utf8');
  const n = await withDatabase(resolveTarget(), async (database) => {
    try {
      return await stats.importSeries(database.db, text);
    } catch (e) {
      const err = e as { code?: string; violations?: { path: string; message: { sv: string } }[]; text?: { sv: string } };
      if (err.code === 'validation') {
        throw new UsageError([err.text?.sv ?? 'Fel i filen.', ...(err.violations ?? []).map((v) => `${v.path}: ${v.message.sv}`)].join('\n'));
      }
      throw e;
    }
  }, async () => {
    throw new UsageError('Servern kör på den här datakatalogen. Stoppa den först för att importera serier.');
  });
  io.out(`Importerade ${n} tryckta värden.\n`);
  return 0;
}

async function serverJson<T>(server: ServerInfo, path: string, init: RequestInit = {}): Promise<T> {
  const response = await callServer(server, path, init);
  const body = (await response.json()) as T & { message?: string; code?: string };
  if (!response.ok) throw serverError(response.status, body.message);
  return body;
}

/** An error answer of the server as the error the command would have raised locally: bad input (400, 404, 409) exits 2. */
function serverError(status: number, message: string | undefined): Error {
  if (status === 400 || status === 404 || status === 409) return new UsageError(message ?? 'Felaktig begäran.');
  return new Error(message ?? `HTTP ${status}`);
}
