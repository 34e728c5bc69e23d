// The printed shape of a source report's table, shared by the XLSX and the PDF: one line per row
// code, its count (and percent) per column code of a cross table, with the totals the view carries.
import type { PublishedSourceRow, SourceTableView } from '../../stats/sources/types.ts';
import type { Lang } from '../labels.ts';
import { SUPPRESSED, type Cell } from '../layout.ts';
import { sourceWords } from './labels.ts';

export type ColumnKind = 'label' | 'count' | 'percent';

export type SourceLayout = {
  head: string[];
  /** What each column holds: the row label, a count, or a percent of those who answered. */
  kinds: ColumnKind[];
  body: Cell[][];
  /** The row code of each body line (`total` for the totals line). */
  codes: string[];
  /** Whether the last body line is the totals line. */
  totalRow: boolean;
};

export const TOTAL = 'total';

const key = (code: string, column?: string) => `${code}\u0000${column ?? ''}`;

/** A cell's count as printed: `..` when suppressed. */
export const countCell = (r: PublishedSourceRow | undefined): Cell => (r === undefined ? 0 : r.count === null ? SUPPRESSED : r.count);
/** A cell's percent as printed: `..` when its count is suppressed, empty when there is none. */
export const percentCell = (r: PublishedSourceRow | undefined): Cell => (r === undefined ? null : r.count === null ? SUPPRESSED : r.percent);

export function sourceTableLayout(t: SourceTableView, lang: Lang): SourceLayout {
  const w = sourceWords[lang];
  const cells = new Map<string, PublishedSourceRow>();
  for (const r of [...t.rows, ...(t.totals ?? [])]) cells.set(key(r.code, r.column), r);
  const columns = t.column_codes ?? [];
  const cross = t.column_codes !== null && columns.length > 0;
  // Totals are printed where the view gives them: a column for the rows' totals, a line for the columns'.
  const totals = t.totals ?? [];
  const rowTotals = cross && totals.some((r) => r.column === TOTAL && r.code !== TOTAL);
  const totalLine = totals.some((r) => r.code === TOTAL);
  const head: string[] = [t.row_heading];
  const kinds: ColumnKind[] = ['label'];
  const slots: { column?: string; kind: 'count' | 'percent' }[] = [];
  const addSlot = (label: string, column?: string, percent = t.percent) => {
    head.push(label);
    kinds.push('count');
    slots.push({ column, kind: 'count' });
    if (percent) {
      head.push(cross ? w.percentOf(label) : '%');
      kinds.push('percent');
      slots.push({ column, kind: 'percent' });
    }
  };
  if (cross) {
    for (const c of columns) addSlot(c.label, c.code);
    // The totals' column has a percent column only when the view gives their percents.
    if (rowTotals || (totalLine && totals.some((r) => r.column === TOTAL))) addSlot(w.total, TOTAL, t.percent && totals.some((r) => r.column === TOTAL && r.percent !== null));
  } else {
    addSlot(w.count);
  }
  const line = (code: string, label: string): Cell[] => [
    label,
    ...slots.map((s) => {
      const r = cells.get(key(code, s.column));
      // A total the view does not give is left empty, never printed as 0.
      if (r === undefined && (code === TOTAL || s.column === TOTAL)) return null;
      return s.kind === 'count' ? countCell(r) : percentCell(r);
    }),
  ];
  const body = t.row_codes.map((r) => line(r.code, r.label));
  const codes = t.row_codes.map((r) => r.code);
  if (totalLine) {
    body.push(line(TOTAL, w.total));
    codes.push(TOTAL);
  }
  return { head, kinds, body, codes, totalRow: totalLine };
}
