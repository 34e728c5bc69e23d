// The columnar cube: one release loaded into memory as typed arrays of small integer codes,
// so every table can be counted in one pass without touching the case objects again.
import * as c from '../standard/codes.ts';
import type { CaseData } from '../standard/case.ts';

/** A case as the statistics see it: the data-standard fields and, when known, its status. */
export type StatsCase = CaseData & { status?: c.CaseStatusCode };

function indexOf<C extends string>(codes: readonly C[]): Map<string, number> {
  return new Map(codes.map((code, i) => [code, i]));
}

/** The integer code of a value; a code outside the list is a bug upstream, never counted silently. */
function codeOf(index: Map<string, number>, value: string, field: string): number {
  const i = index.get(value);
  if (i === undefined) throw new Error(`statistics: a case has a code outside the data standard in ${field}`);
  return i;
}

// Integer codes are positions in the data standard's code lists, so code order is index order.
export const FORMS = c.exploitationForm.codes;
export const CATEGORIES = c.category.codes;
export const CRIME_TYPES = c.crimeType.codes;
export const SEXES = c.sex.codes;
export const AGE_GROUPS = c.ageGroup.codes;
export const REFERRERS = c.referredBy.codes;
export const INDUSTRIES = c.industry.codes;
/** Regions, then `unknown` for a record without one. */
export const REGIONS = [...c.region.codes, 'unknown'] as const;
export const CHILD_LOCATIONS = c.childLocation.codes;
export const CHILD_AGE_BANDS = c.childAgeBand.codes;

const formIndex = indexOf(FORMS);
const crimeIndex = indexOf(CRIME_TYPES);
const sexIndex = indexOf(SEXES);
const ageIndex = indexOf(AGE_GROUPS);
const referrerIndex = indexOf(REFERRERS);
const industryIndex = indexOf(INDUSTRIES);
const regionIndex = indexOf(REGIONS);
const locationIndex = indexOf(CHILD_LOCATIONS);
const bandIndex = indexOf(CHILD_AGE_BANDS);

export const CAT_MULTIPLE = CATEGORIES.indexOf('multiple');
export const CAT_UNKNOWN = CATEGORIES.indexOf('unknown');
export const CRIME_UNKNOWN = CRIME_TYPES.indexOf('unknown');
export const REFERRER_UNKNOWN = REFERRERS.indexOf('unknown');
export const REGION_UNKNOWN = REGIONS.indexOf('unknown');
export const INDUSTRY_UNKNOWN = INDUSTRIES.indexOf('unknown');
export const LABOUR_BIT = 1 << FORMS.indexOf('labour');
export const FORM_MASKS = 1 << FORMS.length;

/** Exploitation category index of each form bitmask (the data standard's rule, 3.5). */
export const categoryOfMask: Uint8Array = (() => {
  const out = new Uint8Array(FORM_MASKS);
  for (let m = 0; m < FORM_MASKS; m++) {
    const bits = popcount(m);
    out[m] = bits === 0 ? CAT_UNKNOWN : bits === 1 ? 31 - Math.clz32(m) : CAT_MULTIPLE;
  }
  return out;
})();

/** Number of set bits of a 32-bit integer. */
export function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** The combination code of a form bitmask: its form codes sorted alphabetically, joined by `+`. */
export function combinationOfMask(mask: number): string {
  return FORMS.filter((_, i) => mask & (1 << i))
    .sort()
    .join('+');
}

/**
 * One dataset in columns. Row i of every column is the same case. Codes are indices into the
 * lists above; `workplace` is 0 not answered, 1 no, 2 yes; `nationality` indexes
 * `nationalities`, whose entry 0 is the unknown nationality. Related children of case i are
 * `child[childStart[i] .. childStart[i+1])`, each `location * 3 + age_band`.
 */
