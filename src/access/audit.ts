// The audit trail: who did what to which cases, from where. Written in the same transaction
// as the operation it records; append-only and hash-chained so that a changed or removed
// row is found by `verifyAuditChain`.
import crypto from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../store/db.ts';
import type { Actor } from './actor.ts';
import { can, ForbiddenError } from './policy.ts';
import { auditLog, users } from './schema.ts';
import { canonicalJson } from '../store/canonical-json.ts';
import { DomainError } from '../standard/domain-error.ts';

export const auditOperations = [
  'case.create',
  'case.read',
  'case.update',
  'case.close',
  'case.reopen',
  'case.withdraw',
  'case.history',
  'cases.list',
  'cases.search',
  'cases.import',
  'cases.export',
  'release.freeze',
  'release.publish',
  'release.policy',
  'release.read_internal',
  'report.read_live',
  'session.login',
  'session.logout',
  'session.login_failed',
  'session.locked_out',
  'users.create',
  'users.update',
  'users.deactivate',
  'users.reset_code',
  'organisations.create',
  'organisations.update',
  'audit.search',
  'audit.anchor',
  'instance.backup',
  'instance.restore',
  'duplicates.list',
  'duplicates.resolve',
] as const;
export type AuditOperation = (typeof auditOperations)[number];

export type AuditEntry = {
  /** `anonymous` for what happens before sign-in */
  actor: { id: string; role: Actor['role'] | 'anonymous'; from?: string | null };
  operation: AuditOperation;
  caseIds?: readonly string[];
  /** where the request came from; defaults to `actor.from` */
  from?: string | null;
  /** never case contents: ids, counts, years, filter names */
  details?: Record<string, unknown> | null;
};

export type AuditRow = typeof auditLog.$inferSelect;

const GENESIS = '0'.repeat(64);
// An arbitrary constant that names the audit chain's advisory lock.
const AUDIT_LOCK = 4_412_007_301;

type Hashed = Omit<AuditRow, 'hash'>;

export function auditHash(row: Hashed): string {
  const content = canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actor_id: row.actor_id,
    actor_role: row.actor_role,
    operation: row.operation,
    case_ids: row.case_ids,
    regions: row.regions,
    from: row.from ?? null,
    details: row.details ?? null,
  });
  return crypto.createHash('sha256').update(row.prev_hash).update('\n').update(content).digest('hex');
}

/**
 * Appends one row to the trail. Call it inside the operation's transaction, as late as
 * possible: it holds the chain's lock until that transaction ends.
 */
export async function writeAudit(ex: Executor, entry: AuditEntry, now: Date = new Date()): Promise<AuditRow> {
  return ex.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const caseIds = [...new Set(entry.caseIds ?? [])];
    const regions = caseIds.length
      ? (
          await rows<{ region: string }>(
            tx,
            sql`select distinct c.region from cases c
                where c.id in (select jsonb_array_elements_text(${JSON.stringify(caseIds)}::jsonb)) and c.region is not null and c.source = 'coordinator'
                order by 1`,
          )
        ).map((r) => r.region)
      : [];
    const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const row: Hashed = {
      seq: (last ? Number(last.seq) : 0) + 1,
      at: now,
      actor_id: entry.actor.id,
      actor_role: entry.actor.role,
      operation: entry.operation,
      case_ids: caseIds,
      regions,
      from: entry.from ?? entry.actor.from ?? null,
      details: entry.details ?? null,
      prev_hash: last?.hash ?? GENESIS,
    };
    const full = { ...row, hash: auditHash(row) };
    await tx.insert(auditLog).values(full);
    return full;
  });
}

