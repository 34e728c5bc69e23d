// `lagesbild import FILE --linkage-key-file KEYFILE` (docs/linkage-key.md): the command line computes
// the linkage key of every row from its date of birth and name letters with the year's key, the same
// keys as the test vectors, and drops those columns before the import: nothing of them is stored.
// Runs main() in-process on a temporary data directory (the database opened here).
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/store/db.ts';
import type { LinkageParticulars } from '../../src/standard/linkage.ts';
import { tempDataDir } from '../support/cli.ts';
import vectorsFile from '../fixtures/linkage-vectors.json' with { type: 'json' };

type Vector = { note: string; year: string; input: LinkageParticulars; normalised: string; key: string };
const file = vectorsFile as { year_keys: Record<string, string>; vectors: Vector[] };
const vectors = file.vectors.filter((v) => v.year === '2025');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await main(args, io);
  return { code, out, err };
}

/** Every row of every table of the instance, as text. */
async function everythingStored(dataDir: string): Promise<string> {
  const database = await openDatabase({ dataDir });
  try {
    const rows = async <T>(query: ReturnType<typeof sql.raw>) => ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const tables = await rows<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    let all = '';
    for (const { table_name } of tables) {
      all += (await rows<{ j: string }>(sql.raw(`select row_to_json(t)::text as j from "${table_name}" t`))).map((r) => r.j).join('\n');
    }
    return all;
  } finally {
    await database.close();
  }
}

describe('import --linkage-key-file', { timeout: 180_000 }, () => {
  const tmp = tempDataDir();
  const saved = { dir: process.env.LAGESBILD_DATA_DIR, url: process.env.DATABASE_URL, lang: process.env.LAGESBILD_LANG };
  const keyFile = path.join(tmp.dir, 'nyckel-2025.txt');
  const csvFile = path.join(tmp.dir, 'egna-register.csv');
  const badFile = path.join(tmp.dir, 'fel.csv');
  const header = ['source', 'region', 'identified_on', 'crime_type', 'sex', 'age_group', 'referred_by', 'nationality', 'birth_date', 'given_name', 'family_name'];
  const row = (v: Vector, i: number) => ['coordinator', 'syd', `2025-03-${String(1 + i).padStart(2, '0')}`, 'trafficking', v.input.sex, 'adult', 'police', v.input.nationality ?? '', v.input.birth_date, v.input.given_name, v.input.family_name];

  beforeAll(() => {
    fs.mkdirSync(tmp.dataDir);
    process.env.LAGESBILD_DATA_DIR = tmp.dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.LAGESBILD_LANG;
    // the key file as the national coordinator hands it out: 64 hex characters and a line break
    fs.writeFileSync(keyFile, `${file.year_keys['2025']}\n`);
    fs.writeFileSync(csvFile, stringify([header, ...vectors.map(row)]));
  });
  afterAll(() => {
    for (const [name, value] of [['LAGESBILD_DATA_DIR', saved.dir], ['DATABASE_URL', saved.url], ['LAGESBILD_LANG', saved.lang]] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    tmp.remove();
  });

  it('refuses a row it cannot hash, naming line and column but no value, and saves nothing', async () => {
    const broken = vectors.slice(0, 3).map(row);
    broken[1][8] = '17/04/1990'; // day first
    broken[2][10] = 'ሰላም'; // a script outside the table
    fs.writeFileSync(badFile, stringify([header, ...broken]));
    const r = await run(['import', badFile, '--linkage-key-file', keyFile]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('line 3: birth_date: ');
    expect(r.err).toContain('line 4: family_name: ');
    for (const value of ['17/04/1990', 'ሰላም', ...broken.flatMap((b) => b.slice(8))]) if (value.trim().length > 2) expect(r.err).not.toContain(value.trim());
    expect((await run(['export', '--format', 'csv'])).out.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a key file that is not 64 hex characters, without printing it', async () => {
    const wrong = path.join(tmp.dir, 'fel-nyckel.txt');
    fs.writeFileSync(wrong, file.year_keys['2025'].slice(0, 40));
    const r = await run(['import', csvFile, '--linkage-key-file', wrong]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/64 hexadecimala tecken/);
    expect(r.err).not.toContain(file.year_keys['2025'].slice(0, 40));
  });

  it('stores the keys of the test vectors and nothing of the date of birth or the names', async () => {
    const r = await run(['import', csvFile, '--linkage-key-file', keyFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${vectors.length}`);

    const exported = (await run(['export', '--format', 'csv'])).out.trim().split('\n');
    const columns = exported[0].split(',');
    for (const gone of ['birth_date', 'given_name', 'family_name']) expect(columns).not.toContain(gone);
    const keyAt = columns.indexOf('linkage_key');
    const dayAt = columns.indexOf('identified_on');
    // each row's key is its vector's (rows are told apart by their day of identification)
    const keyOfDay = new Map(exported.slice(1).map((line) => line.split(',')).map((cells) => [cells[dayAt], cells[keyAt]]));
    vectors.forEach((v, i) => expect(keyOfDay.get(row(v, i)[2]), v.note).toBe(v.key));

    const stored = await everythingStored(tmp.dataDir);
    expect(stored).toContain(vectors[0].key);
    for (const v of vectors) {
      const { birth_date, given_name, family_name } = v.input;
      const digits = birth_date.replace(/\D/g, '');
      for (const s of [birth_date, digits, `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`, given_name.trim(), family_name.trim()])
        if (s.length > 2) expect(stored, v.note).not.toContain(s);
      expect(stored).not.toContain(v.normalised);
    }
    for (const column of ['birth_date', 'given_name', 'family_name']) expect(stored).not.toContain(column);
    expect(stored).not.toContain(file.year_keys['2025']);
  });
});
