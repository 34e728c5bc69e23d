// The printed shape of a report table: headings and body rows with labels, shared by XLSX and PDF.
// Two-dimensional tables are pivoted (e.g. Exploateringsform × Kvinnor, Män, Flickor …) with totals.
import { codeLists, type CodeEntry } from '../standard/codes.ts';
import { dimensions, tableSpec, type Dimension } from '../stats/catalogue.ts';
import type { PublishedReport, PublishedRow, PublishedTable, TableId } from '../stats/report-types.ts';
import { codeLabel, dimensionKeys, heading, rowLabel, tableTitle, type Lang } from './labels.ts';

/** How a suppressed figure is printed, as official statistics print it. */
export const SUPPRESSED = '..';

/** The note under a table with a suppressed figure. */
export const suppressedNote: Record<Lang, string> = {
  sv: '.. = röjandeskyddat: uppgiften är undertryckt för att skydda de personer den beskriver.',
  en: '.. = suppressed to protect the persons it describes.',
};

/**
 * The quality declaration on disclosure control ("n celler undertryckta"), one sentence, then one
 * per table published exactly with the statistician's reason; nothing for the exact form.
 */
export function disclosureDeclaration(report: PublishedReport, lang: Lang): string[] {
  const d = report.disclosure;
  if (!d) return [];
  const small = d.threshold > 2 ? `1–${d.threshold - 1}` : '1';
  const head =
    lang === 'sv'
      ? `${d.suppressed} celler undertryckta för att skydda de personer de beskriver: antal ${small}${d.protect_zeros ? ', nollor' : ''} och celler som annars skulle röja dem. Ingen undertryckt uppgift kan härledas ur det publicerade snävare än ett intervall av bredd ${d.width}.`
      : `${d.suppressed} cells suppressed to protect the persons they describe: counts of ${small}${d.protect_zeros ? ', zeros' : ''} and cells that would otherwise give them away. No suppressed figure can be derived from what is published to within an interval narrower than ${d.width}.`;
  const exact = Object.entries(d.exact).map(([t, reason]) =>
    lang === 'sv' ? `Tabellen ”${tableTitle(t as TableId, lang)}” publiceras exakt: ${reason}` : `The table “${tableTitle(t as TableId, lang)}” is published exactly: ${reason}`,
  );
  return [head, ...exact];
}

/** The statuses of the protected form (src/stats/protection.ts): not a column of their own, the ".." says it. */
const protectionStatuses = new Set(['safe', 'primary', 'secondary', 'exact_by_decision']);

const shown = (v: number | null | undefined): Cell => (v === null ? SUPPRESSED : (v ?? null));

/** Whether a table prints a suppressed figure anywhere (its cells, totals, answered or missing). */
const hasSuppressed = (t: PublishedTable) =>
  t.n_answered === null || t.n_missing === null || [...t.rows, ...(t.totals ?? [])].some((r) => r.count === null);

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
function columnCodes(dimension: string, rows: PublishedRow[]): string[] {
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
export function answeredNote(table: PublishedTable, lang: Lang): string {
  const [answered, missing] = [shown(table.n_answered), shown(table.n_missing)];
  const text = lang === 'sv' ? `Uppgift finns för ${answered} personer, saknas för ${missing}.` : `Answered for ${answered} persons, missing for ${missing}.`;
  return hasSuppressed(table) ? `${text} ${suppressedNote[lang]}` : text;
}

/** The printed total of the protected form with exactly these codes, when the table carries its totals. */
function totalOf(table: PublishedTable, key: Record<string, string>): Cell | undefined {
  if (!table.totals) return undefined;
  const wanted = Object.keys(key).length;
  const hit = table.totals.find((r) => dimensionKeys(r).length === wanted && Object.entries(key).every(([k, v]) => String(r[k]) === v));
  return hit ? shown(hit.count) : 0;
}

function pivotLayout(table: PublishedTable, pivot: Pivot, lang: Lang): TableLayout {
  const isTrend = tableSpec(table.id).unit === 'year';
  const cols = columnCodes(pivot.column, table.rows);
  const lines = new Map<string, { codes: Record<string, string>; labels: string[]; counts: Map<string, number | null> }>();
  for (const row of table.rows) {
    const key = pivot.rows.map((k) => String(row[k])).join('\u0000');
    let line = lines.get(key);
    if (!line) {
      line = { codes: Object.fromEntries(pivot.rows.map((k) => [k, String(row[k])])), labels: pivot.rows.map((k) => rowLabel(row, k, lang)), counts: new Map() };
      lines.set(key, line);
    }
    line.counts.set(String(row[pivot.column]), row.count);
  }
  // The protected form carries its totals (a sum of printed cells would be wrong where one is
  // suppressed); the exact form's are summed here.
  const body: Cell[][] = [...lines.values()].map(({ codes, labels, counts }) => {
    const values = cols.map((c) => (counts.has(c) ? shown(counts.get(c)) : isTrend ? null : 0));
    return isTrend ? [...labels, ...values] : [...labels, ...values, totalOf(table, codes) ?? sum(values)];
  });
  const totalLabel = heading('total', lang);
  if (!isTrend) {
    const totals = cols.map((c, i) => totalOf(table, { [pivot.column]: c }) ?? sum(body.map((line) => line[pivot.rows.length + i])));
    body.push([totalLabel, ...pivot.rows.slice(1).map(() => ''), ...totals, totalOf(table, {}) ?? sum(totals)]);
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
    note: isTrend ? (hasSuppressed(table) ? suppressedNote[lang] : '') : answeredNote(table, lang),
  };
}

function listLayout(table: PublishedTable, lang: Lang): TableLayout {
  const dims = table.rows.length ? dimensionKeys(table.rows[0]) : [];
  const hasPercent = table.rows.some((r) => r.percent !== undefined);
  const hasStatus = table.rows.some((r) => r.status !== undefined && !protectionStatuses.has(r.status));
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
      shown(r.count),
      ...(hasPercent ? [r.count === null ? SUPPRESSED : (r.percent ?? null)] : []),
      ...(hasStatus ? [r.status ?? null] : []),
    ]),
    firstValue: dims.length,
    totalRow: false,
    note: answeredNote(table, lang),
  };
}

export function tableLayout(table: PublishedTable, lang: Lang = 'sv'): TableLayout {
  const pivot = pivotOf(table.id);
  return pivot ? pivotLayout(table, pivot, lang) : listLayout(table, lang);
}

/** The row and column dimensions of a cross table (the catalogue's `column`); undefined for list tables. */
export function pivotOf(id: TableId): Pivot | undefined {
  const spec = tableSpec(id);
  return spec.column ? { rows: spec.rows, column: spec.column } : undefined;
}
