// The pure parts of the public statistics as a publication: the trend's line breaks at a year without
// a figure (the spec the page and the PDF draw), tables numbered as the printed report and figures
// without gaps, the year's release chosen as the server chooses it, and chart labels wrapped to fit.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { barSpec, chartSpecs, withGaps, type MaybePoint } from '../../src/publish/charts.ts';
import { numberedFigureTitle, numberedTableTitle, releasesByYear, tableNumbers } from '../../web/src/report.ts';
import { SimpleChart, wrap } from '../../web/src/pages/SimpleChart.tsx';
import { fixtureReport } from '../publish-fixture.ts';

describe('withGaps', () => {
  it('puts a null point at every year a series has no figure between the first and the last year', () => {
    const p = (label: string, series: string, value: number) => ({ label, series, value, text: String(value) });
    const out = withGaps([p('2023', 'Totalt', 414), p('2025', 'Totalt', 481), p('2023', 'Arbetskraft', 189), p('2024', 'Arbetskraft', 233), p('2025', 'Arbetskraft', 325)]);
    expect(out.filter((q) => q.value === null)).toEqual([{ label: '2024', series: 'Totalt', value: null, text: '' }]);
    expect(out).toHaveLength(6);
  });

  it('keeps a suppressed figure as it is (null, "..") and fills a year without one with an empty text', () => {
    const out = withGaps([
      { label: '2022', series: 'Totalt', value: 10, text: '10' },
      { label: '2023', series: 'Totalt', value: null, text: '..' },
      { label: '2025', series: 'Totalt', value: 12, text: '12' },
    ]);
    expect(out.map((p) => p.text)).toEqual(['10', '..', '', '12']);
  });

  it('keeps every figure and gives each series one point per year of the span', () => {
    const point = fc.record({ year: fc.integer({ min: 2018, max: 2030 }), series: fc.constantFrom('a', 'b', 'c'), value: fc.nat(999) });
    fc.assert(
      fc.property(fc.uniqueArray(point, { selector: (q) => `${q.year}|${q.series}`, minLength: 1 }), (points) => {
        const given = points.map((q) => ({ label: String(q.year), series: q.series, value: q.value, text: String(q.value) }));
        const out = withGaps(given);
        for (const g of given) expect(out).toContainEqual(g);
        const years = points.map((q) => q.year);
        const span = Math.max(...years) - Math.min(...years) + 1;
        expect(out).toHaveLength(span * new Set(points.map((q) => q.series)).size);
        expect(out.filter((q) => q.value !== null)).toHaveLength(given.length);
      }),
    );
  });
});

describe('numbering', () => {
  it('numbers tables by the catalogue and the rest after the highest; figures 1, 2, 3 … replacing a printed number', () => {
    const catalogue = [
      { id: 'a', printed: { number: 2 } },
      { id: 'b', printed: { number: 1 } },
      { id: 'c', printed: null },
      { id: 'd', printed: { number: 3 } },
    ];
    expect([...tableNumbers(catalogue, ['a', 'b', 'c', 'e'])]).toEqual([['a', 2], ['b', 1], ['c', 4], ['e', 5]]);
    expect(numberedTableTitle('Hänvisande aktör', 2, 'sv')).toBe('Tabell 2. Hänvisande aktör');
    expect(numberedFigureTitle('Figur 5. Antal personer', 4, 'sv')).toBe('Figur 4. Antal personer');
    expect(numberedFigureTitle('Hänvisande aktör', 5, 'en')).toBe('Figure 5. Hänvisande aktör');
  });
});

describe('releasesByYear', () => {
  const r = (id: string, year: number, number: number, kind: 'preliminary' | 'final', published = true) => ({ id, year, number, kind, published });
  it('shows the newest final release of a year, else its newest preliminary one; unpublished ones never', () => {
    const years = releasesByYear([r('2025-1', 2025, 1, 'preliminary'), r('2025-2', 2025, 2, 'final'), r('2025-3', 2025, 3, 'preliminary'), r('2024-1', 2024, 1, 'preliminary'), r('2024-2', 2024, 2, 'preliminary'), r('2023-1', 2023, 1, 'final', false)]);
    expect(years.map((y) => [y.year, y.shown.id, y.releases.map((x) => x.id)])).toEqual([
      [2025, '2025-2', ['2025-3', '2025-2', '2025-1']],
      [2024, '2024-2', ['2024-2', '2024-1']],
    ]);
  });
});

describe('wrap', () => {
  it('keeps every letter and no line wider than asked, a long word cut with a hyphen', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zåäö]{1,30}$/), { minLength: 1, maxLength: 8 }), fc.integer({ min: 60, max: 400 }), (words, width) => {
        const lines = wrap(words.join(' '), width, 13);
        const max = Math.max(4, Math.floor(width / (13 * 0.58)));
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(max);
        expect(lines.join('').replace(/[-\s]/g, '')).toBe(words.join(''));
      }),
    );
    expect(wrap('människoexploatering', 80, 13)).toEqual(['människoe-', 'xploateri-', 'ng']);
  });
});

