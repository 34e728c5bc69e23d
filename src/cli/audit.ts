// `lagesbild audit …`: verify the hash chain of the audit trail (and anchors kept outside the
// database), take an anchor, search the trail.
import fs from 'node:fs';
import { auditOperations, parseAnchors, type AuditAnchor } from '../access/audit.ts';
import type { Label, Lang } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import type { Database } from '../store/index.ts';
import { localBackend, withBackend, type AuditQuery, type Backend, type UseBackend } from './backend.ts';
import { parseOptions, reportProblem, usage as usageError, type Cx, type Io } from './problems.ts';

const usage = `Användning:
  lagesbild audit verify [--anchor FIL]
                                  kontrollera att granskningsloggen är obruten och att ankarna i FIL
                                  stämmer (0 = obruten, 1 = bruten)
  lagesbild audit anchor [--out FIL]
                                  skriv kedjans huvud som en JSON-rad {"row","hash","at"} (med --out:
                                  lägg till raden sist i FIL)
  lagesbild audit search [--operation OP] [--actor ANVÄNDARE] [--case ÄRENDE] [--region KOD] [--since DATUM] [--until DATUM] [--limit N]
                                  sök i granskningsloggen: --actor tar ett användarnamn eller användar-id,
                                  --case ett ärendes referens (t.ex. STH-2025-0001) eller id; datum som
                                  2025-01-31; högst 500 rader (standard 100)
`;

const reasons: Record<string, { sv: string; en: string }> = {
  sequence_gap: { sv: 'rader saknas före denna', en: 'rows are missing before this one' },
  prev_hash_mismatch: { sv: 'länken till föregående rad stämmer inte', en: 'the link to the previous row does not match' },
  hash_mismatch: { sv: 'radens innehåll har ändrats', en: 'the row’s content was changed' },
  row_missing: { sv: 'raden finns inte (rader har tagits bort)', en: 'the row is missing (rows were removed)' },
  hash_differs: { sv: 'radens hash är en annan (raden eller kedjan efter den har ändrats)', en: 'the row’s hash differs (the row or the chain after it was changed)' },
};

const options = {
  operation: { type: 'string' },
  actor: { type: 'string' },
  case: { type: 'string' },
  region: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  anchor: { type: 'string' },
  out: { type: 'string' },
  lang: { type: 'string' },
} as const;

export async function auditCommand(args: string[], cx: Cx, use: UseBackend = withBackend): Promise<number> {
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    cx.io.out(usage);
    return args.length ? 0 : 2;
  }
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'anchor' && sub !== 'search') {
    throw usageError({ sv: `Okänt underkommando: ${sub}\n\n${usage}`, en: `Unknown subcommand: ${sub}\n\n${usage}` });
  }
  const { values } = parseOptions(rest, options, cx.lang);
  if (values.lang !== undefined) {
    if (values.lang !== 'sv' && values.lang !== 'en') throw usageError({ sv: `Okänt språk: ${values.lang}`, en: `Unknown language: ${values.lang}` });
    cx.lang = values.lang;
  }
  if (sub === 'verify') {
    // The anchor file is read before the instance is opened: a bad one is bad input either way.
    const anchors = values.anchor === undefined ? [] : readAnchorFile(values.anchor);
    return use(cx.lang, (backend) => verify(backend, anchors, cx));
  }
  if (sub === 'anchor') {
    const anchor = await use(cx.lang, (backend) => backend.auditAnchor());
    const line = `${JSON.stringify({ row: anchor.row, hash: anchor.hash, at: anchor.at })}\n`;
    if (values.out === undefined) {
      cx.io.out(line);
    } else {
      fs.appendFileSync(values.out, line);
      cx.io.err(cx.lang === 'sv' ? `Ankare för rad ${anchor.row} tillagt i ${values.out}.\n` : `Anchor of row ${anchor.row} appended to ${values.out}.\n`);
    }
    return 0;
  }
  const query = searchQuery(values);
  const result = await use(cx.lang, (backend) => backend.auditSearch(query));
  for (const item of result.items) cx.io.out(`${JSON.stringify(item)}\n`);
  cx.io.err(cx.lang === 'sv' ? `${result.items.length} av ${result.total} rader.\n` : `${result.items.length} of ${result.total} rows.\n`);
  return 0;
}

