// `lagesbild backup --out FIL` and `lagesbild restore FIL` (format and use: docs/operations.md).
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { systemActor } from '../access/actor.ts';
import { verifyAuditChain } from '../access/audit.ts';
import type { Label } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import { BackupFormatError, inspectBackup, restoreBackup } from '../operations/backup.ts';
import { withBackend, withDatabase } from './backend.ts';
import { parseOptions, usage, type Cx } from './problems.ts';

type Text = Label;

const backupUsage: Text = {
  sv: 'Användning: lagesbild backup --out FIL   (en ny fil; en befintlig skrivs inte över)',
  en: 'Usage: lagesbild backup --out FILE   (a new file; an existing one is not overwritten)',
};

export async function backupCommand(args: string[], cx: Cx): Promise<number> {
  const { io, lang } = cx;
  const { values } = parseOptions(args, { out: { type: 'string' } }, lang);
  if (!values.out) throw usage(backupUsage);
  const out = values.out;
  if (fs.existsSync(out)) throw new DomainError('file_exists', 'conflict', { sv: `Filen ${out} finns redan; välj ett nytt namn.`, en: `The file ${out} already exists; choose a new name.` });
  // Written beside the target and renamed once read back whole: FILE is never a partial archive.
  const partial = `${out}.partial`;
  try {
    await withBackend(lang, async (backend) => pipeline(await backend.backup(), fs.createWriteStream(partial, { flags: 'wx' })));
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
      // what was written is not a whole archive: the fault is on the way here, not in the request (exit 1)
      throw new DomainError('backup_incomplete', 'internal', {
        sv: `Säkerhetskopian blev inte hel och är borttagen: ${e.text.sv}`,
        en: `The backup did not come out whole and was removed: ${e.text.en}`,
      });
    }
    throw e;
  }
}

const restoreUsage: Text = {
  sv: 'Användning: lagesbild restore FIL   (i en tom instans; stoppa servern först)',
  en: 'Usage: lagesbild restore FILE   (into an empty instance; stop the server first)',
};

/** A restore replaces a whole instance: never under a server that is using it. */
const restoreUnderServer: Text = {
  sv: 'En server kör på den här datakatalogen. En säkerhetskopia läses bara in i en tom instans som ingen server använder: stoppa servern, läs in, och starta den igen.',
  en: 'A server is running on this data directory. A backup is restored only into an empty instance no server is using: stop the server, restore, and start it again.',
};

export async function restoreCommand(args: string[], cx: Cx): Promise<number> {
  const { io, lang } = cx;
  const { positionals } = parseOptions(args, {}, lang, 1);
  if (positionals.length !== 1) throw usage(restoreUsage);
  const file = positionals[0];
  if (!fs.existsSync(file)) throw usage({ sv: `Filen finns inte: ${file}`, en: `No such file: ${file}` });
  return withDatabase(restoreUnderServer, async (database) => {
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
  });
}
