// The reference tables of test/fixtures/sdc-fixtures.json (τ-ARGUS and sdcTable examples with
// their known answers), reproduced by the audit and by both suppression methods.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audit, protect } from '../../src/disclosure/index.ts';
import type { Problem } from '../../src/disclosure/index.ts';
import { cellId, twoWay } from '../support/sdc-tables.ts';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/sdc-fixtures.json', import.meta.url), 'utf8')).fixtures as any[];
const fixture = (id: string) => fixtures.find((f) => f.id === id)!;
const secondaries = (status: Record<string, string>) =>
  Object.entries(status)
    .filter(([, s]) => s === 'secondary')
    .map(([id]) => id)
    .sort();

describe('τ-ARGUS audit example', () => {
  const f = fixture('tau_argus_audit_example');
  // Any inner values with the published margins give the same intervals.
  const t = twoWay('t', f.table.rows, f.table.cols, [
    [3, 4],
    [3, 0],
  ]);
  it('has the margins of the manual', () => {
    const count = (codes: string[]) => t.cells.find((c) => c.id === cellId('t', codes))!.count;
    expect([count(['1', 'T']), count(['2', 'T'])]).toEqual(f.table.row_totals);
    expect([count(['T', '1']), count(['T', '2'])]).toEqual(f.table.col_totals);
  });
  it('gives the manual’s interval for every suppressed cell', async () => {
    const a = await audit(t, f.suppressed.map((k: string) => `t:${k}`), { width: 3 });
    const got = Object.fromEntries(a.cells.map((c) => [c.id.slice(2), [c.lo, c.hi]]));
    expect(got).toEqual(f.expected_intervals);
  });
  it('fails a width the intervals do not reach', async () => {
    const a = await audit(t, f.suppressed.map((k: string) => `t:${k}`), { width: 4, unsafe: ['t:2|2'] });
    expect(a.passed).toBe(false);
    expect(a.failing).toEqual(['t:2|2']);
  });
});

describe('sdcTable 4×4: a cell recomputable although every row and column has two suppressions', () => {
  const f = fixture('sdctable_simpleheuristic_4x4');
  const t = twoWay('s', f.table.rows, f.table.cols, f.table.inner);
  const primary: string[] = f.primary.map((k: string) => `s:${k}`);
  const wb = async (extra: string[]) => {
    const a = await audit(t, [...primary, ...extra], { width: 1, unsafe: primary });
    const c = a.cells.find((x) => x.id === 's:w|b')!;
    return [c.lo, c.hi];
  };
  it('primaries alone: w|b is exact', async () => expect(await wb([])).toEqual(f.expected.primaries_only.interval));
  it('plus x|d', async () => expect(await wb(['s:x|d'])).toEqual(f.expected['plus_x|d'].interval));
  it('plus x|b', async () => expect(await wb(['s:x|b'])).toEqual(f.expected['plus_x|b'].interval));
  it('plus any one margin leaves w|b exact', async () => {
    const margins = t.cells.filter((c) => c.id.includes('T')).map((c) => c.id);
    expect(margins).toHaveLength(9);
    for (const m of margins) expect(await wb([m]), m).toEqual(f.expected.plus_any_one_margin.interval);
  });
  for (const method of ['exact', 'fast'] as const)
    it(`${method}: one secondary, x|d, and the audit passes`, async () => {
      const p = await protect(t, { width: 1 }, { method, unsafe: primary });
      expect(secondaries(p.status)).toEqual([`s:${f.expected.one_secondary_suffices}`]);
      expect(p.audit.passed).toBe(true);
    });
});

describe('checkTauArgus ex1: region × gender, one manual unsafe cell, optimal by cell value', () => {
  const f = fixture('checktauargus_ex1');
  const t = twoWay('r', f.table.rows, f.table.cols, f.table.inner);
  it('has the published total', () => expect(t.cells.find((c) => c.id === 'r:T|T')!.count).toBe(f.table.total));
  for (const method of ['exact', 'fast'] as const)
    it(`${method}: the three secondaries of τ-ARGUS OPT`, async () => {
      const p = await protect(t, { width: f.width, threshold: 1 }, { method, unsafe: f.primary.map((k: string) => `r:${k}`) });
      expect(secondaries(p.status)).toEqual(f.expected_secondaries.map((k: string) => `r:${k}`).sort());
      expect(p.audit.passed).toBe(true);
      if (method === 'exact') expect(p.optimal).toBe(true);
    });
});

describe('sdcTable singletons: two suppressed 1s whose sum is published', () => {
  const f = fixture('sdctable_singletons');
  const cells = Object.entries(f.table.cells as Record<string, number>);
  const problem: Problem = {
    cells: [...cells.map(([id, count]) => ({ id, count })), { id: 'total', count: f.table.total }],
    relations: [{ kind: 'sum', total: 'total', parts: cells.map(([id]) => id) }],
  };
  it('the sum of the two is an interval too narrow', async () => {
    const a = await audit(problem, ['a', 'c'], { width: f.width, unsafe: ['a', 'c'] });
    expect(a.cells.map((c) => [c.id, c.lo, c.hi])).toEqual([
      ['a', 0, 2],
      ['c', 0, 2],
    ]);
    expect(a.passed).toBe(false);
  });
  for (const method of ['exact', 'fast'] as const)
    it(`${method}: exactly one secondary`, async () => {
      const p = await protect(problem, { threshold: f.threshold, width: f.width }, { method });
      expect(p.loss.secondary).toBe(f.expected_secondary_count);
      expect(secondaries(p.status)).toEqual(f.expected_secondaries);
      expect(p.audit.passed).toBe(true);
    });
});