// jsdom ships without type declarations: typed here as far as the tests use it.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: Window } };

/** The page's drawing of a spec at a width, as an SVG element. */
function drawing(spec: object, width: number): SVGSVGElement {
  const html = renderToStaticMarkup(createElement(SimpleChart, { spec: spec as Record<string, unknown>, width }));
  return new JSDOM(`<body>${html}</body>`).window.document.querySelector('svg')!;
}

describe('SimpleChart with a suppressed figure', () => {
  const points: MaybePoint[] = [
    { label: 'Arbetskraft', series: 'Kvinnor', value: 88, text: '88' },
    { label: 'Arbetskraft', series: 'Män', value: null, text: '..' },
    { label: 'Tiggeri', series: 'Kvinnor', value: null, text: '..' },
    { label: 'Tiggeri', series: 'Män', value: null, text: '..' },
    { label: 'Sexuella ändamål', series: 'Kvinnor', value: 140, text: '140' },
    { label: 'Sexuella ändamål', series: 'Män', value: 4, text: '4' },
  ];
  const bars = (svg: SVGSVGElement, label: string) => [...svg.querySelectorAll(`g[data-label="${label}"] rect`)].map((r) => Number(r.getAttribute('width')));

  for (const width of [390, 900]) {
    it(`keeps its label and slot with ".." at zero and no bar, the scale unchanged (${width} px)`, () => {
      const svg = drawing(barSpec('T', points, 'Antal', 'Kön'), width);
      expect([...svg.querySelectorAll('g[data-label]')].map((g) => g.getAttribute('data-label'))).toEqual(['Arbetskraft', 'Tiggeri', 'Sexuella ändamål']);
      expect(bars(svg, 'Arbetskraft')).toHaveLength(1);
      expect(bars(svg, 'Tiggeri')).toHaveLength(0);
      const dots = [...svg.querySelectorAll('.suppressed-label')];
      expect(dots.map((d) => [d.closest('g[data-label]')!.getAttribute('data-label'), d.getAttribute('data-series'), d.textContent])).toEqual([
        ['Arbetskraft', 'Män', '..'],
        ['Tiggeri', 'Kvinnor', '..'],
        ['Tiggeri', 'Män', '..'],
      ]);
      // At the start of the bars: where the women's bar of the same label starts.
      const start = Number(svg.querySelector('g[data-label="Arbetskraft"] rect')!.getAttribute('x'));
      for (const d of dots) expect(Number(d.getAttribute('x')) - start).toBe(4);
      // Each in its series' slot: the men's ".." below the women's bar.
      expect(Number(dots[0].getAttribute('y'))).toBeGreaterThan(Number(svg.querySelector('g[data-label="Arbetskraft"] rect')!.getAttribute('y')) + 10);
      // The bars are as long as without the suppressed points.
      const plain = drawing(barSpec('T', points.filter((p) => p.value !== null), 'Antal', 'Kön'), width);
      for (const l of ['Arbetskraft', 'Sexuella ändamål']) expect(bars(svg, l)).toEqual(bars(plain, l));
    });
  }

  it('labels a suppressed year of a line ".." near the axis, in its series\' colour, and draws no point there', () => {
    const report = fixtureReport();
    Object.assign(report.tables.find((t) => t.id === 'trend')!.rows.find((r) => r.year === 2023 && r.measure === 'labour')!, { count: null });
    const spec = chartSpecs(report).find((c) => c.id === 'fig2')!.spec;
    const svg = drawing(spec, 390);
    const dots = [...svg.querySelectorAll('.suppressed-label')];
    expect(dots.map((d) => d.textContent)).toEqual(['..']);
    const years = [...svg.querySelectorAll('text')].filter((t) => t.textContent === '2023');
    expect(dots[0].getAttribute('x')).toBe(years[0].getAttribute('x'));
    const labour = svg.querySelector('g[data-series="Arbetskraft"]')!;
    expect(dots[0].getAttribute('fill')).toBe(labour.querySelector('circle')!.getAttribute('fill'));
    expect([...labour.querySelectorAll('circle')].map((c) => c.getAttribute('cx'))).not.toContain(years[0].getAttribute('x'));
    // Near the axis: below the plot's zero line and above the years.
    const zero = Math.max(...[...svg.querySelectorAll('line')].map((l) => Number(l.getAttribute('y1'))));
    expect(Number(dots[0].getAttribute('y'))).toBeGreaterThan(zero);
    expect(Number(dots[0].getAttribute('y'))).toBeLessThan(Number(years[0].getAttribute('y')));
  });
});
