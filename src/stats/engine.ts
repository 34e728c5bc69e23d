// The report engine: load the counted cases into a cube, count once, read every table off
// the counts, and add the trend, the consistency checks and the data-quality notes.
import type { Report, ReleaseRef, ReportRow, ReportSettings, ReportTable } from './report-types.ts';
import { buildCube, type Cube, type StatsCase } from './cube.ts';
import { aggregate, defaultSettings, margins, trendFromMargins, type TrendMeasures } from './tables.ts';
import { tablesFromCounts, tableWith } from './catalogue.ts';
import { runChecks, qualityNotes } from './checks.ts';
import type { TrendPoint } from './series.ts';

export type ReportInput = {
  year: number;
  cases: readonly StatsCase[];
  release: ReleaseRef;
  settings?: Partial<ReportSettings>;
  /** The trend points (see mergeTrend); when left out, the trend holds this year's data only. */
  trend?: readonly TrendPoint[];
  demo?: boolean;
  /** The `region` table: internal outputs only, never public ones. */
  includeRegion?: boolean;
};

/** The five trend measures of the year a cube holds. */
export function trendMeasures(cube: Cube, settings: Partial<ReportSettings> = {}): TrendMeasures {
  const s = { ...defaultSettings, ...settings };
  return trendFromMargins(margins(aggregate(cube), s), s);
}

/** The trend table (the catalogue's `years`) from trend points: one row per year and measure, years in order. */
export function trendTable(points: readonly TrendPoint[]): ReportTable {
  const rows: ReportRow[] = [...points]
    .sort((a, b) => a.year - b.year)
    .map((p) => ({ year: p.year, measure: p.measure, source: p.source, count: p.count }));
  // For the trend, "answered" is the number of years with a figure.
  // A 0 from a release is a real figure, so trend keeps zero rows; absent years have no row.
  return { id: tableWith('years'), n_answered: new Set(points.map((p) => p.year)).size, n_missing: 0, rows };
}

/** The whole report of one year: every table, the checks and the data-quality notes. */
export function computeReport(input: ReportInput): Report {
  return reportFromCube(buildCube(input.cases, input.year), input);
}

/** The report from a cube already loaded with the year's counted cases (`input.cases` is not read). */
export function reportFromCube(cube: Cube, input: Omit<ReportInput, 'cases'>): Report {
  const settings: ReportSettings = { ...defaultSettings, ...input.settings };
  const agg = aggregate(cube);
  const tables: ReportTable[] = tablesFromCounts(agg, settings, { includeRegion: input.includeRegion ?? false });
  const ownYear = () => {
    const m = trendFromMargins(margins(agg, settings), settings);
    return Object.entries(m).map(([measure, count]): TrendPoint => ({ year: input.year, measure, count, source: 'release' }));
  };
  tables.push(trendTable(input.trend ?? ownYear()));
  return {
    year: input.year,
    release: input.release,
    settings,
    tables,
    checks: runChecks(tables),
    quality: qualityNotes(agg, settings),
    ...(input.demo ? { demo: true as const } : {}),
  };
}
