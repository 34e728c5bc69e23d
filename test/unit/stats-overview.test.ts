// The national overview's counting (src/stats/overview.ts): persons across sources by linkage key.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countUniquePeople, overviewSources, personsOf, sourceCombinations, type OverviewRecord, type ResolvedPair } from '../../src/stats/overview.ts';
import type { SourceCode } from '../../src/standard/codes.ts';

const arbSource = fc.constantFrom<SourceCode>(...overviewSources);
/** Records with keys from a small alphabet (so keys repeat within and across sources), some without a key. */
const arbRecords = fc
  .array(fc.record({ source: arbSource, linkage_key: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'), { freq: 4 }) }), { maxLength: 40 })
  .map((rs) => rs.map((r, i): OverviewRecord => ({ id: `r${String(i).padStart(3, '0')}`, ...r })));
const arbWithPairs = arbRecords.chain((records) =>
  fc.tuple(
    fc.constant(records),
    records.length < 2
      ? fc.constant<ResolvedPair[]>([])
      : fc.array(
          fc
            .tuple(fc.nat(records.length - 1), fc.nat(records.length - 1), fc.constantFrom<ResolvedPair['resolution']>('same_person', 'different_persons'))
            .filter(([a, b]) => a !== b)
            .map(([a, b, resolution]) => ({ a: records[a].id, b: records[b].id, resolution })),
          { maxLength: 8 },
        ),
  ),
);

/** An independent reading of "persons": labels spread along the links until nothing changes. */
function naivePersons(records: readonly OverviewRecord[], pairs: readonly ResolvedPair[]): number {
  const different = (x: string, y: string) => pairs.some((p) => p.resolution === 'different_persons' && ((p.a === x && p.b === y) || (p.a === y && p.b === x)));
  const links: [number, number][] = [];
  records.forEach((r, i) =>
    records.forEach((s, j) => {
      if (i < j && r.linkage_key && r.linkage_key === s.linkage_key && !different(r.id, s.id)) links.push([i, j]);
    }),
  );
  for (const p of pairs)
    if (p.resolution === 'same_person') links.push([records.findIndex((r) => r.id === p.a), records.findIndex((r) => r.id === p.b)]);
  const label = records.map((_, i) => i);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [i, j] of links) {
      const low = Math.min(label[i], label[j]);
      if (label[i] !== low || label[j] !== low) [label[i], label[j], changed] = [low, low, true];
    }
  }
  return new Set(label).size;
}

describe('unique people across sources', () => {
  it('the seven exclusive combinations, single sources first', () => {
    const combos = sourceCombinations();
    expect(combos).toHaveLength(7);
    expect(combos.slice(0, 3)).toEqual(overviewSources.map((s) => [s]));
    expect(combos[6]).toEqual([...overviewSources]);
    expect(new Set(combos.map((c) => c.join('+'))).size).toBe(7);
  });

  it('a person reported by a coordinator and by a civil-society organisation counts once, in their overlap', () => {
    const r = countUniquePeople([
      { id: 'a', source: 'coordinator', linkage_key: 'k' },
      { id: 'b', source: 'civil_society', linkage_key: 'k' },
      { id: 'c', source: 'civil_society', linkage_key: null },
      { id: 'd', source: 'civil_society', linkage_key: null },
    ]);
    expect(r.persons).toBe(3);
    expect(r.by_source).toEqual({ coordinator: 1, civil_society: 3, support_programme: 0 });
    const of = (...s: SourceCode[]) => r.combinations.find((c) => c.sources.join('+') === s.join('+'))!.persons;
    expect(of('coordinator', 'civil_society')).toBe(1);
    expect(of('civil_society')).toBe(2);
    expect(of('coordinator')).toBe(0);
  });

  it('resolutions: different persons split a key, same person joins two records', () => {
    const records: OverviewRecord[] = [
      { id: 'a', source: 'coordinator', linkage_key: 'k' },
      { id: 'b', source: 'coordinator', linkage_key: 'k' },
      { id: 'c', source: 'support_programme', linkage_key: 'm' },
    ];
    expect(countUniquePeople(records).persons).toBe(2);
    expect(countUniquePeople(records, [{ a: 'b', b: 'a', resolution: 'different_persons' }]).persons).toBe(3);
    const joined = countUniquePeople(records, [{ a: 'a', b: 'c', resolution: 'same_person' }]);
    expect(joined.persons).toBe(1);
    expect(joined.combinations.find((c) => c.sources.length === 2 && c.sources.includes('support_programme') && c.sources.includes('coordinator'))!.persons).toBe(1);
  });

  it('the union is the sum over the exclusive combinations, and each source the sum of the combinations that hold it', () => {
    fc.assert(
      fc.property(arbWithPairs, ([records, pairs]) => {
        const r = countUniquePeople(records, pairs);
        expect(r.combinations.reduce((sum, c) => sum + c.persons, 0)).toBe(r.persons);
        for (const s of overviewSources) expect(r.by_source[s]).toBe(r.combinations.filter((c) => c.sources.includes(s)).reduce((sum, c) => sum + c.persons, 0));
        expect(r.persons).toBe(naivePersons(records, pairs));
        // every record is in exactly one person
        expect(personsOf(records, pairs).flat().sort()).toEqual(records.map((x) => x.id).sort());
        // the union is at most the sum of the sources and at least the largest of them
        const perSource = overviewSources.map((s) => r.by_source[s]);
        expect(r.persons).toBeLessThanOrEqual(perSource.reduce((a, b) => a + b, 0));
        expect(r.persons).toBeGreaterThanOrEqual(Math.max(0, ...perSource));
      }),
      { numRuns: 300 },
    );
  });

  it('without resolutions, persons are the distinct keys plus the records without a key, in all and in each source', () => {
    fc.assert(
      fc.property(arbRecords, (records) => {
        const r = countUniquePeople(records);
        const persons = (rs: OverviewRecord[]) => new Set(rs.filter((x) => x.linkage_key).map((x) => x.linkage_key)).size + rs.filter((x) => !x.linkage_key).length;
        expect(r.persons).toBe(persons(records));
        for (const s of overviewSources) expect(r.by_source[s]).toBe(persons(records.filter((x) => x.source === s)));
      }),
      { numRuns: 300 },
    );
  });

  it('a person in two sources counts once: another record with a key already known never adds a person', () => {
    fc.assert(
      fc.property(arbRecords, arbSource, (records, source) => {
        const known = records.find((x) => x.linkage_key);
        fc.pre(known !== undefined);
        const before = countUniquePeople(records);
        const after = countUniquePeople([...records, { id: 'extra', source, linkage_key: known!.linkage_key }]);
        expect(after.persons).toBe(before.persons);
        expect(after.by_source[source]).toBeGreaterThanOrEqual(before.by_source[source]);
        expect(after.by_source[source]).toBeLessThanOrEqual(before.by_source[source] + 1);
      }),
      { numRuns: 300 },
    );
  });
});
