// The demo's civil-society records: the people the platform's member organisations supported in
// 2024, laid out so that the civil-society report of 2024 reproduces the figures the platform
// printed for 2024 (test/fixtures/civil-society-2024.json), and 2025 drawn from the 2024 records'
// shapes with the demo's linkage keys (demo-keys.ts). Every count the print fixes is placed
// exactly; whatever the print leaves open is left to the seeded generator, so the same records
// come out on every machine.
import type { CaseData, SupportData } from '../../standard/case.ts';
import { noSourceFields } from '../../standard/case.ts';
import type {
  civilSocietySupport,
  ExploitationFormCode,
  IdentifiedByCode,
  IndustryCode,
  legalStatus,
  offenceReported,
  RegionCode,
  SexCode,
  socialServicesSupport,
  whyCivilSociety,
  WorldRegionCode,
} from '../../standard/codes.ts';
import { generateDemoCases } from '../demo.ts';
import { Random, expand } from '../demo-random.ts';
import { demoPersonKey } from './demo-keys.ts';

export const DEMO_CIVIL_SOCIETY_ORGANISATION = 'demo-civilsamhalle';

type FormGroup = 'sexual' | 'labour' | 'multiple' | 'criminality' | 'begging' | 'forced_marriage' | 'other' | 'none';
type YesNo = 'yes' | 'no';
type CivilSocietySupportCode = (typeof civilSocietySupport.codes)[number];
type LegalStatusCode = (typeof legalStatus.codes)[number];
type OffenceReportedCode = (typeof offenceReported.codes)[number];
type SocialServicesSupportCode = (typeof socialServicesSupport.codes)[number];
type WhyCivilSocietyCode = (typeof whyCivilSociety.codes)[number];

/** A directly or indirectly exposed person while the layout places their answers. */
type Draft = {
  direct: boolean;
  group: FormGroup;
  inSweden: YesNo | null;
  sex: SexCode;
  child: boolean;
  ageUnknown: boolean;
  /** A country, or a world region only (`region:africa`), or null when the origin is not known. */
  origin: string | null;
  identifiedBy: IdentifiedByCode | null;
  support: SupportData | null;
};

const emptySupport = (): SupportData => ({
  reflection_period: null,
  temporary_residence_permit: null,
  nsp: null,
  amp: null,
  police_report: null,
  offence_reported: [],
  legal_status: null,
  injured_party_counsel: null,
  coordinator_contact: null,
  social_services: [],
  civil_society_support: [],
  why_civil_society: [],
});

// ---- The printed figures of 2024, as counts of persons (test/fixtures/civil-society-2024.json says which are printed and how). ----

/** Directly exposed persons by the platform's form group and exploited in Sweden (yes / no / not answered). */
const FORM_BLOCKS: readonly [FormGroup, number, number, number][] = [
  // group, yes, no, not answered
  ['sexual', 115, 20, 64],
  ['labour', 103, 8, 5],
  ['multiple', 18, 2, 1],
  ['criminality', 6, 1, 0],
  ['begging', 3, 0, 0],
  ['forced_marriage', 2, 1, 0],
  ['other', 1, 0, 0],
  ['none', 17, 3, 0],
];

/** Sex of the directly exposed within each form group (women 296, men 62, other 7, unknown 5 of 370). */
const SEX_BY_GROUP: Record<FormGroup, Partial<Record<SexCode, number>>> = {
  sexual: { female: 190, male: 5, other: 4 },
  labour: { female: 60, male: 50, other: 2, unknown: 4 },
  multiple: { female: 19, male: 2 },
  criminality: { female: 3, male: 3, other: 1 },
  begging: { female: 1, male: 2 },
  forced_marriage: { female: 3 },
  other: { female: 1 },
  none: { female: 19, unknown: 1 },
};

const MULTIPLE_FORMS: readonly (readonly ExploitationFormCode[])[] = [
  ...Array(9).fill(['sexual', 'labour']),
  ...Array(5).fill(['sexual', 'criminality']),
  ...Array(3).fill(['sexual', 'forced_marriage']),
  ...Array(2).fill(['labour', 'criminality']),
  ...Array(2).fill(['criminality', 'begging']),
];
const SINGLE_FORM: Record<Exclude<FormGroup, 'multiple' | 'none'>, ExploitationFormCode> = {
  sexual: 'sexual',
  labour: 'labour',
  criminality: 'criminality',
  begging: 'begging',
  forced_marriage: 'forced_marriage',
  other: 'domestic_work',
};
const LABOUR_INDUSTRIES: readonly IndustryCode[] = ['berry_picking', 'cleaning', 'construction', 'hotel_restaurant', 'agriculture', 'beauty_body_care', 'transport', 'retail'];

