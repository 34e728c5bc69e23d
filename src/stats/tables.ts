// The one counting pass: a pass over a cube's rows fills a few small count arrays, and every
// table of the catalogue (catalogue.ts) is read off those arrays and their margins.
import * as c from '../standard/codes.ts';
import { personGroupOf } from '../standard/derive.ts';
import type { ReportSettings, ReportTable } from './report-types.ts';
import { tablesFromCounts } from './catalogue.ts';
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

/** The first `k` of a ranked list, and every one tied with the k-th. */
export function topWithTies<T extends { count: number }>(ranked: readonly T[], k: number): T[] {
  if (ranked.length <= k) return [...ranked];
  const cut = ranked[k - 1].count;
  return ranked.filter((r, i) => i < k || r.count === cut);
}

/** Every table of the report except `trend`, computed from a cube. */
export function computeTables(cube: Cube, settings: Partial<ReportSettings> = {}, options: { includeRegion?: boolean } = {}): ReportTable[] {
  return tablesFromCounts(aggregate(cube), { ...defaultSettings, ...settings }, options);
}
