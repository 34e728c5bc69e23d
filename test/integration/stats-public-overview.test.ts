// The national overview of unique people as the public reads it (GET /api/stats/unique-people/public):
// counted from each source's published release of the year only, a person known to several sources
// counted once, and protected — no count below the threshold printed, and no printed sum that gives a
// suppressed figure away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import type { PublicUniquePeople } from '../../src/contract/index.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import type { CaseData } from '../../src/standard/case.ts';
import type { SourceCode } from '../../src/standard/codes.ts';
import { statisticsYear } from '../../src/standard/derive.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { sourceReportSpecs } from '../../src/stats/sources/index.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type TestApp } from '../support/http.ts';

const YEAR = 2025;
const sources: SourceCode[] = ['coordinator', 'civil_society', 'support_programme'];
const keyOf = (n: number) => n.toString(16).padStart(64, 'e');

/** The persons of each exact combination of sources, counted here the plain way: one person per key. */
function expectedCombinations(records: readonly CaseData[]): Map<string, number> {
  const sourcesOfKey = new Map<string, Set<SourceCode>>();
  for (const r of records) sourcesOfKey.set(r.linkage_key!, (sourcesOfKey.get(r.linkage_key!) ?? new Set()).add(r.source));
  const out = new Map<string, number>();
  for (const set of sourcesOfKey.values()) {
    const combo = sources.filter((s) => set.has(s)).join('+');
    out.set(combo, (out.get(combo) ?? 0) + 1);
  }
  return out;
}

describe.each(dbTargets())('the public overview of unique people on %s', (target) => {
  let t: TestApp;
  let counted: CaseData[];

  beforeAll(async () => {
    t = await openTestApp(target);
    // Every record has a key from a pool smaller than the records, so persons recur within and across sources.
    const data = importableCases(420, 31, { today: '2025-12-31' }).map((d, i) => ({ ...d, linkage_key: keyOf((i * 7) % 260) }));
    await t.database.db.transaction((tx) => insertCases(tx, systemActor('test'), data));
    const actor = systemActor('test');
    for (const source of sources) {
      const release = await freezeRelease(t.database.db, actor, { year: YEAR, kind: 'final', source });
      await publishRelease(t.database.db, actor, release.id);
    }
    // A later release not published: the public overview must not read it.
    await t.database.db.transaction((tx) => insertCases(tx, systemActor('test'), [{ ...data.find((d) => d.source === 'coordinator' && statisticsYear(d.identified_on) === YEAR)!, linkage_key: keyOf(99_999) }]));
    await freezeRelease(t.database.db, actor, { year: YEAR, kind: 'final' });
    counted = data.filter(
      (d) => statisticsYear(d.identified_on) === YEAR && (d.source === 'coordinator' || sourceReportSpecs[d.source].includes({ ...d, id: '', status: 'open' })),
    );
  }, 240_000);
  afterAll(() => t?.close());

  it('counts each person once across the published releases, and prints no small count', async () => {
    const res = await t.app.inject({ url: `/api/stats/unique-people/public?year=${YEAR}` });
    expect(res.statusCode, res.body).toBe(200);
    const o = json<PublicUniquePeople>(res);
    expect(o.releases).toEqual({ coordinator: `${YEAR}-1`, civil_society: `${YEAR}-civ-1`, support_programme: `${YEAR}-stp-1` });
    const expected = expectedCombinations(counted);
    expect(o.combinations).toHaveLength(7);
    for (const c of o.combinations) {
      const want = expected.get(c.sources.join('+')) ?? 0;
      if (c.persons === null) expect(['primary', 'secondary']).toContain(c.status);
      else expect(c.persons, c.sources.join('+')).toBe(want);
      if (c.persons !== null && c.persons > 0) expect(c.persons).toBeGreaterThanOrEqual(o.threshold);
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    if (o.persons.persons !== null) expect(o.persons.persons).toBe(total);
    // Some persons are in more than one source: the union is smaller than the sources' persons added.
    const bySource = sources.map((s) => [...expected].filter(([k]) => k.split('+').includes(s)).reduce((n, [, v]) => n + v, 0));
    expect(total).toBeLessThan(bySource.reduce((a, b) => a + b, 0));
    sources.forEach((s, i) => o.by_source[s].persons !== null && expect(o.by_source[s].persons).toBe(bySource[i]));
  });

  it('leaves no printed sum that gives one suppressed figure away', async () => {
    const o = json<PublicUniquePeople>(await t.app.inject({ url: `/api/stats/unique-people/public?year=${YEAR}` }));
    const relations = [
      [o.persons, ...o.combinations],
      ...sources.map((s) => [o.by_source[s], ...o.combinations.filter((c) => c.sources.includes(s))]),
    ];
    for (const figures of relations) expect(figures.filter((f) => f.persons === null).length).not.toBe(1);
  });

  it('answers 404 for a year with no published release, for everyone', async () => {
    const res = await t.app.inject({ url: '/api/stats/unique-people/public?year=2019' });
    expect(res.statusCode).toBe(404);
  });
});
