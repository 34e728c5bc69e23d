// The report as the API sends it (the contract, src/contract), and the shapes the statistics page
// derives from it.
import type { ChartTable, Chart as ContractChart, PublicStats as ContractPublicStats, Report, ReportRow } from '../../src/contract/index.ts';
export type { ChartTable, Report, ReportRow, ReportTable, TableId, TableRole as Role } from '../../src/contract/index.ts';

/**
 * A chart as the pages draw it: the contract's, its Vega-Lite specification read as an object, and
 * `svg` when a page has drawn it on the server's behalf (the API does not send one).
 */
export type Chart = Omit<ContractChart, 'spec' | 'table'> & { spec: Record<string, unknown>; table?: ChartTable; svg?: string };
/** GET /api/stats/public: the newest published year's report and charts, and the published releases. */
export type PublicStats = Omit<ContractPublicStats, 'charts'> & { charts: Chart[] };

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
