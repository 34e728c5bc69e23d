// One entry point for every output format of a report.
import type { PublishedReport } from '../stats/report-types.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import type { Lang } from './labels.ts';
import { renderPdf } from './pdf.ts';
import { renderXlsx } from './xlsx.ts';

export type Format = 'json' | 'csv' | 'xlsx' | 'pdf' | 'html';

/**
 * The version of what the renderers write: the files of every format, the chart specs, and the
 * sources' files (src/publish/sources). Stored outputs drawn from a release are keyed by it
 * (src/outputs), so after a change to a renderer the published files are drawn again by the new
 * one rather than served as the old one drew them. Raise it with any change to a renderer's output.
 * The figures themselves (the stored report) are keyed by the release's policy version alone.
 */
export const RENDERER_VERSION = 1;

export const formats: Record<Format, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  // The accessible edition: one self-contained file, downloaded like the others.
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
};

/** The report in a format: text for JSON, CSV and HTML, bytes for XLSX and PDF. */
export async function render(report: PublishedReport, format: Format, lang: Lang = 'sv'): Promise<Buffer | string> {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report, lang);
    case 'xlsx':
      return renderXlsx(report, lang);
    case 'pdf':
      return renderPdf(report, lang);
    case 'html':
      return renderHtml(report, lang);
  }
}

/** A file name for the report, e.g. `rk-statistik-2025.xlsx`. */
export function fileName(report: PublishedReport, format: Format): string {
  return `rk-statistik-${report.year}.${formats[format].extension}`;
}

export { renderCsv, renderHtml, renderJson, renderPdf, renderXlsx };
export { chartSpecs, renderChartSvg } from './charts.ts';
export { codeLabel, rowLabel, tableTitle, heading } from './labels.ts';
export { tableLayout } from './layout.ts';
