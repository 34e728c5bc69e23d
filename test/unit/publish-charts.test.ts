import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { barSpec, chartSpecs, renderChartSvg, type MaybePoint } from '../../src/publish/charts.ts';
import { suppressedNote } from '../../src/publish/layout.ts';
import { chartAlt } from '../../src/publish/pdf.ts';
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

type Item = { x: number; y: number; width?: number; text?: string; fill?: string; datum: MaybePoint & { year?: number } };
type Drawn = { bars: Item[]; texts: Item[]; symbols: Item[]; x: (v: number) => number; domain: number[]; yZero?: number };

/** What Vega draws of a spec: its bars, points and data labels (not axes or legend), and its value scale. */
async function drawnOf(spec: object, value: 'x' | 'y' = 'x'): Promise<Drawn> {
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    const out: Drawn = { bars: [], texts: [], symbols: [], x: view.scale(value) as (v: number) => number, domain: view.scale(value).domain() as number[] };
    const walk = (node: { marktype?: string; role?: string; items?: unknown[] }) => {
      if (node.role === 'mark' && node.marktype === 'rect') out.bars.push(...(node.items as Item[]));
      if (node.role === 'mark' && node.marktype === 'text') out.texts.push(...(node.items as Item[]));
      if (node.role === 'mark' && node.marktype === 'symbol') out.symbols.push(...(node.items as Item[]));
      for (const i of (node.items ?? []) as (typeof node)[]) walk(i);
    };
    walk((view.scenegraph() as unknown as { root: Parameters<typeof walk>[0] }).root);
    return out;
  } finally {
    view.finalize();
  }
}

/** The fixture as the protected form would publish it with some figures suppressed (count null). */
function withSuppressed(): Report {
  const r = fixtureReport();
  const row = (table: string, match: Record<string, unknown>) => r.tables.find((t) => t.id === table)!.rows.find((x) => Object.entries(match).every(([k, v]) => x[k] === v))!;
  Object.assign(row('form_by_group', { category: 'labour', group: 'man' }), { count: null });
  Object.assign(row('nationality_top', { nationality: 'RO' }), { count: null });
  Object.assign(row('trend', { year: 2023, measure: 'labour' }), { count: null });
  return r;
}

