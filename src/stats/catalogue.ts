// The table catalogue: every table of the annual report declared once. What a table is (its
// dimensions, unit, percent rule, titles, place in the printed report and figures), how it is
// read off the one counting pass, and how it relates to the other tables. The engine, the
// consistency checks, every renderer, the charts and the web app (through /api/codes) read it.
// Adding a table is one entry here, plus its test (docs/annual-report.md, "Adding a table").
import type { CodeListName, Label } from '../standard/codes.ts';
import * as c from '../standard/codes.ts';
import {
  AGE_GROUPS,
  CATEGORIES,
  CAT_MULTIPLE,
  CAT_UNKNOWN,
  CHILD_AGE_BANDS,
  CHILD_LOCATIONS,
  CRIME_TYPES,
  INDUSTRIES,
  REFERRERS,
  REFERRER_UNKNOWN,
  REGIONS,
  REGION_UNKNOWN,
  SEXES,
  combinationOfMask,
} from './cube.ts';
import type { ReportRow, ReportTable } from './report-types.ts';
import { margins, percentOf, topWithTies, type Aggregates, type Margins } from './tables.ts';
import type { ReportSettings } from './report-types.ts';

/** The report's tables in the report's order (the trend last); each has its declaration below. */
export const tableIds = [
  'totals',
  'category',
  'form_by_group',
  'crime_by_group',
  'form_by_crime',
  'multiple_combinations',
  'industry_by_sex',
  'multiple_industry_by_sex',
  'children_by_form',
  'referrer',
  'nationality',
  'nationality_top',
  'nationality_top3_by_form',
  'related_children',
  'workplace_inspection',
  'region',
  'trend',
] as const;
export type TableId = (typeof tableIds)[number];

/** A dimension a table's rows are keyed by: its heading, its code list, the columns always shown. */
export type Dimension = {
  heading: Label;
  /** The data standard's code list of its codes (labels and order). */
  list?: CodeListName;
  /** Codes of the report that are in no code list of the data standard. */
  codes?: Record<string, Label>;
  /** Columns a pivot always shows, as the printed tables do (data standard 3.4). */
  fixed?: readonly string[];
};

export const dimensions = {
  dimension: {
    heading: { sv: 'Indelning', en: 'Breakdown' },
    codes: {
      all: { sv: 'Samtliga', en: 'All' },
      crime_type: { sv: 'Brottstyp', en: 'Type of crime' },
      group: { sv: 'Kön och ålder', en: 'Sex and age' },
      age_group: { sv: 'Åldersgrupp', en: 'Age group' },
    },
  },
  /** The code of a `totals` row: read in the code list its `dimension` names. */
  code: { heading: { sv: 'Grupp', en: 'Group' } },
  category: { heading: { sv: 'Exploateringsform', en: 'Form of exploitation' }, list: 'category' },
  group: { heading: { sv: 'Kön och ålder', en: 'Sex and age' }, list: 'person_group', fixed: ['woman', 'man', 'girl', 'boy', 'other', 'unknown'] },
  crime_type: { heading: { sv: 'Brottstyp', en: 'Type of crime' }, list: 'crime_type' },
  age_group: { heading: { sv: 'Åldersgrupp', en: 'Age group' }, list: 'age_group' },
  combination: { heading: { sv: 'Kombination', en: 'Combination' } },
  sex: { heading: { sv: 'Kön', en: 'Sex' }, list: 'sex', fixed: ['female', 'male', 'other', 'unknown'] },
  industry: { heading: { sv: 'Bransch', en: 'Industry' }, list: 'industry' },
  referred_by: { heading: { sv: 'Hänvisande aktör', en: 'Referring actor' }, list: 'referred_by' },
  nationality: { heading: { sv: 'Medborgarskap', en: 'Citizenship' }, codes: { unknown: { sv: 'Okänt', en: 'Unknown' } } },
  location: { heading: { sv: 'Var barnet befinner sig', en: 'Where the child is' }, list: 'child_location' },
  age_band: { heading: { sv: 'Ålder', en: 'Age' }, list: 'child_age_band' },
  region: { heading: { sv: 'Region', en: 'Region' }, list: 'region' },
  year: { heading: { sv: 'År', en: 'Year' } },
  measure: {
    heading: { sv: 'Mått', en: 'Measure' },
    codes: {
      total: { sv: 'Totalt', en: 'Total' },
      adults: { sv: 'Vuxna', en: 'Adults' },
      labour: { sv: 'Arbetskraft', en: 'Labour exploitation' },
      sexual: { sv: 'Sexuella ändamål', en: 'Sexual exploitation' },
      children: { sv: 'Barn', en: 'Children' },
    },
  },
  source: {
    heading: { sv: 'Källa', en: 'Source' },
    codes: {
      release: { sv: 'Beräknad ur registret', en: 'Computed from the registry' },
      published: { sv: 'Tidigare publicerad', en: 'Previously published' },
    },
  },
} satisfies Record<string, Dimension>;

