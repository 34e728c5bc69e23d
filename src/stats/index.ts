// The statistics engine's public surface.
export { buildCube, isCounted, combinationOfMask, type Cube, type StatsCase } from './cube.ts';
export { aggregate, computeTables, percentOf, topWithTies, defaultSettings, trendMeasureNames, type Aggregates, type TrendMeasures } from './tables.ts';
export { runChecks, qualityNotes } from './checks.ts';
export { computeReport, reportFromCube, trendMeasures, trendTable, type ReportInput } from './engine.ts';
export {
  publishedSeriesFromRk2025,
  mergeTrend,
  SeriesFile,
  SeriesRow,
  seriesMeasures,
  type PublishedSeriesRow,
  type SeriesMeasure,
  type SeriesFileData,
  type TrendPoint,
} from './series.ts';
export type * from './report-types.ts';
