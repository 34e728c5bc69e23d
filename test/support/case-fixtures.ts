// Valid cases for tests and the import benchmark, from a seeded generator (same seed, same cases).
import type { CaseInputIn } from '../../src/standard/case.ts';
import * as c from '../../src/standard/codes.ts';

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nationalities = ['RO', 'BG', 'NG', 'TH', 'SE', 'UA', 'VN', 'CN', 'AF', 'PL', 'HU', 'ER'];
const trafficForms = ['sexual', 'labour', 'criminality', 'begging', 'domestic_work', 'forced_marriage'] as const;
const exploitationForms = ['labour', 'begging', 'other'] as const;
const labourIndustries = c.industry.codes.filter((i) => i !== 'unknown');

/** One valid coordinator case; `overrides` replace fields. */
export function coordinatorCase(overrides: Partial<CaseInputIn> = {}): CaseInputIn {
  return {
    source: 'coordinator',
    region: 'stockholm',
    identified_on: '2025-03-14',
    crime_type: 'trafficking',
    sex: 'female',
    age: 24,
    age_group: 'adult',
    exploitation_forms: ['sexual'],
    nationality: 'RO',
    referred_by: 'police',
    ...overrides,
  };
}

/** A varied valid case of any source, drawn from `rand`. */
export function randomCase(rand: () => number, years: readonly number[] = [2023, 2024, 2025]): CaseInputIn {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const year = pick(years);
  const month = 1 + Math.floor(rand() * 10);
  const day = 1 + Math.floor(rand() * 28);
  const identified_on = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const sourceRoll = rand();
  const source = sourceRoll < 0.8 ? 'coordinator' : sourceRoll < 0.9 ? 'civil_society' : 'support_programme';
  const crime_type = source === 'coordinator' ? pick(['trafficking', 'trafficking', 'exploitation'] as const) : pick(c.crimeType.codes);
  const formPool = crime_type === 'exploitation' ? exploitationForms : trafficForms;
  const forms = [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(formPool)))];
  const age = rand() < 0.85 ? Math.floor(rand() * 60) + 10 : null;
  const age_group = age === null ? pick(['unknown', 'adult'] as const) : age < 18 ? 'child' : 'adult';
  const region = pick(c.region.codes);
  return {
    source,
    organisation_id: source === 'coordinator' ? null : source === 'civil_society' ? 'rk-syd' : 'rk-mitt',
    region: source === 'coordinator' ? region : null,
    identified_on,
    crime_type: source === 'coordinator' ? crime_type : rand() < 0.5 ? crime_type : null,
    sex: pick(['female', 'female', 'male', 'other', 'unknown'] as const),
    age,
    age_group,
    exploitation_forms: forms,
    industries: forms.includes('labour') && rand() < 0.7 ? [pick(labourIndustries)] : [],
    nationality: rand() < 0.9 ? pick(nationalities) : null,
    exploited_in_sweden: rand() < 0.7 ? 'yes' : null,
    exploitation_countries: rand() < 0.3 ? [pick(['SE', 'DE', 'NO'])] : [],
    referred_by: source === 'coordinator' ? pick(c.referredBy.codes) : null,
    workplace_inspection: forms.includes('labour') ? rand() < 0.3 : null,
    related_children: rand() < 0.1 ? [{ location: 'abroad', age_band: '0_11' }, { location: 'abroad', age_band: '0_11' }] : [],
    contact_type: source === 'civil_society' ? pick(c.contactType.codes) : null,
    ...(source === 'support_programme' ? { programme: 'nsp' as const, programme_status: 'granted' as const } : {}),
    support:
      rand() < 0.4
        ? {
            reflection_period: pick(c.applicationStatus.codes),
            police_report: pick(c.policeReport.codes),
            offence_reported: rand() < 0.5 ? ['trafficking'] : [],
            legal_status: pick(c.legalStatus.codes),
            social_services: [],
            civil_society_support: [],
            why_civil_society: [],
          }
        : null,
    linkage_key: rand() < 0.5 ? Math.floor(rand() * 1e12).toString(16).padStart(64, '0') : null,
  };
}

/** The header of `inventedCaseRows`' CSV. */
export const inventedCasesHeader =
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by,workplace_inspection,linkage_key';

/**
 * `n` invented coordinator cases of `year` as CSV rows, the same every time: the exploitation forms,
 * regions and nationalities taken in turn, a child every 11th, a person of unknown sex every 9th,
 * a workplace inspection for every other labour case. The browser tests of the public statistics
 * publish them, so that each of the report's tables and charts has figures to show.
 */
export function inventedCaseRows(
  year: number,
  n: number,
  lists: { forms?: readonly string[]; regions?: readonly string[]; nationalities?: readonly string[] } = {},
): string[] {
  const forms = lists.forms ?? ['labour', 'sexual', 'labour', 'begging', 'labour;sexual', 'criminality', 'labour', 'sexual'];
  const regions = lists.regions ?? ['stockholm', 'syd', 'vast', 'nord', 'mitt', 'ost', 'bergslagen'];
  const countries = lists.nationalities ?? ['RO', 'TH', 'NG', 'UA', 'BG', 'PL', 'VN', 'RO', 'TH', 'UA'];
  return Array.from({ length: n }, (_, i) => {
    const child = i % 11 === 3;
    const form = forms[i % forms.length];
    const month = String(1 + (i % 11)).padStart(2, '0');
    const day = String(1 + (i % 27)).padStart(2, '0');
    return [
      'coordinator',
      regions[i % regions.length],
      `${year}-${month}-${day}`,
      i % 3 ? 'exploitation' : 'trafficking',
      i % 9 === 4 ? 'unknown' : i % 2 ? 'male' : 'female',
      child ? '16' : String(20 + (i % 30)),
      child ? 'child' : 'adult',
      form,
      form.includes('labour') ? ['berry_picking', 'construction', 'cleaning'][i % 3] : '',
      countries[i % countries.length],
      i % 4 ? 'police' : 'migration_agency',
      form.includes('labour') && i % 2 ? 'true' : 'false',
      '',
    ].join(',');
  });
}
