// The report's tables from a cube: one pass over the rows fills a few small count arrays,
// and every table is read off those arrays (docs/annual-report.md, "The tables").
import * as c from '../standard/codes.ts';
import { personGroupOf } from '../standard/derive.ts';
import type { ReportRow, ReportSettings, ReportTable } from './report-types.ts';
import {
  AGE_GROUPS,
  CATEGORIES,
  CAT_MULTIPLE,
  CAT_UNKNOWN,
  CHILD_AGE_BANDS,
  CHILD_LOCATIONS,
  CRIME_TYPES,
  CRIME_UNKNOWN,
  FORM_MASKS,
  INDUSTRIES,
  INDUSTRY_UNKNOWN,
  LABOUR_BIT,
  REFERRERS,
  REFERRER_UNKNOWN,
  REGIONS,
  REGION_UNKNOWN,
  SEXES,
  categoryOfMask,
  combinationOfMask,
  type Cube,
} from './cube.ts';

export const defaultSettings: ReportSettings = { unknown_age_as_adult: true };

const NC = CATEGORIES.length;
const NX = CRIME_TYPES.length;
const NS = SEXES.length;
const NA = AGE_GROUPS.length;
const NI = INDUSTRIES.length;
const PERSON_GROUPS = c.personGroup.codes;
const NG = PERSON_GROUPS.length;
const SEX_UNKNOWN = SEXES.indexOf('unknown');
const AGE_CHILD = AGE_GROUPS.indexOf('child');
const AGE_ADULT = AGE_GROUPS.indexOf('adult');
const AGE_UNKNOWN = AGE_GROUPS.indexOf('unknown');
const INDUSTRY_UNKNOWN_BIT = 1 << INDUSTRY_UNKNOWN;

/**
 * The counts of one pass over a cube. `main` is indexed by form bitmask × crime type × sex ×
 * age group; `workplace`, `region` and `nationality` by their code × category; `industry` by
 * industry × sex over cases with labour (`multipleIndustry`: multiple cases only);
 * `labour` by (has a known industry) × sex; `children` by location × age band.
 */
export type Aggregates = {
  n: number;
  nationalities: string[];
  main: Int32Array;
  referrer: Int32Array;
  workplace: Int32Array;
  region: Int32Array;
  nationality: Int32Array;
  industry: Int32Array;
  multipleIndustry: Int32Array;
  labour: Int32Array;
  multipleLabour: Int32Array;
  children: Int32Array;
  repeatedKeys: number;
};

/** Counts every combination the tables need in one pass over the cube. */
export function aggregate(cube: Cube): Aggregates {
  const { n, forms, crime, sex, age, referrer, workplace, region, nationality, industries } = cube;
  const main = new Int32Array(FORM_MASKS * NX * NS * NA);
  const ref = new Int32Array(REFERRERS.length);
  const wp = new Int32Array(3 * NC);
  const reg = new Int32Array(REGIONS.length * NC);
  const nat = new Int32Array(cube.nationalities.length * NC);
  const ind = new Int32Array(NI * NS);
  const mind = new Int32Array(NI * NS);
  const lab = new Int32Array(2 * NS);
  const mlab = new Int32Array(2 * NS);
  for (let i = 0; i < n; i++) {
    const m = forms[i];
    const s = sex[i];
    const cat = categoryOfMask[m];
    main[((m * NX + crime[i]) * NS + s) * NA + age[i]]++;
    ref[referrer[i]]++;
    wp[workplace[i] * NC + cat]++;
    reg[region[i] * NC + cat]++;
    nat[nationality[i] * NC + cat]++;
    if (m & LABOUR_BIT) {
      const multiple = cat === CAT_MULTIPLE;
      let im = industries[i];
      const known = (im & ~INDUSTRY_UNKNOWN_BIT) !== 0 ? NS : 0;
      lab[known + s]++;
      if (multiple) mlab[known + s]++;
      // An unanswered industry counts in the `unknown` row, so every labour case appears.
      if (im === 0) im = INDUSTRY_UNKNOWN_BIT;
      for (; im !== 0; im &= im - 1) {
        const b = 31 - Math.clz32(im & -im);
        ind[b * NS + s]++;
        if (multiple) mind[b * NS + s]++;
      }
    }
  }
  const children = new Int32Array(CHILD_LOCATIONS.length * CHILD_AGE_BANDS.length);
  for (const code of cube.child) children[code]++;
  return {
    n,
    nationalities: cube.nationalities,
    main,
    referrer: ref,
    workplace: wp,
    region: reg,
    nationality: nat,
    industry: ind,
    multipleIndustry: mind,
    labour: lab,
    multipleLabour: mlab,
    children,
    repeatedKeys: cube.repeatedKeys,
  };
}

