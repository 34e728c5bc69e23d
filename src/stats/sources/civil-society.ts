// The civil-society platform's annual report: the people the platform's member organisations
// supported during the year (`civil_society` records), in the tables of the platform's annual
// statistics. Every percentage is of those who answered the table's question (one decimal), each
// table says how many answered and how many did not, and a list question (`multi`) counts a person
// in every row they answered, so its percentages may add to more than 100.
import type { CaseData } from '../../standard/case.ts';
import {
  civilSocietySupport,
  contactType,
  identifiedBy,
  legalStatus,
  offenceReported,
  policeReport,
  socialServicesSupport,
  whyCivilSociety,
  worldRegion,
  yesNo,
  type CategoryCode,
  type CodeEntry,
  type Label,
} from '../../standard/codes.ts';
import { exploitationCategory } from '../../standard/derive.ts';
import { originRegion } from '../../standard/world-regions.ts';
import type { AxisCode, SourceRecord, SourceReportSpec, SourceRow, SourceTableBody, SourceTableSpec } from './types.ts';

/** Percent of those who answered, rounded half-up to one decimal (integer arithmetic, no float ties); null when nobody answered. */
export function percent1(count: number, answered: number): number | null {
  return answered === 0 ? null : Math.floor((2000 * count + answered) / (2 * answered)) / 10;
}

const codesOf = (items: readonly CodeEntry[], leaveOut: readonly string[] = []): AxisCode[] =>
  items.filter((i) => !leaveOut.includes(i.code)).map((i) => ({ code: i.code, label: { sv: i.sv, en: i.en } }));

/**
 * A question with one answer per person: `value` is the person's row code, or null when not
 * answered (codes outside `codes` count as not answered too, e.g. `unknown` where the report
 * prints no such row).
 */
export function readSingle(
  base: readonly SourceRecord[],
  codes: readonly AxisCode[],
  value: (r: SourceRecord) => string | null,
): SourceTableBody {
  const counts = new Map(codes.map((c) => [c.code, 0]));
  let answered = 0;
  for (const r of base) {
    const v = value(r);
    if (v === null || !counts.has(v)) continue;
    counts.set(v, counts.get(v)! + 1);
    answered++;
  }
  return {
    rows: codes.map((c): SourceRow => ({ code: c.code, count: counts.get(c.code)!, percent: percent1(counts.get(c.code)!, answered) })),
    n_answered: answered,
    n_missing: base.length - answered,
  };
}

/**
 * A list question: `values` is the person's row codes, or null when not answered (an empty list
 * is not answered). A person counts once in each row they name.
 */
export function readMulti(
  base: readonly SourceRecord[],
  codes: readonly AxisCode[],
  values: (r: SourceRecord) => readonly string[] | null,
): SourceTableBody {
  const counts = new Map(codes.map((c) => [c.code, 0]));
  let answered = 0;
  for (const r of base) {
    const vs = values(r);
    if (vs === null || vs.length === 0) continue;
    answered++;
    for (const v of new Set(vs)) if (counts.has(v)) counts.set(v, counts.get(v)! + 1);
  }
  return {
    rows: codes.map((c): SourceRow => ({ code: c.code, count: counts.get(c.code)!, percent: percent1(counts.get(c.code)!, answered) })),
    n_answered: answered,
    n_missing: base.length - answered,
  };
}

const direct = (records: readonly SourceRecord[]) => records.filter((r) => r.contact_type === 'direct');
const reported = (records: readonly SourceRecord[]) => records.filter((r) => r.contact_type === 'direct' && r.support?.police_report === 'yes');

// The exploitation forms as the platform groups them: the single forms it prints on their own,
// multiple exploitation, and every other single form together.
const formGroups = ['sexual', 'labour', 'multiple', 'criminality', 'begging', 'forced_marriage', 'other'] as const;
export type CivilSocietyFormGroup = (typeof formGroups)[number];
const formGroupLabels: Record<CivilSocietyFormGroup, Label> = {
  sexual: { sv: 'Sexuella ändamål', en: 'Sexual exploitation' },
  labour: { sv: 'Arbetskraft', en: 'Labour exploitation' },
  multiple: { sv: 'Multipel exploatering', en: 'Multiple exploitation' },
  criminality: { sv: 'Kriminalitet', en: 'Forced criminality' },
  begging: { sv: 'Tiggeri', en: 'Begging' },
  forced_marriage: { sv: 'Tvångsäktenskap', en: 'Forced marriage' },
  other: { sv: 'Annan form', en: 'Other form' },
};

