// The cases behind each data-quality note are exactly as many as the note counts, whatever the
// cases and settings: the list the statistician opens and the count the report prints agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReport } from '../../src/stats/engine.ts';
import { casesOfNotes } from '../../src/stats/quality-cases.ts';
import { arbStatsCase } from '../support/random-cases.ts';

describe('casesOfNotes', () => {
  it('property: each note names as many counted cases as its count, each case once', () => {
    fc.assert(
      // A few linkage keys, so repeated keys (possible duplicates) are common.
      fc.property(fc.array(fc.tuple(arbStatsCase(2025), fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null })), { maxLength: 60 }), fc.boolean(), (cases, unknownAsAdult) => {
        const withIds = cases.map(([c, key], i) => ({ ...c, linkage_key: key, id: `case-${i}` }));
        const settings = { unknown_age_as_adult: unknownAsAdult };
        const report = computeReport({ year: 2025, cases: withIds, release: { id: null, kind: 'live' }, settings });
        const named = casesOfNotes(withIds, 2025, { ...report.settings });
        for (const note of report.quality) {
          const ids = named[note.id] ?? [];
          expect(ids.length, note.id).toBe(note.count);
          expect(new Set(ids).size, note.id).toBe(ids.length);
        }
        // Only notes the report has, and only cases it counts (a withdrawn or other-year case never).
        expect(Object.keys(named).every((id) => report.quality.some((q) => q.id === id))).toBe(true);
        const counted = new Set(withIds.filter((c) => c.source === 'coordinator' && c.status !== 'withdrawn' && c.identified_on.startsWith('2025')).map((c) => c.id));
        for (const ids of Object.values(named)) for (const id of ids) expect(counted.has(id)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('names the case without a form and the second case with a repeated key', () => {
    const base = { source: 'coordinator', status: 'open', region: 'syd', identified_on: '2025-03-01', crime_type: 'trafficking', sex: 'female', age: 30, age_group: 'adult', exploitation_forms: ['sexual'], industries: [], nationality: 'RO', referred_by: 'police', workplace_inspection: false, related_children: [], linkage_key: null } as const;
    const cases = [
      { ...base, id: 'a', linkage_key: 'k1' },
      { ...base, id: 'b', exploitation_forms: [], linkage_key: 'k1' },
      { ...base, id: 'c', region: null, identified_on: '2024-12-31' },
    ];
    const named = casesOfNotes(cases as never, 2025, { unknown_age_as_adult: true });
    expect(named.form_unknown).toEqual(['b']);
    expect(named.possible_duplicates).toEqual(['b']);
    expect(named.region_unknown).toBeUndefined();
  });
});
