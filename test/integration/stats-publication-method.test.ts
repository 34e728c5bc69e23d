// Publication protects with the method LAGESBILD_PUBLICATION_METHOD names, by default 'auto': the
// exact method for a release of up to 1,000 cells (the suite otherwise publishes with 'fast').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { systemActor } from '../../src/access/actor.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import { validateCase } from '../../src/standard/validate.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { publicationMethod, type StoredProtection } from '../../src/stats/protection.ts';
import { freezeRelease, getReleasePolicy, publishRelease } from '../../src/stats/releases.ts';
import type { Database } from '../../src/store/db.ts';
import { randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const stat: Actor = { id: 'user-stat', role: 'statistician', organisation_id: null, region: null };

describe('the publication method setting', () => {
  it('is auto unless set, and refuses a method it does not know', () => {
    expect(publicationMethod({})).toBe('auto');
    expect(publicationMethod({ LAGESBILD_PUBLICATION_METHOD: ' fast ' })).toBe('fast');
    expect(publicationMethod({ LAGESBILD_PUBLICATION_METHOD: 'exact' })).toBe('exact');
    expect(() => publicationMethod({ LAGESBILD_PUBLICATION_METHOD: 'quick' })).toThrow(/auto, exact or fast/);
  });
});

describe.each(dbTargets())('publishing with the default method on %s', (target) => {
  let database: Database;
  const before = process.env.LAGESBILD_PUBLICATION_METHOD;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    const rand = seededRandom(11);
    const cases: CaseData[] = [];
    while (cases.length < 60) {
      const c = randomCase(rand, [2025]);
      const r = validateCase(c);
      if (c.source === 'coordinator' && r.ok) cases.push(r.data);
    }
    await database.db.transaction((tx) => insertCases(tx, systemActor('test'), cases));
    delete process.env.LAGESBILD_PUBLICATION_METHOD;
  }, 120_000);
  afterAll(async () => {
    process.env.LAGESBILD_PUBLICATION_METHOD = before;
    await database?.close();
  });

  it('protects a release of fewer than 1,000 cells with the exact method, and the audit passes', async () => {
    const release = await freezeRelease(database.db, stat, { year: 2025, kind: 'final' });
    await publishRelease(database.db, stat, release.id);
    const stored = (await getReleasePolicy(database.db, stat, release.id)).protection as StoredProtection;
    expect(Object.keys(stored.status).length).toBeLessThan(1000);
    expect(stored.method).toBe('exact');
    expect(stored.audit.passed).toBe(true);
    expect(stored.loss.primary).toBeGreaterThan(0);
  }, 180_000);
});
