// Possible duplicates and their review: two non-withdrawn cases of one year with the same linkage key.
// A pair inside one scope (same source, organisation and region) is `local`: the organisation or the
// regional office reviews it. A pair across scopes (regions, organisations or sources) is `national`:
// the statistician reviews it, and it is never shown to a registering user — not in a case, not in
// this list, not in the region's view of the audit trail (src/access/audit.ts).
// The list is computed from the cases on every read; only resolutions are stored.
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { can, caseScope, ForbiddenError } from '../access/policy.ts';
import type { CaseStatusCode, SourceCode } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import { rows, type Executor } from '../store/db.ts';
import { ValidationError } from './errors.ts';

export const duplicateScopes = ['local', 'national'] as const;
export type DuplicateScope = (typeof duplicateScopes)[number];
export const duplicateResolutionCodes = ['same_person', 'different_persons'] as const;
export type DuplicateResolutionCode = (typeof duplicateResolutionCodes)[number];

export type DuplicateCase = {
  id: string;
  reference: string;
  source: SourceCode;
  organisation_id: string;
  region: string | null;
  status: CaseStatusCode;
};

export type DuplicatePair = {
  /** `<case id>-<case id>`, the smaller id first */
  id: string;
  year: number;
  scope: DuplicateScope;
  cases: [DuplicateCase, DuplicateCase];
  resolution: { resolution: DuplicateResolutionCode; resolved_at: string; resolved_by: string } | null;
};

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The id of the pair of two case ids, whichever order they come in. */
export function pairId(a: string, b: string): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

/** The two case ids of a pair id, or undefined when it is not one. */
export function parsePairId(id: string): [string, string] | undefined {
  const parts = id.split('-');
  if (parts.length !== 2 || !parts.every((p) => ULID.test(p)) || !(parts[0] < parts[1])) return undefined;
  return [parts[0], parts[1]];
}

const local = sql`(a.source = b.source and a.organisation_id = b.organisation_id and a.region is not distinct from b.region)`;

/**
 * The pairs the actor reviews, as a condition on the aliases `a` and `b`: local pairs inside the
 * actor's case scope (`duplicates.review`), national pairs (`duplicates.review_national`); null when
 * neither. A local reviewer's condition names their scope on both cases, so no pair reaching outside
 * it can match.
 */
function reviewCondition(actor: Actor): { where: SQL; scopes: DuplicateScope[] } | null {
  const parts: SQL[] = [];
  const scopes: DuplicateScope[] = [];
  if (can(actor, 'duplicates.review')) {
    const scope = caseScope(actor);
    if (scope.kind === 'all') parts.push(local);
    else if (scope.kind === 'region')
      parts.push(sql`(${local} and a.source = ${scope.filter.source} and a.region = ${scope.filter.region} and b.source = ${scope.filter.source} and b.region = ${scope.filter.region})`);
    else if (scope.kind === 'organisation')
      parts.push(
        sql`(${local} and a.source = ${scope.filter.source} and a.organisation_id = ${scope.filter.organisation_id} and b.source = ${scope.filter.source} and b.organisation_id = ${scope.filter.organisation_id})`,
      );
    if (scope.kind !== 'none') scopes.push('local');
  }
  if (can(actor, 'duplicates.review_national')) {
    parts.push(sql`not ${local}`);
    scopes.push('national');
  }
  if (parts.length === 0) return null;
  return { where: sql`(${sql.join(parts, sql` or `)})`, scopes };
}

type PairRow = {
  year: number;
  a_id: string;
  a_reference: string;
  a_source: string;
  a_organisation_id: string;
  a_region: string | null;
  a_status: string;
  b_id: string;
  b_reference: string;
  b_source: string;
  b_organisation_id: string;
  b_region: string | null;
  b_status: string;
  is_local: boolean;
  resolution: string | null;
  resolved_at: Date | string | null;
  resolved_by: string | null;
};

