// Titles, headings and code labels of the report tables, in Swedish and English.
import { labelOf, type CodeListName, type Label, type Lang } from '../standard/codes.ts';
import { countryName } from '../standard/countries.ts';
import type { Report, ReportRow, TableId } from '../stats/report-types.ts';

export type { Lang };

export const tableTitles: Record<TableId, Label> = {
  totals: { sv: 'Antal identifierade personer', en: 'Number of identified persons' },
  category: { sv: 'Exploateringsform', en: 'Form of exploitation' },
  form_by_group: {
    sv: 'Fördelning av vuxna kvinnor och män samt flickor och pojkar per exploateringsform',
    en: 'Adult women and men, girls and boys by form of exploitation',
  },
  crime_by_group: { sv: 'Brottstyp per kön och ålder', en: 'Type of crime by sex and age' },
  form_by_crime: { sv: 'Exploateringsform per brottstyp', en: 'Form of exploitation by type of crime' },
  multiple_combinations: {
    sv: 'Multipel exploatering per kombination av exploateringsformer och kön',
    en: 'Multiple exploitation by combination of forms and sex',
  },
  industry_by_sex: {
    sv: 'Arbetskraftsexploatering per bransch och kön',
    en: 'Labour exploitation by industry and sex',
  },
  multiple_industry_by_sex: {
    sv: 'Multipel exploatering innehållande arbetskraftsexploatering per bransch och kön',
    en: 'Multiple exploitation including labour exploitation by industry and sex',
  },
  children_by_form: { sv: 'Exploateringsform för minderåriga per kön', en: 'Form of exploitation of children by sex' },
  referrer: { sv: 'Hänvisande aktör', en: 'Referring actor' },
  nationality: { sv: 'Ursprungsland för utsatta vuxna och barn', en: 'Country of origin of adults and children' },
  nationality_top: { sv: 'De tio vanligaste nationaliteterna', en: 'The ten most common nationalities' },
  nationality_top3_by_form: {
    sv: 'Exploateringsform för de tre vanligaste nationaliteterna',
    en: 'Form of exploitation of the three most common nationalities',
  },
  related_children: { sv: 'Närstående barn till utsatta', en: 'Related children of exploited persons' },
  workplace_inspection: {
    sv: 'Ärenden upptäckta genom myndighetsgemensam samverkan mot arbetslivskriminalitet',
    en: 'Cases found through joint inter-agency work against work-related crime',
  },
  region: { sv: 'Exploateringsform per region', en: 'Form of exploitation by region' },
  trend: { sv: 'Antal ärenden per år', en: 'Number of cases per year' },
};

/** Column heading of each row key. */
export const keyHeadings: Record<string, Label> = {
  dimension: { sv: 'Indelning', en: 'Breakdown' },
  code: { sv: 'Grupp', en: 'Group' },
  category: { sv: 'Exploateringsform', en: 'Form of exploitation' },
  group: { sv: 'Kön och ålder', en: 'Sex and age' },
  crime_type: { sv: 'Brottstyp', en: 'Type of crime' },
  combination: { sv: 'Kombination', en: 'Combination' },
  sex: { sv: 'Kön', en: 'Sex' },
  industry: { sv: 'Bransch', en: 'Industry' },
  referred_by: { sv: 'Hänvisande aktör', en: 'Referring actor' },
  nationality: { sv: 'Nationalitet', en: 'Nationality' },
  location: { sv: 'Var barnet befinner sig', en: 'Where the child is' },
  age_band: { sv: 'Ålder', en: 'Age' },
  region: { sv: 'Region', en: 'Region' },
  year: { sv: 'År', en: 'Year' },
  measure: { sv: 'Mått', en: 'Measure' },
  source: { sv: 'Källa', en: 'Source' },
  count: { sv: 'Antal', en: 'Number' },
  percent: { sv: 'Andel (%)', en: 'Share (%)' },
  status: { sv: 'Status', en: 'Status' },
  total: { sv: 'Totalt', en: 'Total' },
};

const dimensionLists: Record<string, CodeListName> = {
  category: 'category',
  group: 'person_group',
  crime_type: 'crime_type',
  age_group: 'age_group',
  sex: 'sex',
  industry: 'industry',
  referred_by: 'referred_by',
  location: 'child_location',
  age_band: 'child_age_band',
  region: 'region',
  yes_no: 'yes_no',
};

