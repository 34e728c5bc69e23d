// A person's code in a table-builder dimension, written out in the tests independently of the
// service, so the builder's own classification is checked against a second reading.
import type { AgeGroupCode, SexCode } from '../../src/standard/codes.ts';
import { exploitationCategory, personGroupOf } from '../../src/standard/derive.ts';

type Coded = {
  sex: SexCode;
  age_group: AgeGroupCode;
  exploitation_forms: Parameters<typeof exploitationCategory>[0];
  crime_type?: string | null;
  nationality?: string | null;
  referred_by?: string | null;
};

export function builderCodeOf(dim: string, k: Coded, unknownAgeAsAdult = true): string {
  switch (dim) {
    case 'sex':
      return k.sex;
    case 'age_group':
      return k.age_group;
    case 'group':
      return personGroupOf(k.sex, k.age_group, unknownAgeAsAdult);
    case 'category':
      return exploitationCategory(k.exploitation_forms);
    case 'crime_type':
      return k.crime_type ?? 'unknown';
    case 'nationality':
      return k.nationality ?? 'unknown';
    case 'referred_by':
      return k.referred_by ?? 'unknown';
  }
  throw new Error(dim);
}
