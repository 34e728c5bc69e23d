import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Actor } from '../../src/access/actor.ts';
import { auditHash, searchAudit, verifyAuditChain, writeAudit, type AuditRow } from '../../src/access/audit.ts';
import { canonicalJson } from '../../src/store/canonical-json.ts';
import { auditLog } from '../../src/access/schema.ts';
import type { Database } from '../../src/store/db.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const statistician: Actor = { id: 'stat-1', role: 'statistician', region: null, organisation_id: null, from: '10.0.0.9' };
const admin: Actor = { id: 'admin-1', role: 'admin', region: null, organisation_id: null };
const sthCoordinator: Actor = { id: 'rk-1', role: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm', from: '10.0.0.1' };
const sydCoordinator: Actor = { id: 'rk-2', role: 'coordinator', region: 'syd', organisation_id: 'rk-syd' };
const reporter: Actor = { id: 'org-1', role: 'organisation_reporter', region: null, organisation_id: 'plattformen-a' };

async function insertCase(database: Database, id: string, region: string) {
  await database.db.execute(sql`
    insert into cases (id, reference, source, organisation_id, region, year, identified_on, status, version, category, sex, age_group, created_by)
    values (${id}, ${`REF-${id}`}, 'coordinator', ${`rk-${region}`}, ${region}, 2025, '2025-03-01', 'open', 1, 'trafficking', 'female', 'adult', 'test')`);
}

async function tamper(database: Database, statement: ReturnType<typeof sql>) {
  // The append-only trigger stops ordinary writes; a superuser can switch triggers off.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe('canonicalJson', () => {
  it('sorts keys at every level and is independent of insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('auditHash', () => {
  const base: Omit<AuditRow, 'hash'> = {
    seq: 7,
    at: new Date('2026-01-01T10:00:00.123Z'),
    actor_id: 'u1',
    actor_role: 'coordinator',
    operation: 'case.read',
    case_ids: ['C1', 'C2'],
    regions: ['stockholm'],
    from: '10.0.0.1',
    details: { version: 2, nested: { a: 1 } },
    prev_hash: 'a'.repeat(64),
  };
  const changes: Record<string, (r: typeof base) => typeof base> = {
    seq: (r) => ({ ...r, seq: r.seq + 1 }),
    at: (r) => ({ ...r, at: new Date(r.at.getTime() + 1) }),
    actor_id: (r) => ({ ...r, actor_id: 'u2' }),
    actor_role: (r) => ({ ...r, actor_role: 'statistician' }),
    operation: (r) => ({ ...r, operation: 'case.update' }),
    case_ids: (r) => ({ ...r, case_ids: ['C1'] }),
    case_order: (r) => ({ ...r, case_ids: ['C2', 'C1'] }),
    regions: (r) => ({ ...r, regions: [] }),
    from: (r) => ({ ...r, from: null }),
    details: (r) => ({ ...r, details: { version: 2, nested: { a: 2 } } }),
    prev_hash: (r) => ({ ...r, prev_hash: 'b'.repeat(64) }),
  };
  it('changes when any field changes, and not when only key order does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(changes)), (field) => {
        expect(auditHash(changes[field](base))).not.toBe(auditHash(base));
      }),
    );
    expect(auditHash({ ...base, details: { nested: { a: 1 }, version: 2 } })).toBe(auditHash(base));
  });
});

