// Backup and restore on both databases: every table (listed from the catalogue, so a table
// added later is covered without changing this test) comes back row for row and value for
// value, PGlite → PostgreSQL and back; the archive is one consistent snapshot; a non-empty or
// demo target and a truncated, damaged or foreign archive are refused with nothing written.
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { verifyAuditChain, writeAudit } from '../../src/access/audit.ts';
import { createUser } from '../../src/access/users.ts';
import { createSession } from '../../src/access/sessions.ts';
import { closeCase, createCase } from '../../src/registry/cases.ts';
import { importCsv } from '../../src/registry/transfer.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { listDuplicates, resolveDuplicate } from '../../src/registry/duplicates.ts';
import { BACKUP_FORMAT, BackupFormatError, backupStream, excludedTables, inspectBackup, restoreBackup, RestoreRefusedError } from '../../src/operations/backup.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { openTestDatabase, type DbTarget } from '../support/db.ts';

const hasPostgres = Boolean(process.env.TEST_DATABASE_URL);
const opened: Database[] = [];
const fresh = async (target: DbTarget) => {
  const db = await openTestDatabase(target);
  opened.push(db);
  return db;
};
afterAll(async () => {
  for (const db of opened) await db.close();
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const backup = (db: Database) => collect(backupStream(db));
const restore = (db: Database, archive: Buffer) => restoreBackup(db, Readable.from([archive]));

/**
 * A table that is in no migration, made in source and target alike: proves that every table of
 * the catalogue is taken, placed before the table its foreign key names (its name sorts first),
 * with values of every awkward type.
 */
async function addProbeTable(db: Database) {
  await db.db.execute(sql`create table a_probe (
    id bigint primary key, case_id text references cases(id), big bigint, num numeric, dbl double precision,
    at timestamptz, local_at timestamp(6), day date, span interval, tags text[], grid int[][], doc jsonb, raw json,
    bin bytea, flag boolean, uid uuid)`);
}

/**
 * An instance with something in every table: users, cases with versions and an idempotency key,
 * a published release, the audit trail, a stored file; with `probe`, a row of every awkward type
 * in the probe table (which the target must have as well).
 */
async function fill(db: Database, { probe = false } = {}) {
  const system = systemActor('test');
  await setInstanceKind(db.db, 'real');
  const user = await createUser(db.db, system, { username: 'karin', role: 'coordinator', region: 'vast', password: 'solig morgon vid saltsjön' } as never);
  await createUser(db.db, system, { username: 'stina', role: 'statistician', password: 'solig morgon vid saltsjön' } as never);
  const a = await createCase(db.db, system, coordinatorCase({ region: 'vast' }));
  await createCase(db.db, system, coordinatorCase({ region: 'syd', identified_on: '2025-02-03' }), { idempotencyKey: 'form-submit-1' });
  await closeCase(db.db, system, a.id);
  // an imported file: its SHA-256 is kept so the same file is not imported twice after a restore either
  const imported = await importCsv(db.db, system, casesToCsv([coordinatorCase({ region: 'bergslagen', identified_on: '2025-03-04' }) as never]));
  expect(imported.ok, imported.problems.join('; ')).toBe(true);
  // a possible duplicate across regions, resolved by the statistician
  const statistician = await createUser(db.db, system, { username: 'sara', role: 'statistician', password: 'solig morgon vid saltsjön' } as never);
  const reviewer = { id: statistician.id, role: 'statistician', organisation_id: null, region: null } as const;
  const key = 'a1'.repeat(32);
  const d1 = await createCase(db.db, system, coordinatorCase({ region: 'vast', identified_on: '2025-04-01', linkage_key: key }));
  const d2 = await createCase(db.db, system, coordinatorCase({ region: 'syd', identified_on: '2025-04-02', linkage_key: key }));
  const pair = (await listDuplicates(db.db, reviewer, 2025)).items.find((p) => p.cases.some((c) => c.id === d1.id) && p.cases.some((c) => c.id === d2.id));
  await resolveDuplicate(db.db, reviewer, pair!.id, 'same_person');
  const release = await freezeRelease(db.db, system, { year: 2025, kind: 'final' });
  await publishRelease(db.db, system, release.id);
  await writeAudit(db.db, { actor: { id: 'system:test', role: 'system' }, operation: 'cases.export', details: { n: 12345678901234567890, note: 'åäö "citat" \\ snedstreck' } }, new Date('2025-06-01T12:34:56.789Z'));
  // exact values: a timestamp's microseconds, a JSON null apart from NULL, all 256 byte values
  await db.db.execute(sql`insert into published_series (year, measure, value, source_document, source_table, imported_at)
    values (2016, 'probe', 7, 'rapport, "2016"', 'tabell\t1', '2024-02-29 23:59:59.999999+01')`);
  await db.db.execute(sql`insert into instance_settings (key, value) values ('probe_null', 'null'::jsonb), ('probe_num', '{"x": 1.000000000000000000001, "big": 123456789012345678901234567890}'::jsonb)`);
  await db.db.execute(sql`insert into release_outputs (release_id, variant, output, lang, content_type, body, etag)
    values (${release.id}, 'probe', 'probe.bin', 'sv', 'application/octet-stream', (select string_agg(set_byte('\\x00'::bytea, 0, i), ''::bytea order by i) from generate_series(0, 255) i), 'etag-probe')`);
  if (probe) await db.db.execute(sql`insert into a_probe values
    (9007199254740993, ${a.id}, -9223372036854775808, 0.1000000000000000000000000001, 0.1, '2025-01-01 00:00:00.000001+00', '1999-12-31 23:59:59.999999',
     '2025-02-28', '1 year 2 mons 3 days 04:05:06.789', array['a,b', '"q"', null, 'NULL', 'åäö'], '{{1,2},{3,4}}', '{"a": [1, null, "x"]}', '{"b":  2, "b": 3}',
     '\\xdeadbeef00', true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    (2, null, null, 'NaN', '-Infinity', 'infinity', null, null, null, '{}', null, 'null'::jsonb, 'null'::json, ''::bytea, false, null)`);
  // left out of the archive: a session, its draft, sign-in throttling
  const session = await createSession(db.db, { id: user.id }, new Date());
  void session;
  const [{ id_hash }] = await rows<{ id_hash: string }>(db.db, sql`select id_hash from sessions limit 1`);
  await db.db.execute(sql`insert into case_drafts (session_id_hash, user_id, data, updated_at) values (${id_hash}, ${user.id}, '{"sex":"female"}', now())`);
  await db.db.execute(sql`insert into login_throttle (key, failures, window_start) values ('user:karin', 2, now())`);
}

/**
 * `after` holds every row of `before`, value for value; its audit trail is `before`'s followed
 * by exactly the records of the backups and restores made since (`ops`, in order).
 */
function expectRestored(before: Record<string, string[]>, after: Record<string, string[]>, ops: string[]) {
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const table of Object.keys(before)) {
    expect(before[table].length, table).toBeGreaterThan(0);
    if (table === 'audit_log') continue;
    expect(after[table], table).toEqual(before[table]);
  }
  const trail = after.audit_log;
  expect(trail.slice(0, before.audit_log.length)).toEqual(before.audit_log);
  const added = trail.slice(before.audit_log.length);
  expect(added.length).toBe(ops.length);
  ops.forEach((op, i) => expect(added[i]).toContain(`,${op},`));
}

/** Every table of the catalogue but the three left out, each as its rows' exact text, sorted (the audit trail by row number). */
async function snapshot(db: Database): Promise<Record<string, string[]>> {
  return db.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true), set_config('extra_float_digits', '3', true)`);
    const tables = await rows<{ name: string }>(tx, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      if (excludedTables.includes(name)) continue;
      const order = name === 'audit_log' ? sql`t.seq` : sql`1`;
      out[name] = (await rows<{ r: string }>(tx, sql`select t::text as r from ${sql.identifier(name)} t order by ${order}`)).map((r) => r.r);
    }
    return out;
  });
}

async function count(db: Database, table: string): Promise<number> {
  const [{ n }] = await rows<{ n: number }>(db.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return Number(n);
}

const pairs: [DbTarget, DbTarget][] = hasPostgres
  ? [
      ['pglite', 'pglite'],
      ['pglite', 'postgres'],
      ['postgres', 'pglite'],
      ['postgres', 'postgres'],
    ]
  : [['pglite', 'pglite']];

describe.each(pairs)('backup on %s, restore into %s', (from, to) => {
  it('restores every table row for row, value for value; the audit trail verifies; sessions, drafts and throttling stay behind', async () => {
    const source = await fresh(from);
    await addProbeTable(source);
    await fill(source, { probe: true });
    const archive = await backup(source);

    const header = await inspectBackup(Readable.from([archive]));
    expect(header.format).toBe(BACKUP_FORMAT);
    expect(header.source).toBe(from);
    expect(header.migrations.length).toBeGreaterThanOrEqual(5);
    const names = header.tables.map((t) => t.name);
    for (const t of excludedTables) expect(names).not.toContain(t);
    // parents first: the probe after cases, versions after cases, outputs after releases
    expect(names.indexOf('a_probe')).toBeGreaterThan(names.indexOf('cases'));
    expect(names.indexOf('case_versions')).toBeGreaterThan(names.indexOf('cases'));
    expect(names.indexOf('release_outputs')).toBeGreaterThan(names.indexOf('releases'));

    const target = await fresh(to);
    await addProbeTable(target);
    const summary = await restore(target, archive);
    expect(summary.rows).toBe(header.tables.reduce((a, t) => a + t.rows, 0));

    // The source as the archive saw it: the backup's own record is its last audit row.
    const before = await snapshot(source);
    expect(before.audit_log.at(-1)).toContain(',instance.backup,');
    const after = await snapshot(target);
    expectRestored(before, after, ['instance.restore']);
    for (const t of excludedTables) expect(await count(target, t), t).toBe(0);
    const chain = await verifyAuditChain(target.db);
    expect(chain.ok).toBe(true);
    expect(chain.rows).toBe(before.audit_log.length + 1);
    // the bytes and the JSON null came back as themselves
    const [probe] = await rows<{ n: number; jnull: boolean }>(
      target.db,
      sql`select length(body) as n, (select value = 'null'::jsonb from instance_settings where key = 'probe_null') as jnull from release_outputs where variant = 'probe'`,
    );
    expect(Number(probe.n)).toBe(256);
    expect(probe.jnull).toBe(true);

    // and back again: the archive of the restored instance holds the same rows
    const again = await fresh(from);
    await addProbeTable(again);
    await restore(again, await backup(target));
    expectRestored(before, await snapshot(again), ['instance.restore', 'instance.backup', 'instance.restore']);
    expect((await verifyAuditChain(again.db)).ok).toBe(true);
  }, 240_000);
});

describe.each(hasPostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const))('backup and restore on %s', (target) => {
  it('is one snapshot: a case registered while the archive is being read is not in it', async () => {
    const db = await fresh(target);
    await fill(db);
    const stream = backupStream(db);
    const chunks: Buffer[] = [];
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    chunks.push(first.value as Buffer);
    // On PGlite the write waits for the backup's transaction; on PostgreSQL it commits at once.
    const writing = createCase(db.db, systemActor('test'), coordinatorCase({ region: 'nord', identified_on: '2025-03-03' }));
    if (target === 'postgres') await writing;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      chunks.push(next.value as Buffer);
    }
    const written = await writing;
    const archive = Buffer.concat(chunks);
    const header = await inspectBackup(Readable.from([archive]));
    const casesInArchive = header.tables.find((t) => t.name === 'cases')!.rows;
    expect(await count(db, 'cases')).toBe(casesInArchive + 1);
    expect(zlib.gunzipSync(archive).toString('utf8')).not.toContain(written.id);
  }, 120_000);

  it('refuses a non-empty instance and the demo with a clear reason, changing nothing', async () => {
    const source = await fresh(target);
    await fill(source);
    const archive = await backup(source);

    const busy = await fresh(target);
    await createCase(busy.db, systemActor('test'), coordinatorCase({ region: 'ost' }));
    const busyBefore = await snapshot(busy);
    const refusal = await restore(busy, archive).catch((e) => e);
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect(refusal.reason).toBe('not_empty');
    expect(refusal.text.sv).toContain('inte tom');
    expect(await snapshot(busy)).toEqual(busyBefore);

    const demo = await fresh(target);
    await setInstanceKind(demo.db, 'demo');
    const demoBefore = await snapshot(demo);
    const demoRefusal = await restore(demo, archive).catch((e) => e);
    expect(demoRefusal).toBeInstanceOf(RestoreRefusedError);
    expect(demoRefusal.reason).toBe('demo');
    expect(await snapshot(demo)).toEqual(demoBefore);
  }, 120_000);

  it('refuses a truncated, damaged, altered, foreign or empty archive with nothing written', async () => {
    const source = await fresh(target);
    await fill(source);
    const archive = await backup(source);
    const text = zlib.gunzipSync(archive).toString('utf8');
    const lines = text.split('\n');
    const regzip = (s: string) => zlib.gzipSync(Buffer.from(s, 'utf8'));
    // an edited row with a recomputed gzip: only the archive's own checksum tells
    const rowLine = lines.findIndex((l) => l.startsWith('[') && l.includes('"karin"'));
    expect(rowLine).toBeGreaterThan(0);
    const edited = [...lines];
    edited[rowLine] = edited[rowLine].replace('"karin"', '"karim"');
    const flipped = Buffer.from(archive);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    const header = JSON.parse(lines[0]);
    const bad: Record<string, Buffer> = {
      'cut in half': archive.subarray(0, Math.floor(archive.length / 2)),
      'cut before the last line': regzip(lines.slice(0, -2).join('\n') + '\n'),
      'a flipped byte': flipped,
      'an edited row': regzip(edited.join('\n')),
      'another format version': regzip([JSON.stringify({ ...header, format: 'lagesbild-backup/2' }), ...lines.slice(1)].join('\n')),
      'another schema': regzip([JSON.stringify({ ...header, migrations: header.migrations.slice(0, 2) }), ...lines.slice(1)].join('\n')),
      'not gzip': Buffer.from(text.slice(0, 2000)),
      'empty': Buffer.alloc(0),
      'random bytes': crypto.randomBytes(4096),
    };
    // One empty target for all of them: each refusal must leave it as empty as it was.
    const db = await fresh(target);
    const before = await snapshot(db);
    for (const [what, file] of Object.entries(bad)) {
      const error = await restore(db, file).catch((e) => e);
      const expected = what === 'another schema' ? RestoreRefusedError : BackupFormatError;
      expect(error, `${what}: ${error}`).toBeInstanceOf(expected);
      expect(error.text.sv.length, what).toBeGreaterThan(10);
      expect(await snapshot(db), what).toEqual(before);
      if (what === 'another format version') expect(error.text.en).toContain('lagesbild-backup/2');
    }
    // and the same target takes the good archive afterwards
    await restore(db, archive);
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  }, 240_000);
});
