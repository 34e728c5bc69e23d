// Long format: one line per interior cell, with each dimension as key, code and label.
import { stringify } from 'csv-stringify/sync';
import type { PublishedReport } from '../stats/report-types.ts';
import { dimensionKeys, rowLabel, tableTitle, type Lang } from './labels.ts';
import { SUPPRESSED } from './layout.ts';

const BOM = '\uFEFF';

export function renderCsv(report: PublishedReport, lang: Lang = 'sv'): string {
  const rows = report.tables.flatMap((table) => table.rows.map((row) => ({ table, row })));
  const width = Math.max(1, ...rows.map(({ row }) => dimensionKeys(row).length));
  const hasStatus = rows.some(({ row }) => row.status !== undefined);
  const header = ['table', 'title'];
  for (let i = 1; i <= width; i++) header.push(`dimension_${i}`, `code_${i}`, `label_${i}`);
  header.push('count', 'percent', ...(hasStatus ? ['status'] : []));
  const lines = rows.map(({ table, row }) => {
    const keys = dimensionKeys(row);
    const dims: (string | number)[] = [];
    for (let i = 0; i < width; i++) {
      const key = keys[i];
      dims.push(...(key === undefined ? ['', '', ''] : [key, row[key] ?? '', rowLabel(row, key, lang)]));
    }
    // A suppressed figure is "..", as in every other format; `status` says why.
    return [table.id, tableTitle(table.id, lang), ...dims, row.count ?? SUPPRESSED, row.count === null ? SUPPRESSED : (row.percent ?? ''), ...(hasStatus ? [row.status ?? ''] : [])];
  });
  return BOM + stringify([header, ...lines], { record_delimiter: '\r\n' });
}
