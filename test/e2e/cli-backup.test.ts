// `lagesbild backup` and `lagesbild restore` as an operator runs them: exit codes, a restore
// that brings back every table (an embedded archive into PostgreSQL and back when
// TEST_DATABASE_URL is set), refusals with exit 2 and a clear message (a non-empty instance, the
// demo, a server using the directory, a tampered archive, an archive of a newer format), and a
// backup through the running server. The commands run in this process (runMain); the server is a
// process of its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { casesToCsv } from '../../src/standard/csv.ts';
import { excludedTables } from '../../src/operations/backup.ts';
import { openDatabase, rows, type Database } from '../../src/store/db.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { freePort, runMain, startServer, tempDataDir, type RunningServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

/** Every archived table as its rows' text (the audit trail by row number), read from a closed data directory or a URL. */
async function tables(where: { dataDir: string } | { url: string }): Promise<Record<string, string[]>> {
  const database: Database = await openDatabase({ ...where, migrate: false });
  try {
    return await database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true), set_config('extra_float_digits', '3', true)`);
      const names = await rows<{ name: string }>(tx, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
      const out: Record<string, string[]> = {};
      for (const { name } of names) {
        if (excludedTables.includes(name)) continue;
        const order = name === 'audit_log' ? sql`t.seq` : sql`1`;
        out[name] = (await rows<{ r: string }>(tx, sql`select t::text as r from ${sql.identifier(name)} t order by ${order}`)).map((r) => r.r);
      }
      return out;
    });
  } finally {
    await database.close();
  }
}

/** `after` is `before` restored: every table alike, the trail followed only by the records of restores and backups. */
function expectSame(before: Record<string, string[]>, after: Record<string, string[]>, added: string[]) {
  expect(Object.keys(after)).toEqual(Object.keys(before));
  for (const [table, list] of Object.entries(before)) {
    if (table === 'audit_log') continue;
    expect(after[table], table).toEqual(list);
  }
  expect(after.audit_log.slice(0, before.audit_log.length)).toEqual(before.audit_log);
  const extra = after.audit_log.slice(before.audit_log.length);
  expect(extra.map((r) => r.split(',')[4])).toEqual(added);
}

const regzip = (text: string) => zlib.gzipSync(Buffer.from(text, 'utf8'));

describe('backup and restore through bin/lagesbild', { timeout: 600_000 }, () => {
  const tmp = tempDataDir();
  const file = (name: string) => path.join(tmp.dir, name);
  const dir = (name: string) => path.join(tmp.dir, name);
  const cli = (dataDir: string, ...args: string[]) => runMain(args, dataDir);
  let server: RunningServer | undefined;
  let source: Record<string, string[]>;

  beforeAll(async () => {
    fs.writeFileSync(file('cases.csv'), casesToCsv(importableCases(40, 61)));
    const imported = await cli(tmp.dataDir, 'import', file('cases.csv'));
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    tmp.remove();
  });

  it('writes a whole archive, and restores every table into an empty instance with a verifying trail', async () => {
    expect(await cli(tmp.dataDir, 'backup')).toEqual({ code: 2, stdout: '', stderr: 'Användning: lagesbild backup --out FIL   (en ny fil; en befintlig skrivs inte över)\n' });

    const taken = await cli(tmp.dataDir, 'backup', '--out', file('a.gz'));
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stderr).toMatch(/Säkerhetskopian är skriven till .*a\.gz: \d+ tabeller/);
    expect(fs.existsSync(file('a.gz.partial'))).toBe(false);
    source = await tables({ dataDir: tmp.dataDir });
    expect(source.cases).toHaveLength(40);

    expect(await cli(tmp.dataDir, 'backup', '--out', file('a.gz'))).toEqual({ code: 2, stdout: '', stderr: `Filen ${file('a.gz')} finns redan; välj ett nytt namn.\n` });

    const restored = await cli(dir('b'), 'restore', file('a.gz'));
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('Granskningsloggen är obruten');
    expectSame(source, await tables({ dataDir: dir('b') }), ['instance.restore']);
  });

  it('refuses a non-empty instance and the demo with exit 2, changing nothing', async () => {
    const b = await tables({ dataDir: dir('b') });
    const busy = await cli(dir('b'), 'restore', file('a.gz'));
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('Instansen är inte tom');
    expect(await tables({ dataDir: dir('b') })).toEqual(b);

    const demo = await openDatabase({ dataDir: dir('demo') });
    await setInstanceKind(demo.db, 'demo');
    await demo.close();
    const refused = await runMain(['restore', file('a.gz')], dir('demo'), { LAGESBILD_LANG: 'en' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('This is the demo instance');
    expect((await tables({ dataDir: dir('demo') })).cases).toEqual([]);
  });

  it('refuses a tampered archive and one of a newer format with exit 2 and a clear message', async () => {
    const lines = zlib.gunzipSync(fs.readFileSync(file('a.gz'))).toString('utf8').split('\n');
    const row = lines.findIndex((l) => l.startsWith('[') && l.includes('cases.import'));
    expect(row).toBeGreaterThan(0);
    const edited = [...lines];
    edited[row] = edited[row].replace('cases.import', 'cases.export');
    fs.writeFileSync(file('edited.gz'), regzip(edited.join('\n')));
    const header = JSON.parse(lines[0]);
    fs.writeFileSync(file('newer.gz'), regzip([JSON.stringify({ ...header, format: 'lagesbild-backup/2' }), ...lines.slice(1)].join('\n')));
    const cut = fs.readFileSync(file('a.gz'));
    fs.writeFileSync(file('cut.gz'), cut.subarray(0, cut.length - 20));

    const target = dir('empty');
    const tampered = await cli(target, 'restore', file('edited.gz'));
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain('Säkerhetskopian kan inte läsas: innehållet stämmer inte med kontrollsumman');
    const truncated = await runMain(['restore', file('cut.gz')], target, { LAGESBILD_LANG: 'en' });
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain('The backup cannot be read');
    const newer = await cli(target, 'restore', file('newer.gz'));
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain('formatet "lagesbild-backup/2"; den här versionen läser lagesbild-backup/1');
    expect(await cli(target, 'restore', file('none.gz'))).toEqual({ code: 2, stdout: '', stderr: `Filen finns inte: ${file('none.gz')}\n` });
    const after = await tables({ dataDir: target });
    expect(after.cases).toEqual([]);
    expect(after.audit_log).toEqual([]);
  });

  it('backs up through the running server, and refuses to restore under it', async () => {
    const port = await freePort();
    server = await startServer([process.execPath, 'bin/lagesbild', 'start', '--port', String(port), '--no-demo'], dir('b'), port);
    const taken = await cli(dir('b'), 'backup', '--out', file('b.gz'));
    expect(taken.code, taken.stderr).toBe(0);
    expect(await cli(dir('b'), 'restore', file('a.gz'))).toEqual({
      code: 2,
      stdout: '',
      stderr: 'En server kör på den här datakatalogen. En säkerhetskopia läses bara in i en tom instans som ingen server använder: stoppa servern, läs in, och starta den igen.\n',
    });
    await server.stop();
    server = undefined;
    // b as the server left it: a's rows (and what its start wrote: the instance's kind, the printed
    // series), a's restore, and the backup's own record
    const b = await tables({ dataDir: dir('b') });
    expectSame(source, { ...b, instance_settings: source.instance_settings, published_series: source.published_series }, ['instance.restore', 'instance.backup']);
    const restored = await cli(dir('c'), 'restore', file('b.gz'));
    expect(restored.code, restored.stderr).toBe(0);
    expectSame(b, await tables({ dataDir: dir('c') }), ['instance.restore']);
  });

  it.skipIf(!serverUrl)('restores an embedded archive into PostgreSQL, and PostgreSQL’s archive back into an embedded directory', async () => {
    const name = `lagesbild_cli_backup_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = async (text: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(text).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(serverUrl!);
      u.pathname = `/${name}`;
      const url = u.toString();
      const intoPg = await runMain(['restore', file('a.gz')], tmp.dataDir, { DATABASE_URL: url });
      expect(intoPg.code, intoPg.stderr).toBe(0);
      expectSame(source, await tables({ url }), ['instance.restore']);
      const fromPg = await runMain(['backup', '--out', file('pg.gz')], tmp.dataDir, { DATABASE_URL: url });
      expect(fromPg.code, fromPg.stderr).toBe(0);
      const back = await cli(dir('d'), 'restore', file('pg.gz'));
      expect(back.code, back.stderr).toBe(0);
      expectSame(source, await tables({ dataDir: dir('d') }), ['instance.restore', 'instance.backup', 'instance.restore']);
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
