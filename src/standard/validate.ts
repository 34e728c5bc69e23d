// Validation of one case against the data standard (sections 2–4): shape and codes through
// the zod schema field by field (so one bad field does not hide the others), then the
// cross-field rules. Every problem names its field path and a stable rule id.
import type { z } from 'zod';
import { CaseInput, NspSupport, RelatedChild, Support, type CaseData, type SupportData } from './case.ts';
import { ageGroup, industryGroup, referredBy, regionOffice, sex, type CodeEntry, type Label } from './codes.ts';
import { isCountryCode } from './countries.ts';
import { ageGroupOfAge } from './derive.ts';
import { ruleMessage, type MessageParams, type RuleId } from './messages.ts';
import { periodKinds, periodLength, periodMaxDays } from './periods.ts';
import { onlyWith, refusedForSource, requiredForSource } from './rules.ts';

export type Violation = { path: string; rule: string; message: Label };
export type ValidationResult =
  | { ok: true; data: CaseData; warnings: Violation[] }
  | { ok: false; errors: Violation[]; warnings: Violation[] };

const stockholmDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's calendar date in Europe/Stockholm as YYYY-MM-DD. */
export function todayInStockholm(now: Date = new Date()): string {
  const parts = Object.fromEntries(stockholmDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** True when the string is YYYY-MM-DD and names a day that exists. */
function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[m - 1]);
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Required fields that accept the code `unknown`: "required" messages tell the user to choose it,
 * by the label the option has in that field's list ("Okänd ålder", not a generic "Okänt").
 */
const unknownOptions: Record<string, readonly CodeEntry[]> = { sex: sex.items, age_group: ageGroup.items, referred_by: referredBy.items };
const unknownOption = (field: string): Label | undefined => unknownOptions[field]?.find((i) => i.code === 'unknown');
const countryFields = new Set(['nationality', 'exploitation_countries', 'return_country']);
const groupCodes = new Set<string>(industryGroup.codes);
const FIRST_DATE = '2018-01-01';
const EXPLOITATION_IN_FORCE = '2018-07-01';
const FORMS_UNDER_4_1B = new Set(['labour', 'begging', 'other']);
/** Unknown keys are named in the path; a longer one is cut so a path stays readable. */
const MAX_KEY = 64;

/**
 * C0 control characters and DEL. No field of the standard is free text (every string is a code,
 * a date, a country or a key), so none may hold them, not even tab or line break; PostgreSQL
 * refuses NUL outright. The API refuses the same characters in every string it is sent.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Paths of the strings in a field's value (a string, or a list of strings or of flat objects) that hold control characters. */
function controlCharacterPaths(value: unknown, path: string): string[] {
  const bad = (v: unknown) => typeof v === 'string' && CONTROL_CHARACTERS.test(v);
  if (bad(value)) return [path];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => {
    if (bad(item)) return [`${path}.${i}`];
    if (!isPlainObject(item)) return [];
    return Object.keys(item).filter((k) => bad(item[k])).map((k) => `${path}.${i}.${k.slice(0, MAX_KEY)}`);
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Collector {
  errors: Violation[] = [];
  warnings: Violation[] = [];
  error(path: string, rule: RuleId, params?: MessageParams) {
    this.errors.push({ path, rule, message: ruleMessage(rule, path, params) });
  }
  warn(path: string, rule: RuleId, params?: MessageParams) {
    this.warnings.push({ path, rule, message: ruleMessage(rule, path, params) });
  }
}

function valueAt(root: unknown, keys: PropertyKey[]): unknown {
  let v = root;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const expectedOf: Record<string, MessageParams['expected']> = {
  string: 'text',
  number: 'number',
  array: 'list',
  boolean: 'boolean',
  object: 'object',
};

/** Turns one zod issue into a rule of the standard; zod's own (English) text is never shown. */
function ruleOfIssue(issue: z.core.$ZodIssue, raw: unknown, path: string): [RuleId, MessageParams] {
  const field = path.split('.')[0];
  const value = valueAt(raw, issue.path);
  if (value === undefined || value === null) return ['required', { unknownOption: unknownOption(field) }];
  if (issue.code === 'invalid_type') {
    if (issue.expected === 'int') return ['integer', {}];
    return ['type', { expected: expectedOf[issue.expected] ?? 'text' }];
  }
  if (countryFields.has(field)) return typeof value === 'string' ? ['code', {}] : ['type', { expected: 'text' }];
  if (issue.code === 'invalid_value') {
    return field === 'industries' && typeof value === 'string' && groupCodes.has(value) ? ['industry_group', {}] : ['code', {}];
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'number') return ['range', {}];
  if (issue.code === 'invalid_format' || issue.code === 'too_small' || issue.code === 'too_big') return ['format', {}];
  return ['type', {}];
}

/**
 * Parses each key of an object shape on its own; returns the parsed object and the set of
 * keys that failed. Unknown keys are errors: a misspelt field must not silently drop data.
 */
function parseShape(
  shape: Record<string, z.ZodType>,
  raw: Record<string, unknown>,
  prefix: string,
  out: Collector,
  nested: Record<string, (v: unknown, path: string) => unknown> = {},
): { data: Record<string, unknown>; failed: Set<string> } {
  const data: Record<string, unknown> = {};
  const failed = new Set<string>();
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(shape, key) && raw[key] !== undefined) out.error(prefix + key.slice(0, MAX_KEY), 'unknown_field');
  }
  for (const key in shape) {
    const path = prefix + key;
    if (nested[key]) {
      const before = out.errors.length;
      data[key] = nested[key](raw[key], path);
      if (out.errors.length > before) failed.add(key);
      continue;
    }
    // Named as what it is rather than as a wrong code or format.
    const controls = controlCharacterPaths(raw[key], path);
    if (controls.length > 0) {
      failed.add(key);
      for (const p of controls) out.error(p, 'control_characters');
      continue;
    }
    const r = shape[key].safeParse(raw[key]);
    if (r.success) data[key] = r.data;
    else {
      failed.add(key);
      for (const issue of r.error.issues) {
        const p = [path, ...issue.path.map(String)].join('.');
        const [rule, params] = ruleOfIssue(issue, raw[key], p);
        out.error(p, rule, params);
      }
    }
    // Child objects are parsed by zod, which drops unknown keys: report them here.
    if (key === 'related_children' && Array.isArray(raw[key])) checkChildKeys(raw[key] as unknown[], path, out);
  }
  return { data, failed };
}

const childKeys = new Set(Object.keys(RelatedChild.shape));
function checkChildKeys(items: unknown[], path: string, out: Collector) {
  items.forEach((item, i) => {
    if (!isPlainObject(item)) return;
    for (const k of Object.keys(item)) if (!childKeys.has(k)) out.error(`${path}.${i}.${k.slice(0, MAX_KEY)}`, 'unknown_field');
  });
}

/** An object with nothing answered is the same as not answered: it is stored as null. */
function emptyToNull<T extends Record<string, unknown>>(o: T): T | null {
  const answered = Object.values(o).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null));
  return answered ? o : null;
}

