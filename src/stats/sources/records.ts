// The live records a source's release freezes: the source's non-withdrawn cases of the years its
// report needs, as the release stores them. A query for the release services (src/stats/releases.ts),
// which authorise and audit.
import { and, between, eq, sql } from 'drizzle-orm';
import type { CaseData } from '../../standard/case.ts';
import type { CaseStatusCode } from '../../standard/codes.ts';
import type { Executor } from '../../store/db.ts';
import { cases, caseVersions } from '../../store/schema.ts';
import type { ReportSource, SourceRecord } from './types.ts';

export async function liveSourceRecords(db: Executor, source: ReportSource, years: { from: number; to: number }): Promise<Array<SourceRecord & { version: number }>> {
  const rows = await db
    .select({ id: cases.id, status: cases.status, version: cases.version, data: caseVersions.data })
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
    .where(and(between(cases.year, years.from, years.to), eq(cases.source, source), sql`${cases.status} <> 'withdrawn'`))
    .orderBy(cases.id);
  return rows.map((r) => ({ ...(r.data as CaseData), id: r.id, status: r.status as CaseStatusCode, version: r.version }));
}