export type ChainCheck =
  | { ok: true; rows: number }
  | { ok: false; firstBadId: number; reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch'; rows: number };

/** Walks the whole trail in order and names the first row that is not as it was written. */
export async function verifyAuditChain(ex: Executor, batchSize = 2000): Promise<ChainCheck> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  for (;;) {
    const batch = await ex
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    for (const raw of batch) {
      const row = { ...raw, seq: Number(raw.seq) };
      if (row.seq !== expectedSeq) return { ok: false, firstBadId: row.seq, reason: 'sequence_gap', rows: checked };
      if (row.prev_hash !== prevHash) return { ok: false, firstBadId: row.seq, reason: 'prev_hash_mismatch', rows: checked };
      if (auditHash(row) !== row.hash) return { ok: false, firstBadId: row.seq, reason: 'hash_mismatch', rows: checked };
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (batch.length < batchSize) return { ok: true, rows: checked };
  }
}

export type AuditFilters = {
  operation?: string;
  /** a user's id, or a username (any letter case): the user's rows either way */
  actorId?: string;
  /** a case's id, or its reference (STO-2025-0124) */
  caseId?: string;
  region?: string;
  since?: Date;
  until?: Date;
  page?: number;
  pageSize?: number;
};

export type AuditView = {
  seq: number;
  at: string;
  actor_id: string;
  /** the user's username; null for an actor that is no user (anonymous, the command line) */
  actor_username: string | null;
  actor_role: string;
  operation: string;
  case_ids: string[];
  /** the references of `case_ids`, in the same order (null for an id no longer found) */
  case_refs: (string | null)[];
  regions: string[];
  from: string | null;
  details: unknown;
};

/**
 * The trail for those allowed to read it: the statistician and the administrator see all
 * of it; a coordinator sees who touched their region's cases (only those case ids, without
 * addresses and details). The search itself is recorded.
 */
export async function searchAudit(ex: Executor, actor: Actor, filters: AuditFilters = {}): Promise<{ items: AuditView[]; total: number; page: number; pageSize: number }> {
  const full = can(actor, 'audit.search');
  if (!full && !(actor.region && can(actor, 'audit.read_own_region', { region: actor.region }))) throw new ForbiddenError('audit.search');
  if (!full && filters.region && filters.region !== actor.region) throw new ForbiddenError('audit.read_own_region');
  const region = full ? filters.region : actor.region!;
  // A reference names its case (references hold a dash, ids never do); an unknown one finds nothing.
  let caseId = filters.caseId;
  if (caseId?.includes('-')) {
    const [found] = await rows<{ id: string }>(ex, sql`select id from cases where reference = ${caseId.toUpperCase()}`);
    caseId = found?.id ?? caseId;
  }

  const conditions: (SQL | undefined)[] = [
    filters.operation ? eq(auditLog.operation, filters.operation) : undefined,
    // A user's id or username: `in (x, null)` is the id alone when no user has that username.
    filters.actorId
      ? sql`${auditLog.actor_id} in (${filters.actorId}, (select u.id from ${users} u where u.username = lower(${filters.actorId})))`
      : undefined,
    caseId ? sql`${auditLog.case_ids} @> array[${caseId}]::text[]` : undefined,
    caseId && !full ? sql`exists (select 1 from cases c where c.id = ${caseId} and c.region = ${region} and c.source = 'coordinator')` : undefined,
    // The statistician's review of duplicates across scopes names a region's case only because another
    // scope has its linkage key: shown to the region, it would tell the coordinator of a match elsewhere.
    full ? undefined : sql`not (${auditLog.operation} like 'duplicates.%' and ${auditLog.details} ->> 'scope' = 'national')`,
    // So does the statistician's quality view, which names the possible duplicates of the whole country.
    full ? undefined : sql`not (${auditLog.operation} = 'report.read_live' and ${auditLog.details} ->> 'view' = 'quality')`,
    region ? sql`${auditLog.regions} @> array[${region}]::text[]` : undefined,
    filters.since ? gte(auditLog.at, filters.since) : undefined,
    filters.until ? lt(auditLog.at, filters.until) : undefined,
  ];
  const where = and(...conditions);
  const page = Math.max(1, Math.floor(filters.page ?? 1));
  const pageSize = Math.min(500, Math.max(1, Math.floor(filters.pageSize ?? 50)));

  return ex.transaction(async (tx) => {
    const found = await tx
      .select({
        seq: auditLog.seq,
        at: auditLog.at,
        actor_id: auditLog.actor_id,
        actor_username: sql<string | null>`(select u.username from ${users} u where u.id = ${auditLog.actor_id})`,
        actor_role: auditLog.actor_role,
        operation: auditLog.operation,
        case_ids: full
          ? auditLog.case_ids
          : sql<string[]>`array(select c.id from cases c where c.id = any(${auditLog.case_ids}) and c.region = ${region} and c.source = 'coordinator' order by c.id)`,
        regions: auditLog.regions,
        from: auditLog.from,
        details: auditLog.details,
      })
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.seq))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [{ total }] = await tx.select({ total: count() }).from(auditLog).where(where);
    const shownFilters = Object.fromEntries(
      Object.entries({ ...filters, since: filters.since?.toISOString(), until: filters.until?.toISOString() }).filter(([, v]) => v !== undefined),
    );
    await writeAudit(tx, { actor, operation: 'audit.search', details: { filters: shownFilters, scope: full ? 'all' : 'region' } });
    const shownIds = [...new Set(found.flatMap((r) => r.case_ids ?? []))];
    const references = new Map(
      shownIds.length
        ? (
            await rows<{ id: string; reference: string }>(
              tx,
              sql`select id, reference from cases where id in (select jsonb_array_elements_text(${JSON.stringify(shownIds)}::jsonb))`,
            )
          ).map((c) => [c.id, c.reference])
        : [],
    );
    const items = found.map(
      (r): AuditView => ({
        seq: Number(r.seq),
        at: r.at.toISOString(),
        actor_id: r.actor_id,
        actor_username: r.actor_username ?? null,
        actor_role: r.actor_role,
        operation: r.operation,
        case_ids: r.case_ids ?? [],
        case_refs: (r.case_ids ?? []).map((id) => references.get(id) ?? null),
        regions: full ? r.regions : [region!],
        from: full ? r.from : null,
        details: full ? r.details : null,
      }),
    );
    return { items, total: Number(total), page, pageSize };
  });
}

