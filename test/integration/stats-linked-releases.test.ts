// Releases of one year read together: a figure an earlier published release suppresses is not
// printed by a later one a few cases apart, and a release whose unsafe cell an earlier one gives
// away is refused — with its policy left as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { systemActor } from '../../src/access/actor.ts';
import { changeCase, createCase } from '../../src/registry/cases.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import { validateCase } from '../../src/standard/validate.ts';
import type { CaseData } from '../../src/standard/case.ts';
import type { StoredProtection } from '../../src/stats/protection.ts';
import { buildPublishedReport, freezeRelease, getReleasePolicy, publishRelease, recordDistance, releaseRecords } from '../../src/stats/releases.ts';
import type { PublishedReport } from '../../src/stats/report-types.ts';
import type { Database } from '../../src/store/db.ts';
import { coordinatorCase, randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const stat: Actor = { id: 'user-stat', role: 'statistician', organisation_id: null, region: null };
const registrar: Actor = systemActor('test');

function valid(input: unknown): CaseData {
  const r = validateCase(input);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The published count of a nationality in the public report (undefined: not printed at all). */
const nationality = (report: PublishedReport, code: string) => report.tables.find((t) => t.id === 'nationality')?.rows.find((r) => r.code === code || r.nationality === code);

describe.each(dbTargets())('releases of one year audited together on %s', (target) => {
  let database: Database;
  const db = () => database.db;
  let kzCase: string;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    const rand = seededRandom(7);
    // Random cases never have Mongolian or Kazakh citizenship: 2 MN (unsafe) and 3 KZ (safe).
    const cases: CaseData[] = [];
    while (cases.length < 40) {
      const c = randomCase(rand, [2025]);
      if (c.source === 'coordinator') cases.push(valid(c));
    }
    await db().transaction((tx) => insertCases(tx, registrar, cases));
    for (const n of ['MN', 'MN', 'KZ', 'KZ']) await createCase(db(), registrar, coordinatorCase({ nationality: n }));
    kzCase = (await createCase(db(), registrar, coordinatorCase({ nationality: 'KZ' }))).id;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it('a later release one case apart does not print the figure the earlier one suppressed', async () => {
    const first = await freezeRelease(db(), stat, { year: 2025, kind: 'preliminary' });
    await publishRelease(db(), stat, first.id);
    const one = await buildPublishedReport(db(), null, { year: 2025, releaseId: first.id });
    expect(nationality(one, 'MN')).toMatchObject({ count: null });
    expect(nationality(one, 'KZ')).toMatchObject({ count: 3 });
    expect((await getReleasePolicy(db(), stat, first.id)).protection?.linked).toBeUndefined();

    // One more Mongolian: 3, safe on its own, but 2025-1's suppressed 2 would be pinned to 2 … 4.
    await createCase(db(), registrar, coordinatorCase({ nationality: 'MN' }));
    const second = await freezeRelease(db(), stat, { year: 2025, kind: 'final' });
    expect(recordDistance(await releaseRecords(db(), first.id), await releaseRecords(db(), second.id))).toBe(1);
    await publishRelease(db(), stat, second.id);
    const two = await buildPublishedReport(db(), null, { year: 2025, releaseId: second.id });
    expect(nationality(two, 'MN')).toMatchObject({ count: null, status: 'secondary' });

    const stored = (await getReleasePolicy(db(), stat, second.id)).protection as StoredProtection;
    expect(stored.linked).toMatchObject({ releases: [{ id: first.id, distance: 1 }], passed: true, failing: [] });
    expect(stored.linked!.forced.some((c) => c.includes('MN'))).toBe(true);
    // Every unsafe cell of both releases keeps the width, read together.
    expect(stored.linked!.cells.length).toBeGreaterThan(0);
    for (const c of stored.linked!.cells) expect(c.hi === null || c.hi - c.lo >= 3, `${c.release} ${c.cell}`).toBe(true);
    expect(new Set(stored.linked!.cells.map((c) => c.release))).toEqual(new Set([first.id, second.id]));
  }, 240_000);

  it('refuses a release whose unsafe cell an earlier release gives away, and keeps its policy', async () => {
    // One Kazakh becomes Swedish: 3 → 2, while 2025-2 printed 3 one case away.
    await changeCase(db(), registrar, kzCase, 1, coordinatorCase({ nationality: 'SE' }));
    const third = await freezeRelease(db(), stat, { year: 2025, kind: 'final' });
    const before = await getReleasePolicy(db(), stat, third.id);
    const refusal = await publishRelease(db(), stat, third.id, { policy: { ...before.policy, threshold: 3, width: 3 } }).then(
      () => undefined,
      (e: { code?: string; violations?: { path: string; rule: string }[]; message?: string }) => e,
    );
    expect(refusal?.code).toBe('conflict');
    expect(refusal?.violations).toEqual([expect.objectContaining({ path: 'linked', rule: 'width' })]);
    expect(refusal?.message).toMatch(/2025-2/);
    const after = await getReleasePolicy(db(), stat, third.id);
    expect(after).toMatchObject({ published: false, version: before.version, protection: null });
    await expect(buildPublishedReport(db(), null, { year: 2025, releaseId: third.id })).rejects.toMatchObject({ code: 'not_found' });
  }, 240_000);
});
