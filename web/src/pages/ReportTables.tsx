// Every report table as an HTML table: two-dimensional tables are cross-tabulated with totals,
// and every table states how many persons answered its question. In the protected form a suppressed
// figure (null) prints as ".." and the table says why underneath.
import { Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { Codes } from '../codes.ts';
import { dimensionLabel, inDimensionOrder, reportHeading, tableSpec, tableTitle } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, Hyphenated } from '../layout.tsx';
import { hasSuppressed, printedTotal, SUPPRESSED, valueKeys, type ReportRow, type ReportTable } from '../report.ts';

/** Labels report codes through the catalogue of /api/codes. */
export function useLabeller(codes: Codes | null) {
  const { i18n } = useTranslation();
  const lang = i18n.language as Lang;
  // A dimension code is never null in a report row; the published row's type allows it.
  return (dimension: string, code: string | number | null) => (code === null ? '' : dimensionLabel(codes, dimension, code, lang));
}

const distinct = (rows: ReportRow[], key: string) => [...new Set(rows.map((r) => String(r[key])))];
/** A printed figure: ".." when suppressed (null), nothing when the row has none (undefined). */
export const figure = (n: number | null | undefined, lang: string) => (n === null ? SUPPRESSED : n === undefined ? '' : formatNumber(n, lang));

