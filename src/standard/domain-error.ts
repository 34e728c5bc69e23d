// The one error type a service raises on purpose. It lives in `standard` because that is the only
// module below `store`, and errors of every layer use it: the store (a held data directory), access
// (forbidden, bad user input), the registry, the statistics. It knows nothing of HTTP or exit codes:
// `kind` says what sort of refusal it is, and each entry point maps kinds once (src/http/errors.ts to
// a status, src/cli/problems.ts to an exit code), so a refusal reads the same through either.
import type { Label } from './codes.ts';

/** What sort of refusal: each entry point maps it once (HTTP status, exit code). */
export const problemKinds = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'precondition',
  'too_large',
  'unsupported',
  'throttled',
  'unavailable',
  'internal',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

/** A field's problem: the field's path, the rule and its message in both languages. */
export type DomainViolation = { path: string; rule: string; message: Label };

export class DomainError extends Error {
  constructor(
    /** stable and machine-readable, e.g. `not_found`, `demo_instance` */
    readonly code: string,
    readonly kind: ProblemKind,
    /** what the person is told, never case contents */
    readonly text: Label,
    readonly violations: readonly DomainViolation[] = [],
    options?: ErrorOptions,
  ) {
    super(text.en, options);
    this.name = new.target.name;
  }
}
