// The case form's state and its conversion to and from the API's case (data standard section 2 and 4).
// Pure, so it can be tested without a browser. The state's shape is derived from the standard's
// schema through the contract (a field added to src/standard/case.ts must be added here, or the
// type check fails), and the rules that depend on other fields come from /api/codes.
import type { CaseFields, CaseRules } from '../../src/contract/index.ts';

export type ChildRow = { key: number; location: string; age_band: string };

type Support = NonNullable<CaseFields['support']>;
/** A field as a form control holds it: text, the codes ticked, or a yes/no/unanswered choice. */
type AsControls<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends readonly string[] ? string[] : NonNullable<T[K]> extends boolean ? '' | 'true' | 'false' : string;
};

export type CaseFormState = Omit<AsControls<CaseFields>, 'related_children' | 'support'> & {
  related_children: ChildRow[];
  /** Support with the NSP object's three fields flattened into the form. */
  support: Omit<AsControls<Support>, 'nsp'> & { nsp_status: string; nsp_start_date: string; nsp_end_date: string };
};

/** The request body as the form sends it: every field of the standard, values as typed (the server judges them). */
export type CasePayload = { [K in keyof CaseFields]: unknown };

/** A field the rules require of a case of this source (the `rules` section of /api/codes). */
export function isRequired(rules: CaseRules | null, source: string, field: string): boolean {
  return (rules?.required[source as keyof CaseRules['required']] as readonly string[] | undefined)?.includes(field) ?? false;
}

/** Codes of a field that a case of this source may not choose. */
export function refusedCodes(rules: CaseRules | null, source: string, field: string): readonly string[] {
  const refused = rules?.refused[source as keyof CaseRules['refused']] as Record<string, readonly string[] | undefined> | undefined;
  return refused?.[field] ?? [];
}

/**
 * Fields the form neither shows nor sends: their rule's other field lacks its code (industries
 * without labour), or is itself left out (a civil-society record's programme, and so its periods).
 */
export function inapplicable(f: CaseFormState, rules: CaseRules | null): Set<string> {
  const out = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules?.only_with ?? []) {
      if (out.has(r.field)) continue;
      const other = out.has(r.when.field) ? null : f[r.when.field as keyof CaseFormState];
      if (!(Array.isArray(other) ? (other as unknown[]).includes(r.when.includes) : other === r.when.includes)) {
        out.add(r.field);
        changed = true;
      }
    }
  }
  return out;
}

