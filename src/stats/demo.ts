// The demo dataset: 481 synthetic coordinator cases for 2025 whose annual report reproduces the
// printed 2025 report. Persons are laid out from the printed category × person group table;
// every other printed marginal is then met by drawing exactly that many persons from the right
// pool, and whatever the report does not fix is left to the seeded generator.
import type { CaseData, RelatedChildData, SupportData } from '../standard/case.ts';
import { noSourceFields } from '../standard/case.ts';
import type {
  AgeGroupCode,
  CategoryCode,
  ChildAgeBandCode,
  ExploitationFormCode,
  IndustryCode,
  PersonGroupCode,
  ReferredByCode,
  RegionCode,
  SexCode,
} from '../standard/codes.ts';
import { industryParent, regionOffice } from '../standard/codes.ts';
import { assignByAffinity, expand, Random } from './demo-random.ts';
import * as T from './demo-targets.ts';

type Person = {
  category: CategoryCode;
  group: PersonGroupCode;
  forms: ExploitationFormCode[];
  /** undefined until assigned; null is unknown nationality. */
  nationality?: string | null;
  industry?: IndustryCode;
  crimeType: 'trafficking' | 'exploitation';
  inspection: boolean;
  referredBy?: ReferredByCode;
  relatedChildren: RelatedChildData[];
};

const isChild = (p: Person) => p.group === 'girl' || p.group === 'boy';
const hasLabour = (p: Person) => p.forms.includes('labour');
const unassigned = (p: Person) => p.nationality === undefined;
const UNDER_4_1B = new Set<ExploitationFormCode>(['labour', 'begging', 'other']);

/** Draws n persons matching the predicate and gives them the nationality. */
function assignNationality(rng: Random, persons: Person[], n: number, nationality: string, match: (p: Person) => boolean): Person[] {
  const chosen = rng.sample(persons.filter((p) => unassigned(p) && match(p)), n);
  for (const p of chosen) p.nationality = nationality;
  return chosen;
}

// Plausible pairings for the attributes the report does not print. They only steer which
// person gets which value; every count stays exactly as printed.
const UNKNOWN_NATIONALITY = 'unknown';
const EU = new Set(['SE', 'RO', 'BG', 'PL', 'LT', 'LV', 'EE', 'HU']);
const LABOUR_MIGRATION = new Set(['PH', 'VN', 'UA', 'UZ', 'KG', 'LK', 'NP', 'BD', 'IN', 'PK', 'MN', 'MD', 'CN', 'ID', 'MY']);
const isFemale = (p: Person) => p.group === 'woman' || p.group === 'girl';
const inEu = (p: Person) => EU.has(p.nationality ?? '');

function nationalityAffinity(p: Person, nat: string): number {
  const sexual = p.forms.includes('sexual');
  if (nat === 'SE') return sexual || isChild(p) ? 6 : 0.5;
  if (nat === 'NG') return sexual && isFemale(p) ? 6 : 0.5;
  if (LABOUR_MIGRATION.has(nat)) return hasLabour(p) ? 3 : 0.5;
  return 1;
}

function referrerAffinity(p: Person, r: ReferredByCode): number {
  const sexual = p.forms.includes('sexual');
  switch (r) {
    case 'mika_evonhuset':
      return sexual ? 20 : 0.05;
    case 'healthcare':
      return sexual ? 3 : 1;
    case 'social_services':
      return isChild(p) ? 10 : p.nationality === 'SE' ? 4 : 1;
    case 'migration_detention':
      return isChild(p) ? 0.02 : inEu(p) ? 0.2 : 1.5;
    case 'migration_agency':
      return inEu(p) ? 0.2 : 1.5;
    case 'border_police':
      return inEu(p) ? 0.5 : 1.5;
    case 'police':
    case 'civil_society':
      return sexual || p.category === 'criminality' || p.category === 'begging' ? 3 : 1;
    case 'own_outreach':
      return p.inspection ? 5 : 1;
    default:
      return 1;
  }
}

