import type { Report } from '../stats/report-types.ts';
import type { Lang } from './labels.ts';
export function chartSpecs(_report: Report, _lang: Lang = 'sv'): { id: string; title: string; spec: object }[] {
  return [];
}
export async function renderChartSvg(_spec: object): Promise<string> {
  return '';
}
