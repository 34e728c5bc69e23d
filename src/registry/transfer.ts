// CSV import and export. An import is all or nothing: every row is validated in JS first,
// then all rows are loaded in one transaction with a few set-based INSERTs over unnest().
import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import type { CaseData } from '../standard/case.ts';
import type { Lang } from '../standard/codes.ts';
import { casesToCsv, formatProblem, parseCasesCsv } from '../standard/csv.ts';
import { exploitationCategory, statisticsYear } from '../standard/derive.ts';
import type { Violation } from '../standard/validate.ts';
import type { Executor } from '../store/db.ts';
import { cases, caseVersions } from '../store/schema.ts';
import { formatReference, newCaseId, referencePrefix, reserveReferences, unknownOrganisations } from './cases.ts';

export type ImportResult = { ok: boolean; imported: number; problems: string[]; warnings: string[] };

const unknownOrganisation: Violation = {
  path: 'organisation_id',
  rule: 'unknown_organisation',
  message: { sv: 'Organisationen finns inte i registret.', en: 'The organisation is not in the registry.' },
};

/** Imports a CSV file of cases; with any invalid row nothing is written and every problem is reported. */
export async function importCsv(db: Executor, actor: Actor, text: string, opts: { lang?: Lang } = {}): Promise<ImportResult> {
  const lang = opts.lang ?? 'sv';
  const { headerErrors, rows } = parseCasesCsv(text);
  const problems = headerErrors.map((v) => formatProblem(1, v, lang));
  const warnings: string[] = [];
  const unknownOrgs = await unknownOrganisations(db, rows.flatMap((r) => (r.data ? [r.data.organisation_id!] : [])));
  for (const row of rows) {
    const errors = row.data && unknownOrgs.has(row.data.organisation_id!) ? [...row.errors, unknownOrganisation] : row.errors;
    for (const v of errors) problems.push(formatProblem(row.line, v, lang));
    for (const v of row.warnings) warnings.push(formatProblem(row.line, v, lang, 'warning'));
  }
  if (problems.length > 0) return { ok: false, imported: 0, problems, warnings };
  const data = rows.map((r) => r.data!);
  if (data.length > 0) await db.transaction((tx) => insertCases(tx, actor, data));
  return { ok: true, imported: data.length, problems, warnings };
}

/** PostgreSQL array literal of text values: one parameter for a whole column. */
function textArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`;
  }
  return out + '}';
}

const CHUNK = 10_000;

/** Inserts validated cases as version 1, in bulk; references are numbered in input order. */
export async function insertCases(tx: Executor, actor: Actor, data: readonly CaseData[]): Promise<string[]> {
  const groups = new Map<string, { prefix: string; year: number; count: number; next: number }>();
  const groupOf = data.map((d) => {
    const prefix = referencePrefix(d);
    const year = statisticsYear(d.identified_on);
    const key = `${prefix}-${year}`;
    const g = groups.get(key) ?? { prefix, year, count: 0, next: 0 };
    g.count++;
    groups.set(key, g);
    return g;
  });
  for (const g of groups.values()) g.next = await reserveReferences(tx, g.prefix, g.year, g.count);
  const ids = data.map(() => newCaseId());
  const references = groupOf.map((g) => formatReference(g.prefix, g.year, g.next++));

  for (let start = 0; start < data.length; start += CHUNK) {
    const part = data.slice(start, start + CHUNK);
    const col = (f: (d: CaseData, i: number) => string | number | null) => textArray(part.map((d, i) => f(d, start + i)));
    await tx.execute(sql`
      insert into cases (id, reference, source, organisation_id, region, year, identified_on, status, version,
                         crime_type, category, sex, age_group, nationality, linkage_key, created_by)
      select id, reference, source, organisation_id, region, year, identified_on::date, 'open', 1,
             crime_type, category, sex, age_group, nationality, linkage_key, ${actor.id}
      from unnest(${col((_, i) => ids[i])}::text[], ${col((_, i) => references[i])}::text[], ${col((d) => d.source)}::text[],
                  ${col((d) => d.organisation_id)}::text[], ${col((d) => d.region)}::text[],
                  ${col((d) => statisticsYear(d.identified_on))}::int[], ${col((d) => d.identified_on)}::text[],
                  ${col((d) => d.crime_type)}::text[], ${col((d) => exploitationCategory(d.exploitation_forms))}::text[],
                  ${col((d) => d.sex)}::text[], ${col((d) => d.age_group)}::text[], ${col((d) => d.nationality)}::text[],
                  ${col((d) => d.linkage_key)}::text[])
        as t(id, reference, source, organisation_id, region, year, identified_on, crime_type, category, sex, age_group, nationality, linkage_key)`);
    await tx.execute(sql`
      insert into case_versions (case_id, version, operation, status, data, actor_id, actor_role)
      select id, 1, 'import', 'open', data::jsonb, ${actor.id}, ${actor.role}
      from unnest(${col((_, i) => ids[i])}::text[], ${col((d) => JSON.stringify(d))}::text[]) as t(id, data)`);
  }
  return ids;
}

/** The current version of every case (of a year), oldest first, as CSV; withdrawn cases only when asked. */
export async function exportCsv(db: Executor, _actor: Actor, opts: { year?: number; includeWithdrawn?: boolean } = {}): Promise<string> {
  const conditions: (SQL | undefined)[] = [
    opts.year === undefined ? undefined : eq(cases.year, opts.year),
    opts.includeWithdrawn ? undefined : ne(cases.status, 'withdrawn'),
  ];
  const rows = await db
    .select({
      id: cases.id,
      reference: cases.reference,
      version: cases.version,
      status: cases.status,
      created_at: cases.created_at,
      updated_at: cases.updated_at,
      created_by: cases.created_by,
      data: caseVersions.data,
    })
    .from(cases)
    .innerJoin(caseVersions, and(eq(caseVersions.case_id, cases.id), eq(caseVersions.version, cases.version)))
    .where(and(...conditions))
    .orderBy(asc(cases.id));
  return casesToCsv(
    rows.map(({ data, created_at, updated_at, status, ...system }) => ({
      ...(data as CaseData),
      ...system,
      status: status as 'open',
      created_at: created_at.toISOString(),
      updated_at: updated_at.toISOString(),
    })),
  );
}
