// Import benchmark: N valid rows (default 100,000) imported through importCsv into PGlite and
// PostgreSQL, against a plain COPY of the same rows into the same tables in the same run.
//   npm run bench:import     (BENCH_ROWS, BENCH_REPS, BENCH_DATABASE_URL change the defaults)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemActor } from '../src/access/actor.ts';
import { formatReference, newCaseId, referencePrefix } from '../src/registry/cases.ts';
import { caseCopyColumns, caseCopyText, importCsv, insertCases, versionCopyColumns } from '../src/registry/transfer.ts';
import type { CaseData } from '../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../src/standard/csv.ts';
import { statisticsYear } from '../src/standard/derive.ts';
import { validateCase } from '../src/standard/validate.ts';
import { copyInto } from '../src/store/copy.ts';
import { openDatabase, rows, toNumber, type Database } from '../src/store/db.ts';
import { sql } from 'drizzle-orm';
import { randomCase, seededRandom } from '../test/support/case-fixtures.ts';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const actor = systemActor('bench');

const rand = seededRandom(2025);
const data: CaseData[] = Array.from({ length: N }, () => {
  const r = validateCase(randomCase(rand, [2024, 2025]));
  if (!r.ok) throw new Error('generated an invalid case');
  return r.data;
});
const csv = casesToCsv(data);

const seconds = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

// ---- fresh databases -------------------------------------------------------------------
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-bench-'));
let template: Blob | undefined;
const created: string[] = [];

async function freshDatabase(target: 'pglite' | 'postgres'): Promise<Database> {
  if (target === 'pglite') {
    if (!template) {
      const t = await openDatabase({ memory: true });
      template = await t.pglite!.dumpDataDir('none');
      await t.close();
    }
    return openDatabase({ dataDir: path.join(tmpRoot, crypto.randomUUID()), loadDataDir: template, migrate: false });
  }
  const name = `lagesbild_bench_${process.pid}_${created.length}`;
  await admin(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return openDatabase({ url: url.toString() });
}

async function admin(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

// ---- the COPY baseline: the same rows, prepared outside the timing ---------------------
function copyPayload() {
  const counters = new Map<string, number>();
  const ids = data.map(() => newCaseId());
  const references = data.map((d) => {
    const prefix = referencePrefix(d);
    const year = statisticsYear(d.identified_on);
    const n = (counters.get(`${prefix}${year}`) ?? 0) + 1;
    counters.set(`${prefix}${year}`, n);
    return formatReference(prefix, year, n);
  });
  return caseCopyText(actor, data, ids, references);
}

const copyAll = (database: Database, payload: { cases: string; versions: string }) =>
  database.db.transaction(async (tx) => {
    await copyInto(tx, 'cases', caseCopyColumns, payload.cases);
    await copyInto(tx, 'case_versions', versionCopyColumns, payload.versions);
  });

async function countCases(database: Database) {
  const [{ n }] = await rows<{ n: unknown }>(database.db, sql`select count(*) as n from cases`);
  return toNumber(n);
}

/** Runs `work` on a fresh database, checks that N cases landed, and returns seconds. */
async function measure(target: 'pglite' | 'postgres', work: (db: Database) => Promise<unknown>): Promise<number> {
  const database = await freshDatabase(target);
  try {
    const s = await seconds(() => work(database));
    const n = await countCases(database);
    if (n !== N) throw new Error(`expected ${N} cases, found ${n}`);
    return s;
  } finally {
    await database.close();
  }
}

// ---- run -------------------------------------------------------------------------------
const rate = (s: number) => Math.round(N / s);
const fmt = (n: number) => n.toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parseSeconds = await seconds(async () => parseCasesCsv(csv));
console.log(`${fmt(N)} rows, ${(csv.length / 1e6).toFixed(1)} MB CSV, median of ${REPS}; parse + validate alone: ${parseSeconds.toFixed(2)} s (${fmt(rate(parseSeconds))} rows/s)`);

try {
  for (const target of ['pglite', 'postgres'] as const) {
    const runs = { imported: [] as number[], loaded: [] as number[], copied: [] as number[] };
    // Interleaved, so that the three steps meet the same load on a shared machine.
    for (let rep = 0; rep < REPS; rep++) {
      runs.imported.push(
        await measure(target, async (db) => {
          const r = await importCsv(db.db, actor, csv);
          if (!r.ok) throw new Error(r.problems.slice(0, 3).join('\n'));
        }),
      );
      runs.loaded.push(await measure(target, (db) => db.db.transaction((tx) => insertCases(tx, actor, data))));
      const payload = copyPayload();
      runs.copied.push(await measure(target, (db) => copyAll(db, payload)));
    }
    const [imported, loaded, copied] = [median(runs.imported), median(runs.loaded), median(runs.copied)];
    console.log(
      `${target.padEnd(9)} importCsv ${fmt(rate(imported)).padStart(8)} rows/s (${imported.toFixed(2)} s) = ${(copied / imported).toFixed(2)}× COPY` +
        ` | bulk load only ${fmt(rate(loaded)).padStart(8)} rows/s (${loaded.toFixed(2)} s) = ${(copied / loaded).toFixed(2)}× COPY` +
        ` | COPY ${fmt(rate(copied)).padStart(8)} rows/s (${copied.toFixed(2)} s)`,
    );
  }
} finally {
  for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
