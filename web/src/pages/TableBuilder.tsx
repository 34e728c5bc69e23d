// The public table builder (/statistik/tabell, /en/statistics/table): one to three dimensions and a
// published year, counted by the server (GET /api/stats/table) and protected there by the cell-key
// method. The page says how the figures are perturbed and why rows need not add up to the total;
// it never offers a pair of dimensions the server excludes. The choice lives in the address
// (?dimensions=sex,age_group&release=2025-1), so a table can be linked to.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Alert, Button, Field, Heading, Label, Link, Paragraph, Select, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { BuiltTable, TableBuilderAnswer, TableBuilderOptions } from '../../../src/contract/index.ts';
import { api, ApiError } from '../api.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, navigate, publicPaths, useLocation } from '../router.tsx';

const SLOTS = 3;
const DEFAULT_DIMENSIONS = ['group'];

type State =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'ok'; options: TableBuilderOptions; table: BuiltTable | null; error?: string };

export function TableBuilder() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { announce, setDemo } = useUi();
  const { search, pathname } = useLocation();
  const asked = search.get('dimensions');
  const dims = asked === null ? DEFAULT_DIMENSIONS : asked.split(',').filter(Boolean);
  const release = search.get('release') ?? '';
  const [state, setState] = useState<State>({ status: 'loading' });
  const [draft, setDraft] = useState<{ dims: string[]; release: string }>({ dims, release });
  useTitle(t('tableBuilder.title'));

  const key = `${dims.join(',')}|${release}`;
  useEffect(() => {
    setDraft({ dims, release });
    let live = true;
    const q = new URLSearchParams({ dimensions: dims.join(','), ...(release ? { release } : {}) });
    api<TableBuilderAnswer>(`/api/stats/table?${q}`).then(
      (a) => {
        if (!live) return;
        setState({ status: 'ok', options: a.options, table: a.table });
        if (a.table) announce(t('tableBuilder.done', { cells: a.table.cells.length }));
      },
      async (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404 && !release) return setState({ status: 'none' });
        const text = e instanceof ApiError ? (e.errors[0]?.message ?? e.message) : t('error.load');
        announce(text);
        // A refused table keeps the choices: they come from an answer without dimensions, of the
        // same release (its policy names the pairs never crossed and the smallest count).
        const options = await api<TableBuilderAnswer>(`/api/stats/table${release ? `?${new URLSearchParams({ release })}` : ''}`).then((a) => a.options, () => null);
        if (!live) return;
        setState(options ? { status: 'ok', options, table: null, error: text } : { status: 'none' });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lang]);

  const table = state.status === 'ok' ? state.table : null;
  useEffect(() => {
    setDemo(table?.demo === true);
    return () => setDemo(false);
  }, [table, setDemo]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = draft.dims.filter(Boolean);
    const q = new URLSearchParams({ dimensions: chosen.join(','), ...(draft.release ? { release: draft.release } : {}) });
    navigate(`${pathname}?${q}`, { replace: false });
  };

  return (
    <>
      <PageHeading>{t('tableBuilder.title')}</PageHeading>
      <Paragraph>
        <AppLink href={publicPaths.statistics[lang]}>{t('tableBuilder.back')}</AppLink>
      </Paragraph>
      <Paragraph>{t('tableBuilder.lead')}</Paragraph>
      {state.status === 'loading' && <Spinner aria-label={t('loading')} data-size="lg" />}
      {state.status === 'none' && <Paragraph>{t('stats.none')}</Paragraph>}
      {state.status === 'ok' && (
        <>
          <Protection options={state.options} />
          <Form options={state.options} draft={draft} setDraft={setDraft} onSubmit={submit} />
          {state.error && (
            <Alert data-color="danger" role="alert" data-testid="table-error">
              <Paragraph>{state.error}</Paragraph>
            </Alert>
          )}
          {table && <TableView table={table} lang={lang} />}
        </>
      )}
    </>
  );
}

/** What the perturbation does, with the bounds the server uses. */
function Protection({ options }: { options: TableBuilderOptions }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="h-protection" className="builder-protection">
      <Alert data-color="info">
        <Heading level={2} data-size="xs" id="h-protection">
          {t('tableBuilder.protectionTitle')}
        </Heading>
        <Paragraph data-testid="protection">
          {t('tableBuilder.protection', { d: options.max_deviation, below: options.smallest - 1, smallest: options.smallest })}
        </Paragraph>
        <Paragraph>{t('tableBuilder.sums')}</Paragraph>
        <Paragraph>{t('tableBuilder.report')}</Paragraph>
      </Alert>
    </section>
  );
}