export type DimensionKey = keyof typeof dimensions;

/** Headings of the value columns. */
export const valueHeadings = {
  count: { sv: 'Antal', en: 'Number' },
  percent: { sv: 'Andel (%)', en: 'Share (%)' },
  status: { sv: 'Status', en: 'Status' },
  total: { sv: 'Totalt', en: 'Total' },
} satisfies Record<string, Label>;

/** The sections of the printed report, in order; a table in none is printed in the appendix. */
export const sections = ['forms', 'sex', 'multiple', 'children', 'related', 'industry', 'inspection', 'referrer', 'nationality'] as const;
export type Section = (typeof sections)[number];

/**
 * A figure drawn from a table. `bars`: one bar per `label` code, grouped by sex (`series: 'sex'`;
 * a row keyed by person group counts for its group's sex), by one fixed series, or one series;
 * `where` keeps the rows that match. `line`: the trend's measures by year.
 */
export type Figure =
  | {
      id: string;
      title: Label;
      kind: 'bars';
      label: DimensionKey;
      series: 'sex' | 'single' | { dimension: DimensionKey; code: string };
      where?: Record<string, string>;
      /** The bar's text shows the row's percent beside its count. */
      withPercent?: boolean;
    }
  | { id: string; title: Label; kind: 'line'; measures: readonly string[] };

/**
 * Cells of a table taken together: the rows that match `where`, summed by `by` (one sum per
 * code), or summed whole when `by` is left out.
 */
export type Margin = { where?: Record<string, string>; by?: DimensionKey };

/**
 * How a table's cells relate to another table (or to itself).
 * - `sum`: these cells, summed as `cells` says, equal the margin of `table` — the linear
 *   equations disclosure control protects across tables. `map` renames this table's codes to
 *   the other's first (and keeps only the mapped ones); `subset`: only the codes this table has.
 * - `at_most`: each cell is at most the same cell of `table` (a subset of its persons).
 * - `at_least`: the cells' total is at least the margin of `table` (a person may be counted in
 *   several cells, e.g. several industries).
 */
export type Relation =
  | { kind: 'sum'; cells: Margin; table: TableId; margin: Margin; map?: Record<string, string>; subset?: true }
  | { kind: 'at_most'; table: TableId }
  | { kind: 'at_least'; cells: Margin; table: TableId; margin: Margin };

/** A consistency rule: given the table, the report's other tables and the number of persons, what breaks it. */
export type Rule = { id: string; what: string; broken: (t: ReportTable, other: (id: TableId) => ReportTable | undefined, all: number) => string[] };

/**
 * What other code reads a table for, so that it names the role and never the table's id (an id
 * is written here only): the engine, the checks, the printed report's text and the web app's key
 * figures ask the catalogue which table plays a role (`tableWith`, or `role` in /api/codes).
 * - `persons`: every person of the year by crime type, person group and age group — the totals
 *   the other tables are checked against, and the key figures;
 * - `forms`, `top_nationalities`, `referrers`, `industries`, `relatives`, `inspections`: the tables
 *   the printed report's running text and the web app's key figures are written from;
 * - `years`: the trend, counted from releases and printed series rather than the year's counts.
 */
export const roles = ['persons', 'forms', 'industries', 'top_nationalities', 'referrers', 'relatives', 'inspections', 'years'] as const;
export type Role = (typeof roles)[number];

/** What a table counts: persons of the year, related children, or years (the trend). */
export type Unit = 'person' | 'child' | 'year';

/** The counts a table is read from: one pass's aggregates and their margins. */
export type Counts = { agg: Aggregates; mg: Margins; settings: ReportSettings; n: number };
export type TableBody = { rows: ReportRow[]; n_answered: number; n_missing: number };

