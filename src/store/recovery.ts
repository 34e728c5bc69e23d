// The embedded database (PGlite) after an abrupt stop. PGlite replays its write-ahead log when it
// opens a directory that was not shut down cleanly, so a kill -9 in the middle of an import
// reopens with the import absent and everything committed before it present. A directory whose
// log or control file is damaged (a disk or file system that lost writes, a copy taken while the
// server ran, a first start cut short) cannot be opened: PGlite aborts with nothing but
// "Aborted()". The start then says so, in Swedish and English, and names the way back, without
// touching the directory.
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../standard/domain-error.ts';

/**
 * What a data directory looks like from outside: `complete` when it has what every initialised
 * PostgreSQL directory has (PG_VERSION and global/pg_control), `incomplete` when it holds files but
 * not those.
 */
export type DataDirState = 'missing' | 'empty' | 'complete' | 'incomplete';

export function dataDirState(dataDir: string): DataDirState {
  let entries: string[];
  try {
    entries = fs.readdirSync(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  if (entries.length === 0) return 'empty';
  const has = (...parts: string[]) => fs.existsSync(path.join(dataDir, ...parts));
  return has('PG_VERSION') && has('global', 'pg_control') ? 'complete' : 'incomplete';
}

export class DataDirDamagedError extends DomainError {
  constructor(
    readonly dataDir: string,
    readonly state: 'incomplete' | 'unreadable',
    options?: { cause?: unknown },
  ) {
    const aside = `${dataDir}.skadad`;
    const sv =
      (state === 'incomplete'
        ? `Datakatalogen ${dataDir} är inte en hel databas (PG_VERSION eller global/pg_control saknas): troligen avbröts den första starten, eller så är det fel katalog.`
        : `Den inbäddade databasen i ${dataDir} kan inte öppnas: dess logg eller kontrollfil är skadad, vilket kan hända efter ett strömavbrott, ett diskfel eller en kopia tagen medan servern körde.`) +
      ` Katalogen har inte ändrats.\nÅterställning: flytta undan katalogen (mv ${dataDir} ${aside}), starta med en tom katalog och läs in den senaste säkerhetskopian (lagesbild restore FIL), för sedan in det som registrerats efter kopian och kontrollera med lagesbild audit verify --anchor. Se docs/recovery.md.`;
    const en =
      (state === 'incomplete'
        ? `The data directory ${dataDir} is not a whole database (PG_VERSION or global/pg_control is missing): most likely its first start was cut short, or it is the wrong directory.`
        : `The embedded database in ${dataDir} cannot be opened: its log or control file is damaged, which can happen after a power cut, a disk fault or a copy taken while the server ran.`) +
      ` The directory has not been changed.\nRecovery: move the directory aside (mv ${dataDir} ${aside}), start with an empty directory and load the last backup (lagesbild restore FILE), then enter what was registered after the backup and check with lagesbild audit verify --anchor. See docs/recovery.md.`;
    super('data_dir_damaged', 'unavailable', { sv, en }, [], options);
  }
}

/** PGlite's way of failing to start: its WebAssembly aborts (or exits) instead of throwing an error of its own. */
function isPgliteStartFailure(e: unknown): boolean {
  if (e instanceof WebAssembly.RuntimeError) return true;
  const err = e as { name?: unknown; message?: unknown } | null;
  return err?.name === 'ExitStatus' || (typeof err?.message === 'string' && /^(Aborted\(\)|INITDB failed|Program terminated)/.test(err.message));
}

/**
 * Opens a PGlite data directory through `open`, refusing a directory that is not whole before
 * PGlite sees it (it would run its initialisation into the leftovers) and turning PGlite's bare
 * abort on a damaged one into DataDirDamagedError. Other failures (a lock held by a live server,
 * a migration) pass unchanged.
 */
export async function openDataDirChecked<T>(dataDir: string, open: () => Promise<T>): Promise<T> {
  const before = dataDirState(dataDir);
  if (before === 'incomplete') throw new DataDirDamagedError(dataDir, 'incomplete');
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const hadPidFile = fs.existsSync(pidFile);
  try {
    return await open();
  } catch (e) {
    if (before === 'complete' && isPgliteStartFailure(e)) {
      // PGlite writes postmaster.pid as it starts and leaves it when it aborts: the one file the
      // failed start added is taken away again, so the directory is exactly as the crash left it.
      if (!hadPidFile) fs.rmSync(pidFile, { force: true });
      throw new DataDirDamagedError(dataDir, 'unreadable', { cause: e });
    }
    throw e;
  }
}
