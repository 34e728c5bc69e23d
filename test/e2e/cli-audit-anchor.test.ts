// `lagesbild audit anchor` and `audit verify --anchor` as an operator runs them, on an embedded
// data directory, directly and through a running server: the two forms of tampering the chain
// alone cannot show (the newest rows deleted; a row edited and every later hash recomputed, as a
// database superuser can) are caught by an anchor taken earlier, naming the row, in Swedish and
// in English; a bad anchor file is bad input. The commands run in this process (runMain); the
// server is a process of its own.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import { auditHash } from '../../src/access/audit.ts';
import { auditLog } from '../../src/access/schema.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { openDatabase } from '../../src/store/db.ts';
import { freePort, runMain, startServer, tempDataDir, type RunningServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

type Anchor = { row: number; hash: string; at: string };

/** Opens the embedded database the command line used (no server may hold it) and runs `work` as its superuser. */
async function tamper(dataDir: string, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) {
  const database = await openDatabase({ dataDir, migrate: false });
  try {
    await database.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await work(database);
    await database.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  } finally {
    await database.close();
  }
}

describe('audit anchors through bin/lagesbild', { timeout: 300_000 }, () => {
  const tmp = tempDataDir();
  const copy = path.join(tmp.dir, 'copy');
  const anchors = path.join(tmp.dir, 'anchors.jsonl');
  const cli = (...args: string[]) => runMain(args, tmp.dataDir);
  let server: RunningServer | undefined;
  const taken: Anchor[] = [];

  beforeAll(async () => {
    fs.writeFileSync(path.join(tmp.dir, 'cases.csv'), casesToCsv(importableCases(3, 41)));
    const imported = await cli('import', path.join(tmp.dir, 'cases.csv'));
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    tmp.remove();
  });

  it('prints one JSON line for the chain head, appends it with --out, and verify holds against the anchors', async () => {
    const printed = await cli('audit', 'anchor');
    expect(printed.code, printed.stderr).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const first = JSON.parse(lines[0]) as Anchor;
    expect(Object.keys(first)).toEqual(['row', 'hash', 'at']);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(first.at).toISOString()).toBe(first.at);
    fs.writeFileSync(anchors, printed.stdout);

    // Taking an anchor is itself recorded: the next anchor is the next row, the record of its own taking.
    const appended = await cli('audit', 'anchor', '--out', anchors);
    expect(appended.code, appended.stderr).toBe(0);
    expect(appended.stdout).toBe('');
    const file = fs.readFileSync(anchors, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Anchor);
    expect(file).toHaveLength(2);
    expect(file[0]).toEqual(first);
    expect(file[1].row).toBe(first.row + 1);
    expect(appended.stderr).toContain(`rad ${file[1].row}`);
    taken.push(...file);

    const verified = await cli('audit', 'verify', '--anchor', anchors);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('Granskningsloggen är obruten');
    expect(verified.stdout).toContain('Alla 2 ankare stämmer');
  });

  it('goes through the running server that holds the data directory', async () => {
    const port = await freePort();
    server = await startServer([process.execPath, 'bin/lagesbild', 'start', '--port', String(port), '--no-demo'], tmp.dataDir, port);
    const appended = await cli('audit', 'anchor', '--out', anchors);
    expect(appended.code, appended.stderr).toBe(0);
    const file = fs.readFileSync(anchors, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Anchor);
    expect(file).toHaveLength(3);
    expect(file[2].row).toBeGreaterThan(taken[1].row);
    taken.push(file[2]);
    const verified = await runMain(['audit', 'verify', '--anchor', anchors], tmp.dataDir, { LAGESBILD_LANG: 'en' });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('All 3 anchors hold');
    await server.stop();
    server = undefined;
    fs.cpSync(tmp.dataDir, copy, { recursive: true });
  });

  it('names the anchored row when the newest rows were deleted, which the chain alone does not show', async () => {
    const newest = taken[2].row;
    // every row after the second anchor: the third anchor's row among them
    await tamper(tmp.dataDir, (database) => database.db.execute(sql`delete from audit_log where seq > ${taken[1].row}`).then(() => undefined));
    const chainOnly = await cli('audit', 'verify');
    expect(chainOnly.code, chainOnly.stderr).toBe(0);

    const caught = await cli('audit', 'verify', '--anchor', anchors);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toContain(`Ankaret för rad ${newest} stämmer inte: raden finns inte`);
    // the anchors before the cut still hold, and are not named
    expect(caught.stderr).not.toContain(`rad ${taken[0].row} `);
    expect(caught.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the anchored rows when a row was edited and every later hash recomputed', async () => {
    // What a superuser can do: change row 2 and rewrite the chain from there on so that it links up.
    await tamper(copy, async (database) => {
      const all = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
      let prev = all[0].hash;
      for (const raw of all.slice(1)) {
        const row = { ...raw, seq: Number(raw.seq), prev_hash: prev, details: raw.seq === 2 ? { rows: 0 } : raw.details };
        const hash = auditHash(row);
        await database.db.execute(sql`update audit_log set details = ${JSON.stringify(row.details)}::jsonb, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`);
        prev = hash;
      }
    });
    const chainOnly = await runMain(['audit', 'verify'], copy);
    expect(chainOnly.code, chainOnly.stderr).toBe(0);

    const caught = await runMain(['audit', 'verify', '--anchor', anchors], copy, { LAGESBILD_LANG: 'en' });
    expect(caught.code).toBe(1);
    for (const a of taken) expect(caught.stderr).toContain(`The anchor of row ${a.row} does not hold: the row’s hash differs`);
    const sv = await runMain(['audit', 'verify', '--anchor', anchors, '--lang', 'sv'], copy, { LAGESBILD_LANG: 'en' });
    expect(sv.code).toBe(1);
    expect(sv.stderr).toContain(`Ankaret för rad ${taken[0].row} stämmer inte: radens hash är en annan`);
  });

  it('exits 2 on an anchor file that is not one, naming the line', async () => {
    const bad = path.join(tmp.dir, 'bad.jsonl');
    fs.writeFileSync(bad, `${JSON.stringify(taken[0])}\n{"row": 3, "hash": "abc"}\n`);
    const result = await runMain(['audit', 'verify', '--anchor', bad], copy);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`Ankarfilen ${bad}: rad 2 är inget ankare ({"row": radnummer, "hash": 64 hexadecimala tecken, "at": tid}).\n`);
    expect(await runMain(['audit', 'verify', '--anchor', path.join(tmp.dir, 'none.jsonl')], copy)).toEqual({
      code: 2,
      stdout: '',
      stderr: `Ankarfilen kan inte läsas: ${path.join(tmp.dir, 'none.jsonl')}\n`,
    });
  });
});