function industryAffinity(p: Person, ind: IndustryCode): number {
  const female = isFemale(p);
  if (industryParent[ind] === 'green') return p.nationality === 'TH' ? 6 : 1;
  switch (ind) {
    case 'construction':
      return female ? 0.1 : 2;
    case 'beauty_body_care':
      return !female ? 0.1 : p.nationality === 'TH' || p.nationality === 'VN' ? 8 : 3;
    case 'au_pair':
      return female && !isChild(p) ? 4 : 0.05;
    case 'cleaning':
      return female ? 2 : 1;
    case 'transport':
    case 'vehicle_services':
      return female ? 0.2 : 2;
    default:
      return 1;
  }
}

/** Green industries are mostly in the north and the middle of the country. */
const GREEN_REGIONS: Partial<Record<RegionCode, number>> = { nord: 4, mitt: 2.5, bergslagen: 1.5, stockholm: 0.3 };
function regionAffinity(p: Person, r: RegionCode): number {
  return p.industry && industryParent[p.industry] === 'green' ? (GREEN_REGIONS[r] ?? 1) : 1;
}

function layOutPersons(): Person[] {
  return Object.entries(T.FORM_BY_GROUP).flatMap(([category, groups]) =>
    Object.entries(groups).flatMap(([group, n]) =>
      Array.from({ length: n }, (): Person => ({
        category: category as CategoryCode,
        group: group as PersonGroupCode,
        forms: category === 'unknown' ? [] : category === 'multiple' ? ['labour', 'sexual'] : [category as ExploitationFormCode],
        crimeType: 'trafficking',
        inspection: false,
        relatedChildren: [],
      })),
    ),
  );
}

/**
 * Thailand's 20 multiple cases are women in labour + sexual exploitation in beauty and body care;
 * of the other multiple cases, all but 33 − 20 combine labour with a form other than sexual
 * (at least one of them a woman's, as Figure 4 shows both combinations for women).
 */
function placeMultiple(rng: Random, persons: Person[]) {
  const multiple = persons.filter((p) => p.category === 'multiple');
  const thai = assignNationality(rng, multiple, T.THAILAND.multiple, 'TH', (p) => p.group === 'woman');
  for (const p of thai) p.industry = 'beauty_body_care';
  const rest = multiple.filter(unassigned);
  const otherCount = multiple.length - T.MULTIPLE_LABOUR_SEXUAL;
  const firstWoman = rng.pick(rest.filter((p) => p.group === 'woman'));
  const others = [firstWoman, ...rng.sample(rest.filter((p) => p !== firstWoman), otherCount - 1)];
  for (const p of others) {
    const second = rng.pick(isChild(p) ? T.SECOND_FORMS_CHILD : T.SECOND_FORMS_ADULT);
    p.forms = ['labour', second];
  }
}

function placeNationalities(rng: Random, persons: Person[]) {
  const inCategory = (...cats: CategoryCode[]) => (p: Person) => cats.includes(p.category);
  placeMultiple(rng, persons);
  for (const nat of T.CHILD_NATIONALITIES) assignNationality(rng, persons, 1, nat, isChild);

  const th = T.THAILAND;
  assignNationality(rng, persons, th.labour, 'TH', inCategory('labour'));
  assignNationality(rng, persons, th.sexual, 'TH', inCategory('sexual'));
  const domestic = rng.int(1, Math.min(th.rest - 1, persons.filter(inCategory('domestic_work')).length));
  assignNationality(rng, persons, domestic, 'TH', inCategory('domestic_work'));
  // Thai forced marriages are women's; the children's nationalities are left free.
  assignNationality(rng, persons, th.rest - domestic, 'TH', (p) => p.category === 'forced_marriage' && !isChild(p));

  const ro = T.ROMANIA;
  assignNationality(rng, persons, ro.labour, 'RO', inCategory('labour'));
  assignNationality(rng, persons, ro.sexual, 'RO', inCategory('sexual'));
  assignNationality(rng, persons, ro.multiple, 'RO', inCategory('multiple'));
  // "the rest in several other forms": at least three different ones.
  const restPool = persons.filter(
    (p) => unassigned(p) && !['labour', 'sexual', 'multiple', 'unknown'].includes(p.category),
  );
  let rest: Person[];
  do rest = rng.sample(restPool, ro.rest);
  while (new Set(rest.map((p) => p.category)).size < 3);
  for (const p of rest) p.nationality = 'RO';

  const turks = assignNationality(rng, persons, T.TURKEY.labour, 'TR', inCategory('labour'));
  for (const p of rng.sample(turks, T.TURKEY.construction)) p.industry = 'construction';

  // Everyone else: the rest of Table 3, Sweden, a few unknown, and smaller nationalities.
  const left = persons.filter(unassigned);
  const fixed: Record<string, number> = { SE: T.SWEDISH_NATIONALS };
  for (const [nat, n] of Object.entries(T.NATIONALITY_TOP)) {
    const placed = persons.filter((p) => p.nationality === nat).length;
    if (n > placed) fixed[nat] = n - placed;
  }
  const unknown = rng.int(2, 5);
  const smallTotal = left.length - unknown - Object.values(fixed).reduce((s, n) => s + n, 0);
  // Skewed weights so a few smaller nationalities are common and many are rare; the cap leaves
  // room for the Bulgarian child already placed.
  const weights = Object.fromEntries(T.OTHER_NATIONALITIES.map((c) => [c, 0.05 + rng.float() ** 2]));
  const small = rng.allocate(smallTotal, weights, T.OTHER_NATIONALITY_CAP - 1);
  const counts = { ...fixed, ...small, [UNKNOWN_NATIONALITY]: unknown };
  for (const [p, nat] of assignByAffinity(rng, left, counts, nationalityAffinity)) p.nationality = nat === UNKNOWN_NATIONALITY ? null : nat;
}

