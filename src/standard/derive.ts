// Derived fields of a case (data standard 3.4 and 3.5).
import type { AgeGroupCode, CategoryCode, ExploitationFormCode, PersonGroupCode, SexCode } from './codes.ts';

/** Exploitation category: the single form, `multiple` for two or more, `unknown` for none. */
export function exploitationCategory(forms: readonly ExploitationFormCode[]): CategoryCode {
  const distinct = new Set(forms);
  if (distinct.size === 0) return 'unknown';
  if (distinct.size === 1) return forms[0];
  return 'multiple';
}

/** Combination of a multiple case: its forms sorted alphabetically and joined by `+`; null for fewer than two forms. */
export function exploitationCombination(forms: readonly ExploitationFormCode[]): string | null {
  const distinct = [...new Set(forms)].sort();
  return distinct.length >= 2 ? distinct.join('+') : null;
}

/** Person group from sex and age group; with `unknownAgeAsAdult` (the default) unknown age folds into woman/man. */
export function personGroupOf(sex: SexCode, ageGroup: AgeGroupCode, unknownAgeAsAdult = true): PersonGroupCode {
  if (sex === 'other') return 'other';
  if (sex === 'unknown') return 'unknown';
  if (ageGroup === 'child') return sex === 'female' ? 'girl' : 'boy';
  if (ageGroup === 'adult' || unknownAgeAsAdult) return sex === 'female' ? 'woman' : 'man';
  return 'age_unknown';
}

/** Age group implied by an age in whole years. */
export function ageGroupOfAge(age: number): AgeGroupCode {
  return age < 18 ? 'child' : 'adult';
}

/** The statistics year of a date (`YYYY-MM-DD`, already a Europe/Stockholm calendar date). */
export function statisticsYear(identifiedOn: string): number {
  return Number(identifiedOn.slice(0, 4));
}
