// The report's two chart kinds (horizontal bars, grouped by series; lines over years) drawn from the
// Vega-Lite spec the PDF also draws (its inline values, label order, series and colours), at the width
// the page gives it: one SVG unit is one CSS pixel, so labels keep their size on a phone (13 px) and
// long labels wrap instead of shrinking. Value labels are placed so that none overprints another,
// and a line breaks at a year without a figure rather than joining the years either side. A
// suppressed figure (value null, text "..") keeps its place: no bar or point, ".." at zero.
// Plain SVG attributes only, no inline styles (a strict Content-Security-Policy holds).
type Point = { label: string; series: string; value: number | null; text?: string };

const fallbackPalette = ['#1f4e8c', '#b34700', '#2e7d4f', '#6a3d9a', '#5f6b73', '#8c1c3a'];
/** Label and value text sizes in CSS pixels. */
export const LABEL_PX = 13;
const VALUE_PX = 12;
const LINE_H = 16;
/** A little wider than the average advance of the page's sans-serif, so an estimate never falls short. */
const textWidth = (s: string, px: number) => [...s].length * px * 0.58;

type Encoded = { encoding?: { color?: { scale?: { domain?: string[]; range?: string[] }; value?: string } } };

function colours(spec: Record<string, unknown>, series: string[]): Map<string, string> {
  const layers = (spec.layer as Encoded[]) ?? [];
  const enc = [spec as Encoded, ...layers];
  const scale = enc.map((l) => l.encoding?.color?.scale).find((s) => s?.range);
  const single = enc.map((l) => l.encoding?.color?.value).find(Boolean);
  const out = new Map<string, string>();
  series.forEach((s, i) => {
    const at = scale?.domain?.indexOf(s) ?? -1;
    out.set(s, (at >= 0 ? scale?.range?.[at] : undefined) ?? (series.length === 1 && single ? single : fallbackPalette[i % fallbackPalette.length]));
  });
  return out;
}

