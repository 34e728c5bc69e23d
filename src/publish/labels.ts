// Titles, headings and code labels of the report tables, in Swedish and English, as the table
// catalogue (src/stats/catalogue.ts) declares them.
import { labelOf, type Label, type Lang } from '../standard/codes.ts';
import { countryName } from '../standard/countries.ts';
import type { PublishedReport, PublishedRow, TableId } from '../stats/report-types.ts';
import { dimensions, tableSpec, valueHeadings, type Dimension } from '../stats/catalogue.ts';

export type { Lang };

/** Column heading of each row key: the catalogue's dimensions and value columns. */
export const keyHeadings: Record<string, Label> = {
  ...Object.fromEntries(Object.entries(dimensions as Record<string, Dimension>).map(([k, d]) => [k, d.heading])),
  ...valueHeadings,
};

const dimensionOf = (key: string): Dimension | undefined => (dimensions as Record<string, Dimension>)[key];

/** The label of a code of one dimension (a row key, or a `totals` dimension). */
export function codeLabel(dimension: string, code: string | number | null, lang: Lang = 'sv'): string {
  const c = String(code);
  // A `totals` row of every person names the dimension `all` and the code `all`.
  const own = dimension === 'all' ? dimensions.dimension.codes.all : dimensionOf(dimension)?.codes?.[c];
  if (own) return own[lang];
  if (dimension === 'nationality') return countryName(c, lang);
  if (dimension === 'combination') return c.split('+').map((f) => labelOf('category', f, lang)).join(' + ');
  if (dimension === 'yes_no') return labelOf('yes_no', c, lang);
  const list = dimensionOf(dimension)?.list;
  return list ? labelOf(list, c, lang) : c;
}

/** The label of one dimension value of a row; `totals` rows name their dimension in `dimension`. */
export function rowLabel(row: PublishedRow, key: string, lang: Lang = 'sv'): string {
  const dimension = key === 'code' ? String(row.dimension) : key;
  return codeLabel(dimension, row[key], lang);
}

export function heading(key: string, lang: Lang = 'sv'): string {
  return keyHeadings[key]?.[lang] ?? key;
}

export function tableTitle(id: TableId, lang: Lang = 'sv'): string {
  return tableSpec(id).title[lang];
}

/** The table's short title (a sheet name: at most 31 characters). */
export function shortTitle(id: TableId, lang: Lang = 'sv'): string {
  return tableSpec(id).short[lang];
}

const valueKeys = new Set(['count', 'percent', 'status']);

/** The dimension keys of a row, in the row's own order. */
export function dimensionKeys(row: PublishedRow): string[] {
  return Object.keys(row).filter((k) => !valueKeys.has(k));
}

export const releaseKinds: Record<PublishedReport['release']['kind'], Label> = {
  final: { sv: 'Slutlig', en: 'Final' },
  preliminary: { sv: 'Preliminär', en: 'Preliminary' },
  live: { sv: 'Levande data (ej fryst)', en: 'Live data (not frozen)' },
};

export const demoMark: Label = { sv: 'DEMO – syntetiska uppgifter', en: 'DEMO – synthetic data' };

export function reportTitle(year: number, lang: Lang = 'sv'): string {
  return lang === 'sv'
    ? `Regionkoordinatorernas statistik om människohandel och människoexploatering ${year}`
    : `Regional coordinators' statistics on human trafficking and human exploitation ${year}`;
}

export function yesNoLabel(value: boolean, lang: Lang = 'sv'): string {
  return codeLabel('yes_no', value ? 'yes' : 'no', lang);
}
