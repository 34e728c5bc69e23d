// Long format: one line per published cell (totals included), as the coordinators' CSV: UTF-8 with
// a byte-order mark, CRLF. A suppressed cell has an empty count and percent; `status` says why.
import { stringify } from 'csv-stringify/sync';
import type { PublishedSourceRow, SourceReportView, SourceTableView } from '../../stats/sources/types.ts';
import { sourceWords } from './labels.ts';
import { TOTAL } from './layout.ts';

const BOM = '\uFEFF';

export const csvHeader = [
  'table_number',
  'table_id',
  'row_code',
  'row_label',
  'column_code',
  'column_label',
  'count',
  'percent',
  'status',
  'n_answered',
  'n_missing',
] as const;

function lines(t: SourceTableView, lang: SourceReportView['lang']): (string | number)[][] {
  const total = sourceWords[lang].total;
  const rowLabels = new Map(t.row_codes.map((c) => [c.code, c.label]));
  const columnLabels = new Map((t.column_codes ?? []).map((c) => [c.code, c.label]));
  const label = (labels: Map<string, string>, code: string) => labels.get(code) ?? (code === TOTAL ? total : code);
  const line = (r: PublishedSourceRow) => [
    t.number,
    t.id,
    r.code,
    label(rowLabels, r.code),
    r.column ?? '',
    r.column === undefined ? '' : label(columnLabels, r.column),
    r.count ?? '',
    r.count === null ? '' : (r.percent ?? ''),
    r.status,
    t.n_answered ?? '',
    t.n_missing ?? '',
  ];
  return [...t.rows, ...(t.totals ?? [])].map(line);
}

export function renderSourceCsv(view: SourceReportView): string {
  const body = [...view.tables].sort((a, b) => a.number - b.number).flatMap((t) => lines(t, view.lang));
  return BOM + stringify([[...csvHeader], ...body], { record_delimiter: '\r\n' });
}