/** The platform's form group of a record: its exploitation category, the forms it does not print on their own as `other`; null when no form is known. */
export function formGroupOf(forms: CaseData['exploitation_forms']): CivilSocietyFormGroup | null {
  const category: CategoryCode = exploitationCategory(forms);
  if (category === 'unknown') return null;
  return (formGroups as readonly string[]).includes(category) ? (category as CivilSocietyFormGroup) : 'other';
}

/** The rights of a person in a legal process the platform asks about, and how a record shows each was received. */
const rights = [
  { code: 'coordinator_contact', label: { sv: 'Kontakt med regionkoordinator', en: 'Contact with a regional coordinator' } },
  { code: 'injured_party_counsel', label: { sv: 'Målsägandebiträde', en: 'Counsel for the injured party' } },
  { code: 'temporary_residence_permit', label: { sv: 'Tillfälligt uppehållstillstånd (TUT) beviljat', en: 'Temporary residence permit granted' } },
  { code: 'reflection_period', label: { sv: 'Betänketid beviljad', en: 'Reflection period granted' } },
] as const satisfies readonly AxisCode[];

/** The rights a record shows as received; null when none of the four is answered. */
export function rightsReceived(r: SourceRecord): string[] | null {
  const s = r.support;
  if (!s) return null;
  const answers = [s.coordinator_contact, s.injured_party_counsel, s.temporary_residence_permit, s.reflection_period];
  if (answers.every((a) => a === null)) return null;
  const got: string[] = [];
  if (s.coordinator_contact === 'yes') got.push('coordinator_contact');
  if (s.injured_party_counsel === 'yes') got.push('injured_party_counsel');
  if (s.temporary_residence_permit === 'granted') got.push('temporary_residence_permit');
  if (s.reflection_period === 'granted') got.push('reflection_period');
  return got;
}

/**
 * Like readMulti, but a person who answered and received none of the rights still counts as
 * answered (the list of rights received may be empty).
 */
function readRights(base: readonly SourceRecord[]): SourceTableBody {
  const counts = new Map<string, number>(rights.map((c) => [c.code, 0]));
  let answered = 0;
  for (const r of base) {
    const got = rightsReceived(r);
    if (got === null) continue;
    answered++;
    for (const g of got) counts.set(g, counts.get(g)! + 1);
  }
  return {
    rows: rights.map((c) => ({ code: c.code, count: counts.get(c.code)!, percent: percent1(counts.get(c.code)!, answered) })),
    n_answered: answered,
    n_missing: base.length - answered,
  };
}

const S = {
  contacts: { sv: 'Kontakter', en: 'Contacts' },
  direct: { sv: 'Potentiellt direkt utsatta', en: 'Potentially directly exposed' },
  origin: { sv: 'Ursprung', en: 'Origin' },
  identification: { sv: 'Identifiering', en: 'Identification' },
  support: { sv: 'Tillgång till skydd och stöd', en: 'Access to protection and support' },
  legal: { sv: 'Kontakt med rättsväsendet', en: 'Contact with the justice system' },
} satisfies Record<string, Label>;

const B = {
  all: { sv: 'Alla kontakter, direkt och indirekt utsatta', en: 'All contacts, directly and indirectly exposed' },
  allAnswered: { sv: 'Direkt och indirekt utsatta som besvarat frågan', en: 'Directly and indirectly exposed who answered' },
  directAnswered: { sv: 'Potentiellt direkt utsatta som besvarat frågan', en: 'Potentially directly exposed who answered' },
  minors: { sv: 'Minderåriga (under 18 år), direkt och indirekt utsatta', en: 'Minors (under 18), directly and indirectly exposed' },
  reportedAnswered: {
    sv: 'Direkt utsatta där en polisanmälan gjorts, som besvarat frågan',
    en: 'Directly exposed whose case was reported to the police, who answered',
  },
} satisfies Record<string, Label>;

