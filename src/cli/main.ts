// bin/lagesbild. Each command is written once against a Backend (src/cli/backend.ts): the database
// opened here, or the server that holds it. Exit codes: 0 ok, 2 bad input, 1 anything else
// (src/cli/problems.ts, the one place that turns an error into them).
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Label, Lang } from '../standard/codes.ts';
import type { Format } from '../publish/index.ts';
import type { SourceFormat } from '../publish/sources/index.ts';
import { releaseSources, type ReleaseSource, type ReportForm } from '../stats/releases.ts';
import * as stats from './stats.ts';
import { refreshDemoUsers } from './demo-users.ts';
import { usersCommand } from './users.ts';
import { organisationsCommand } from './organisations.ts';
import { auditCommand } from './audit.ts';
import { policyCommand, publishCommand } from './policy.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { withBackend, withDatabase } from './backend.ts';
import { hashLinkageColumns, readYearKey } from './linkage.ts';
import { describeTarget, open, removeServerInfo, resolveTarget, writeServerInfo } from './context.ts';
import { parseOptions, reportProblem, usage as usageError, type Cx, type Io } from './problems.ts';

export type { Cx, Io };

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), bytes: (b) => process.stdout.write(b) };

const usage = `Användning: lagesbild <kommando> [flaggor]

  start [--port N] [--host H]     starta servern (PORT, HOST; standard http://localhost:3000)
  migrate                         kör databasmigreringar (för produktionsdriftsättning)
  import FIL [--confirm-duplicate] [--lang sv|en] [--linkage-key-file NYCKELFIL]
                                  importera ärenden från CSV eller XLSX (allt eller inget; en fil som redan
                                  importerats, eller rader likadana som registrerade ärenden, vägras utan
                                  --confirm-duplicate); med --linkage-key-file beräknas
                                  kopplingsnyckeln här ur kolumnerna birth_date, given_name, family_name (CSV),
                                  som aldrig skickas eller sparas
  export --format csv [--out FIL] [--year ÅR]
                                  exportera ärenden som CSV
  seed --demo                     fyll en tom instans med demodata (481 syntetiska ärenden 2025, civilsamhällets
                                  och stödprogrammens poster och rapporter)
  freeze --year ÅR --kind final|preliminary [--source civil_society|support_programme]
                                  frys årets ärenden till en utgåva (med --source civilsamhällets eller
                                  stödprogrammens poster till en utgåva av deras rapport: 2024-civ-1, 2023-stp-1)
  publish UTGÅVA [--threshold N] [--width B] [--protect-zeros] [--exact TABELL=SKÄL ...] [--cost persons|cells]
         [--exclude-pair INDELNING1,INDELNING2 ...]
                                  publicera en utgåva röjandeskyddad; flaggorna ändrar de angivna fälten i
                                  utgåvans publiceringsregler, som sparas bara om publiceringen lyckas
  policy UTGÅVA                   visa utgåvans publiceringsregler och dess sparade röjandeskydd
  releases [--year ÅR] [--source civil_society|support_programme]
                                  lista utgåvor (regionkoordinatorernas om ingen källa anges)
  report --year ÅR [--release ID] --format json|csv|xlsx|pdf|html [--out FIL] [--lang sv|en]
         [--unknown-age-as-adult true|false] [--form exact|protected]
                                  årsrapporten (standard ut utan --out); exakt som statistikern ser den,
                                  eller med --form protected som allmänheten ser den
  report --release 2024-civ-1|2023-stp-1 --format json|csv|xlsx|pdf [--out FIL] [--lang sv|en] [--form exact|protected]
                                  civilsamhällets eller stödprogrammens rapport ur en utgåva
  report --year ÅR [--release ID] --format ctdc [--out FIL]
                                  en publicerad utgåvas poster i CTDC:s kolumner, k-anonymiserade (k = 11)
  series import FIL               lägg till tryckta serier (JSON, format lagesbild-series/1)
  users add --username U --role ROLL [--region KOD | --organisation ID]
                                  lägg till en användare (lösenordet läses från standard in)
  users list | password --username U | deactivate --username U | activate --username U
                                  lista användare, byt lösenord, inaktivera, återaktivera
  organisations list | add --kind civil_society|support_programme --name NAMN [--name-en NAME] [--id ID]
  organisations rename ID --name NAMN [--name-en NAME] | deactivate ID | activate ID
                                  organisationer (de sju regionkontoren är fasta)
  audit verify [--anchor FIL]     kontrollera granskningsloggens kedja och ankarna i FIL (0 = obruten, 1 = bruten)
  audit anchor [--out FIL]        skriv kedjans huvud som en JSON-rad (med --out: lägg till sist i FIL)
  audit search [--operation OP] [--actor ANVÄNDARE] [--case ÄRENDE] [--region KOD] [--since DATUM] [--until DATUM] [--limit N]
                                  sök i granskningsloggen (användarnamn eller id, ärendets referens eller id)
  backup --out FIL                säkerhetskopia av hela instansen (en ny fil)
  restore FIL                     läs in en säkerhetskopia i en tom instans (servern stoppad)

Databas: DATABASE_URL (PostgreSQL) eller den inbäddade i LAGESBILD_DATA_DIR (standard ./data).
`;

