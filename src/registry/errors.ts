// Domain errors of the registry. The HTTP layer maps them by class in one place; messages
// name what went wrong, never the case's contents.
import type { Label } from '../standard/codes.ts';
import type { Violation } from '../standard/validate.ts';

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly text: Label;
  constructor(text: Label) {
    super(text.en);
    this.name = new.target.name;
    this.text = text;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation';
  constructor(
    readonly violations: Violation[],
    readonly warnings: Violation[] = [],
  ) {
    super({ sv: 'Uppgifterna innehåller fel.', en: 'The submitted data has errors.' });
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly what: 'case' = 'case') {
    super({ sv: 'Ärendet hittades inte.', en: 'The case was not found.' });
  }
}

export class VersionConflictError extends DomainError {
  readonly code = 'version_conflict';
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super({
      sv: 'Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om och gör ändringen igen.',
      en: 'The case was changed by someone else since you opened it. Reload and make the change again.',
    });
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'idempotency_conflict';
  constructor() {
    super({
      sv: 'Samma idempotensnyckel har redan använts för en annan begäran.',
      en: 'The same idempotency key was already used for a different request.',
    });
  }
}

/** The action does not fit the case's status (e.g. changing a withdrawn case, closing a closed one). */
export class StateConflictError extends DomainError {
  readonly code = 'conflict';
  constructor(
    readonly status: string,
    readonly action: string,
  ) {
    super({
      sv: 'Åtgärden går inte att utföra i ärendets nuvarande läge.',
      en: 'The action is not possible in the current state of the case.',
    });
  }
}
