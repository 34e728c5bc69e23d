// Errors of the statistics services; the HTTP layer maps them by `code` like every domain error.
import type { Label } from '../standard/codes.ts';

export class StatsError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'validation',
    readonly text: Label,
    readonly violations: { path: string; rule: string; message: Label }[] = [],
  ) {
    super(text.en);
    this.name = 'StatsError';
  }
}

export const releaseNotFound = () => new StatsError('not_found', { sv: 'Utgåvan hittades inte.', en: 'The release was not found.' });
export const reportNotFound = () =>
  new StatsError('not_found', { sv: 'Det finns ingen publicerad statistik för året.', en: 'There are no published statistics for the year.' });
