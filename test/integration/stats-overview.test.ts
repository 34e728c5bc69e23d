// The national overview of unique people (src/stats/overview.ts) on the live records of every source,
// with the duplicate review's resolutions (src/registry/duplicates.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import { createOrganisation } from '../../src/access/organisations.ts';
import { ForbiddenError } from '../../src/access/policy.ts';
import { createCase, withdrawCase } from '../../src/registry/cases.ts';
import { pairId, resolveDuplicate } from '../../src/registry/duplicates.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import * as codes from '../../src/standard/codes.ts';
import type { SourceCode } from '../../src/standard/codes.ts';
import { uniquePeopleOverview, type UniquePeopleOverview } from '../../src/stats/overview.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const anna: Actor = { id: 'user-anna', role: 'coordinator', organisation_id: 'rk-stockholm', region: 'stockholm' };
const nina: Actor = { id: 'user-nina', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const stina: Actor = { id: 'user-stina', role: 'statistician', organisation_id: null, region: null };
const civ: Actor = { id: 'user-civ', role: 'organisation_reporter', organisation_id: 'oversikt', region: null };
const key = (n: number) => n.toString(16).padStart(64, 'b');
const civCase = (linkage_key: string | null): CaseInputIn => ({
  ...coordinatorCase({ identified_on: '2025-05-05' }),
  source: 'civil_society',
  region: null,
  organisation_id: 'oversikt',
  referred_by: null,
  contact_type: codes.contactType.codes[0],
  linkage_key,
});
const of = (o: UniquePeopleOverview, ...sources: SourceCode[]) => o.combinations.find((c) => c.sources.join('+') === sources.join('+'))!.persons;

describe.each(dbTargets())('unique people across sources on %s', (target) => {
  let database: Database;
  const db = () => database.db;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await createOrganisation(db(), systemActor('test'), { kind: 'civil_society', name_sv: 'Översiktsföreningen', id: 'oversikt' });
  });
  afterAll(() => database?.close());

  it('counts a person reported by a coordinator and by a civil-society organisation once; resolutions split and join', async () => {
    const shared = await createCase(db(), anna, coordinatorCase({ identified_on: '2025-02-02', linkage_key: key(1) }));
    const sharedCiv = await createCase(db(), civ, civCase(key(1)));
    const twice = await createCase(db(), nina, coordinatorCase({ region: 'nord', identified_on: '2025-03-03', linkage_key: key(2) }));
    const twiceElsewhere = await createCase(db(), anna, coordinatorCase({ identified_on: '2025-04-04', linkage_key: key(2) }));
    await createCase(db(), civ, civCase(null));
    await createCase(db(), anna, coordinatorCase({ identified_on: '2025-06-06', linkage_key: null }));
    await createCase(db(), anna, coordinatorCase({ identified_on: '2024-06-06', linkage_key: key(1) }));
    const withdrawn = await createCase(db(), civ, civCase(key(9)));
    await withdrawCase(db(), civ, withdrawn.id);

    const first = await uniquePeopleOverview(db(), stina, 2025);
    // key 1 (coordinator + civil society), key 2 (two regions), a keyless civil-society record, a keyless coordinator record
    expect(first).toMatchObject({ year: 2025, records: 6, persons: 4, by_source: { coordinator: 3, civil_society: 2, support_programme: 0 } });
    expect(of(first, 'coordinator', 'civil_society')).toBe(1);
    expect(of(first, 'coordinator')).toBe(2);
    expect(of(first, 'civil_society')).toBe(1);
    expect(first.combinations.reduce((s, c) => s + c.persons, 0)).toBe(first.persons);

    // the statistician finds the two regions' records are different persons: one more person
    await resolveDuplicate(db(), stina, pairId(twice.id, twiceElsewhere.id), 'different_persons');
    const split = await uniquePeopleOverview(db(), stina, 2025);
    expect(split.persons).toBe(5);
    expect(of(split, 'coordinator')).toBe(3);
    // and that the civil-society record is the same person after all: back to one overlap
    await resolveDuplicate(db(), stina, pairId(shared.id, sharedCiv.id), 'same_person');
    expect((await uniquePeopleOverview(db(), stina, 2025)).persons).toBe(5);

    await expect(uniquePeopleOverview(db(), anna, 2025)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(uniquePeopleOverview(db(), civ, 2025)).rejects.toBeInstanceOf(ForbiddenError);
    const audited = await rows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_log where operation = 'report.read_live' and actor_id = ${stina.id} and details ->> 'view' = 'unique_people'`,
    );
    expect(Number(audited[0].n)).toBe(3);
  });
});
