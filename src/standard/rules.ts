// The form rules of the data standard that depend on other fields, declared once: validate.ts
// enforces them and /api/codes serves them (the `rules` section), so the web form marks and hides
// fields as the server will judge them instead of repeating the rules.
import { CaseInput, type CaseData } from './case.ts';
import { source, type SourceCode } from './codes.ts';

type Field = keyof CaseData;

/** Fields every case must answer: those the schema gives no default (they cannot be left out). */
export const alwaysRequired: readonly Field[] = (Object.keys(CaseInput.shape) as Field[]).filter(
  (field) => !CaseInput.shape[field].safeParse(undefined).success,
);

/**
 * Fields that may be null in the schema but that a case of this source must answer (data standard
 * 2.1). A coordinator's `organisation_id` is not among them: it is the region's office, filled in
 * from `region`. A programme record names its programme and where its application stands (the
 * programmes' report counts the granted ones of each programme).
 */
export const requiredForSource: Readonly<Record<SourceCode, readonly Field[]>> = {
  coordinator: ['region', 'crime_type', 'referred_by'],
  civil_society: ['organisation_id', 'contact_type'],
  support_programme: ['organisation_id', 'programme', 'programme_status'],
};

/** Codes a source may not answer in a field: a coordinator judges the crime type, never `unknown`. */
export const refusedForSource: Readonly<Record<SourceCode, Partial<Record<Field, readonly string[]>>>> = {
  coordinator: { crime_type: ['unknown'] },
  civil_society: {},
  support_programme: {},
};

/**
 * Fields that may be answered only when another field holds a code (a list includes it, a single
 * code equals it): `industries` only with `labour` among the forms; the programme and its
 * decision and the person's role in it only on a support-programme record; NSP's two periods only for NSP, the return
 * country only for ÅMP. The first entry stays the industries rule.
 */
export const onlyWith = [
  { field: 'industries', when: { field: 'exploitation_forms', includes: 'labour' }, rule: 'industries_without_labour' },
  { field: 'programme', when: { field: 'source', includes: 'support_programme' }, rule: 'programme_without_support_programme' },
  { field: 'programme_status', when: { field: 'source', includes: 'support_programme' }, rule: 'programme_without_support_programme' },
  { field: 'programme_role', when: { field: 'source', includes: 'support_programme' }, rule: 'programme_without_support_programme' },
  { field: 'rest_period_start', when: { field: 'programme', includes: 'nsp' }, rule: 'period_without_nsp' },
  { field: 'rest_period_end', when: { field: 'programme', includes: 'nsp' }, rule: 'period_without_nsp' },
  { field: 'integration_period_start', when: { field: 'programme', includes: 'nsp' }, rule: 'period_without_nsp' },
  { field: 'integration_period_end', when: { field: 'programme', includes: 'nsp' }, rule: 'period_without_nsp' },
  { field: 'return_country', when: { field: 'programme', includes: 'amp' }, rule: 'return_country_without_amp' },
] as const satisfies readonly {
  field: Field;
  when: { field: Field; includes: string };
  rule: string;
}[];

export type CaseRules = {
  /** Per source: every field a case of that source must answer (the `required` rule when missing). */
  required: Record<SourceCode, Field[]>;
  /** Per source: codes of a field that source may not choose. */
  refused: Record<SourceCode, Partial<Record<Field, string[]>>>;
  /** Fields that may be answered only when another field holds a code (a list includes it, a single code equals it). */
  only_with: { field: Field; when: { field: Field; includes: string }; rule: string }[];
};

/** The rules as the `rules` section of /api/codes. */
export function caseRules(): CaseRules {
  return {
    required: Object.fromEntries(source.codes.map((s) => [s, [...alwaysRequired, ...requiredForSource[s]]])) as CaseRules['required'],
    refused: Object.fromEntries(
      source.codes.map((s) => [s, Object.fromEntries(Object.entries(refusedForSource[s]).map(([f, codes]) => [f, [...codes!]]))]),
    ) as CaseRules['refused'],
    only_with: onlyWith.map((r) => ({ field: r.field, when: { ...r.when }, rule: r.rule })),
  };
}