function isLine(spec: Record<string, unknown>): boolean {
  const layers = (spec.layer as { mark?: string | { type?: string } }[]) ?? [];
  return layers.some((l) => (typeof l.mark === 'string' ? l.mark : l.mark?.type) === 'line');
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

/** Words wrapped to lines of at most `width` pixels; a word longer than a line is cut with a hyphen. */
export function wrap(text: string, width: number, px = LABEL_PX): string[] {
  const max = Math.max(4, Math.floor(width / (px * 0.58)));
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > max) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(`${word.slice(0, max - 1)}-`);
      word = word.slice(max - 1);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

const fmt = (v: number) => new Intl.NumberFormat('sv-SE').format(v);
/** How a suppressed figure is printed (src/publish/layout.ts SUPPRESSED). */
const SUPPRESSED = '..';
const suppressed = (v: Point) => v.value === null && v.text === SUPPRESSED;

export function SimpleChart({ spec, width }: { spec: Record<string, unknown>; width: number }) {
  const all = (((spec.data as { values?: unknown[] }) ?? {}).values ?? []) as Point[];
  // A suppressed figure or a year without one has no bar or point.
  const values = all.filter((v): v is Point & { value: number } => typeof v.value === 'number');
  const hidden = all.filter(suppressed);
  const named = [...new Set(all.map((v) => String(v.series)))];
  const colour = colours(spec, named);
  // A bar series without a single person (every bar 0) is left out of the drawing; the table has it.
  // One with a suppressed figure stays: the figure may well be more than 0.
  const series = isLine(spec) ? named : named.filter((s) => values.some((v) => String(v.series) === s && v.value > 0) || hidden.some((v) => String(v.series) === s));
  const w = Math.max(240, Math.floor(width));
  const props = { all, values, hidden, series, colour, w };
  return isLine(spec) ? <Lines {...props} /> : <Bars spec={spec} {...props} />;
}

type Props = { all: Point[]; values: (Point & { value: number })[]; hidden: Point[]; series: string[]; colour: Map<string, string>; w: number };

/** The legend: swatches with their names, wrapped onto as many rows as the width needs. */
function legendLayout(series: string[], w: number) {
  const items: { s: string; x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const s of series) {
    const iw = 26 + textWidth(s, LABEL_PX) + 16;
    if (x > 0 && x + iw > w) {
      x = 0;
      row++;
    }
    items.push({ s, x, row });
    x += iw;
  }
  return { items, height: series.length > 1 ? (row + 1) * 22 + 6 : 0 };
}

function Legend({ series, colour, y, w, dashed }: { series: string[]; colour: Map<string, string>; y: number; w: number; dashed?: boolean }) {
  if (series.length < 2) return null;
  const { items } = legendLayout(series, w);
  return (
    <g className="chart-legend">
      {items.map(({ s, x, row }, i) => (
        <g key={s} transform={`translate(${x}, ${y + row * 22})`}>
          {dashed ? (
            <line x1="0" x2="20" y1="8" y2="8" stroke={colour.get(s)} strokeWidth="3" strokeDasharray={i ? `${4 + 2 * i} 3` : undefined} />
          ) : (
            <rect width="14" height="14" y="1" fill={colour.get(s)} />
          )}
          <text x="26" y="13" fontSize={LABEL_PX} fill="#222">
            {s}
          </text>
        </g>
      ))}
    </g>
  );
}

function Bars({ spec, all, values, hidden, series, colour, w }: Props & { spec: Record<string, unknown> }) {
  const sort = ((spec.encoding as { y?: { sort?: unknown } } | undefined)?.y?.sort ?? null) as string[] | null;
  const labels = Array.isArray(sort) ? sort.map(String) : [...new Set(all.map((v) => String(v.label)))];
  // The scale is the figures' alone: a suppressed one adds nothing to it.
  const max = niceMax(Math.max(0, ...values.map((v) => v.value)));
  // Wide: the labels in a column left of the bars; narrow (a phone): each label above its bars.
  const narrow = w < 560;
  const labelW = narrow ? w : Math.min(280, Math.round(w * 0.36));
  const valueRoom = Math.max(...values.map((v) => textWidth(v.text ?? fmt(v.value), VALUE_PX)), 20) + 8;
  const plotX = narrow ? 0 : labelW + 10;
  const plotW = Math.max(60, w - plotX - valueRoom);
  const bar = series.length > 1 ? 16 : 20;
  const x = (v: number) => plotX + (plotW * v) / max;
  let y = 4;
  const rows = labels.map((l) => {
    const lines = wrap(l, labelW - (narrow ? 0 : 6));
    const labelH = lines.length * LINE_H;
    const barsH = series.length * bar;
    const top = y;
    const barsTop = narrow ? top + labelH + 2 : top + Math.max(0, (labelH - barsH) / 2);
    y += (narrow ? labelH + 2 + barsH : Math.max(labelH, barsH)) + 10;
    return { l, lines, top, barsTop, labelH, barsH };
  });
  const plotBottom = y;
  const legend = legendLayout(series, w);
  const height = plotBottom + 22 + legend.height;
  const ticks = [0, max / 2, max];
  return (
    <svg viewBox={`0 0 ${w} ${height}`} width={w} height={height} role="presentation" className="simple-chart">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={2} y2={plotBottom - 6} stroke="#ccc" />
          <text x={x(t)} y={plotBottom + 10} textAnchor={t === 0 ? 'start' : 'middle'} fontSize={LABEL_PX} fill="#222">
            {fmt(t)}
          </text>
        </g>
      ))}
      {rows.map((r) => (
        <g key={r.l} data-label={r.l}>
          <text x={narrow ? 0 : labelW} y={r.top + 12} textAnchor={narrow ? 'start' : 'end'} fontSize={LABEL_PX} fill="#222">
            {r.lines.map((line, i) => (
              <tspan key={i} x={narrow ? 0 : labelW} dy={i ? LINE_H : 0}>
                {line}
              </tspan>
            ))}
          </text>
          {series.map((s, i) => {
            const p = values.find((v) => String(v.label) === r.l && String(v.series) === s);
            // Series are drawn in their own slots, so a bar keeps its place when another is missing.
            const yb = r.barsTop + i * bar;
            if (!p) {
              // A suppressed figure: no bar, ".." where the bar would start.
              if (!hidden.some((v) => String(v.label) === r.l && String(v.series) === s)) return null;
              return (
                <text key={s} x={plotX + 4} y={yb + bar / 2 + 4} fontSize={VALUE_PX} fill="#111" className="suppressed-label" data-series={s}>
                  {SUPPRESSED}
                </text>
              );
            }
            return (
              <g key={s}>
                <rect x={plotX} y={yb + 2} width={Math.max(0, x(p.value) - plotX)} height={bar - 4} fill={colour.get(s)} />
                <text x={x(p.value) + 4} y={yb + bar / 2 + 4} fontSize={VALUE_PX} fill="#111">
                  {p.text ?? fmt(p.value)}
                </text>
              </g>
            );
          })}
        </g>
      ))}
      <Legend series={series} colour={colour} y={plotBottom + 22} w={w} />
    </svg>
  );
}