function placeCrimeTypes(rng: Random, persons: Person[]) {
  const eligible = persons.filter((p) => !isChild(p) && p.forms.every((f) => UNDER_4_1B.has(f)));
  for (const p of rng.sample(eligible, T.EXPLOITATION_CASES)) p.crimeType = 'exploitation';
}

function placeInspections(rng: Random, persons: Person[]) {
  for (const [category, n] of Object.entries(T.INSPECTIONS)) {
    for (const p of rng.sample(persons.filter((q) => q.category === category), n)) p.inspection = true;
  }
}

/** The whole numbers n for which n / total rounds (half up) to the percent. */
function countsForPercent(percent: number, total: number): number[] {
  const out: number[] = [];
  for (let n = 0; n <= total; n++) if (Math.floor((100 * n) / total + 0.5) === percent) out.push(n);
  return out;
}

/** How many labour cases each industry gets, meeting the printed shares. */
function industryCounts(rng: Random, total: number): Partial<Record<IndustryCode, number>> {
  const s = T.INDUSTRY_SHARES;
  const green = rng.pick(countsForPercent(s.green, total));
  const big = rng.pick(countsForPercent(s.greenConstructionHotel, total));
  const construction = Math.round((big - green) * (0.5 + 0.12 * rng.float()));
  const hotel = big - green - construction;
  const greenLeaves: IndustryCode[] = ['berry_picking', ...rng.sample(T.GREEN_LEAVES, rng.int(1, 3))];
  const smallLeaves: IndustryCode[] = ['beauty_body_care', ...rng.sample(T.SMALL_INDUSTRIES, s.distinct - 3 - greenLeaves.length)];
  const greenWeights = Object.fromEntries(greenLeaves.map((c, i) => [c, i === 0 ? 4 : 0.5 + rng.float()]));
  const smallWeights = Object.fromEntries(smallLeaves.map((c, i) => [c, i === 0 ? 2 : 0.3 + rng.float()]));
  // Every other industry stays below construction and hotels, which the report names as the largest with green.
  const smallCap = Math.min(construction, hotel) - 1;
  const counts: Partial<Record<IndustryCode, number>> = {
    ...rng.allocate(green, greenWeights, Infinity, 1),
    construction,
    hotel_restaurant: hotel,
    ...rng.allocate(total - big, smallWeights, smallCap, 1),
  };
  // Thailand's beauty and body care cases need their own 20.
  const beauty = counts.beauty_body_care ?? 0;
  if (beauty < T.THAILAND.multiple) {
    const donors = smallLeaves.filter((c) => c !== 'beauty_body_care');
    for (let i = beauty; i < T.THAILAND.multiple; i++) {
      const d = rng.pick(donors.filter((c) => (counts[c] ?? 0) > 1));
      counts[d]!--;
      counts.beauty_body_care = (counts.beauty_body_care ?? 0) + 1;
    }
  }
  return counts;
}