const contactCodes = codesOf(contactType.items);
const ageCodes: AxisCode[] = [
  { code: 'adult', label: { sv: 'Vuxen', en: 'Adult' } },
  { code: 'child', label: { sv: 'Barn', en: 'Child' } },
];
const sexCodes: AxisCode[] = [
  { code: 'female', label: { sv: 'Kvinnor', en: 'Women' } },
  { code: 'male', label: { sv: 'Män', en: 'Men' } },
  { code: 'other', label: { sv: 'Annan könsidentitet', en: 'Other gender identity' } },
];
const formCodes: AxisCode[] = formGroups.map((g) => ({ code: g, label: formGroupLabels[g] }));
const regionCodes = codesOf(worldRegion.items);
const yesNoCodes = codesOf(yesNo.items);
/**
 * Who identified, as the platform prints it: the registering organisation and another civil-society
 * organisation together ("another organisation or one of our members"); `unknown` is not answered.
 */
const identifiedByCodes: AxisCode[] = codesOf(identifiedBy.items, ['unknown']).flatMap((c) =>
  c.code === 'own_organisation'
    ? [{ code: 'civil_society', label: { sv: 'Civilsamhället (egen eller annan organisation)', en: 'Civil society (own or another organisation)' } }]
    : c.code === 'other_organisation'
      ? []
      : [c],
);
/** The row of `identified_by` in the report. */
export function identifiedByRow(code: CaseData['identified_by']): string | null {
  if (code === null || code === 'unknown') return null;
  return code === 'own_organisation' || code === 'other_organisation' ? 'civil_society' : code;
}
const socialCodes = codesOf(socialServicesSupport.items);
const civilCodes = codesOf(civilSocietySupport.items);
const whyCodes = codesOf(whyCivilSociety.items);
const policeCodes = codesOf(policeReport.items);
const offenceCodes = codesOf(offenceReported.items);
const legalCodes = codesOf(legalStatus.items);

const fixed = (codes: readonly AxisCode[]) => () => codes;

