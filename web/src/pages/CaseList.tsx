// The case list: filters, sorting and page kept in the address (so a list can be bookmarked), search
// by any part of a reference, numbered pages, and the export of the list as filtered. On a phone the
// filters other than the search fold behind one button, so the results come first.
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { CaseList as CaseListPage } from '../../../src/contract/index.ts';
import { api, ApiError } from '../api.ts';
import { codeLabel, useCodes } from '../codes.ts';
import { SelectField, TextField } from '../fields.tsx';
import type { Lang } from '../i18n.ts';
import { formatNumber, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, navigate, useLocation } from '../router.tsx';
import { pageWindow, parseSort, type SortKey } from './caseListModel.ts';

type Page = CaseListPage;

const filterKeys = ['year', 'region', 'category', 'sex', 'age_group', 'nationality', 'status', 'reference'] as const;
/** The filters folded on a phone: all but the reference search. */
const foldedKeys = filterKeys.filter((k) => k !== 'reference');
const pageSize = 25;
const sortable: readonly SortKey[] = ['reference', 'identified_on', 'updated_at', 'status'];

function categoryOf(forms: string[]) {
  const d = [...new Set(forms)];
  return d.length === 0 ? 'unknown' : d.length === 1 ? d[0] : 'multiple';
}

export function CaseList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { announce } = useUi();
  const { search } = useLocation();
  useTitle(t('cases.title'));
  const current = Object.fromEntries(filterKeys.map((k) => [k, search.get(k) ?? ''])) as Record<(typeof filterKeys)[number], string>;
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const sort = parseSort(search.get('sort'));
  const [draft, setDraft] = useState(current);
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const query = search.toString();

  /** The list's filters as the API takes them (the export takes the same). */
  const apiFilters = () => {
    const q = new URLSearchParams();
    for (const k of filterKeys) if (search.get(k)) q.set(k, k === 'nationality' ? search.get(k)!.toUpperCase() : search.get(k)!);
    return q;
  };

  useEffect(() => {
    setDraft(Object.fromEntries(filterKeys.map((k) => [k, search.get(k) ?? ''])) as typeof current);
    const q = apiFilters();
    if (sort) q.set('sort', `${sort.dir === 'desc' ? '-' : ''}${sort.key}`);
    q.set('page', String(page));
    q.set('pageSize', String(pageSize));
    setData(null);
    setError(null);
    api<Page>(`/api/cases?${q}`).then(
      (d) => {
        setData(d);
        announce(t('cases.count', { count: d.total }));
      },
      (e) => setError(e instanceof ApiError ? e.message : t('error.load')),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const go = (values: Record<string, string>, p = 1, s = search.get('sort') ?? '') => {
    const q = new URLSearchParams();
    for (const k of filterKeys) if (values[k]?.trim()) q.set(k, values[k].trim());
    if (s) q.set('sort', s);
    if (p > 1) q.set('page', String(p));
    navigate(`/arenden${q.toString() ? `?${q}` : ''}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(draft);
  };
  /** A column's header toggles its order: ascending first, then descending; a new sort starts on page 1. */
  const sortBy = (key: SortKey) => go(current, 1, sort?.key === key && sort.dir === 'asc' ? `-${key}` : key);
  const L = (n: string) => codes?.lists[n] ?? [];
  const years = Array.from({ length: new Date().getFullYear() - 2017 }, (_, i) => String(new Date().getFullYear() - i)).map((y) => ({ code: y, sv: y, en: y }));
  const pages = data ? Math.max(1, Math.ceil(data.total / (data.pageSize || pageSize))) : 1;
  const groupText = (it: Page['items'][number]) => `${codeLabel(codes, 'sex', it.sex, lang)}, ${codeLabel(codes, 'age_group', it.age_group, lang)}`;
  const activeFolded = foldedKeys.filter((k) => current[k]).length;
  const n = (v: number) => formatNumber(v, lang);
  const first = data ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, data.page * data.pageSize) : 0;
  const exportQuery = apiFilters().toString();

  const header = (c: 'reference' | 'identified_on' | 'updated_at' | 'region' | 'group' | 'category' | 'status' | 'version') => {
    const key = (sortable as readonly string[]).includes(c) ? (c as SortKey) : null;
    if (!key) return <Table.HeaderCell key={c} scope="col">{t(`cases.col.${c}`)}</Table.HeaderCell>;
    const state = sort?.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    // Designsystemet's sortable header: a button in the th, aria-sort on the th and its icon.
    return (
      <Table.HeaderCell key={c} scope="col" sort={state} onClick={() => sortBy(key)} data-testid={`sort-${key}`}>
        {t(`cases.col.${c}`)}
      </Table.HeaderCell>
    );
  };

  return (
    <>
      <PageHeading>{t('cases.title')}</PageHeading>
      <form onSubmit={submit} aria-label={t('cases.filters')} role="search">
        <div className="filters">
          <TextField path="filter.reference" label={t('cases.search')} value={draft.reference} onChange={(v) => setDraft({ ...draft, reference: v })} />
        </div>
        <Button
          type="button"
          variant="secondary"
          data-size="sm"
          className="filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls="more-filters"
          onClick={() => setFiltersOpen(!filtersOpen)}
        >
          {t('cases.moreFilters', { count: activeFolded })}
        </Button>
        <div className={`filters folding${filtersOpen ? ' open' : ''}`} id="more-filters" data-testid="more-filters">
          <SelectField path="filter.year" label={t('cases.year')} value={draft.year} onChange={(v) => setDraft({ ...draft, year: v })} options={years} emptyLabel={t('cases.any')} />
          <SelectField path="filter.region" label={codes?.fields.region?.[lang] ?? t('cases.col.region')} value={draft.region} onChange={(v) => setDraft({ ...draft, region: v })} options={L('region')} emptyLabel={t('cases.any')} />
          <SelectField path="filter.category" label={t('cases.col.category')} value={draft.category} onChange={(v) => setDraft({ ...draft, category: v })} options={L('category')} emptyLabel={t('cases.any')} />
          <SelectField path="filter.sex" label={codes?.fields.sex?.[lang] ?? 'Kön'} value={draft.sex} onChange={(v) => setDraft({ ...draft, sex: v })} options={L('sex')} emptyLabel={t('cases.any')} />
          <SelectField path="filter.age_group" label={codes?.fields.age_group?.[lang] ?? 'Åldersgrupp'} value={draft.age_group} onChange={(v) => setDraft({ ...draft, age_group: v })} options={L('age_group')} emptyLabel={t('cases.any')} />
          <SelectField path="filter.nationality" label={codes?.fields.nationality?.[lang] ?? t('form.fields.nationality')} value={draft.nationality} onChange={(v) => setDraft({ ...draft, nationality: v })} options={codes?.countries ?? []} emptyLabel={t('cases.any')} />
          <SelectField path="filter.status" label={t('cases.col.status')} value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} options={L('status')} emptyLabel={t('cases.any')} />
        </div>
        <div className="actions">
          <Button type="submit">{t('cases.apply')}</Button>
          <Button type="button" variant="tertiary" onClick={() => go({}, 1, '')}>{t('cases.clear')}</Button>
        </div>
      </form>

      {error && <Alert data-color="danger"><Paragraph>{error}</Paragraph></Alert>}
      {!data && !error && <Spinner aria-label={t('loading')} data-size="md" />}
      {data && (
        <>
          <div className="list-bar">
            <Paragraph data-testid="case-count">
              {data.total > data.pageSize && data.items.length > 0
                ? t('cases.showing', { first: n(first), last: n(last), total: n(data.total), count: data.total })
                : t('cases.count', { count: data.total })}
            </Paragraph>
            {data.abilities['cases.export'] && data.total > 0 && (
              // Plain links: the browser downloads the file; the server audits the export as every export.
              <div className="actions">
                <a className="ds-button" data-variant="secondary" data-size="sm" href={`/api/export${exportQuery ? `?${exportQuery}` : ''}`} download data-testid="case-export">
                  {t('cases.export', { count: data.total })}
                </a>
                <a className="ds-button" data-variant="secondary" data-size="sm" href={`/api/export?${new URLSearchParams([...new URLSearchParams(exportQuery), ['format', 'xlsx']])}`} download data-testid="case-export-xlsx">
                  {t('cases.exportXlsx', { count: data.total })}
                </a>
              </div>
            )}
          </div>
          {data.items.length === 0 ? (
            <Paragraph>{t('cases.none')}</Paragraph>
          ) : (
            <div className="table-wrap" role="region" aria-label={t('cases.title')} tabIndex={0}>
              <Table zebra data-size="sm" data-testid="case-table">
                <Table.Head>
                  <Table.Row>{(['reference', 'identified_on', 'region', 'group', 'category', 'status', 'updated_at', 'version'] as const).map(header)}</Table.Row>
                </Table.Head>
                <Table.Body>
                  {data.items.map((it) => (
                    <Table.Row key={it.id}>
                      <Table.HeaderCell scope="row">
                        <AppLink href={`/arenden/${encodeURIComponent(it.id)}`} className="ds-link">{it.reference}</AppLink>
                      </Table.HeaderCell>
                      <Table.Cell>{it.identified_on}</Table.Cell>
                      <Table.Cell>{codeLabel(codes, 'region', it.region, lang)}</Table.Cell>
                      <Table.Cell>{groupText(it)}</Table.Cell>
                      <Table.Cell>{codeLabel(codes, 'category', categoryOf(it.exploitation_forms ?? []), lang)}</Table.Cell>
                      <Table.Cell>{codeLabel(codes, 'status', it.status, lang)}</Table.Cell>
                      <Table.Cell>{it.updated_at.slice(0, 10)}</Table.Cell>
                      <Table.Cell>{it.version}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          )}
          {pages > 1 && (
            <nav aria-label={t('cases.pagination')} className="pagination" data-testid="pagination">
              <ul>
                <li><Button variant="tertiary" data-size="sm" disabled={page <= 1} onClick={() => go(current, 1)}>{t('cases.first')}</Button></li>
                <li><Button variant="tertiary" data-size="sm" disabled={page <= 1} onClick={() => go(current, page - 1)}>{t('cases.prev')}</Button></li>
                {pageWindow(page, pages).map((p, i) =>
                  p === null ? (
                    <li key={`gap${i}`} aria-hidden="true">…</li>
                  ) : (
                    <li key={p}>
                      <Button
                        variant={p === page ? 'primary' : 'tertiary'}
                        data-size="sm"
                        aria-current={p === page ? 'page' : undefined}
                        aria-label={t('cases.pageN', { page: p })}
                        onClick={() => p !== page && go(current, p)}
                      >
                        {p}
                      </Button>
                    </li>
                  ),
                )}
                <li><Button variant="tertiary" data-size="sm" disabled={page >= pages} onClick={() => go(current, page + 1)}>{t('cases.next')}</Button></li>
                <li><Button variant="tertiary" data-size="sm" disabled={page >= pages} onClick={() => go(current, pages)}>{t('cases.last')}</Button></li>
              </ul>
            </nav>
          )}
        </>
      )}
    </>
  );
}