type Command = (args: string[], cx: Cx) => Promise<number>;

const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  import: importCommand,
  export: exportCommand,
  seed: seedCommand,
  freeze: freezeCommand,
  publish: publishCommand,
  policy: policyCommand,
  releases: releasesCommand,
  report: reportCommand,
  series: seriesCommand,
  users: usersCommand,
  organisations: organisationsCommand,
  audit: auditCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  const cx: Cx = { io, lang: process.env.LAGESBILD_LANG === 'en' ? 'en' : 'sv' };
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`${cx.lang === 'sv' ? 'Okänt kommando' : 'Unknown command'}: ${name}\n\n${usage}`);
    return 2;
  }
  try {
    return await command(rest, cx);
  } catch (e) {
    return reportProblem(e, io, cx.lang);
  }
}

const said = (cx: Cx, text: Label) => `${text[cx.lang]}\n`;

function parseYear(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2018 || year > 2100) throw usageError({ sv: `Ogiltigt år: ${value}`, en: `Invalid year: ${value}` });
  return year;
}

function requireYear(value: string | undefined): number {
  if (value === undefined) throw usageError({ sv: 'Ange --year ÅR.', en: 'Give --year YEAR.' });
  return parseYear(value)!;
}

/** `--lang sv|en`: the command's language from here on, its messages included. */
export function takeLang(cx: Cx, value: string | undefined): Lang {
  if (value === undefined) return cx.lang;
  if (value !== 'sv' && value !== 'en') throw usageError({ sv: `Okänt språk: ${value}`, en: `Unknown language: ${value}` });
  cx.lang = value;
  return value;
}

async function migrateCommand(args: string[], cx: Cx): Promise<number> {
  parseOptions(args, {}, cx.lang);
  const target = resolveTarget();
  const database = await open(target, true);
  await database.close();
  cx.io.out(`Databasen är migrerad (${describeTarget(target)}).\n`);
  return 0;
}

async function importCommand(args: string[], cx: Cx): Promise<number> {
  const { positionals, values } = parseOptions(args, { lang: { type: 'string' }, 'confirm-duplicate': { type: 'boolean' }, 'linkage-key-file': { type: 'string' } }, cx.lang, 1);
  if (positionals.length !== 1) throw usageError({ sv: 'Ange en fil: lagesbild import FIL', en: 'Give a file: lagesbild import FILE' });
  const lang = takeLang(cx, values.lang);
  let file = fs.readFileSync(positionals[0]);
  // The linkage key computed here from the particulars, which are dropped before the file goes anywhere (src/cli/linkage.ts).
  if (values['linkage-key-file'] !== undefined) {
    if (file.subarray(0, 2).toString('latin1') === 'PK')
      throw usageError({ sv: '--linkage-key-file läser bara CSV-filer.', en: '--linkage-key-file reads CSV files only.' });
    const yearKey = await readYearKey(fs.readFileSync(values['linkage-key-file'], 'utf8'));
    const hashed = await hashLinkageColumns(file.toString('utf8'), yearKey, lang);
    if (hashed.problems.length > 0) {
      for (const p of hashed.problems) cx.io.err(`${p}\n`);
      cx.io.err(lang === 'sv' ? 'Filen importerades inte: kopplingsnyckeln kunde inte beräknas. Inget har sparats.\n' : 'The file was not imported: the linkage key could not be computed. Nothing was saved.\n');
      return 2;
    }
    file = Buffer.from(hashed.csv, 'utf8');
  }
  // A file imported before (duplicate_import) or rows equal to registered cases (identical_rows) are refused unless the operator confirms.
  const confirmDuplicate = values['confirm-duplicate'] === true;
  const result = await withBackend(lang, (backend) => backend.importFile(file, lang, { confirmDuplicate }));
  const { io } = cx;
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

async function exportCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(args, { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, year: { type: 'string' } }, cx.lang);
  if (values.format !== 'csv') throw usageError({ sv: `Okänt format: ${values.format} (export stöder csv)`, en: `Unknown format: ${values.format} (export supports csv)` });
  const year = parseYear(values.year);
  const csv = await withBackend(cx.lang, (backend) => backend.exportCsv(year));
  if (values.out) {
    fs.writeFileSync(values.out, csv);
    cx.io.err(said(cx, { sv: `Exporterade till ${values.out}.`, en: `Exported to ${values.out}.` }));
  } else {
    cx.io.out(csv);
  }
  return 0;
}

