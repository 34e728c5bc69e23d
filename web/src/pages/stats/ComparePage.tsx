// Two releases side by side (/statistiker/jamfor?fran=2025-1&till=2025-2): the cases added, removed and
// changed (as links to the case page), and every table cell that moved, grouped by table.
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Field, Heading, Label, Paragraph, Select, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { reportHeading, tableTitle, useCodes } from '../../codes.ts';
import type { Lang } from '../../i18n.ts';
import { formatNumber, PageHeading, useTitle, useUi } from '../../layout.tsx';
import { navigate, statisticianPaths, useLocation } from '../../router.tsx';
import { useLabeller } from '../ReportTables.tsx';
import { Allowed, CaseLinks, useCaseReferences, type Release, type ReleaseComparison } from './common.tsx';

export function ComparePage() {
  return (
    <Allowed abilities={['release.read_internal']}>
      <Compare />
    </Allowed>
  );
}

type Cell = ReleaseComparison['cells'][number];

function Compare() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { announce } = useUi();
  const { search } = useLocation();
  const from = search.get('fran') ?? '';
  const to = search.get('till') ?? '';
  const [releases, setReleases] = useState<Release[] | null>(null);
  const [draft, setDraft] = useState({ from, to });
  const [result, setResult] = useState<ReleaseComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useTitle(from && to ? t('statistician.compare.titlePair', { from, to }) : t('statistician.compare.title'));
  const n = (v: number) => formatNumber(v, lang);

  useEffect(() => {
    api<{ items: Release[] }>('/api/stats/releases').then(
      (d) => {
        setReleases(d.items);
        // Without a choice in the address: the two newest releases, older first.
        setDraft((x) => (x.from || x.to ? x : { from: d.items[1]?.id ?? '', to: d.items[0]?.id ?? '' }));
      },
      (e) => setError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [t]);

  useEffect(() => {
    setDraft({ from, to });
    setResult(null);
    if (!from || !to) return;
    let live = true;
    setBusy(true);
    setError(null);
    api<ReleaseComparison>(`/api/stats/releases/compare?${new URLSearchParams({ from, to })}`)
      .then(
        (c) => {
          if (!live) return;
          setResult(c);
          announce(t('statistician.compare.done', { added: c.added.length, removed: c.removed.length, changed: c.changed.length, cells: c.cells.length }));
        },
        (e) => {
          if (!live) return;
          const text = e instanceof ApiError ? e.message : t('error.load');
          setError(text);
          announce(text);
        },
      )
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from, to]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.from || !draft.to) {
      setError(t('statistician.compare.choose'));
      announce(t('statistician.compare.choose'));
      return;
    }
    navigate(`${statisticianPaths.compare}?${new URLSearchParams({ fran: draft.from, till: draft.to })}`);
  };

  const years = result ? [result.from.year, result.to.year] : [];
  const ids = result ? [...result.added, ...result.removed, ...result.changed] : [];
  const refs = useCaseReferences(years, ids);

  const picker = (key: 'from' | 'to') => (
    <Field>
      <Label htmlFor={`compare-${key}`}>{t(`statistician.compare.${key}`)}</Label>
      <Select id={`compare-${key}`} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}>
        <Select.Option value="">{t('form.choose')}</Select.Option>
        {(releases ?? []).map((r) => (
          <Select.Option key={r.id} value={r.id}>
            {`${r.id} – ${t(`stats.kind.${r.kind}`)}, ${n(r.case_count)} ${t('statistician.releases.cases').toLowerCase()}${r.published ? `, ${t('statistician.releases.published').toLowerCase()}` : ''}`}
          </Select.Option>
        ))}
      </Select>
    </Field>
  );

  return (
    <>
      <PageHeading>{from && to ? t('statistician.compare.titlePair', { from, to }) : t('statistician.compare.title')}</PageHeading>
      <Paragraph>{t('statistician.compare.lead')}</Paragraph>
      <form className="inline-form" onSubmit={submit}>
        {picker('from')}
        {picker('to')}
        <Button type="submit" variant="secondary">
          {t('statistician.compare.submit')}
        </Button>
      </form>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {busy && <Spinner aria-label={t('loading')} data-size="md" />}
      {result && (
        <>
          <section aria-labelledby="h-cases">
            <Heading level={2} data-size="md" id="h-cases">
              {t('statistician.compare.cases')}
            </Heading>
            <ul className="key-figures" data-testid="compare-counts">
              {(['added', 'removed', 'changed'] as const).map((k) => (
                <li className="key-figure" key={k} data-count={k}>
                  <span className="value">{n(result[k].length)}</span>
                  <span className="what">{t(`statistician.compare.${k}`)}</span>
                </li>
              ))}
            </ul>
            {(['changed', 'added', 'removed'] as const)
              .filter((k) => result[k].length > 0)
              .map((k) => (
                <div key={k} data-testid={`compare-${k}`}>
                  <Heading level={3} data-size="2xs">
                    {t(`statistician.compare.${k}List`)}
                  </Heading>
                  <CaseLinks ids={result[k]} refs={refs} label={t(`statistician.compare.${k}List`)} />
                </div>
              ))}
          </section>
          <section aria-labelledby="h-cells" data-testid="compare-cells">
            <Heading level={2} data-size="md" id="h-cells">
              {t('statistician.compare.cells')}
            </Heading>
            <Paragraph data-testid="cells-summary">
              {result.cells.length === 0 ? t('statistician.compare.noCells') : t('statistician.compare.cellCount', { count: result.cells.length })}
            </Paragraph>
            <CellTables cells={result.cells} from={result.from.id} to={result.to.id} />
          </section>
        </>
      )}
    </>
  );
}