export type TableDeclaration = {
  title: Label;
  /** At most 31 characters: sheet names. */
  short: Label;
  /** Row dimensions, and the column dimension of a cross table. */
  rows: readonly DimensionKey[];
  column?: DimensionKey;
  unit: Unit;
  /** `percent` on each row: of every person of the year, rounded half-up to a whole percent. */
  percent?: 'of_all';
  /** n_answered + n_missing is every person of the year. */
  coversAll?: true;
  /** Internal outputs only (never public, never in a release's public report). */
  internal?: true;
  /** What other code reads this table for; each role belongs to one table. */
  role?: Role;
  /**
   * Where the printed report shows it: its section, its place among all printed tables, and its
   * number ("Tabell 2"): the 2025 printed report's own number where it prints the table (1–3),
   * then 4, 5, … in print order for the tables it leaves out. PDF, web page and XLSX print it.
   */
  printed?: { section: Section; order: number; number: number };
  figures?: readonly Figure[];
  relations: readonly Relation[];
  /** Rules a relation does not state; each returns what breaks it (empty when met). */
  rules?: readonly Rule[];
  /** Read off the counts; the trend is read off its points instead (see engine.ts). */
  read?: (k: Counts) => TableBody;
};

const NC = CATEGORIES.length;
const NS = SEXES.length;
const PERSON_GROUPS = c.personGroup.codes;
const SEX_UNKNOWN = SEXES.indexOf('unknown');
const AGE_CHILD = AGE_GROUPS.indexOf('child');

const sumOf = (a: ArrayLike<number>) => {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
};

