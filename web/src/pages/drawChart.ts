// vega and vega-lite, in their own chunk: loaded only for charts the server did not draw.
// Vega compiles expressions with `Function`, which a Content-Security-Policy without 'unsafe-eval'
// forbids; the caller then shows the chart's table instead.
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

/** The server's spec as it is, except the title (the figure caption shows it) and the page's font. */
export async function toSvg(spec: Record<string, unknown>, font: string): Promise<string> {
  const config = { ...((spec.config as Record<string, unknown>) ?? {}), font };
  const { title: _title, ...rest } = spec;
  const view = new View(parse(compile({ ...rest, config } as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
