// bin/lagesbild: start, migrate, import, export. Exit codes: 0 ok, 2 bad input, 1 anything else.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { Lang } from '../standard/codes.ts';
import { systemActor } from '../access/actor.ts';
import * as registry from '../registry/index.ts';
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
  import FIL [--lang sv|en]       importera ärenden från CSV (allt eller inget)
  export --format csv [--out FIL] [--year ÅR]
                                  exportera ärenden som CSV

Databas: DATABASE_URL (PostgreSQL) eller den inbäddade i LAGESBILD_DATA_DIR (standard ./data).
`;

type Command = (args: string[], io: Io, lang: Lang) => Promise<number>;

const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  import: importCommand,
  export: exportCommand,
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
    if (e && typeof e === 'object' && 'code' in e && (e as { code: unknown }).code === 'ENOENT') {
      io.err(`Filen finns inte: ${(e as { path?: string }).path ?? ''}\n`);
      return 2;
    }
    io.err(`Fel: ${(e as Error).message}\n`);
    return 1;
  }
}

function parse(args: string[], options: Parameters<typeof parseArgs>[0]['options']) {
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
  parse(args, {});
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
  const text = fs.readFileSync(positionals[0], 'utf8');
  const result = await withDatabase(
    resolveTarget(),
    (database) => registry.importCsv(database, systemActor('cli'), text, { lang }),
    async (server) => {
      const response = await callServer(server, '/api/import', {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'accept-language': lang },
      });
      const body = (await response.json()) as { imported?: number; problems?: string[]; warnings?: string[]; message?: string };
      if (response.status >= 500 || (!response.ok && !body.problems)) throw new Error(body.message ?? `HTTP ${response.status}`);
      return { ok: response.ok, imported: body.imported ?? 0, problems: body.problems ?? [], warnings: body.warnings ?? [] };
    },
  );
  for (const w of result.warnings) io.err(`${w}\n`);
  if (!result.ok) {
    for (const p of result.problems) io.err(`${p}\n`);
    io.err(
      lang === 'sv'
        ? `Filen importerades inte: ${result.problems.length} fel. Inget har sparats.\n`
        : `The file was not imported: ${result.problems.length} errors. Nothing was saved.\n`,
    );
    return 2;
  }
  io.out(lang === 'sv' ? `Importerade ${result.imported} ärenden.\n` : `Imported ${result.imported} cases.\n`);
  return 0;
}

async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, year: { type: 'string' } });
  if (positionals.length) throw new UsageError(`Okänt argument: ${positionals[0]}`);
  if (values.format !== 'csv') throw new UsageError(`Okänt format: ${values.format} (export stöder csv)`);
  const year = parseYear(values.year as string | undefined);
  const csv = await withDatabase(
    resolveTarget(),
    (database) => registry.exportCsv(database, systemActor('cli'), { year }),
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
  const { buildApp } = await import('../http/app.ts');
  const token = randomBytes(24).toString('base64url');
  const app = await buildApp({ database, localToken: token, logger: process.env.LAGESBILD_LOG === 'debug' ? { level: 'debug' } : { level: 'warn' } });
  const address = await app.listen({ port, host });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  if (target.kind === 'pglite') writeServerInfo(target.dataDir, { pid: process.pid, url, token });
  io.out(`Lägesbild kör på ${url} (${describeTarget(target)}).\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stänger …\n');
  if (target.kind === 'pglite') removeServerInfo(target.dataDir);
  await app.close();
  await database.close();
  return 0;
}
