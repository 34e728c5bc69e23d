// The printed series for years before the system held the data, each figure with the document
// and table it was printed in, and the merge of release figures with printed ones for `trend`.
import { z } from 'zod';

/** Measures a series may carry. `women`/`men` are adults including unknown age, as printed. */
export const seriesMeasures = ['total', 'adults', 'labour', 'sexual', 'children', 'related_children', 'women', 'men'] as const;
export type SeriesMeasure = (typeof seriesMeasures)[number];

export type PublishedSeriesRow = { year: number; measure: SeriesMeasure; value: number; source_document: string; source_table: string };

/** One figure of `trend`: from a frozen release of the year, or from the printed series. */
export type TrendPoint = { year: number; measure: string; count: number; source: 'release' | 'published' };

/**
 * The series file that `lagesbild series import FILE` reads (JSON, UTF-8):
 * ```
 * { "format": "lagesbild-series/1",
 *   "rows": [ { "year": 2021, "measure": "total", "value": 490,
 *               "source_document": "jamy-rapport-2024-3.txt", "source_table": "Tabell 1" } ] }
 * ```
 * `measure` is one of `seriesMeasures`; each (year, measure) appears once; a year without a
 * printed figure is left out, never written as 0.
 */
export const SeriesRow = z.object({
  year: z.number().int().min(2000).max(2100),
  measure: z.enum(seriesMeasures),
  value: z.number().int().min(0),
  source_document: z.string().min(1).max(200),
  source_table: z.string().min(1).max(200),
});
export const SeriesFile = z
  .object({ format: z.literal('lagesbild-series/1'), rows: z.array(SeriesRow) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rows.forEach((r, i) => {
      const key = `${r.year}/${r.measure}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['rows', i], message: `${key} appears twice` });
      seen.add(key);
    });
  });
export type SeriesFileData = z.output<typeof SeriesFile>;

// Where each printed figure of rk-2025.json's `trend_published` appears in the seeds.
const printedIn: { measures: SeriesMeasure[]; from: number; to: number; document: string; table: string }[] = [
  { measures: ['adults'], from: 2018, to: 2021, document: 'rk-kanda-fall-2021.txt', table: 'Stor ökning inom människoexploatering (text)' },
  { measures: ['related_children'], from: 2021, to: 2021, document: 'rk-kanda-fall-2021.txt', table: 'Närstående barn (text)' },
  { measures: ['total', 'labour', 'sexual'], from: 2021, to: 2023, document: 'jamy-rapport-2024-3.txt', table: 'Tabell 1' },
  { measures: ['children', 'women', 'men'], from: 2021, to: 2023, document: 'jamy-rapport-2024-3.txt', table: 'Tabell 2' },
  { measures: ['total'], from: 2025, to: 2025, document: 'rk-statistik-2025.txt', table: 'Sammanfattning' },
  { measures: ['labour', 'sexual'], from: 2024, to: 2025, document: 'rk-statistik-2025.txt', table: 'Markant ökning av arbetskraftsexploatering och minskning av sexuell exploatering (text)' },
  { measures: ['children'], from: 2024, to: 2025, document: 'rk-statistik-2025.txt', table: 'Identifiering av utsatta barn fortsätter minska (text)' },
  { measures: ['related_children'], from: 2023, to: 2025, document: 'rk-statistik-2025.txt', table: 'Fler barn till utsatta uppmärksammas (text)' },
];

const rk2025Measures: Record<string, SeriesMeasure> = {
  adults_total: 'adults',
  total: 'total',
  sexual: 'sexual',
  labour: 'labour',
  children: 'children',
  related_children: 'related_children',
  women_adult_incl_age_unknown: 'women',
  men_adult_incl_age_unknown: 'men',
};

type Rk2025Json = { trend_published: Record<string, unknown> & { sources?: Record<string, string> } };

/** The printed series of `data/published/rk-2025.json` as rows with their source document and table. */
export function publishedSeriesFromRk2025(json: Rk2025Json): PublishedSeriesRow[] {
  const tp = json.trend_published;
  const ranges = Object.entries(tp.sources ?? {}).map(([span, document]) => {
    const [from, to] = span.split('-').map(Number);
    return { from, to: to ?? from, document };
  });
  const rows: PublishedSeriesRow[] = [];
  for (const [key, measure] of Object.entries(rk2025Measures)) {
    const series = tp[key] as Record<string, number> | undefined;
    for (const [y, value] of Object.entries(series ?? {})) {
      const year = Number(y);
      const known = printedIn.find((p) => p.measures.includes(measure) && year >= p.from && year <= p.to);
      const fallback = ranges.find((r) => year >= r.from && year <= r.to);
      rows.push({
        year,
        measure,
        value,
        source_document: known?.document ?? fallback?.document.split(' ')[0] ?? 'rk-2025.json',
        source_table: known?.table ?? 'trend_published',
      });
    }
  }
  return SeriesFile.parse({ format: 'lagesbild-series/1', rows: sortSeries(rows) }).rows;
}

const measureOrder = (m: string) => {
  const i = (seriesMeasures as readonly string[]).indexOf(m);
  return i < 0 ? seriesMeasures.length : i;
};
function sortSeries<T extends { year: number; measure: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => a.year - b.year || measureOrder(a.measure) - measureOrder(b.measure) || (a.measure < b.measure ? -1 : 1));
}

/**
 * The trend points: every measure of a year with a release comes from that release; a year
 * without one comes from the printed series. A year with neither is absent, not 0.
 */
export function mergeTrend(
  releaseYears: ReadonlyMap<number, Readonly<Partial<Record<string, number>>>>,
  publishedRows: readonly { year: number; measure: string; value: number }[],
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const [year, measures] of releaseYears)
    for (const [measure, count] of Object.entries(measures)) if (count !== undefined) points.push({ year, measure, count, source: 'release' });
  for (const r of publishedRows) if (!releaseYears.has(r.year)) points.push({ year: r.year, measure: r.measure, count: r.value, source: 'published' });
  return sortSeries(points);
}
