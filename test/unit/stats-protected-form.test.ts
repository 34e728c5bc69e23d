// The protected form of a report (src/stats/protection.ts, protectedReport) and how every renderer
// prints it: on random releases no published count is 1 … n−1 and a suppressed cell is null with
// its status (property); on the demo, tables, text, charts and CSV print ".." with the note and
// never "null" or "NaN".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartSpecs, heading, renderCsv, tableLayout } from '../../src/publish/index.ts';
import { summaryParagraphs, sectionText } from '../../src/publish/text.ts';
import { tableWith } from '../../src/stats/catalogue.ts';
import { generateDemoCases } from '../../src/stats/demo.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { computeProtection, defaultPolicyDocument, protectedReport, releaseProblem } from '../../src/stats/protection.ts';
import type { PublishedReport, Report } from '../../src/stats/report-types.ts';
import { arbStatsCase } from '../support/random-cases.ts';

const small = (v: unknown, threshold: number) => typeof v === 'number' && v >= 1 && v < threshold;

function leaks(p: PublishedReport, threshold: number): string[] {
  const out: string[] = [];
  for (const t of p.tables) {
    for (const r of [...t.rows, ...(t.totals ?? [])]) {
      if (small(r.count, threshold)) out.push(`${t.id} ${JSON.stringify(r)}`);
      if ((r.status === 'primary' || r.status === 'secondary') && (r.count !== null || (r.percent ?? null) !== null)) out.push(`${t.id} suppressed but printed`);
    }
    // The trend's "answered" is its number of years, not persons.
    if (t.id !== tableWith('years') && (small(t.n_answered, threshold) || small(t.n_missing, threshold))) out.push(`${t.id} answered/missing`);
  }
  for (const q of p.quality) if (small(q.count, threshold)) out.push(`quality ${q.id}`);
  return out;
}

describe('the protected form (property)', () => {
  it('prints no count 1 … n−1, nulls every suppressed cell, lists every printed cell of every public table, and passes the audit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbStatsCase(), { minLength: 5, maxLength: 60 }), fc.integer({ min: 2, max: 5 }), async (cases, threshold) => {
        const exact = computeReport({ year: 2025, cases, release: { id: '2025-1', kind: 'final' } });
        const doc = { ...defaultPolicyDocument(), threshold };
        const stored = await computeProtection(exact, doc, 1);
        const p = protectedReport(exact, stored);
        expect(leaks(p, threshold)).toEqual([]);
        const rp = releaseProblem(exact, doc.public_tables);
        for (const t of p.tables) if (rp.tables.has(t.id) && t.id !== tableWith('years')) expect(t.rows.length + (t.totals?.length ?? 0)).toBe(rp.tables.get(t.id)!.length);
        expect(stored.audit.passed).toBe(true);
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});

describe('the protected demo report in every renderer', () => {
  let exact: Report;
  let p: PublishedReport;
  const ready = (async () => {
    exact = computeReport({ year: 2025, cases: generateDemoCases(), release: { id: '2025-1', kind: 'final' }, demo: true });
    p = protectedReport(exact, await computeProtection(exact, defaultPolicyDocument(), 1));
  })();

  it('prints suppressed figures as ".." with the note, totals from the protected form', async () => {
    await ready;
    expect(leaks(p, 3)).toEqual([]);
    let dotted = 0;
    for (const t of p.tables) {
      const l = tableLayout(t, 'sv');
      const dots = l.body.flat().filter((c) => c === '..').length;
      dotted += dots;
      if (dots) expect(l.note).toContain('röjandeskyddat');
      // Counts only: a share of 1 or 2 per cent is several persons.
      const percent = l.head.indexOf(heading('percent', 'sv'));
      for (const line of l.body)
        line.forEach((c, i) => {
          if (i >= l.firstValue && i !== percent && t.id !== tableWith('years')) expect(small(c, 3), `${t.id} ${JSON.stringify(line)}`).toBe(false);
        });
    }
    expect(dotted).toBeGreaterThan(10);
    expect(suppressedAnywhere(p)).toBe(true);
  });

  it('writes no "null" or "NaN" into the running text, the charts or the CSV', async () => {
    await ready;
    for (const lang of ['sv', 'en'] as const) {
      const text = [...summaryParagraphs(p, lang), ...Object.values(sectionText(p, lang))].join('\n');
      expect(text).not.toMatch(/null|NaN|undefined/);
      expect(text.length).toBeGreaterThan(100);
      const charts = JSON.stringify(chartSpecs(p, lang));
      expect(charts).not.toMatch(/NaN/);
      for (const c of chartSpecs(p, lang)) for (const line of c.table.body) for (const v of line.slice(1)) if (c.id !== 'fig2') expect(small(v, 3), `${c.id} ${JSON.stringify(line)}`).toBe(false);
      const csv = renderCsv(p, lang);
      expect(csv).toContain('..');
      expect(csv).not.toMatch(/null|NaN/);
    }
  });
});

const suppressedAnywhere = (p: PublishedReport) => p.tables.some((t) => t.rows.some((r) => r.count === null));
