// The `hard` figures of rk-2025.json as read off a report's tables (table ids and row keys of
// docs/annual-report.md), shared by the tests that check the demo's report.
import type { Report, ReportRow } from '../../src/stats/report-types.ts';

export type Counts = Record<string, number>;

export function rowsOf(report: Report, id: string): ReportRow[] {
  const table = report.tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table.rows;
}

/** Sums `count` (or another value) by the key a row maps to; rows mapping to null are skipped. */
export function sumBy(rows: ReportRow[], key: (r: ReportRow) => string | null, value: (r: ReportRow) => number = (r) => r.count): Counts {
  const out: Counts = {};
  for (const r of rows) {
    const k = key(r);
    if (k !== null && value(r) !== 0) out[k] = (out[k] ?? 0) + value(r);
  }
  return out;
}

/** The `hard` figures as read off the engine's tables (table ids and row keys of annual-report.md). */
export function hardFromReport(report: Report) {
  const totals = rowsOf(report, 'totals');
  const dim = (d: string) => sumBy(totals.filter((r) => r.dimension === d), (r) => String(r.code));
  const group = dim('group');
  const category = rowsOf(report, 'category');
  const formByGroup: Record<string, Counts> = {};
  for (const r of rowsOf(report, 'form_by_group')) if (r.count) (formByGroup[r.category] ??= {})[r.group] = r.count;
  const sexOfGroup = (g: string) => (g === 'woman' || g === 'girl' ? 'female' : g === 'man' || g === 'boy' ? 'male' : g);
  const bySex = (cat: string) =>
    sumBy(rowsOf(report, 'form_by_group').filter((r) => r.category === cat), (r) => sexOfGroup(String(r.group)));
  const combinations = rowsOf(report, 'multiple_combinations');
  const referrer = rowsOf(report, 'referrer');
  const children = rowsOf(report, 'related_children');
  const inspections = rowsOf(report, 'workplace_inspection');
  const percentOf = (cat: string) => category.find((r) => r.category === cat)?.percent;
  return {
    total: dim('all').all,
    crime_type: dim('crime_type'),
    group,
    children: dim('age_group').child,
    female_incl_girls: group.woman + group.girl,
    male_incl_boys: group.man + group.boy,
    category_totals: sumBy(category, (r) => String(r.category)),
    form_by_group: formByGroup,
    labour_by_sex_incl_children: bySex('labour'),
    sexual_by_sex_incl_children: bySex('sexual'),
    multiple_by_sex_incl_children: sumBy(combinations, (r) => String(r.sex)),
    multiple_labour_sexual: combinations.filter((r) => r.combination === 'labour+sexual').reduce((s, r) => s + r.count, 0),
    referrer: sumBy(referrer, (r) => String(r.referred_by)),
    referrer_percent: sumBy(referrer, (r) => String(r.referred_by), (r) => r.percent ?? 0),
    nationality_top: sumBy(rowsOf(report, 'nationality_top'), (r) => String(r.nationality)),
    nationality_SE: rowsOf(report, 'nationality').find((r) => r.nationality === 'SE')?.count,
    related_children: { total: children.reduce((s, r) => s + r.count, 0), ...sumBy(children, (r) => String(r.location)) },
    workplace_inspection: { total: inspections.reduce((s, r) => s + r.count, 0), ...sumBy(inspections, (r) => String(r.category)) },
    labour_percent_of_total: percentOf('labour'),
    sexual_percent_of_total: percentOf('sexual'),
  };
}
