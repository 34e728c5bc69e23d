// CSV import and export. An import is all or nothing: every row is validated in JS first,
// then all rows are loaded in one transaction with COPY.
import { and, asc, eq, ne, type SQL } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize, can } from '../access/policy.ts';
import { caseScopeCondition } from '../access/scope-sql.ts';
import type { CaseData } from '../standard/case.ts';
import type { Lang } from '../standard/codes.ts';
import { casesToCsv, formatProblem, parseCasesCsv } from '../standard/csv.ts';
import { statisticsYear } from '../standard/derive.ts';
import { copyInto, copyText } from '../store/copy.ts';
import type { Executor, Tx } from '../store/db.ts';
import { cases, caseVersions } from '../store/schema.ts';
import { filterColumns, formatReference, newCaseId, referencePrefix, reserveReferences, targetOf, unknownOrganisation, unknownOrganisations } from './cases.ts';
import type { Violation } from '../standard/validate.ts';

const outOfScope: Violation = {
  path: 'region',
  rule: 'out_of_scope',
  message: {
    sv: 'Du kan bara registrera ärenden inom din egen region eller organisation.',
    en: 'You can only register cases within your own region or organisation.',
  },
};

export type ImportResult = { ok: boolean; imported: number; problems: string[]; warnings: string[] };

/** Imports a CSV file of cases; with any invalid row nothing is written and every problem is reported. */
export async function importCsv(db: Executor, actor: Actor, text: string, opts: { lang?: Lang } = {}): Promise<ImportResult> {
  authorize(actor, 'cases.import');
  const lang = opts.lang ?? 'sv';
  const { headerErrors, rows } = parseCasesCsv(text);
  const problems = headerErrors.map((v) => formatProblem(1, v, lang));
  const warnings: string[] = [];
  const unknownOrgs = await unknownOrganisations(db, rows.flatMap((r) => (r.data ? [r.data.organisation_id!] : [])));
  for (const row of rows) {
    const errors = [...row.errors];
    if (row.data && unknownOrgs.has(row.data.organisation_id!)) errors.push(unknownOrganisation);
    if (row.data && !can(actor, 'case.create', targetOf(row.data))) errors.push(outOfScope);
    for (const v of errors) problems.push(formatProblem(row.line, v, lang));
    for (const v of row.warnings) warnings.push(formatProblem(row.line, v, lang, 'warning'));
  }
  if (problems.length > 0) return { ok: false, imported: 0, problems, warnings };
  const data = rows.map((r) => r.data!);
  if (data.length > 0)
    await db.transaction(async (tx) => {
      const ids = await insertCases(tx, actor, data);
      await writeAudit(tx, { actor, operation: 'cases.import', caseIds: ids, details: { imported: ids.length } });
    });
  return { ok: true, imported: data.length, problems, warnings };
}

export const caseCopyColumns = [
  'id', 'reference', 'source', 'organisation_id', 'region', 'year', 'identified_on', 'status', 'version',
  'crime_type', 'category', 'sex', 'age_group', 'nationality', 'linkage_key', 'created_by',
] as const;
export const versionCopyColumns = ['case_id', 'version', 'operation', 'status', 'data', 'actor_id', 'actor_role'] as const;

/** The rows of `cases` and `case_versions` for new cases, as COPY text. */
export function caseCopyText(actor: Actor, data: readonly CaseData[], ids: readonly string[], references: readonly string[]) {
  return {
    cases: copyText(
      data.map((d, i) => {
        const f = filterColumns(d);
        return [ids[i], references[i], f.source, f.organisation_id, f.region, f.year, f.identified_on, 'open', 1,
          f.crime_type, f.category, f.sex, f.age_group, f.nationality, f.linkage_key, actor.id];
      }),
    ),
    versions: copyText(data.map((d, i) => [ids[i], 1, 'import', 'open', JSON.stringify(d), actor.id, actor.role])),
  };
}

/** Inserts validated cases as version 1 with COPY; references are numbered in input order. */
export async function insertCases(tx: Tx, actor: Actor, data: readonly CaseData[]): Promise<string[]> {
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
  const text = caseCopyText(actor, data, ids, references);
  await copyInto(tx, 'cases', caseCopyColumns, text.cases);
  await copyInto(tx, 'case_versions', versionCopyColumns, text.versions);
  return ids;
}

/** The current version of every case (of a year), oldest first, as CSV; withdrawn cases only when asked. */
export async function exportCsv(db: Executor, actor: Actor, opts: { year?: number; includeWithdrawn?: boolean } = {}): Promise<string> {
  authorize(actor, 'cases.export');
  const conditions: (SQL | undefined)[] = [
    caseScopeCondition(actor),
    opts.year === undefined ? undefined : eq(cases.year, opts.year),
    opts.includeWithdrawn ? undefined : ne(cases.status, 'withdrawn'),
  ];
  const rows = await db.transaction(async (tx) => {
    const found = await tx
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
    // Case-level data leaving the system: every exported id is in the trail.
    await writeAudit(tx, { actor, operation: 'cases.export', caseIds: found.map((r) => r.id), details: { year: opts.year ?? null, rows: found.length } });
    return found;
  });
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
