// Every report table as an HTML table: two-dimensional tables are cross-tabulated with totals,
// and every table states how many persons answered its question.
import { Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Codes } from '../codes.ts';
import { dimensionLabel } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber } from '../layout.tsx';
import { valueKeys, type ReportRow, type ReportTable } from '../report.ts';

const listOfDimension: Record<string, string> = { group: 'person_group', category: 'category', sex: 'sex', crime_type: 'crime_type', age_band: 'child_age_band', location: 'child_location', region: 'region', industry: 'industry' };

export function useLabeller(codes: Codes | null) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const own = (key: string) => {
    const [dim, code] = key.split('.');
    if (dim === 'measure' || dim === 'dimension') return t(`stats.${dim}.${code}`);
    if (dim === 'code' && code === 'all') return t('stats.dimension.all');
    return undefined;
  };
  return (dimension: string, code: string | number) => dimensionLabel(codes, dimension, code, lang, own);
}

function ordered(values: string[], dimension: string, codes: Codes | null): string[] {
  const list = codes?.lists[listOfDimension[dimension]];
  if (!list) return values;
  const index = (v: string) => {
    const i = list.findIndex((c) => c.code === v);
    return i < 0 ? 999 : i;
  };
  return [...values].sort((a, b) => index(a) - index(b));
}

const distinct = (rows: ReportRow[], key: string) => [...new Set(rows.map((r) => String(r[key])))];
const cell = (n: number | undefined, lang: string) => (typeof n === 'number' ? formatNumber(n, lang) : '..');

export function ReportTableView({ table, codes, caption, headingLevel = 3 }: { table: ReportTable; codes: Codes | null; caption?: string; headingLevel?: 3 | 4 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const label = useLabeller(codes);
  const title = caption ?? t(`stats.table.${table.id}`);
  const id = `table-${table.id}`;
  const keys = table.rows.length ? Object.keys(table.rows[0]).filter((k) => !valueKeys.has(k)) : [];
  const hasPercent = table.rows.some((r) => typeof r.percent === 'number');
  const H = `h${headingLevel}` as 'h3' | 'h4';

  let body: React.ReactNode;
  if (table.id === 'trend') body = <TrendTable rows={table.rows} t={t} lang={lang} />;
  else if (keys.length === 2 && table.id !== 'totals') body = <CrossTable rows={table.rows} keys={keys as [string, string]} codes={codes} label={label} t={t} lang={lang} />;
  else
    body = (
      <Table zebra data-size="sm">
        <Table.Head>
          <Table.Row>
            {keys.map((k) => (
              <Table.HeaderCell key={k} scope="col">
                {t(`stats.heading.${k}`)}
              </Table.HeaderCell>
            ))}
            <Table.HeaderCell scope="col" className="num">
              {t('stats.heading.count')}
            </Table.HeaderCell>
            {hasPercent && (
              <Table.HeaderCell scope="col" className="num">
                {t('stats.heading.percent')}
              </Table.HeaderCell>
            )}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {table.rows.map((r, i) => (
            <Table.Row key={i}>
              {keys.map((k, j) =>
                j === keys.length - 1 ? (
                  <Table.HeaderCell key={k} scope="row">
                    {label(k === 'code' ? String(r.dimension) : k, r[k])}
                  </Table.HeaderCell>
                ) : (
                  <Table.Cell key={k}>{k === 'dimension' ? t(`stats.dimension.${r[k]}`) : label(k, r[k])}</Table.Cell>
                ),
              )}
              <Table.Cell className="num">{cell(r.count, lang)}</Table.Cell>
              {hasPercent && <Table.Cell className="num">{typeof r.percent === 'number' ? r.percent : ''}</Table.Cell>}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    );

  return (
    <div className="report-table" data-table={table.id}>
      <H id={id} className="ds-heading" data-size="2xs">
        {title}
      </H>
      <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
        {body}
      </div>
      <p className="table-note">{t('stats.answered', { n: formatNumber(table.n_answered, lang), m: formatNumber(table.n_missing, lang) })}</p>
    </div>
  );
}

function CrossTable({ rows, keys, codes, label, t, lang }: { rows: ReportRow[]; keys: [string, string]; codes: Codes | null; label: (d: string, c: string | number) => string; t: TFunction; lang: string }) {
  const [rk, ck] = keys;
  const rowValues = distinct(rows, rk);
  const colValues = ordered(distinct(rows, ck), ck, codes);
  const value = (r: string, c: string) => rows.filter((x) => String(x[rk]) === r && String(x[ck]) === c).reduce((s, x) => s + (x.count ?? 0), 0);
  const rowTotal = (r: string) => colValues.reduce((s, c) => s + value(r, c), 0);
  const colTotal = (c: string) => rowValues.reduce((s, r) => s + value(r, c), 0);
  return (
    <Table zebra data-size="sm">
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell scope="col">{t(`stats.heading.${rk}`)}</Table.HeaderCell>
          {colValues.map((c) => (
            <Table.HeaderCell key={c} scope="col" className="num">
              {label(ck, c)}
            </Table.HeaderCell>
          ))}
          <Table.HeaderCell scope="col" className="num">
            {t('stats.total_')}
          </Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {rowValues.map((r) => (
          <Table.Row key={r}>
            <Table.HeaderCell scope="row">{label(rk, r)}</Table.HeaderCell>
            {colValues.map((c) => (
              <Table.Cell key={c} className="num">
                {formatNumber(value(r, c), lang)}
              </Table.Cell>
            ))}
            <Table.Cell className="num">{formatNumber(rowTotal(r), lang)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
      <Table.Foot>
        <Table.Row>
          <Table.HeaderCell scope="row">{t('stats.total_')}</Table.HeaderCell>
          {colValues.map((c) => (
            <Table.Cell key={c} className="num">
              {formatNumber(colTotal(c), lang)}
            </Table.Cell>
          ))}
          <Table.Cell className="num">{formatNumber(rowValues.reduce((s, r) => s + rowTotal(r), 0), lang)}</Table.Cell>
        </Table.Row>
      </Table.Foot>
    </Table>
  );
}

const measures = ['total', 'adults', 'children', 'labour', 'sexual'];

/** Year × measure; figures taken from printed reports carry an asterisk. */
export function TrendTable({ rows, t, lang }: { rows: ReportRow[]; t: TFunction; lang: string }) {
  const years = [...new Set(rows.map((r) => Number(r.year)))].sort((a, b) => a - b);
  const present = measures.filter((m) => rows.some((r) => r.measure === m));
  return (
    <Table zebra data-size="sm">
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell scope="col">{t('stats.heading.year')}</Table.HeaderCell>
          {present.map((m) => (
            <Table.HeaderCell key={m} scope="col" className="num">
              {t(`stats.measure.${m}`)}
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
                  {r ? `${formatNumber(r.count, lang)}${r.source === 'published' ? '*' : ''}` : ''}
                </Table.Cell>
              );
            })}
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}
