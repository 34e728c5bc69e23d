// The figures the demo dataset reproduces: those printed in the coordinators' 2025 report,
// with the report's own contradictions resolved as the published figures file says.
import type { CategoryCode, ExploitationFormCode, IndustryCode, PersonGroupCode, ReferredByCode, RegionCode } from '../standard/codes.ts';

export const DEMO_YEAR = 2025;

/**
 * Table 1: exploitation category × person group. Forced marriage reads woman 5, girl 4, boy 1;
 * the 8 persons missing from the printed categories have unknown form.
 */
export const FORM_BY_GROUP: Partial<Record<CategoryCode, Partial<Record<PersonGroupCode, number>>>> = {
  labour: { woman: 87, man: 234, girl: 1, boy: 2, unknown: 1 },
  sexual: { woman: 75, man: 4, girl: 2 },
  multiple: { woman: 32, man: 3, boy: 2 },
  forced_marriage: { woman: 5, girl: 4, boy: 1 },
  criminality: { man: 4, boy: 1 },
  begging: { woman: 4, man: 1 },
  domestic_work: { woman: 4 },
  other: { woman: 1, man: 3 },
  illegal_adoption: { girl: 1, boy: 1 },
  unknown: { woman: 4, man: 2, boy: 2 },
};

/** Cases suspected as människoexploatering (BrB 4:1b); the rest are människohandel. */
export const EXPLOITATION_CASES = 319;

/** Multiple cases combining labour and sexual exploitation; the others combine labour with one other form. */
export const MULTIPLE_LABOUR_SEXUAL = 33;

/** Table 2: referring actor. */
export const REFERRERS: Partial<Record<ReferredByCode, number>> = {
  own_outreach: 118,
  migration_agency: 118,
  police: 57,
  border_police: 51,
  civil_society: 30,
  migration_detention: 27,
  other_actor: 23,
  other_coordinator: 18,
  social_services: 14,
  self_referral: 10,
  public: 4,
  relative: 4,
  healthcare: 4,
  mika_evonhuset: 3,
};

/** Table 3: the ten most common nationalities. */
export const NATIONALITY_TOP: Record<string, number> = {
  TH: 85,
  RO: 36,
  TR: 28,
  UA: 19,
  UG: 19,
  PH: 17,
  VN: 15,
  NG: 15,
  PL: 14,
  VE: 13,
};
export const SWEDISH_NATIONALS = 10;

/** The three largest nationalities' categories, from the text under Table 3. */
export const THAILAND = { labour: 56, sexual: 3, multiple: 20, rest: 6, restIn: ['domestic_work', 'forced_marriage'] as CategoryCode[] };
export const ROMANIA = { labour: 15, sexual: 9, multiple: 1, rest: 11 };
export const TURKEY = { labour: 28, construction: 17 };
/** "The 17 children came among other places from Uganda and Bulgaria." */
export const CHILD_NATIONALITIES = ['UG', 'BG'];

/** Related children noted by the coordinators. */
export const RELATED_CHILDREN = { in_sweden: 28, abroad: 106 };

/** Cases found through joint workplace inspections, by category (the 2 not printed: unknown form). */
export const INSPECTIONS: Partial<Record<CategoryCode, number>> = { labour: 141, multiple: 9, sexual: 2, unknown: 2 };

/**
 * Industries, as shares of the cases whose forms include labour (labour and multiple cases;
 * each such case has exactly one industry): 11 distinct industries, green 26 %, green +
 * construction + hotels and restaurants 67 %.
 */
export const INDUSTRY_SHARES = { distinct: 11, green: 26, greenConstructionHotel: 67 };

/** Exploitation forms that may be combined with labour in a multiple case that is not labour + sexual. */
export const SECOND_FORMS_ADULT: ExploitationFormCode[] = ['criminality', 'begging', 'domestic_work', 'other'];
export const SECOND_FORMS_CHILD: ExploitationFormCode[] = ['criminality', 'begging'];

/** Leaf industries of the green group other than berry picking, which the demo always has. */
export const GREEN_LEAVES: IndustryCode[] = ['forestry', 'agriculture', 'gardening', 'animal_husbandry', 'fishing'];
export const SMALL_INDUSTRIES: IndustryCode[] = ['cleaning', 'transport', 'manufacturing', 'food_processing', 'retail', 'vehicle_services', 'au_pair'];

/** Rough share of cases per region (not printed; the demo only needs plausible proportions). */
export const REGION_WEIGHTS: Record<RegionCode, number> = {
  stockholm: 25,
  vast: 17,
  syd: 16,
  ost: 10,
  mitt: 11,
  bergslagen: 9,
  nord: 12,
};

/** Nationalities outside Table 3 that the demo draws the remaining cases from (none may reach 13). */
export const OTHER_NATIONALITIES = [
  'BG', 'MN', 'CN', 'KE', 'ER', 'SY', 'AF', 'IQ', 'LT', 'LV', 'HU', 'MA', 'DZ', 'GH', 'CM',
  'CO', 'BR', 'PK', 'BD', 'IN', 'LK', 'NP', 'UZ', 'KG', 'MD', 'AL', 'RS', 'ET', 'SO', 'GM',
  'ID', 'MY', 'DO', 'PE', 'SL', 'EE',
];
/** Highest count a nationality outside the top ten may have: one less than the tenth. */
export const OTHER_NATIONALITY_CAP = 12;