async function selectPairs(ex: Executor, where: SQL, condition: SQL): Promise<DuplicatePair[]> {
  const found = await rows<PairRow>(
    ex,
    sql`select a.year,
          a.id as a_id, a.reference as a_reference, a.source as a_source, a.organisation_id as a_organisation_id, a.region as a_region, a.status as a_status,
          b.id as b_id, b.reference as b_reference, b.source as b_source, b.organisation_id as b_organisation_id, b.region as b_region, b.status as b_status,
          ${local} as is_local, r.resolution, r.resolved_at, r.resolved_by
        from cases a
        join cases b on b.linkage_key = a.linkage_key and b.year = a.year and a.id < b.id
        left join duplicate_resolutions r on r.case_a = a.id and r.case_b = b.id
        where a.linkage_key is not null and a.status <> 'withdrawn' and b.status <> 'withdrawn' and ${where} and ${condition}
        order by a.year, a.id, b.id`,
  );
  return found.map((r) => ({
    id: `${r.a_id}-${r.b_id}`,
    year: Number(r.year),
    scope: r.is_local === true || (r.is_local as unknown) === 't' ? 'local' : 'national',
    cases: [caseOf(r, 'a'), caseOf(r, 'b')],
    resolution:
      r.resolution === null
        ? null
        : { resolution: r.resolution as DuplicateResolutionCode, resolved_at: new Date(r.resolved_at!).toISOString(), resolved_by: r.resolved_by! },
  }));
}

function caseOf(r: PairRow, side: 'a' | 'b'): DuplicateCase {
  const v = r as unknown as Record<string, unknown>;
  return {
    id: v[`${side}_id`] as string,
    reference: v[`${side}_reference`] as string,
    source: v[`${side}_source`] as SourceCode,
    organisation_id: v[`${side}_organisation_id`] as string,
    region: (v[`${side}_region`] as string | null) ?? null,
    status: v[`${side}_status`] as CaseStatusCode,
  };
}

export type DuplicateList = { year: number; scopes: DuplicateScope[]; items: DuplicatePair[] };

/**
 * The possible duplicates of a year the actor reviews, resolved or not. The pairs name cases, so the
 * read is in the audit trail with those cases (a national list with `scope: national`, which the
 * regions' view of the trail leaves out).
 */
export async function listDuplicates(db: Executor, actor: Actor, year: number): Promise<DuplicateList> {
  const review = reviewCondition(actor);
  if (!review) throw new ForbiddenError('duplicates.review');
  return db.transaction(async (tx) => {
    const items = await selectPairs(tx, sql`a.year = ${year}`, review.where);
    await writeAudit(tx, {
      actor,
      operation: 'duplicates.list',
      caseIds: items.flatMap((p) => p.cases.map((c) => c.id)),
      details: { year, scope: review.scopes.includes('national') ? 'national' : 'local', pairs: items.length },
    });
    return { year, scopes: review.scopes, items };
  });
}

export class DuplicateNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'not_found', { sv: 'Den möjliga dubbletten hittades inte.', en: 'The possible duplicate was not found.' });
  }
}

/**
 * Stores the actor's resolution of a pair they review (a new resolution replaces the last one), with
 * its audit row in the same transaction. A pair the actor does not review is "not found", exactly like
 * a pair that does not exist.
 */
export async function resolveDuplicate(db: Executor, actor: Actor, id: string, resolution: DuplicateResolutionCode): Promise<DuplicatePair> {
  const review = reviewCondition(actor);
  if (!review) throw new ForbiddenError('duplicates.review');
  if (!duplicateResolutionCodes.includes(resolution))
    throw new ValidationError([{ path: 'resolution', rule: 'code', message: { sv: 'Välj samma person eller olika personer.', en: 'Choose the same person or different persons.' } }]);
  const ids = parsePairId(id);
  if (!ids) throw new DuplicateNotFoundError();
  const [a, b] = ids;
  return db.transaction(async (tx) => {
    const [pair] = await selectPairs(tx, sql`a.id = ${a} and b.id = ${b}`, review.where);
    if (!pair) throw new DuplicateNotFoundError();
    await tx.execute(sql`
      insert into duplicate_resolutions (case_a, case_b, scope, resolution, resolved_by)
      values (${a}, ${b}, ${pair.scope}, ${resolution}, ${actor.id})
      on conflict (case_a, case_b) do update
        set scope = excluded.scope, resolution = excluded.resolution, resolved_by = excluded.resolved_by, resolved_at = now()`);
    await writeAudit(tx, {
      actor,
      operation: 'duplicates.resolve',
      caseIds: [a, b],
      details: { year: pair.year, scope: pair.scope, resolution, before: pair.resolution?.resolution ?? null },
    });
    const [stored] = await selectPairs(tx, sql`a.id = ${a} and b.id = ${b}`, review.where);
    return stored;
  });
}
