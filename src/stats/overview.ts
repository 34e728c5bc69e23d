// The national overview of unique people: for a year, how many persons any source knows of, and the
// overlaps between the regional coordinators, civil society and the support programmes, counted by
// linkage key. One person is one group of records joined by
//   - the same linkage key (in any source), unless a review resolved the two as different persons;
//   - a review that resolved two records as the same person (src/registry/duplicates.ts).
// A record without a key is a person of its own. Withdrawn records are left out. The counting is pure
// (`countUniquePeople`); `uniquePeopleOverview` reads the live records for the statistician (audited),
// `publicUniquePeople` the published releases for everyone, protected.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize } from '../access/policy.ts';
import { policyOf, protect, type CellStatus, type Problem } from '../disclosure/index.ts';
import { source as sourceList, type SourceCode } from '../standard/codes.ts';
import { statisticsYear } from '../standard/derive.ts';
import { rows, type Executor } from '../store/db.ts';
import { cases } from '../store/schema.ts';
import { reportNotFound } from './errors.ts';
import { defaultReleaseOf, listReleases, releaseRecords } from './releases.ts';

export const overviewSources: readonly SourceCode[] = sourceList.codes;

export type OverviewRecord = { id: string; source: SourceCode; linkage_key: string | null };
export type ResolvedPair = { a: string; b: string; resolution: 'same_person' | 'different_persons' };

/** One exclusive combination of sources: the persons known to exactly these sources. */
export type OverlapRow = { sources: SourceCode[]; persons: number };

export type UniquePeople = {
  /** persons known to any source (the union) */
  persons: number;
  /** persons known to each source (a person with two records in one source counts once) */
  by_source: Record<SourceCode, number>;
  /** every non-empty combination of sources, in a fixed order (single sources first), with its persons */
  combinations: OverlapRow[];
};

/** Every non-empty combination of the sources, single sources first, then pairs, then all three. */
export function sourceCombinations(sources: readonly SourceCode[] = overviewSources): SourceCode[][] {
  const all: SourceCode[][] = [];
  for (let mask = 1; mask < 1 << sources.length; mask++) all.push(sources.filter((_, i) => mask & (1 << i)));
  return all.sort((x, y) => x.length - y.length || combinationKey(y, sources).localeCompare(combinationKey(x, sources)));
}

const combinationKey = (combo: readonly SourceCode[], sources: readonly SourceCode[] = overviewSources) =>
  sources.map((s) => (combo.includes(s) ? '1' : '0')).join('');

/** The persons: the records grouped into one list of record ids per person. */
export function personsOf(records: readonly OverviewRecord[], pairs: readonly ResolvedPair[] = []): string[][] {
  const index = new Map(records.map((r, i) => [r.id, i]));
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (i: number, j: number) => {
    const [a, b] = [find(i), find(j)];
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const pairKey = (x: string, y: string) => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);
  const different = new Set(pairs.filter((p) => p.resolution === 'different_persons').map((p) => pairKey(p.a, p.b)));
  const byKey = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (!r.linkage_key) return;
    const group = byKey.get(r.linkage_key);
    if (group) group.push(i);
    else byKey.set(r.linkage_key, [i]);
  });
  for (const group of byKey.values())
    for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++)
        if (!different.has(pairKey(records[group[x]].id, records[group[y]].id))) union(group[x], group[y]);
  for (const p of pairs) {
    if (p.resolution !== 'same_person') continue;
    const [i, j] = [index.get(p.a), index.get(p.b)];
    if (i !== undefined && j !== undefined) union(i, j);
  }
  const persons = new Map<number, string[]>();
  records.forEach((r, i) => {
    const root = find(i);
    persons.set(root, [...(persons.get(root) ?? []), r.id]);
  });
  return [...persons.values()];
}