describe.each(dbTargets())('audit trail on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await insertCase(database, 'C1', 'stockholm');
    await insertCase(database, 'C2', 'stockholm');
    await insertCase(database, 'C3', 'syd');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('chains rows and records the regions of the cases', async () => {
    const first = await writeAudit(database.db, { actor: statistician, operation: 'case.read', caseIds: ['C1'] });
    const second = await writeAudit(database.db, { actor: sydCoordinator, operation: 'case.update', caseIds: ['C3', 'C3'], details: { version: 2 } });
    const third = await writeAudit(database.db, { actor: statistician, operation: 'cases.export', caseIds: ['C1', 'C2', 'C3'], from: '10.1.1.1' });
    expect(first.seq).toBe(1);
    expect(first.prev_hash).toBe('0'.repeat(64));
    expect(first.from).toBe('10.0.0.9');
    expect(second.prev_hash).toBe(first.hash);
    expect(second.case_ids).toEqual(['C3']);
    expect(second.regions).toEqual(['syd']);
    expect(third.regions).toEqual(['stockholm', 'syd']);
    expect(third.from).toBe('10.1.1.1');
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 3 });
  });

  it('is written in the transaction of the operation: a rollback leaves no row and no gap', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await writeAudit(tx, { actor: statistician, operation: 'case.read', caseIds: ['C2'] });
        throw new Error('operation failed');
      }),
    ).rejects.toThrow('operation failed');
    const row = await writeAudit(database.db, { actor: statistician, operation: 'case.read', caseIds: ['C2'] });
    expect(row.seq).toBe(4);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 4 });
  });

  it('concurrent transactions never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await writeAudit(tx, { actor: sthCoordinator, operation: 'case.read', caseIds: [i % 2 ? 'C1' : 'C2'] });
        }),
      ),
    );
    const check = await verifyAuditChain(database.db, 5);
    expect(check).toEqual({ ok: true, rows: 16 });
  });

  it('refuses UPDATE and DELETE on the trail', async () => {
    await expect(database.db.execute(sql`update audit_log set actor_id = 'x' where seq = 1`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('lets the statistician and the administrator search everything', async () => {
    const byOperation = await searchAudit(database.db, statistician, { operation: 'cases.export' });
    expect(byOperation.total).toBe(1);
    expect(byOperation.items[0]).toMatchObject({ operation: 'cases.export', case_ids: ['C1', 'C2', 'C3'], from: '10.1.1.1' });
    const byCase = await searchAudit(database.db, admin, { caseId: 'C3' });
    expect(byCase.items.map((i) => i.operation).sort()).toEqual(['case.update', 'cases.export']);
    const byActor = await searchAudit(database.db, admin, { actorId: 'rk-2' });
    expect(byActor.total).toBe(1);
    // The searches themselves are on the trail.
    const searches = await searchAudit(database.db, admin, { operation: 'audit.search' });
    expect(searches.total).toBe(3);
    expect(searches.items.every((i) => i.case_ids.length === 0)).toBe(true);
  });

  it('shows a coordinator who looked at their region’s cases, and nothing else', async () => {
    const result = await searchAudit(database.db, sydCoordinator, {});
    expect(result.items.map((i) => i.operation).sort()).toEqual(['case.update', 'cases.export']);
    for (const item of result.items) {
      expect(item.case_ids).toEqual(['C3']);
      expect(item.from).toBeNull();
      expect(item.details).toBeNull();
    }
    const sth = await searchAudit(database.db, sthCoordinator, { caseId: 'C3' });
    expect(sth.total).toBe(0);
    expect((await searchAudit(database.db, sthCoordinator, { caseId: 'C1' })).total).toBe(8); // read, export, six concurrent reads
    await expect(searchAudit(database.db, sthCoordinator, { region: 'syd' })).rejects.toMatchObject({ name: 'ForbiddenError' });
    await expect(searchAudit(database.db, reporter, {})).rejects.toMatchObject({ name: 'ForbiddenError' });
  });

  it('any single changed field of any row is found at that row (property)', async () => {
    const rows = await database.db.select().from(auditLog).orderBy(auditLog.seq);
    const columns = {
      actor_id: (v: string) => sql`actor_id = ${v}`,
      operation: (v: string) => sql`operation = ${v}`,
      from_address: (v: string) => sql`from_address = ${v}`,
      details: (v: string) => sql`details = ${JSON.stringify({ changed: v })}::jsonb`,
      case_ids: (v: string) => sql`case_ids = array[${v}]::text[]`,
      at: (_v: string) => sql`at = at + interval '1 millisecond'`,
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: rows.length - 1 }), fc.constantFrom(...(Object.keys(columns) as (keyof typeof columns)[])), fc.string({ minLength: 1, maxLength: 8 }), async (index, column, value) => {
        const row = rows[index];
        await tamper(database, sql`update audit_log set ${columns[column](`tampered-${value}`)} where seq = ${row.seq}`);
        const result = await verifyAuditChain(database.db);
        // Put it back exactly as it was.
        await tamper(
          database,
          sql`update audit_log set actor_id = ${row.actor_id}, operation = ${row.operation}, from_address = ${row.from},
              details = ${row.details === null ? null : JSON.stringify(row.details)}::jsonb, case_ids = ${sql.raw(`array[${row.case_ids.map((c) => `'${c}'`).join(',')}]::text[]`)},
              at = ${row.at.toISOString()}::timestamptz where seq = ${row.seq}`,
        );
        expect(result).toMatchObject({ ok: false, firstBadId: Number(row.seq), reason: 'hash_mismatch' });
      }),
      { numRuns: 15 },
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('detects a changed row and names it', async () => {
    const before = await verifyAuditChain(database.db);
    expect(before.ok).toBe(true);
    await tamper(database, sql`update audit_log set actor_id = 'someone-else' where seq = 3`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'hash_mismatch' });
    await tamper(database, sql`update audit_log set actor_id = 'stat-1' where seq = 3`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('detects a row whose hash was recomputed after a change (the next row no longer links)', async () => {
    const [row] = await database.db.select().from(auditLog).where(sql`seq = 2`);
    const { auditHash } = await import('../../src/access/audit.ts');
    const forged = { ...row, seq: Number(row.seq), details: { version: 99 } };
    await tamper(database, sql`update audit_log set details = ${JSON.stringify(forged.details)}::jsonb, hash = ${auditHash(forged)} where seq = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'prev_hash_mismatch' });
  });

  it('detects a removed row and names the first row after it', async () => {
    await tamper(database, sql`delete from audit_log where seq = 1`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, firstBadId: 2, reason: 'sequence_gap' });
  });
});
