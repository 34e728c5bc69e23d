// The code lists of the data standard (docs/data-standard.md, sections 1–4).
// Each list is written once here; forms, API, import, reports and exports read it.

export type Lang = 'sv' | 'en';
export type Label = { sv: string; en: string };
export type CodeEntry<C extends string = string> = { code: C } & Label & { group?: string };

function list<const C extends string>(entries: readonly (readonly [C, string, string])[]) {
  const items = entries.map(([code, sv, en]) => ({ code, sv, en })) as CodeEntry<C>[];
  const codes = items.map((i) => i.code) as [C, ...C[]];
  return { items, codes };
}

export const source = list([
  ['coordinator', 'Regionkoordinator', 'Regional coordinator'],
  ['civil_society', 'Civilsamhället', 'Civil society'],
  ['support_programme', 'Stödprogram (NSP, ÅMP)', 'Support programme (NSP, AVRR)'],
] as const);

export const region = list([
  ['stockholm', 'Stockholm', 'Stockholm'],
  ['bergslagen', 'Bergslagen', 'Bergslagen'],
  ['nord', 'Nord', 'North'],
  ['mitt', 'Mitt', 'Central'],
  ['ost', 'Öst', 'East'],
  ['vast', 'Väst', 'West'],
  ['syd', 'Syd', 'South'],
] as const);

/** Three-letter prefixes of case references, one per region (STH-2025-0042). */
export const regionReferencePrefix: Record<RegionCode, string> = {
  stockholm: 'STH',
  bergslagen: 'BGL',
  nord: 'NRD',
  mitt: 'MTT',
  ost: 'OST',
  vast: 'VST',
  syd: 'SYD',
};

export const crimeType = list([
  ['trafficking', 'Människohandel', 'Human trafficking'],
  ['exploitation', 'Människoexploatering', 'Human exploitation'],
  ['unknown', 'Okänt', 'Unknown'],
] as const);

export const sex = list([
  ['female', 'Kvinna/flicka', 'Woman/girl'],
  ['male', 'Man/pojke', 'Man/boy'],
  ['other', 'Annan könsidentitet', 'Other gender identity'],
  ['unknown', 'Okänt', 'Unknown'],
] as const);

export const ageGroup = list([
  ['adult', 'Vuxen', 'Adult'],
  ['child', 'Barn', 'Child'],
  ['unknown', 'Okänd ålder', 'Age unknown'],
] as const);

export const personGroup = list([
  ['woman', 'Kvinnor', 'Women'],
  ['man', 'Män', 'Men'],
  ['girl', 'Flickor', 'Girls'],
  ['boy', 'Pojkar', 'Boys'],
  ['other', 'Annan könsidentitet', 'Other gender identity'],
  ['unknown', 'Okänt', 'Unknown'],
  ['age_unknown', 'Okänd ålder', 'Age unknown'],
] as const);

export const exploitationForm = list([
  ['sexual', 'Sexuella ändamål', 'Sexual exploitation'],
  ['labour', 'Arbetskraft', 'Labour exploitation'],
  ['criminality', 'Kriminalitet', 'Forced criminality'],
  ['begging', 'Tiggeri', 'Begging'],
  ['domestic_work', 'Hushållsarbete', 'Domestic work'],
  ['forced_marriage', 'Tvångsäktenskap', 'Forced marriage'],
  ['organ_removal', 'Organhandel', 'Organ removal'],
  ['military_service', 'Krigstjänst', 'Military service'],
  ['illegal_adoption', 'Illegal adoption', 'Illegal adoption'],
  ['other', 'Annat', 'Other'],
] as const);

/** Exploitation category: a single form, `multiple` or `unknown` (data standard 3.5). */
export const category = list([
  ...exploitationForm.items.map((i) => [i.code, i.sv, i.en] as const),
  ['multiple', 'Multipel exploatering', 'Multiple exploitation'],
  ['unknown', 'Okänd / ej redovisat', 'Unknown / not reported'],
] as const);

export const industryGroup = list([['green', 'Grön näring', 'Agriculture, forestry and fishing']] as const);

