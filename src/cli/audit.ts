// `lagesbild audit …`: verify the hash chain of the audit trail (and anchors kept outside the
// database), take an anchor, search the trail.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { systemActor } from '../access/actor.ts';
import {
  AnchorFileError,
  parseAnchors,
  searchAudit,
  takeAuditAnchor,
  verifyAnchors,
  verifyAuditChain,
  type AnchorFailure,
  type AuditAnchor,
  type ChainCheck,
} from '../access/audit.ts';
import type { Lang } from '../standard/codes.ts';
import type { Database } from '../store/index.ts';
import { callLocalServer, locallyOrThroughServer } from './backup.ts';
import { open, resolveTarget, type ServerInfo } from './context.ts';
import type { Io } from './main.ts';

const usage = `Användning:
  lagesbild audit verify [--anchor FIL]
                                  kontrollera att granskningsloggen är obruten och att ankarna i FIL
                                  stämmer (0 = obruten, 1 = bruten)
  lagesbild audit anchor [--out FIL]
                                  skriv kedjans huvud som en JSON-rad {"row","hash","at"} (med --out:
                                  lägg till raden sist i FIL)
  lagesbild audit search [--operation OP] [--actor ID] [--case ID] [--region KOD] [--since DATUM] [--until DATUM] [--limit N]
`;

const reasons: Record<string, { sv: string; en: string }> = {
  sequence_gap: { sv: 'rader saknas före denna', en: 'rows are missing before this one' },
  prev_hash_mismatch: { sv: 'länken till föregående rad stämmer inte', en: 'the link to the previous row does not match' },
  hash_mismatch: { sv: 'radens innehåll har ändrats', en: 'the row’s content was changed' },
  row_missing: { sv: 'raden finns inte (rader har tagits bort)', en: 'the row is missing (rows were removed)' },
  hash_differs: { sv: 'radens hash är en annan (raden eller kedjan efter den har ändrats)', en: 'the row’s hash differs (the row or the chain after it was changed)' },
};

/** What verify and anchor need: the database itself, or the server that holds it. */
type Trail = {
  verify(anchors: AuditAnchor[]): Promise<{ chain: ChainCheck; anchors: AnchorFailure[] }>;
  anchor(): Promise<AuditAnchor>;
};

const localTrail = (database: Database): Trail => ({
  verify: async (anchors) => ({ chain: await verifyAuditChain(database.db), anchors: await verifyAnchors(database.db, anchors) }),
  anchor: () => takeAuditAnchor(database.db, systemActor('cli')),
});

const serverTrail = (server: ServerInfo): Trail => ({
  verify: async (anchors) =>
    (await callLocalServer(server, '/api/operations/audit/verify', {
      method: 'POST',
      // the rows and hashes are what is checked; an anchor's time is for people
      body: JSON.stringify({ anchors: anchors.map((a) => ({ row: a.row, hash: a.hash })) }),
      headers: { 'content-type': 'application/json' },
    }).then((r) => r.json())) as { chain: ChainCheck; anchors: AnchorFailure[] },
  anchor: async () => (await callLocalServer(server, '/api/operations/audit/anchor', { method: 'POST' }).then((r) => r.json())) as AuditAnchor,
});

export async function auditCommand(args: string[], io: Io, lang: Lang = 'sv'): Promise<number> {
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    io.out(usage);
    return args.length ? 0 : 2;
  }
  if (args[0] === 'verify' || args[0] === 'anchor') {
    return locallyOrThroughServer(
      (database) => runAuditWith(localTrail(database), database, args, io, lang),
      (server) => runAuditWith(serverTrail(server), null, args, io, lang),
    );
  }
  const database = await open(resolveTarget());
  try {
    return await runAudit(database, args, io, lang);
  } finally {
    await database.close();
  }
}

export function runAudit(database: Database, args: string[], io: Io, lang: Lang = 'sv'): Promise<number> {
  return runAuditWith(localTrail(database), database, args, io, lang);
}

async function runAuditWith(trail: Trail, database: Database | null, args: string[], io: Io, lang: Lang): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
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
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  const { values } = parsed;
  if (values.lang !== undefined) {
    if (values.lang !== 'sv' && values.lang !== 'en') {
      io.err(`Okänt språk: ${values.lang}\n`);
      return 2;
    }
    lang = values.lang;
  }
  if (sub === 'verify') return verify(trail, values.anchor, io, lang);
  if (sub === 'anchor') {
    const anchor = await trail.anchor();
    const line = `${JSON.stringify({ row: anchor.row, hash: anchor.hash, at: anchor.at })}\n`;
    if (values.out === undefined) {
      io.out(line);
    } else {
      fs.appendFileSync(values.out, line);
      io.err(lang === 'sv' ? `Ankare för rad ${anchor.row} tillagt i ${values.out}.\n` : `Anchor of row ${anchor.row} appended to ${values.out}.\n`);
    }
    return 0;
  }
  if (sub === 'search' && database) {
    const date = (v: string | undefined) => {
      if (v === undefined) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) throw new Error(`Ogiltigt datum: ${v}`);
      return d;
    };
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      io.err(`Ogiltig --limit: ${values.limit}\n`);
      return 2;
    }
    let since: Date | undefined, until: Date | undefined;
    try {
      since = date(values.since);
      until = date(values.until);
    } catch (e) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    const result = await searchAudit(database.db, systemActor('cli'), {
      operation: values.operation,
      actorId: values.actor,
      caseId: values.case,
      region: values.region,
      since,
      until,
      pageSize: limit,
    });
    for (const item of result.items) io.out(`${JSON.stringify(item)}\n`);
    io.err(lang === 'sv' ? `${result.items.length} av ${result.total} rader.\n` : `${result.items.length} of ${result.total} rows.\n`);
    return 0;
  }
  io.err(`Okänt underkommando: ${sub}\n\n${usage}`);
  return 2;
}

/** Exit 0: the chain is whole and every anchor holds; 1: either is not (every failure named); 2: a bad anchor file. */
async function verify(trail: Trail, anchorFile: string | undefined, io: Io, lang: Lang): Promise<number> {
  let anchors: AuditAnchor[] = [];
  if (anchorFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(anchorFile, 'utf8');
    } catch {
      io.err(lang === 'sv' ? `Ankarfilen kan inte läsas: ${anchorFile}\n` : `The anchor file cannot be read: ${anchorFile}\n`);
      return 2;
    }
    try {
      anchors = parseAnchors(text);
    } catch (e) {
      if (!(e instanceof AnchorFileError)) throw e;
      io.err(lang === 'sv' ? `Ankarfilen ${anchorFile}: ${e.text.sv}.\n` : `The anchor file ${anchorFile}: ${e.text.en}.\n`);
      return 2;
    }
  }
  const result = await trail.verify(anchors);
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
