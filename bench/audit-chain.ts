// The audit trail's chain state on a long trail: 100,000 rows (by default) written as the
// service hashes them, then the whole chain verified at once, the bounded steps of
// GET /api/audit/chain (the first, to the head, then after new rows) and a few searches of
// GET /api/audit timed.
//   npm run bench:audit -- [--rows 100000] [--url postgres://…]   (PGlite in memory without --url)
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { auditChainState, auditHash, newChainWalk, searchAudit, verifyAuditChain, writeAudit, type AuditRow } from '../src/access/audit.ts';
import { auditLog } from '../src/access/schema.ts';
import { openDatabase } from '../src/store/db.ts';
import type { Actor } from '../src/access/actor.ts';

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, url: { type: 'string' } } });
const total = Number(flags.rows);
const database = await openDatabase(flags.url ? { url: flags.url } : { memory: true });
const admin: Actor = { id: 'admin-bench', role: 'admin', region: null, organisation_id: null };
const operations = ['case.read', 'cases.list', 'case.update', 'cases.search', 'session.login'] as const;

const t0 = performance.now();
let prev = '0'.repeat(64);
const start = new Date('2025-01-01T00:00:00Z').getTime();
for (let from = 1; from <= total; from += 1000) {
  const batch: AuditRow[] = [];
  for (let seq = from; seq < Math.min(from + 1000, total + 1); seq++) {
    const row = {
      seq,
      at: new Date(start + seq * 60_000),
      actor_id: `user-${seq % 40}`,
      actor_role: 'coordinator',
      operation: operations[seq % operations.length],
      case_ids: seq % 3 ? [`CASE${seq % 5000}`] : [],
      regions: seq % 3 ? ['stockholm'] : [],
      from: '10.0.0.1',
      details: seq % 2 ? { version: seq % 7, filters: { year: 2025 } } : null,
      prev_hash: prev,
    };
    const full = { ...row, hash: auditHash(row) };
    prev = full.hash;
    batch.push(full);
  }
  await database.db.insert(auditLog).values(batch);
}
console.log(`wrote ${total} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const time = async <T>(label: string, f: () => Promise<T>) => {
  const t = performance.now();
  const r = await f();
  console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms`, JSON.stringify(r).slice(0, 160));
  return r;
};
await time('verifyAuditChain (whole chain, batches of 2000)', () => verifyAuditChain(database.db));
const walk = newChainWalk();
let state = await time('GET /api/audit/chain, first step (about a second)', () => auditChainState(database.db, walk));
const t1 = performance.now();
let steps = 0;
while (state.state === 'checking') {
  state = await auditChainState(database.db, walk);
  steps++;
}
console.log(`${steps} further steps to the head: ${(performance.now() - t1).toFixed(0)} ms, ${state.state} through ${state.checkedThrough}`);
await time('chain state again, no new rows', () => auditChainState(database.db, walk));
for (let i = 0; i < 100; i++) await writeAudit(database.db, { actor: admin, operation: 'audit.search' });
await time('chain state after 100 new rows', () => auditChainState(database.db, walk));
await time('search, newest page', () => searchAudit(database.db, admin, {}));
await time('search by operation', () => searchAudit(database.db, admin, { operation: 'case.update' }));
await time('search by case', () => searchAudit(database.db, admin, { caseId: 'CASE17' }));
await time('search by actor and period', () => searchAudit(database.db, admin, { actorId: 'user-3', since: new Date('2025-02-01'), until: new Date('2025-02-08') }));
await database.close();