/** Countries of origin of the sexually exploited in Sweden: 39 Sweden, 22 another EU state, 53 outside the EU, one not known. */
const ORIGIN_SEXUAL_IN_SWEDEN = {
  SE: 39,
  RO: 8, BG: 5, HU: 4, PL: 3, DE: 2,
  NG: 22, GH: 3, KE: 2, CM: 1, UG: 1, ER: 1, TH: 8, VN: 2, CN: 2, UA: 2, MD: 2, RS: 1, SY: 1, IQ: 1, TR: 1, CO: 2, BR: 1,
};
/** Countries of origin of the labour-exploited in Sweden: one EU citizen, 102 from outside the EU. */
const ORIGIN_LABOUR_IN_SWEDEN = {
  RO: 1,
  NG: 4, ER: 4, ET: 4, SO: 3, GM: 3, MA: 3, SN: 2, GH: 2,
  TH: 17, VN: 8, PH: 6, KG: 4, BD: 3, UZ: 3, LK: 2, IN: 1, NP: 2,
  UA: 6, MD: 2, BY: 1, AL: 1, RU: 1,
  SY: 3, IQ: 2, IR: 1, TR: 1, JO: 1,
  BR: 4, CO: 3, VE: 2, PE: 1, EC: 1,
  MX: 1,
};
/** The other directly exposed persons whose origin is known (four by their world region only). */
const ORIGIN_OTHER_DIRECT = {
  SE: 4, RO: 2, BG: 2, PL: 1, HU: 1, CD: 1, 'region:africa': 3, GB: 1, NO: 1, 'region:middle_east': 1, US: 2, DO: 1,
};
/** The indirectly exposed children whose origin is known. */
const ORIGIN_INDIRECT = { SE: 2, RO: 2, NG: 4, SY: 1, IR: 1, ER: 1, SO: 1 };

const DIRECT_CHILDREN = 7;
const DIRECT_AGE_UNKNOWN = 20;
const INDIRECT = 33;
/** Directly exposed persons of whom nothing is known after identification (no support answered). */
const DIRECT_WITHOUT_FOLLOW_UP = 126;
const NSP_GRANTED = 63;

const POLICE_REPORT = { yes: 85, no: 103, unknown: 26 } as const;
const OFFENCES_SINGLE: Partial<Record<OffenceReportedCode, number>> = {
  trafficking: 3, exploitation: 5, procuring: 8, purchase_of_sex: 4, rape: 14, assault: 12, unlawful_threat: 8, other: 10,
};
const OFFENCES_SEVERAL: readonly [OffenceReportedCode[], number][] = [
  [['rape', 'assault'], 5],
  [['procuring', 'purchase_of_sex'], 4],
  [['exploitation', 'other'], 3],
  [['assault', 'unlawful_threat'], 5],
  [['trafficking', 'procuring'], 2],
  [['rape', 'unlawful_threat'], 2],
];
const LEGAL_STATUS: Partial<Record<LegalStatusCode, number>> = {
  unknown: 20, investigation_closed: 18, investigation_ongoing: 16, investigation_not_started: 9, convicted: 6, prosecuted: 1,
};
/** Rights received by the 49 who answered: [coordinator contact, counsel, residence permit, reflection period], persons with that pattern. */
const RIGHTS_PATTERNS: readonly [[boolean, boolean, boolean, boolean], number][] = [
  [[true, true, true, true], 11],
  [[true, true, true, false], 10],
  [[true, true, false, false], 16],
  [[false, false, false, false], 12],
];

/** Social services: persons with one answer each, and the interventions of the 30 with several. */
const SOCIAL_SINGLE: Partial<Record<SocialServicesSupportCode, number>> = {
  applied: 24, social_worker_support: 38, financial_assistance: 16, protected_housing: 11, mika_evonhuset: 4, emergency_housing: 2,
  not_contacted: 41, not_entitled: 24, not_relevant: 14,
};
const SOCIAL_SEVERAL_PERSONS = 30;
const SOCIAL_SEVERAL: Partial<Record<SocialServicesSupportCode, number>> = {
  applied: 24, social_worker_support: 20, financial_assistance: 15, protected_housing: 12, mika_evonhuset: 6, emergency_housing: 7, emergency_assistance: 2,
};
/** Civil-society support: persons given each kind, of 264 who answered. */
const CIVIL_SUPPORT: Partial<Record<CivilSocietySupportCode, number>> = {
  legal_advice: 183, psychological: 136, material: 87, authority_contact: 61, interpretation: 53, housing: 50,
  identification_advice: 48, basic_needs: 38, other: 37, acute_medical: 28, legal_process: 12, return: 9, lost_contact: 7,
  education_children: 5,
};
const CIVIL_SUPPORT_PERSONS = 264;
const WHY: Partial<Record<WhyCivilSocietyCode, number>> = { more_than_offered: 152, refused_by_authorities: 63, no_authority_contact: 44 };
const IDENTIFIED_BY: Partial<Record<IdentifiedByCode | 'none', number>> = {
  regional_coordinator: 150, own_organisation: 80, other_organisation: 61, police: 12, social_services: 10, migration_agency: 6,
  healthcare: 4, self: 4, other_authority: 2, other: 1, unknown: 23, none: 50,
};

