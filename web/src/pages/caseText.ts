// How a case's fields read on the page: labels from /api/codes.
import type { CaseEvent } from '../../../src/contract/index.ts';
import type { Codes } from '../codes.ts';
import { codeLabel, countryLabel } from '../codes.ts';
import type { Lang } from '../i18n.ts';

const listOfField: Record<string, string> = {
  source: 'source', region: 'region', crime_type: 'crime_type', sex: 'sex', age_group: 'age_group', exploitation_forms: 'exploitation_form',
  industries: 'industry', exploited_in_sweden: 'yes_no', referred_by: 'referred_by', contact_type: 'contact_type', status: 'status',
  origin_region: 'world_region', identified_by: 'identified_by', programme: 'programme', programme_status: 'programme_status', programme_role: 'programme_role',
  'support.reflection_period': 'application_status', 'support.temporary_residence_permit': 'application_status', 'support.amp': 'application_status',
  'support.nsp.status': 'application_status', 'support.police_report': 'police_report', 'support.offence_reported': 'offence_reported',
  'support.legal_status': 'legal_status', 'support.injured_party_counsel': 'yes_no', 'support.coordinator_contact': 'yes_no',
  'support.social_services': 'social_services_support', 'support.civil_society_support': 'civil_society_support', 'support.why_civil_society': 'why_civil_society',
};

export function valueText(codes: Codes | null, path: string, value: unknown, lang: Lang, yes: string, no: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) {
    if (path === 'related_children') return (value as { location: string; age_band: string }[]).map((c) => `${codeLabel(codes, 'child_location', c.location, lang)}, ${codeLabel(codes, 'child_age_band', c.age_band, lang)}`).join('; ');
    return value.map((v) => valueText(codes, path, v, lang, yes, no)).join(', ');
  }
  if (typeof value === 'boolean') return value ? yes : no;
  if (path === 'nationality' || path === 'exploitation_countries' || path === 'return_country') return countryLabel(codes, String(value), lang);
  const list = listOfField[path];
  return list ? codeLabel(codes, list, String(value), lang) : String(value);
}

/** The data fields in the order of the data standard, support fields flattened. */
export const displayFields = [
  'source', 'organisation_id', 'region', 'identified_on', 'crime_type', 'sex', 'age', 'age_group', 'exploitation_forms', 'industries',
  'nationality', 'origin_region', 'exploited_in_sweden', 'exploitation_countries', 'referred_by', 'identified_by', 'workplace_inspection', 'related_children', 'contact_type',
  'programme', 'programme_status', 'programme_role', 'rest_period_start', 'rest_period_end', 'integration_period_start', 'integration_period_end', 'return_country',
  'support.reflection_period', 'support.temporary_residence_permit', 'support.nsp.status', 'support.nsp.start_date', 'support.nsp.end_date',
  'support.amp', 'support.police_report', 'support.offence_reported', 'support.legal_status', 'support.injured_party_counsel',
  'support.coordinator_contact', 'support.social_services', 'support.civil_society_support', 'support.why_civil_society', 'linkage_key',
];

export function valueAt(record: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), record);
}

export function fieldName(codes: Codes | null, path: string, lang: Lang): string {
  return codes?.fields[path]?.[lang] ?? codes?.fields[path.replace(/\.\d+(?=\.|$)/g, '')]?.[lang] ?? path;
}

/** Every event of a case's history has its name (a new event fails the type check until it has one). */
const eventKeys: Record<CaseEvent, string> = {
  create: 'case.events.create', import: 'case.events.import', change: 'case.events.change',
  close: 'case.events.close', reopen: 'case.events.reopen', withdraw: 'case.events.withdraw',
};

/** "Skapat", "Avslutat" … for a version's event; an event this app does not know is shown as sent. */
export function eventName(operation: string, t: (key: string) => string): string {
  const key = eventKeys[operation as CaseEvent];
  return key ? t(key) : operation;
}
