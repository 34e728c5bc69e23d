// The printed shape of a report table: headings and body rows with labels, shared by XLSX and PDF.
// Two-dimensional tables are pivoted (e.g. Exploateringsform × Kvinnor, Män, Flickor …) with totals.
import { codeLists, type CodeEntry } from '../standard/codes.ts';
import { dimensions, tableSpec, type Dimension } from '../stats/catalogue.ts';
import type { ReportRow, ReportTable, TableId } from '../stats/report-types.ts';
import { codeLabel, dimensionKeys, heading, rowLabel, tableTitle, type Lang } from './labels.ts';

export type Cell = string | number | null;

export type TableLayout = {
  id: TableId;
  title: string;
  head: string[];
  body: Cell[][];
  /** Index of the first numeric column. */
  firstValue: number;
  /** Whether the last body row is a "Totalt" row. */
  totalRow: boolean;
  note: string;
};

type Pivot = { rows: readonly string[]; column: string };

const fixedColumns = (dimension: string) => (dimensions as Record<string, Dimension>)[dimension]?.fixed ?? [];
const orderList = (dimension: string) => (dimensions as Record<string, Dimension>)[dimension]?.list;

/** The column codes of a pivot: fixed ones first, then those present, in code-list order where there is one. */
function columnCodes(dimension: string, rows: ReportRow[]): string[] {
  const present = [...new Set(rows.map((r) => String(r[dimension])))];
  const codes = [...new Set([...fixedColumns(dimension), ...present])];
  const list = orderList(dimension);
  const order = list
    ? (codeLists[list].items as CodeEntry[]).map((i) => i.code)
    : dimension === 'measure'
      ? Object.keys(dimensions.measure.codes)
      : null;
  if (!order) return codes;
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  return codes.sort((a, b) => rank(a) - rank(b));
}

function sum(values: Cell[]): number {
  return values.reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
}

/** n_answered / n_missing in words, for the note under every table. */
export function answeredNote(table: ReportTable, lang: Lang): string {
  return lang === 'sv'
    ? `Uppgift finns för ${table.n_answered} personer, saknas för ${table.n_missing}.`
    : `Answered for ${table.n_answered} persons, missing for ${table.n_missing}.`;
}

function pivotLayout(table: ReportTable, pivot: Pivot, lang: Lang): TableLayout {
  const isTrend = tableSpec(table.id).unit === 'year';
  const cols = columnCodes(pivot.column, table.rows);
  const lines = new Map<string, { labels: string[]; counts: Map<string, number> }>();
  for (const row of table.rows) {
    const key = pivot.rows.map((k) => String(row[k])).join('\u0000');
    let line = lines.get(key);
    if (!line) {
      line = { labels: pivot.rows.map((k) => rowLabel(row, k, lang)), counts: new Map() };
      lines.set(key, line);
    }
    line.counts.set(String(row[pivot.column]), row.count);
  }
  const body: Cell[][] = [...lines.values()].map(({ labels, counts }) => {
    const values = cols.map((c) => counts.get(c) ?? (isTrend ? null : 0));
    return isTrend ? [...labels, ...values] : [...labels, ...values, sum(values)];
  });
  const totalLabel = heading('total', lang);
  if (!isTrend) {
    const totals = cols.map((_, i) => sum(body.map((line) => line[pivot.rows.length + i])));
    body.push([totalLabel, ...pivot.rows.slice(1).map(() => ''), ...totals, sum(totals)]);
  }
  return {
    id: table.id,
    title: tableTitle(table.id, lang),
    head: [
      ...pivot.rows.map((k) => heading(k, lang)),
      ...cols.map((c) => codeLabel(pivot.column, c, lang)),
      ...(isTrend ? [] : [totalLabel]),
    ],
    body,
    firstValue: pivot.rows.length,
    totalRow: !isTrend,
    // The trend spans years; its n_answered is not a count of this year's persons.
    note: isTrend ? '' : answeredNote(table, lang),
  };
}

function listLayout(table: ReportTable, lang: Lang): TableLayout {
  const dims = table.rows.length ? dimensionKeys(table.rows[0]) : [];
  const hasPercent = table.rows.some((r) => r.percent !== undefined);
  const hasStatus = table.rows.some((r) => r.status !== undefined);
  return {
    id: table.id,
    title: tableTitle(table.id, lang),
    head: [
      ...dims.map((k) => heading(k, lang)),
      heading('count', lang),
      ...(hasPercent ? [heading('percent', lang)] : []),
      ...(hasStatus ? [heading('status', lang)] : []),
    ],
    body: table.rows.map((r) => [
      ...dims.map((k) => rowLabel(r, k, lang)),
      r.count,
      ...(hasPercent ? [r.percent ?? null] : []),
      ...(hasStatus ? [r.status ?? null] : []),
    ]),
    firstValue: dims.length,
    totalRow: false,
    note: answeredNote(table, lang),
  };
}

export function tableLayout(table: ReportTable, lang: Lang = 'sv'): TableLayout {
  const pivot = pivotOf(table.id);
  return pivot ? pivotLayout(table, pivot, lang) : listLayout(table, lang);
}

/** The row and column dimensions of a cross table (the catalogue's `column`); undefined for list tables. */
export function pivotOf(id: TableId): Pivot | undefined {
  const spec = tableSpec(id);
  return spec.column ? { rows: spec.rows, column: spec.column } : undefined;
}
