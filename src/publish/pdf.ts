import type { Report } from '../stats/report-types.ts';
import type { Lang } from './labels.ts';
export async function renderPdf(_report: Report, _lang: Lang = 'sv'): Promise<Buffer> {
  throw new Error('not yet');
}
