// Field names in words and the texts of every validation rule, in Swedish and English.
// Messages name the field and the rule, never the submitted value (values can be case contents).
import type { Label } from './codes.ts';

/** Field names as a coordinator knows them, keyed by path with list indices left out. */
export const fieldLabels: Record<string, Label> = {
  source: { sv: 'Källa', en: 'Source' },
  organisation_id: { sv: 'Organisation', en: 'Organisation' },
  region: { sv: 'Polisregion', en: 'Police region' },
  identified_on: { sv: 'Datum för kännedom', en: 'Date identified' },
  crime_type: { sv: 'Misstänkt brott', en: 'Suspected crime' },
  sex: { sv: 'Kön', en: 'Sex' },
  age: { sv: 'Ålder', en: 'Age' },
  age_group: { sv: 'Åldersgrupp', en: 'Age group' },
  exploitation_forms: { sv: 'Exploateringsform', en: 'Form of exploitation' },
  industries: { sv: 'Bransch', en: 'Industry' },
  nationality: { sv: 'Medborgarskap', en: 'Citizenship' },
  origin_region: { sv: 'Ursprung (världsdel)', en: 'Origin (world region)' },
  exploited_in_sweden: { sv: 'Exploaterad i Sverige', en: 'Exploited in Sweden' },
  exploitation_countries: { sv: 'Land där exploateringen skett', en: 'Country of exploitation' },
  referred_by: { sv: 'Hänvisande aktör', en: 'Referring actor' },
  identified_by: { sv: 'Identifierad av', en: 'Identified by' },
  workplace_inspection: {
    sv: 'Upptäckt vid myndighetsgemensam kontroll (AKC)',
    en: 'Found in a joint workplace inspection (AKC)',
  },
  related_children: { sv: 'Närstående barn', en: 'Related children' },
  'related_children.location': { sv: 'Närstående barn: var barnet finns', en: 'Related child: where the child is' },
  'related_children.age_band': { sv: 'Närstående barn: ålder', en: 'Related child: age' },
  contact_type: { sv: 'Typ av utsatthet (direkt/indirekt)', en: 'Contact type (direct/indirect)' },
  programme: { sv: 'Stödprogram', en: 'Support programme' },
  programme_status: { sv: 'Ansökt eller beviljat', en: 'Applied or granted' },
  programme_role: { sv: 'Roll i stödprogrammet', en: 'Role in the support programme' },
  rest_period_start: { sv: 'Betänketid i NSP: startdatum', en: 'NSP rest period: start date' },
  rest_period_end: { sv: 'Betänketid i NSP: slutdatum', en: 'NSP rest period: end date' },
  integration_period_start: { sv: 'Integrationsperiod i NSP: startdatum', en: 'NSP integration period: start date' },
  integration_period_end: { sv: 'Integrationsperiod i NSP: slutdatum', en: 'NSP integration period: end date' },
  return_country: { sv: 'Återvändandeland (ÅMP)', en: 'Return country (AVRR)' },
  support: { sv: 'Stöd och rättsprocess', en: 'Support and legal process' },
  linkage_key: { sv: 'Kopplingsnyckel', en: 'Linkage key' },
  'support.reflection_period': { sv: 'Betänketid', en: 'Reflection period' },
  'support.temporary_residence_permit': {
    sv: 'Tillfälligt uppehållstillstånd (TUT)',
    en: 'Temporary residence permit',
  },
  'support.nsp': { sv: 'Nationellt stödprogram (NSP)', en: 'National support programme (NSP)' },
  'support.nsp.status': { sv: 'NSP: beslut', en: 'NSP: decision' },
  'support.nsp.start_date': { sv: 'NSP: startdatum', en: 'NSP: start date' },
  'support.nsp.end_date': { sv: 'NSP: slutdatum', en: 'NSP: end date' },
  'support.amp': { sv: 'Återvändandeprogram (ÅMP)', en: 'Assisted return programme (AVRR)' },
  'support.police_report': { sv: 'Polisanmälan', en: 'Police report' },
  'support.offence_reported': { sv: 'Anmält brott', en: 'Offence reported' },
  'support.legal_status': { sv: 'Rättsprocessens läge', en: 'Legal process status' },
  'support.injured_party_counsel': { sv: 'Målsägandebiträde', en: 'Counsel for the injured party' },
  'support.coordinator_contact': { sv: 'Kontakt med regionkoordinator', en: 'Contact with a regional coordinator' },
  'support.social_services': { sv: 'Stöd från socialtjänsten', en: 'Support from social services' },
  'support.civil_society_support': { sv: 'Stöd från civilsamhället', en: 'Support from civil society' },
  'support.why_civil_society': {
    sv: 'Skäl till stöd från civilsamhället',
    en: 'Reason for civil-society support',
  },
  id: { sv: 'Id', en: 'Id' },
  reference: { sv: 'Ärendereferens', en: 'Case reference' },
  version: { sv: 'Version', en: 'Version' },
  status: { sv: 'Ärendestatus', en: 'Case status' },
  created_at: { sv: 'Skapad', en: 'Created' },
  updated_at: { sv: 'Ändrad', en: 'Updated' },
  created_by: { sv: 'Skapad av', en: 'Created by' },
};

