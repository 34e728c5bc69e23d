// The report's figures as Vega-Lite specs with inline data: the web app draws these specs as they
// are, and the PDF draws them to SVG on the server.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Label } from '../standard/codes.ts';
import type { PublishedReport, PublishedRow, TableId } from '../stats/report-types.ts';
import { printedOrder } from '../stats/catalogue.ts';
import { codeLabel, heading, type Lang } from './labels.ts';
import { SUPPRESSED, type Cell } from './layout.ts';

export type ChartTable = { head: string[]; body: Cell[][] };
export type Chart = { id: string; title: string; spec: object; table: ChartTable };

export type Point = { label: string; series: string; value: number; text: string; below?: boolean };
/**
 * A point whose value may be null: a suppressed figure (protected form, text "..") or, in a line, a
 * year without a figure (text ""). Neither has a bar or a point; a suppressed one is labelled "..".
 */
export type MaybePoint = Omit<Point, 'value'> & { value: number | null };
const drawn = (points: MaybePoint[]): Point[] => points.filter((p): p is Point => p.value !== null);
/** Vega expression: the point is a suppressed figure (shown as ".." at the value axis' zero). */
const isSuppressed = `datum.value === null && datum.text === '${SUPPRESSED}'`;


// Dark enough for 3:1 contrast against white (WCAG 1.4.11) and told apart without colour vision.
const palette = ['#1f4e8c', '#b34700', '#2e7d4f', '#6a3d9a', '#5f6b73', '#8c1c3a'];
const FONT = 'Roboto';
const WIDTH = 420;

const sexSeries: Record<string, Label> = {
  female: { sv: 'Kvinnor och flickor', en: 'Women and girls' },
  male: { sv: 'Män och pojkar', en: 'Men and boys' },
  other: { sv: 'Annan könsidentitet', en: 'Other gender identity' },
  unknown: { sv: 'Okänt kön', en: 'Sex unknown' },
};

const groupSex: Record<string, string> = { woman: 'female', girl: 'female', man: 'male', boy: 'male', other: 'other', unknown: 'unknown' };

const texts = {
  sv: { count: 'Antal personer', year: 'År', persons: 'personer' },
  en: { count: 'Number of persons', year: 'Year', persons: 'persons' },
};

function rowsOf(report: PublishedReport, id: TableId): PublishedRow[] {
  return report.tables.find((t) => t.id === id)?.rows ?? [];
}

function baseConfig() {
  return {
    font: FONT,
    background: 'white',
    view: { stroke: null },
    axis: { labelFontSize: 10, titleFontSize: 10, labelColor: '#222', titleColor: '#222', gridColor: '#ddd', labelLimit: 220 },
    legend: { labelFontSize: 10, titleFontSize: 10, orient: 'bottom', direction: 'horizontal', labelLimit: 220 },
    title: { fontSize: 12, anchor: 'start', color: '#111', limit: WIDTH + 200 },
    // Swedish number style: space as thousands separator.
    locale: { number: { decimal: ',', thousands: '\u00a0', grouping: [3], currency: ['', '\u00a0kr'] } },
  };
}

function colourScale(series: string[]) {
  return { domain: series, range: series.map((_, i) => palette[i % palette.length]) };
}

/**
 * Horizontal bars, grouped by series when there is more than one, each bar labelled with its value.
 * A suppressed figure keeps its place (its label and its series' slot) with no bar and ".." at zero,
 * so that it is not taken for a zero or for a category left out; zero is on the scale anyway, so
 * the placeholder does not change it.
 */
