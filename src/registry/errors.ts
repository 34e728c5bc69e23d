// Domain errors of the registry: each a DomainError (src/standard/domain-error.ts), which the HTTP
// layer and the command line each map in one place. Messages name what went wrong, never the
// case's contents.
import type { Violation } from '../standard/validate.ts';
import { DomainError } from '../standard/domain-error.ts';

export { DomainError };

export class ValidationError extends DomainError {
  constructor(
    override readonly violations: Violation[],
    readonly warnings: Violation[] = [],
  ) {
    super('validation', 'invalid', { sv: 'Uppgifterna innehåller fel.', en: 'The submitted data has errors.' }, violations);
  }
}

export class NotFoundError extends DomainError {
  constructor(readonly what: 'case' = 'case') {
    super('not_found', 'not_found', { sv: 'Ärendet hittades inte.', en: 'The case was not found.' });
  }
}

export class VersionConflictError extends DomainError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super('version_conflict', 'conflict', {
      sv: 'Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om och gör ändringen igen.',
      en: 'The case was changed by someone else since you opened it. Reload and make the change again.',
    });
  }
}

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super('idempotency_conflict', 'conflict', {
      sv: 'Samma idempotensnyckel har redan använts för en annan begäran.',
      en: 'The same idempotency key was already used for a different request.',
    });
  }
}

/** The action does not fit the case's status (e.g. changing a withdrawn case, closing a closed one). */
export class StateConflictError extends DomainError {
  constructor(
    readonly status: string,
    readonly action: string,
  ) {
    super('conflict', 'conflict', {
      sv: 'Åtgärden går inte att utföra i ärendets nuvarande läge.',
      en: 'The action is not possible in the current state of the case.',
    });
  }
}
