// An unexpected database failure in a command exits 1 without printing case contents (a failed
// query's message lists its parameters). Runs main() in-process on a temporary data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../src/access/actor.ts';
import { main, type Io } from '../../src/cli/main.ts';
import { createCase } from '../../src/registry/cases.ts';
import { openDatabase } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { tempDataDir } from '../support/cli.ts';

describe('unexpected errors of the command line', { timeout: 120_000 }, () => {
  const tmp = tempDataDir();
  const secret = '0123456789abcdef'.repeat(4);
  const saved = { dir: process.env.LAGESBILD_DATA_DIR, url: process.env.DATABASE_URL };
  beforeAll(async () => {
    const database = await openDatabase({ dataDir: tmp.dataDir });
    try {
      await createCase(database.db, systemActor(), { ...coordinatorCase({ identified_on: '2025-02-02' }), linkage_key: secret });
      // the database refuses every frozen record, so the freeze fails inside a query with the case as a parameter
      await database.db.execute(sql`create function refuse_release_case() returns trigger language plpgsql as $$ begin raise exception 'refused'; end; $$`);
      await database.db.execute(sql`create trigger refuse_release_case before insert on release_cases for each row execute function refuse_release_case()`);
    } finally {
      await database.close();
    }
    process.env.LAGESBILD_DATA_DIR = tmp.dataDir;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    if (saved.dir === undefined) delete process.env.LAGESBILD_DATA_DIR;
    else process.env.LAGESBILD_DATA_DIR = saved.dir;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    tmp.remove();
  });

  it('exits 1 naming a database error, never the case', async () => {
    let out = '';
    let err = '';
    const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s) };
    const code = await main(['freeze', '--year', '2025', '--kind', 'final'], io);
    expect(code).toBe(1);
    expect(err).toMatch(/^Fel: databasfel \(SQLSTATE [0-9A-Z]{5}\)\.\n$/);
    expect(err).not.toContain(secret);
    expect(out).toBe('');
    // nothing was frozen
    let listed = '';
    expect(await main(['releases'], { out: (s) => void (listed += s), err: () => {} })).toBe(0);
    expect(listed).toBe('Inga utgåvor.\n');
  });
});
