import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import {
  caseHistory,
  changeCase,
  closeCase,
  coordinatorCasesOfYear,
  createCase,
  findCase,
  getCase,
  listCases,
  listPossibleDuplicates,
  reopenCase,
  withdrawCase,
  type CaseFilters,
  type CaseView,
} from '../../src/registry/cases.ts';
import { IdempotencyConflictError, NotFoundError, StateConflictError, ValidationError, VersionConflictError } from '../../src/registry/errors.ts';
import { exploitationCategory } from '../../src/standard/derive.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { coordinatorCase, randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const anna: Actor = { id: 'user-anna', role: 'coordinator', organisation_id: 'rk-stockholm', region: 'stockholm' };
const bo: Actor = { id: 'user-bo', role: 'coordinator', organisation_id: 'rk-stockholm', region: 'stockholm' };
// Where a test is not about access, each case is written by an actor who may: a coordinator
// of the case's own region, the organisation's own reporter or officer, or the system actor.
const sara: Actor = { id: 'user-sara', role: 'coordinator', organisation_id: 'rk-syd', region: 'syd' };
const nina: Actor = { id: 'user-nina', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const nils: Actor = { id: 'user-nils', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const mia: Actor = { id: 'user-mia', role: 'coordinator', organisation_id: 'rk-mitt', region: 'mitt' };
const vera: Actor = { id: 'user-vera', role: 'coordinator', organisation_id: 'rk-vast', region: 'vast' };
const mittReporter: Actor = { id: 'user-civ', role: 'organisation_reporter', organisation_id: 'rk-mitt', region: null };
const mittOfficer: Actor = { id: 'user-stp', role: 'programme_officer', organisation_id: 'rk-mitt', region: null };
const system = systemActor('test');

describe.each(dbTargets())('registry cases on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database?.close());
  const db = () => database.db;
  const auditOf = async (id: string) =>
    (await rows<{ operation: string; actor_id: string }>(db(), sql`select operation, actor_id from audit_log where ${id} = any(case_ids) order by seq`)).map((r) => [r.operation, r.actor_id]);

  it('creates a case with a running reference per region and year', async () => {
    const a = await createCase(db(), sara, coordinatorCase({ region: 'syd', identified_on: '2024-02-01' }));
    const b = await createCase(db(), sara, coordinatorCase({ region: 'syd', identified_on: '2024-05-01' }));
    const c = await createCase(db(), sara, coordinatorCase({ region: 'syd', identified_on: '2025-01-01' }));
    expect([a.reference, b.reference, c.reference]).toEqual(['SYD-2024-0001', 'SYD-2024-0002', 'SYD-2025-0001']);
    expect(a).toMatchObject({ version: 1, status: 'open', organisation_id: 'rk-syd', created_by: sara.id, possible_duplicate: false });
    expect(a.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // Timestamps are the database's instants, as UTC ISO strings, whatever the session time zone.
    const [stored] = await rows<{ ms: string | number }>(db(), sql`select extract(epoch from created_at) * 1000 as ms from cases where id = ${a.id}`);
    expect(Date.parse(a.created_at)).toBe(Math.floor(Number(stored.ms)));
    expect(a.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(a.updated_at).toBe(a.created_at);
    expect((await getCase(db(), sara, a.id)).reference).toBe(a.reference);
    expect((await findCase(db(), sara, b.reference))?.id).toBe(b.id);
    expect(await findCase(db(), anna, '01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();
    await expect(getCase(db(), anna, 'NRD-2025-9999')).rejects.toBeInstanceOf(NotFoundError);
    const cso = await createCase(db(), mittReporter, { ...coordinatorCase(), source: 'civil_society', organisation_id: 'rk-mitt', region: null, contact_type: 'direct' });
    expect(cso.reference).toMatch(/^CIV-2025-\d{4}$/);
  });

  it('rejects invalid data and unknown organisations with a ValidationError, writing nothing', async () => {
    const before = await listCases(db(), system, {});
    const bad = await createCase(db(), anna, coordinatorCase({ age: 12, age_group: 'adult' })).catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).violations.map((v) => v.path)).toContain('age_group');
    const org = await createCase(db(), anna, { ...coordinatorCase(), source: 'civil_society', organisation_id: 'no-such-org', contact_type: 'direct' }).catch((e) => e);
    expect(org).toBeInstanceOf(ValidationError);
    expect((org as ValidationError).violations).toEqual([expect.objectContaining({ path: 'organisation_id', rule: 'unknown_organisation' })]);
    expect((await listCases(db(), system, {})).total).toBe(before.total);
  });

  it('keeps every version: a change adds one and never overwrites', async () => {
    const created = await createCase(db(), anna, coordinatorCase({ sex: 'female' }));
    const changed = await changeCase(db(), bo, created.id, 1, coordinatorCase({ sex: 'male', exploitation_forms: ['labour', 'begging'] }));
    expect(changed).toMatchObject({ version: 2, sex: 'male', reference: created.reference, created_by: anna.id });
    const closed = await closeCase(db(), bo, created.id, 2);
    expect(closed).toMatchObject({ version: 3, status: 'closed', sex: 'male' });
    const history = await caseHistory(db(), anna, created.id);
    expect(history.map((h) => [h.version, h.operation, h.status, h.actor_id, h.data.sex])).toEqual([
      [1, 'create', 'open', anna.id, 'female'],
      [2, 'change', 'open', bo.id, 'male'],
      [3, 'close', 'closed', bo.id, 'male'],
    ]);
    // Each write leaves one audit row in its own transaction; reading the history leaves one too.
    expect(await auditOf(created.id)).toEqual([
      ['case.create', anna.id],
      ['case.update', bo.id],
      ['case.close', bo.id],
      ['case.history', anna.id],
    ]);
    // The filter columns follow the latest version.
    const listed = await listCases(db(), anna, { category: 'multiple', sex: 'male' });
    expect(listed.items.map((i) => i.id)).toContain(created.id);
    // The store itself refuses to rewrite history.
    await expect(db().execute(sql`update case_versions set status = 'open' where case_id = ${created.id}`)).rejects.toThrow();
    await expect(db().execute(sql`delete from case_versions where case_id = ${created.id}`)).rejects.toThrow();
    expect(await caseHistory(db(), anna, created.id)).toHaveLength(3);
  });

  it('refuses a change on a stale version and writes nothing', async () => {
    const created = await createCase(db(), anna, coordinatorCase());
    await changeCase(db(), anna, created.id, 1, coordinatorCase({ age: 30 }));
    const stale = await changeCase(db(), bo, created.id, 1, coordinatorCase({ age: 40 })).catch((e) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect(stale).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect(await getCase(db(), anna, created.id)).toMatchObject({ version: 2, age: 30 });
    expect(await caseHistory(db(), anna, created.id)).toHaveLength(2);
    // The refused change left no row; the two reads above left theirs.
    expect((await auditOf(created.id)).map(([op]) => op)).toEqual(['case.create', 'case.update', 'case.read', 'case.history']);
    await expect(changeCase(db(), anna, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 1, coordinatorCase())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets exactly one of two concurrent changes on one version win', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await createCase(db(), anna, coordinatorCase());
      const results = await Promise.allSettled([
        changeCase(db(), anna, created.id, 1, coordinatorCase({ age: 31 })),
        changeCase(db(), bo, created.id, 1, coordinatorCase({ age: 32 })),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(VersionConflictError);
      const history = await caseHistory(db(), anna, created.id);
      expect(history.map((h) => h.version)).toEqual([1, 2]);
      expect((await getCase(db(), anna, created.id)).age).toBe((won[0] as PromiseFulfilledResult<{ age: number }>).value.age);
    }
  });

  it('returns the first result for a repeated idempotency key and refuses a different body', async () => {
    const input = coordinatorCase({ region: 'nord' });
    const first = await createCase(db(), nina, input, { idempotencyKey: 'key-1' });
    const again = await createCase(db(), nina, { ...input }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.reference).toBe(first.reference);
    expect((await listCases(db(), nina, { region: 'nord' })).total).toBe(1);
    await expect(createCase(db(), nina, { ...input, age: 50 }, { idempotencyKey: 'key-1' })).rejects.toBeInstanceOf(IdempotencyConflictError);
    // Keys belong to their actor; another actor's same key is a new request.
    const other = await createCase(db(), nils, input, { idempotencyKey: 'key-1' });
    expect(other.id).not.toBe(first.id);
    // Concurrent repeats create one case.
    const both = await Promise.all([0, 1].map(() => createCase(db(), nina, coordinatorCase({ region: 'nord', age: 60 }), { idempotencyKey: 'key-2' })));
    expect(both[0].id).toBe(both[1].id);
    expect((await listCases(db(), nina, { region: 'nord' })).total).toBe(3);
    // After 24 hours a key is forgotten.
    await db().execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'key-1'`);
    const later = await createCase(db(), nina, input, { idempotencyKey: 'key-1' });
    expect(later.id).not.toBe(first.id);
  });

  it('takes a withdrawn case out of the statistics and keeps its history', async () => {
    const kept = await createCase(db(), mia, coordinatorCase({ identified_on: '2023-04-01', region: 'mitt' }));
    const wrong = await createCase(db(), mia, coordinatorCase({ identified_on: '2023-04-02', region: 'mitt' }));
    const ids = async () => (await coordinatorCasesOfYear(db(), 2023)).map((c) => c.id);
    expect(await ids()).toEqual([kept.id, wrong.id]);
    const withdrawn = await withdrawCase(db(), mia, wrong.id, 1);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', version: 2 });
    expect(await ids()).toEqual([kept.id]);
    expect((await caseHistory(db(), mia, wrong.id)).map((h) => h.operation)).toEqual(['create', 'withdraw']);
    await expect(changeCase(db(), mia, wrong.id, 2, coordinatorCase({ region: 'mitt' }))).rejects.toBeInstanceOf(StateConflictError);
    await expect(closeCase(db(), mia, wrong.id)).rejects.toBeInstanceOf(StateConflictError);
    await expect(withdrawCase(db(), mia, kept.id, 7)).rejects.toBeInstanceOf(VersionConflictError);
    const reopened = await reopenCase(db(), mia, wrong.id);
    expect(reopened).toMatchObject({ status: 'open', version: 3 });
    expect(await ids()).toEqual([kept.id, wrong.id]);
    const stats = await coordinatorCasesOfYear(db(), 2023);
    expect(stats[0]).toMatchObject({ id: kept.id, status: 'open', region: 'mitt', identified_on: '2023-04-01' });
  });

  it('flags two cases with the same linkage key in one year and scope as possible duplicates, never across scopes', async () => {
    const key = 'd0'.repeat(32);
    const a = await createCase(db(), anna, coordinatorCase({ identified_on: '2022-01-10', linkage_key: key }));
    expect(a.possible_duplicate).toBe(false);
    // another region's case with the same key: the registering coordinator learns nothing of it
    const otherRegion = await createCase(db(), vera, coordinatorCase({ identified_on: '2022-06-10', region: 'vast', linkage_key: key }));
    expect(otherRegion.possible_duplicate).toBe(false);
    expect((await getCase(db(), anna, a.id)).possible_duplicate).toBe(false);
    const b = await createCase(db(), bo, coordinatorCase({ identified_on: '2022-06-11', linkage_key: key }));
    const otherYear = await createCase(db(), anna, coordinatorCase({ identified_on: '2021-06-10', linkage_key: key }));
    const otherSource = await createCase(db(), mittOfficer, { ...coordinatorCase({ identified_on: '2022-03-01', linkage_key: key }), source: 'support_programme', organisation_id: 'rk-mitt', region: null, programme: 'nsp', programme_status: 'granted' });
    expect(b.possible_duplicate).toBe(true);
    expect((await getCase(db(), anna, a.id)).possible_duplicate).toBe(true);
    expect((await getCase(db(), vera, otherRegion.id)).possible_duplicate).toBe(false);
    expect((await getCase(db(), anna, otherYear.id)).possible_duplicate).toBe(false);
    expect((await getCase(db(), mittOfficer, otherSource.id)).possible_duplicate).toBe(false);
    const groups = await listPossibleDuplicates(db(), 2022);
    expect(groups).toEqual([{ source: 'coordinator', cases: [expect.objectContaining({ id: a.id }), expect.objectContaining({ id: b.id, region: 'stockholm' })] }]);
    await withdrawCase(db(), bo, b.id);
    expect((await getCase(db(), anna, a.id)).possible_duplicate).toBe(false);
    expect(await listPossibleDuplicates(db(), 2022)).toEqual([]);
  });
});

describe.each(dbTargets())('listing cases on %s', (target) => {
  let database: Database;
  const created: { id: string; year: number; region: string | null; category: string; sex: string; age_group: string; nationality: string | null; status: string }[] = [];
  beforeAll(async () => {
    database = await openTestDatabase(target);
    const rand = seededRandom(7);
    for (let i = 0; i < 60; i++) {
      const input = randomCase(rand, [2023, 2024]);
      let c: CaseView = await createCase(database.db, system, input);
      if (i % 9 === 0) c = await closeCase(database.db, system, c.id);
      if (i % 13 === 0) c = await withdrawCase(database.db, system, c.id);
      created.push({ ...c, year: Number(c.identified_on.slice(0, 4)), category: exploitationCategory(c.exploitation_forms) });
    }
  });
  afterAll(() => database?.close());

  const filterArb = fc.record(
    {
      year: fc.constantFrom(2023, 2024, 2025),
      region: fc.constantFrom('stockholm', 'syd', 'nord', 'vast'),
      category: fc.constantFrom('sexual', 'labour', 'multiple', 'unknown'),
      sex: fc.subarray(['female', 'male', 'other', 'unknown'], { minLength: 1 }),
      age_group: fc.constantFrom('adult', 'child', 'unknown'),
      nationality: fc.constantFrom('RO', 'NG', 'SE'),
      status: fc.constantFrom('open', 'closed', 'withdrawn'),
    },
    { requiredKeys: [] },
  );

  it('returns exactly the matching cases, newest first, across pages', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 7 }), async (filters, pageSize) => {
        const matches = (c: (typeof created)[number]) =>
          Object.entries(filters).every(([k, v]) => (Array.isArray(v) ? v : [v]).includes(c[k as keyof typeof c] as never));
        const expected = created.filter(matches).map((c) => c.id).sort().reverse();
        const seen: string[] = [];
        for (let page = 1; ; page++) {
          const result = await listCases(database.db, system, filters as CaseFilters, { page, pageSize });
          expect(result.total).toBe(expected.length);
          expect(result.pageSize).toBe(pageSize);
          seen.push(...result.items.map((i) => i.id));
          if (result.items.length < pageSize) break;
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('lists every year and status when no filter is given', async () => {
    const all = await listCases(database.db, system, {}, { pageSize: 500 });
    expect(all.total).toBe(created.length);
    expect(new Set(all.items.map((i) => i.status))).toEqual(new Set(['open', 'closed', 'withdrawn']));
    const firstPage = await listCases(database.db, system, {}, { page: 1, pageSize: 10 });
    expect(firstPage.items.map((i) => i.id)).toEqual(all.items.slice(0, 10).map((i) => i.id));
  });

  it('serves filtered listing from indexes', async () => {
    // Sequential scans win on tiny tables; switch them off to see that an index can serve.
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rows<Record<string, string>>(tx, sql`explain (costs off) select id from cases where year = 2024 and region = 'syd' and sex = 'male'`);
    });
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toMatch(/Index Scan|Bitmap Index Scan|Index Only Scan/);
    expect(text).not.toMatch(/Seq Scan/);
  });
});