/** One industry per case whose forms include labour; the Thai beauty and Turkish construction cases are already set. */
function placeIndustries(rng: Random, persons: Person[]) {
  const labour = persons.filter(hasLabour);
  const counts = industryCounts(rng, labour.length);
  for (const p of labour) if (p.industry) counts[p.industry]!--;
  // The other Turkish cases are outside construction: 17 is the printed figure.
  const turks = labour.filter((p) => p.nationality === 'TR' && !p.industry);
  const outsideConstruction = rng.shuffle(expand(counts).filter((c) => c !== 'construction'));
  for (const [i, p] of turks.entries()) {
    p.industry = outsideConstruction[i];
    counts[p.industry]!--;
  }
  const rest = labour.filter((p) => !p.industry);
  for (const [p, industry] of assignByAffinity(rng, rest, counts, industryAffinity)) p.industry = industry;
}

function placeReferrers(rng: Random, persons: Person[]) {
  for (const [p, r] of assignByAffinity(rng, persons, T.REFERRERS, referrerAffinity)) p.referredBy = r;
}

/** Related children of adult persons: a parent has one to several children, in Sweden or abroad. */
function placeRelatedChildren(rng: Random, persons: Person[]) {
  const locations = rng.shuffle(expand(T.RELATED_CHILDREN));
  const adults = persons.filter((p) => p.group === 'woman' || p.group === 'man');
  const parents = rng.sample(adults, rng.int(55, 80));
  locations.forEach((location, i) => {
    const parent = i < parents.length ? parents[i] : rng.pick(parents);
    const age_band = rng.weighted<ChildAgeBandCode>({ '0_11': 6, '12_17': 3, unknown: 1 });
    parent.relatedChildren.push({ location, age_band });
  });
}

const DAY = 86_400_000;
const YEAR_START = Date.UTC(T.DEMO_YEAR, 0, 1);
const YEAR_DAYS = (Date.UTC(T.DEMO_YEAR + 1, 0, 1) - YEAR_START) / DAY;
const isoDay = (dayOfYear: number) => new Date(YEAR_START + dayOfYear * DAY).toISOString().slice(0, 10);

/** Berry pickers are found in the picking season; everyone else at any time of the year. */
function identifiedDay(rng: Random, p: Person): number {
  return p.industry === 'berry_picking' ? rng.int(181, 272) : rng.int(0, YEAR_DAYS - 1);
}

const CHILD_AGES: Partial<Record<CategoryCode, [number, number]>> = {
  illegal_adoption: [0, 2],
  forced_marriage: [13, 17],
  sexual: [13, 17],
  criminality: [12, 17],
};

function sexOf(group: PersonGroupCode): SexCode {
  if (group === 'woman' || group === 'girl') return 'female';
  if (group === 'man' || group === 'boy') return 'male';
  return 'unknown';
}

/** Age and age group: children's ages fit their form; some adults' exact age, or age at all, is not known. */
function ageOf(rng: Random, p: Person): { age: number | null; age_group: AgeGroupCode } {
  if (isChild(p)) {
    const [lo, hi] = CHILD_AGES[p.category] ?? [14, 17];
    return { age: rng.int(lo, hi), age_group: 'child' };
  }
  const r = rng.float();
  if (r < 0.06) return { age: null, age_group: 'unknown' };
  if (r < 0.14) return { age: null, age_group: 'adult' };
  return { age: 18 + Math.floor(((rng.float() + rng.float()) / 2) * 45), age_group: 'adult' };
}

function exploitationPlace(rng: Random, nationality: string | null): Pick<CaseData, 'exploited_in_sweden' | 'exploitation_countries'> {
  const abroad = nationality && nationality !== 'SE' ? [nationality] : [];
  const r = rng.float();
  if (r < 0.08) return { exploited_in_sweden: null, exploitation_countries: [] };
  if (r < 0.13 && abroad.length) return { exploited_in_sweden: 'no', exploitation_countries: abroad };
  return { exploited_in_sweden: 'yes', exploitation_countries: rng.chance(0.2) ? ['SE', ...abroad] : ['SE'] };
}

const POSITIVE_SOCIAL = ['social_worker_support', 'applied', 'financial_assistance', 'protected_housing', 'emergency_housing', 'emergency_assistance', 'mika_evonhuset'] as const;
const CIVIL_SUPPORT = ['legal_advice', 'psychological', 'material', 'authority_contact', 'interpretation', 'housing', 'identification_advice', 'basic_needs', 'acute_medical', 'legal_process', 'return'] as const;
const APPLICATION = { not_applied: 5, applied: 2, granted: 3, refused: 1 } as const;

