// `lagesbild backup --out FIL` and `lagesbild restore FIL` (format and use: docs/operations.md).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { systemActor } from '../access/actor.ts';
import { verifyAuditChain } from '../access/audit.ts';
import type { Lang } from '../standard/codes.ts';
import { backupStream, BackupFormatError, inspectBackup, restoreBackup, RestoreRefusedError } from '../operations/backup.ts';
import type { Database } from '../store/index.ts';
import { DataDirLockedError, open, readServerInfo, resolveTarget, type ServerInfo, type Target } from './context.ts';
import type { Io } from './main.ts';

type Text = { sv: string; en: string };

/**
 * Runs `local` on the database, or `remote` through the server that holds the embedded database
 * (its data directory admits one process; the server leaves its address and a token beside it).
 */
export async function locallyOrThroughServer<T>(local: (db: Database) => Promise<T>, remote: (server: ServerInfo) => Promise<T>, target: Target = resolveTarget()): Promise<T> {
  let database: Database;
  try {
    database = await open(target);
  } catch (e) {
    const server = e instanceof DataDirLockedError && target.kind === 'pglite' ? readServerInfo(target.dataDir) : null;
    if (server) return remote(server);
    throw e;
  }
  try {
    return await local(database);
  } finally {
    await database.close();
  }
}

/** A request to the running server as the local command line (system actor). */
export async function callLocalServer(server: ServerInfo, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(new URL(path, server.url), { ...init, headers: { ...(init.headers ?? {}), 'x-lagesbild-local-token': server.token } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  return response;
}


const refused = (io: Io, lang: Lang, text: Text) => {
  io.err(`${text[lang]}\n`);
  return 2;
};

const backupUsage: Text = {
  sv: 'Användning: lagesbild backup --out FIL   (en ny fil; en befintlig skrivs inte över)',
  en: 'Usage: lagesbild backup --out FILE   (a new file; an existing one is not overwritten)',
};

export async function backupCommand(args: string[], io: Io, lang: Lang): Promise<number> {
  let out: string;
  try {
    const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length || !values.out) return refused(io, lang, backupUsage);
    out = values.out;
  } catch (e) {
    io.err(`${(e as Error).message}\n${backupUsage[lang]}\n`);
    return 2;
  }
  if (fs.existsSync(out)) return refused(io, lang, { sv: `Filen ${out} finns redan; välj ett nytt namn.`, en: `The file ${out} already exists; choose a new name.` });
  // Written beside the target and renamed once read back whole: FILE is never a partial archive.
  const partial = `${out}.partial`;
  try {
    await locallyOrThroughServer(
      (database) => pipeline(backupStream(database, systemActor('cli')), fs.createWriteStream(partial, { flags: 'wx' })),
      async (server) => {
        const response = await callLocalServer(server, '/api/operations/backup');
        await pipeline(Readable.fromWeb(response.body as WebReadableStream), fs.createWriteStream(partial, { flags: 'wx' }));
      },
    );
    const header = await inspectBackup(fs.createReadStream(partial));
    fs.renameSync(partial, out);
    const rows = header.tables.reduce((a, t) => a + t.rows, 0);
    io.err(
      lang === 'sv'
        ? `Säkerhetskopian är skriven till ${out}: ${header.tables.length} tabeller, ${rows} rader (${header.format}).\n`
        : `The backup is written to ${out}: ${header.tables.length} tables, ${rows} rows (${header.format}).\n`,
    );
    return 0;
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (e instanceof BackupFormatError) {
      io.err(lang === 'sv' ? `Säkerhetskopian blev inte hel och är borttagen: ${e.text.sv}\n` : `The backup did not come out whole and was removed: ${e.text.en}\n`);
      return 1;
    }
    throw e;
  }
}

const restoreUsage: Text = {
  sv: 'Användning: lagesbild restore FIL   (i en tom instans; stoppa servern först)',
  en: 'Usage: lagesbild restore FILE   (into an empty instance; stop the server first)',
};

export async function restoreCommand(args: string[], io: Io, lang: Lang): Promise<number> {
  let file: string;
  try {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) return refused(io, lang, restoreUsage);
    file = positionals[0];
  } catch (e) {
    io.err(`${(e as Error).message}\n${restoreUsage[lang]}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) return refused(io, lang, { sv: `Filen finns inte: ${file}`, en: `No such file: ${file}` });
  const target = resolveTarget();
  let database: Database;
  try {
    database = await open(target);
  } catch (e) {
    // A restore replaces a whole instance: never under a server that is using it.
    if (e instanceof DataDirLockedError) {
      return refused(io, lang, {
        sv: 'En server kör på den här datakatalogen. En säkerhetskopia läses bara in i en tom instans som ingen server använder: stoppa servern, läs in, och starta den igen.',
        en: 'A server is running on this data directory. A backup is restored only into an empty instance no server is using: stop the server, restore, and start it again.',
      });
    }
    throw e;
  }
  try {
    const summary = await restoreBackup(database, fs.createReadStream(file), systemActor('cli'));
    io.out(
      lang === 'sv'
        ? `Återställd från ${file}: ${summary.tables} tabeller, ${summary.rows} rader.\n`
        : `Restored from ${file}: ${summary.tables} tables, ${summary.rows} rows.\n`,
    );
    const chain = await verifyAuditChain(database.db);
    if (!chain.ok) {
      io.err(
        lang === 'sv'
          ? `Granskningsloggen i säkerhetskopian är bruten vid rad ${chain.firstBadId}; kontrollera med lagesbild audit verify.\n`
          : `The audit trail in the backup is broken at row ${chain.firstBadId}; check with lagesbild audit verify.\n`,
      );
      return 1;
    }
    io.out(lang === 'sv' ? `Granskningsloggen är obruten (${chain.rows} rader).\n` : `The audit trail is intact (${chain.rows} rows).\n`);
    return 0;
  } catch (e) {
    if (e instanceof BackupFormatError || e instanceof RestoreRefusedError) return refused(io, lang, e.text);
    throw e;
  } finally {
    await database.close();
  }
}