/** Nonzero cells of a row-major a × b array as rows, in code order. */
function cells(counts: Int32Array, aKey: string, aCodes: readonly string[], bKey: string, bCodes: readonly string[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (let i = 0; i < aCodes.length; i++)
    for (let j = 0; j < bCodes.length; j++) {
      const v = counts[i * bCodes.length + j];
      if (v > 0) rows.push({ [aKey]: aCodes[i], [bKey]: bCodes[j], count: v });
    }
  return rows;
}

/** Known nationalities with their counts, most common first, ties by code. */
function rankedNationalities(agg: Aggregates): { code: string; index: number; count: number }[] {
  const out: { code: string; index: number; count: number }[] = [];
  for (let ni = 1; ni < agg.nationalities.length; ni++) {
    const count = sumOf(agg.nationality.subarray(ni * NC, (ni + 1) * NC));
    if (count > 0) out.push({ code: agg.nationalities[ni], index: ni, count });
  }
  return out.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const natUnknownOf = (agg: Aggregates) => sumOf(agg.nationality.subarray(0, NC));

/** Industry × sex over persons with labour exploitation; answered: a known industry and a known sex. */
function industryBody(counts: Int32Array, persons: Int32Array): TableBody {
  const answered = sumOf(persons.subarray(NS)) - persons[NS + SEX_UNKNOWN];
  return { rows: cells(counts, 'industry', INDUSTRIES, 'sex', SEXES), n_answered: answered, n_missing: sumOf(persons) - answered };
}

const all: Margin = { where: { dimension: 'all' } };
const totalsBy = (dimension: string): Margin => ({ where: { dimension }, by: 'code' });
const sumEquals = (by: DimensionKey | undefined, table: TableId, margin: Margin): Relation => ({ kind: 'sum', cells: by ? { by } : {}, table, margin });
const formsOf = (r: ReportRow) => String(r.combination).split('+');
const total = (rows: readonly ReportRow[]) => rows.reduce((t, r) => t + r.count, 0);

const declarations = {
  totals: {
    title: { sv: 'Antal identifierade personer', en: 'Number of identified persons' },
    short: { sv: 'Totalt', en: 'Totals' },
    rows: ['dimension', 'code'],
    unit: 'person',
    role: 'persons',
    relations: ['crime_type', 'group', 'age_group'].map((d): Relation => ({ kind: 'sum', cells: { where: { dimension: d } }, table: 'totals', margin: all })),
    // Everyone is counted in `totals`; what is unknown shows in its own rows.
    read: ({ mg, n }) => {
      const rows: ReportRow[] = [{ dimension: 'all', code: 'all', count: n }];
      const add = (dimension: string, codes: readonly string[], counts: Int32Array) =>
        codes.forEach((code, i) => counts[i] > 0 && rows.push({ dimension, code, count: counts[i] }));
      add('crime_type', CRIME_TYPES, mg.byCrime);
      add('group', PERSON_GROUPS, mg.byGroup);
      add('age_group', AGE_GROUPS, mg.byAge);
      return { rows, n_answered: n, n_missing: 0 };
    },
  },
  category: {
    title: { sv: 'Exploateringsform', en: 'Form of exploitation' },
    short: { sv: 'Exploateringsform', en: 'Form of exploitation' },
    rows: ['category'],
    unit: 'person',
    role: 'forms',
    percent: 'of_all',
    coversAll: true,
    printed: { section: 'forms', order: 2, number: 4 },
    relations: [sumEquals(undefined, 'totals', all)],
    read: ({ mg, n }) => ({
      rows: CATEGORIES.flatMap((code, i) => (mg.byCat[i] > 0 ? [{ category: code, count: mg.byCat[i], percent: percentOf(mg.byCat[i], n) }] : [])),
      n_answered: n - mg.byCat[CAT_UNKNOWN],
      n_missing: mg.byCat[CAT_UNKNOWN],
    }),
  },
  form_by_group: {
    title: {
      sv: 'Fördelning av vuxna kvinnor och män samt flickor och pojkar per exploateringsform',
      en: 'Adult women and men, girls and boys by form of exploitation',
    },
    short: { sv: 'Form per kön och ålder', en: 'Form by sex and age' },
    rows: ['category'],
    column: 'group',
    unit: 'person',
    coversAll: true,
    printed: { section: 'forms', order: 1, number: 1 },
    figures: [
      {
        id: 'fig1',
        title: {
          sv: 'Figur 1. Antal identifierade personer per exploateringsform uppdelat på kvinnor och män, inkluderat flickor och pojkar',
          en: 'Figure 1. Identified persons by form of exploitation, women and men including girls and boys',
        },
        kind: 'bars',
        label: 'category',
        series: 'sex',
      },
    ],
    relations: [sumEquals('category', 'category', { by: 'category' }), sumEquals('group', 'totals', totalsBy('group'))],
    read: ({ mg, n }) => ({ rows: cells(mg.catGroup, 'category', CATEGORIES, 'group', PERSON_GROUPS), n_answered: n - mg.missing.catGroup, n_missing: mg.missing.catGroup }),
  },
  crime_by_group: {
    title: { sv: 'Brottstyp per kön och ålder', en: 'Type of crime by sex and age' },
    short: { sv: 'Brottstyp per kön och ålder', en: 'Crime by sex and age' },
    rows: ['crime_type'],
    column: 'group',
    unit: 'person',
    coversAll: true,
    printed: { section: 'sex', order: 4, number: 6 },
    relations: [sumEquals('crime_type', 'totals', totalsBy('crime_type')), sumEquals('group', 'totals', totalsBy('group'))],
    read: ({ mg, n }) => ({ rows: cells(mg.crimeGroup, 'crime_type', CRIME_TYPES, 'group', PERSON_GROUPS), n_answered: n - mg.missing.crimeGroup, n_missing: mg.missing.crimeGroup }),
  },
  form_by_crime: {
    title: { sv: 'Exploateringsform per brottstyp', en: 'Form of exploitation by type of crime' },
    short: { sv: 'Form per brottstyp', en: 'Form by type of crime' },
    rows: ['category'],
    column: 'crime_type',
    unit: 'person',
    coversAll: true,
    printed: { section: 'sex', order: 5, number: 7 },
    relations: [sumEquals('category', 'category', { by: 'category' }), sumEquals('crime_type', 'totals', totalsBy('crime_type'))],
    read: ({ mg, n }) => ({ rows: cells(mg.catCrime, 'category', CATEGORIES, 'crime_type', CRIME_TYPES), n_answered: n - mg.missing.catCrime, n_missing: mg.missing.catCrime }),
  },
  multiple_combinations: {
    title: { sv: 'Multipel exploatering per kombination av exploateringsformer och kön', en: 'Multiple exploitation by combination of forms and sex' },
    short: { sv: 'Multipel – kombinationer', en: 'Multiple – combinations' },
    rows: ['combination'],
    column: 'sex',
    unit: 'person',
    printed: { section: 'multiple', order: 6, number: 8 },
    figures: [
      {
        id: 'fig3',
        title: {
          sv: 'Figur 3. Antal identifierade personer utsatta för multipel exploatering uppdelat på kombination av exploateringsformer',
          en: 'Figure 3. Persons exposed to multiple exploitation by combination of forms',
        },
        kind: 'bars',
        label: 'combination',
        series: 'sex',
      },
    ],
    relations: [sumEquals(undefined, 'category', { where: { category: 'multiple' } })],
    rules: [{ id: 'forms', what: 'every combination has two or more forms', broken: (t) => t.rows.filter((r) => formsOf(r).length < 2).map((r) => String(r.combination)) }],
    read: ({ mg }) => {
      const combos = [...mg.combos].map(([mask, bySex]) => ({ code: combinationOfMask(mask), bySex, total: sumOf(bySex) }));
      combos.sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : 1));
      const rows: ReportRow[] = [];
      for (const k of combos) SEXES.forEach((s, i) => k.bySex[i] > 0 && rows.push({ combination: k.code, sex: s, count: k.bySex[i] }));
      return { rows, n_answered: mg.byCat[CAT_MULTIPLE] - mg.missing.combos, n_missing: mg.missing.combos };
    },
  },
  industry_by_sex: {
    title: { sv: 'Arbetskraftsexploatering per bransch och kön', en: 'Labour exploitation by industry and sex' },
    short: { sv: 'Bransch per kön', en: 'Industry by sex' },
    rows: ['industry'],
    column: 'sex',
    unit: 'person',
    role: 'industries',
    printed: { section: 'industry', order: 10, number: 12 },
    figures: [
      {
        id: 'industry',
        title: {
          sv: 'Antal personer utsatta för arbetskraftsexploatering (även multipel) per bransch och kön',
          en: 'Persons exposed to labour exploitation (including multiple) by industry and sex',
        },
        kind: 'bars',
        label: 'industry',
        series: 'sex',
      },
    ],
    // A person with labour exploitation counts once in every industry of the case.
    relations: [{ kind: 'at_least', cells: {}, table: 'category', margin: { where: { category: 'labour' } } }],
    rules: [
      {
        id: 'cases',
        what: 'industry_by_sex covers every case with labour, each in one row or more',
        broken: (t, other) => {
          const combos = other('multiple_combinations')?.rows ?? [];
          const labour = total((other('category')?.rows ?? []).filter((r) => r.category === 'labour')) + total(combos.filter((r) => formsOf(r).includes('labour')));
          return [
            ...(t.n_answered + t.n_missing !== labour ? [`labour cases: ${t.n_answered + t.n_missing} ≠ ${labour}`] : []),
            ...(total(t.rows) < labour ? [`${total(t.rows)} < ${labour}`] : []),
          ];
        },
      },
    ],
    read: ({ agg }) => industryBody(agg.industry, agg.labour),
  },
  multiple_industry_by_sex: {
    title: {
      sv: 'Multipel exploatering innehållande arbetskraftsexploatering per bransch och kön',
      en: 'Multiple exploitation including labour exploitation by industry and sex',
    },
    short: { sv: 'Multipel – bransch per kön', en: 'Multiple – industry by sex' },
    rows: ['industry'],
    column: 'sex',
    unit: 'person',
    printed: { section: 'multiple', order: 7, number: 9 },
    figures: [
      {
        id: 'fig5',
        title: {
          sv: 'Figur 5. Antal personer utsatta för multipel exploatering innehållande arbetskraftsexploatering uppdelat på kön och bransch',
          en: 'Figure 5. Persons exposed to multiple exploitation including labour, by sex and industry',
        },
        kind: 'bars',
        label: 'industry',
        series: 'sex',
      },
    ],
    relations: [{ kind: 'at_most', table: 'industry_by_sex' }],
    read: ({ agg }) => industryBody(agg.multipleIndustry, agg.multipleLabour),
  },
  children_by_form: {
    title: { sv: 'Exploateringsform för minderåriga per kön', en: 'Form of exploitation of children by sex' },
    short: { sv: 'Barn per exploateringsform', en: 'Children by form' },
    rows: ['category'],
    column: 'sex',
    unit: 'person',
    printed: { section: 'children', order: 8, number: 10 },
    figures: [
      {
        id: 'fig6',
        title: { sv: 'Figur 6. Fördelning av exploateringsform för minderåriga flickor', en: 'Figure 6. Forms of exploitation of girls' },
        kind: 'bars',
        label: 'category',
        series: { dimension: 'group', code: 'girl' },
        where: { sex: 'female' },
      },
      {
        id: 'fig7',
        title: { sv: 'Figur 7. Fördelning av exploateringsform för minderåriga pojkar', en: 'Figure 7. Forms of exploitation of boys' },
        kind: 'bars',
        label: 'category',
        series: { dimension: 'group', code: 'boy' },
        where: { sex: 'male' },
      },
    ],
    relations: [
      sumEquals(undefined, 'totals', { where: { dimension: 'age_group', code: 'child' } }),
      { kind: 'sum', cells: { by: 'sex' }, table: 'totals', margin: totalsBy('group'), map: { female: 'girl', male: 'boy' } },
    ],
    read: ({ mg }) => {
      const nChildren = mg.byAge[AGE_CHILD];
      return { rows: cells(mg.childCatSex, 'category', CATEGORIES, 'sex', SEXES), n_answered: nChildren - mg.missing.childCatSex, n_missing: mg.missing.childCatSex };
    },
  },
  referrer: {
    title: { sv: 'Hänvisande aktör', en: 'Referring actor' },
    short: { sv: 'Hänvisande aktör', en: 'Referring actor' },
    rows: ['referred_by'],
    unit: 'person',
    role: 'referrers',
    percent: 'of_all',
    coversAll: true,
    printed: { section: 'referrer', order: 12, number: 2 },
    figures: [
      {
        id: 'referrer',
        title: { sv: 'Hänvisande aktör: antal och andel av ärendena', en: 'Referring actor: number and share of cases' },
        kind: 'bars',
        label: 'referred_by',
        series: 'single',
        withPercent: true,
      },
    ],
    relations: [sumEquals(undefined, 'totals', all)],
    read: ({ agg, n }) => {
      const rows = REFERRERS.map((code, i) => ({ code, i, count: agg.referrer[i] }))
        .filter((r) => r.count > 0)
        .sort((a, b) => b.count - a.count || a.i - b.i)
        .map((r): ReportRow => ({ referred_by: r.code, count: r.count, percent: percentOf(r.count, n) }));
      const unknown = agg.referrer[REFERRER_UNKNOWN];
      return { rows, n_answered: n - unknown, n_missing: unknown };
    },
  },
  nationality: {
    title: { sv: 'Medborgarskap för utsatta vuxna och barn', en: 'Citizenship of adults and children' },
    short: { sv: 'Medborgarskap', en: 'Citizenship' },
    rows: ['nationality'],
    unit: 'person',
    coversAll: true,
    relations: [sumEquals(undefined, 'totals', all)],
    read: ({ agg, n }) => {
      const unknown = natUnknownOf(agg);
      const rows: ReportRow[] = rankedNationalities(agg).map((r) => ({ nationality: r.code, count: r.count }));
      if (unknown > 0) rows.push({ nationality: 'unknown', count: unknown });
      return { rows, n_answered: n - unknown, n_missing: unknown };
    },
  },
  nationality_top: {
    title: { sv: 'De tio vanligaste nationaliteterna', en: 'The ten most common nationalities' },
    short: { sv: 'Tio vanligaste nationaliteter', en: 'Ten most common nationalities' },
    rows: ['nationality'],
    unit: 'person',
    role: 'top_nationalities',
    coversAll: true,
    printed: { section: 'nationality', order: 13, number: 3 },
    figures: [
      { id: 'fig8', title: { sv: 'Figur 8. De tio vanligaste nationaliteterna', en: 'Figure 8. The ten most common nationalities' }, kind: 'bars', label: 'nationality', series: 'single' },
    ],
    relations: [{ kind: 'sum', cells: { by: 'nationality' }, table: 'nationality', margin: { by: 'nationality' }, subset: true }],
    rules: [
      {
        id: 'ten',
        what: 'the 10 most common known nationalities, ties at 10th kept',
        broken: (t, other) => {
          const known = (other('nationality')?.rows ?? []).filter((r) => r.nationality !== 'unknown').map((r) => r.count);
          const cut = t.rows.length ? Math.min(...t.rows.map((r) => r.count)) : Infinity;
          const wanted = known.filter((k) => k >= cut).length;
          return [
            ...t.rows.filter((r) => r.nationality === 'unknown').map(() => 'unknown'),
            ...(t.rows.length !== wanted ? [`${t.rows.length} rows ≠ ${wanted} with count ≥ ${cut}`] : []),
            ...(t.rows.length < Math.min(10, known.length) ? [`${t.rows.length} rows`] : []),
          ];
        },
      },
    ],
    read: ({ agg, n }) => {
      const unknown = natUnknownOf(agg);
      return { rows: topWithTies(rankedNationalities(agg), 10).map((r) => ({ nationality: r.code, count: r.count })), n_answered: n - unknown, n_missing: unknown };
    },
  },
  nationality_top3_by_form: {
    title: { sv: 'Exploateringsform för de tre vanligaste nationaliteterna', en: 'Form of exploitation of the three most common nationalities' },
    short: { sv: 'Tre vanligaste – form', en: 'Top three – form' },
    rows: ['category'],
    column: 'nationality',
    unit: 'person',
    printed: { section: 'nationality', order: 14, number: 14 },
    relations: [{ kind: 'sum', cells: { by: 'nationality' }, table: 'nationality', margin: { by: 'nationality' }, subset: true }],
    // Ties at third place are kept, as in nationality_top.
    read: ({ agg }) => {
      const rows: ReportRow[] = [];
      let total = 0;
      let missing = 0;
      for (const r of topWithTies(rankedNationalities(agg), 3)) {
        total += r.count;
        missing += agg.nationality[r.index * NC + CAT_UNKNOWN];
        CATEGORIES.forEach((cat, ci) => {
          const v = agg.nationality[r.index * NC + ci];
          if (v > 0) rows.push({ nationality: r.code, category: cat, count: v });
        });
      }
      return { rows, n_answered: total - missing, n_missing: missing };
    },
  },
  related_children: {
    title: { sv: 'Närstående barn till utsatta', en: 'Related children of exploited persons' },
    short: { sv: 'Närstående barn', en: 'Related children' },
    rows: ['location'],
    column: 'age_band',
    unit: 'child',
    role: 'relatives',
    printed: { section: 'related', order: 9, number: 11 },
    relations: [],
    rules: [
      {
        id: 'sum',
        what: 'related_children = answered + missing',
        broken: (t) => {
          const sum = total(t.rows);
          return sum === t.n_answered + t.n_missing ? [] : [`children: ${sum} ≠ ${t.n_answered + t.n_missing}`];
        },
      },
    ],
    // Counted in children, not persons: answered = children of known age band.
    read: ({ agg }) => {
      const bandUnknown = CHILD_AGE_BANDS.indexOf('unknown');
      let unknown = 0;
      CHILD_LOCATIONS.forEach((_, li) => (unknown += agg.children[li * CHILD_AGE_BANDS.length + bandUnknown]));
      return { rows: cells(agg.children, 'location', CHILD_LOCATIONS, 'age_band', CHILD_AGE_BANDS), n_answered: sumOf(agg.children) - unknown, n_missing: unknown };
    },
  },
  workplace_inspection: {
    title: {
      sv: 'Ärenden upptäckta genom myndighetsgemensam samverkan mot arbetslivskriminalitet',
      en: 'Cases found through joint inter-agency work against work-related crime',
    },
    short: { sv: 'Arbetsplatsinspektioner', en: 'Workplace inspections' },
    rows: ['category'],
    unit: 'person',
    role: 'inspections',
    coversAll: true,
    printed: { section: 'inspection', order: 11, number: 13 },
    // The persons found through an inspection are some of those who answered, and of their form.
    relations: [{ kind: 'at_most', table: 'category' }],
    rules: [
      {
        id: 'answered',
        what: 'workplace_inspection ≤ answered',
        broken: (t) => (total(t.rows) <= t.n_answered ? [] : [`${total(t.rows)} > ${t.n_answered}`]),
      },
    ],
    read: ({ agg, n }) => {
      const yes = agg.workplace.subarray(2 * NC, 3 * NC);
      const unanswered = sumOf(agg.workplace.subarray(0, NC));
      return {
        rows: CATEGORIES.flatMap((cat, ci) => (yes[ci] > 0 ? [{ category: cat, count: yes[ci] }] : [])),
        n_answered: n - unanswered,
        n_missing: unanswered,
      };
    },
  },
  region: {
    title: { sv: 'Exploateringsform per region', en: 'Form of exploitation by region' },
    short: { sv: 'Region', en: 'Region' },
    rows: ['category'],
    column: 'region',
    unit: 'person',
    coversAll: true,
    internal: true,
    relations: [sumEquals('category', 'category', { by: 'category' }), sumEquals(undefined, 'totals', all)],
    read: ({ agg, n }) => {
      let missing = sumOf(agg.region.subarray(REGION_UNKNOWN * NC, (REGION_UNKNOWN + 1) * NC));
      for (let r = 0; r < REGIONS.length; r++) if (r !== REGION_UNKNOWN) missing += agg.region[r * NC + CAT_UNKNOWN];
      return { rows: cells(agg.region, 'region', REGIONS, 'category', CATEGORIES), n_answered: n - missing, n_missing: missing };
    },
  },
  trend: {
    title: { sv: 'Antal ärenden per år', en: 'Number of cases per year' },
    short: { sv: 'Utveckling över tid', en: 'Trend' },
    rows: ['year', 'source'],
    column: 'measure',
    unit: 'year',
    role: 'years',
    printed: { section: 'forms', order: 3, number: 5 },
    figures: [
      {
        id: 'fig2',
        title: {
          sv: 'Figur 2. Antal ärenden totalt samt ärenden av arbetskraftsexploatering och sexuell exploatering',
          en: 'Figure 2. Cases in total, and cases of labour and sexual exploitation',
        },
        kind: 'line',
        measures: ['total', 'labour', 'sexual'],
      },
    ],
    relations: [],
  },
} satisfies Record<TableId, TableDeclaration>;