/** Where the walk of the chain has come: the last row found intact (seq 0: none yet), or the first broken one. */
export type ChainCursor = {
  seq: number;
  hash: string;
  /** rows found intact in this walk (seq 1 … `seq`) */
  rows: number;
  broken: { seq: number; reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'row_missing' | 'hash_differs' } | null;
  /** when this walk began at row 1 */
  startedAt: Date;
};

export type ChainState = {
  /** every row through the head checked and intact */
  verified: boolean;
  state: 'intact' | 'checking' | 'broken';
  /** rows found intact, seq 1 through `checkedThrough` */
  rows: number;
  checkedThrough: number;
  head: number;
  broken: ChainCursor['broken'];
  /** when the walk that got this far began at row 1 */
  walkStartedAt: string;
  /** the newest anchor taken (the trail's newest `audit.anchor` row), or null */
  anchor: { seq: number; hash: string; at: string } | null;
};

export type ChainStepOptions = {
  /** rows one step checks at most */
  maxRows?: number;
  /** a step reads no further batch of 1,000 rows after this many milliseconds (it reads at least one) */
  budgetMs?: number;
  /** a walk this old starts again at row 1 */
  rewalkAfterMs?: number;
  now?: () => Date;
};

/** A cursor's holder: one per server (the walk goes on from where the last request left it). */
export type ChainWalk = { cursor: ChainCursor | null; running: Promise<ChainState> | null };
export const newChainWalk = (): ChainWalk => ({ cursor: null, running: null });

/**
 * The chain's state for its readers, at a bounded cost per request. Walking the whole chain
 * reads every row (100,000 rows took 17–33 s on PGlite, BENCHMARKS.md), so the walk is kept in
 * `walk` and each call goes on from the last row found intact for about `budgetMs` (1 s); a call
 * first checks that this row still has the hash it had (a chain rewritten from an earlier row
 * no longer reaches it, and the walk starts again). Until the walk reaches the head the state
 * is `checking`: intact through `checkedThrough`. A walk older than `rewalkAfterMs` starts again
 * at row 1, so a row changed behind an earlier walk is found by the next one. Concurrent calls
 * share one step. The chain is never trusted beyond what this walk has checked itself: an anchor
 * row is reported, not taken as proof (the operator checks the anchors they hold with
 * `lagesbild audit verify --anchor`).
 */