const REGION_WEIGHTS: Record<RegionCode, number> = { stockholm: 5, vast: 3, syd: 3, ost: 1, mitt: 1, bergslagen: 1, nord: 1 };
const ELSEWHERE = ['IT', 'DK', 'DE', 'ES', 'NO'] as const;

/** Deals a multiset of codes onto persons one after another, wrapping round: each code's run is no longer than the persons, so no one gets a code twice. */
function deal<K extends string>(counts: Partial<Record<K, number>>, persons: number): K[][] {
  const out: K[][] = Array.from({ length: persons }, () => []);
  expand(counts).forEach((code, i) => out[i % persons].push(code));
  return out;
}

function layOut2024(rng: Random): Draft[] {
  const direct: Draft[] = [];
  for (const [group, yes, no, unanswered] of FORM_BLOCKS) {
    const inSweden: (YesNo | null)[] = [...Array(yes).fill('yes'), ...Array(no).fill('no'), ...Array(unanswered).fill(null)];
    const sexes = rng.shuffle(expand(SEX_BY_GROUP[group]));
    if (sexes.length !== inSweden.length) throw new Error(`sex of ${group}: ${sexes.length} ≠ ${inSweden.length}`);
    inSweden.forEach((s, i) =>
      direct.push({ direct: true, group, inSweden: s, sex: sexes[i], child: false, ageUnknown: false, origin: null, identifiedBy: null, support: null }),
    );
  }
  const of = (group: FormGroup, inSweden: YesNo | null) => direct.filter((d) => d.group === group && d.inSweden === inSweden);

  // Seven directly exposed minors: six sexually exploited (five of them in Sweden), one in forced criminality.
  const children = [...rng.sample(of('sexual', 'yes'), 5), ...rng.sample(of('sexual', null), 1), ...rng.sample(of('criminality', 'no'), 1)];
  for (const c of children) c.child = true;
  for (const d of rng.sample(direct.filter((d) => !d.child), DIRECT_AGE_UNKNOWN)) d.ageUnknown = true;

  // Origins: the Swedish-born among the sexually exploited in Sweden take the minors first.
  const sexualYes = of('sexual', 'yes');
  const sexualOrigins = [...expand(ORIGIN_SEXUAL_IN_SWEDEN), null];
  const swedes = sexualOrigins.filter((o) => o === 'SE');
  const minorsInSweden = sexualYes.filter((d) => d.child);
  minorsInSweden.forEach((d, i) => (d.origin = swedes[i]));
  const rest = rng.shuffle(sexualOrigins.slice(minorsInSweden.length));
  sexualYes.filter((d) => !d.child).forEach((d, i) => (d.origin = rest[i]));
  const labourYes = of('labour', 'yes');
  rng.shuffle(expand(ORIGIN_LABOUR_IN_SWEDEN)).forEach((o, i) => (labourYes[i].origin = o));
  const others = direct.filter((d) => !d.child && !(d.inSweden === 'yes' && (d.group === 'sexual' || d.group === 'labour')));
  const otherOrigins = expand(ORIGIN_OTHER_DIRECT);
  rng.sample(others, otherOrigins.length).forEach((d, i) => (d.origin = otherOrigins[i]));

  const indirect: Draft[] = Array.from({ length: INDIRECT }, () => ({
    direct: false,
    group: 'none',
    inSweden: null,
    sex: rng.chance(0.5) ? 'female' : 'male',
    child: true,
    ageUnknown: false,
    origin: null,
    identifiedBy: null,
    support: null,
  }));
  const indirectOrigins = expand(ORIGIN_INDIRECT);
  rng.sample(indirect, indirectOrigins.length).forEach((d, i) => (d.origin = indirectOrigins[i]));

  // Who identified, over everyone.
  const everyone = [...direct, ...indirect];
  const identified = rng.shuffle(expand(IDENTIFIED_BY));
  everyone.forEach((d, i) => (d.identifiedBy = identified[i] === 'none' ? null : identified[i]));

  // Support: nothing known of 126 directly exposed; the others and every indirectly exposed child answered something.
  const withSupport = [...rng.shuffle(direct).slice(DIRECT_WITHOUT_FOLLOW_UP), ...rng.shuffle(indirect)];
  for (const d of withSupport) d.support = emptySupport();
  const directSupport = withSupport.filter((d) => d.direct);

  const police = rng.shuffle([...expand(POLICE_REPORT), ...Array<null>(directSupport.length - 214).fill(null)]);
  directSupport.forEach((d, i) => (d.support!.police_report = police[i]));
  const reported = rng.shuffle(directSupport.filter((d) => d.support!.police_report === 'yes'));
  const offences = rng.shuffle([
    ...expand(OFFENCES_SINGLE).map((o) => [o]),
    ...OFFENCES_SEVERAL.flatMap(([codes, n]) => Array.from({ length: n }, () => [...codes])),
  ]);
  reported.forEach((d, i) => (d.support!.offence_reported = offences[i]));
  const legal = rng.shuffle([...expand(LEGAL_STATUS), ...Array<null>(reported.length - 70).fill(null)]);
  reported.forEach((d, i) => (d.support!.legal_status = legal[i]));
  const patterns = RIGHTS_PATTERNS.flatMap(([p, n]) => Array.from({ length: n }, () => p));
  reported.slice(0, patterns.length).forEach((d, i) => {
    const [coordinator, counsel, permit, reflection] = patterns[i];
    const s = d.support!;
    s.coordinator_contact = coordinator ? 'yes' : 'no';
    s.injured_party_counsel = counsel ? 'yes' : 'no';
    s.temporary_residence_permit = permit ? 'granted' : rng.pick(['not_applied', 'applied', 'refused'] as const);
    s.reflection_period = reflection ? 'granted' : rng.pick(['not_applied', 'refused'] as const);
  });
  for (const d of rng.sample(directSupport, NSP_GRANTED)) d.support!.nsp = { status: 'granted', start_date: null, end_date: null };

  // Civil society's support to the first 264, social services' to the last 204, why to the first 259: everyone with support answered something.
  const civil = deal(CIVIL_SUPPORT, CIVIL_SUPPORT_PERSONS);
  rng.shuffle(civil).forEach((codes, i) => (withSupport[i].support!.civil_society_support = codes));
  const social = rng.shuffle([...expand(SOCIAL_SINGLE).map((c) => [c]), ...deal(SOCIAL_SEVERAL, SOCIAL_SEVERAL_PERSONS)]);
  const socialFrom = withSupport.length - social.length;
  social.forEach((codes, i) => (withSupport[socialFrom + i].support!.social_services = codes));
  rng.shuffle(expand(WHY)).forEach((code, i) => (withSupport[i].support!.why_civil_society = [code]));

  return everyone;
}