async function startCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(args, { port: { type: 'string' }, host: { type: 'string' }, 'no-demo': { type: 'boolean' } }, cx.lang);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const given = values.port ?? process.env.PORT;
    throw usageError({ sv: `Ogiltig port: ${given}`, en: `Invalid port: ${given}` });
  }
  const host = values.host ?? process.env.HOST ?? 'localhost';
  const { io } = cx;
  const target = resolveTarget();
  const database = await open(target, true);
  const prepared = await stats.prepareInstance(database.db, { embedded: target.kind === 'pglite', noDemo: Boolean(values['no-demo']) });
  if (prepared === 'seeded')
    io.out(
      'Demodata inlagd: syntetiska ärenden från regionkoordinatorerna (2025), civilsamhället (2024–2025) och stödprogrammen (2021–2025), frysta och publicerade som slutliga utgåvor (2025-1, 2024-civ-1, 2025-civ-1, 2023-stp-1, 2025-stp-1).\n',
    );
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

async function seedCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(args, { demo: { type: 'boolean' } }, cx.lang);
  if (!values.demo) throw usageError({ sv: 'Användning: lagesbild seed --demo', en: 'Usage: lagesbild seed --demo' });
  const refusal = {
    sv: 'Servern kör på den här datakatalogen. Stoppa den först, eller använd en tom datakatalog för demon.',
    en: 'The server is running on this data directory. Stop it first, or use an empty data directory for the demo.',
  };
  const published = await withDatabase(refusal, (database) => stats.seedDemoReleases(database.db));
  cx.io.out(`Demodata inlagd, ${published.length} utgåvor (slutliga, publicerade):\n`);
  for (const release of published) cx.io.out(`  ${stats.describeRelease(release, cx.lang)}\n`);
  return 0;
}

/** `--source`: whose releases (the coordinators' when left out). */
function parseSource(value: string | undefined): ReleaseSource | undefined {
  if (value === undefined) return undefined;
  if (!(releaseSources as readonly string[]).includes(value)) {
    throw usageError({ sv: `Okänd källa: ${value} (${releaseSources.join(', ')})`, en: `Unknown source: ${value} (${releaseSources.join(', ')})` });
  }
  return value as ReleaseSource;
}

async function freezeCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(args, { year: { type: 'string' }, kind: { type: 'string' }, source: { type: 'string' } }, cx.lang);
  const year = requireYear(values.year);
  const kind = values.kind;
  if (kind !== 'final' && kind !== 'preliminary') throw usageError({ sv: 'Ange --kind final eller --kind preliminary.', en: 'Give --kind final or --kind preliminary.' });
  const source = parseSource(values.source);
  const release = await withBackend(cx.lang, (backend) => backend.freeze({ year, kind, ...(source && { source }) }));
  cx.io.out(`${cx.lang === 'sv' ? 'Fryst' : 'Frozen'}: ${stats.describeRelease(release, cx.lang)}\n`);
  return 0;
}

async function releasesCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(args, { year: { type: 'string' }, source: { type: 'string' } }, cx.lang);
  const year = parseYear(values.year);
  const source = parseSource(values.source);
  const items = await withBackend(cx.lang, (backend) => backend.releases(year, source));
  if (items.length === 0) cx.io.out(said(cx, { sv: 'Inga utgåvor.', en: 'No releases.' }));
  for (const r of items) cx.io.out(`${stats.describeRelease(r, cx.lang)}\n`);
  return 0;
}