function Form({
  options,
  draft,
  setDraft,
  onSubmit,
}: {
  options: TableBuilderOptions;
  draft: { dims: string[]; release: string };
  setDraft: (d: { dims: string[]; release: string }) => void;
  onSubmit: (e: FormEvent) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const heading = (key: string) => options.dimensions.find((d) => d.key === key)?.heading[lang] ?? key;
  const excludedWith = (key: string, others: string[]) =>
    options.exclusions.some(([a, b]) => (a === key && others.includes(b)) || (b === key && others.includes(a)));
  /** A slot offers the dimensions not chosen in another slot and not excluded with one chosen there. */
  const offered = (slot: number) => {
    const others = draft.dims.filter((d, i) => i !== slot && d);
    return options.dimensions.filter((d) => !others.includes(d.key) && !excludedWith(d.key, others));
  };
  const setDim = (slot: number, value: string) => {
    const dims = [...draft.dims];
    while (dims.length < SLOTS) dims.push('');
    dims[slot] = value;
    setDraft({ ...draft, dims });
  };
  const pairs = options.exclusions.map(([a, b]) => `${heading(a).toLowerCase()} – ${heading(b).toLowerCase()}`).join('; ');

  return (
    <>
      <Heading level={2} data-size="sm" id="h-choose">
        {t('tableBuilder.choose')}
      </Heading>
      <form className="inline-form" onSubmit={onSubmit} aria-labelledby="h-choose">
        <Field>
          <Label htmlFor="builder-release">{t('tableBuilder.release')}</Label>
          <Select id="builder-release" value={draft.release} onChange={(e) => setDraft({ ...draft, release: e.target.value })}>
            <Select.Option value="">{t('tableBuilder.newest')}</Select.Option>
            {options.releases.map((r) => (
              <Select.Option key={r.id} value={r.id}>
                {t('tableBuilder.releaseOption', { year: r.year, kind: t(`stats.kind.${r.kind}`), number: r.number })}
              </Select.Option>
            ))}
          </Select>
        </Field>
        {Array.from({ length: SLOTS }, (_, slot) => (
          <Field key={slot}>
            <Label htmlFor={`builder-dim-${slot}`}>{t('tableBuilder.dimension', { n: slot + 1 })}</Label>
            <Select id={`builder-dim-${slot}`} value={draft.dims[slot] ?? ''} onChange={(e) => setDim(slot, e.target.value)}>
              {slot > 0 && <Select.Option value="">{t('tableBuilder.noDimension')}</Select.Option>}
              {offered(slot).map((d) => (
                <Select.Option key={d.key} value={d.key}>
                  {d.heading[lang]}
                </Select.Option>
              ))}
            </Select>
          </Field>
        ))}
        <Button type="submit">{t('tableBuilder.submit')}</Button>
      </form>
      <Paragraph data-size="sm" className="builder-rules">
        {t('tableBuilder.limits', { max: formatNumber(options.max_cells, lang) })} {pairs && t('tableBuilder.excluded', { pairs })}
      </Paragraph>
    </>
  );
}

/** Published counts by cell: a dimension a cell sums over is `*` in its key. */
function lookupOf(table: BuiltTable) {
  const keyOf = (codes: Record<string, string | undefined>) => table.dimensions.map((d) => codes[d.key] ?? '*').join('|');
  const counts = new Map(table.cells.map((c) => [keyOf(c.key), c.count]));
  return (codes: Record<string, string | undefined>) => counts.get(keyOf(codes)) ?? 0;
}

function TableView({ table, lang }: { table: BuiltTable; lang: Lang }) {
  const { t } = useTranslation();
  const value = useMemo(() => lookupOf(table), [table]);
  const dims = table.dimensions;
  const headings = dims.map((d) => d.heading[lang].toLowerCase()).join(', ');
  const title = t('tableBuilder.caption', { dims: headings, year: table.release.year });
  const q = new URLSearchParams({ dimensions: dims.map((d) => d.key).join(','), release: table.release.id });
  // Three dimensions: one cross table of the last two per code of the first, then their total.
  const [outer, ...inner] = dims.length === 3 ? dims : [null, ...dims];
  const parts = outer
    ? [...outer.codes.map((c) => ({ fixed: { [outer.key]: c.code }, title: `${outer.heading[lang]}: ${c[lang]}` })), { fixed: {}, title: `${outer.heading[lang]}: ${t('tableBuilder.total')}` }]
    : [{ fixed: {}, title: null }];
  const shown = parts.filter((p) => !outer || value(p.fixed) > 0 || Object.keys(p.fixed).length === 0);

  return (
    // Not a landmark of its own: its table is the region, named by the same title.
    <div data-testid="built-table">
      <Heading level={2} data-size="md" id="h-result">
        {title}
      </Heading>
      <Paragraph data-size="sm">
        {t('tableBuilder.source', { year: table.release.year, kind: t(`stats.kind.${table.release.kind}`), number: table.release.number })}
      </Paragraph>
      {outer && shown.length < parts.length && <Paragraph data-size="sm">{t('tableBuilder.zeroParts', { n: parts.length - shown.length, what: outer.heading[lang].toLowerCase() })}</Paragraph>}
      {shown.map((p, i) => (
        <Cross key={i} value={value} dims={inner as BuiltTable['dimensions']} fixed={p.fixed} title={p.title ?? title} subheading={p.title !== null} lang={lang} />
      ))}
      <Paragraph data-size="sm">
        <Link href={`/api/stats/table?${q}`}>{t('tableBuilder.json')}</Link>
      </Paragraph>
    </div>
  );
}

/** One or two dimensions as a table with its totals; rows whose every published value is 0 are left out (and counted). */
function Cross({
  value,
  dims,
  fixed,
  title,
  subheading,
  lang,
}: {
  value: (codes: Record<string, string | undefined>) => number;
  dims: BuiltTable['dimensions'];
  fixed: Record<string, string>;
  title: string;
  subheading: boolean;
  lang: Lang;
}) {
  const { t } = useTranslation();
  const n = (v: number) => formatNumber(v, lang);
  // The dimension with more codes runs down the rows, so the table stays narrow on a phone.
  const [rowDim, colDim] = dims.length === 2 && dims[1].codes.length > dims[0].codes.length ? [dims[1], dims[0]] : [dims[0], dims[1]];
  const cols = colDim?.codes ?? [];
  const at = (row?: string, col?: string) => value({ ...fixed, [rowDim.key]: row, ...(colDim ? { [colDim.key]: col } : {}) });
  const rows = rowDim.codes.filter((r) => at(r.code) > 0 || cols.some((c) => at(r.code, c.code) > 0));
  const hidden = rowDim.codes.length - rows.length;
  const id = `t-${Object.values(fixed).join('-') || 'all'}`;
  return (
    <div className="report-table">
      {subheading && (
        <Heading level={3} data-size="2xs" id={id}>
          {title}
        </Heading>
      )}
      <div className="table-wrap" role="region" aria-label={title} tabIndex={0}>
        <Table zebra data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{rowDim.heading[lang]}</Table.HeaderCell>
              {cols.map((c) => (
                <Table.HeaderCell key={c.code} scope="col" className="num">
                  {c[lang]}
                </Table.HeaderCell>
              ))}
              <Table.HeaderCell scope="col" className="num">
                {colDim ? t('tableBuilder.total') : t('tableBuilder.count')}
              </Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {rows.map((r) => (
              <Table.Row key={r.code}>
                <Table.HeaderCell scope="row">{r[lang]}</Table.HeaderCell>
                {cols.map((c) => (
                  <Table.Cell key={c.code} className="num">
                    {n(at(r.code, c.code))}
                  </Table.Cell>
                ))}
                <Table.Cell className="num">{n(at(r.code))}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
          <Table.Foot>
            <Table.Row>
              <Table.HeaderCell scope="row">{t('tableBuilder.total')}</Table.HeaderCell>
              {cols.map((c) => (
                <Table.Cell key={c.code} className="num">
                  {n(at(undefined, c.code))}
                </Table.Cell>
              ))}
              <Table.Cell className="num" data-testid="table-total">
                {n(at())}
              </Table.Cell>
            </Table.Row>
          </Table.Foot>
        </Table>
      </div>
      {hidden > 0 && <p className="table-note">{t('tableBuilder.zeroRows', { n: hidden })}</p>}
    </div>
  );
}
