// The case service: every write adds a version with the full data; `cases` keeps the
// system fields and the filter columns of the latest version in step, in the same transaction.
import crypto from 'node:crypto';
import { and, asc, count, desc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import { monotonicFactory } from 'ulid';
import type { Actor, ActorDescription } from '../access/actor.ts';
import { describeActorIds } from '../access/users.ts';
import { writeAudit } from '../access/audit.ts';
import { canonicalJson } from '../store/canonical-json.ts';
import { authorize, can, ForbiddenError, type Action, type CaseTarget } from '../access/policy.ts';
import { caseScopeCondition } from '../access/scope-sql.ts';
import { caseFieldNames, type CaseData, type CaseRecord } from '../standard/case.ts';
import { labelOf, regionReferencePrefix, type CaseStatusCode, type SourceCode } from '../standard/codes.ts';
import { exploitationCategory, statisticsYear } from '../standard/derive.ts';
import { addDays } from '../standard/periods.ts';
import { todayInStockholm, validateCase, type Violation } from '../standard/validate.ts';
import type { Executor } from '../store/db.ts';
import { cases, caseVersions, idempotencyKeys, organisations, referenceCounters } from '../store/schema.ts';
import {
  IdempotencyConflictError,
  NotFoundError,
  StateConflictError,
  ValidationError,
  VersionConflictError,
} from './errors.ts';

export type CaseView = CaseRecord & { possible_duplicate: boolean };
/** A case just written, with the validation warnings of its data. */
export type WrittenCase = CaseView & { warnings: Violation[] };

export const newCaseId = monotonicFactory();

/** Reference prefixes of records that do not come from a regional coordinator. */
export const sourceReferencePrefix: Record<Exclude<SourceCode, 'coordinator'>, string> = {
  civil_society: 'CIV',
  support_programme: 'STP',
};

export function referencePrefix(data: CaseData): string {
  return data.source === 'coordinator' && data.region ? regionReferencePrefix[data.region] : sourceReferencePrefix[data.source as Exclude<SourceCode, 'coordinator'>];
}

export function formatReference(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(4, '0')}`;
}

/** Reserves `n` running numbers for a prefix and year; returns the first. */
export async function reserveReferences(tx: Executor, prefix: string, year: number, n: number): Promise<number> {
  const [row] = await tx
    .insert(referenceCounters)
    .values({ prefix, year, last: n })
    .onConflictDoUpdate({
      target: [referenceCounters.prefix, referenceCounters.year],
      set: { last: sql`${referenceCounters.last} + ${n}` },
    })
    .returning({ last: referenceCounters.last });
  return row.last - n + 1;
}

/** The columns of `cases` that copy a version's data for filtering. */
export function filterColumns(data: CaseData) {
  return {
    source: data.source,
    organisation_id: data.organisation_id!,
    region: data.region,
    year: statisticsYear(data.identified_on),
    identified_on: data.identified_on,
    crime_type: data.crime_type,
    category: exploitationCategory(data.exploitation_forms),
    sex: data.sex,
    age_group: data.age_group,
    nationality: data.nationality,
    linkage_key: data.linkage_key,
  };
}

export const unknownOrganisation: Violation = {
  path: 'organisation_id',
  rule: 'unknown_organisation',
  message: { sv: 'Organisationen finns inte i registret.', en: 'The organisation is not in the registry.' },
};

/** The organisation ids among `ids` that the registry does not know. */
export async function unknownOrganisations(ex: Executor, ids: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  const found = await ex.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, wanted));
  const known = new Set(found.map((r) => r.id));
  return new Set(wanted.filter((id) => !known.has(id)));
}

/** A support-programme record naming another programme than its organisation's (NSP or ÅMP). */
export function otherProgramme(expected: string): Violation {
  return {
    path: 'programme',
    rule: 'organisation_programme',
    message: {
      sv: `Organisationen är stödprogrammet ${labelOf('programme', expected, 'sv')}: dess ärenden hör till det programmet.`,
      en: `The organisation is the support programme ${labelOf('programme', expected, 'en')}: its records belong to that programme.`,
    },
  };
}

/** The programme of each support programme among the organisation ids (others are left out). */
export async function organisationProgrammes(ex: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const found = await ex
    .select({ id: organisations.id, programme: organisations.programme })
    .from(organisations)
    .where(and(inArray(organisations.id, wanted), eq(organisations.kind, 'support_programme')));
  return new Map(found.flatMap((r) => (r.programme ? [[r.id, r.programme] as const] : [])));
}

/**
 * A support-programme record takes its programme from its organisation: filled in when the record
 * leaves it empty, refused (400 naming `programme`) when it names the other one.
 */
async function validated(ex: Executor, input: unknown): Promise<{ data: CaseData; warnings: Violation[] }> {
  let given = input;
  let programme: string | undefined;
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    const record = given as Record<string, unknown>;
    if (record.source === 'support_programme' && typeof record.organisation_id === 'string') {
      programme = (await organisationProgrammes(ex, [record.organisation_id])).get(record.organisation_id);
      if (programme && (record.programme == null || record.programme === '')) given = { ...record, programme };
    }
  }
  const result = validateCase(given);
  if (!result.ok) throw new ValidationError(result.errors, result.warnings);
  if ((await unknownOrganisations(ex, [result.data.organisation_id!])).size > 0)
    throw new ValidationError([unknownOrganisation], result.warnings);
  if (programme && result.data.programme !== programme) throw new ValidationError([otherProgramme(programme)], result.warnings);
  return { data: result.data, warnings: result.warnings };
}

const IDEMPOTENCY_HOURS = 24;

export async function createCase(
  db: Executor,
  actor: Actor,
  input: unknown,
  opts: { idempotencyKey?: string } = {},
): Promise<WrittenCase> {
  const { data, warnings } = await validated(db, input);
  authorize(actor, 'case.create', targetOf(data));
  const key = opts.idempotencyKey;
  const id = await db.transaction(async (tx) => {
    if (key !== undefined) {
      const hash = crypto.createHash('sha256').update(canonicalJson(data)).digest('hex');
      await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.created_at, sql`now() - make_interval(hours => ${IDEMPOTENCY_HOURS})`));
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({ actor_id: actor.id, key, request_hash: hash })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length === 0) {
        const [first] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.actor_id, actor.id), eq(idempotencyKeys.key, key)));
        if (first.request_hash !== hash || !first.case_id) throw new IdempotencyConflictError();
        return first.case_id;
      }
    }
    const id = newCaseId();
    const year = statisticsYear(data.identified_on);
    const prefix = referencePrefix(data);
    const number = await reserveReferences(tx, prefix, year, 1);
    await tx.insert(cases).values({
      id,
      reference: formatReference(prefix, year, number),
      status: 'open',
      version: 1,
      created_by: actor.id,
      ...filterColumns(data),
    });
    await tx.insert(caseVersions).values({ case_id: id, version: 1, operation: 'create', status: 'open', data, actor_id: actor.id, actor_role: actor.role });
    if (key !== undefined)
      await tx
        .update(idempotencyKeys)
        .set({ case_id: id })
        .where(and(eq(idempotencyKeys.actor_id, actor.id), eq(idempotencyKeys.key, key)));
    await writeAudit(tx, { actor, operation: 'case.create', caseIds: [id] });
    return id;
  });
  return { ...(await loadCase(db, id)), warnings };
}

/** Replaces the data of a case with `input` as a new version, if `expectedVersion` is still the latest. */
export async function changeCase(db: Executor, actor: Actor, idOrReference: string, expectedVersion: number, input: unknown): Promise<WrittenCase> {
  const { data, warnings } = await validated(db, input);
  const { id } = await scopedCase(db, actor, idOrReference, 'case.update');
  // A change may not move a case out of what the actor may write.
  authorize(actor, 'case.update', targetOf(data));
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(cases)
      .set({ ...filterColumns(data), version: sql`${cases.version} + 1`, updated_at: sql`now()` })
      .where(and(eq(cases.id, id), eq(cases.version, expectedVersion), sql`${cases.status} <> 'withdrawn'`))
      .returning({ version: cases.version, status: cases.status });
    if (!row) await explainMiss(tx, id, expectedVersion, 'change');
    await tx.insert(caseVersions).values({ case_id: id, version: row.version, operation: 'change', status: row.status, data, actor_id: actor.id, actor_role: actor.role });
    await writeAudit(tx, { actor, operation: 'case.update', caseIds: [id], details: { version: row.version } });
  });
  return { ...(await loadCase(db, id)), warnings };
}

/** Throws the reason a conditional update matched no row. */
async function explainMiss(tx: Executor, id: string, expectedVersion: number | undefined, action: string): Promise<never> {
  const [current] = await tx.select({ version: cases.version, status: cases.status }).from(cases).where(eq(cases.id, id));
  if (!current) throw new NotFoundError();
  if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionConflictError(expectedVersion, current.version);
  throw new StateConflictError(current.status, action);
}

const transitions = {
  close: { from: ['open'], to: 'closed' },
  reopen: { from: ['closed', 'withdrawn'], to: 'open' },
  withdraw: { from: ['open', 'closed'], to: 'withdrawn' },
} as const satisfies Record<string, { from: CaseStatusCode[]; to: CaseStatusCode }>;

async function transition(db: Executor, actor: Actor, idOrReference: string, action: keyof typeof transitions, expectedVersion?: number): Promise<CaseView> {
  const { from, to } = transitions[action];
  const { id } = await scopedCase(db, actor, idOrReference, `case.${action}`);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(cases)
      .set({ status: to, version: sql`${cases.version} + 1`, updated_at: sql`now()` })
      .where(
        and(eq(cases.id, id), inArray(cases.status, [...from]), expectedVersion === undefined ? undefined : eq(cases.version, expectedVersion)),
      )
      .returning({ version: cases.version });
    if (!row) await explainMiss(tx, id, expectedVersion, action);
    await tx.execute(sql`
      insert into case_versions (case_id, version, operation, status, data, actor_id, actor_role)
      select case_id, ${row.version}, ${action}, ${to}, data, ${actor.id}, ${actor.role}
      from case_versions where case_id = ${id} and version = ${row.version - 1}`);
    await writeAudit(tx, { actor, operation: `case.${action}`, caseIds: [id], details: { version: row.version } });
  });
  return loadCase(db, id);
}

/** Closes an open case; closed cases still count in their year's statistics. */
export const closeCase = (db: Executor, actor: Actor, id: string, expectedVersion?: number) => transition(db, actor, id, 'close', expectedVersion);
/** Opens a closed or withdrawn case again. */
export const reopenCase = (db: Executor, actor: Actor, id: string, expectedVersion?: number) => transition(db, actor, id, 'reopen', expectedVersion);
/** Marks a case as registered in error: out of every statistic, its history kept. */
export const withdrawCase = (db: Executor, actor: Actor, id: string, expectedVersion?: number) => transition(db, actor, id, 'withdraw', expectedVersion);

/**
 * Another non-withdrawn case of the same year with the same linkage key inside the same scope: the
 * same source and organisation (for coordinators the same regional office and region). Never across
 * scopes: a user who registers a probe must not learn whether the person is registered elsewhere;
 * matches across scopes go to the statistician's review (`src/registry/duplicates.ts`).
 */
const possibleDuplicate = sql<boolean>`(
  "cases"."linkage_key" is not null and "cases"."status" <> 'withdrawn' and exists (
    select 1 from "cases" "other"
    where "other"."linkage_key" = "cases"."linkage_key" and "other"."year" = "cases"."year"
      and "other"."source" = "cases"."source" and "other"."organisation_id" = "cases"."organisation_id"
      and "other"."region" is not distinct from "cases"."region"
      and "other"."id" <> "cases"."id" and "other"."status" <> 'withdrawn'))`;

const recordColumns = {
  id: cases.id,
  reference: cases.reference,
  version: cases.version,
  status: cases.status,
  created_at: cases.created_at,
  updated_at: cases.updated_at,
  created_by: cases.created_by,
  data: caseVersions.data,
  possible_duplicate: possibleDuplicate,
};

type RecordRow = { [K in keyof typeof recordColumns]: unknown } & { created_at: Date; updated_at: Date; data: unknown };

function toView(row: RecordRow): CaseView {
  const data = row.data as Record<string, unknown>;
  return {
    ...(Object.fromEntries(caseFieldNames.map((k) => [k, data[k] ?? null])) as CaseData),
    id: row.id as string,
    reference: row.reference as string,
    version: row.version as number,
    status: row.status as CaseStatusCode,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    created_by: row.created_by as string,
    possible_duplicate: row.possible_duplicate === true,
  };
}

function selectRecords(ex: Executor) {
  return ex
    .select(recordColumns)
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)));
}

const byIdOrReference = (idOrReference: string) =>
  idOrReference.includes('-') ? eq(cases.reference, idOrReference) : eq(cases.id, idOrReference);

/** What the access policy needs to know of a case. */
export function targetOf(c: { source: string; region: string | null; organisation_id: string | null }): CaseTarget {
  return { source: c.source, region: c.region, organisation_id: c.organisation_id };
}

/**
 * The case if the actor may do `action` on it. A case outside what the actor may see is
 * "not found", exactly like a case that does not exist, so its existence is not revealed;
 * a visible case whose action is not allowed is "forbidden".
 */
async function scopedCase(ex: Executor, actor: Actor, idOrReference: string, action: Action) {
  const [row] = await ex
    .select({ id: cases.id, source: cases.source, region: cases.region, organisation_id: cases.organisation_id })
    .from(cases)
    .where(byIdOrReference(idOrReference));
  if (!row) throw new NotFoundError();
  if (can(actor, action, targetOf(row))) return row;
  if (can(actor, 'case.read', targetOf(row))) throw new ForbiddenError(action);
  throw new NotFoundError();
}

/** The current version of a case, without access checks or audit: for services that just wrote it. */
async function loadCase(ex: Executor, id: string): Promise<CaseView> {
  const [row] = await selectRecords(ex).where(eq(cases.id, id));
  if (!row) throw new NotFoundError();
  return toView(row as RecordRow);
}

/** The current version of a case by id or reference, read by the actor (audited); undefined when there is none the actor may see. */
export async function findCase(db: Executor, actor: Actor, idOrReference: string): Promise<CaseView | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await selectRecords(tx).where(byIdOrReference(idOrReference));
    if (!row) return undefined;
    const view = toView(row as RecordRow);
    if (!can(actor, 'case.read', targetOf(view))) return undefined;
    await writeAudit(tx, { actor, operation: 'case.read', caseIds: [view.id] });
    return view;
  });
}

export async function getCase(db: Executor, actor: Actor, idOrReference: string): Promise<CaseView> {
  const found = await findCase(db, actor, idOrReference);
  if (!found) throw new NotFoundError();
  return found;
}

type OneOrMany<T> = T | readonly T[];
export type CaseFilters = {
  year?: OneOrMany<number>;
  region?: OneOrMany<string>;
  category?: OneOrMany<string>;
  sex?: OneOrMany<string>;
  age_group?: OneOrMany<string>;
  nationality?: OneOrMany<string>;
  status?: OneOrMany<string>;
  source?: OneOrMany<string>;
  organisation_id?: OneOrMany<string>;
  /** part of a reference, any letter case: "0124" finds STO-2025-0124 */
  reference?: string;
  /** an NSP rest or integration period ends from today (Europe/Stockholm) to this many days later */
  period_ends_within?: number;
};
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

const filterable = {
  year: cases.year,
  region: cases.region,
  category: cases.category,
  sex: cases.sex,
  age_group: cases.age_group,
  nationality: cases.nationality,
  status: cases.status,
  source: cases.source,
  organisation_id: cases.organisation_id,
} as const;

/** The condition of the list's filters (the export uses the same, so it exports the list as shown). */
export function whereOf(filters: CaseFilters): SQL | undefined {
  const conditions: SQL[] = [];
  for (const [name, column] of Object.entries(filterable)) {
    const value = filters[name as keyof CaseFilters];
    if (value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]) as (string | number)[];
    conditions.push(values.length === 1 ? eq(column, values[0]) : inArray(column, values));
  }
  if (filters.reference?.trim()) conditions.push(sql`${cases.reference} ILIKE ${`%${likeLiteral(filters.reference.trim())}%`} ESCAPE '\\'`);
  if (filters.period_ends_within !== undefined) {
    // The period dates live in the current version's data (YYYY-MM-DD compares as text).
    const from = todayInStockholm();
    const to = addDays(from, filters.period_ends_within);
    conditions.push(sql`exists (select 1 from case_versions pv where pv.case_id = ${cases.id} and pv.version = ${cases.version}
      and ((pv.data->>'rest_period_end') between ${from} and ${to} or (pv.data->>'integration_period_end') between ${from} and ${to}))`);
  }
  return and(...conditions);
}

/** A text matched literally inside a LIKE pattern: its wildcards `%`, `_` and the escape `\` escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The columns the list sorts by; a leading `-` sorts descending. Ties go newest first (by id). */
export const caseSortKeys = ['reference', 'identified_on', 'updated_at', 'status'] as const;
export type CaseSort = (typeof caseSortKeys)[number] | `-${(typeof caseSortKeys)[number]}`;
const sortColumns = { reference: cases.reference, identified_on: cases.identified_on, updated_at: cases.updated_at, status: cases.status } as const;

function orderOf(sort: CaseSort | undefined): SQL[] {
  if (!sort) return [desc(cases.id)];
  const column = sortColumns[sort.replace(/^-/, '') as keyof typeof sortColumns];
  return [sort.startsWith('-') ? desc(column) : asc(column), desc(cases.id)];
}

export const MAX_PAGE_SIZE = 500;

/** Cases matching every given filter (none: all years, every status), newest first. */
export async function listCases(
  db: Executor,
  actor: Actor,
  filters: CaseFilters = {},
  paging: { page?: number; pageSize?: number; sort?: CaseSort } = {},
): Promise<Page<CaseView>> {
  authorize(actor, 'cases.list');
  const page = Math.max(1, Math.floor(paging.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(paging.pageSize ?? 50)));
  // The scope is ANDed, never merged, so no filter can widen it.
  const where = and(caseScopeCondition(actor), whereOf(filters));
  return db.transaction(async (tx) => {
    const items = await selectRecords(tx)
      .where(where)
      .orderBy(...orderOf(paging.sort))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [{ total }] = await tx.select({ total: count() }).from(cases).where(where);
    const views = items.map((r) => toView(r as RecordRow));
    const filterNames = Object.keys(filters).filter((k) => filters[k as keyof CaseFilters] !== undefined);
    await writeAudit(tx, { actor, operation: 'cases.list', caseIds: views.map((v) => v.id), details: { filters: filterNames, page, total } });
    return { items: views, total, page, pageSize };
  });
}

/**
 * How many cases the actor may see per statistics year, newest year first (withdrawn ones not
 * counted): what the start page and the statistician's pages open on.
 */
export async function caseYears(db: Executor, actor: Actor): Promise<{ year: number; total: number }[]> {
  authorize(actor, 'cases.list');
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ year: cases.year, total: count() })
      .from(cases)
      .where(and(caseScopeCondition(actor), ne(cases.status, 'withdrawn')))
      .groupBy(cases.year)
      .orderBy(desc(cases.year));
    await writeAudit(tx, { actor, operation: 'cases.list', details: { years: rows.length } });
    return rows.map((r) => ({ year: Number(r.year), total: Number(r.total) }));
  });
}

export type CaseVersion = {
  version: number;
  operation: string;
  status: CaseStatusCode;
  at: string;
  actor_id: string;
  actor_role: string;
  /** who acted, for people to read (`describeActor`) */
  actor: ActorDescription;
  data: CaseData;
};

/** Every version of a case, oldest first. */
export async function caseHistory(db: Executor, actor: Actor, idOrReference: string): Promise<CaseVersion[]> {
  const { id } = await scopedCase(db, actor, idOrReference, 'case.history');
  const rows = await db.transaction(async (tx) => {
    const found = await tx.select().from(caseVersions).where(eq(caseVersions.case_id, id)).orderBy(caseVersions.version);
    await writeAudit(tx, { actor, operation: 'case.history', caseIds: [id] });
    return found;
  });
  if (rows.length === 0) throw new NotFoundError();
  const actors = await describeActorIds(db, rows.map((r) => ({ id: r.actor_id, role: r.actor_role })));
  return rows.map((r, i) => ({
    version: r.version,
    operation: r.operation,
    status: r.status as CaseStatusCode,
    at: r.at.toISOString(),
    actor_id: r.actor_id,
    actor_role: r.actor_role,
    actor: actors[i],
    data: r.data as CaseData,
  }));
}

export type DuplicateGroup = {
  source: SourceCode;
  cases: { id: string; reference: string; organisation_id: string; region: string | null; status: CaseStatusCode }[];
};

/** Groups of non-withdrawn cases of a year that share linkage key and scope (source, organisation and region). */
export async function listPossibleDuplicates(db: Executor, year: number): Promise<DuplicateGroup[]> {
  const rows = await db
    .select({
      linkage_key: cases.linkage_key,
      source: cases.source,
      id: cases.id,
      reference: cases.reference,
      organisation_id: cases.organisation_id,
      region: cases.region,
      status: cases.status,
    })
    .from(cases)
    .where(and(eq(cases.year, year), possibleDuplicate))
    .orderBy(cases.source, cases.organisation_id, cases.linkage_key, cases.id);
  const groups = new Map<string, DuplicateGroup>();
  for (const { linkage_key, source, ...c } of rows) {
    const groupKey = `${source}\u0000${c.organisation_id}\u0000${c.region}\u0000${linkage_key}`;
    if (!groups.has(groupKey)) groups.set(groupKey, { source: source as SourceCode, cases: [] });
    groups.get(groupKey)!.cases.push({ ...c, status: c.status as CaseStatusCode });
  }
  return [...groups.values()];
}

/** The current data of every non-withdrawn coordinator case of a year: what statistics count. */
export async function coordinatorCasesOfYear(db: Executor, year: number): Promise<Array<CaseData & { id: string; status: CaseStatusCode }>> {
  const rows = await db
    .select({ id: cases.id, status: cases.status, data: caseVersions.data })
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
    .where(and(eq(cases.year, year), eq(cases.source, 'coordinator'), sql`${cases.status} <> 'withdrawn'`))
    .orderBy(cases.id);
  return rows.map((r) => ({ ...(r.data as CaseData), id: r.id, status: r.status as CaseStatusCode }));
}

/** How many cases the instance holds, of every source and status (whether it is empty). */
export async function countAllCases(db: Executor): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(cases);
  return Number(n);
}
