// The start page's year in one read: how many cases the actor's scope has in the year by status,
// the latest changed, and the cases that need attention — open for long, missing answers the
// annual report counts as unknown, or a possible duplicate not yet reviewed. One audited read
// instead of a request per figure.
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize } from '../access/policy.ts';
import { caseScopeCondition } from '../access/scope-sql.ts';
import type { CaseStatusCode } from '../standard/codes.ts';
import { rows, type Executor } from '../store/db.ts';
import { cases } from '../store/schema.ts';

/** An open case identified longer ago than this many days is listed as open for long. */
export const OPEN_LONG_DAYS = 90;
/** Cases listed per page of attention (the counts cover all). */
export const ATTENTION_LISTED = 20;

/** The answers the annual report counts as unknown when missing, in the order they are named. */
export const reportAnswers = ['exploitation_forms', 'crime_type', 'sex', 'age_group', 'nationality', 'referred_by'] as const;
export type ReportAnswer = (typeof reportAnswers)[number];
export type AttentionReason = 'open_long' | 'missing_answers' | 'possible_duplicate';

export type AttentionCase = {
  id: string;
  reference: string;
  identified_on: string;
  status: CaseStatusCode;
  reasons: AttentionReason[];
  /** The report's answers the case lacks (empty unless `missing_answers`). */
  missing: ReportAnswer[];
};

export type YearOverview = {
  year: number;
  counts: { all: number; open: number; closed: number; withdrawn: number };
  latest: { id: string; reference: string; identified_on: string; status: CaseStatusCode }[];
  attention: { open_long: number; missing_answers: number; possible_duplicates: number; cases: number; items: AttentionCase[] };
};

// Each answer's test on a row of `cases` (c) with its current data (v.data). A coordinator's case
// needs them all; the other sources' reports do not ask for the crime type or the referring actor.
const missingTests: Record<ReportAnswer, SQL> = {
  exploitation_forms: sql`c.category = 'unknown'`,
  crime_type: sql`(c.source = 'coordinator' and c.crime_type is null)`,
  sex: sql`c.sex = 'unknown'`,
  age_group: sql`c.age_group = 'unknown'`,
  nationality: sql`c.nationality is null`,
  referred_by: sql`(c.source = 'coordinator' and coalesce(v.data->>'referred_by', 'unknown') = 'unknown')`,
};

/**
 * The year's overview of the actor's scope. A possible duplicate here is a pair inside the same
 * organisation (a region's office, a civil-society organisation, a programme) without a resolution:
 * what the actor can review; pairs across scopes are the statistician's (registry/duplicates.ts).
 */
export async function yearOverview(db: Executor, actor: Actor, year: number, today: string = new Date().toISOString().slice(0, 10)): Promise<YearOverview> {
  authorize(actor, 'cases.list');
  const scope = caseScopeCondition(actor);
  const inYear = and(scope, eq(cases.year, year));
  const openLong = sql`(c.status = 'open' and c.identified_on < ${today}::date - ${OPEN_LONG_DAYS}::int)`;
  const missingAny = sql.join(Object.values(missingTests), sql` or `);
  const duplicate = sql`(c.linkage_key is not null and exists (
      select 1 from cases b
      where b.linkage_key = c.linkage_key and b.year = c.year and b.id <> c.id and b.status <> 'withdrawn'
        and b.organisation_id = c.organisation_id
        and not exists (select 1 from duplicate_resolutions r where r.case_a = least(c.id, b.id) and r.case_b = greatest(c.id, b.id))))`;
  const missingColumns = sql.join(
    reportAnswers.map((a) => sql`(${missingTests[a]}) as ${sql.identifier(`missing_${a}`)}`),
    sql`, `,
  );
  // The scope's condition is written on `cases`; the subqueries below name the same table `c`.
  const scoped = sql`c.id in (select ${cases.id} from ${cases} where ${inYear ?? sql`true`})`;
  return db.transaction(async (tx) => {
    const byStatus = await tx.select({ status: cases.status, n: count() }).from(cases).where(inYear).groupBy(cases.status);
    const n = (s: string) => Number(byStatus.find((r) => r.status === s)?.n ?? 0);
    const latest = await tx
      .select({ id: cases.id, reference: cases.reference, identified_on: cases.identified_on, status: cases.status })
      .from(cases)
      .where(inYear)
      .orderBy(desc(cases.updated_at), desc(cases.id))
      .limit(5);
    const flagged = await rows<Record<string, unknown>>(
      tx,
      sql`select * from (
            select c.id, c.reference, c.identified_on::text as identified_on, c.status,
                   ${openLong} as open_long, (${missingAny}) as missing_any, ${duplicate} as duplicate, ${missingColumns}
            from cases c join case_versions v on v.case_id = c.id and v.version = c.version
            where ${scoped} and c.status <> 'withdrawn'
          ) f
          where f.open_long or f.missing_any or f.duplicate
          order by f.identified_on, f.id`,
    );
    const truthy = (v: unknown) => v === true || v === 't';
    const items: AttentionCase[] = flagged.map((r) => ({
      id: String(r.id),
      reference: String(r.reference),
      identified_on: String(r.identified_on),
      status: r.status as CaseStatusCode,
      reasons: [
        ...(truthy(r.open_long) ? (['open_long'] as const) : []),
        ...(truthy(r.missing_any) ? (['missing_answers'] as const) : []),
        ...(truthy(r.duplicate) ? (['possible_duplicate'] as const) : []),
      ],
      missing: reportAnswers.filter((a) => truthy(r[`missing_${a}`])),
    }));
    const listed = items.slice(0, ATTENTION_LISTED);
    const overview: YearOverview = {
      year,
      counts: { all: n('open') + n('closed') + n('withdrawn'), open: n('open'), closed: n('closed'), withdrawn: n('withdrawn') },
      latest: latest.map((r) => ({ ...r, status: r.status as CaseStatusCode })),
      attention: {
        open_long: items.filter((i) => i.reasons.includes('open_long')).length,
        missing_answers: items.filter((i) => i.reasons.includes('missing_answers')).length,
        possible_duplicates: items.filter((i) => i.reasons.includes('possible_duplicate')).length,
        cases: items.length,
        items: listed,
      },
    };
    await writeAudit(tx, {
      actor,
      operation: 'cases.list',
      caseIds: [...new Set([...overview.latest.map((c) => c.id), ...listed.map((c) => c.id)])],
      details: { overview: year, total: overview.counts.all, attention: items.length },
    });
    return overview;
  });
}
