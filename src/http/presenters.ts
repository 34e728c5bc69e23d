// The only place that turns registry records into API shapes.
import { describeActor } from '../access/actor.ts';
import type { CaseVersion } from '../registry/cases.ts';
import type { Lang } from '../standard/codes.ts';
import type { CaseEvent, CaseView } from '../contract/index.ts';
import { caseFieldNames, type CaseData, type CaseRecord } from '../standard/case.ts';

type RegistryRecord = CaseRecord & { possible_duplicate?: boolean };

/** A case as the API answers it: system fields first, then the data-standard fields as codes. */
export function presentCase(record: RegistryRecord): Omit<CaseView, 'abilities'> {
  // Only the standard's fields, whatever else the registry's record carries.
  const fields = Object.fromEntries(caseFieldNames.map((field) => [field, record[field]])) as CaseData;
  return {
    id: record.id,
    reference: record.reference,
    version: record.version,
    status: record.status,
    possible_duplicate: record.possible_duplicate ?? false,
    created_at: record.created_at,
    updated_at: record.updated_at,
    created_by: record.created_by,
    ...fields,
  };
}

/** One entry of a case's history; who acted in the reader's language. */
export function presentVersion(v: CaseVersion, lang: Lang) {
  return {
    version: v.version,
    status: v.status,
    // The serializer checks it against the contract's list.
    operation: v.operation as CaseEvent,
    changed_at: v.at,
    changed_by: v.actor_id,
    changed_by_role: v.actor_role,
    changed_by_name: describeActor(v.actor, lang),
    data: v.data,
  };
}