export async function auditChainState(
  ex: Executor,
  walk: ChainWalk,
  opts: ChainStepOptions = {},
): Promise<ChainState> {
  while (walk.running) await walk.running.catch(() => undefined);
  const step = stepChainWalk(ex, walk, opts);
  walk.running = step;
  try {
    return await step;
  } finally {
    if (walk.running === step) walk.running = null;
  }
}

async function stepChainWalk(ex: Executor, walk: ChainWalk, opts: ChainStepOptions): Promise<ChainState> {
  const maxRows = opts.maxRows ?? 100_000;
  const budgetMs = opts.budgetMs ?? 1000;
  const rewalkAfterMs = opts.rewalkAfterMs ?? 60 * 60 * 1000;
  const now = opts.now?.() ?? new Date();
  const fresh = (): ChainCursor => ({ seq: 0, hash: GENESIS, rows: 0, broken: null, startedAt: now });
  let cursor = walk.cursor ?? fresh();
  if (now.getTime() - cursor.startedAt.getTime() > rewalkAfterMs) cursor = fresh();
  // A row this walk found intact is gone or changed: the trail was cut or rewritten since.
  let lost: ChainCursor['broken'] = null;
  if (!cursor.broken && cursor.seq > 0) {
    const [still] = await ex.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, cursor.seq));
    if (still?.hash !== cursor.hash) {
      lost = { seq: cursor.seq, reason: still ? 'hash_differs' : 'row_missing' };
      cursor = fresh();
    }
  }
  if (!cursor.broken) cursor = await walkChain(ex, cursor, maxRows, performance.now() + budgetMs);
  // The walk again from row 1 names the first changed row when it reaches it in this step; else the row that changed.
  if (lost && !cursor.broken) cursor = { ...cursor, broken: lost };
  walk.cursor = cursor;
  const [head] = await ex.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const headSeq = head ? Number(head.seq) : 0;
  const [anchor] = await ex
    .select({ seq: auditLog.seq, hash: auditLog.hash, at: auditLog.at })
    .from(auditLog)
    .where(eq(auditLog.operation, 'audit.anchor'))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const broken = cursor.broken;
  const state = broken ? 'broken' : cursor.seq >= headSeq ? 'intact' : 'checking';
  return {
    verified: state === 'intact',
    state,
    rows: cursor.rows,
    checkedThrough: cursor.seq,
    head: headSeq,
    broken,
    walkStartedAt: cursor.startedAt.toISOString(),
    anchor: anchor ? { seq: Number(anchor.seq), hash: anchor.hash, at: anchor.at.toISOString() } : null,
  };
}

