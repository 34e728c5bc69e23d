// Cases: what a client sends and what the server answers. The data-standard fields are the
// standard's own schema (src/standard/case.ts); the contract adds the registry's system fields.
import { z } from 'zod';
import { CaseInput } from '../standard/case.ts';
import { caseStatus } from '../standard/codes.ts';
import { Abilities, FieldMessage, pageOf } from './common.ts';

/** The body of POST /api/cases and /api/cases/validate: the standard's case (validated by validate.ts). */
export const CaseBody = CaseInput;
/** A case as a client may send it (optional fields left out). */
export type CaseBody = z.input<typeof CaseBody>;
/** A case's data-standard fields as the server answers them: every field present, null or [] when not answered. */
export type CaseFields = z.output<typeof CaseInput>;

/** PUT /api/cases/:id: the case and the version the change applies to (or If-Match). */
export const CaseChangeBody = CaseInput.extend({ version: z.number().int().positive() });
export type CaseChangeBody = z.input<typeof CaseChangeBody>;

/** Versions are PostgreSQL integers; a larger number is refused before it reaches SQL. */
export const MAX_VERSION = 2_147_483_647;
/** close, reopen, withdraw: the version the client last saw (or If-Match). */
export const VersionBody = z.object({ version: z.number().int().positive().max(MAX_VERSION).optional() }).strict().optional();
export type VersionBody = z.input<typeof VersionBody>;

const CaseStatus = z.enum(caseStatus.codes);

/** A case as the API answers it: system fields, the standard's fields, the actor's abilities on it. */
export const CaseView = z.strictObject({
  id: z.string(),
  reference: z.string(),
  version: z.number().int(),
  status: CaseStatus,
  possible_duplicate: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string(),
  ...CaseInput.shape,
  abilities: Abilities,
});
export type CaseView = z.output<typeof CaseView>;

/** A case just written, with the warnings of its data (they do not block saving). */
export const SavedCase = CaseView.extend({ warnings: z.array(FieldMessage) });
export type SavedCase = z.output<typeof SavedCase>;

export const CaseList = pageOf(CaseView).extend({ abilities: Abilities });
export type CaseList = z.output<typeof CaseList>;

/** GET /api/cases/years: cases per statistics year the actor may see (withdrawn not counted), newest first. */
export const CaseYears = z.strictObject({ items: z.array(z.strictObject({ year: z.number().int(), total: z.number().int() })) });
export type CaseYears = z.output<typeof CaseYears>;

const ListedCase = { id: z.string(), reference: z.string(), identified_on: z.string(), status: CaseStatus };
/** The start page's year (GET /api/cases/overview): counts by status, the latest changed, the cases that need attention. */
export const YearOverview = z.strictObject({
  year: z.number().int(),
  counts: z.strictObject({ all: z.number().int(), open: z.number().int(), closed: z.number().int(), withdrawn: z.number().int() }),
  latest: z.array(z.strictObject(ListedCase)),
  attention: z.strictObject({
    open_long: z.number().int(),
    missing_answers: z.number().int(),
    possible_duplicates: z.number().int(),
    cases: z.number().int(),
    items: z.array(
      z.strictObject({
        ...ListedCase,
        reasons: z.array(z.enum(['open_long', 'missing_answers', 'possible_duplicate'])),
        missing: z.array(z.enum(['exploitation_forms', 'crime_type', 'sex', 'age_group', 'nationality', 'referred_by'])),
      }),
    ),
  }),
});
export type YearOverview = z.output<typeof YearOverview>;

/** POST /api/cases/validate: the standard's errors and warnings; nothing is stored. */
export const CaseCheck = z.strictObject({ ok: z.boolean(), errors: z.array(FieldMessage), warnings: z.array(FieldMessage) });
export type CaseCheck = z.output<typeof CaseCheck>;

/** What made a version: the registry writes these, the web app names each in both languages. */
export const CaseEvent = z.enum(['create', 'import', 'change', 'close', 'reopen', 'withdraw']);
export type CaseEvent = z.output<typeof CaseEvent>;

export const CaseVersionView = z.strictObject({
  version: z.number().int(),
  status: CaseStatus,
  operation: CaseEvent,
  changed_at: z.string(),
  changed_by: z.string(),
  changed_by_role: z.string(),
  /** who acted, in the request's language: "demo-koordinator (regionkoordinator, Stockholm)" */
  changed_by_name: z.string(),
  data: CaseInput,
});
export const CaseHistory = z.strictObject({ items: z.array(CaseVersionView) });
export type CaseHistory = z.output<typeof CaseHistory>;

/** The session's unsaved case form: whatever the form holds, not yet a case. */
export const DraftBody = z.object({ data: z.record(z.string(), z.unknown()) }).strict();
export type DraftBody = z.input<typeof DraftBody>;
export const Draft = z.strictObject({ data: z.record(z.string(), z.unknown()), updatedAt: z.string().nullable() });
export type Draft = z.output<typeof Draft>;