export type Cube = {
  n: number;
  crime: Uint8Array;
  sex: Uint8Array;
  age: Uint8Array;
  forms: Uint16Array;
  industries: Uint32Array;
  nationality: Uint16Array;
  nationalities: string[];
  referrer: Uint8Array;
  workplace: Uint8Array;
  region: Uint8Array;
  childStart: Uint32Array;
  child: Uint8Array;
  /** Cases whose linkage key an earlier case of the dataset already has (possible duplicates). */
  repeatedKeys: number;
};

/** Whether a case is counted in the statistics of `year`: a coordinator case, not withdrawn, identified that year. */
export function isCounted(k: StatsCase, year: number | undefined): boolean {
  if (k.source !== 'coordinator' || k.status === 'withdrawn') return false;
  return year === undefined || Number(k.identified_on.slice(0, 4)) === year;
}

/** Loads the counted cases of a year (every year when `year` is left out) into a cube. */
export function buildCube(cases: readonly StatsCase[], year?: number): Cube {
  const cap = cases.length;
  const crime = new Uint8Array(cap);
  const sex = new Uint8Array(cap);
  const age = new Uint8Array(cap);
  const forms = new Uint16Array(cap);
  const industries = new Uint32Array(cap);
  const nationality = new Uint16Array(cap);
  const referrer = new Uint8Array(cap);
  const workplace = new Uint8Array(cap);
  const region = new Uint8Array(cap);
  const childStart = new Uint32Array(cap + 1);
  let child = new Uint8Array(Math.max(16, cap >> 2));
  const nationalities = ['unknown'];
  const natIndex = new Map<string, number>();
  const keys = new Set<string>();
  let repeatedKeys = 0;
  let n = 0;
  let nc = 0;
  for (let j = 0; j < cap; j++) {
    const k = cases[j];
    if (!isCounted(k, year)) continue;
    crime[n] = k.crime_type === null ? CRIME_UNKNOWN : codeOf(crimeIndex, k.crime_type, 'crime_type');
    sex[n] = codeOf(sexIndex, k.sex, 'sex');
    age[n] = codeOf(ageIndex, k.age_group, 'age_group');
    let m = 0;
    for (const f of k.exploitation_forms) m |= 1 << codeOf(formIndex, f, 'exploitation_forms');
    forms[n] = m;
    let im = 0;
    for (const ind of k.industries) im |= 1 << codeOf(industryIndex, ind, 'industries');
    industries[n] = im;
    if (k.nationality !== null) {
      let ni = natIndex.get(k.nationality);
      if (ni === undefined) {
        ni = nationalities.length;
        nationalities.push(k.nationality);
        natIndex.set(k.nationality, ni);
      }
      nationality[n] = ni;
    }
    referrer[n] = k.referred_by === null ? REFERRER_UNKNOWN : codeOf(referrerIndex, k.referred_by, 'referred_by');
    workplace[n] = k.workplace_inspection === null ? 0 : k.workplace_inspection ? 2 : 1;
    region[n] = k.region === null ? REGION_UNKNOWN : codeOf(regionIndex, k.region, 'region');
    if (k.linkage_key !== null) {
      if (keys.has(k.linkage_key)) repeatedKeys++;
      else keys.add(k.linkage_key);
    }
    const kids = k.related_children;
    if (nc + kids.length > child.length) {
      const grown = new Uint8Array(Math.max(child.length * 2, nc + kids.length));
      grown.set(child);
      child = grown;
    }
    for (const kid of kids)
      child[nc++] = codeOf(locationIndex, kid.location, 'related_children') * CHILD_AGE_BANDS.length + codeOf(bandIndex, kid.age_band, 'related_children');
    n++;
    childStart[n] = nc;
  }
  return {
    n,
    crime: crime.subarray(0, n),
    sex: sex.subarray(0, n),
    age: age.subarray(0, n),
    forms: forms.subarray(0, n),
    industries: industries.subarray(0, n),
    nationality: nationality.subarray(0, n),
    nationalities,
    referrer: referrer.subarray(0, n),
    workplace: workplace.subarray(0, n),
    region: region.subarray(0, n),
    childStart: childStart.subarray(0, n + 1),
    child: child.subarray(0, nc),
    repeatedKeys,
  };
}
