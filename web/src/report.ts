// The report as the API sends it (src/stats/report-types.ts is the contract), and the shapes
// the statistics page derives from it.
export type { Report, ReportRow, ReportTable, Role, TableId } from '../../src/stats/report-types.ts';
import type { Report, ReportRow } from '../../src/stats/report-types.ts';

export type ChartTable = { head: string[]; body: (string | number | null)[][] };
/** `svg`: the chart drawn by the server, when the API sends it. */
export type Chart = { id: string; title: string; spec: Record<string, unknown>; table?: ChartTable; svg?: string };
export type PublicStats = { report: Report | null; charts: Chart[] };

export const valueKeys = new Set(['count', 'percent', 'status']);

/** A table's rows; none when the table is absent or not known yet (`tableWith` before the catalogue is loaded). */
export function rowsOf(report: Report, id: string | undefined): ReportRow[] {
  return report.tables.find((t) => t.id === id)?.rows ?? [];
}

/** The count of one row of the persons table (the catalogue's `persons`: totals by dimension and code). */
export function totalOf(persons: readonly ReportRow[], dimension: string, code: string): number | undefined {
  const row = persons.find((r) => r.dimension === dimension && r.code === code);
  return row ? row.count : undefined;
}

/** The chart's data as a table: one line per label, one column per series (from the spec's inline values). */
export function chartTable(chart: Chart, labelHeading: string, valueHeading: string): ChartTable {
  if (chart.table) return chart.table;
  const values = ((chart.spec.data as { values?: unknown[] } | undefined)?.values ?? []) as Record<string, unknown>[];
  const labels: string[] = [];
  const series: string[] = [];
  for (const v of values) {
    const l = String(v.label ?? '');
    const s = String(v.series ?? '');
    if (!labels.includes(l)) labels.push(l);
    if (!series.includes(s)) series.push(s);
  }
  const single = series.length <= 1;
  return {
    head: [labelHeading, ...(single ? [valueHeading] : series)],
    body: labels.map((l) => [
      l,
      ...series.map((s) => {
        const hit = values.find((v) => String(v.label ?? '') === l && String(v.series ?? '') === s);
        return hit ? Number(hit.value) : single ? null : 0;
      }),
    ]),
  };
}
