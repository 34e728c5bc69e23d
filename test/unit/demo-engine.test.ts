// The statistics engine's report of the demo dataset shows every printed 2025 figure.
import { describe, expect, it } from 'vitest';
import { computeReport } from '../../src/stats/engine.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { published, restrictTo } from '../demo-checks.ts';
import { hardFromReport, rowsOf, sumBy } from '../support/hard-figures.ts';

describe('the engine report of the demo dataset', () => {
  const report = computeReport({ year: 2025, cases: generateDemoCases(), release: { id: null, kind: 'live' }, demo: true });

  it('shows every hard figure of the published 2025 report', () => {
    expect(restrictTo(hardFromReport(report), published.hard)).toEqual(published.hard);
  });

  it('passes its own consistency checks', () => {
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('has the case-level breakdown of the three largest nationalities and 11 industries', () => {
    const top3 = rowsOf(report, 'nationality_top3_by_form');
    const th = sumBy(top3.filter((r) => r.nationality === 'TH'), (r) => String(r.category));
    const facts = published.case_level.nationality_breakdown;
    expect(restrictTo(th, { labour: 0, sexual: 0, multiple: 0 })).toEqual({ labour: facts.TH.labour, sexual: facts.TH.sexual, multiple: facts.TH.multiple });
    expect(sumBy(top3.filter((r) => r.nationality === 'TR'), (r) => String(r.category))).toEqual({ labour: facts.TR.labour });
    const industries = new Set(rowsOf(report, 'industry_by_sex').filter((r) => r.count > 0).map((r) => r.industry));
    expect(industries.size).toBe(11);
  });

  it('has no case breaking the crime type and form rule, nor unknown crime type, referrer or industry', () => {
    const count = (id: string) => report.quality.find((q) => q.id === id)?.count;
    for (const id of ['crime_type_form_mismatch', 'crime_type_unknown', 'referrer_unknown', 'industry_unknown']) expect(count(id)).toBe(0);
  });
});
