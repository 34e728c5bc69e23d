// The public table builder (GET /api/stats/table) on the demo's published 2025 release: every cell
// is the cell-key method's value of its persons (checked against an exact count and the record
// keys read here), the same cell has the same value in two tables and two requests, no 1 or 2 is
// ever published, too detailed and excluded combinations are refused naming their rule, and
// unpublished releases are not found. Besides: record keys survive a new freeze, and migration
// 0005 gives the cases of releases frozen before it one key each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { seedDemo } from '../../src/cli/stats.ts';
import { cellKey, perturb, perturbationTable } from '../../src/disclosure/index.ts';
import { builderCodeOf } from '../support/builder-codes.ts';
import { isCounted } from '../../src/stats/cube.ts';
import { freezeRelease, releaseRecords } from '../../src/stats/releases.ts';
import { migrationsFolder, openDatabase, rows } from '../../src/store/db.ts';
import { dbTargets } from '../support/db.ts';
import { json, openTestApp, type ApiErrorBody, type TestApp } from '../support/http.ts';

type Cell = { key: Record<string, string>; count: number };
type Answer = { options: { releases: { id: string }[]; exclusions: [string, string][]; dimensions: { key: string }[] }; table: { release: { id: string }; cells: Cell[]; dimensions: { key: string; codes: { code: string }[] }[] } | null };
type Record_ = Awaited<ReturnType<typeof releaseRecords>>[number];

