// The report's two chart kinds (horizontal bars, grouped by series; lines over years) drawn straight from
// the Vega-Lite spec's inline values and colours. Used where vega cannot run: a Content-Security-Policy
// without 'unsafe-eval' forbids its expression compiler. Plain SVG attributes only, no inline styles.
type Point = { label: string; series: string; value: number; text?: string };

const fallbackPalette = ['#1f4e8c', '#b34700', '#2e7d4f', '#6a3d9a', '#5f6b73', '#8c1c3a'];

function colours(spec: Record<string, unknown>, series: string[]): Map<string, string> {
  const layers = (spec.layer as { encoding?: { color?: { scale?: { domain?: string[]; range?: string[] }; value?: string } } }[]) ?? [];
  const enc = [spec as { encoding?: { color?: { scale?: { domain?: string[]; range?: string[] }; value?: string } } }, ...layers];
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

export function SimpleChart({ spec }: { spec: Record<string, unknown> }) {
  // A suppressed figure has no bar or point (the server leaves it out; a null is skipped all the same).
  const values = ((((spec.data as { values?: unknown[] }) ?? {}).values ?? []) as Point[]).filter((v) => typeof v.value === 'number');
  const sort = ((spec.encoding as { y?: { sort?: unknown } } | undefined)?.y?.sort ?? null) as string[] | null;
  const labels = Array.isArray(sort) ? sort : [...new Set(values.map((v) => String(v.label)))];
  const series = [...new Set(values.map((v) => String(v.series)))];
  const colour = colours(spec, series);
  const max = niceMax(Math.max(0, ...values.map((v) => Number(v.value) || 0)));
  const legend = series.length > 1;
  const legendHeight = legend ? 28 * Math.ceil(series.length / 3) : 0;

  if (isLine(spec)) {
    const width = 640;
    const height = 260;
    const left = 48;
    const pad = 24;
    const plotW = width - left - 24;
    const plotH = height - 48;
    const years = [...new Set(values.map((v) => String(v.label)))].sort();
    const x = (l: string) => left + pad + (years.length === 1 ? (plotW - 2 * pad) / 2 : ((plotW - 2 * pad) * years.indexOf(l)) / (years.length - 1));
    const y = (v: number) => 16 + plotH - (plotH * v) / max;
    return (
      <svg viewBox={`0 0 ${width} ${height + legendHeight}`} width={width} role="presentation" className="simple-chart">
        {[0, max / 2, max].map((t) => (
          <g key={t}>
            <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} stroke="#ddd" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="#222">{t}</text>
          </g>
        ))}
        {years.map((l) => (
          <text key={l} x={x(l)} y={16 + plotH + 18} textAnchor="middle" fontSize="11" fill="#222">{l}</text>
        ))}
        {series.map((s, i) => {
          const pts = values.filter((v) => String(v.series) === s).sort((a, b) => String(a.label).localeCompare(String(b.label)));
          return (
            <g key={s}>
              <polyline fill="none" stroke={colour.get(s)} strokeWidth="2" strokeDasharray={i ? `${4 + 2 * i} 3` : undefined} points={pts.map((p) => `${x(String(p.label))},${y(p.value)}`).join(' ')} />
              {pts.map((p) => (
                <g key={String(p.label)}>
                  <circle cx={x(String(p.label))} cy={y(p.value)} r="3.5" fill={colour.get(s)} />
                  <text x={x(String(p.label))} y={y(p.value) - 7} textAnchor="middle" fontSize="10" fill="#111">{p.text ?? p.value}</text>
                </g>
              ))}
            </g>
          );
        })}
        {legend && <Legend series={series} colour={colour} y={height + 6} />}
      </svg>
    );
  }

  const labelW = 230;
  const plotW = 360;
  const bar = 11;
  const rowH = series.length > 1 ? bar * series.length + 8 : 20;
  const top = 6;
  const height = top + labels.length * rowH + 26;
  const width = labelW + plotW + 50;
  const x = (v: number) => labelW + (plotW * v) / max;
  return (
    <svg viewBox={`0 0 ${width} ${height + legendHeight}`} width={width} role="presentation" className="simple-chart">
      {[0, max / 2, max].map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top} y2={top + labels.length * rowH} stroke="#ddd" />
          <text x={x(t)} y={top + labels.length * rowH + 14} textAnchor="middle" fontSize="11" fill="#222">{t}</text>
        </g>
      ))}
      {labels.map((l, row) => {
        const y0 = top + row * rowH;
        return (
          <g key={l}>
            <text x={labelW - 6} y={y0 + rowH / 2 + 4} textAnchor="end" fontSize="11" fill="#222">{l.length > 38 ? `${l.slice(0, 36)}…` : l}</text>
            {series.map((s, i) => {
              const p = values.find((v) => String(v.label) === l && String(v.series) === s);
              if (!p) return null;
              const yb = series.length > 1 ? y0 + 4 + i * bar : y0 + 3;
              const h = series.length > 1 ? bar - 2 : rowH - 6;
              return (
                <g key={s}>
                  <rect x={labelW} y={yb} width={Math.max(0, x(p.value) - labelW)} height={h} fill={colour.get(s)} />
                  <text x={x(p.value) + 4} y={yb + h / 2 + 4} fontSize="10" fill="#111">{p.text ?? p.value}</text>
                </g>
              );
            })}
          </g>
        );
      })}
      {legend && <Legend series={series} colour={colour} y={height} />}
    </svg>
  );
}

function Legend({ series, colour, y }: { series: string[]; colour: Map<string, string>; y: number }) {
  return (
    <g>
      {series.map((s, i) => (
        <g key={s} transform={`translate(${10 + (i % 3) * 200}, ${y + 28 * Math.floor(i / 3)})`}>
          <rect width="12" height="12" fill={colour.get(s)} />
          <text x="18" y="11" fontSize="11" fill="#222">{s}</text>
        </g>
      ))}
    </g>
  );
}