/** The field's name in words for a dotted path; a list position is added as "nr N". */
export function fieldLabel(path: string): Label {
  const parts = path.split('.');
  const index = parts.find((p) => /^\d+$/.test(p));
  const key = parts.filter((p) => !/^\d+$/.test(p)).join('.');
  const base = Object.hasOwn(fieldLabels, key) ? fieldLabels[key] : key === '' ? { sv: 'Ärendet', en: 'The case' } : { sv: key, en: key };
  if (index === undefined) return base;
  const n = Number(index) + 1;
  return { sv: `${base.sv} (nr ${n})`, en: `${base.en} (no. ${n})` };
}

/** Extra facts a message may state: never the submitted value, only what the rule expects. */
export type MessageParams = { expected?: 'text' | 'number' | 'list' | 'boolean' | 'object'; unknownOption?: Label; region?: string; maxDays?: number };

type Template = (f: Label, p: MessageParams, path: string) => Label;

const expectedWords: Record<NonNullable<MessageParams['expected']>, Label> = {
  text: { sv: 'en text', en: 'a text' },
  number: { sv: 'ett tal', en: 'a number' },
  list: { sv: 'en lista', en: 'a list' },
  boolean: { sv: 'sant eller falskt (true/false)', en: 'true or false' },
  object: { sv: 'en grupp av fält', en: 'a group of fields' },
};

