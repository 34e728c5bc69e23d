// Which cases each data-quality note counts, so the statistician can open them. Read from the same
// cube the notes' counts are summed from (checks.ts, qualityNotes), one case at a time; a property
// test holds the two together (every note's cases are exactly as many as its count).
import { personGroupOf } from '../standard/derive.ts';
import { EXPLOITATION, outside41b } from './checks.ts';
import { AGE_GROUPS, buildCube, CAT_UNKNOWN, categoryOfMask, CRIME_UNKNOWN, INDUSTRY_UNKNOWN, isCounted, LABOUR_BIT, REFERRER_UNKNOWN, REGION_UNKNOWN, SEXES, type StatsCase } from './cube.ts';
import type { ReportSettings } from './report-types.ts';

const AGE_UNKNOWN = AGE_GROUPS.indexOf('unknown');
const KNOWN_INDUSTRY = ~(1 << INDUSTRY_UNKNOWN);

/**
 * The ids of the counted cases of `year` behind each quality note, by note id. `possible_duplicates`
 * names every case after the first with a linkage key seen before in the year, as its count does.
 */
export function casesOfNotes(cases: readonly (StatsCase & { id: string })[], year: number, settings: ReportSettings): Record<string, string[]> {
  const counted = cases.filter((k) => isCounted(k, year));
  const cube = buildCube(counted, year);
  const out: Record<string, string[]> = {};
  const add = (note: string, i: number) => (out[note] ??= []).push(counted[i].id);
  const seen = new Set<string>();
  for (let i = 0; i < cube.n; i++) {
    const m = cube.forms[i];
    if (categoryOfMask[m] === CAT_UNKNOWN) add('form_unknown', i);
    if (cube.crime[i] === CRIME_UNKNOWN) add('crime_type_unknown', i);
    if (cube.crime[i] === EXPLOITATION && outside41b(m)) add('crime_type_form_mismatch', i);
    if (personGroupOf(SEXES[cube.sex[i]], AGE_GROUPS[cube.age[i]], settings.unknown_age_as_adult) === 'unknown') add('sex_unknown', i);
    if (cube.age[i] === AGE_UNKNOWN) add('age_unknown', i);
    if (cube.nationality[i] === 0) add('nationality_unknown', i);
    if (cube.referrer[i] === REFERRER_UNKNOWN) add('referrer_unknown', i);
    if (m & LABOUR_BIT && (cube.industries[i] & KNOWN_INDUSTRY) === 0) add('industry_unknown', i);
    if (cube.region[i] === REGION_UNKNOWN) add('region_unknown', i);
    const key = counted[i].linkage_key;
    if (key) {
      if (seen.has(key)) add('possible_duplicates', i);
      seen.add(key);
    }
    if (cube.workplace[i] === 0) add('workplace_inspection_unanswered', i);
  }
  return out;
}