const tables: SourceTableSpec[] = [
  {
    id: 'contacts',
    number: 1,
    section: S.contacts,
    title: { sv: 'Kontakter efter typ av utsatthet', en: 'Contacts by type of exposure' },
    rows: { heading: { sv: 'Utsatthet', en: 'Exposure' }, codes: fixed(contactCodes) },
    multi: false,
    unit: 'person',
    base: B.all,
    percent: true,
    note: {
      sv: 'Indirekt utsatta är barn eller andra närstående i beroendeställning till en direkt utsatt; ett barn som självt utsatts räknas som direkt utsatt.',
      en: 'Indirectly exposed are children or other dependants of a directly exposed person; a child exposed themself counts as directly exposed.',
    },
    read: (records) => readSingle(records, contactCodes, (r) => r.contact_type),
  },
  {
    id: 'minors',
    number: 2,
    section: S.contacts,
    title: { sv: 'Minderåriga efter typ av utsatthet', en: 'Minors by type of exposure' },
    rows: { heading: { sv: 'Utsatthet', en: 'Exposure' }, codes: fixed(contactCodes) },
    multi: false,
    unit: 'person',
    base: B.minors,
    percent: true,
    read: (records) => readSingle(records.filter((r) => r.age_group === 'child'), contactCodes, (r) => r.contact_type),
  },
  {
    id: 'age',
    number: 3,
    section: S.direct,
    title: { sv: 'Åldersfördelning', en: 'Age' },
    rows: { heading: { sv: 'Ålder', en: 'Age' }, codes: fixed(ageCodes) },
    multi: false,
    unit: 'person',
    base: B.directAnswered,
    percent: true,
    figure: { title: { sv: 'Åldersfördelning, direkt utsatta', en: 'Age, directly exposed' } },
    read: (records) => readSingle(direct(records), ageCodes, (r) => r.age_group),
  },
  {
    id: 'sex',
    number: 4,
    section: S.direct,
    title: { sv: 'Könsfördelning', en: 'Sex' },
    rows: { heading: { sv: 'Kön', en: 'Sex' }, codes: fixed(sexCodes) },
    multi: false,
    unit: 'person',
    base: B.directAnswered,
    percent: true,
    figure: { title: { sv: 'Könsfördelning, direkt utsatta', en: 'Sex, directly exposed' } },
    note: {
      sv: 'Andelen är av dem vars kön är känt; av alla direkt utsatta, okänt kön medräknat, blir andelen kvinnor lägre.',
      en: 'Shares are of those whose sex is known; of all directly exposed, unknown sex included, the share of women is lower.',
    },
    read: (records) => readSingle(direct(records), sexCodes, (r) => r.sex),
  },
  {
    id: 'exploitation_form',
    number: 5,
    section: S.direct,
    title: { sv: 'Exploateringsform', en: 'Form of exploitation' },
    rows: { heading: { sv: 'Exploateringsform', en: 'Form of exploitation' }, codes: fixed(formCodes), sensitive: true },
    multi: false,
    unit: 'person',
    base: B.directAnswered,
    percent: true,
    figure: { title: { sv: 'Exploateringsform, direkt utsatta', en: 'Form of exploitation, directly exposed' } },
    note: {
      sv: 'Multipel exploatering: två eller flera former. Annan form: hushållsarbete, organhandel, krigstjänst, illegal adoption och annat.',
      en: 'Multiple exploitation: two or more forms. Other form: domestic work, organ removal, military service, illegal adoption and other.',
    },
    read: (records) => readSingle(direct(records), formCodes, (r) => formGroupOf(r.exploitation_forms)),
  },
  {
    id: 'origin_region',
    number: 6,
    section: S.origin,
    title: { sv: 'Ursprung efter världsregion', en: 'Origin by world region' },
    rows: { heading: { sv: 'Världsregion', en: 'World region' }, codes: fixed(regionCodes) },
    multi: false,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Ursprung efter världsregion', en: 'Origin by world region' } },
    note: {
      sv: 'Ursprungsregionen när den är angiven, annars regionen för personens medborgarskap. EU inkluderar Sverige.',
      en: 'The region of origin where given, otherwise the region of the person’s nationality. The EU includes Sweden.',
    },
    read: (records) => readSingle(records, regionCodes, (r) => originRegion(r)),
  },
  {
    id: 'exploited_in_sweden',
    number: 7,
    section: S.direct,
    title: { sv: 'Utsatt i Sverige', en: 'Exploited in Sweden' },
    rows: { heading: { sv: 'Utsatt i Sverige', en: 'Exploited in Sweden' }, codes: fixed(yesNoCodes) },
    multi: false,
    unit: 'person',
    base: B.directAnswered,
    percent: true,
    read: (records) => readSingle(direct(records), yesNoCodes, (r) => r.exploited_in_sweden),
  },
  {
    id: 'identified_by',
    number: 8,
    section: S.identification,
    title: { sv: 'Vem identifierade personen', en: 'Who identified the person' },
    rows: { heading: { sv: 'Identifierad av', en: 'Identified by' }, codes: fixed(identifiedByCodes) },
    multi: false,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Vem identifierade personen', en: 'Who identified the person' } },
    note: {
      sv: 'Civilsamhället: den registrerande organisationen eller en annan organisation i civilsamhället.',
      en: 'Civil society: the registering organisation or another civil-society organisation.',
    },
    read: (records) => readSingle(records, identifiedByCodes, (r) => identifiedByRow(r.identified_by)),
  },
  {
    id: 'social_services',
    number: 9,
    section: S.support,
    title: { sv: 'Stöd från socialtjänsten', en: 'Support from the social services' },
    rows: { heading: { sv: 'Stöd', en: 'Support' }, codes: fixed(socialCodes) },
    multi: true,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Stöd från socialtjänsten', en: 'Support from the social services' } },
    note: {
      sv: 'En person kan ha fått flera former av stöd; andelarna kan summera till mer än 100 %.',
      en: 'A person may have received several kinds of support; the shares may add to more than 100 %.',
    },
    read: (records) => readMulti(records, socialCodes, (r) => r.support?.social_services ?? null),
  },
  {
    id: 'civil_society_support',
    number: 10,
    section: S.support,
    title: { sv: 'Insatser från civilsamhället', en: 'Support from civil society' },
    rows: { heading: { sv: 'Insats', en: 'Support' }, codes: fixed(civilCodes) },
    multi: true,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Insatser från civilsamhället', en: 'Support from civil society' } },
    note: {
      sv: 'En person kan ha fått flera insatser; andelarna är av personer och kan summera till mer än 100 %.',
      en: 'A person may have received several kinds of support; the shares are of persons and may add to more than 100 %.',
    },
    read: (records) => readMulti(records, civilCodes, (r) => r.support?.civil_society_support ?? null),
  },
  {
    id: 'why_civil_society',
    number: 11,
    section: S.support,
    title: { sv: 'Varför behövdes stödet från civilsamhället', en: 'Why support from civil society was needed' },
    rows: { heading: { sv: 'Skäl', en: 'Reason' }, codes: fixed(whyCodes) },
    multi: true,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Varför behövdes stödet från civilsamhället', en: 'Why support from civil society was needed' } },
    read: (records) => readMulti(records, whyCodes, (r) => r.support?.why_civil_society ?? null),
  },
  {
    id: 'police_report',
    number: 12,
    section: S.legal,
    title: { sv: 'Polisanmälan', en: 'Police report' },
    rows: { heading: { sv: 'Polisanmälan gjord', en: 'Reported to the police' }, codes: fixed(policeCodes) },
    multi: false,
    unit: 'person',
    base: B.directAnswered,
    percent: true,
    read: (records) => readSingle(direct(records), policeCodes, (r) => r.support?.police_report ?? null),
  },
  {
    id: 'offence_reported',
    number: 13,
    section: S.legal,
    title: { sv: 'Brottsrubricering i polisanmälan', en: 'Offences reported to the police' },
    rows: { heading: { sv: 'Brott', en: 'Offence' }, codes: fixed(offenceCodes) },
    multi: true,
    unit: 'person',
    base: B.reportedAnswered,
    percent: true,
    figure: { title: { sv: 'Brottsrubricering i polisanmälan', en: 'Offences reported to the police' } },
    note: {
      sv: 'En anmälan kan gälla flera brott; andelarna kan summera till mer än 100 %.',
      en: 'A report may name several offences; the shares may add to more than 100 %.',
    },
    read: (records) => readMulti(reported(records), offenceCodes, (r) => r.support?.offence_reported ?? null),
  },
  {
    id: 'legal_status',
    number: 14,
    section: S.legal,
    title: { sv: 'Status i rättsprocessen', en: 'Status of the legal process' },
    rows: { heading: { sv: 'Status', en: 'Status' }, codes: fixed(legalCodes) },
    multi: false,
    unit: 'person',
    base: B.reportedAnswered,
    percent: true,
    read: (records) => readSingle(reported(records), legalCodes, (r) => r.support?.legal_status ?? null),
  },
  {
    id: 'rights',
    number: 15,
    section: S.legal,
    title: { sv: 'Stöd och rättigheter inför och under rättsprocessen', en: 'Support and rights before and during the legal process' },
    rows: { heading: { sv: 'Rättighet', en: 'Right' }, codes: fixed(rights) },
    multi: true,
    unit: 'person',
    base: B.allAnswered,
    percent: true,
    figure: { title: { sv: 'Stöd och rättigheter inför och under rättsprocessen', en: 'Support and rights before and during the legal process' } },
    note: {
      sv: 'Andelarna är av personer som besvarat frågan, inte av antalet tillgodosedda rättigheter.',
      en: 'Shares are of persons who answered, not of the number of rights received.',
    },
    read: (records) => readRights(records),
  },
];

export const civilSocietyReport: SourceReportSpec = {
  source: 'civil_society',
  title: { sv: 'Civilsamhällets stöd till personer utsatta för människohandel', en: 'Civil society’s support to people exposed to human trafficking' },
  reporter: { sv: 'Plattformen Civila Sverige mot Människohandel', en: 'The Swedish Civil Society Platform against Human Trafficking' },
  years: (y) => ({ from: y, to: y }),
  includes: (r) => r.source === 'civil_society' && r.status !== 'withdrawn',
  tables,
};