const templates = {
  required: (f, p) => ({
    sv: `${f.sv} måste fyllas i.${p.unknownOption ? ` Välj ”${p.unknownOption.sv}” om uppgiften inte är känd.` : ''}`,
    en: `${f.en} is required.${p.unknownOption ? ` Choose “${p.unknownOption.en}” if it is not known.` : ''}`,
  }),
  type: (f, p) => {
    const e = expectedWords[p.expected ?? 'text'];
    return { sv: `${f.sv} ska vara ${e.sv}.`, en: `${f.en} must be ${e.en}.` };
  },
  integer: (f) => ({ sv: `${f.sv} ska vara ett heltal.`, en: `${f.en} must be a whole number.` }),
  range: (f) => ({ sv: `${f.sv} ska vara mellan 0 och 120 år.`, en: `${f.en} must be between 0 and 120 years.` }),
  code: (f, _p, path) =>
    /^(nationality|exploitation_countries|return_country)\b/.test(path)
      ? {
          sv: `${f.sv} ska vara en landskod enligt ISO 3166-1 (två bokstäver, t.ex. SE).`,
          en: `${f.en} must be an ISO 3166-1 country code (two letters, e.g. SE).`,
        }
      : {
          sv: `${f.sv} har ett värde som inte finns i kodlistan.`,
          en: `${f.en} has a value that is not in the code list.`,
        },
  industry_group: (f) => ({
    sv: `${f.sv}: välj en bransch inom gruppen, inte gruppen själv (t.ex. Bärplockning i stället för Grön näring).`,
    en: `${f.en}: choose an industry within the group, not the group itself (e.g. Berry picking instead of Agriculture, forestry and fishing).`,
  }),
  format: (f, _p, path) => {
    if (/(^identified_on|_date|_period_start|_period_end)$/.test(path))
      return {
        sv: `${f.sv} ska vara ett verkligt datum skrivet ÅÅÅÅ-MM-DD.`,
        en: `${f.en} must be a real date written YYYY-MM-DD.`,
      };
    if (path === 'organisation_id')
      return {
        sv: `${f.sv} ska vara organisationens kortnamn: små bokstäver, siffror och bindestreck (t.ex. rk-syd).`,
        en: `${f.en} must be the organisation's short name: lower-case letters, digits and hyphens (e.g. rk-syd).`,
      };
    if (path === 'linkage_key')
      return {
        sv: `${f.sv} ska vara 64 tecken av siffror 0–9 och små bokstäver a–f, beräknad i webbläsaren eller vid import.`,
        en: `${f.en} must be 64 characters of digits 0–9 and lower-case letters a–f, computed in the browser or on import.`,
      };
    return { sv: `${f.sv} har fel format.`, en: `${f.en} has the wrong format.` };
  },
  // The unknown name itself is in the path only: it was typed by the sender.
  unknown_field: () => ({
    sv: 'Fältet finns inte i datastandarden. Kontrollera stavningen.',
    en: 'The field is not part of the data standard. Check the spelling.',
  }),
  control_characters: (f) => ({
    sv: `${f.sv} innehåller styrtecken (t.ex. nolltecken, tabb eller radbrytning), som inte är tillåtna.`,
    en: `${f.en} contains control characters (such as NUL, tab or line break), which are not allowed.`,
  }),
  duplicate_code: (f) => ({
    sv: `${f.sv}: samma val finns mer än en gång.`,
    en: `${f.en}: the same choice is given more than once.`,
  }),
  age_group_mismatch: (f) => ({
    sv: `${f.sv} stämmer inte med åldern (under 18 år är barn, 18 år eller äldre är vuxen).`,
    en: `${f.en} does not agree with the age (under 18 is a child, 18 or older an adult).`,
  }),
  industries_without_labour: (f) => ({
    sv: `${f.sv} får bara anges när Arbetskraft är en av exploateringsformerna.`,
    en: `${f.en} may only be given when Labour exploitation is one of the forms.`,
  }),
  date_future: (f) => ({ sv: `${f.sv} får inte ligga i framtiden.`, en: `${f.en} must not be in the future.` }),
  date_before_2018: (f) => ({
    sv: `${f.sv} får inte vara före 2018-01-01.`,
    en: `${f.en} must not be before 2018-01-01.`,
  }),
  crime_type_unknown_for_coordinator: (f) => ({
    sv: `${f.sv} måste anges av regionkoordinatorn: välj Människohandel eller Människoexploatering.`,
    en: `${f.en} must be given by the regional coordinator: choose Human trafficking or Human exploitation.`,
  }),
  organisation_region: (f, p) => ({
    sv: `${f.sv} ska vara regionens kontor (${p.region ?? 'rk-<region>'}) för en regionkoordinators ärende.`,
    en: `${f.en} must be the region's office (${p.region ?? 'rk-<region>'}) for a regional coordinator's case.`,
  }),
  nsp_end_before_start: (f) => ({
    sv: `${f.sv} får inte vara före startdatum.`,
    en: `${f.en} must not be before the start date.`,
  }),
  programme_without_support_programme: (f) => ({
    sv: `${f.sv} får bara anges i ett stödprograms ärende (källa Stödprogram).`,
    en: `${f.en} may only be given in a support programme's record (source Support programme).`,
  }),
  period_without_nsp: (f) => ({
    sv: `${f.sv} får bara anges när stödprogrammet är NSP.`,
    en: `${f.en} may only be given when the support programme is NSP.`,
  }),
  return_country_without_amp: (f) => ({
    sv: `${f.sv} får bara anges när stödprogrammet är ÅMP.`,
    en: `${f.en} may only be given when the support programme is AVRR (ÅMP).`,
  }),
  period_incomplete: (f) => ({
    sv: `${f.sv} måste fyllas i när periodens andra datum är ifyllt.`,
    en: `${f.en} is required when the period's other date is given.`,
  }),
  period_end_before_start: (f) => ({
    sv: `${f.sv} får inte vara före periodens startdatum.`,
    en: `${f.en} must not be before the period's start date.`,
  }),
  period_too_long: (f, p) => ({
    sv: `${f.sv}: perioden får vara högst ${p.maxDays ?? ''} dagar, start- och slutdag inräknade.`,
    en: `${f.en}: the period may be at most ${p.maxDays ?? ''} days, the start and end days included.`,
  }),
  // Warnings: they never block registration.
  period_without_grant: (f) => ({
    sv: `${f.sv}: periodens datum är ifyllda men stödet är inte markerat som beviljat.`,
    en: `${f.en}: the period's dates are filled in but the support is not marked as granted.`,
  }),
  exploitation_crime_form: (f) => ({
    sv: `${f.sv}: människoexploatering (BrB 4:1b) gäller arbete och tiggeri. Sexuella ändamål, tvångsäktenskap, organhandel, krigstjänst och illegal adoption registreras som människohandel.`,
    en: `${f.en}: human exploitation (Penal Code 4:1b) covers work and begging only. Sexual exploitation, forced marriage, organ removal, military service and illegal adoption are registered as human trafficking.`,
  }),
  exploitation_before_in_force: (f) => ({
    sv: `${f.sv}: människoexploatering (BrB 4:1b) gäller från 2018-07-01, och datum för kännedom är tidigare.`,
    en: `${f.en}: human exploitation (Penal Code 4:1b) is in force from 2018-07-01, and the date identified is earlier.`,
  }),
  exploited_in_sweden_conflict: (f) => ({
    sv: `${f.sv} innehåller Sverige, men Exploaterad i Sverige är Nej.`,
    en: `${f.en} includes Sweden, but Exploited in Sweden is No.`,
  }),
  nsp_dates_without_grant: (f) => ({
    sv: `${f.sv}: datum för NSP är ifyllda men stödet är inte markerat som beviljat.`,
    en: `${f.en}: NSP dates are filled in but the support is not marked as granted.`,
  }),
  unknown_with_other_codes: (f) => ({
    sv: `${f.sv}: Okänd är vald tillsammans med andra val.`,
    en: `${f.en}: Unknown is chosen together with other choices.`,
  }),
  // CSV file structure.
  unknown_column: () => ({
    sv: 'Kolumnen finns inte i datastandarden. Kontrollera stavningen i rubrikraden.',
    en: 'The column is not part of the data standard. Check the spelling in the header row.',
  }),
  duplicate_column: () => ({
    sv: 'Kolumnen finns mer än en gång i rubrikraden.',
    en: 'The column appears more than once in the header row.',
  }),
  missing_column: (f) => ({
    sv: `Kolumnen saknas i rubrikraden (${f.sv}).`,
    en: `The column is missing from the header row (${f.en}).`,
  }),
  column_count: () => ({
    sv: 'Raden har fler celler än rubrikraden.',
    en: 'The row has more cells than the header row.',
  }),
  unclosed_quote: () => ({
    sv: 'Ett citattecken öppnas men stängs aldrig; resten av filen kunde inte läsas.',
    en: 'A quotation mark is opened but never closed; the rest of the file could not be read.',
  }),
  empty_file: () => ({ sv: 'Filen saknar rubrikrad.', en: 'The file has no header row.' }),
  delimiter: () => ({
    sv: 'Filen är semikolonseparerad. Spara den som CSV UTF-8 (kommaavgränsad).',
    en: 'The file is separated by semicolons. Save it as CSV UTF-8 (comma-delimited).',
  }),
  encoding: () => ({
    sv: 'Filen är inte sparad som UTF-8 (tecken som å, ä och ö kan inte läsas). Spara den som CSV UTF-8.',
    en: 'The file is not saved as UTF-8 (characters such as å, ä and ö cannot be read). Save it as CSV UTF-8.',
  }),
} satisfies Record<string, Template>;

export type RuleId = keyof typeof templates;

/** Every rule id that validation and import can report. */
export const ruleIds = Object.keys(templates) as RuleId[];

/** The message of a rule for a field path, in Swedish and English. */
export function ruleMessage(rule: RuleId, path: string, params: MessageParams = {}): Label {
  return templates[rule](fieldLabel(path), params, path);
}