/** An empty form; the source and organisation are the signed-in user's when their role fixes them. */
export function emptyCase(region = '', source = 'coordinator', organisation = ''): CaseFormState {
  return {
    source,
    organisation_id: organisation,
    region,
    identified_on: '',
    crime_type: '',
    sex: '',
    age: '',
    age_group: '',
    exploitation_forms: [],
    industries: [],
    nationality: '',
    exploited_in_sweden: '',
    exploitation_countries: [],
    referred_by: '',
    workplace_inspection: '',
    related_children: [],
    contact_type: '',
    origin_region: '',
    identified_by: '',
    programme: '',
    programme_status: '',
    programme_role: '',
    rest_period_start: '',
    rest_period_end: '',
    integration_period_start: '',
    integration_period_end: '',
    return_country: '',
    linkage_key: '',
    support: {
      reflection_period: '',
      temporary_residence_permit: '',
      nsp_status: '',
      nsp_start_date: '',
      nsp_end_date: '',
      amp: '',
      police_report: '',
      offence_reported: [],
      legal_status: '',
      injured_party_counsel: '',
      coordinator_contact: '',
      social_services: [],
      civil_society_support: [],
      why_civil_society: [],
    },
  };
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** The request body: unanswered fields are null or [], fields the rules leave out empty, support null when empty. */
export function toPayload(f: CaseFormState, rules: CaseRules | null): CasePayload {
  const s = f.support;
  const nsp = s.nsp_status || s.nsp_start_date || s.nsp_end_date ? { status: orNull(s.nsp_status), start_date: orNull(s.nsp_start_date), end_date: orNull(s.nsp_end_date) } : null;
  const support = {
    reflection_period: orNull(s.reflection_period),
    temporary_residence_permit: orNull(s.temporary_residence_permit),
    nsp,
    amp: orNull(s.amp),
    police_report: orNull(s.police_report),
    offence_reported: s.offence_reported,
    legal_status: orNull(s.legal_status),
    injured_party_counsel: orNull(s.injured_party_counsel),
    coordinator_contact: orNull(s.coordinator_contact),
    social_services: s.social_services,
    civil_society_support: s.civil_society_support,
    why_civil_society: s.why_civil_society,
  };
  const anySupport = Object.values(support).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null));
  const age = f.age.trim() === '' ? null : Number(f.age);
  const body: CasePayload = {
    source: f.source,
    organisation_id: orNull(f.organisation_id),
    region: orNull(f.region),
    identified_on: orNull(f.identified_on),
    crime_type: orNull(f.crime_type),
    sex: orNull(f.sex),
    age: age === null || Number.isNaN(age) ? (f.age.trim() === '' ? null : f.age) : age,
    age_group: orNull(f.age_group),
    exploitation_forms: f.exploitation_forms,
    industries: f.industries,
    nationality: orNull(f.nationality),
    exploited_in_sweden: orNull(f.exploited_in_sweden),
    exploitation_countries: f.exploitation_countries,
    referred_by: orNull(f.referred_by),
    workplace_inspection: f.workplace_inspection === '' ? null : f.workplace_inspection === 'true',
    related_children: f.related_children.map(({ location, age_band }) => ({ location, age_band })),
    contact_type: orNull(f.contact_type),
    origin_region: orNull(f.origin_region),
    identified_by: orNull(f.identified_by),
    programme: orNull(f.programme),
    programme_status: orNull(f.programme_status),
    programme_role: orNull(f.programme_role),
    rest_period_start: orNull(f.rest_period_start),
    rest_period_end: orNull(f.rest_period_end),
    integration_period_start: orNull(f.integration_period_start),
    integration_period_end: orNull(f.integration_period_end),
    return_country: orNull(f.return_country),
    support: anySupport ? support : null,
    linkage_key: orNull(f.linkage_key),
  };
  for (const field of inapplicable(f, rules)) {
    const key = field as keyof CasePayload;
    body[key] = Array.isArray(body[key]) ? [] : null;
  }
  return body;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** The form state of a case from the API (or of a draft). */
export function fromRecord(r: Record<string, unknown>): CaseFormState {
  const s = (r.support ?? {}) as Record<string, unknown>;
  const nsp = (s.nsp ?? {}) as Record<string, unknown>;
  const children = Array.isArray(r.related_children) ? (r.related_children as { location?: string; age_band?: string }[]) : [];
  return {
    source: str(r.source) || 'coordinator',
    organisation_id: str(r.organisation_id),
    region: str(r.region),
    identified_on: str(r.identified_on),
    crime_type: str(r.crime_type),
    sex: str(r.sex),
    age: str(r.age),
    age_group: str(r.age_group),
    exploitation_forms: list(r.exploitation_forms),
    industries: list(r.industries),
    nationality: str(r.nationality),
    exploited_in_sweden: str(r.exploited_in_sweden),
    exploitation_countries: list(r.exploitation_countries),
    referred_by: str(r.referred_by),
    workplace_inspection: r.workplace_inspection === true ? 'true' : r.workplace_inspection === false ? 'false' : '',
    related_children: children.map((c, i) => ({ key: i + 1, location: str(c.location), age_band: str(c.age_band) })),
    contact_type: str(r.contact_type),
    origin_region: str(r.origin_region),
    identified_by: str(r.identified_by),
    programme: str(r.programme),
    programme_status: str(r.programme_status),
    programme_role: str(r.programme_role),
    rest_period_start: str(r.rest_period_start),
    rest_period_end: str(r.rest_period_end),
    integration_period_start: str(r.integration_period_start),
    integration_period_end: str(r.integration_period_end),
    return_country: str(r.return_country),
    linkage_key: str(r.linkage_key),
    support: {
      reflection_period: str(s.reflection_period),
      temporary_residence_permit: str(s.temporary_residence_permit),
      nsp_status: str(nsp.status),
      nsp_start_date: str(nsp.start_date),
      nsp_end_date: str(nsp.end_date),
      amp: str(s.amp),
      police_report: str(s.police_report),
      offence_reported: list(s.offence_reported),
      legal_status: str(s.legal_status),
      injured_party_counsel: str(s.injured_party_counsel),
      coordinator_contact: str(s.coordinator_contact),
      social_services: list(s.social_services),
      civil_society_support: list(s.civil_society_support),
      why_civil_society: list(s.why_civil_society),
    },
  };
}