export function barSpec(title: string, points: MaybePoint[], valueTitle: string, seriesTitle: string): TopLevelSpec {
  const labels = [...new Set(points.map((p) => p.label))];
  const series = [...new Set(points.map((p) => p.series))];
  const grouped = series.length > 1;
  const y = { field: 'label', type: 'nominal' as const, sort: labels, title: null, axis: { labelLimit: 400 } };
  const yOffset = grouped ? { yOffset: { field: 'series', type: 'nominal' as const, sort: series } } : {};
  const x = { type: 'quantitative' as const, title: valueTitle, axis: { tickMinStep: 1, format: 'd' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: { step: grouped ? (series.length > 2 ? 8 : 10) : 18 },
    data: { values: points },
    encoding: {
      y,
      ...yOffset,
      x: { field: 'value', ...x },
    },
    layer: [
      {
        transform: [{ filter: 'datum.value !== null' }],
        mark: { type: 'bar', tooltip: true },
        encoding: {
          color: grouped
            ? { field: 'series', type: 'nominal', title: seriesTitle, scale: colourScale(series), sort: series }
            : { value: palette[0] },
        },
      },
      {
        // The label of a suppressed figure stands at zero, where its bar would start.
        transform: [{ calculate: 'datum.value === null ? 0 : datum.value', as: 'at' }],
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#111' },
        encoding: { x: { field: 'at', ...x }, text: { field: 'text' } },
      },
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}

function lineSpec(title: string, points: MaybePoint[], lang: Lang): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))];
  const colour = { field: 'series', type: 'nominal', title: heading('measure', lang), scale: colourScale(series), sort: series };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: 220,
    data: { values: points },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: texts[lang].year, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: texts[lang].count },
      color: colour,
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { strokeDash: { ...colour, scale: undefined } } },
      { mark: { type: 'point', filled: true, size: 40, tooltip: true }, encoding: { shape: { ...colour, scale: undefined } } },
      // The lowest value of each year is labelled below its point so that close values do not overprint.
      ...[false, true].map((below) => ({
        transform: [{ filter: below ? 'datum.below' : '!datum.below' }],
        mark: { type: 'text', dy: below ? 13 : -9, fontSize: 9, color: '#111' },
        encoding: { text: { field: 'text' }, color: { value: '#111' } },
      })),
      // A suppressed year has no point and the line breaks there; ".." just above the year, in the
      // series' colour, one step higher for each later series so that two never overprint.
      ...series.map((s, i) => ({
        transform: [{ filter: `${isSuppressed} && datum.series === ${JSON.stringify(s)}` }],
        mark: { type: 'text', dy: -5 - 11 * i, fontSize: 9, fontWeight: 'bold', invalid: 'show' },
        encoding: { y: { datum: 0, type: 'quantitative' }, text: { field: 'text' } },
      })),
    ],
    config: baseConfig(),
  } as TopLevelSpec;
}

/** The chart's data as a table: one line per label, one column per series; `absent` fills a label without a point of a series (0 for counts, null where a year has no figure). */
function tableOf(points: MaybePoint[], labelHeading: string, valueHeading: string, absent: 0 | null = 0): ChartTable {
  const labels = [...new Set(points.map((p) => p.label))];
  const series = [...new Set(points.map((p) => p.series))];
  const single = series.length === 1;
  return {
    head: [labelHeading, ...(single ? [valueHeading] : series)],
    body: labels.map((l) => [
      l,
      ...series.map((s) => {
        const p = points.find((q) => q.label === l && q.series === s);
        return p ? (p.value ?? SUPPRESSED) : single ? null : absent;
      }),
    ]),
  };
}

function point(label: string, series: string, value: number | null, text = String(value ?? SUPPRESSED)): MaybePoint {
  return { label, series, value, text };
}

/** Sum of counts per (label, series), in first-seen order. */
function summed(rows: PublishedRow[], label: (r: PublishedRow) => string, series: (r: PublishedRow) => string): MaybePoint[] {
  const out = new Map<string, MaybePoint>();
  for (const r of rows) {
    const p = point(label(r), series(r), 0);
    const key = `${p.label}\u0000${p.series}`;
    const prev = out.get(key) ?? p;
    // A sum with a suppressed part is suppressed: printing it would give the part away.
    prev.value = prev.value === null || r.count === null ? null : prev.value + r.count;
    prev.text = String(prev.value ?? SUPPRESSED);
    out.set(key, prev);
  }
  return [...out.values()];
}

/** Every figure of the annual report that has data, in the order of the printed report (the catalogue's figures). */
export function chartSpecs(report: PublishedReport, lang: Lang = 'sv'): Chart[] {
  const t = texts[lang];
  const sexLabel = (code: string) => sexSeries[code]?.[lang] ?? code;
  const charts: Chart[] = [];
  const present = report.tables.map((x) => x.id);
  for (const spec of printedOrder(present)) {
    const rows = rowsOf(report, spec.id);
    for (const figure of spec.figures ?? []) {
      const title = figure.title[lang];
      if (figure.kind === 'line') {
        const points = trendPoints(rows, figure.measures, lang);
        if (points.some((p) => (p.value ?? 0) > 0)) charts.push({ id: figure.id, title, spec: lineSpec(title, withGaps(points), lang), table: tableOf(points, t.year, t.count, null) });
        continue;
      }
      const where = Object.entries(figure.where ?? {});
      const kept = rows.filter((r) => where.every(([k, v]) => String(r[k]) === v));
      const label = (r: PublishedRow) => codeLabel(figure.label, r[figure.label], lang);
      const fixed = typeof figure.series === 'object' ? codeLabel(figure.series.dimension, figure.series.code, lang) : null;
      const points =
        figure.series === 'single'
          ? kept.map((r) =>
              point(label(r), t.count, r.count, r.count === null ? SUPPRESSED : figure.withPercent && r.percent != null ? `${r.count} (${r.percent} %)` : String(r.count)),
            )
          : summed(kept, label, (r) => fixed ?? sexLabel(r.sex !== undefined ? String(r.sex) : (groupSex[String(r.group)] ?? 'unknown')));
      if (!points.some((p) => (p.value ?? 0) > 0)) continue;
      charts.push({ id: figure.id, title, spec: barSpec(title, points, t.count, heading('sex', lang)), table: tableOf(points, heading(figure.label, lang), t.count) });
    }
  }
  return charts;
}