function Lines({ all, values, hidden, series, colour, w }: Props) {
  const years = [...new Set(all.map((v) => Number(v.label)).filter(Number.isFinite))].sort((a, b) => a - b);
  // Every year from the first to the last has its place, with a figure or without one.
  const span = years.length ? Array.from({ length: years[years.length - 1] - years[0] + 1 }, (_, i) => years[0] + i) : [];
  const max = niceMax(Math.max(0, ...values.map((v) => v.value)));
  const left = Math.max(...[0, max / 2, max].map((t) => textWidth(fmt(t), LABEL_PX))) + 14;
  const pad = 24;
  const top = 22;
  const plotH = w < 560 ? 220 : 260;
  const plotW = w - left - 8;
  const x = (year: number) => left + pad + (span.length <= 1 ? (plotW - 2 * pad) / 2 : ((plotW - 2 * pad) * (year - span[0])) / (span.length - 1));
  const y = (v: number) => top + plotH - (plotH * v) / max;
  const axisY = top + plotH + VALUE_PX + 8 + 20;
  const legend = legendLayout(series, w);
  const height = axisY + 12 + legend.height;
  const at = (s: string, year: number) => values.find((v) => String(v.series) === s && Number(v.label) === year);
  const isHidden = (s: string, year: number) => hidden.some((v) => String(v.series) === s && Number(v.label) === year);

  // Value labels, one year at a time: the highest point's above it, the others below their points,
  // each pushed down until it clears the one above (a label is VALUE_PX high); labels that would run
  // into the years below the plot are pushed back up, so that no label overprints another text.
  // A suppressed figure is labelled ".." in its series' colour as if its value were 0: near the axis.
  const gap = VALUE_PX + 3;
  const lowest = top + plotH + VALUE_PX + 8;
  const labels: { key: string; x: number; y: number; text: string; fill?: string }[] = [];
  for (const year of span) {
    const here = series
      .flatMap((s) => (at(s, year) ? [{ s, value: at(s, year)!.value, text: at(s, year)!.text, fill: undefined as string | undefined }] : isHidden(s, year) ? [{ s, value: 0, text: SUPPRESSED, fill: colour.get(s) }] : []))
      .sort((a, b) => b.value - a.value);
    const ys: number[] = [];
    here.forEach((p, i) => ys.push(Math.max(i === 0 ? y(p.value) - 8 : y(p.value) + 8 + VALUE_PX, i ? ys[i - 1] + gap : -Infinity)));
    for (let i = ys.length - 1; i >= 0; i--) ys[i] = Math.min(ys[i], i === ys.length - 1 ? lowest : ys[i + 1] - gap);
    here.forEach((p, i) => labels.push({ key: `${p.s}-${year}`, x: x(year), y: ys[i], text: p.text ?? fmt(p.value), fill: p.fill }));
  }

  return (
    <svg viewBox={`0 0 ${w} ${height}`} width={w} height={height} role="presentation" className="simple-chart">
      {[0, max / 2, max].map((t) => (
        <g key={t}>
          <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} stroke="#ddd" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize={LABEL_PX} fill="#222">
            {fmt(t)}
          </text>
        </g>
      ))}
      {span.map((year) => (
        <text key={year} x={x(year)} y={axisY} textAnchor="middle" fontSize={LABEL_PX} fill="#222">
          {year}
        </text>
      ))}
      {series.map((s, i) => {
        // Runs of consecutive years with a figure: the line is not drawn across a year without one.
        const runs: number[][] = [];
        let run: number[] = [];
        for (const year of span) {
          if (at(s, year)) run.push(year);
          else if (run.length) {
            runs.push(run);
            run = [];
          }
        }
        if (run.length) runs.push(run);
        return (
          <g key={s} data-series={s}>
            {runs
              .filter((r) => r.length > 1)
              .map((r) => (
                <polyline
                  key={r[0]}
                  fill="none"
                  stroke={colour.get(s)}
                  strokeWidth="2.5"
                  strokeDasharray={i ? `${4 + 2 * i} 3` : undefined}
                  points={r.map((year) => `${x(year)},${y(at(s, year)!.value)}`).join(' ')}
                />
              ))}
            {span.map((year) => {
              const p = at(s, year);
              return p ? <circle key={year} cx={x(year)} cy={y(p.value)} r="4" fill={colour.get(s)} /> : null;
            })}
          </g>
        );
      })}
      {labels.map((l) => (
        <text key={l.key} x={l.x} y={l.y} textAnchor="middle" fontSize={VALUE_PX} fill={l.fill ?? '#111'} className={l.fill ? 'value-label suppressed-label' : 'value-label'}>
          {l.text}
        </text>
      ))}
      <Legend series={series} colour={colour} y={axisY + 12} w={w} dashed />
    </svg>
  );
}