/** The id of the form control for an error path (`support.nsp.start_date` → `f-support-nsp-start_date`). */
export function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

/** The element an error path points at: the path itself, or its nearest parent that is on the page. */
export function targetOf(path: string, exists: (id: string) => boolean): string | null {
  const parts = path.split('.');
  while (parts.length) {
    const id = fieldId(parts.join('.'));
    if (exists(id)) return id;
    parts.pop();
  }
  return null;
}

/** Fields whose value differs between two versions of a case (dotted paths, nested objects flattened). */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  const flat = (o: unknown, prefix = '', out: Record<string, string> = {}) => {
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      for (const [k, v] of Object.entries(o as Record<string, unknown>)) flat(v, prefix ? `${prefix}.${k}` : k, out);
    } else out[prefix] = JSON.stringify(o ?? null);
    return out;
  };
  const a = flat(before ?? {});
  const b = flat(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => (a[k] ?? 'null') !== (b[k] ?? 'null') && !(before === null && b[k] === 'null'));
}

/**
 * Whether some country's Swedish or English name or code contains what the user typed: while it
 * does ("Rumän"), the user is still on the way to a country and is not told that none matches.
 */
export function someCountryMatches(text: string, countries: { code: string; sv: string; en: string }[]): boolean {
  const t = text.trim().replace(/\s*\([A-Za-z]{0,2}\)?\s*$/, '').toLocaleLowerCase('sv');
  if (!t) return true;
  return countries.some((c) => [c.sv, c.en, c.code, `${c.sv} – ${c.en}`, `${c.en} – ${c.sv}`].some((s) => s.toLocaleLowerCase('sv').includes(t)));
}

/** A country code from what the user typed: `Tyskland (DE)`, `Germany`, `tyskland` or `DE`. */
export function resolveCountry(text: string, countries: { code: string; sv: string; en: string }[]): string | null {
  const t = text.trim();
  if (!t) return null;
  const m = /\(([A-Za-z]{2})\)\s*$/.exec(t);
  if (m && countries.some((c) => c.code === m[1].toUpperCase())) return m[1].toUpperCase();
  const lower = t.toLocaleLowerCase('sv');
  const hit = countries.find((c) => c.sv.toLocaleLowerCase('sv') === lower || c.en.toLocaleLowerCase('en') === lower || c.code.toLowerCase() === lower);
  return hit ? hit.code : null;
}

/** The source a role registers: a coordinator's cases, an organisation reporter's civil-society records, a programme officer's programme records. */
export function sourceOfRole(role: string | undefined): string | null {
  return role === 'coordinator' ? 'coordinator' : role === 'organisation_reporter' ? 'civil_society' : role === 'programme_officer' ? 'support_programme' : null;
}

export type EndingPeriod = { period: 'rest_period' | 'integration_period'; end: string; days_left: number };

const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

/** Today's calendar date in Europe/Stockholm (YYYY-MM-DD), the day the data standard's dates are in. */
export function stockholmToday(now: Date = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * A case's NSP periods that end from `today` to `within` days later, both days included (the
 * server's filter `period_ends_within` picks the same cases; this says which period and when).
 */
export function endingPeriods(r: { rest_period_end?: string | null; integration_period_end?: string | null }, today: string, within: number): EndingPeriod[] {
  const out: EndingPeriod[] = [];
  for (const period of ['rest_period', 'integration_period'] as const) {
    const end = r[`${period}_end`];
    if (!end || !/^\d{4}-\d{2}-\d{2}$/.test(end)) continue;
    const left = dayNumber(end) - dayNumber(today);
    if (left >= 0 && left <= within) out.push({ period, end, days_left: left });
  }
  return out;
}
