import type { PublishedReport } from '../stats/report-types.ts';

/** The report as the JSON contract, unchanged. */
export function renderJson(report: PublishedReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