const isoDay = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
const daysIn = (year: number) => ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365);

function formsOf(rng: Random, d: Draft, multipleIndex: () => number): Pick<CaseData, 'exploitation_forms' | 'industries'> {
  if (d.group === 'none') return { exploitation_forms: [], industries: [] };
  const forms = d.group === 'multiple' ? [...MULTIPLE_FORMS[multipleIndex()]] : [SINGLE_FORM[d.group]];
  return { exploitation_forms: forms, industries: forms.includes('labour') ? [rng.pick(LABOUR_INDUSTRIES)] : [] };
}

function toRecord(rng: Random, d: Draft, year: number, forms: Pick<CaseData, 'exploitation_forms' | 'industries'>): CaseData {
  const age = d.child ? (d.direct ? rng.int(13, 17) : rng.int(0, 16)) : d.ageUnknown ? null : rng.chance(0.75) ? rng.int(18, 64) : null;
  const regionOnly = d.origin?.startsWith('region:') ?? false;
  const countries =
    d.inSweden === 'yes' ? (rng.chance(0.1) ? ['SE', rng.pick(['IT', 'DK'] as const)] : ['SE']) : d.inSweden === 'no' ? [rng.pick(ELSEWHERE)] : [];
  return {
    source: 'civil_society',
    organisation_id: DEMO_CIVIL_SOCIETY_ORGANISATION,
    region: rng.weighted(REGION_WEIGHTS),
    identified_on: isoDay(year, rng.int(0, daysIn(year) - 1)),
    crime_type: null,
    sex: d.sex,
    age,
    age_group: d.child ? 'child' : d.ageUnknown ? 'unknown' : 'adult',
    ...forms,
    nationality: d.origin === null || regionOnly ? null : d.origin,
    exploited_in_sweden: d.inSweden,
    exploitation_countries: countries,
    referred_by: null,
    workplace_inspection: null,
    related_children: [],
    contact_type: d.direct ? 'direct' : 'indirect',
    ...noSourceFields,
    origin_region: regionOnly ? (d.origin!.slice('region:'.length) as WorldRegionCode) : null,
    identified_by: d.identifiedBy,
    support: d.support,
    linkage_key: null,
  };
}