function parseNsp(v: unknown, path: string, out: Collector): SupportData['nsp'] {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) {
    out.error(path, 'type', { expected: 'object' });
    return null;
  }
  const { data, failed } = parseShape(NspSupport.shape, v, path + '.', out);
  for (const key of ['start_date', 'end_date'] as const) {
    const d = data[key];
    if (typeof d === 'string' && !failed.has(key) && !isCalendarDate(d)) {
      out.error(`${path}.${key}`, 'format');
      failed.add(key);
    }
  }
  const nsp = data as NonNullable<SupportData['nsp']>;
  if (!failed.has('start_date') && !failed.has('end_date') && nsp.start_date && nsp.end_date && nsp.end_date < nsp.start_date)
    out.error(`${path}.end_date`, 'nsp_end_before_start');
  if ((nsp.start_date || nsp.end_date) && nsp.status !== 'granted' && !failed.has('status'))
    out.warn(`${path}.status`, 'nsp_dates_without_grant');
  return emptyToNull(nsp);
}

const supportLists = ['offence_reported', 'social_services', 'civil_society_support', 'why_civil_society'] as const;

function parseSupport(v: unknown, path: string, out: Collector): CaseData['support'] {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) {
    out.error(path, 'type', { expected: 'object' });
    return null;
  }
  const { data, failed } = parseShape(Support.shape, v, path + '.', out, {
    nsp: (n, p) => parseNsp(n, p, out),
  });
  for (const key of supportLists) if (!failed.has(key)) checkDuplicates(data[key] as string[], `${path}.${key}`, out);
  return emptyToNull(data as SupportData);
}

function checkDuplicates(list: readonly string[], path: string, out: Collector) {
  const seen = new Set<string>();
  list.forEach((code, i) => {
    if (seen.has(code)) out.error(`${path}.${i}`, 'duplicate_code');
    seen.add(code);
  });
}

/**
 * NSP's rest and integration periods: real dates, both or neither, the end not before the start, no
 * longer than the period's limit (both days counted); dates of a programme not granted are a warning.
 */
