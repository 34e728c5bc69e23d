// The only place that turns registry records into API shapes.
import { caseFieldNames, type CaseRecord } from '../standard/case.ts';

type RegistryRecord = CaseRecord & { possible_duplicate?: boolean };

/** A case as the API answers it: system fields first, then the data-standard fields as codes. */
export function presentCase(record: RegistryRecord) {
  const out: Record<string, unknown> = {
    id: record.id,
    reference: record.reference,
    version: record.version,
    status: record.status,
    possible_duplicate: record.possible_duplicate ?? false,
    created_at: record.created_at,
    updated_at: record.updated_at,
    created_by: record.created_by,
  };
  for (const field of caseFieldNames) out[field] = record[field];
  return out;
}

export type VersionRecord = { version: number; status: string; changed_at: string; changed_by: string; operation?: string; data: Record<string, unknown> };

/** One entry of a case's history. */
export function presentVersion(v: VersionRecord) {
  return { version: v.version, status: v.status, operation: v.operation ?? null, changed_at: v.changed_at, changed_by: v.changed_by, data: v.data };
}
