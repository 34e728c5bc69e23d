// Report benchmark: 1,000,000 generated cases. Times loading them into memory (the cube) and
// computing every table, the engine against DuckDB computing the same tables from the same rows
// in the same run; and, when the renderer and the demo dataset exist, the PDF and the HTML edition
// of the demo year.
// BENCH_ROWS and BENCH_REPS change the size and the number of repetitions.
import fs from 'node:fs';
import { buildCube } from '../src/stats/cube.ts';
import { computeReport, reportFromCube } from '../src/stats/engine.ts';
import { computeTables } from '../src/stats/tables.ts';
import type { Report, ReportRow, ReportTable } from '../src/stats/report-types.ts';
import { duckdbTables, loadCases, openDuckDb, prepareCounted } from '../test/support/duckdb-tables.ts';
import { randomCases } from '../test/support/random-cases.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const YEAR = 2025;
const settings = { unknown_age_as_adult: true };
const release = { id: null, kind: 'live' } as const;

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}
/** Median of `reps` timed runs after one warm-up run. */
async function median(reps: number, fn: () => unknown): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) ms.push((await timed(fn)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(8) + ' ms';
const cellsOf = (rows: readonly ReportRow[]) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))))).sort().join('\n');
const sameTables = (a: readonly ReportTable[], b: readonly ReportTable[]) =>
  a.length === b.length && a.every((t, i) => t.id === b[i].id && t.n_answered === b[i].n_answered && t.n_missing === b[i].n_missing && cellsOf(t.rows) === cellsOf(b[i].rows));

console.log(`Report benchmark: ${ROWS.toLocaleString('en')} generated cases, median of ${REPS} runs after a warm-up (node ${process.version})`);
const gen = await timed(() => randomCases(ROWS, 20251, { year: YEAR, noise: 0.05 }));
const cases = gen.value;
console.log(`generate cases                      ${fmt(gen.ms)}  (not part of the comparison)`);

const cube = buildCube(cases, YEAR);
const cubeMs = await median(Math.min(REPS, 5), () => buildCube(cases, YEAR));
const tablesMs = await median(REPS, () => computeTables(cube, settings, { includeRegion: true }));
const reportMs = await median(REPS, () => reportFromCube(cube, { year: YEAR, release, settings, includeRegion: true }));
console.log(`engine: load into memory (cube)     ${fmt(cubeMs)}  (${cube.n.toLocaleString('en')} counted cases)`);
console.log(`engine: all tables                  ${fmt(tablesMs)}`);
console.log(`engine: report (tables, trend, checks, quality) ${fmt(reportMs)}`);

const db = await openDuckDb();
const load = await timed(() => loadCases(db, cases));
console.log(`duckdb: load into table (CSV)       ${fmt(load.ms)}  (not part of the comparison)`);
const sqlMs = await median(REPS, () => duckdbTables(db, YEAR, settings, { includeRegion: true }));
const prep = await timed(() => prepareCounted(db, YEAR, settings));
const preparedMs = await median(REPS, () => duckdbTables(db, YEAR, settings, { includeRegion: true, prepared: true }));
console.log(`duckdb: all tables from cases       ${fmt(sqlMs)}`);
console.log(`duckdb: all tables from prepared counted table ${fmt(preparedMs)}  (preparing it: ${fmt(prep.ms).trim()})`);

const engineReport = reportFromCube(cube, { year: YEAR, release, settings, includeRegion: true });
const sqlTables = await duckdbTables(db, YEAR, settings, { includeRegion: true });
const same = sameTables(engineReport.tables, sqlTables);
db.close();
console.log(`engine and duckdb tables equal cell for cell: ${same ? 'yes' : 'NO'}; checks failing: ${engineReport.checks.filter((c) => !c.ok).length}`);
console.log(`ratio duckdb / engine, all tables: ${(sqlMs / reportMs).toFixed(1)}x (engine report incl. checks) · ${(sqlMs / tablesMs).toFixed(1)}x (tables only)`);
console.log(`ratio duckdb (prepared) / engine tables: ${(preparedMs / tablesMs).toFixed(1)}x`);

let pdfLine = 'PDF of the demo year: not measured (src/publish/pdf.ts or src/stats/demo.ts missing)';
if (fs.existsSync(new URL('../src/publish/pdf.ts', import.meta.url)) && fs.existsSync(new URL('../src/stats/demo.ts', import.meta.url))) {
  const { renderPdf } = (await import('../src/publish/pdf.ts')) as { renderPdf: (r: Report) => Promise<Buffer> };
  const { generateDemoCases } = await import('../src/stats/demo.ts');
  const demo = computeReport({ year: YEAR, cases: generateDemoCases(), release, demo: true });
  const pdfMs = await median(3, () => renderPdf(demo));
  const bytes = (await renderPdf(demo)).length;
  pdfLine = `PDF of the demo year (renderPdf, ${Math.round(bytes / 1024)} KiB): ${fmt(pdfMs).trim()} median of 3`;
  const { renderHtml } = await import('../src/publish/html.ts');
  const published = demo as unknown as Parameters<typeof renderHtml>[0];
  const htmlMs = await median(3, () => renderHtml(published, 'sv'));
  const htmlBytes = Buffer.byteLength(await renderHtml(published, 'sv'));
  pdfLine += `\nHTML edition of the demo year (renderHtml, ${Math.round(htmlBytes / 1024)} KiB): ${fmt(htmlMs).trim()} median of 3 · PDF / HTML ${(pdfMs / htmlMs).toFixed(1)}x`;
}
console.log(pdfLine);
if (!same) process.exitCode = 1;