function checkPeriods(d: CaseData, failed: Set<string>, out: Collector) {
  let anyDate = false;
  for (const period of periodKinds) {
    const startKey = `${period}_start` as const;
    const endKey = `${period}_end` as const;
    for (const key of [startKey, endKey]) {
      const v = d[key];
      if (!failed.has(key) && v !== null && !isCalendarDate(v)) {
        out.error(key, 'format');
        failed.add(key);
      }
    }
    if (failed.has(startKey) || failed.has(endKey)) continue;
    const start = d[startKey];
    const end = d[endKey];
    if (start === null && end === null) continue;
    anyDate = true;
    if (start === null) out.error(startKey, 'period_incomplete');
    else if (end === null) out.error(endKey, 'period_incomplete');
    else if (end < start) out.error(endKey, 'period_end_before_start');
    else if (periodLength(start, end) > periodMaxDays[period]) out.error(endKey, 'period_too_long', { maxDays: periodMaxDays[period] });
  }
  if (anyDate && !failed.has('programme_status') && d.programme_status !== 'granted') out.warn('programme_status', 'period_without_grant');
}

/** Validates one case: errors block registration, warnings do not; `data` has every field filled. */
export function validateCase(input: unknown, opts: { today?: string } = {}): ValidationResult {
  const out = new Collector();
  if (!isPlainObject(input)) {
    out.error('', 'type', { expected: 'object' });
    return { ok: false, errors: out.errors, warnings: out.warnings };
  }
  const today = opts.today ?? todayInStockholm();
  const { data, failed } = parseShape(CaseInput.shape, input, '', out, {
    support: (s, p) => parseSupport(s, p, out),
  });
  const d = data as CaseData;
  const ok = (key: keyof CaseData) => !failed.has(key);

  if (ok('identified_on')) {
    if (!isCalendarDate(d.identified_on)) {
      out.error('identified_on', 'format');
      failed.add('identified_on');
    } else if (d.identified_on > today) out.error('identified_on', 'date_future');
    else if (d.identified_on < FIRST_DATE) out.error('identified_on', 'date_before_2018');
  }

  if (ok('source')) {
    for (const key of requiredForSource[d.source]) {
      if (ok(key) && d[key] === null) out.error(key, 'required', { unknownOption: unknownOption(key) });
    }
    const refused = refusedForSource[d.source];
    if (ok('crime_type') && d.crime_type !== null && refused.crime_type?.includes(d.crime_type))
      out.error('crime_type', 'crime_type_unknown_for_coordinator');
    if (d.source === 'coordinator' && ok('region') && d.region !== null && ok('organisation_id')) {
      const office = regionOffice(d.region);
      if (d.organisation_id === null) d.organisation_id = office;
      else if (d.organisation_id !== office) out.error('organisation_id', 'organisation_region', { region: office });
    }
  }

  if (ok('age') && ok('age_group') && d.age !== null && ageGroupOfAge(d.age) !== d.age_group)
    out.error('age_group', 'age_group_mismatch');

  if (ok('exploitation_forms')) checkDuplicates(d.exploitation_forms, 'exploitation_forms', out);
  if (ok('industries')) {
    checkDuplicates(d.industries, 'industries', out);
    if (d.industries.includes('unknown') && new Set(d.industries).size > 1) out.warn('industries', 'unknown_with_other_codes');
  }
  // A field answered while the field it depends on lacks its code (rules.ts).
  for (const rule of onlyWith) {
    if (!ok(rule.field) || !ok(rule.when.field)) continue;
    const value = d[rule.field];
    const other = d[rule.when.field];
    const answered = Array.isArray(value) ? value.length > 0 : value !== null;
    const holds = Array.isArray(other) ? (other as readonly string[]).includes(rule.when.includes) : other === rule.when.includes;
    if (answered && !holds) out.error(rule.field, rule.rule);
  }

  if (ok('return_country') && d.return_country !== null && !isCountryCode(d.return_country)) out.error('return_country', 'code');
  checkPeriods(d, failed, out);

  if (ok('nationality') && d.nationality !== null && !isCountryCode(d.nationality)) out.error('nationality', 'code');
  if (ok('exploitation_countries')) {
    d.exploitation_countries.forEach((cc, i) => {
      if (!isCountryCode(cc)) out.error(`exploitation_countries.${i}`, 'code');
    });
    checkDuplicates(d.exploitation_countries, 'exploitation_countries', out);
    if (ok('exploited_in_sweden') && d.exploited_in_sweden === 'no' && d.exploitation_countries.includes('SE'))
      out.warn('exploitation_countries', 'exploited_in_sweden_conflict');
  }

  if (ok('crime_type') && d.crime_type === 'exploitation') {
    if (ok('exploitation_forms') && d.exploitation_forms.some((f) => !FORMS_UNDER_4_1B.has(f)))
      out.warn('exploitation_forms', 'exploitation_crime_form');
    if (ok('identified_on') && d.identified_on < EXPLOITATION_IN_FORCE && d.identified_on >= FIRST_DATE)
      out.warn('crime_type', 'exploitation_before_in_force');
  }

  if (out.errors.length > 0) return { ok: false, errors: out.errors, warnings: out.warnings };
  return { ok: true, data: d, warnings: out.warnings };
}