/** Goes on from `cursor` by at most `maxRows` rows; stops at the first row that is not as written. */
async function walkChain(ex: Executor, cursor: ChainCursor, maxRows: number, deadline: number): Promise<ChainCursor> {
  let expectedSeq = cursor.seq + 1;
  let prevHash = cursor.hash;
  let checked = 0;
  let broken: ChainCursor['broken'] = null;
  while (checked < maxRows && !broken && (checked === 0 || performance.now() < deadline)) {
    const limit = Math.min(1000, maxRows - checked);
    const batch = await ex.select().from(auditLog).where(gt(auditLog.seq, expectedSeq - 1)).orderBy(asc(auditLog.seq)).limit(limit);
    for (const raw of batch) {
      const row = { ...raw, seq: Number(raw.seq) };
      if (row.seq !== expectedSeq) broken = { seq: row.seq, reason: 'sequence_gap' };
      else if (row.prev_hash !== prevHash) broken = { seq: row.seq, reason: 'prev_hash_mismatch' };
      else if (auditHash(row) !== row.hash) broken = { seq: row.seq, reason: 'hash_mismatch' };
      if (broken) break;
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (batch.length < limit) break;
  }
  return { ...cursor, seq: expectedSeq - 1, hash: prevHash, rows: cursor.rows + checked, broken };
}

/**
 * An anchor: the chain head (its row number and hash) written down outside the database. The
 * chain alone cannot show that its newest rows were removed, or that someone with write access
 * edited a row and recomputed every later hash; a copy of a head's hash kept elsewhere can.
 */
export type AuditAnchor = { row: number; hash: string; at: string | null };

/**
 * Takes an anchor: records that one was taken (who, when) and returns that very row as the
 * anchor. The record is the chain head when its transaction commits (the chain's lock is held
 * until then), so the anchor covers every earlier row and the trail shows when anchors were
 * taken; a trail whose newest rows were cut away is missing an anchor row the operator holds.
 */
export async function takeAuditAnchor(ex: Executor, actor: Actor, now: Date = new Date()): Promise<AuditAnchor> {
  const row = await writeAudit(ex, { actor, operation: 'audit.anchor' }, now);
  return { row: Number(row.seq), hash: row.hash, at: row.at.toISOString() };
}

/** The newest row of the trail as an anchor, without writing (row 0 and the genesis hash for an empty trail). */
export async function auditChainHead(ex: Executor): Promise<AuditAnchor> {
  const [last] = await ex.select({ seq: auditLog.seq, hash: auditLog.hash, at: auditLog.at }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return last ? { row: Number(last.seq), hash: last.hash, at: last.at.toISOString() } : { row: 0, hash: GENESIS, at: null };
}

export type AnchorFailure = { row: number; reason: 'row_missing' | 'hash_differs' };

/**
 * Checks the trail against anchors taken earlier: each anchored row must still be there with
 * the hash it had. An anchor vouches for the rows up to its own (their hashes are chained into
 * it); rows written after the newest anchor are covered by the next one. Failures in row order.
 */
export async function verifyAnchors(ex: Executor, anchors: readonly AuditAnchor[]): Promise<AnchorFailure[]> {
  const failures: AnchorFailure[] = [];
  const wanted = [...new Map(anchors.filter((a) => a.row > 0).map((a) => [`${a.row} ${a.hash}`, a])).values()].sort((a, b) => a.row - b.row);
  for (let i = 0; i < wanted.length; i += 500) {
    const page = wanted.slice(i, i + 500);
    const found = await rows<{ seq: string | number; hash: string }>(
      ex,
      sql`select seq, hash from audit_log where seq in (select jsonb_array_elements_text(${JSON.stringify(page.map((a) => String(a.row)))}::jsonb)::bigint)`,
    );
    const hashes = new Map(found.map((r) => [Number(r.seq), r.hash]));
    for (const a of page) {
      const hash = hashes.get(a.row);
      if (hash === undefined) failures.push({ row: a.row, reason: 'row_missing' });
      else if (hash !== a.hash) failures.push({ row: a.row, reason: 'hash_differs' });
    }
  }
  return failures;
}

/** `text` names the line and what is wrong with it (the command line says which file). */
export class AnchorFileError extends DomainError {
  constructor(
    readonly line: number,
    text: { sv: string; en: string },
  ) {
    super('anchor_file', 'invalid', text);
  }
}

/** Reads an anchor file: one JSON anchor a line (an operator appends one a day); blank lines are skipped. */
export function parseAnchors(text: string): AuditAnchor[] {
  const anchors: AuditAnchor[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AnchorFileError(i + 1, { sv: `rad ${i + 1} är inte JSON`, en: `line ${i + 1} is not JSON` });
    }
    const a = value as Partial<AuditAnchor>;
    const valid =
      a !== null &&
      typeof a === 'object' &&
      Number.isSafeInteger(a.row) &&
      (a.row as number) >= 0 &&
      typeof a.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(a.hash) &&
      (a.at === undefined || a.at === null || typeof a.at === 'string');
    if (!valid) {
      throw new AnchorFileError(i + 1, {
        sv: `rad ${i + 1} är inget ankare ({"row": radnummer, "hash": 64 hexadecimala tecken, "at": tid})`,
        en: `line ${i + 1} is not an anchor ({"row": row number, "hash": 64 hexadecimal characters, "at": time})`,
      });
    }
    anchors.push({ row: a.row as number, hash: a.hash as string, at: a.at ?? null });
  }
  if (!anchors.length) throw new AnchorFileError(0, { sv: 'filen innehåller inga ankare', en: 'the file holds no anchors' });
  return anchors;
}