function CellTables({ cells, from, to }: { cells: Cell[]; from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const codes = useCodes();
  const label = useLabeller(codes);
  // The catalogue's table order, so the moved cells read like the report.
  const order = (codes?.report?.tables ?? []).map((x) => x.id);
  const orderOf = (table: string) => (order.includes(table) ? order.indexOf(table) : order.length);
  const byTable = new Map<string, Cell[]>();
  for (const c of [...cells].sort((a, b) => orderOf(a.table) - orderOf(b.table))) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const describe = (key: Cell['key']) => {
    // A row of the totals names its dimension and code.
    if ('dimension' in key) return key.dimension === 'all' ? label('all', 'all') : `${label('dimension', key.dimension)}: ${label(String(key.dimension), key.code)}`;
    return Object.entries(key)
      .map(([k, v]) => `${reportHeading(codes, k, lang as Lang)}: ${label(k, v)}`)
      .join(', ');
  };
  const signed = (d: number) => `${d > 0 ? '+' : d < 0 ? '−' : ''}${formatNumber(Math.abs(d), lang)}`;
  return (
    <>
      {[...byTable].map(([table, rows]) => (
        <div className="report-table" key={table} data-table={table}>
          <h3 className="ds-heading" data-size="2xs" id={`cells-${table}`}>
            {tableTitle(codes, table, lang as Lang)}
          </h3>
          <div className="table-wrap" role="region" aria-labelledby={`cells-${table}`} tabIndex={0}>
            <Table zebra data-size="sm">
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col">{t('statistician.compare.cell')}</Table.HeaderCell>
                  <Table.HeaderCell scope="col" className="num">
                    {from}
                  </Table.HeaderCell>
                  <Table.HeaderCell scope="col" className="num">
                    {to}
                  </Table.HeaderCell>
                  <Table.HeaderCell scope="col" className="num">
                    {t('statistician.compare.change')}
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((c, i) => (
                  <Table.Row key={i}>
                    <Table.HeaderCell scope="row">{describe(c.key)}</Table.HeaderCell>
                    <Table.Cell className="num">{formatNumber(c.from, lang)}</Table.Cell>
                    <Table.Cell className="num">{formatNumber(c.to, lang)}</Table.Cell>
                    <Table.Cell className="num">{signed(c.to - c.from)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        </div>
      ))}
    </>
  );
}