export function ReportTableView({ table, codes, caption, headingLevel = 3 }: { table: ReportTable; codes: Codes | null; caption?: string; headingLevel?: 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const label = useLabeller(codes);
  const heading = (key: string) => reportHeading(codes, key, lang as Lang);
  const spec = tableSpec(codes, table.id);
  const title = caption ?? tableTitle(codes, table.id, lang as Lang);
  const id = `table-${table.id}`;
  const keys = table.rows.length ? Object.keys(table.rows[0]).filter((k) => !valueKeys.has(k)) : [];
  const hasPercent = table.rows.some((r) => typeof r.percent === 'number');
  const H = `h${headingLevel}` as 'h3' | 'h4';
  // The persons found through a workplace inspection, one row per form: the table ends with their total.
  const withTotal = spec?.role === 'inspections' && keys.length === 1;

  let body: React.ReactNode;
  if (spec?.unit === 'year') body = <TrendTable rows={table.rows} codes={codes} lang={lang} />;
  else if (spec?.column && spec.rows.length === 1)
    body = <CrossTable table={table} keys={[spec.rows[0], spec.column]} codes={codes} label={label} heading={heading} lang={lang} />;
  else
    body = (
      <Table zebra data-size="sm">
        <Table.Head>
          <Table.Row>
            {keys.map((k) => (
              <Table.HeaderCell key={k} scope="col">
                {heading(k)}
              </Table.HeaderCell>
            ))}
            <Table.HeaderCell scope="col" className="num">
              {heading('count')}
            </Table.HeaderCell>
            {hasPercent && (
              <Table.HeaderCell scope="col" className="num">
                {heading('percent')}
              </Table.HeaderCell>
            )}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {table.rows.map((r, i) => (
            <Table.Row key={i}>
              {/* Every person (dimension `all`, code `all`): one row header across both columns, no code shown. */}
              {keys.length === 2 && keys[0] === 'dimension' && r.dimension === 'all' ? (
                <Table.HeaderCell scope="row" colSpan={2}>
                  {label('dimension', 'all')}
                </Table.HeaderCell>
              ) : keys.map((k, j) =>
                j === keys.length - 1 ? (
                  <Table.HeaderCell key={k} scope="row">
                    {label(k === 'code' ? String(r.dimension) : k, r[k])}
                  </Table.HeaderCell>
                ) : (
                  <Table.Cell key={k}>{k === 'dimension' ? label('dimension', r[k]) : label(k, r[k])}</Table.Cell>
                ),
              )}
              <Table.Cell className="num">{figure(r.count, lang)}</Table.Cell>
              {hasPercent && <Table.Cell className="num">{r.count === null ? SUPPRESSED : figure(r.percent, lang)}</Table.Cell>}
            </Table.Row>
          ))}
        </Table.Body>
        {withTotal && (
          <Table.Foot>
            <Table.Row>
              <Table.HeaderCell scope="row">{heading('total')}</Table.HeaderCell>
              {/* The sum of the rows; ".." when one of them is suppressed (the rest would give it away). */}
              <Table.Cell className="num" data-testid="table-total">
                {figure(table.rows.some((r) => r.count === null) ? null : table.rows.reduce((a, r) => a + (r.count ?? 0), 0), lang)}
              </Table.Cell>
              {hasPercent && <Table.Cell />}
            </Table.Row>
          </Table.Foot>
        )}
      </Table>
    );

  return (
    // A short table is printed whole on one page (print stylesheet), a long one may run on.
    <div className={`report-table${table.rows.length <= 24 ? ' keep-together' : ''}`} data-table={table.id}>
      <H id={id} className="ds-heading" data-size="2xs">
        <Hyphenated text={title} />
      </H>
      <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
        {body}
      </div>
      {spec?.unit !== 'year' && <p className="table-note">{t('stats.answered', { n: figure(table.n_answered, lang), m: figure(table.n_missing, lang) })}</p>}
      {hasSuppressed(table) && (
        <p className="table-note" data-testid="suppressed-note">
          {t('stats.suppressed')}
        </p>
      )}
    </div>
  );
}

function CrossTable({
  table,
  keys,
  codes,
  label,
  heading,
  lang,
}: {
  table: ReportTable;
  keys: [string, string];
  codes: Codes | null;
  label: (d: string, c: string | number) => string;
  heading: (key: string) => string;
  lang: string;
}) {
  const [rk, ck] = keys;
  const rows = table.rows;
  const rowValues = distinct(rows, rk);
  const colValues = inDimensionOrder(codes, ck, distinct(rows, ck));
  // A cell the table does not list is 0; a suppressed one is null.
  const value = (r: string, c: string) => {
    const hit = rows.find((x) => String(x[rk]) === r && String(x[ck]) === c);
    return hit ? hit.count : 0;
  };
  // The protected form carries its totals (a sum of printed cells would be wrong where one is
  // suppressed); the exact form's are summed here.
  // Without printed totals a sum over a suppressed cell is not known: "..", never the sum of the rest.
  const sum = (values: (number | null)[]) => (values.includes(null) ? null : values.reduce<number>((s, v) => s + (v as number), 0));
  // Not `??`: a suppressed printed total is null and must stay "..".
  const total = (key: Record<string, string>, summed: () => number | null) => {
    const printed = printedTotal(table, key);
    return printed === undefined ? summed() : printed;
  };
  const rowTotal = (r: string) => total({ [rk]: r }, () => sum(colValues.map((c) => value(r, c))));
  const colTotal = (c: string) => total({ [ck]: c }, () => sum(rowValues.map((r) => value(r, c))));
  const grandTotal = total({}, () => sum(rowValues.map(rowTotal)));
  return (
    <Table zebra data-size="sm">
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell scope="col">{heading(rk)}</Table.HeaderCell>
          {colValues.map((c) => (
            <Table.HeaderCell key={c} scope="col" className="num">
              {label(ck, c)}
            </Table.HeaderCell>
          ))}
          <Table.HeaderCell scope="col" className="num">
            {heading('total')}
          </Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {rowValues.map((r) => (
          <Table.Row key={r}>
            <Table.HeaderCell scope="row">{label(rk, r)}</Table.HeaderCell>
            {colValues.map((c) => (
              <Table.Cell key={c} className="num">
                {figure(value(r, c), lang)}
              </Table.Cell>
            ))}
            <Table.Cell className="num">{figure(rowTotal(r), lang)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
      <Table.Foot>
        <Table.Row>
          <Table.HeaderCell scope="row">{heading('total')}</Table.HeaderCell>
          {colValues.map((c) => (
            <Table.Cell key={c} className="num">
              {figure(colTotal(c), lang)}
            </Table.Cell>
          ))}
          <Table.Cell className="num">{figure(grandTotal, lang)}</Table.Cell>
        </Table.Row>
      </Table.Foot>
    </Table>
  );
}

/** Year × measure; figures taken from printed reports carry an asterisk. */
export function TrendTable({ rows, codes, lang }: { rows: ReportRow[]; codes: Codes | null; lang: string }) {
  const years = [...new Set(rows.map((r) => Number(r.year)))].sort((a, b) => a - b);
  const present = inDimensionOrder(codes, 'measure', distinct(rows, 'measure'));
  return (
    <Table zebra data-size="sm">
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell scope="col">{reportHeading(codes, 'year', lang as Lang)}</Table.HeaderCell>
          {present.map((m) => (
            <Table.HeaderCell key={m} scope="col" className="num">
              {dimensionLabel(codes, 'measure', m, lang as Lang)}
            </Table.HeaderCell>
          ))}
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {years.map((y) => (
          <Table.Row key={y}>
            <Table.HeaderCell scope="row">{y}</Table.HeaderCell>
            {present.map((m) => {
              const r = rows.find((x) => Number(x.year) === y && x.measure === m);
              return (
                <Table.Cell key={m} className="num">
                  {r ? `${figure(r.count, lang)}${r.source === 'published' ? '*' : ''}` : ''}
                </Table.Cell>
              );
            })}
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}