describe('a suppressed figure', () => {
  const suppressed = chartSpecs(withSuppressed());
  const chart = (id: string) => suppressed.find((c) => c.id === id)!;
  const values = (id: string) => (chart(id).spec as { data: { values: MaybePoint[] } }).data.values;
  const key = (p: { label: string; series: string }) => `${p.label}|${p.series}`;

  it('keeps its place in a bar chart: its label and series slot, no bar, ".." at zero, the scale as without it', async () => {
    expect(values('fig1').filter((p) => p.value === null)).toEqual([{ label: 'Arbetskraft', series: 'Män och pojkar', value: null, text: '..' }]);
    const fig1 = await drawnOf(chart('fig1').spec);
    expect(fig1.bars.map((b) => key(b.datum))).not.toContain('Arbetskraft|Män och pojkar');
    expect(fig1.bars.map((b) => key(b.datum))).toContain('Arbetskraft|Kvinnor och flickor');
    const dots = fig1.texts.filter((t) => t.text === '..');
    expect(dots.map((t) => key(t.datum))).toEqual(['Arbetskraft|Män och pojkar']);
    expect(dots[0].x).toBe(fig1.x(0));
    // In the men's slot: below the women's bar of the same label, above the next label's bars.
    const women = fig1.bars.find((b) => key(b.datum) === 'Arbetskraft|Kvinnor och flickor')!;
    expect(dots[0].y).toBeGreaterThan(women.y);

    const fig8 = await drawnOf(chart('fig8').spec);
    expect(fig8.texts.find((t) => t.datum.label === 'Rumänien')?.text).toBe('..');
    expect(fig8.bars.map((b) => b.datum.label)).not.toContain('Rumänien');
    const without = await drawnOf(barSpec('', values('fig8').filter((p) => p.value !== null), '', ''));
    expect(fig8.domain).toEqual(without.domain);
  });

  it('is ".." in the SVG the PDF draws, a bar chart and a line chart alike', async () => {
    for (const id of ['fig1', 'fig8', 'fig2']) {
      const svg = await renderChartSvg(chart(id).spec);
      expect(svg.match(/>\.\.</g), id).toHaveLength(1);
    }
  });

  it('leaves a gap in a line with ".." at its year near the axis, in its series\' colour', async () => {
    const trend = values('fig2').filter((p) => p.value === null && p.text === '..');
    expect(trend).toEqual([expect.objectContaining({ label: '2023', series: 'Arbetskraft', text: '..' })]);
    const drawn = await drawnOf(chart('fig2').spec, 'y');
    expect(drawn.symbols.map((s) => key(s.datum))).not.toContain('2023|Arbetskraft');
    const dot = drawn.texts.find((t) => t.text === '..')!;
    expect(key(dot.datum)).toBe('2023|Arbetskraft');
    expect(dot.fill).toBe(drawn.symbols.find((s) => s.datum.series === 'Arbetskraft')!.fill);
    // At the axis (value 0): between the lowest value label and the years.
    expect(dot.y).toBe(drawn.x(0));
    const plain = await drawnOf(chartSpecs(fixtureReport()).find((c) => c.id === 'fig2')!.spec, 'y');
    expect(drawn.domain).toEqual(plain.domain);
  });

  it('is named as ".." in the figure\'s alternative text, in the words of the note on ".."', () => {
    const alt = chartAlt(chart('fig1'), 'sv');
    expect(alt).toContain('Arbetskraft: Kvinnor och flickor 88, Män och pojkar .. (undertryckt)');
    expect(chartAlt(chart('fig8'), 'sv')).toContain('Rumänien .. (undertryckt)');
    expect(chartAlt(chart('fig2'), 'sv')).toContain('2023: Totalt 414, Arbetskraft .. (undertryckt)');
    expect(suppressedNote.sv).toContain('undertryckt');
    const en = chartSpecs(withSuppressed(), 'en').find((c) => c.id === 'fig8')!;
    expect(chartAlt(en, 'en')).toContain('Romania .. (suppressed)');
    expect(suppressedNote.en).toContain('suppressed');
  });

  it('on random bar charts: every label and series once in the data, bars only for figures, ".." at zero, the scale the figures\' own', async () => {
    const cell = fc.record({ label: fc.constantFrom('Arbetskraft', 'Sexuella ändamål', 'Tiggeri', 'Brottslighet'), series: fc.constantFrom('Kvinnor', 'Män', 'Okänt kön'), value: fc.option(fc.nat(900), { nil: null }) });
    const cells = fc.uniqueArray(cell, { selector: key, minLength: 1, maxLength: 12 }).filter((cs) => cs.some((c) => (c.value ?? 0) > 0));
    await fc.assert(
      fc.asyncProperty(cells, async (cs) => {
        const points: MaybePoint[] = cs.map((c) => ({ ...c, text: c.value === null ? '..' : String(c.value) }));
        const spec = barSpec('T', points, 'Antal', 'Kön') as { data: { values: MaybePoint[] } };
        for (const c of cs) expect(spec.data.values.filter((p) => key(p) === key(c))).toHaveLength(1);
        expect(spec.data.values).toHaveLength(cs.length);
        const drawn = await drawnOf(spec);
        const figures = cs.filter((c) => c.value !== null);
        expect(drawn.bars.map((b) => key(b.datum)).sort()).toEqual(figures.map(key).sort());
        const dots = drawn.texts.filter((t) => t.text === '..');
        expect(dots.map((t) => key(t.datum)).sort()).toEqual(cs.filter((c) => c.value === null).map(key).sort());
        for (const d of dots) expect(d.x).toBe(drawn.x(0));
        // The scale's top is the largest figure (rounded to a nice number as Vega does), whatever is suppressed.
        const max = Math.max(...figures.map((c) => c.value!));
        expect(drawn.domain).toEqual(vega.scale('linear')().domain([0, max]).nice().domain());
      }),
      { numRuns: 40 },
    );
  });
});
