import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { DataDirLockedError, migrationsFolder, openDatabase, rows, toNumber, type Database } from '../../src/store/db.ts';
import { organisations } from '../../src/store/schema.ts';
import pg from 'pg';
import { dbTargets, openTestDatabase } from '../support/db.ts';

describe.each(dbTargets())('migrated store on %s', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(target);
  });
  afterAll(() => database?.close());

  it('has the seven regional coordinator offices from the first migration', async () => {
    const orgs = await database.db.select().from(organisations).orderBy(organisations.id);
    expect(orgs.map((o) => [o.id, o.region, o.name_sv])).toEqual([
      ['rk-bergslagen', 'bergslagen', 'Regionkoordinator Bergslagen'],
      ['rk-mitt', 'mitt', 'Regionkoordinator Mitt'],
      ['rk-nord', 'nord', 'Regionkoordinator Nord'],
      ['rk-ost', 'ost', 'Regionkoordinator Öst'],
      ['rk-stockholm', 'stockholm', 'Regionkoordinator Stockholm'],
      ['rk-syd', 'syd', 'Regionkoordinator Syd'],
      ['rk-vast', 'vast', 'Regionkoordinator Väst'],
    ]);
  });

  it('gives counts as numbers on both drivers', async () => {
    const [{ n }] = await database.db.select({ n: count() }).from(organisations);
    expect(n).toBe(7);
    const [raw] = await rows<{ n: unknown }>(database.db, sql`select count(*) as n from organisations`);
    expect(toNumber(raw.n)).toBe(7);
  });

  it('creates the tables of the registry', async () => {
    const tables = await rows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['case_versions', 'cases', 'idempotency_keys', 'organisations', 'reference_counters']),
    );
  });
});

describe('PGlite data directory', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-store-'));
  const template = () => new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  function holdInChild(dataDir: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/hold-data-dir.ts'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
  }
  const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

  it('creates the parent directory, migrates, and locks the directory while open', async () => {
    const dataDir = path.join(root, 'nested', 'deeper', 'data');
    const first = await openDatabase({ dataDir, loadDataDir: template() });
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(true);
    const second = await openDatabase({ dataDir }).catch((e) => e);
    expect(second).toBeInstanceOf(DataDirLockedError);
    expect(second).toMatchObject({ pid: process.pid, dataDir });
    expect(second.message).toContain(String(process.pid));
    await first.close();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    const reopened = await openDatabase({ dataDir });
    const [{ n }] = await reopened.db.select({ n: count() }).from(organisations);
    expect(n).toBe(7);
    await reopened.close();
  });

  it('refuses a directory another process holds, naming its pid; a stale lock of a killed process is taken over', async () => {
    const dataDir = path.join(root, 'shared');
    await (await openDatabase({ dataDir, loadDataDir: template() })).close();

    const polite = await holdInChild(dataDir);
    const refused = await openDatabase({ dataDir }).catch((e) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect(refused.pid).toBe(polite.pid);
    expect(refused.messages.en).toMatch(/already running/);
    polite.kill('SIGTERM');
    await exited(polite);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const killed = await holdInChild(dataDir);
    killed.kill('SIGKILL');
    await exited(killed);
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(killed.pid);
    const takenOver = await openDatabase({ dataDir });
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await takenOver.close();
  });

  it('treats a lock whose pid now belongs to another process as stale', async () => {
    const dataDir = path.join(root, 'reused');
    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, proc_start: '1', started_at: '2020-01-01T00:00:00.000Z' }));
    const database = await openDatabase({ dataDir, loadDataDir: template() });
    await database.close();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL migrations', () => {
  it('lets several servers start on one new database at once', async () => {
    const server = process.env.TEST_DATABASE_URL!;
    const name = `lagesbild_test_${process.pid}_migrate`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(server);
      url.pathname = `/${name}`;
      const opened = await Promise.all([0, 1, 2].map(() => openDatabase({ url: url.toString() })));
      const [{ n }] = await rows<{ n: number }>(opened[0].db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(n).toBe(fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).length);
      const [{ offices }] = await rows<{ offices: number }>(opened[0].db, sql`select count(*)::int as offices from organisations`);
      expect(offices).toBe(7);
      for (const d of opened) await d.close();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
