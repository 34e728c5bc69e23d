import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../src/access/actor.ts';
import { createCase, listCases, withdrawCase } from '../../src/registry/cases.ts';
import { DemoInstanceError, exportCsv, importCases, importCsv } from '../../src/registry/transfer.ts';
import { noSourceFields, type CaseData } from '../../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { coordinatorCase, randomCase, seededRandom } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

// The files here hold cases of every region and source: only the system actor may import them.
// Single-region work is done by that region's coordinator.
const actor: Actor = systemActor('test-import');
const nord: Actor = { id: 'user-nord', role: 'coordinator', organisation_id: 'rk-nord', region: 'nord' };
const ost: Actor = { id: 'user-ost', role: 'coordinator', organisation_id: 'rk-ost', region: 'ost' };

function validData(n: number, seed: number): CaseData[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => valid(randomCase(rand)));
}

function valid(input: unknown): CaseData {
  const r = validateCase(input);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.errors)}`);
  return r.data;
}

const dataOf = (csv: string) => parseCasesCsv(csv).rows.map((r) => r.data);
const counters = async (database: Database) => rows<{ prefix: string; year: number; last: number }>(database.db, sql`select prefix, year, last from reference_counters order by prefix, year`);

describe.each(dbTargets())('CSV import and export on %s', (target) => {
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    [a, b] = await Promise.all([openTestDatabase(target), openTestDatabase(target)]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('writes nothing when any row is invalid, and reports every bad row', async () => {
    const good = validData(3, 1);
    const csv = casesToCsv([good[0], { ...good[1], age: 12, age_group: 'adult' }, good[2], { ...good[0], ...noSourceFields, organisation_id: 'no-such-org', source: 'civil_society', region: null, contact_type: 'direct' }]);
    const result = await importCsv(a.db, actor, csv, { lang: 'en' });
    expect(result.ok).toBe(false);
    expect(result.imported).toBe(0);
    expect(result.problems, result.problems.join('\n')).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^line 3: age_group: \S/);
    expect(result.problems[1]).toMatch(/^line 5: organisation_id: The organisation is not in the registry\.$/);
    expect((await listCases(a.db, actor, {})).total).toBe(0);
    expect(await counters(a)).toEqual([]);
    expect(await rows(a.db, sql`select 1 from audit_log where operation = 'cases.import'`)).toEqual([]);
    const sv = await importCsv(a.db, actor, 'source,identified_on,sex\r\ncoordinator,2025-01-01,female\r\n', { lang: 'sv' });
    expect(sv.ok).toBe(false);
    expect(sv.problems[0]).toMatch(/^line 1: age_group: /);
  });

  it('rolls the whole import back when the database refuses a row', async () => {
    const first = await importCsv(a.db, nord, casesToCsv([valid(coordinatorCase({ region: 'nord' }))]), {});
    expect(first).toMatchObject({ ok: true, imported: 1 });
    // A counter set back makes the second import's references collide with the first's.
    await a.db.execute(sql`update reference_counters set last = 0`);
    const rowsBefore = (await listCases(a.db, nord, {})).total;
    const again = casesToCsv(Array.from({ length: 50 }, (_, i) => valid(coordinatorCase({ region: 'nord', age: 20 + i }))));
    await expect(importCsv(a.db, nord, again, {})).rejects.toThrow();
    expect((await listCases(a.db, nord, {})).total).toBe(rowsBefore);
    expect(await counters(a)).toEqual([{ prefix: 'NRD', year: 2025, last: 0 }]);
    await a.db.execute(sql`update reference_counters set last = 1`);
  });

  it('gives back exactly the same 800 rows after export and import', async () => {
    const original = validData(800, 3);
    const file = casesToCsv(original);
    const result = await importCsv(a.db, actor, file, { lang: 'sv' });
    expect(result).toMatchObject({ ok: true, imported: 800, problems: [] });
    const before = (await listCases(a.db, actor, {})).total;
    expect(before).toBe(801);
    const audit = await rows<{ n: number; details: unknown }>(a.db, sql`select cardinality(case_ids) as n, details from audit_log where operation = 'cases.import' order by seq desc limit 1`);
    // The file's SHA-256 is in the trail: what a refused second import of the same file is matched by.
    const sha256 = createHash('sha256').update(file).digest('hex');
    expect(audit).toEqual([{ n: 800, details: { imported: 800, sha256, duplicate_confirmed: false } }]);

    const exported = await exportCsv(a.db, actor);
    expect(dataOf(exported).slice(1)).toEqual(original);
    const header = exported.slice(1, exported.indexOf('\r\n')).split(',');
    expect(header).toEqual(expect.arrayContaining(['id', 'reference', 'version', 'status', 'created_at']));

    const into = await importCsv(b.db, actor, exported, { lang: 'sv' });
    expect(into).toMatchObject({ ok: true, imported: 801, problems: [] });
    expect(dataOf(await exportCsv(b.db, actor))).toEqual(dataOf(exported));

    // References continue per prefix and year, numbered in file order.
    const refs = await rows<{ reference: string }>(b.db, sql`select reference from cases where reference like 'STH-2024-%' order by id`);
    expect(refs.map((r) => r.reference)).toEqual(refs.map((_, i) => `STH-2024-${String(i + 1).padStart(4, '0')}`));
  });

  it('exports one year, and withdrawn cases only when asked', async () => {
    const c = await createCase(b.db, ost, coordinatorCase({ identified_on: '2021-05-05', region: 'ost' }));
    const d = await createCase(b.db, ost, coordinatorCase({ identified_on: '2021-06-05', region: 'ost' }));
    await withdrawCase(b.db, ost, d.id);
    const year = parseCasesCsv(await exportCsv(b.db, ost, { year: 2021 })).rows;
    expect(year).toHaveLength(1);
    expect(year[0].data).toMatchObject({ identified_on: '2021-05-05' });
    const all = await exportCsv(b.db, ost, { year: 2021, includeWithdrawn: true });
    expect(all).toContain(c.reference);
    expect(all).toContain(d.reference);
    expect(all.split('\r\n').find((l) => l.includes(d.reference))).toContain('withdrawn');
  });

  it('the import service itself refuses on the demo instance, in both languages, before reading the file', async () => {
    const demo = await openTestDatabase(target);
    try {
      const csv = casesToCsv(validData(2, 5));
      await setInstanceKind(demo.db, 'demo');
      const refused = await importCsv(demo.db, actor, csv, { lang: 'en' }).catch((e) => e);
      expect(refused).toBeInstanceOf(DemoInstanceError);
      expect(refused).toMatchObject({ code: 'demo_instance', kind: 'conflict' });
      expect(refused.text.sv).toMatch(/^Det här är demoinstansen med syntetiska uppgifter/);
      expect(refused.text.en).toMatch(/^This is the demo instance with synthetic data/);
      // a workbook, and a streamed file that must not be read at all
      await expect(importCases(demo.db, actor, { xlsx: Buffer.from('PK') })).rejects.toBeInstanceOf(DemoInstanceError);
      const untouched = (async function* () {
        throw new Error('the file was read');
      })();
      await expect(importCases(demo.db, actor, { csv: untouched })).rejects.toBeInstanceOf(DemoInstanceError);
      expect(await rows(demo.db, sql`select 1 from cases`)).toEqual([]);
      expect(await rows(demo.db, sql`select 1 from audit_log where operation = 'cases.import'`)).toEqual([]);
      // the same file on a real instance imports: the refusal is the instance's, not the file's
      await setInstanceKind(demo.db, 'real');
      expect(await importCsv(demo.db, actor, csv)).toMatchObject({ ok: true, imported: 2 });
    } finally {
      await demo.close();
    }
  });
});