// Codes of the report that are not in a code list of the data standard.
const reportCodes: Record<string, Record<string, Label>> = {
  dimension: {
    all: { sv: 'Samtliga', en: 'All' },
    crime_type: { sv: 'Brottstyp', en: 'Type of crime' },
    group: { sv: 'Kön och ålder', en: 'Sex and age' },
    age_group: { sv: 'Åldersgrupp', en: 'Age group' },
  },
  all: { all: { sv: 'Samtliga', en: 'All' } },
  measure: {
    total: { sv: 'Totalt', en: 'Total' },
    adults: { sv: 'Vuxna', en: 'Adults' },
    labour: { sv: 'Arbetskraft', en: 'Labour exploitation' },
    sexual: { sv: 'Sexuella ändamål', en: 'Sexual exploitation' },
    children: { sv: 'Barn', en: 'Children' },
  },
  source: {
    release: { sv: 'Beräknad ur registret', en: 'Computed from the registry' },
    published: { sv: 'Tidigare publicerad', en: 'Previously published' },
  },
  nationality: { unknown: { sv: 'Okänt', en: 'Unknown' } },
};

/** The label of a code of one dimension (a row key, or a `totals` dimension). */
export function codeLabel(dimension: string, code: string | number, lang: Lang = 'sv'): string {
  const c = String(code);
  const own = reportCodes[dimension]?.[c];
  if (own) return own[lang];
  if (dimension === 'nationality') return countryName(c, lang);
  if (dimension === 'combination') return c.split('+').map((f) => labelOf('category', f, lang)).join(' + ');
  const list = dimensionLists[dimension];
  return list ? labelOf(list, c, lang) : c;
}

/** The label of one dimension value of a row; `totals` rows name their dimension in `dimension`. */
export function rowLabel(row: ReportRow, key: string, lang: Lang = 'sv'): string {
  const dimension = key === 'code' ? String(row.dimension) : key;
  return codeLabel(dimension, row[key], lang);
}

export function heading(key: string, lang: Lang = 'sv'): string {
  return keyHeadings[key]?.[lang] ?? key;
}

export function tableTitle(id: TableId, lang: Lang = 'sv'): string {
  return tableTitles[id][lang];
}

const valueKeys = new Set(['count', 'percent', 'status']);

/** The dimension keys of a row, in the row's own order. */
export function dimensionKeys(row: ReportRow): string[] {
  return Object.keys(row).filter((k) => !valueKeys.has(k));
}

/** Short titles, used as sheet names (at most 31 characters). */
export const shortTitles: Record<TableId, Label> = {
  totals: { sv: 'Totalt', en: 'Totals' },
  category: { sv: 'Exploateringsform', en: 'Form of exploitation' },
  form_by_group: { sv: 'Form per kön och ålder', en: 'Form by sex and age' },
  crime_by_group: { sv: 'Brottstyp per kön och ålder', en: 'Crime by sex and age' },
  form_by_crime: { sv: 'Form per brottstyp', en: 'Form by type of crime' },
  multiple_combinations: { sv: 'Multipel – kombinationer', en: 'Multiple – combinations' },
  industry_by_sex: { sv: 'Bransch per kön', en: 'Industry by sex' },
  multiple_industry_by_sex: { sv: 'Multipel – bransch per kön', en: 'Multiple – industry by sex' },
  children_by_form: { sv: 'Barn per exploateringsform', en: 'Children by form' },
  referrer: { sv: 'Hänvisande aktör', en: 'Referring actor' },
  nationality: { sv: 'Nationalitet', en: 'Nationality' },
  nationality_top: { sv: 'Tio vanligaste nationaliteter', en: 'Ten most common nationalities' },
  nationality_top3_by_form: { sv: 'Tre vanligaste – form', en: 'Top three – form' },
  related_children: { sv: 'Närstående barn', en: 'Related children' },
  workplace_inspection: { sv: 'Arbetsplatsinspektioner', en: 'Workplace inspections' },
  region: { sv: 'Region', en: 'Region' },
  trend: { sv: 'Utveckling över tid', en: 'Trend' },
};

export const releaseKinds: Record<Report['release']['kind'], Label> = {
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
