// The engine against an independent computation: the same random rows counted by SQL in DuckDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReport } from '../../src/stats/engine.ts';
import type { ReportRow, ReportTable } from '../../src/stats/report-types.ts';
import { openDuckDb, loadCases, duckdbTables, type DuckDb } from '../support/duckdb-tables.ts';
import { randomCases } from '../support/random-cases.ts';

/** Rows as sorted strings, so two tables compare cell for cell whatever their order. */
const cellsOf = (rows: readonly ReportRow[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))))).sort();

function compare(engine: readonly ReportTable[], sql: readonly ReportTable[]) {
  expect(engine.map((t) => t.id)).toEqual(sql.map((t) => t.id));
  for (const [i, t] of engine.entries()) {
    expect({ id: t.id, n_answered: t.n_answered, n_missing: t.n_missing }).toEqual({ id: sql[i].id, n_answered: sql[i].n_answered, n_missing: sql[i].n_missing });
    expect(cellsOf(t.rows), t.id).toEqual(cellsOf(sql[i].rows));
  }
}

describe('engine = DuckDB, cell for cell', () => {
  let db: DuckDb;
  beforeAll(async () => {
    db = await openDuckDb();
  });
  afterAll(() => db.close());

  const datasets = [
    { seed: 1, n: 3000, unknown: 0.05 },
    { seed: 2, n: 800, unknown: 0.3 },
    { seed: 3, n: 40, unknown: 0.5 },
    { seed: 4, n: 0, unknown: 0 },
  ];
  for (const d of datasets)
    for (const unknown_age_as_adult of [true, false])
      it(`seed ${d.seed}, ${d.n} rows, unknown_age_as_adult ${unknown_age_as_adult}`, async () => {
        const cases = randomCases(d.n, d.seed, { unknown: d.unknown, noise: 0.2 });
        await db.conn.run('DELETE FROM cases');
        await loadCases(db, cases);
        const settings = { unknown_age_as_adult };
        const report = computeReport({ year: 2025, cases, release: { id: null, kind: 'live' }, settings, includeRegion: true });
        const sql = await duckdbTables(db, 2025, settings, { includeRegion: true });
        compare(report.tables, sql);
        expect(report.tables.find((t) => t.id === 'totals')!.rows[0].count).toBe(sql[0].rows[0].count);
      });
});
