// The audit trail as the web app's page reads it: GET /api/audit filtered by case (id or
// reference), user (id or username), operation and period, a coordinator's region view, and
// GET /api/audit/chain (the chain's state, walked in bounded steps, and the newest anchor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import { auditChainState, newChainWalk, takeAuditAnchor, writeAudit, type ChainState } from '../../src/access/audit.ts';
import { buildApp } from '../../src/http/app.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { addUser, json, openTestApp, signIn, type Client, type TestApp } from '../support/http.ts';

type Row = { seq: number; at: string; actor_id: string; actor_username: string | null; operation: string; case_ids: string[]; case_refs: (string | null)[]; regions: string[]; details: unknown };
type Page = { items: Row[]; total: number };
type Written = { id: string; reference: string };

async function tamper(database: Database, statement: ReturnType<typeof sql>) {
  // The append-only trigger stops ordinary writes; a superuser can switch triggers off.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe.each(dbTargets())('the audit trail’s page API on %s', (target) => {
  let t: TestApp;
  let admin: Client;
  let stat: Client;
  let sth: Client;
  let syd: Client;
  let a: Written;
  let b: Written;
  let c: Written;
  let oldRowSeq: number;
  const search = async (who: Client, query: string): Promise<Page> => {
    const res = await who.inject({ url: `/api/audit?pageSize=500&${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return json<Page>(res);
  };
  const create = async (who: Client, region: 'stockholm' | 'syd', age: number): Promise<Written> => {
    const res = await who.inject({ method: 'POST', url: '/api/cases', payload: coordinatorCase({ region, age }) });
    expect(res.statusCode, res.body).toBe(201);
    return json<Written>(res);
  };

  beforeAll(async () => {
    t = await openTestApp(target);
    admin = await signIn(t.app, (await addUser(t.database, { role: 'admin' }, 'granskare.admin')).username);
    stat = await signIn(t.app, (await addUser(t.database, { role: 'statistician' }, 'stina.statistiker')).username);
    sth = await signIn(t.app, (await addUser(t.database, { role: 'coordinator', region: 'stockholm' }, 'bo.sthlm')).username);
    syd = await signIn(t.app, (await addUser(t.database, { role: 'coordinator', region: 'syd' }, 'sara.syd')).username);
    a = await create(sth, 'stockholm', 24);
    b = await create(sth, 'stockholm', 31);
    c = await create(syd, 'syd', 45);
    expect((await stat.inject({ url: `/api/cases/${a.id}` })).statusCode).toBe(200);
    expect((await syd.inject({ url: `/api/cases/${c.id}` })).statusCode).toBe(200);
    // The statistician's national duplicate review names A because the syd case C shares its key.
    const statActor: Actor = { id: stat.user.id, role: 'statistician', region: null, organisation_id: null };
    await writeAudit(t.database.db, { actor: statActor, operation: 'duplicates.list', caseIds: [a.id, c.id], details: { scope: 'national', year: 2025 } });
    // A row of 2020, to find by period.
    oldRowSeq = Number((await writeAudit(t.database.db, { actor: statActor, operation: 'cases.export', caseIds: [b.id], details: { rows: 1 } }, new Date('2020-06-15T10:00:00Z'))).seq);
  });
  afterAll(() => t?.close());

  it('finds a case’s rows by its id and by its reference, in any letter case, with references and usernames', async () => {
    const byId = await search(admin, `case=${a.id}`);
    const byRef = await search(admin, `case=${a.reference}`);
    const byLower = await search(admin, `case=${a.reference.toLowerCase()}`);
    expect(byRef.items.map((r) => r.seq)).toEqual(byId.items.map((r) => r.seq));
    expect(byLower.total).toBe(byRef.total);
    expect(byRef.items.every((r) => r.case_ids.includes(a.id))).toBe(true);
    expect(byRef.items.map((r) => r.operation).sort()).toEqual(['case.create', 'case.read', 'duplicates.list']);
    const created = byRef.items.find((r) => r.operation === 'case.create')!;
    expect(created).toMatchObject({ actor_id: sth.user.id, actor_username: 'bo.sthlm', case_refs: [a.reference] });
    const national = byRef.items.find((r) => r.operation === 'duplicates.list')!;
    expect(national.case_refs).toEqual(national.case_ids.map((id) => (id === a.id ? a.reference : c.reference)));
    // B's rows are not A's, and an unknown reference finds nothing.
    expect(byRef.items.some((r) => r.case_ids.includes(b.id))).toBe(false);
    expect((await search(admin, 'case=STO-1999-9999')).total).toBe(0);
  });

  it('finds a user’s rows by username (any letter case) and by id', async () => {
    const byName = await search(admin, 'actor=Sara.Syd');
    const byId = await search(admin, `actor=${syd.user.id}`);
    expect(byName.total).toBeGreaterThanOrEqual(3); // sign-in, create, read
    expect(byName.items.map((r) => r.seq)).toEqual(byId.items.map((r) => r.seq));
    expect(byName.items.every((r) => r.actor_id === syd.user.id && r.actor_username === 'sara.syd')).toBe(true);
    expect((await search(admin, 'actor=nobody-at-all')).total).toBe(0);
  });

  it('finds an operation’s rows, and a period’s', async () => {
    const creates = await search(stat, 'operation=case.create');
    expect(creates.items.map((r) => r.case_ids[0]).sort()).toEqual([a.id, b.id, c.id].sort());
    const june = await search(stat, 'since=2020-06-01&until=2020-07-01');
    expect(june.items.map((r) => r.seq)).toEqual([oldRowSeq]);
    const before = await search(stat, 'until=2020-06-15T10:00:00Z');
    expect(before.total).toBe(0);
    const both = await search(stat, `since=2020-01-01&until=2021-01-01&operation=cases.export&actor=stina.statistiker&case=${b.reference}`);
    expect(both.items.map((r) => r.seq)).toEqual([oldRowSeq]);
    expect((await search(stat, `since=2020-01-01&until=2021-01-01&case=${a.reference}`)).total).toBe(0);
  });

  it('shows a coordinator their region’s rows only, without the national duplicate review', async () => {
    const all = await search(sth, '');
    expect(all.total).toBeGreaterThan(0);
    for (const row of all.items) {
      expect(row.regions).toEqual(['stockholm']);
      expect(row.case_ids.every((id) => id === a.id || id === b.id)).toBe(true);
      expect(row.case_refs.every((ref) => ref === a.reference || ref === b.reference)).toBe(true);
      expect(row.operation).not.toBe('duplicates.list');
      expect(row.details).toBeNull();
    }
    expect(all.items.some((r) => r.actor_id === stat.user.id && r.operation === 'case.read')).toBe(true);
    expect((await search(sth, `case=${c.reference}`)).total).toBe(0);
    expect((await search(sth, `case=${c.id}`)).total).toBe(0);
    expect((await search(sth, `case=${a.reference}`)).items.map((r) => r.operation).sort()).toEqual(['case.create', 'case.read']);
    expect((await search(sth, 'actor=sara.syd')).total).toBe(0);
    expect((await search(sth, 'operation=duplicates.list')).total).toBe(0);
    expect((await syd.inject({ url: `/api/audit?case=${a.reference}` })).json()).toMatchObject({ total: 0 });
  });

  it('gives the chain’s state and the newest anchor to the administrator and the statistician only', async () => {
    for (const who of [sth, syd]) expect((await who.inject({ url: '/api/audit/chain' })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/audit/chain' })).statusCode).toBe(401);
    const before = json<ChainState>(await admin.inject({ url: '/api/audit/chain' }));
    expect(before).toMatchObject({ verified: true, state: 'intact', broken: null, anchor: null });
    expect(before.checkedThrough).toBe(before.head);
    expect(before.rows).toBe(before.head);
    const anchor = await takeAuditAnchor(t.database.db, systemActor('test'));
    const after = json<ChainState>(await stat.inject({ url: '/api/audit/chain' }));
    expect(after).toMatchObject({ verified: true, state: 'intact', head: anchor.row, checkedThrough: anchor.row, anchor: { seq: anchor.row, hash: anchor.hash, at: anchor.at } });
  });

  it('walks in bounded steps, and finds a row changed behind an earlier walk when it walks again', async () => {
    const db = t.database.db;
    const walk = newChainWalk();
    let now = new Date('2026-12-01T08:00:00Z');
    const opts = { maxRows: 3, budgetMs: 3_600_000, rewalkAfterMs: 60_000, now: () => now };
    const first = await auditChainState(db, walk, opts);
    expect(first).toMatchObject({ verified: false, state: 'checking', checkedThrough: 3, rows: 3, broken: null });
    let state = first;
    let steps = 1;
    while (state.state === 'checking') {
      state = await auditChainState(db, walk, opts);
      steps++;
    }
    expect(state).toMatchObject({ verified: true, state: 'intact', checkedThrough: state.head });
    expect(steps).toBe(Math.ceil(state.head / 3));
    // A row the walk passed is changed: the walk goes on from its head until it starts again.
    const [{ actor_id: was }] = await rows<{ actor_id: string }>(db, sql`select actor_id from audit_log where seq = 2`);
    await tamper(t.database, sql`update audit_log set actor_id = 'someone-else' where seq = 2`);
    expect(await auditChainState(db, walk, opts)).toMatchObject({ state: 'intact' });
    now = new Date(now.getTime() + 61_000);
    expect(await auditChainState(db, walk, opts)).toMatchObject({ verified: false, state: 'broken', broken: { seq: 2, reason: 'hash_mismatch' }, checkedThrough: 1 });
    await tamper(t.database, sql`update audit_log set actor_id = ${was} where seq = 2`);
  });

  it('says broken at the row changed directly in the database', async () => {
    const [{ seq }] = await rows<{ seq: number | string }>(t.database.db, sql`select seq from audit_log where operation = 'case.read' order by seq limit 1`);
    await tamper(t.database, sql`update audit_log set details = '{"version": 99}'::jsonb where seq = ${seq}`);
    // A server started now walks from row 1 (the sessions are in the database).
    const app = await buildApp({ oidc: null, database: t.database });
    await app.ready();
    try {
      const res = await app.inject({ url: '/api/audit/chain', headers: admin.headers() });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ verified: false, state: 'broken', broken: { seq: Number(seq), reason: 'hash_mismatch' }, checkedThrough: Number(seq) - 1 });
    } finally {
      await app.close();
    }
  });
});
