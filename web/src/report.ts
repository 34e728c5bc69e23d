// The report as the API sends it (the contract, src/contract), and the shapes the statistics page
// derives from it. The pages read the published form: the exact one (statisticians) or the protected
// one, where a suppressed count or percent is null and is printed as "..".
import type { ChartTable, Chart as ContractChart, PublicStats as ContractPublicStats, PublishedReport } from '../../src/contract/index.ts';
export type { ChartTable, TableId, TableRole as Role } from '../../src/contract/index.ts';

/** A report in either published form (the exact one is the protected one without nulls). */
export type Report = PublishedReport;
export type ReportTable = Report['tables'][number];
export type ReportRow = ReportTable['rows'][number];

/**
 * A chart as the pages draw it: the contract's, its Vega-Lite specification read as an object, and
 * `svg` when a page has drawn it on the server's behalf (the API does not send one).
 */
export type Chart = Omit<ContractChart, 'spec' | 'table'> & { spec: Record<string, unknown>; table?: ChartTable; svg?: string };
/** GET /api/stats/public: the newest published year's report and charts, and the published releases. */
export type PublicStats = Omit<ContractPublicStats, 'charts'> & { charts: Chart[] };

export const valueKeys = new Set(['count', 'percent', 'status']);

/** How a suppressed figure is printed, as official statistics print it (src/publish/layout.ts). */
export const SUPPRESSED = '..';

/** Whether a table prints a suppressed figure anywhere: its cells, its totals, answered or missing. */
export function hasSuppressed(table: ReportTable): boolean {
  return table.n_answered === null || table.n_missing === null || [...table.rows, ...(table.totals ?? [])].some((r) => r.count === null);
}

/** A table's rows; none when the table is absent or not known yet (`tableWith` before the catalogue is loaded). */
export function rowsOf(report: Report, id: string | undefined): ReportRow[] {
  return report.tables.find((t) => t.id === id)?.rows ?? [];
}

/**
 * The count of one row of the persons table (the catalogue's `persons`: totals by dimension and
 * code): undefined when there is no such row, null when the protected form suppresses it.
 */
export function totalOf(persons: readonly ReportRow[], dimension: string, code: string): number | null | undefined {
  const row = persons.find((r) => r.dimension === dimension && r.code === code);
  return row ? row.count : undefined;
}

/**
 * A cross table's printed total with exactly these codes, from the totals the protected form
 * carries (a sum of printed cells would be wrong where one is suppressed): undefined when the
 * table carries none (the exact form, whose totals are summed), null when suppressed.
 */
export function printedTotal(table: ReportTable, key: Record<string, string>): number | null | undefined {
  if (!table.totals) return undefined;
  const wanted = Object.keys(key).length;
  const dims = (r: ReportRow) => Object.keys(r).filter((k) => !valueKeys.has(k));
  const hit = table.totals.find((r) => dims(r).length === wanted && Object.entries(key).every(([k, v]) => String(r[k]) === v));
  return hit ? hit.count : 0;
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
        // A suppressed figure is not drawn; the table says "..".
        if (hit) return hit.value === null || hit.value === undefined ? SUPPRESSED : Number(hit.value);
        return single ? null : 0;
      }),
    ]),
  };
}

/**
 * The number each table is printed with ("Tabell 2"): the catalogue's `printed.number` (the printed
 * report's own, served in /api/codes), as the PDF prints it; a table the printed report leaves out
 * follows the highest number, in the report's order.
 */
export function tableNumbers(catalogue: readonly { id: string; printed: { number: number } | null }[] | undefined, ids: readonly string[]): Map<string, number> {
  const numbers = new Map<string, number>();
  const printed = new Map((catalogue ?? []).filter((t) => t.printed).map((t) => [t.id, t.printed!.number]));
  for (const id of ids) if (printed.has(id)) numbers.set(id, printed.get(id)!);
  let next = Math.max(0, ...printed.values());
  for (const id of ids) if (!numbers.has(id)) numbers.set(id, ++next);
  return numbers;
}

/** A figure's caption numbered as the page shows it, 1, 2, 3 … without gaps (a number in the title is replaced). */
export function numberedFigureTitle(title: string, n: number, lang: 'sv' | 'en'): string {
  const bare = title.replace(/^(Figur|Figure)\s+\d+\s*[.:]\s*/i, '');
  return `${lang === 'en' ? 'Figure' : 'Figur'} ${n}. ${bare}`;
}

/** A table's caption with its number ("Tabell 2. Hänvisande aktör"). */
export function numberedTableTitle(title: string, n: number | undefined, lang: 'sv' | 'en'): string {
  return n === undefined ? title : `${lang === 'en' ? 'Table' : 'Tabell'} ${n}. ${title}`;
}

/** The published releases by year, newest first, each year's newest release first. */
export function releasesByYear<R extends { id: string; year: number; number: number; kind: 'preliminary' | 'final'; published: boolean }>(releases: readonly R[]): { year: number; releases: R[]; shown: R }[] {
  const years = [...new Set(releases.filter((r) => r.published).map((r) => r.year))].sort((a, b) => b - a);
  return years.map((year) => {
    const of = releases.filter((r) => r.published && r.year === year).sort((a, b) => b.number - a.number);
    // The year's statistics: its newest final release, else its newest preliminary one (as the server chooses).
    return { year, releases: of, shown: of.find((r) => r.kind === 'final') ?? of[0] };
  });
}
