// The shape of a case (data standard section 2 and 4). One schema: it validates
// requests and imports, types the code and writes the OpenAPI entries.
import { z } from 'zod';
import * as c from './codes.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const alpha2 = z.string().regex(/^[A-Z]{2}$/);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().default(null);
const listOf = <T extends z.ZodType>(t: T) => z.array(t).default([]);

export const ApplicationStatus = z.enum(c.applicationStatus.codes);

export const NspSupport = z.object({
  status: nullable(ApplicationStatus),
  start_date: nullable(isoDate),
  end_date: nullable(isoDate),
});

export const Support = z.object({
  reflection_period: nullable(ApplicationStatus),
  temporary_residence_permit: nullable(ApplicationStatus),
  nsp: nullable(NspSupport),
  amp: nullable(ApplicationStatus),
  police_report: nullable(z.enum(c.policeReport.codes)),
  offence_reported: listOf(z.enum(c.offenceReported.codes)),
  legal_status: nullable(z.enum(c.legalStatus.codes)),
  injured_party_counsel: nullable(z.enum(c.yesNo.codes)),
  coordinator_contact: nullable(z.enum(c.yesNo.codes)),
  social_services: listOf(z.enum(c.socialServicesSupport.codes)),
  civil_society_support: listOf(z.enum(c.civilSocietySupport.codes)),
  why_civil_society: listOf(z.enum(c.whyCivilSociety.codes)),
});

export const RelatedChild = z.object({
  location: z.enum(c.childLocation.codes),
  age_band: z.enum(c.childAgeBand.codes),
});

/**
 * The fields a client writes. Optional fields left out are `null` (not answered) or `[]`.
 * Cross-field rules (required per source, age/age_group agreement, dates…) live in validate.ts.
 */
export const CaseInput = z.object({
  source: z.enum(c.source.codes),
  organisation_id: nullable(z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/)),
  region: nullable(z.enum(c.region.codes)),
  identified_on: isoDate,
  crime_type: nullable(z.enum(c.crimeType.codes)),
  sex: z.enum(c.sex.codes),
  age: nullable(z.number().int().min(0).max(120)),
  age_group: z.enum(c.ageGroup.codes),
  exploitation_forms: listOf(z.enum(c.exploitationForm.codes)),
  industries: listOf(z.enum(c.industry.codes)),
  nationality: nullable(alpha2),
  origin_region: nullable(z.enum(c.worldRegion.codes)),
  exploited_in_sweden: nullable(z.enum(c.yesNo.codes)),
  exploitation_countries: listOf(alpha2),
  referred_by: nullable(z.enum(c.referredBy.codes)),
  identified_by: nullable(z.enum(c.identifiedBy.codes)),
  workplace_inspection: nullable(z.boolean()),
  related_children: listOf(RelatedChild),
  contact_type: nullable(z.enum(c.contactType.codes)),
  programme: nullable(z.enum(c.programme.codes)),
  programme_status: nullable(z.enum(c.programmeStatus.codes)),
  programme_role: nullable(z.enum(c.programmeRole.codes)),
  rest_period_start: nullable(isoDate),
  rest_period_end: nullable(isoDate),
  integration_period_start: nullable(isoDate),
  integration_period_end: nullable(isoDate),
  return_country: nullable(alpha2),
  support: nullable(Support),
  linkage_key: nullable(z.string().regex(/^[0-9a-f]{64}$/)), // HMAC-SHA-256 in lower-case hex (src/standard/linkage.ts)
});

/** A case as the client sends it (optional fields may be left out). */
export type CaseInputIn = z.input<typeof CaseInput>;
/** A case's data-standard fields after parsing: every field present, null or [] when not answered. */
export type CaseData = z.output<typeof CaseInput>;
export type SupportData = z.output<typeof Support>;
export type RelatedChildData = z.output<typeof RelatedChild>;

/**
 * The fields only civil-society and programme records use, left empty: for records built in code
 * (the demo, test generators) that do not use them.
 */
export const noSourceFields = {
  origin_region: null,
  identified_by: null,
  programme: null,
  programme_status: null,
  programme_role: null,
  rest_period_start: null,
  rest_period_end: null,
  integration_period_start: null,
  integration_period_end: null,
  return_country: null,
} as const satisfies Partial<CaseData>;

/** System fields the registry adds; written on export, ignored on import. */
export const systemFields = ['id', 'reference', 'version', 'status', 'created_at', 'updated_at', 'created_by'] as const;

export type CaseRecord = CaseData & {
  id: string;
  reference: string;
  version: number;
  status: c.CaseStatusCode;
  created_at: string;
  updated_at: string;
  created_by: string;
};

/** The data-standard field names, in the order of section 2 (also the CSV column order). */
export const caseFieldNames = Object.keys(CaseInput.shape) as (keyof CaseData)[];