const reportFormats: readonly Format[] = ['json', 'csv', 'xlsx', 'pdf', 'html'];
/** A source report has no HTML edition. */
const sourceFormats: readonly SourceFormat[] = ['json', 'csv', 'xlsx', 'pdf'];

async function reportCommand(args: string[], cx: Cx): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      year: { type: 'string' },
      release: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      lang: { type: 'string' },
      'unknown-age-as-adult': { type: 'string' },
      form: { type: 'string' },
    },
    cx.lang,
  );
  const lang = takeLang(cx, values.lang);
  const format = values.format as Format;
  // A civil-society or support-programme release names its year in its id.
  if (values.release !== undefined && /^\d{4}-(civ|stp)-\d+$/.test(values.release)) {
    if (!sourceFormats.includes(format as SourceFormat)) throw usageError({ sv: `Okänt format: ${format} (json, csv, xlsx eller pdf)`, en: `Unknown format: ${format} (json, csv, xlsx or pdf)` });
    const form = values.form;
    if (form !== undefined && form !== 'exact' && form !== 'protected') throw usageError({ sv: '--form tar exact eller protected.', en: '--form takes exact or protected.' });
    const releaseId = values.release;
    const body = await withBackend(lang, (backend) => backend.sourceReport({ releaseId, format: format as SourceFormat, lang, form: form as ReportForm | undefined }));
    writeReport(cx, values.out, format === 'json' || format === 'csv', body);
    return 0;
  }
  const year = requireYear(values.year);
  const fold = values['unknown-age-as-adult'];
  if (fold !== undefined && fold !== 'true' && fold !== 'false') {
    throw usageError({ sv: '--unknown-age-as-adult tar true eller false.', en: '--unknown-age-as-adult takes true or false.' });
  }
  // ctdc: a published release's records in CTDC's columns, k-anonymised (src/stats/ctdc.ts)
  const ctdc = values.format === 'ctdc';
  if (!reportFormats.includes(format) && !ctdc) throw usageError({ sv: `Okänt format: ${format} (json, csv, xlsx, pdf, html eller ctdc)`, en: `Unknown format: ${format} (json, csv, xlsx, pdf, html or ctdc)` });
  // The command line is the statistician's tool: the exact form unless the published one is asked for.
  const form = values.form;
  if (form !== undefined && form !== 'exact' && form !== 'protected') throw usageError({ sv: '--form tar exact eller protected.', en: '--form takes exact or protected.' });
  const query = { year, releaseId: values.release, format, lang, unknownAgeAsAdult: fold === undefined ? undefined : fold === 'true', form: form as ReportForm | undefined };
  const body = await withBackend(lang, (backend) => (ctdc ? backend.ctdc({ year, releaseId: values.release }) : backend.report(query)));
  writeReport(cx, values.out, format === 'json' || format === 'csv' || format === 'html' || ctdc, body);
  return 0;
}

/** A report's file to `out`, or to standard out (text as text, bytes as they are). */
function writeReport(cx: Cx, out: string | undefined, text: boolean, body: Buffer): void {
  const { io } = cx;
  if (out) {
    fs.writeFileSync(out, body);
    io.err(said(cx, { sv: `Skrev ${out}.`, en: `Wrote ${out}.` }));
  } else if (text) {
    const s = body.toString('utf8');
    io.out(s.endsWith('\n') ? s : `${s}\n`);
  } else {
    (io.bytes ?? ((b) => process.stdout.write(b)))(body);
  }
}

async function seriesCommand(args: string[], cx: Cx): Promise<number> {
  const { positionals } = parseOptions(args, {}, cx.lang, 2);
  if (positionals[0] !== 'import' || positionals.length !== 2) throw usageError({ sv: 'Användning: lagesbild series import FIL', en: 'Usage: lagesbild series import FILE' });
  const text = fs.readFileSync(positionals[1], 'utf8');
  const refusal = {
    sv: 'Servern kör på den här datakatalogen. Stoppa den först för att importera serier.',
    en: 'The server is running on this data directory. Stop it first to import series.',
  };
  const n = await withDatabase(refusal, (database) => stats.importSeries(database.db, text));
  cx.io.out(said(cx, { sv: `Importerade ${n} tryckta värden.`, en: `Imported ${n} printed values.` }));
  return 0;
}