describe.each(dbTargets())('public table builder on %s', (target) => {
  let t: TestApp;
  let persons: (Record_ & { key: number })[];
  const noise = perturbationTable({ maxDeviation: 2, smallest: 3 });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const table = async (dims: string, extra = '') => {
    const res = await get(`/api/stats/table?dimensions=${dims}${extra}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return json<Answer>(res).table!;
  };
  const exactOf = (key: Record<string, string>) => persons.filter((p) => Object.entries(key).every(([d, c]) => builderCodeOf(d, p) === c));
  const sameKey = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([d, c]) => b[d] === c);
  const cellOf = (cells: Cell[], key: Record<string, string>) => {
    const found = cells.filter((c) => sameKey(c.key, key));
    expect(found, JSON.stringify(key)).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    t = await openTestApp(target);
    await seedDemo(t.database.db); // 2025-1, final, published: 481 persons
    const stat = systemActor('test');
    await freezeRelease(t.database.db, stat, { year: 2025, kind: 'preliminary' }); // 2025-2, not published
    await freezeRelease(t.database.db, stat, { year: 2024, kind: 'final' }); // 2024-1, not published
    const keys = new Map(
      (await rows<{ case_id: string; record_key: number }>(t.database.db, sql`select case_id, record_key from release_cases where release_id = '2025-1'`)).map((r) => [r.case_id, Number(r.record_key)]),
    );
    persons = (await releaseRecords(t.database.db, '2025-1')).filter((k) => isCounted(k, 2025)).map((k) => ({ ...k, key: keys.get(k.id)! }));
    expect(persons.length).toBe(481);
  }, 120_000);
  afterAll(() => t?.close());

  it('publishes every cell as the cell-key value of its persons: within 2 of the exact count, never 1 or 2', async () => {
    const tables = ['sex', 'group', 'category', 'nationality', 'referred_by', 'sex,age_group', 'group,category', 'crime_type,category', 'sex,age_group,crime_type', 'group,referred_by'];
    let differs = 0;
    let cells = 0;
    for (const dims of tables) {
      const built = await table(dims);
      const d = dims.split(',');
      // Every interior cell and every margin down to the total, each listed once.
      const expected = built.dimensions.map((x) => x.codes.length);
      const subsets = [...Array(1 << d.length).keys()].map((m) => expected.filter((_, i) => m & (1 << i)).reduce((a, b) => a * b, 1));
      expect(built.cells.length).toBe(subsets.reduce((a, b) => a + b, 0));
      expect(built.cells.at(-1)!.key).toEqual({});
      for (const cell of built.cells) {
        const members = exactOf(cell.key);
        const exact = members.length;
        expect(Math.abs(cell.count - exact), `${dims} ${JSON.stringify(cell.key)}`).toBeLessThanOrEqual(2);
        expect([1, 2]).not.toContain(cell.count);
        expect(cell.count).toBe(perturb(exact, cellKey(members.map((p) => p.key)), noise));
        if (cell.count !== exact) differs++;
        cells++;
      }
    }
    // The noise is there: a builder that served exact counts would fail here.
    expect(differs).toBeGreaterThan(cells / 10);
  });

  it('gives the same cell the same value in two tables and two requests', async () => {
    const a = await table('sex,age_group');
    const b = await table('sex,group');
    const c = await table('crime_type,sex,category');
    for (const sex of ['female', 'male', 'other', 'unknown']) {
      const v = cellOf(a.cells, { sex }).count;
      expect(cellOf(b.cells, { sex }).count).toBe(v);
      expect(cellOf(c.cells, { sex }).count).toBe(v);
    }
    expect(cellOf(a.cells, {}).count).toBe(cellOf(b.cells, {}).count);
    expect(cellOf(a.cells, {}).count).toBe(cellOf(c.cells, {}).count);
    // Girls are exactly the female children (unknown age counts as adult): the same persons, the same value.
    expect(cellOf(b.cells, { sex: 'female', group: 'girl' }).count).toBe(cellOf(a.cells, { sex: 'female', age_group: 'child' }).count);
    const again = await get('/api/stats/table?dimensions=sex,age_group');
    expect(json<Answer>(again).table).toEqual(a);
    // The order the dimensions are named in changes the layout, not a value.
    const swapped = await table('age_group,sex');
    for (const cell of a.cells) expect(cellOf(swapped.cells, cell.key).count).toBe(cell.count);
  });

  it('answers the same whoever asks, and never names a case', async () => {
    const statistician = await t.as({ role: 'statistician' });
    const signedIn = await statistician.inject({ url: '/api/stats/table?dimensions=group,category' });
    const anonymous = await get('/api/stats/table?dimensions=group,category');
    expect(json(signedIn)).toEqual(json(anonymous));
    expect(anonymous.body).not.toMatch(/record_key|case_id/);
    for (const p of persons.slice(0, 50)) expect(anonymous.body).not.toContain(p.id);
  });

  it('offers published releases only and refuses the unpublished ones', async () => {
    const options = json<Answer>(await get('/api/stats/table'));
    expect(options.table).toBeNull();
    expect(options.options.releases.map((r) => r.id)).toEqual(['2025-1']);
    expect(options.options.dimensions.map((d) => d.key)).not.toContain('region');
    expect((await table('sex', '&year=2025')).release.id).toBe('2025-1');
    for (const q of ['&year=2024', '&release=2025-2', '&release=2024-1', '&year=2024&release=2025-1', '&year=2019']) {
      const res = await get(`/api/stats/table?dimensions=sex${q}`);
      expect(res.statusCode, q).toBe(404);
      expect(json<ApiErrorBody>(res).code).toBe('not_found');
    }
  });

  it('refuses too detailed tables and unknown dimensions, naming the rule in the reader’s language', async () => {
    const refused = async (dims: string, rule: string, lang = 'sv') => {
      const res = await get(`/api/stats/table?dimensions=${dims}`, { 'accept-language': lang });
      expect(res.statusCode, dims).toBe(400);
      const body = json<ApiErrorBody>(res);
      expect(body.errors).toEqual([expect.objectContaining({ path: 'dimensions', rule })]);
      return body;
    };
    // Every country and unknown (251) × 4 sexes = 1,004 cells for 481 persons.
    // The refusal names the cells, never how many persons there are (the only number is the cells').
    const sv = (await refused('nationality,sex', 'cells_exceed_persons')).errors[0].message;
    const en = (await refused('nationality,sex', 'cells_exceed_persons', 'en')).errors[0].message;
    expect(sv).toMatch(/fler celler \(1004\) än utgåvan har personer/);
    expect(en).toMatch(/more cells \(1004\) than the release has persons/);
    for (const message of [sv, en]) expect(message.match(/\d+/g)).toEqual(['1004']);
    // 251 × 4 × 3 = 3,012 cells: over the 2,000 of any release.
    expect((await refused('nationality,sex,age_group', 'max_cells', 'en')).errors[0].message).toMatch(/3012 cells; at most 2000/);
    await refused('sex,region', 'code');
    await refused('sex,sex', 'distinct');
    await refused('sex,age_group,crime_type,referred_by', 'max_dimensions');
    const tooLong = await get(`/api/stats/table?dimensions=${'sex,'.repeat(60)}`);
    expect(tooLong.statusCode).toBe(400);
  });

  it('never crosses an excluded pair, in any order or table', async () => {
    const { options } = json<Answer>(await get('/api/stats/table'));
    expect(options.exclusions).toContainEqual(['nationality', 'category']);
    for (const [a, b] of options.exclusions) {
      for (const dims of [`${a},${b}`, `${b},${a}`, `${a},sex,${b}`]) {
        const res = await get(`/api/stats/table?dimensions=${dims}`, { 'accept-language': 'en' });
        expect(res.statusCode, dims).toBe(400);
        expect(json<ApiErrorBody>(res).errors[0]).toMatchObject({ path: 'dimensions', rule: 'excluded_pair', message: expect.stringMatching(/may not be crossed/) });
      }
    }
  });

  it('reads the excluded pairs and the threshold from the policy of the release it counts from', async () => {
    // 2025-2 is published with its own pairs, given with the publication (stored only with it).
    const st = await t.as({ role: 'statistician' });
    const policy = { builder_exclusions: [['sex', 'category']] };
    const published = await st.inject({ method: 'POST', url: '/api/stats/releases/2025-2/publish', payload: { policy } });
    expect(published.statusCode, published.body.slice(0, 300)).toBe(200);
    const view = json<{ version: number; policy: { builder_exclusions: string[][]; threshold: number } }>(await st.inject({ url: '/api/stats/releases/2025-2/policy' }));
    expect(view.policy).toMatchObject({ threshold: 3, builder_exclusions: [['sex', 'category']] });
    const optionsOf = async (q: string) => json<Answer & { options: { smallest: number; max_deviation: number } }>(await get(`/api/stats/table${q}`)).options;
    expect((await optionsOf('?release=2025-2')).exclusions).toEqual([['sex', 'category']]);
    expect((await optionsOf('?release=2025-1')).exclusions).toContainEqual(['nationality', 'category']);
    const status = async (dims: string, release: string) => (await get(`/api/stats/table?dimensions=${dims}&release=${release}`)).statusCode;
    expect(await status('category,sex', '2025-2')).toBe(400);
    expect(await status('category,sex', '2025-1')).toBe(200);
    expect(await status('crime_type,nationality', '2025-2')).toBe(400); // more cells than persons, no longer an excluded pair
    expect(json<ApiErrorBody>(await get('/api/stats/table?dimensions=nationality,crime_type&release=2025-2')).errors[0].rule).toBe('cells_exceed_persons');
    expect(await status('group,referred_by', '2025-2')).toBe(200);
    // A release counted under threshold 5 (its stored policy, as publishing under it stores it; the
    // version counted up as every change does): no count 1 … 4, noise up to 4 so that a 1 can reach 5.
    await t.database.db.execute(
      sql`update releases set policy = jsonb_set(policy, '{threshold}', '5'), policy_version = policy_version + 1 where id = '2025-2'`,
    );
    const five = await optionsOf('?release=2025-2');
    expect([five.smallest, five.max_deviation]).toEqual([5, 4]);
    expect([(await optionsOf('?release=2025-1')).smallest, (await optionsOf('?release=2025-1')).max_deviation]).toEqual([3, 2]);
    const noise5 = perturbationTable({ maxDeviation: 4, smallest: 5 });
    const built = await table('group,referred_by', '&release=2025-2');
    let small = 0;
    for (const cell of built.cells) {
      const members = exactOf(cell.key); // 2025-2 holds the same persons and keys as 2025-1
      expect([1, 2, 3, 4]).not.toContain(cell.count);
      expect(cell.count).toBe(perturb(members.length, cellKey(members.map((p) => p.key)), noise5));
      if (members.length > 0 && members.length < 5) small++;
    }
    expect(small).toBeGreaterThan(0);
  });

  it('keeps a case’s record key in a later release of the year', async () => {
    const keys = await rows<{ release_id: string; case_id: string; record_key: number }>(
      t.database.db,
      sql`select release_id, case_id, record_key from release_cases where release_id in ('2025-1', '2025-2')`,
    );
    const first = new Map(keys.filter((r) => r.release_id === '2025-1').map((r) => [r.case_id, r.record_key]));
    const second = keys.filter((r) => r.release_id === '2025-2');
    expect(second.length).toBe(first.size);
    for (const r of second) expect(r.record_key).toBe(first.get(r.case_id));
    // Uniform keys in [0, 1) on the 2⁻³² grid, not all alike.
    for (const u of first.values()) expect(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 32)).toBe(true);
    expect(new Set(first.values()).size).toBeGreaterThan(first.size * 0.99);
  });
});

describe('migration 0005', () => {
  it('gives each case of releases frozen before it one record key', async () => {
    // The migrations up to 0004 in a folder of their own, then rows as an older instance had them.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-mig-'));
    fs.cpSync(migrationsFolder, dir, { recursive: true });
    const journalFile = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= 4);
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    const database = await openDatabase({ memory: true, migrate: false });
    try {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(database.db as never, { migrationsFolder: dir });
      const db = database.db;
      for (const id of ['2024-1', '2024-2']) {
        await db.execute(sql`insert into releases (id, year, number, kind, case_count, checksum, settings, created_by)
          values (${id}, 2024, ${Number(id.slice(5))}, 'final', 3, 'x', '{}'::jsonb, 'test')`);
        for (const c of ['a', 'b', 'c']) await db.execute(sql`insert into release_cases (release_id, case_id, case_version, data) values (${id}, ${c}, 1, '{}'::jsonb)`);
      }
      await migrate(database.db as never, { migrationsFolder });
      const keys = await rows<{ release_id: string; case_id: string; record_key: number }>(db, sql`select release_id, case_id, record_key from release_cases order by case_id, release_id`);
      expect(keys).toHaveLength(6);
      for (const k of keys) expect(k.record_key >= 0 && k.record_key < 1 && Number.isInteger(k.record_key * 2 ** 32)).toBe(true);
      for (const c of ['a', 'b', 'c']) {
        const [x, y] = keys.filter((k) => k.case_id === c);
        expect(x.record_key).toBe(y.record_key);
      }
      expect(new Set(keys.map((k) => k.record_key)).size).toBe(3);
      await expect(db.execute(sql`insert into release_cases (release_id, case_id, case_version, data) values ('2024-1', 'd', 1, '{}'::jsonb)`)).rejects.toThrow();
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