/** Support and legal process: filled for most cases, dates within the year. */
function supportOf(rng: Random, p: Person, identifiedOn: number): SupportData | null {
  if (rng.chance(0.2)) return null;
  const application = () => (rng.chance(0.3) ? null : rng.weighted(APPLICATION));
  const nspStatus = application();
  let nsp: SupportData['nsp'] = nspStatus && { status: nspStatus, start_date: null, end_date: null };
  if (nsp && nspStatus === 'granted') {
    const start = identifiedOn + rng.int(1, 20);
    const end = start + rng.int(30, 120);
    if (start < YEAR_DAYS) nsp = { status: 'granted', start_date: isoDay(start), end_date: end < YEAR_DAYS ? isoDay(end) : null };
  }
  const reported = rng.weighted({ yes: 5, no: 3, unknown: 1 });
  const offences: SupportData['offence_reported'] = [];
  if (reported === 'yes') {
    offences.push(p.crimeType);
    if (p.forms.includes('sexual') && rng.chance(0.4)) offences.push('procuring');
    if (rng.chance(0.15)) offences.push(rng.pick(['assault', 'unlawful_threat'] as const));
  }
  const legal = reported === 'yes' ? rng.weighted({ unknown: 2, investigation_not_started: 2, investigation_ongoing: 5, investigation_closed: 3, prosecuted: 1, convicted: 1 }) : null;
  const civil = rng.sample(CIVIL_SUPPORT, rng.chance(0.4) ? 0 : rng.int(1, 3));
  return {
    reflection_period: application(),
    temporary_residence_permit: application(),
    nsp,
    amp: application(),
    police_report: reported,
    offence_reported: offences,
    legal_status: legal,
    injured_party_counsel: legal === 'prosecuted' || legal === 'convicted' ? 'yes' : reported === 'yes' ? rng.pick(['yes', 'no'] as const) : null,
    coordinator_contact: 'yes',
    social_services: rng.chance(0.3)
      ? [rng.pick(['not_contacted', 'not_entitled', 'not_relevant'] as const)]
      : rng.sample(POSITIVE_SOCIAL, rng.int(0, 2)),
    civil_society_support: civil,
    why_civil_society: civil.length > 0 && rng.chance(0.4) ? [rng.pick(['more_than_offered', 'refused_by_authorities', 'no_authority_contact'] as const)] : [],
  };
}

function toCase(rng: Random, p: Person, region: RegionCode): CaseData {
  const day = identifiedDay(rng, p);
  const nationality = p.nationality ?? null;
  return {
    source: 'coordinator',
    organisation_id: regionOffice(region),
    region,
    identified_on: isoDay(day),
    crime_type: p.crimeType,
    sex: sexOf(p.group),
    ...ageOf(rng, p),
    exploitation_forms: p.forms,
    industries: p.industry ? [p.industry] : [],
    nationality,
    ...exploitationPlace(rng, nationality),
    referred_by: p.referredBy ?? 'unknown',
    workplace_inspection: p.inspection,
    related_children: p.relatedChildren,
    contact_type: null,
    ...noSourceFields,
    support: supportOf(rng, p, day),
    linkage_key: null,
  };
}

/** Generates the demo dataset: 2025 coordinator cases reproducing the printed 2025 report, deterministic per seed. */
export function generateDemoCases(seed = 2025): CaseData[] {
  const rng = new Random(seed);
  const persons = layOutPersons();
  placeNationalities(rng, persons);
  placeCrimeTypes(rng, persons);
  placeInspections(rng, persons);
  placeIndustries(rng, persons);
  placeReferrers(rng, persons);
  placeRelatedChildren(rng, persons);
  const regionCounts = rng.allocate(persons.length, T.REGION_WEIGHTS, Infinity, 1);
  const regions = assignByAffinity(rng, persons, regionCounts, regionAffinity);
  const cases = rng.shuffle(persons).map((p) => toCase(rng, p, regions.get(p)!));
  return cases.sort((a, b) => a.identified_on.localeCompare(b.identified_on));
}
