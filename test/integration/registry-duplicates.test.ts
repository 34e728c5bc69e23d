// Possible duplicates and their review (src/registry/duplicates.ts): a user learns of a possible
// duplicate only inside their own scope; a match across scopes goes to the statistician's review and
// never back to the registering user (not the case, not the list, not the region's audit trail).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import { searchAudit } from '../../src/access/audit.ts';
import { qualityView } from '../../src/stats/quality.ts';
import { createOrganisation } from '../../src/access/organisations.ts';
import { ForbiddenError } from '../../src/access/policy.ts';
import { createCase, getCase, withdrawCase, type WrittenCase } from '../../src/registry/cases.ts';
import { DuplicateNotFoundError, listDuplicates, pairId, parsePairId, resolveDuplicate } from '../../src/registry/duplicates.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import * as codes from '../../src/standard/codes.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const anna: Actor = { id: 'user-anna', role: 'coordinator', organisation_id: 'rk-stockholm', region: 'stockholm' };
const bo: Actor = { id: 'user-bo', role: 'coordinator', organisation_id: 'rk-stockholm', region: 'stockholm' };
const nina: Actor = { id: 'user-nina', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const stina: Actor = { id: 'user-stina', role: 'statistician', organisation_id: null, region: null };
const adam: Actor = { id: 'user-adam', role: 'admin', organisation_id: null, region: null };
const civA: Actor = { id: 'user-civ-a', role: 'organisation_reporter', organisation_id: 'dubbel-a', region: null };
const civB: Actor = { id: 'user-civ-b', role: 'organisation_reporter', organisation_id: 'dubbel-b', region: null };

/** A linkage key as the registering browser makes it: 64 hex characters. */
const key = (n: number) => n.toString(16).padStart(64, 'a');
const civCase = (organisation_id: string, linkage_key: string, identified_on = '2025-05-05'): CaseInputIn => ({
  ...coordinatorCase({ identified_on }),
  source: 'civil_society',
  region: null,
  organisation_id,
  referred_by: null,
  contact_type: codes.contactType.codes[0],
  linkage_key,
});

/** What a create answers, less what differs between any two creates (ids, reference, times). */
const shape = (c: WrittenCase) => {
  const { id: _i, reference: _r, created_at: _c, updated_at: _u, linkage_key: _k, ...rest } = c;
  return rest;
};

describe.each(dbTargets())('possible duplicates on %s', (target) => {
  let database: Database;
  const db = () => database.db;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await createOrganisation(db(), systemActor('test'), { kind: 'civil_society', name_sv: 'Dubbelföreningen A', id: 'dubbel-a' });
    await createOrganisation(db(), systemActor('test'), { kind: 'civil_society', name_sv: 'Dubbelföreningen B', id: 'dubbel-b' });
  });
  afterAll(() => database?.close());
  const auditRows = async (operation: string, caseId: string) =>
    rows<{ actor_id: string; case_ids: string[]; details: Record<string, unknown> }>(
      db(),
      sql`select actor_id, case_ids, details from audit_log where operation = ${operation} and ${caseId} = any(case_ids) order by seq`,
    );

  it('a coordinator who registers a key that exists in another region learns nothing; the statistician reviews it', async () => {
    const probeKey = key(1);
    const elsewhere = await createCase(db(), nina, coordinatorCase({ region: 'nord', identified_on: '2025-02-02', linkage_key: probeKey }));
    // the probe, and a control with a key nobody has: the two answers are the same but for ids and times
    const probe = await createCase(db(), anna, coordinatorCase({ identified_on: '2025-03-03', linkage_key: probeKey }));
    const control = await createCase(db(), anna, coordinatorCase({ identified_on: '2025-03-03', linkage_key: key(2) }));
    expect(probe.possible_duplicate).toBe(false);
    expect(shape(probe)).toEqual(shape(control));
    expect(JSON.stringify(probe)).not.toContain(elsewhere.id);
    expect(JSON.stringify(probe)).not.toContain(elsewhere.reference);
    expect((await getCase(db(), anna, probe.id)).possible_duplicate).toBe(false);
    expect((await getCase(db(), nina, elsewhere.id)).possible_duplicate).toBe(false);
    // neither region's review lists it
    for (const coordinator of [anna, nina]) {
      const list = await listDuplicates(db(), coordinator, 2025);
      expect(list.scopes).toEqual(['local']);
      expect(list.items.flatMap((p) => p.cases.map((c) => c.id))).not.toContain(probe.id);
      expect(list.items.flatMap((p) => p.cases.map((c) => c.id))).not.toContain(elsewhere.id);
    }
    // the statistician's review does, as national
    const national = await listDuplicates(db(), stina, 2025);
    expect(national.scopes).toEqual(['national']);
    const pair = national.items.find((p) => p.id === pairId(probe.id, elsewhere.id));
    expect(pair).toMatchObject({ year: 2025, scope: 'national', resolution: null });
    expect(pair!.cases.map((c) => c.region).sort()).toEqual(['nord', 'stockholm']);
    // a coordinator cannot resolve it (not found, as a pair that does not exist), the statistician can
    await expect(resolveDuplicate(db(), anna, pair!.id, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    await expect(resolveDuplicate(db(), nina, pair!.id, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    // the statistician's quality view names both cases as possible duplicates (in the full trail)
    const quality = await qualityView(db(), stina, 2025);
    expect(quality.possible_duplicates.some((g) => g.case_ids.includes(probe.id) && g.case_ids.includes(elsewhere.id))).toBe(true);
    expect((await auditRows('report.read_live', probe.id)).map((r) => r.actor_id)).toEqual([stina.id]);
    const resolved = await resolveDuplicate(db(), stina, pair!.id, 'same_person');
    expect(resolved.resolution).toMatchObject({ resolution: 'same_person', resolved_by: stina.id });
    // the region's view of the audit trail shows neither the statistician's list, the quality view nor the resolution
    const trail = await searchAudit(db(), anna, { caseId: probe.id, pageSize: 500 });
    expect(trail.items.map((i) => i.operation)).toEqual(expect.arrayContaining(['case.create']));
    expect(trail.items.filter((i) => i.operation.startsWith('duplicates.') || i.operation === 'report.read_live')).toEqual([]);
    expect(trail.items.every((i) => i.actor_id !== stina.id)).toBe(true);
    // the full trail holds them, naming both cases
    const [resolution] = await auditRows('duplicates.resolve', probe.id);
    expect(resolution).toMatchObject({ actor_id: stina.id, details: { scope: 'national', resolution: 'same_person', before: null, year: 2025 } });
    expect([...resolution.case_ids].sort()).toEqual([probe.id, elsewhere.id].sort());
    expect((await auditRows('duplicates.list', probe.id)).map((r) => r.actor_id)).toEqual([stina.id]);
  });

  it('the same key twice in a year inside one region is the region’s to review, with each resolution audited', async () => {
    const k = key(3);
    const a = await createCase(db(), anna, coordinatorCase({ identified_on: '2024-01-10', linkage_key: k }));
    const b = await createCase(db(), bo, coordinatorCase({ identified_on: '2024-09-10', linkage_key: k }));
    const nextYear = await createCase(db(), bo, coordinatorCase({ identified_on: '2023-09-10', linkage_key: k }));
    expect(b.possible_duplicate).toBe(true);
    const id = pairId(a.id, b.id);
    expect(parsePairId(id)).toEqual([a.id, b.id].sort());
    const list = await listDuplicates(db(), anna, 2024);
    expect(list.items.map((p) => p.id)).toEqual([id]);
    expect(list.items[0]).toMatchObject({ scope: 'local', resolution: null, year: 2024 });
    expect(list.items[0].cases.map((c) => c.reference).sort()).toEqual([a.reference, b.reference].sort());
    expect((await listDuplicates(db(), anna, 2023)).items).toEqual([]);
    expect(nextYear.possible_duplicate).toBe(false);
    // not the statistician's, nor another region's, nor an administrator's
    expect((await listDuplicates(db(), stina, 2024)).items.map((p) => p.id)).not.toContain(id);
    expect((await listDuplicates(db(), nina, 2024)).items).toEqual([]);
    await expect(resolveDuplicate(db(), stina, id, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    await expect(resolveDuplicate(db(), nina, id, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    await expect(listDuplicates(db(), adam, 2024)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resolveDuplicate(db(), adam, id, 'same_person')).rejects.toBeInstanceOf(ForbiddenError);
    for (const bad of ['nope', `${b.id}-${a.id}`, `${a.id}-${a.id}`, `${a.id}-${b.id}-x`]) await expect(resolveDuplicate(db(), anna, bad, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    // resolved, then resolved again: the last one holds, both are in the trail
    const first = await resolveDuplicate(db(), anna, id, 'same_person');
    expect(first.resolution).toMatchObject({ resolution: 'same_person', resolved_by: anna.id });
    const second = await resolveDuplicate(db(), bo, id, 'different_persons');
    expect(second.resolution).toMatchObject({ resolution: 'different_persons', resolved_by: bo.id });
    expect((await listDuplicates(db(), bo, 2024)).items[0].resolution).toMatchObject({ resolution: 'different_persons' });
    const trail = await auditRows('duplicates.resolve', a.id);
    expect(trail.map((r) => [r.actor_id, r.details.resolution, r.details.before, r.details.scope])).toEqual([
      [anna.id, 'same_person', null, 'local'],
      [bo.id, 'different_persons', 'same_person', 'local'],
    ]);
    // the region sees its own review in its view of the trail
    const seen = await searchAudit(db(), anna, { caseId: a.id, operation: 'duplicates.resolve' });
    expect(seen.items.map((i) => i.actor_id).sort()).toEqual([anna.id, bo.id].sort());
    const stored = await rows<{ n: number }>(db(), sql`select count(*)::int as n from duplicate_resolutions where case_a = ${[a.id, b.id].sort()[0]}`);
    expect(Number(stored[0].n)).toBe(1);
    // a withdrawn case leaves the review
    await withdrawCase(db(), bo, b.id);
    expect((await listDuplicates(db(), anna, 2024)).items).toEqual([]);
    await expect(resolveDuplicate(db(), anna, id, 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
  });

  it('an organisation reviews its own pairs; a key shared with another organisation or source goes to the statistician', async () => {
    const k = key(4);
    const a1 = await createCase(db(), civA, civCase('dubbel-a', k));
    const a2 = await createCase(db(), civA, civCase('dubbel-a', k, '2025-06-06'));
    const b1 = await createCase(db(), civB, civCase('dubbel-b', k));
    const co = await createCase(db(), anna, coordinatorCase({ identified_on: '2025-07-07', linkage_key: k }));
    expect(a2.possible_duplicate).toBe(true);
    expect(b1.possible_duplicate).toBe(false);
    expect(co.possible_duplicate).toBe(false);
    const ownA = await listDuplicates(db(), civA, 2025);
    expect(ownA.items.map((p) => p.id)).toEqual([pairId(a1.id, a2.id)]);
    expect((await listDuplicates(db(), civB, 2025)).items).toEqual([]);
    expect((await listDuplicates(db(), anna, 2025)).items.flatMap((p) => p.cases.map((c) => c.id))).not.toContain(co.id);
    const national = (await listDuplicates(db(), stina, 2025)).items.filter((p) => p.cases.some((c) => [a1.id, a2.id, b1.id, co.id].includes(c.id)));
    // a1–b1, a2–b1, a1–co, a2–co, b1–co: every pair across organisations or sources, never a1–a2
    expect(national.map((p) => p.id).sort()).toEqual(
      [pairId(a1.id, b1.id), pairId(a2.id, b1.id), pairId(a1.id, co.id), pairId(a2.id, co.id), pairId(b1.id, co.id)].sort(),
    );
    expect(national.every((p) => p.scope === 'national')).toBe(true);
    await expect(resolveDuplicate(db(), civB, pairId(a1.id, b1.id), 'same_person')).rejects.toBeInstanceOf(DuplicateNotFoundError);
    expect((await resolveDuplicate(db(), civA, pairId(a1.id, a2.id), 'same_person')).scope).toBe('local');
  });
});