export type TableSpec = TableDeclaration & { id: TableId };

/** Every table in the report's order. */
export const catalogue: readonly TableSpec[] = tableIds.map((id) => ({ id, ...(declarations[id] as TableDeclaration) }));
const byId = new Map(catalogue.map((t) => [t.id, t]));

export function tableSpec(id: TableId): TableSpec {
  const spec = byId.get(id);
  if (!spec) throw new Error(`no table ${id} in the catalogue`);
  return spec;
}

const byRole = new Map<Role, TableId>();
for (const t of catalogue) {
  if (!t.role) continue;
  if (byRole.has(t.role)) throw new Error(`role ${t.role} declared by ${byRole.get(t.role)} and ${t.id}`);
  byRole.set(t.role, t.id);
}

/** The table that plays a role (see `Role`). */
export function tableWith(role: Role): TableId {
  const id = byRole.get(role);
  if (!id) throw new Error(`no table has the role ${role} in the catalogue`);
  return id;
}

export function isTableId(id: string): id is TableId {
  return byId.has(id as TableId);
}

/** The tables read off the year's counts (all but the trend), region only when asked for. */
export function tablesFromCounts(agg: Aggregates, settings: ReportSettings, options: { includeRegion?: boolean } = {}) {
  const k: Counts = { agg, mg: margins(agg, settings), settings, n: agg.n };
  return catalogue
    .filter((t) => t.read && (!t.internal || options.includeRegion))
    .map((t) => ({ id: t.id, ...t.read!(k) }));
}

/** The tables of the printed report in print order, numbered 1, 2, … among those a report has. */
export function printedOrder(ids: readonly TableId[]): TableSpec[] {
  const present = new Set(ids);
  return catalogue.filter((t) => t.printed && present.has(t.id)).sort((a, b) => a.printed!.order - b.printed!.order);
}

/** The catalogue as a JSON document (served in /api/codes): no functions, only what a reader needs. */
export function catalogueDocument() {
  return {
    tables: catalogue.map((t) => ({
      id: t.id,
      title: t.title,
      short: t.short,
      rows: t.rows,
      column: t.column ?? null,
      unit: t.unit,
      percent: t.percent ?? null,
      internal: t.internal ?? false,
      role: t.role ?? null,
      printed: t.printed ?? null,
      figures: (t.figures ?? []).map((f) => ({ id: f.id, title: f.title, kind: f.kind })),
      relations: t.relations,
    })),
    dimensions: Object.fromEntries(Object.entries(dimensions as Record<string, Dimension>).map(([k, d]) => [k, { heading: d.heading, list: d.list ?? null, codes: d.codes ?? {}, fixed: d.fixed ?? [] }])),
    values: valueHeadings,
  };
}
export type CatalogueDocument = ReturnType<typeof catalogueDocument>;