export const industry = list([
  ['berry_picking', 'Bärplockning', 'Berry picking'],
  ['forestry', 'Skogsbruk', 'Forestry'],
  ['agriculture', 'Jordbruk', 'Agriculture'],
  ['gardening', 'Trädgårdsarbete', 'Gardening'],
  ['animal_husbandry', 'Djurhållning', 'Animal husbandry'],
  ['fishing', 'Fiske', 'Fishing'],
  ['construction', 'Bygg (inkl. asfalts- och stenläggning)', 'Construction (incl. paving)'],
  ['hotel_restaurant', 'Hotell och restaurang', 'Hotels and restaurants'],
  ['beauty_body_care', 'Skönhet och kroppsvård (inkl. massage)', 'Beauty and body care (incl. massage)'],
  ['cleaning', 'Städ', 'Cleaning'],
  ['transport', 'Transport och logistik', 'Transport and logistics'],
  ['manufacturing', 'Tillverkning', 'Manufacturing'],
  ['food_processing', 'Livsmedelsberedning', 'Food processing'],
  ['retail', 'Handel', 'Retail'],
  ['vehicle_services', 'Fordonsvård (biltvätt, däck)', 'Vehicle services (car wash, tyres)'],
  ['au_pair', 'Au pair', 'Au pair'],
  ['other', 'Annan bransch', 'Other industry'],
  ['unknown', 'Okänd bransch', 'Unknown industry'],
] as const);

/** The industry hierarchy: leaf code → group code (leaves with no entry are their own group). */
export const industryParent: Partial<Record<IndustryCode, IndustryGroupCode>> = {
  berry_picking: 'green',
  forestry: 'green',
  agriculture: 'green',
  gardening: 'green',
  animal_husbandry: 'green',
  fishing: 'green',
};

export const referredBy = list([
  ['own_outreach', 'Egen uppsökande verksamhet', 'Own outreach'],
  ['migration_agency', 'Migrationsverket', 'Swedish Migration Agency'],
  ['police', 'Polisen', 'Police'],
  ['border_police', 'Gränspolisen', 'Border police'],
  ['civil_society', 'Civilsamhället', 'Civil society'],
  ['migration_detention', 'Migrationsverkets förvar', 'Migration Agency detention'],
  ['other_actor', 'Annan aktör', 'Other actor'],
  ['other_coordinator', 'Annan regionkoordinator', 'Another regional coordinator'],
  ['social_services', 'Socialtjänsten', 'Social services'],
  ['self_referral', 'Personen tar egen kontakt', 'Self-referral'],
  ['public', 'Allmänheten', 'Member of the public'],
  ['relative', 'Anhörig / Närstående', 'Relative / next of kin'],
  ['healthcare', 'Hälso- och sjukvården', 'Health care'],
  ['mika_evonhuset', 'MIKA-mottagning eller Evonhuset', 'MIKA clinic or Evonhuset'],
  ['unknown', 'Okänt', 'Unknown'],
] as const);

export const childLocation = list([
  ['in_sweden', 'Medföljande, i Sverige', 'Accompanying, in Sweden'],
  ['abroad', 'I annat land', 'In another country'],
] as const);

export const childAgeBand = list([
  ['0_11', '0–11 år', '0–11 years'],
  ['12_17', '12–17 år', '12–17 years'],
  ['unknown', 'Okänd ålder', 'Age unknown'],
] as const);

export const contactType = list([
  ['direct', 'Direkt utsatt', 'Directly exposed'],
  ['indirect', 'Indirekt utsatt (barn till utsatt)', 'Indirectly exposed (child of an exposed person)'],
] as const);

export const yesNo = list([
  ['yes', 'Ja', 'Yes'],
  ['no', 'Nej', 'No'],
] as const);

export const caseStatus = list([
  ['open', 'Öppet', 'Open'],
  ['closed', 'Avslutat', 'Closed'],
  ['withdrawn', 'Återkallat (registrerat av misstag)', 'Withdrawn (registered in error)'],
] as const);

// Support and legal process (data standard 4).
export const applicationStatus = list([
  ['not_applied', 'Ej ansökt', 'Not applied'],
  ['applied', 'Ansökt', 'Applied'],
  ['granted', 'Beviljad', 'Granted'],
  ['refused', 'Avslag', 'Refused'],
] as const);

export const policeReport = list([
  ['yes', 'Ja', 'Yes'],
  ['no', 'Nej', 'No'],
  ['unknown', 'Vet ej', 'Unknown'],
] as const);

