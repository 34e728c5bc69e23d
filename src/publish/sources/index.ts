// Every output format of a civil-society or support-programme report, from its view in one language.
import type { SourceReportView } from '../../stats/sources/types.ts';
import { formats, type Format } from '../index.ts';
import { renderSourceCsv } from './csv.ts';
import { renderSourceJson } from './json.ts';
import { renderSourcePdf } from './pdf.ts';
import { renderSourceXlsx } from './xlsx.ts';

/** The formats of a source report (the accessible HTML edition is the annual report's). */
export type SourceFormat = Exclude<Format, 'html'>;

export type RenderedFile = { body: Buffer; contentType: string; extension: string };

export async function renderSourceReport(view: SourceReportView, format: SourceFormat): Promise<RenderedFile> {
  const { contentType, extension } = formats[format];
  switch (format) {
    case 'json':
      return { body: Buffer.from(renderSourceJson(view), 'utf8'), contentType, extension };
    case 'csv':
      return { body: Buffer.from(renderSourceCsv(view), 'utf8'), contentType, extension };
    case 'xlsx':
      return { body: await renderSourceXlsx(view), contentType, extension };
    case 'pdf':
      return { body: await renderSourcePdf(view), contentType, extension };
  }
}

/** A file name for the report, e.g. `2024-civ-1-sv.pdf` (the release id, or source and year for live data). */
export function sourceFileName(view: SourceReportView, format: SourceFormat): string {
  const base = view.release.id ?? `${view.source}-${view.year}`;
  return `${base}-${view.lang}.${formats[format].extension}`;
}

export { renderSourceCsv, renderSourceJson, renderSourcePdf, renderSourceXlsx };
