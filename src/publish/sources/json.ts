import type { SourceReportView } from '../../stats/sources/types.ts';

/** The report as the API's view (GET /api/stats/source-report), unchanged. */
export function renderSourceJson(view: SourceReportView): string {
  return JSON.stringify(view, null, 2) + '\n';
}