export const offenceReported = list([
  ['trafficking', 'Människohandel', 'Human trafficking'],
  ['exploitation', 'Människoexploatering', 'Human exploitation'],
  ['procuring', 'Koppleri', 'Procuring'],
  ['purchase_of_sex', 'Köp av sexuell tjänst', 'Purchase of sexual services'],
  ['rape', 'Våldtäkt', 'Rape'],
  ['assault', 'Misshandel', 'Assault'],
  ['unlawful_threat', 'Olaga hot', 'Unlawful threat'],
  ['other', 'Annat brott', 'Other offence'],
] as const);

export const legalStatus = list([
  ['unknown', 'Vet ej', 'Unknown'],
  ['investigation_not_started', 'Förundersökning ej påbörjad', 'Investigation not started'],
  ['investigation_ongoing', 'Förundersökning pågår', 'Investigation ongoing'],
  ['investigation_closed', 'Förundersökning lades ner', 'Investigation closed'],
  ['prosecuted', 'Åtal väckt', 'Prosecuted'],
  ['convicted', 'Fällande dom', 'Convicted'],
  ['acquitted', 'Friande dom', 'Acquitted'],
] as const);

export const socialServicesSupport = list([
  ['social_worker_support', 'Stöd från socialsekreterare', 'Support from a social worker'],
  ['applied', 'Sökt stöd', 'Applied for support'],
  ['financial_assistance', 'Försörjningsstöd', 'Financial assistance'],
  ['protected_housing', 'Skyddat boende', 'Protected housing'],
  ['emergency_housing', 'Akutboende', 'Emergency housing'],
  ['emergency_assistance', 'Nödbistånd', 'Emergency assistance'],
  ['mika_evonhuset', 'Stöd från Mika/Evonhuset', 'Support from Mika/Evonhuset'],
  ['not_contacted', 'Ej kontaktat', 'Not contacted'],
  ['not_entitled', 'Har ej rätt till stöd', 'Not entitled to support'],
  ['not_relevant', 'Ej relevant', 'Not relevant'],
] as const);

export const civilSocietySupport = list([
  ['legal_advice', 'Juridisk rådgivning', 'Legal advice'],
  ['psychological', 'Psykologiskt stöd', 'Psychological support'],
  ['material', 'Materiellt stöd', 'Material support'],
  ['authority_contact', 'Stöd i kontakt med myndigheter', 'Support in contacts with authorities'],
  ['interpretation', 'Översättning och tolkning', 'Translation and interpretation'],
  ['housing', 'Lämpligt och säkert boende', 'Suitable and safe housing'],
  ['identification_advice', 'Identifiering och initial rådgivning', 'Identification and initial advice'],
  ['basic_needs', 'Grundläggande behov', 'Basic needs'],
  ['acute_medical', 'Akut medicinsk behandling', 'Acute medical treatment'],
  ['legal_process', 'Stöd i juridiska processer', 'Support in legal proceedings'],
  ['return', 'Stöd i återvändandet', 'Support in return'],
  ['education_children', 'Utbildning för barn', 'Education for children'],
  ['lost_contact', 'Tappat kontakt', 'Lost contact'],
  ['other', 'Annat stöd', 'Other support'],
] as const);

export const whyCivilSociety = list([
  ['more_than_offered', 'Behövdes mer stöd än vad som erbjöds', 'More support was needed than was offered'],
  ['refused_by_authorities', 'Beviljades inte stöd', 'Support was refused'],
  ['no_authority_contact', 'Ville inte ha kontakt med myndigheter', 'Did not want contact with authorities'],
] as const);

// Civil society and the support programmes (data standard 2 and 3.9).
/** World regions of origin, as the civil-society platform's annual statistics groups them (EU includes Sweden). */
export const worldRegion = list([
  ['eu', 'EU', 'EU'],
  ['other_europe', 'Övriga Europa', 'Rest of Europe'],
  ['africa', 'Afrika', 'Africa'],
  ['asia', 'Asien', 'Asia'],
  ['middle_east', 'Mellanöstern', 'Middle East'],
  ['north_america', 'Nordamerika', 'North America'],
  ['central_america', 'Centralamerika', 'Central America'],
  ['south_america', 'Sydamerika', 'South America'],
  ['oceania', 'Oceanien', 'Oceania'],
] as const);

