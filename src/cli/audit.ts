// `lagesbild audit …`: verify the hash chain of the audit trail, search it.
import { parseArgs } from 'node:util';
import { systemActor } from '../access/actor.ts';
import { searchAudit, verifyAuditChain } from '../access/audit.ts';
import type { Lang } from '../standard/codes.ts';
import type { Database } from '../store/index.ts';
import { open, resolveTarget } from './context.ts';
import type { Io } from './main.ts';

const usage = `Användning:
  lagesbild audit verify          kontrollera att granskningsloggen är obruten (0 = obruten, 1 = bruten)
  lagesbild audit search [--operation OP] [--actor ID] [--case ID] [--region KOD] [--since DATUM] [--until DATUM] [--limit N]
`;

const reasons: Record<string, { sv: string; en: string }> = {
  sequence_gap: { sv: 'rader saknas före denna', en: 'rows are missing before this one' },
  prev_hash_mismatch: { sv: 'länken till föregående rad stämmer inte', en: 'the link to the previous row does not match' },
  hash_mismatch: { sv: 'radens innehåll har ändrats', en: 'the row’s content was changed' },
};

export async function auditCommand(args: string[], io: Io, lang: Lang = 'sv'): Promise<number> {
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    io.out(usage);
    return args.length ? 0 : 2;
  }
  const database = await open(resolveTarget());
  try {
    return await runAudit(database, args, io, lang);
  } finally {
    await database.close();
  }
}

export async function runAudit(database: Database, args: string[], io: Io, lang: Lang = 'sv'): Promise<number> {
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
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  const { values } = parsed;
  if (sub === 'verify') {
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      io.out(lang === 'sv' ? `Granskningsloggen är obruten (${result.rows} rader).\n` : `The audit trail is intact (${result.rows} rows).\n`);
      return 0;
    }
    io.err(
      lang === 'sv'
        ? `Granskningsloggen är bruten vid rad ${result.firstBadId}: ${reasons[result.reason].sv}.\n`
        : `The audit trail is broken at row ${result.firstBadId}: ${reasons[result.reason].en}.\n`,
    );
    return 1;
  }
  if (sub === 'search') {
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