/** The audit command on a database this process holds already (an in-process server's, in tests). */
export async function runAudit(database: Database, args: string[], io: Io, lang: Lang = 'sv'): Promise<number> {
  const cx = { io, lang };
  try {
    return await auditCommand(args, cx, (_lang, work) => work(localBackend(database)));
  } catch (e) {
    return reportProblem(e, io, cx.lang);
  }
}

/** The search's filters, checked here by the rules of GET /api/audit, so both backends are asked the same. */
function searchQuery(values: { operation?: string; actor?: string; case?: string; region?: string; since?: string; until?: string; limit?: string }): AuditQuery {
  const bad = (sv: string, en: string) => usageError({ sv, en });
  if (values.operation !== undefined && !(auditOperations as readonly string[]).includes(values.operation)) {
    throw bad(`Okänd --operation: ${values.operation} (${auditOperations.join(', ')})`, `Unknown --operation: ${values.operation} (${auditOperations.join(', ')})`);
  }
  if (values.actor !== undefined && (values.actor.length < 1 || values.actor.length > 200)) throw bad('Ogiltig --actor.', 'Invalid --actor.');
  if (values.case !== undefined && !/^[0-9A-Za-z-]{1,64}$/.test(values.case)) throw bad(`Ogiltig --case: ${values.case}`, `Invalid --case: ${values.case}`);
  if (values.region !== undefined && !/^[a-z_-]{1,32}$/.test(values.region)) throw bad(`Ogiltig --region: ${values.region}`, `Invalid --region: ${values.region}`);
  const date = (v: string | undefined) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 2100) throw bad(`Ogiltigt datum: ${v}`, `Invalid date: ${v}`);
    return d;
  };
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad(`Ogiltig --limit: ${values.limit} (1–500)`, `Invalid --limit: ${values.limit} (1–500)`);
  return {
    operation: values.operation,
    actor: values.actor,
    caseId: values.case?.toUpperCase(),
    region: values.region,
    since: date(values.since),
    until: date(values.until),
    limit,
  };
}

function readAnchorFile(file: string): AuditAnchor[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new DomainError('anchor_file', 'invalid', { sv: `Ankarfilen kan inte läsas: ${file}`, en: `The anchor file cannot be read: ${file}` });
  }
  try {
    return parseAnchors(text);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const why: Label = e.text;
    throw new DomainError('anchor_file', 'invalid', { sv: `Ankarfilen ${file}: ${why.sv}.`, en: `The anchor file ${file}: ${why.en}.` });
  }
}

/** Exit 0: the chain is whole and every anchor holds; 1: either is not (every failure named); 2: a bad anchor file. */
async function verify(backend: Backend, anchors: AuditAnchor[], cx: Cx): Promise<number> {
  const { io, lang } = cx;
  const result = await backend.auditVerify(anchors);
  const { chain } = result;
  if (chain.ok) {
    io.out(lang === 'sv' ? `Granskningsloggen är obruten (${chain.rows} rader).\n` : `The audit trail is intact (${chain.rows} rows).\n`);
  } else {
    io.err(
      lang === 'sv'
        ? `Granskningsloggen är bruten vid rad ${chain.firstBadId}: ${reasons[chain.reason].sv}.\n`
        : `The audit trail is broken at row ${chain.firstBadId}: ${reasons[chain.reason].en}.\n`,
    );
  }
  for (const f of result.anchors) {
    io.err(lang === 'sv' ? `Ankaret för rad ${f.row} stämmer inte: ${reasons[f.reason].sv}.\n` : `The anchor of row ${f.row} does not hold: ${reasons[f.reason].en}.\n`);
  }
  if (anchors.length && !result.anchors.length) {
    const newest = anchors.reduce((m, a) => Math.max(m, a.row), 0);
    io.out(
      lang === 'sv'
        ? `Alla ${anchors.length} ankare stämmer; raderna till och med rad ${newest} är som när ankarna togs.\n`
        : `All ${anchors.length} anchors hold; the rows up to row ${newest} are as they were when anchored.\n`,
    );
  }
  return chain.ok && !result.anchors.length ? 0 : 1;
}
