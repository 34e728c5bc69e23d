import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { copyInto, copyText } from '../../src/store/copy.ts';
import { rows, type Database } from '../../src/store/db.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

describe.each(dbTargets())('COPY on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await database.db.execute(sql`create table copy_probe (n int, t text, j jsonb)`);
  });
  afterAll(() => database?.close());

  it('loads any text, nulls and JSON unchanged', async () => {
    const text = fc.oneof(fc.string({ unit: fc.constantFrom('a', '\\', '\t', '\n', '\r', 'N', 'å', '"', ',') }), fc.string(), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, fc.dictionary(fc.string(), fc.string())), { maxLength: 20 }), async (values) => {
        const back = await database.db.transaction(async (tx) => {
          await tx.execute(sql`delete from copy_probe`);
          await copyInto(tx, 'copy_probe', ['n', 't', 'j'], copyText(values.map(([t, j], n) => [n, t, JSON.stringify(j)])));
          return rows<{ t: string | null; j: unknown }>(tx, sql`select t, j from copy_probe order by n`);
        });
        expect(back).toEqual(values.map(([t, j]) => ({ t, j })));
      }),
      { numRuns: 30 },
    );
  });

  it('fails the statement and leaves the transaction to roll back on a bad row', async () => {
    const attempt = database.db.transaction(async (tx) => {
      await copyInto(tx, 'copy_probe', ['n', 't'], copyText([[1, 'ok'], ['not a number', 'bad']]));
    });
    await expect(attempt).rejects.toThrow();
    // The connection is usable afterwards.
    const [{ ok }] = await rows<{ ok: number }>(database.db, sql`select 1 as ok`);
    expect(ok).toBe(1);
  });
});