/** The union, each source's persons and the exclusive combinations of sources. */
export function countUniquePeople(records: readonly OverviewRecord[], pairs: readonly ResolvedPair[] = []): UniquePeople {
  const sourceOf = new Map(records.map((r) => [r.id, r.source]));
  const counts = new Map<string, number>();
  const persons = personsOf(records, pairs);
  for (const person of persons) {
    const combo = overviewSources.filter((s) => person.some((id) => sourceOf.get(id) === s));
    const key = combinationKey(combo);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const combinations = sourceCombinations().map((sources) => ({ sources, persons: counts.get(combinationKey(sources)) ?? 0 }));
  const by_source = Object.fromEntries(
    overviewSources.map((s) => [s, combinations.filter((c) => c.sources.includes(s)).reduce((sum, c) => sum + c.persons, 0)]),
  ) as Record<SourceCode, number>;
  return { persons: persons.length, by_source, combinations };
}

export type UniquePeopleOverview = UniquePeople & { year: number; records: number };

/**
 * The overview of a year from the live records of every source, for the statistician: not protected,
 * so it is an internal read, audited like the quality view (no case ids: it names no case).
 */
export async function uniquePeopleOverview(db: Executor, actor: Actor, year: number): Promise<UniquePeopleOverview> {
  authorize(actor, 'report.read_live');
  return db.transaction(async (tx) => {
    const records = (
      await tx
        .select({ id: cases.id, source: cases.source, linkage_key: cases.linkage_key })
        .from(cases)
        .where(and(eq(cases.year, year), ne(cases.status, 'withdrawn')))
        .orderBy(cases.id)
    ).map((r) => ({ ...r, source: r.source as SourceCode }));
    const pairs = await rows<ResolvedPair>(
      tx,
      sql`select r.case_a as a, r.case_b as b, r.resolution from duplicate_resolutions r
          join cases a on a.id = r.case_a join cases b on b.id = r.case_b
          where a.year = ${year} and b.year = ${year} and a.status <> 'withdrawn' and b.status <> 'withdrawn'`,
    );
    const counted = countUniquePeople(records, pairs);
    await writeAudit(tx, { actor, operation: 'report.read_live', details: { view: 'unique_people', year, records: records.length } });
    return { year, records: records.length, ...counted };
  });
}

/** A figure of the public overview as published: null and its status when suppressed. */
export type PublishedFigure = { persons: number | null; status: CellStatus };

/** The national overview as the public reads it: from published releases only, protected. */
export type PublicUniquePeople = {
  year: number;
  /** The release each source's persons come from (its newest final, else preliminary, published release of the year); null: none published. */
  releases: Record<SourceCode, string | null>;
  persons: PublishedFigure;
  by_source: Record<SourceCode, PublishedFigure>;
  combinations: (PublishedFigure & { sources: SourceCode[] })[];
  /** The smallest count published (smaller ones are suppressed, with what would reveal them). */
  threshold: number;
};

/**
 * The overlaps of a year as one public table: the persons of each source's published release of the
 * year (a programme release also holds the two years before; only the year's records count), joined
 * by linkage key and the reviews' decisions as `countUniquePeople` joins them, then protected like
 * every public table: a cell is the sum of its parts (the union of the seven exclusive combinations,
 * each source of its four), so suppressing a small combination suppresses what would give it away.
 * The reviews are read as they stand, so a decision made after publication can move a figure.
 */
export async function publicUniquePeople(db: Executor, year: number): Promise<PublicUniquePeople> {
  const releases = {} as Record<SourceCode, string | null>;
  const records: OverviewRecord[] = [];
  for (const source of overviewSources) {
    const release = defaultReleaseOf(await listReleases(db, null, { year, source }), year);
    releases[source] = release?.id ?? null;
    if (!release) continue;
    for (const r of await releaseRecords(db, release.id))
      if (statisticsYear(r.identified_on) === year) records.push({ id: r.id, source, linkage_key: r.linkage_key });
  }
  if (records.length === 0) throw reportNotFound();
  // The reviews of pairs among these records: both cases keyed the same (a review is of such a pair).
  const keys = [...new Set(records.flatMap((r) => (r.linkage_key ? [r.linkage_key] : [])))];
  const known = new Set(records.map((r) => r.id));
  const pairs = keys.length === 0 ? [] : (
    await rows<ResolvedPair>(
      db,
      sql`select r.case_a as a, r.case_b as b, r.resolution from duplicate_resolutions r join cases c on c.id = r.case_a
          where c.year = ${year} and c.linkage_key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`,
    )
  ).filter((p) => known.has(p.a) && known.has(p.b));
  const counted = countUniquePeople(records, pairs);
  const comboId = (sources: readonly SourceCode[]) => `combination:${sources.join('+')}`;
  const problem: Problem = {
    cells: [
      { id: 'persons', count: counted.persons },
      ...overviewSources.map((s) => ({ id: `source:${s}`, count: counted.by_source[s] })),
      ...counted.combinations.map((c) => ({ id: comboId(c.sources), count: c.persons })),
    ],
    relations: [
      { kind: 'sum', total: 'persons', parts: counted.combinations.map((c) => comboId(c.sources)) },
      ...overviewSources.map((s) => ({ kind: 'sum' as const, total: `source:${s}`, parts: counted.combinations.filter((c) => c.sources.includes(s)).map((c) => comboId(c.sources)) })),
    ],
  };
  // Eleven cells: the exact method proves the cheapest suppression at once.
  const protection = await protect(problem, policyOf(), { method: 'exact' });
  const figure = (id: string, persons: number): PublishedFigure => {
    const status = protection.status[id] ?? 'safe';
    return { persons: status === 'primary' || status === 'secondary' ? null : persons, status };
  };
  return {
    year,
    releases,
    persons: figure('persons', counted.persons),
    by_source: Object.fromEntries(overviewSources.map((s) => [s, figure(`source:${s}`, counted.by_source[s])])) as Record<SourceCode, PublishedFigure>,
    combinations: counted.combinations.map((c) => ({ sources: c.sources, ...figure(comboId(c.sources), c.persons) })),
    threshold: protection.policy.threshold,
  };
}
