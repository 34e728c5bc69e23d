// The command line on PostgreSQL (DATABASE_URL): migrate, import all or nothing, export, freeze
// and releases. Runs when TEST_DATABASE_URL names a server; a new database per run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { runMain, tempDataDir } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

async function admin(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe.skipIf(!serverUrl)('the command line on PostgreSQL', { timeout: 120_000 }, () => {
  const tmp = tempDataDir();
  const name = `lagesbild_cli_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  let url = '';
  const file = (f: string) => path.join(tmp.dir, f);
  // the data directory is set but must not be used: DATABASE_URL wins
  const cli = (...args: string[]) => runMain(args, tmp.dataDir, { DATABASE_URL: url });
  let original: CaseData[];

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const u = new URL(serverUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
    original = importableCases(300, 51);
    fs.writeFileSync(file('valid.csv'), casesToCsv(original));
    const rows: unknown[] = importableCases(6, 52);
    rows[1] = { ...(rows[1] as object), age: 10, age_group: 'adult' };
    rows[4] = { ...(rows[4] as object), sex: 'zz' };
    fs.writeFileSync(file('bad.csv'), casesToCsv(rows as CaseData[]));
  });
  afterAll(async () => {
    tmp.remove();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('migrates, imports all or nothing, exports the same rows, freezes and lists releases', async () => {
    const migrated = await cli('migrate');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('PostgreSQL');
    const bad = await cli('import', file('bad.csv'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').filter((l) => /^line \d+: /.test(l) && !l.includes('warning:')).map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      'line 3: age_group',
      'line 6: sex',
    ]);
    const ok = await cli('import', file('valid.csv'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('Importerade 300 ärenden.\n');
    const out = await cli('export', '--out', file('export.csv'));
    expect(out.code).toBe(0);
    expect(parseCasesCsv(fs.readFileSync(file('export.csv'), 'utf8')).rows.map((r) => r.data)).toEqual(original);
    expect((await cli('freeze', '--year', '2025', '--kind', 'final')).stdout).toMatch(/^Fryst: 2025-1\t/);
    expect((await cli('releases')).stdout).toMatch(/^2025-1\t2025\tslutlig/);
    expect(fs.existsSync(tmp.dataDir)).toBe(false);
  });
});