/** Percent of `total`, rounded half-up to a whole percent (integer arithmetic, no float ties). */
export function percentOf(count: number, total: number): number {
  return total === 0 ? 0 : Math.floor((200 * count + total) / (2 * total));
}

/** Person group index of each sex × age group under the settings. */
function groupTable(settings: ReportSettings): Uint8Array {
  const out = new Uint8Array(NS * NA);
  for (let s = 0; s < NS; s++)
    for (let a = 0; a < NA; a++)
      out[s * NA + a] = PERSON_GROUPS.indexOf(personGroupOf(SEXES[s], AGE_GROUPS[a], settings.unknown_age_as_adult));
  return out;
}
const GROUP_MISSING = PERSON_GROUPS.map((g) => g === 'unknown' || g === 'age_unknown');

/** The margins of `main` that most tables are read from, with their missing counts. */
export type Margins = {
  n: number;
  byCat: Int32Array;
  byCrime: Int32Array;
  byGroup: Int32Array;
  byAge: Int32Array;
  catGroup: Int32Array;
  crimeGroup: Int32Array;
  catCrime: Int32Array;
  childCatSex: Int32Array;
  combos: Map<number, Int32Array>;
  missing: { catGroup: number; crimeGroup: number; catCrime: number; childCatSex: number; combos: number };
};

/** Sums `main` into the one- and two-way margins the person tables use. */
export function margins(agg: Aggregates, settings: ReportSettings): Margins {
  const group = groupTable(settings);
  const byCat = new Int32Array(NC);
  const byCrime = new Int32Array(NX);
  const byGroup = new Int32Array(NG);
  const byAge = new Int32Array(NA);
  const catGroup = new Int32Array(NC * NG);
  const crimeGroup = new Int32Array(NX * NG);
  const catCrime = new Int32Array(NC * NX);
  const childCatSex = new Int32Array(NC * NS);
  const combos = new Map<number, Int32Array>();
  const missing = { catGroup: 0, crimeGroup: 0, catCrime: 0, childCatSex: 0, combos: 0 };
  const { main } = agg;
  for (let m = 0; m < FORM_MASKS; m++) {
    const cat = categoryOfMask[m];
    const base = m * NX * NS * NA;
    let combo: Int32Array | undefined;
    for (let x = 0; x < NX; x++)
      for (let s = 0; s < NS; s++)
        for (let a = 0; a < NA; a++) {
          const v = main[base + (x * NS + s) * NA + a];
          if (v === 0) continue;
          const g = group[s * NA + a];
          byCat[cat] += v;
          byCrime[x] += v;
          byGroup[g] += v;
          byAge[a] += v;
          catGroup[cat * NG + g] += v;
          crimeGroup[x * NG + g] += v;
          catCrime[cat * NX + x] += v;
          if (cat === CAT_UNKNOWN || GROUP_MISSING[g]) missing.catGroup += v;
          if (x === CRIME_UNKNOWN || GROUP_MISSING[g]) missing.crimeGroup += v;
          if (cat === CAT_UNKNOWN || x === CRIME_UNKNOWN) missing.catCrime += v;
          if (a === AGE_CHILD) {
            childCatSex[cat * NS + s] += v;
            if (cat === CAT_UNKNOWN || s === SEX_UNKNOWN) missing.childCatSex += v;
          }
          if (cat === CAT_MULTIPLE) {
            if (!combo) combos.set(m, (combo = new Int32Array(NS)));
            combo[s] += v;
            if (s === SEX_UNKNOWN) missing.combos += v;
          }
        }
  }
  return { n: agg.n, byCat, byCrime, byGroup, byAge, catGroup, crimeGroup, catCrime, childCatSex, combos, missing };
}

