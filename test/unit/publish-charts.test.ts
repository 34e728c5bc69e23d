import { describe, expect, it } from 'vitest';
import { chartSpecs, renderChartSvg } from '../../src/publish/charts.ts';
import type { Report } from '../../src/stats/report-types.ts';
import { fixtureReport } from '../publish-fixture.ts';

const report = fixtureReport();
const charts = chartSpecs(report);
const byId = (id: string) => charts.find((c) => c.id === id)!;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('chartSpecs', () => {
  it('gives the figures of the 2025 report in the order the PDF prints them, with Swedish titles', () => {
    // Sections: forms (1, 2), multiple (3, 5), children (6, 7), industry, referrer, nationality (8).
    expect(charts.map((c) => c.id)).toEqual(['fig1', 'fig2', 'fig3', 'fig5', 'fig6', 'fig7', 'industry', 'referrer', 'fig8']);
    expect(byId('fig1').title).toMatch(/^Figur 1\. Antal identifierade personer per exploateringsform/);
  });

  it('carries its data inline and the same data as a table', () => {
    for (const c of charts) {
      expect(JSON.stringify(c.spec)).not.toMatch(/"url"/);
      expect((c.spec as { data: { values: unknown[] } }).data.values.length).toBeGreaterThan(0);
    }
    const fig1 = byId('fig1').table;
    expect(fig1.head).toEqual(['Exploateringsform', 'Kvinnor och flickor', 'Män och pojkar', 'Okänt kön']);
    // Women incl. girls and men incl. boys, as the printed report counts them (88 / 236).
    expect(fig1.body.find((r) => r[0] === 'Arbetskraft')).toEqual(['Arbetskraft', 88, 236, 1]);
    // 2024 has no total in the printed series: no figure, not zero.
    expect(byId('fig2').table.body.find((r) => r[0] === '2024')).toEqual(['2024', null, 233, 166]);
    expect(byId('fig6').table.body).toEqual([
      ['Sexuella ändamål', 2],
      ['Arbetskraft', 1],
      ['Tvångsäktenskap', 4],
      ['Illegal adoption', 1],
    ]);
  });

  it('uses colours with at least 3:1 contrast against white', () => {
    const colours = new Set<string>();
    JSON.stringify(charts.map((c) => c.spec), (_k, v) => {
      if (typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v)) colours.add(v);
      return v;
    });
    expect(colours.size).toBeGreaterThan(1);
    for (const c of colours) expect(1.05 / (luminance(c) + 0.05), c).toBeGreaterThanOrEqual(3);
  });

  it('leaves out figures without data', () => {
    const empty: Report = { ...report, tables: report.tables.map((t) => ({ ...t, rows: [] })) };
    expect(chartSpecs(empty)).toEqual([]);
  });

  it('leaves out figures whose table is missing', () => {
    const bare: Report = { ...report, tables: report.tables.filter((t) => t.id === 'nationality_top') };
    expect(chartSpecs(bare).map((c) => c.id)).toEqual(['fig8']);
  });
});

describe('renderChartSvg', () => {
  it('draws every chart to SVG with its data labels', async () => {
    for (const c of charts) {
      const svg = await renderChartSvg(c.spec);
      expect(svg.startsWith('<svg')).toBe(true);
      for (const line of c.table.body) expect(svg, `${c.id}: ${line[0]}`).toContain(String(line[0]));
    }
    const fig8 = await renderChartSvg(byId('fig8').spec);
    expect(fig8).toContain('Thailand');
    expect(fig8).toContain('>85<');
    const referrer = await renderChartSvg(byId('referrer').spec);
    expect(referrer).toContain('118 (25 %)');
  });

  it('refuses to load data from anywhere', async () => {
    const spec = { data: { url: 'https://example.org/data.json' }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative' } } };
    await expect(renderChartSvg(spec)).rejects.toThrow(/load/);
  });
});