/** The 2024 records: 403 persons, 370 directly and 33 indirectly exposed, reproducing the platform's printed 2024 figures. */
export function generateCivilSociety2024(seed = 2024): CaseData[] {
  const rng = new Random(seed);
  const drafts = layOut2024(rng);
  let multiple = 0;
  const records = drafts.map((d) => toRecord(rng, d, 2024, formsOf(rng, d, () => multiple++)));
  return rng.shuffle(records).sort((a, b) => a.identified_on.localeCompare(b.identified_on));
}

/** The demo's linkage numbers of the 2025 civil-society persons (demo-keys.ts): shared with the coordinators and the programmes, then civil society's own. */
export const CIVIL_SOCIETY_2025 = { direct: 395, indirect: 36 } as const;
const sharedWithCoordinators = Array.from({ length: 60 }, (_, n) => n); // 0..9 also in the programmes
const sharedWithProgrammes = Array.from({ length: 20 }, (_, i) => 300000 + i);

/**
 * The 2025 records: each drawn from two 2024 persons of the same kind (one for who the person is
 * and how they were exploited, one for who identified them and their support), dated in 2025 and
 * carrying the demo's linkage keys. Persons 0..59 are the coordinators' 2025 demo persons of the
 * same numbers (their sex, age, nationality and forms copied, identified by a regional coordinator);
 * persons 300000..300019 were granted NSP support.
 */
export function generateCivilSociety2025(seed = 2025, base2024: readonly CaseData[] = generateCivilSociety2024()): CaseData[] {
  const rng = new Random(seed * 7 + 1);
  const coordinatorCases = generateDemoCases();
  const pool = { direct: base2024.filter((r) => r.contact_type === 'direct'), indirect: base2024.filter((r) => r.contact_type === 'indirect') };
  const numbers = [
    ...sharedWithCoordinators,
    ...sharedWithProgrammes,
    ...Array.from({ length: CIVIL_SOCIETY_2025.direct + CIVIL_SOCIETY_2025.indirect - 80 }, (_, i) => 100000 + i),
  ];
  const records = numbers.map((n, i): CaseData => {
    const kind = i < CIVIL_SOCIETY_2025.direct ? 'direct' : 'indirect';
    const who = rng.pick(pool[kind]);
    const helped = rng.pick(pool[kind]);
    let support: SupportData | null = helped.support ? structuredClone(helped.support) : null;
    const record: CaseData = {
      ...structuredClone(who),
      region: rng.weighted(REGION_WEIGHTS),
      identified_on: isoDay(2025, rng.int(0, daysIn(2025) - 1)),
      identified_by: helped.identified_by,
      support,
      linkage_key: demoPersonKey(n),
    };
    if (n < 60) {
      const c = coordinatorCases[n];
      Object.assign(record, {
        sex: c.sex,
        age: c.age,
        age_group: c.age_group,
        exploitation_forms: [...c.exploitation_forms],
        industries: [...c.industries],
        nationality: c.nationality,
        origin_region: null,
        exploited_in_sweden: c.exploited_in_sweden,
        exploitation_countries: [...c.exploitation_countries],
        identified_by: 'regional_coordinator',
      } satisfies Partial<CaseData>);
      support = record.support ?? emptySupport();
      support.coordinator_contact = 'yes';
      record.support = support;
    }
    if (n >= 300000 && n < 300020) {
      support = record.support ?? emptySupport();
      support.nsp = { status: 'granted', start_date: null, end_date: null };
      record.support = support;
    }
    return record;
  });
  return records.sort((a, b) => a.identified_on.localeCompare(b.identified_on));
}

const records2024 = generateCivilSociety2024();

/** The demo's civil-society records per year: 2024 reproduces the platform's printed figures, 2025 follows its shapes. */
export const civilSocietyDemoYears: { year: number; records: CaseData[] }[] = [
  { year: 2024, records: records2024 },
  { year: 2025, records: generateCivilSociety2025(2025, records2024) },
];