/** Who first identified the person as possibly exposed. */
export const identifiedBy = list([
  ['regional_coordinator', 'Regionkoordinator', 'Regional coordinator'],
  ['own_organisation', 'Den egna organisationen', 'The registering organisation'],
  ['other_organisation', 'Annan organisation i civilsamhället', 'Another civil-society organisation'],
  ['police', 'Polisen', 'Police'],
  ['social_services', 'Socialtjänsten', 'Social services'],
  ['migration_agency', 'Migrationsverket', 'Swedish Migration Agency'],
  ['healthcare', 'Hälso- och sjukvården', 'Health care'],
  ['other_authority', 'Annan myndighet', 'Another authority'],
  ['self', 'Personen själv', 'The person themself'],
  ['other', 'Annan aktör', 'Other actor'],
  ['unknown', 'Okänt', 'Unknown'],
] as const);

/** The support programme of a `support_programme` record. */
export const programme = list([
  ['nsp', 'Nationellt stödprogram (NSP)', 'National support programme (NSP)'],
  ['amp', 'Återvändandeprogram (ÅMP)', 'Assisted return programme (AVRR)'],
] as const);

/** Where a support-programme record's application stands. */
export const programmeStatus = list([
  ['applied', 'Ansökt', 'Applied'],
  ['granted', 'Beviljat', 'Granted'],
  ['refused', 'Avslag', 'Refused'],
] as const);

/** A person's role in a support-programme record: the exposed person, or a family member or child granted support with them. */
export const programmeRole = list([
  ['exposed', 'Utsatt', 'Exposed person'],
  ['accompanying_family', 'Medföljande familjemedlem', 'Accompanying family member'],
  ['accompanying_child', 'Medföljande barn', 'Accompanying child'],
] as const);

export type SourceCode = (typeof source.codes)[number];
export type RegionCode = (typeof region.codes)[number];
export type CrimeTypeCode = (typeof crimeType.codes)[number];
export type SexCode = (typeof sex.codes)[number];
export type AgeGroupCode = (typeof ageGroup.codes)[number];
export type PersonGroupCode = (typeof personGroup.codes)[number];
export type ExploitationFormCode = (typeof exploitationForm.codes)[number];
export type CategoryCode = (typeof category.codes)[number];
export type IndustryCode = (typeof industry.codes)[number];
export type IndustryGroupCode = (typeof industryGroup.codes)[number];
export type ReferredByCode = (typeof referredBy.codes)[number];
export type ChildLocationCode = (typeof childLocation.codes)[number];
export type ChildAgeBandCode = (typeof childAgeBand.codes)[number];
export type CaseStatusCode = (typeof caseStatus.codes)[number];
export type WorldRegionCode = (typeof worldRegion.codes)[number];
export type IdentifiedByCode = (typeof identifiedBy.codes)[number];
export type ProgrammeCode = (typeof programme.codes)[number];
export type ProgrammeRoleCode = (typeof programmeRole.codes)[number];

/** Every named code list, as served by /api/codes and used for label lookup on import. */
export const codeLists = {
  source,
  region,
  crime_type: crimeType,
  sex,
  age_group: ageGroup,
  person_group: personGroup,
  exploitation_form: exploitationForm,
  category,
  industry_group: industryGroup,
  industry,
  referred_by: referredBy,
  child_location: childLocation,
  child_age_band: childAgeBand,
  contact_type: contactType,
  yes_no: yesNo,
  status: caseStatus,
  application_status: applicationStatus,
  police_report: policeReport,
  offence_reported: offenceReported,
  legal_status: legalStatus,
  social_services_support: socialServicesSupport,
  civil_society_support: civilSocietySupport,
  why_civil_society: whyCivilSociety,
  world_region: worldRegion,
  identified_by: identifiedBy,
  programme,
  programme_status: programmeStatus,
  programme_role: programmeRole,
} as const;

export type CodeListName = keyof typeof codeLists;

/** The label of a code in a language; the code itself when the list does not know it. */
export function labelOf(listName: CodeListName, code: string, lang: Lang = 'sv'): string {
  const entry = (codeLists[listName].items as CodeEntry[]).find((i) => i.code === code);
  return entry ? entry[lang] : code;
}

/** The office of a region: organisation slug `rk-<region>`. */
export function regionOffice(r: RegionCode): string {
  return `rk-${r}`;
}
