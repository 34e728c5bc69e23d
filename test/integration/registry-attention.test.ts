// The start page's year in one read (GET /api/cases/overview): counts by status, the latest
// changed, and the cases that need attention, each with its reasons — inside the reader's scope
// only, with one audit row naming the cases it listed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YearOverview } from '../../src/contract/index.ts';
import type { CaseInputIn } from '../../src/standard/case.ts';
import { rows } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type Client, type TestApp } from '../support/http.ts';

const key = (n: number) => n.toString(16).padStart(64, 'b');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
// Everything in one statistics year, whatever today is: the year of 200 days ago.
const year = Number(daysAgo(200).slice(0, 4));
const inYear = (day: string) => (Number(day.slice(0, 4)) === year ? day : `${year}-12-31`);

describe.each(dbTargets())('the start page overview on %s', (target) => {
  let t: TestApp;
  let stockholm: Client;
  const ids: Record<string, string> = {};
  const create = async (c: Client, name: string, body: CaseInputIn) => {
    const res = await c.inject({ method: 'POST', url: '/api/cases', payload: body });
    expect(res.statusCode, `${name}: ${res.body}`).toBe(201);
    ids[name] = json<{ id: string }>(res).id;
  };
  const overview = async (c: Client) => {
    const res = await c.inject({ url: `/api/cases/overview?year=${year}` });
    expect(res.statusCode, res.body).toBe(200);
    return json<YearOverview>(res);
  };
  const complete = (more: Partial<CaseInputIn>): CaseInputIn => ({
    ...coordinatorCase({ region: 'stockholm' }),
    exploitation_forms: ['labour'],
    crime_type: 'trafficking',
    sex: 'female',
    age: 30,
    age_group: 'adult',
    nationality: 'RO',
    referred_by: 'police',
    ...more,
  });

  beforeAll(async () => {
    t = await openTestApp(target);
    stockholm = await t.as({ role: 'coordinator', region: 'stockholm' });
    const recent = inYear(daysAgo(10));
    await create(stockholm, 'fine', complete({ identified_on: recent }));
    await create(stockholm, 'old', complete({ identified_on: inYear(daysAgo(200)) }));
    await create(stockholm, 'unknownSex', complete({ identified_on: recent, sex: 'unknown', referred_by: 'unknown' }));
    await create(stockholm, 'twinA', complete({ identified_on: recent, linkage_key: key(1) }));
    await create(stockholm, 'twinB', complete({ identified_on: recent, linkage_key: key(1) }));
    // Another region's case with everything missing, and its twin of a Stockholm key: never Stockholm's business.
    const west = await t.as({ role: 'coordinator', region: 'vast' });
    await create(west, 'west', { ...coordinatorCase({ region: 'vast' }), identified_on: inYear(daysAgo(300)), exploitation_forms: [], industries: [], age: null, age_group: 'unknown', nationality: null, linkage_key: key(1) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the scope by status and lists the cases needing attention with their reasons', async () => {
    const o = await overview(stockholm);
    expect(o.counts).toEqual({ all: 5, open: 5, closed: 0, withdrawn: 0 });
    expect(o.latest.map((c) => c.id).sort()).toEqual([ids.fine, ids.old, ids.unknownSex, ids.twinA, ids.twinB].sort());
    const byId = new Map(o.attention.items.map((i) => [i.id, i]));
    expect([...byId.keys()].sort()).toEqual([ids.old, ids.unknownSex, ids.twinA, ids.twinB].sort());
    expect(byId.get(ids.old)!.reasons).toEqual(['open_long']);
    expect(byId.get(ids.unknownSex)).toMatchObject({ reasons: ['missing_answers'], missing: ['sex', 'referred_by'] });
    expect(byId.get(ids.twinA)!.reasons).toEqual(['possible_duplicate']);
    expect(o.attention).toMatchObject({ open_long: 1, missing_answers: 1, possible_duplicates: 2, cases: 4 });
    // Oldest first.
    expect(o.attention.items[0].id).toBe(ids.old);
  });

  it('forgets a pair once reviewed, and a case once closed is no longer open for long', async () => {
    const list = json<{ items: { id: string; cases: { id: string }[] }[] }>(await stockholm.inject({ url: `/api/duplicates?year=${year}` }));
    const pair = list.items.find((p) => p.cases.some((c) => c.id === ids.twinA) && p.cases.some((c) => c.id === ids.twinB))!;
    const resolved = await stockholm.inject({ method: 'POST', url: `/api/duplicates/${pair.id}/resolution`, payload: { resolution: 'different_persons' } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const view = json<{ version: number }>(await stockholm.inject({ url: `/api/cases/${ids.old}` }));
    const closed = await stockholm.inject({ method: 'POST', url: `/api/cases/${ids.old}/close`, payload: { version: view.version } });
    expect(closed.statusCode, closed.body).toBe(200);
    const o = await overview(stockholm);
    expect(o.counts).toMatchObject({ open: 4, closed: 1 });
    expect(o.attention.items.map((i) => i.id)).toEqual([ids.unknownSex]);
    expect(o.attention).toMatchObject({ open_long: 0, possible_duplicates: 0 });
  });

  it('writes one audit row naming the cases it showed, and gives the statistician every region', async () => {
    const before = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where operation = 'cases.list'`);
    const o = await overview(stockholm);
    const [after] = await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where operation = 'cases.list'`);
    expect(after.n).toBe(before[0].n + 1);
    const [row] = await rows<{ case_ids: string[] }>(t.database.db, sql`select case_ids from audit_log where operation = 'cases.list' order by seq desc limit 1`);
    expect([...row.case_ids].sort()).toEqual([...new Set([...o.latest, ...o.attention.items].map((c) => c.id))].sort());
    const national = await overview(await t.as({ role: 'statistician' }));
    expect(national.counts.all).toBe(6);
    expect(national.attention.items.find((i) => i.id === ids.west)).toMatchObject({ reasons: ['open_long', 'missing_answers'], missing: ['exploitation_forms', 'age_group', 'nationality'] });
  });
});