/** The five trend measures of one year (docs/annual-report.md, `trend`). */
export type TrendMeasures = { total: number; adults: number; labour: number; sexual: number; children: number };
export const trendMeasureNames = ['total', 'adults', 'labour', 'sexual', 'children'] as const;

/** The trend measures from margins: adults include unknown age when `unknown_age_as_adult` is on. */
export function trendFromMargins(mg: Margins, settings: ReportSettings): TrendMeasures {
  return {
    total: mg.n,
    adults: mg.byAge[AGE_ADULT] + (settings.unknown_age_as_adult ? mg.byAge[AGE_UNKNOWN] : 0),
    labour: mg.byCat[CATEGORIES.indexOf('labour')],
    sexual: mg.byCat[CATEGORIES.indexOf('sexual')],
    children: mg.byAge[AGE_CHILD],
  };
}

const table = (id: ReportTable['id'], rows: ReportRow[], n_answered: number, n_missing: number): ReportTable => ({
  id,
  n_answered,
  n_missing,
  rows,
});

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

const sumOf = (a: ArrayLike<number>) => {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
};

/** Known nationalities with their counts, most common first, ties by code. */
function rankedNationalities(agg: Aggregates): { code: string; index: number; count: number }[] {
  const out: { code: string; index: number; count: number }[] = [];
  for (let ni = 1; ni < agg.nationalities.length; ni++) {
    const count = sumOf(agg.nationality.subarray(ni * NC, (ni + 1) * NC));
    if (count > 0) out.push({ code: agg.nationalities[ni], index: ni, count });
  }
  return out.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The first `k` of a ranked list, and every one tied with the k-th. */
export function topWithTies<T extends { count: number }>(ranked: readonly T[], k: number): T[] {
  if (ranked.length <= k) return [...ranked];
  const cut = ranked[k - 1].count;
  return ranked.filter((r, i) => i < k || r.count === cut);
}

/** Every table of the report except `trend`, from one pass's counts. */
export function tablesFromAggregates(
  agg: Aggregates,
  settings: ReportSettings,
  options: { includeRegion?: boolean } = {},
): ReportTable[] {
  const mg = margins(agg, settings);
  const n = agg.n;
  const tables: ReportTable[] = [];

  const totals: ReportRow[] = [{ dimension: 'all', code: 'all', count: n }];
  const add = (dimension: string, codes: readonly string[], counts: Int32Array) =>
    codes.forEach((code, i) => counts[i] > 0 && totals.push({ dimension, code, count: counts[i] }));
  add('crime_type', CRIME_TYPES, mg.byCrime);
  add('group', PERSON_GROUPS, mg.byGroup);
  add('age_group', AGE_GROUPS, mg.byAge);
  // Everyone is counted in `totals`; what is unknown shows in its own rows.
  tables.push(table('totals', totals, n, 0));

  const category: ReportRow[] = [];
  CATEGORIES.forEach((code, i) => mg.byCat[i] > 0 && category.push({ category: code, count: mg.byCat[i], percent: percentOf(mg.byCat[i], n) }));
  tables.push(table('category', category, n - mg.byCat[CAT_UNKNOWN], mg.byCat[CAT_UNKNOWN]));

  tables.push(table('form_by_group', cells(mg.catGroup, 'category', CATEGORIES, 'group', PERSON_GROUPS), n - mg.missing.catGroup, mg.missing.catGroup));
  tables.push(table('crime_by_group', cells(mg.crimeGroup, 'crime_type', CRIME_TYPES, 'group', PERSON_GROUPS), n - mg.missing.crimeGroup, mg.missing.crimeGroup));
  tables.push(table('form_by_crime', cells(mg.catCrime, 'category', CATEGORIES, 'crime_type', CRIME_TYPES), n - mg.missing.catCrime, mg.missing.catCrime));

  const combos = [...mg.combos].map(([mask, bySex]) => ({ code: combinationOfMask(mask), bySex, total: sumOf(bySex) }));
  combos.sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : 1));
  const comboRows: ReportRow[] = [];
  for (const k of combos) SEXES.forEach((s, i) => k.bySex[i] > 0 && comboRows.push({ combination: k.code, sex: s, count: k.bySex[i] }));
  const nMultiple = mg.byCat[CAT_MULTIPLE];
  tables.push(table('multiple_combinations', comboRows, nMultiple - mg.missing.combos, mg.missing.combos));

  // Answered: a known industry and a known sex.
  const industryTable = (id: ReportTable['id'], counts: Int32Array, cases: Int32Array) => {
    const answered = sumOf(cases.subarray(NS)) - cases[NS + SEX_UNKNOWN];
    tables.push(table(id, cells(counts, 'industry', INDUSTRIES, 'sex', SEXES), answered, sumOf(cases) - answered));
  };
  industryTable('industry_by_sex', agg.industry, agg.labour);
  industryTable('multiple_industry_by_sex', agg.multipleIndustry, agg.multipleLabour);

  const nChildren = mg.byAge[AGE_CHILD];
  tables.push(table('children_by_form', cells(mg.childCatSex, 'category', CATEGORIES, 'sex', SEXES), nChildren - mg.missing.childCatSex, mg.missing.childCatSex));

  const referrer = REFERRERS.map((code, i) => ({ code, i, count: agg.referrer[i] }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || a.i - b.i)
    .map((r): ReportRow => ({ referred_by: r.code, count: r.count, percent: percentOf(r.count, n) }));
  const refUnknown = agg.referrer[REFERRER_UNKNOWN];
  tables.push(table('referrer', referrer, n - refUnknown, refUnknown));

  const ranked = rankedNationalities(agg);
  const natUnknown = sumOf(agg.nationality.subarray(0, NC));
  const natRows: ReportRow[] = ranked.map((r) => ({ nationality: r.code, count: r.count }));
  if (natUnknown > 0) natRows.push({ nationality: 'unknown', count: natUnknown });
  tables.push(table('nationality', natRows, n - natUnknown, natUnknown));
  tables.push(table('nationality_top', topWithTies(ranked, 10).map((r) => ({ nationality: r.code, count: r.count })), n - natUnknown, natUnknown));

  // Ties at third place are kept, as in nationality_top.
  const top3Rows: ReportRow[] = [];
  let top3Total = 0;
  let top3Missing = 0;
  for (const r of topWithTies(ranked, 3)) {
    top3Total += r.count;
    top3Missing += agg.nationality[r.index * NC + CAT_UNKNOWN];
    CATEGORIES.forEach((cat, ci) => {
      const v = agg.nationality[r.index * NC + ci];
      if (v > 0) top3Rows.push({ nationality: r.code, category: cat, count: v });
    });
  }
  tables.push(table('nationality_top3_by_form', top3Rows, top3Total - top3Missing, top3Missing));

  // Counted in children, not persons: answered = children of known age band.
  const bandUnknown = CHILD_AGE_BANDS.indexOf('unknown');
  let childrenUnknown = 0;
  CHILD_LOCATIONS.forEach((_, li) => (childrenUnknown += agg.children[li * CHILD_AGE_BANDS.length + bandUnknown]));
  tables.push(table('related_children', cells(agg.children, 'location', CHILD_LOCATIONS, 'age_band', CHILD_AGE_BANDS), sumOf(agg.children) - childrenUnknown, childrenUnknown));

  const wpYes = agg.workplace.subarray(2 * NC, 3 * NC);
  const wpRows: ReportRow[] = [];
  CATEGORIES.forEach((cat, ci) => wpYes[ci] > 0 && wpRows.push({ category: cat, count: wpYes[ci] }));
  const wpUnanswered = sumOf(agg.workplace.subarray(0, NC));
  tables.push(table('workplace_inspection', wpRows, n - wpUnanswered, wpUnanswered));

  if (options.includeRegion) {
    let regMissing = sumOf(agg.region.subarray(REGION_UNKNOWN * NC, (REGION_UNKNOWN + 1) * NC));
    for (let r = 0; r < REGIONS.length; r++) if (r !== REGION_UNKNOWN) regMissing += agg.region[r * NC + CAT_UNKNOWN];
    tables.push(table('region', cells(agg.region, 'region', REGIONS, 'category', CATEGORIES), n - regMissing, regMissing));
  }
  return tables;
}

/** Every table of the report except `trend`, computed from a cube. */
export function computeTables(cube: Cube, settings: Partial<ReportSettings> = {}, options: { includeRegion?: boolean } = {}): ReportTable[] {
  return tablesFromAggregates(aggregate(cube), { ...defaultSettings, ...settings }, options);
}