/**
 * A line's points with a null for every year between its first and last without a figure: the line
 * breaks there instead of joining the years either side. A suppressed figure is kept as it is (null,
 * "..") and labelled so; a year with no figure known gets an empty text.
 */
export function withGaps(points: MaybePoint[]): MaybePoint[] {
  const years = points.map((p) => Number(p.label)).filter(Number.isInteger);
  if (!years.length) return points;
  const [first, last] = [Math.min(...years), Math.max(...years)];
  const out: MaybePoint[] = [];
  for (const series of [...new Set(points.map((p) => p.series))]) {
    for (let y = first; y <= last; y++) {
      const hit = points.find((p) => p.series === series && Number(p.label) === y);
      out.push(hit ?? { label: String(y), series, value: null, text: '' });
    }
  }
  return out.sort((a, b) => Number(a.label) - Number(b.label));
}

/** The trend's measures by year, the lower of two values in a year labelled below its point. */
function trendPoints(rows: PublishedRow[], measures: readonly string[], lang: Lang): MaybePoint[] {
  const points = rows
    .filter((r) => measures.includes(String(r.measure)))
    .sort((a, b) => Number(a.year) - Number(b.year) || measures.indexOf(String(a.measure)) - measures.indexOf(String(b.measure)))
    .map((r) => point(String(r.year), codeLabel('measure', r.measure, lang), r.count));
  for (const p of points) {
    const year = drawn(points.filter((q) => q.label === p.label));
    p.below = year.length > 1 && p.value === Math.min(...year.map((q) => q.value));
  }
  return points;
}

// Advance widths of Roboto in em. Without a canvas, Vega guesses 0.8 em for every character,
// which truncates axis labels and spreads legends; this table measures close to the real font.
const lower = 'abcdefghijklmnopqrstuvwxyzåäö';
const lowerWidths = [0.55, 0.56, 0.52, 0.56, 0.53, 0.35, 0.56, 0.55, 0.24, 0.24, 0.5, 0.24, 0.87, 0.55, 0.57, 0.56, 0.57, 0.34, 0.52, 0.33, 0.55, 0.48, 0.75, 0.5, 0.47, 0.5, 0.55, 0.55, 0.57];
function charWidth(ch: string): number {
  const i = lower.indexOf(ch);
  if (i >= 0) return lowerWidths[i];
  if (ch === ' ') return 0.25;
  if (/[0-9]/.test(ch)) return 0.56;
  if ('IJ'.includes(ch)) return 0.3;
  if ('MW'.includes(ch)) return 0.88;
  if (/\p{Lu}/u.test(ch)) return 0.65;
  if ('.,:;()[]\'|!'.includes(ch)) return 0.27;
  return 0.55;
}

type TextItem = { fontSize?: number; fontWeight?: string | number; text?: unknown };
function robotoWidth(item: TextItem, text?: unknown): number {
  const t = String(text ?? item.text ?? '');
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  let em = 0;
  for (const ch of t) em += charWidth(ch);
  return em * (item.fontSize ?? 11) * (bold ? 1.05 : 1);
}

/** Draws a Vega-Lite spec to an SVG string on the server. Charts carry their data inline: any load is refused. */
export async function renderChartSvg(spec: object): Promise<string> {
  const refused: string[] = [];
  const refuse = async (uri: string) => {
    refused.push(uri);
    throw new Error(`chart tried to load ${uri}`);
  };
  const loader = { ...vega.loader(), load: refuse, sanitize: refuse } as unknown as vega.Loader;
  // vega exports textMetrics at run time; its typings leave it out.
  (vega as unknown as { textMetrics: { width: typeof robotoWidth } }).textMetrics.width = robotoWidth;
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none', loader, logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    if (refused.length) throw new Error(`chart tried to load ${refused.join(', ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}
