// The case form's state and its conversion to and from the API's case (data standard section 2 and 4).
// Pure, so it can be tested without a browser.

export type ChildRow = { key: number; location: string; age_band: string };

export type CaseFormState = {
  source: string;
  organisation_id: string;
  region: string;
  identified_on: string;
  crime_type: string;
  sex: string;
  age: string;
  age_group: string;
  exploitation_forms: string[];
  industries: string[];
  nationality: string;
  exploited_in_sweden: string;
  exploitation_countries: string[];
  referred_by: string;
  workplace_inspection: '' | 'true' | 'false';
  related_children: ChildRow[];
  contact_type: string;
  linkage_key: string;
  support: {
    reflection_period: string;
    temporary_residence_permit: string;
    nsp_status: string;
    nsp_start_date: string;
    nsp_end_date: string;
    amp: string;
    police_report: string;
    offence_reported: string[];
    legal_status: string;
    injured_party_counsel: string;
    coordinator_contact: string;
    social_services: string[];
    civil_society_support: string[];
    why_civil_society: string[];
  };
};

export function emptyCase(region = ''): CaseFormState {
  return {
    source: 'coordinator',
    organisation_id: '',
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

/** The request body: unanswered fields are null or [], industries only with labour, support null when empty. */
export function toPayload(f: CaseFormState): Record<string, unknown> {
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
  return {
    source: f.source,
    organisation_id: orNull(f.organisation_id),
    region: orNull(f.region),
    identified_on: orNull(f.identified_on),
    crime_type: orNull(f.crime_type),
    sex: orNull(f.sex),
    age: age === null || Number.isNaN(age) ? (f.age.trim() === '' ? null : f.age) : age,
    age_group: orNull(f.age_group),
    exploitation_forms: f.exploitation_forms,
    industries: f.exploitation_forms.includes('labour') ? f.industries : [],
    nationality: orNull(f.nationality),
    exploited_in_sweden: orNull(f.exploited_in_sweden),
    exploitation_countries: f.exploitation_countries,
    referred_by: orNull(f.referred_by),
    workplace_inspection: f.workplace_inspection === '' ? null : f.workplace_inspection === 'true',
    related_children: f.related_children.map(({ location, age_band }) => ({ location, age_band })),
    contact_type: orNull(f.contact_type),
    support: anySupport ? support : null,
    linkage_key: orNull(f.linkage_key),
  };
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
