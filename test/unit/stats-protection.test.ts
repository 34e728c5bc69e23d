// The disclosure problem of a release (src/stats/protection.ts): every printed figure of every
// public table is a cell, the catalogue's relations are its equations and hold on the exact
// counts, and a figure printed in two tables is one cell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexProblem } from '../../src/disclosure/problem.ts';
import type { Problem } from '../../src/disclosure/index.ts';
import { catalogue, tableWith } from '../../src/stats/catalogue.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { defaultPublicTables, releaseProblem } from '../../src/stats/protection.ts';
import type { Report } from '../../src/stats/report-types.ts';
import { arbStatsCase } from '../support/random-cases.ts';

/** Each relation checked on the counts by hand (independent of indexProblem's own check). */
function broken(p: Problem): string[] {
  const count = new Map(p.cells.map((c) => [c.id, c.count]));
  return p.relations.flatMap((r) => {
    const parts = r.parts.reduce((s, id) => s + count.get(id)!, 0);
    const total = count.get(r.total)!;
    const ok = r.kind === 'sum' ? parts === total : r.kind === 'at_most' ? parts <= total : parts >= total;
    return ok ? [] : [`${r.kind} ${r.total}: ${parts} vs ${total}`];
  });
}

const rowCount = (report: Report, table: string, key: Record<string, string | number>) =>
  report.tables.find((t) => t.id === table)!.rows.find((r) => Object.entries(key).every(([k, v]) => String(r[k]) === String(v)))?.count ?? 0;

describe('the disclosure problem of the demo release', () => {
  const report = computeReport({ year: 2025, cases: generateDemoCases(), release: { id: null, kind: 'live' }, demo: true, includeRegion: true });
  const p = releaseProblem(report, defaultPublicTables());

  it('holds every relation on the exact counts', () => {
    expect(() => indexProblem(p.problem)).not.toThrow();
    expect(broken(p.problem)).toEqual([]);
    expect(p.problem.relations.length).toBeGreaterThan(100);
  });

  it('has every public table but the internal ones, each interior cell with its exact count (zeros included)', () => {
    const internal = catalogue.filter((t) => t.internal).map((t) => t.id);
    expect(internal.length).toBeGreaterThan(0);
    for (const id of internal) expect(p.tables.has(id)).toBe(false);
    const count = new Map(p.problem.cells.map((c) => [c.id, c.count]));
    let zeros = 0;
    for (const [table, cells] of p.tables) {
      if (table === tableWith('years')) continue;
      for (const c of cells.filter((x) => !x.margin)) {
        expect(count.get(c.cell), `${table} ${JSON.stringify(c.key)}`).toBe(rowCount(report, table, c.key));
        if (count.get(c.cell) === 0) zeros++;
      }
      // Every row of the exact table is a printed cell.
      const keyOf = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).map(([k, v]) => [k, String(v)]).sort());
      const printed = new Set(cells.filter((x) => !x.margin).map((x) => keyOf(x.key)));
      for (const row of report.tables.find((t) => t.id === table)!.rows) {
        const key = keyOf(Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'count' && k !== 'percent')));
        expect(printed.has(key), `${table} ${key}`).toBe(true);
      }
    }
    expect(zeros).toBeGreaterThan(50);
  });

  it('names a figure printed in two tables once: a row total of a cross table is the row of the table it sums to', () => {
    const forms = tableWith('forms');
    const labour = p.tables.get(forms)!.find((c) => c.key.category === 'labour')!.cell;
    // The cross tables whose rows by category sum to the forms table, as the catalogue says.
    const summing = new Set(catalogue.filter((t) => t.column && t.relations.some((r) => r.kind === 'sum' && r.table === forms && r.cells.by === 'category')).map((t) => t.id));
    const crosses = [...p.tables].filter(([id]) => summing.has(id as never));
    expect(crosses.length).toBeGreaterThanOrEqual(2);
    for (const [, cells] of crosses) expect(cells.find((c) => c.margin && c.key.category === 'labour' && Object.keys(c.key).length === 1)!.cell).toBe(labour);
    const cell = p.problem.cells.find((c) => c.id === labour)!;
    expect(cell.tables!.length).toBeGreaterThanOrEqual(3);
    // The trend's own year is the persons' total, one cell.
    const all = p.tables.get(tableWith('persons'))!.find((c) => c.key.dimension === 'all')!.cell;
    expect(p.tables.get(tableWith('years'))!.find((c) => c.key.measure === 'total')!.cell).toBe(all);
    // A cell id is unique in the problem.
    expect(new Set(p.problem.cells.map((c) => c.id)).size).toBe(p.problem.cells.length);
  });

  it('makes every sensitive row of a cross table a group, and a table left out of the public leaves no cell', () => {
    expect(p.problem.groups!.length).toBeGreaterThan(10);
    const fewer = releaseProblem(report, defaultPublicTables().filter((t) => t !== tableWith('forms')));
    expect(fewer.tables.has(tableWith('forms'))).toBe(false);
    expect(() => indexProblem(fewer.problem)).not.toThrow();
  });
});

describe('the disclosure problem of random releases (property)', () => {
  it('holds every relation on the counts, whatever the cases and whichever tables are public', () => {
    const publicTables = defaultPublicTables();
    fc.assert(
      fc.property(fc.array(arbStatsCase(), { maxLength: 80 }), fc.subarray(publicTables, { minLength: 1 }), fc.boolean(), (cases, tables, adult) => {
        const report = computeReport({ year: 2025, cases, release: { id: null, kind: 'live' }, settings: { unknown_age_as_adult: adult } });
        const p = releaseProblem(report, tables);
        indexProblem(p.problem);
        expect(broken(p.problem)).toEqual([]);
        for (const c of p.problem.cells) expect(Number.isInteger(c.count) && c.count >= 0).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
