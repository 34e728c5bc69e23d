// The table catalogue: each table declared once, every declaration coherent, and the checks it
// derives catch what they exist to catch — a cell changed in one table breaks the relation that
// ties it to another.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue, catalogueDocument, dimensions, printedOrder, roles, tableIds, tableSpec, tableWith } from '../../src/stats/catalogue.ts';
import { runChecks } from '../../src/stats/checks.ts';
import { computeReport } from '../../src/stats/engine.ts';
import type { StatsCase } from '../../src/stats/cube.ts';
import type { Report, ReportTable } from '../../src/stats/report-types.ts';
import { arbStatsCase } from '../support/random-cases.ts';

const run = (cases: readonly StatsCase[]) =>
  computeReport({ year: 2025, cases, release: { id: null, kind: 'live' }, includeRegion: true });
const clone = (tables: readonly ReportTable[]) => tables.map((t) => ({ ...t, rows: t.rows.map((r) => ({ ...r })) }));
const failedIds = (tables: readonly ReportTable[]) => runChecks(tables).filter((c) => !c.ok).map((c) => c.id);

describe('the catalogue', () => {
  it('declares every table once, in the order the engine writes them', () => {
    expect(new Set(tableIds).size).toBe(tableIds.length);
    expect(catalogue.map((t) => t.id)).toEqual([...tableIds]);
    const report = run([]);
    expect(report.tables.map((t) => t.id)).toEqual([...tableIds]);
    const publicReport = computeReport({ year: 2025, cases: [], release: { id: null, kind: 'live' } });
    expect(publicReport.tables.map((t) => t.id)).toEqual(catalogue.filter((t) => !t.internal).map((t) => t.id));
  });

  it('names only tables and dimensions it declares, and numbers the printed tables without gaps', () => {
    for (const t of catalogue) {
      for (const key of [...t.rows, ...(t.column ? [t.column] : [])]) expect(dimensions).toHaveProperty(key);
      for (const r of t.relations) expect(tableIds).toContain(r.table);
      for (const f of t.figures ?? []) if (f.kind === 'bars') expect([...t.rows, t.column]).toContain(f.label);
      expect(t.short.sv.length).toBeLessThanOrEqual(31);
      expect(t.short.en.length).toBeLessThanOrEqual(31);
    }
    const orders = printedOrder(tableIds).map((t) => t.printed!.order);
    expect(orders).toEqual(orders.map((_, i) => i + 1));
    const figures = catalogue.flatMap((t) => (t.figures ?? []).map((f) => f.id));
    expect(new Set(figures).size).toBe(figures.length);
  });

  it('serves a document of plain data that survives JSON unchanged', () => {
    const doc = catalogueDocument();
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.tables.map((t) => t.id)).toEqual([...tableIds]);
    expect(doc.tables.find((t) => t.id === 'form_by_group')).toMatchObject({ rows: ['category'], column: 'group', unit: 'person' });
    for (const role of roles) expect(doc.tables.find((t) => t.role === role)?.id).toBe(tableWith(role));
  });

  it('gives each role to exactly one table, and the roles to the tables the text and key figures are written from', () => {
    for (const role of roles) expect(catalogue.filter((t) => t.role === role).map((t) => t.id), role).toEqual([tableWith(role)]);
    // The persons table holds every person once under `all`; the trend is the one table counted in years.
    expect(tableSpec(tableWith('persons'))).toMatchObject({ rows: ['dimension', 'code'], unit: 'person' });
    expect(tableSpec(tableWith('years')).unit).toBe('year');
    expect(tableSpec(tableWith('forms'))).toMatchObject({ rows: ['category'], percent: 'of_all' });
    expect(tableSpec(tableWith('referrers')).rows).toEqual(['referred_by']);
    expect(tableSpec(tableWith('relatives')).unit).toBe('child');
  });
});

describe('the checks derived from the relations', () => {
  const dataset = fc.array(arbStatsCase(), { minLength: 1, maxLength: 80 });
  const report = (cases: readonly StatsCase[]): Report => run(cases);

  it('a cell raised by one in a table with a sum relation breaks a check of that table', () => {
    fc.assert(
      fc.property(dataset, fc.nat(), (cases, pick) => {
        const r = report(cases);
        expect(failedIds(r.tables)).toEqual([]);
        const candidates = catalogue.filter((spec) => spec.relations.some((x) => x.kind === 'sum') && r.tables.find((t) => t.id === spec.id)!.rows.length > 0);
        if (!candidates.length) return;
        const spec = candidates[pick % candidates.length];
        const tables = clone(r.tables);
        const target = tables.find((t) => t.id === spec.id)!;
        const row = target.rows[pick % target.rows.length];
        row.count += 1;
        const failed = failedIds(tables);
        // The table's own relations name it; totals' own rows are what the others are tied to.
        const own = runChecks(tables).filter((c) => !c.ok && (c.id.startsWith(`${spec.id}_`) || c.id === 'answered_plus_missing'));
        expect(own.length, `raising ${JSON.stringify(row)} of ${spec.id} broke only ${failed.join(', ')}`).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('a cell of multiple_industry_by_sex above the same cell of industry_by_sex breaks the at-most relation', () => {
    const base = report(
      fc.sample(arbStatsCase(), { numRuns: 400, seed: 7 }).filter((k) => k.exploitation_forms.length > 1 && k.exploitation_forms.includes('labour')),
    );
    const tables = clone(base.tables);
    const multiple = tables.find((t) => t.id === 'multiple_industry_by_sex')!;
    expect(multiple.rows.length).toBeGreaterThan(0);
    multiple.rows[0].count += 1000;
    expect(failedIds(tables)).toContain('multiple_industry_by_sex_within_industry_by_sex');
  });

  it('a wrong percent and a combination of one form are named', () => {
    const base = report(fc.sample(arbStatsCase(), { numRuns: 300, seed: 11 }));
    const tables = clone(base.tables);
    tables.find((t) => t.id === 'category')!.rows[0].percent! += 1;
    const combos = tables.find((t) => t.id === 'multiple_combinations')!;
    expect(combos.rows.length).toBeGreaterThan(0);
    combos.rows[0].combination = 'labour';
    const failed = failedIds(tables);
    expect(failed).toContain('category_percent');
    expect(failed).toContain('multiple_combinations_forms');
  });
});
