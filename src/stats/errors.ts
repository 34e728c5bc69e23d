// Errors of the statistics services: DomainErrors (src/standard/domain-error.ts), mapped to HTTP
// and to the command line's exit codes each in one place.
import type { Label } from '../standard/codes.ts';
import { DomainError, type DomainViolation, type ProblemKind } from '../standard/domain-error.ts';

type StatsCode = 'not_found' | 'conflict' | 'validation';
const kinds: Record<StatsCode, ProblemKind> = { not_found: 'not_found', conflict: 'conflict', validation: 'invalid' };

export class StatsError extends DomainError {
  constructor(code: StatsCode, text: Label, violations: DomainViolation[] = []) {
    super(code, kinds[code], text, violations);
  }
}

export const releaseNotFound = () => new StatsError('not_found', { sv: 'Utgåvan hittades inte.', en: 'The release was not found.' });
export const reportNotFound = () =>
  new StatsError('not_found', { sv: 'Det finns ingen publicerad statistik för året.', en: 'There are no published statistics for the year.' });
