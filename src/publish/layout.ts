// The printed shape of a report table: headings and body rows with labels, shared by XLSX and PDF.
// Two-dimensional tables are pivoted (e.g. Exploateringsform × Kvinnor, Män, Flickor …) with totals.
import { codeLists, type CodeEntry, type Label } from '../standard/codes.ts';
import { catalogue, dimensions, tableSpec, type Dimension, type Margin, type Relation, type TableSpec } from '../stats/catalogue.ts';
import type { PublishedReport, PublishedRow, PublishedTable, ReportCheck, TableId } from '../stats/report-types.ts';
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
  /** The dimension of each label column (`year` in the trend), before the numeric ones. */
  keys: string[];
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
  const persons = answered === 1 ? (lang === 'sv' ? 'person' : 'person') : lang === 'sv' ? 'personer' : 'persons';
  const text = lang === 'sv' ? `Uppgift finns för ${answered} ${persons}, saknas för ${missing}.` : `Answered for ${answered} ${persons}, missing for ${missing}.`;
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
    keys: [...pivot.rows],
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
    keys: dims,
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

/**
 * The number each table is printed with ("Tabell 2"): the catalogue's `printed.number`, the printed
 * report's own; a table the printed report leaves out (the appendix) follows the highest, in report order.
 */
export function tableNumbers(ids: readonly TableId[]): Map<TableId, number> {
  const numbers = new Map<TableId, number>();
  for (const id of ids) {
    const n = tableSpec(id).printed?.number;
    if (n !== undefined) numbers.set(id, n);
  }
  let next = Math.max(0, ...catalogue.map((t) => t.printed?.number ?? 0));
  for (const id of ids) if (!numbers.has(id)) numbers.set(id, ++next);
  return numbers;
}

/** Rules of the catalogue in words, by the rule's own id (the catalogue states them in English for developers). */
const ruleTexts: Record<string, Label> = {
  forms: { sv: 'varje kombination har två eller fler exploateringsformer', en: 'every combination has two or more forms of exploitation' },
  cases: { sv: 'tabellen omfattar varje ärende med arbetskraftsexploatering, vart och ett på en rad eller fler', en: 'the table covers every case of labour exploitation, each in one row or more' },
  ten: { sv: 'de tio vanligaste kända nationaliteterna, med delad tiondeplats medräknad', en: 'the ten most common known nationalities, ties at tenth place kept' },
  sum: { sv: 'antalet barn är summan av dem med och utan uppgift', en: 'the number of children is the sum of those answered and missing' },
  answered: { sv: 'antalet upptäckta vid arbetsplatsinspektion är högst antalet med uppgift', en: 'those found in a workplace inspection are at most those answered' },
};

const quoted = (id: TableId, lang: Lang) => (lang === 'sv' ? `”${tableTitle(id, lang)}”` : `“${tableTitle(id, lang)}”`);

/** A margin in words: the totals rows of one dimension name it in `dimension` and their codes in `code`. */
function marginWords(m: Margin, lang: Lang): string {
  const { dimension, ...rest } = m.where ?? {};
  const byCode = m.by === 'code' || rest.code !== undefined;
  const where = [
    ...(dimension !== undefined && !byCode ? [codeLabel('dimension', dimension, lang)] : []),
    ...Object.entries(rest).map(([k, v]) => (k === 'code' && dimension !== undefined ? codeLabel(dimension, v, lang) : codeLabel(k, v, lang))),
  ].map((x) => x.toLocaleLowerCase(lang));
  const by = m.by === 'code' && dimension !== undefined ? codeLabel('dimension', dimension, lang) : m.by ? heading(m.by, lang) : '';
  const parts = [...(where.length ? [`(${where.join(', ')})`] : []), ...(by ? [`${lang === 'sv' ? 'per' : 'by'} ${by.toLocaleLowerCase(lang)}`] : [])];
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function relationWords(spec: TableSpec, r: Relation, lang: Lang): { id: string; text: string } {
  const [a, b] = [quoted(spec.id, lang), quoted(r.table, lang)];
  if (r.kind === 'at_most')
    return { id: `${spec.id}_within_${r.table}`, text: lang === 'sv' ? `Varje cell i ${a} är högst samma cell i ${b}` : `Each cell of ${a} is at most the same cell of ${b}` };
  if (r.kind === 'at_least')
    return {
      id: `${spec.id}_at_least_${r.table}`,
      text: lang === 'sv' ? `Summan av ${a}${marginWords(r.cells, lang)} är minst ${b}${marginWords(r.margin, lang)}` : `The sum of ${a}${marginWords(r.cells, lang)} is at least ${b}${marginWords(r.margin, lang)}`,
    };
  const suffix = r.cells.by ?? Object.values(r.cells.where ?? {})[0] ?? 'sum';
  return {
    id: `${spec.id}_${suffix}`,
    text: lang === 'sv' ? `Summan av ${a}${marginWords(r.cells, lang)} är lika med ${b}${marginWords(r.margin, lang)}` : `The sum of ${a}${marginWords(r.cells, lang)} equals ${b}${marginWords(r.margin, lang)}`,
  };
}

/** Every consistency check the catalogue gives rise to (src/stats/checks.ts names them so), in words. */
function checkWords(lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  const add = (id: string, text: string) => out.has(id) || out.set(id, text);
  for (const spec of catalogue) {
    for (const r of spec.relations) {
      const { id, text } = relationWords(spec, r, lang);
      add(id, text);
    }
    if (spec.percent === 'of_all')
      add(
        `${spec.id}_percent`,
        lang === 'sv'
          ? `Procentandelarna i ${quoted(spec.id, lang)} är antalet delat med samtliga personer, avrundat till hela procent`
          : `The percentages of ${quoted(spec.id, lang)} are the count divided by all persons, rounded to whole per cent`,
      );
    for (const rule of spec.rules ?? []) add(`${spec.id}_${rule.id}`, `${quoted(spec.id, lang)}: ${ruleTexts[rule.id]?.[lang] ?? rule.what}`);
  }
  add(
    'answered_plus_missing',
    lang === 'sv'
      ? 'I varje tabell över samtliga personer är antalet med uppgift och antalet utan uppgift tillsammans lika med samtliga personer'
      : 'In every table of all persons, those answered and those missing add up to all persons',
  );
  add(
    'counts_positive',
    lang === 'sv'
      ? 'Varje redovisad cell är större än noll (nollor utelämnas) och antalen med och utan uppgift är inte negativa'
      : 'Every cell shown is above zero (zeros left out) and the numbers answered and missing are not negative',
  );
  return out;
}

const checkWordsOf = { sv: checkWords('sv'), en: checkWords('en') };

/** A consistency check in words for the report's reader, with what broke it when it failed. */
export function checkText(check: ReportCheck, lang: Lang = 'sv'): string {
  const text = checkWordsOf[lang].get(check.id);
  if (!text) return check.detail;
  const colon = check.detail.indexOf(': ');
  const broken = !check.ok && colon >= 0 ? check.detail.slice(colon + 2) : '';
  return broken ? `${text} (${lang === 'sv' ? 'avvikelser' : 'differences'}: ${broken}).` : `${text}.`;
}
