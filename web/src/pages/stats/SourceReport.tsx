// The civil-society and support-programme annual reports as web pages: /statistik/civilsamhallet/2024
// (the year's newest final published release, else its newest preliminary), /statistik/civilsamhallet/2024/2024-civ-1
// (one release), /statistik/stodprogrammen/2023 …, English under /en/statistics/civil-society/… and
// /en/statistics/support-programmes/…. The page reads GET /api/stats/source-report (a SourceReportView:
// the protected tables with the spec's words in the page's language) and shows the downloads, the
// contents, every table with its number, counts, percentages of those who answered, how many
// answered and whom the question is asked of, and a bar chart where the table has a figure.
// SourceReportBody is also the statistician's view of a source release (ReleasePreview).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { ReportSource, SourceReportView, SourceTableView } from '../../../../src/stats/sources/types.ts';
import { headers } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { formatNumber, Hyphenated, PageHeading, useTitle, useUi } from '../../layout.tsx';
import { numberedFigureTitle, numberedTableTitle, releasesByYear, SUPPRESSED } from '../../report.ts';
import { AppLink, sourceReportPath } from '../../router.tsx';
import { NotFound } from '../NotFound.tsx';
import { Contents, Downloads } from './PublicationParts.tsx';
import { SimpleChart } from '../SimpleChart.tsx';

export type { SourceReportView, SourceTableView };

/** A release as GET /api/stats/releases?source=… lists it (the fields this page reads). */
export type SourceRelease = { id: string; year: number; number: number; kind: 'preliminary' | 'final'; published: boolean; source?: string };

type State = { status: 'loading' } | { status: 'error' } | { status: 'notFound' } | { status: 'ok'; view: SourceReportView; releases: SourceRelease[] };

class Missing extends Error {}

/** What the public reads (no session: a signed-in statistician sees the published page too). */
async function publicJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: headers(), credentials: 'omit' });
  if (res.status === 404) throw new Missing(path);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** The download of a source release in one format: GET /api/stats/source-report/download. */
export function sourceDownloadHref(release: string, format: 'pdf' | 'xlsx' | 'csv' | 'json', lang: Lang, form?: 'exact' | 'protected'): string {
  const q = new URLSearchParams({ release, format, lang, ...(form ? { form } : {}) });
  return `/api/stats/source-report/download?${q}`;
}

export default function SourceReportPage({ source, year, release }: { source: ReportSource; year: string; release?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { setDemo } = useUi();
  const [state, setState] = useState<State>({ status: 'loading' });

  const load = useCallback(() => {
    setState((s) => (s.status === 'ok' ? s : { status: 'loading' }));
    const q = new URLSearchParams({ source, year, ...(release ? { release } : {}), lang });
    Promise.all([
      publicJson<SourceReportView>(`/api/stats/source-report?${q}`),
      publicJson<{ items: SourceRelease[] }>(`/api/stats/releases?source=${source}`).catch(() => ({ items: [] as SourceRelease[] })),
    ]).then(
      ([view, list]) => setState({ status: 'ok', view, releases: list.items.filter((r) => r.published && (r.source ?? source) === source) }),
      (e) => setState({ status: e instanceof Missing ? 'notFound' : 'error' }),
    );
  }, [source, year, release, lang]);
  useEffect(load, [load]);

  const view = state.status === 'ok' ? state.view : null;
  useEffect(() => {
    setDemo(view?.demo === true);
    return () => setDemo(false);
  }, [view, setDemo]);

  const title = view ? reportTitle(view, t) : `${t(`sourceReport.name.${source}`)} ${year}`;
  useTitle(state.status === 'notFound' ? t('notFound.title') : title);
  if (state.status === 'notFound') return <NotFound />;

  return (
    <>
      <PageHeading>{title}</PageHeading>
      {state.status === 'loading' && <Spinner aria-label={t('loading')} data-size="lg" />}
      {state.status === 'error' && (
        <Alert data-color="danger">
          <Paragraph>{t('error.load')}</Paragraph>
          <Button variant="secondary" onClick={load}>
            {t('error.retry')}
          </Button>
        </Alert>
      )}
      {state.status === 'ok' && (
        <>
          <Editions source={source} releases={state.releases} year={state.view.year} chosen={release} lang={lang} />
          <SourceReportBody view={state.view} lang={lang} downloads={(f) => (state.view.release.id ? sourceDownloadHref(state.view.release.id, f, lang) : null)} />
        </>
      )}
    </>
  );
}

/** "Civilsamhällets stöd … 2024", with "(preliminär)" for a preliminary release. */
export function reportTitle(view: SourceReportView, t: (k: string) => string): string {
  return `${view.title} ${view.year}${view.release.kind === 'preliminary' ? ` ${t('sourceReport.preliminaryTitle')}` : ''}`;
}

/** The source's published years and the shown year's releases, as links to their own addresses. */
function Editions({ source, releases, year, chosen, lang }: { source: ReportSource; releases: SourceRelease[]; year: number; chosen: string | undefined; lang: Lang }) {
  const { t } = useTranslation();
  const years = releasesByYear(releases);
  const ofYear = years.find((y) => y.year === year);
  if (!years.length) return null;
  return (
    <nav aria-labelledby="h-editions" className="editions screen-only" data-testid="editions">
      <Heading level={2} data-size="xs" id="h-editions">
        <Hyphenated text={t('stats.editions')} />
      </Heading>
      <Paragraph data-size="sm">{t('stats.years')}:</Paragraph>
      <ul className="edition-list" data-testid="years">
        {years.map((y) => (
          <li key={y.year}>
            <AppLink href={sourceReportPath(source, lang, y.year)} aria-current={y.year === year && !chosen ? 'page' : undefined}>
              {y.year}
            </AppLink>
            {y.shown.kind === 'preliminary' && <span className="edition-mark"> ({t('stats.kind.preliminary')})</span>}
          </li>
        ))}
      </ul>
      {ofYear && (
        <>
          <Paragraph data-size="sm">{t('stats.releasesOf', { year })}:</Paragraph>
          <ul className="edition-list" data-testid="releases">
            {ofYear.releases.map((r) => (
              <li key={r.id} data-release={r.id} data-kind={r.kind}>
                <AppLink href={sourceReportPath(source, lang, r.year, r.id)} aria-current={chosen === r.id ? 'page' : undefined}>
                  {t('stats.releaseItem', { id: r.id, kind: t(`stats.kind.${r.kind}`) })}
                </AppLink>
                {r.id === ofYear.shown.id && <span className="edition-mark"> – {t('stats.yearDefault')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}

const isSuppressed = (r: { count: number | null; status: string }) => r.count === null || r.status === 'primary' || r.status === 'secondary';

/** The tables in their printed order (by number), under a section heading wherever the section changes, as the printed report has them. */
function bySection(tables: readonly SourceTableView[]): { section: string; tables: SourceTableView[] }[] {
  const out: { section: string; tables: SourceTableView[] }[] = [];
  for (const table of [...tables].sort((a, b) => a.number - b.number)) {
    const last = out[out.length - 1];
    if (last && last.section === table.section) last.tables.push(table);
    else out.push({ section: table.section, tables: [table] });
  }
  return out;
}

/** The report: the release, the downloads and contents, about the statistics, the tables by section with their figures. */
export function SourceReportBody({ view, lang, downloads }: { view: SourceReportView; lang: Lang; downloads: (format: 'pdf' | 'xlsx' | 'csv' | 'json') => string | null }) {
  const { t } = useTranslation();
  const sections = bySection(view.tables);
  const n = (v: number) => formatNumber(v, lang);
  // Figures are numbered 1, 2, 3 … in the order they are shown.
  const figureNumbers = new Map<string, number>();
  for (const s of sections) for (const table of s.tables) if (table.figure_title && hasBars(table)) figureNumbers.set(table.id, figureNumbers.size + 1);
  const formats = (['pdf', 'xlsx', 'csv', 'json'] as const).map((format) => ({ format, href: downloads(format) })).filter((d): d is { format: typeof d.format; href: string } => d.href !== null);

  return (
    <div className="publication" data-source={view.source}>
      <Paragraph data-testid="reporter">{t('sourceReport.reporter', { reporter: view.reporter })}</Paragraph>
      <Paragraph>
        {t('stats.release', { number: view.release.number ?? 1, kind: t(`stats.kind.${view.release.kind}`), year: view.year })}{' '}
        {view.persons === null ? t('sourceReport.personsSuppressed') : t('sourceReport.persons', { n: n(view.persons), count: view.persons })}
      </Paragraph>
      {view.release.kind === 'preliminary' && (
        <Alert data-color="warning" data-testid="preliminary">
          <Paragraph>{t('stats.preliminaryNote')}</Paragraph>
        </Alert>
      )}

      <Downloads links={formats} />

      <Contents>
        <li>
          <a href="#h-about">{t('sourceReport.about')}</a>
        </li>
        {sections.map((s, i) => (
          <li key={i}>
            <a href={`#h-section-${i + 1}`}>{s.section}</a>
            <ol>
              {s.tables.map((table) => (
                <li key={table.id}>
                  <a href={`#table-${table.id}`}>{numberedTableTitle(table.title, table.number, lang)}</a>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </Contents>

      <section aria-labelledby="h-about">
        <Heading level={2} data-size="md" id="h-about">
          <Hyphenated text={t('sourceReport.about')} />
        </Heading>
        {(['answered', 'base', 'multi', 'frozen', 'coordinators'] as const).map((k) => (
          <Paragraph key={k}>{t(`sourceReport.how.${k}`)}</Paragraph>
        ))}
        {view.disclosure && view.disclosure.suppressed > 0 && (
          <Paragraph data-testid="disclosure">{t('sourceReport.disclosure', { count: view.disclosure.suppressed, threshold: view.disclosure.threshold })}</Paragraph>
        )}
      </section>

      {sections.map((s, i) => (
        // Not a named landmark: a section may come back after another (its name twice), and each table's region is named by its caption.
        <section key={i} data-section={i + 1}>
          <Heading level={2} data-size="md" id={`h-section-${i + 1}`}>
            <Hyphenated text={s.section} />
          </Heading>
          {s.tables.map((table) => (
            <SourceTable key={table.id} table={table} lang={lang} figure={figureNumbers.get(table.id)} />
          ))}
        </section>
      ))}
    </div>
  );
}

function percentText(p: number | null, lang: string): string {
  return p === null ? SUPPRESSED : new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
}

function countText(c: number | null | undefined, lang: string): string {
  return c === null ? SUPPRESSED : c === undefined ? '' : formatNumber(c, lang);
}

type Cell = SourceTableView['rows'][number];

/** The published cell of a row (and column) code; a code the table does not list counts 0. */
function cellOf(cells: readonly Cell[], code: string, column?: string): Cell {
  return cells.find((r) => r.code === code && (r.column ?? undefined) === column) ?? { code, column, count: 0, percent: 0, status: 'safe' };
}

/** The rows the table prints: its declared codes in order, then any code it lists that the declaration lacks. */
function rowCodes(table: SourceTableView): { code: string; label: string }[] {
  const declared = table.row_codes;
  const extra = [...new Set(table.rows.map((r) => r.code))].filter((c) => !declared.some((d) => d.code === c)).map((code) => ({ code, label: code }));
  return [...declared, ...extra];
}

function hasBars(table: SourceTableView): boolean {
  return table.rows.some((r) => typeof r.count === 'number' && r.count > 0);
}

/** One table: a real <table> with its numbered caption, the counts and percentages, what it counts and how many answered. */
function SourceTable({ table, lang, figure }: { table: SourceTableView; lang: Lang; figure: number | undefined }) {
  const { t } = useTranslation();
  const hid = `table-${table.id}`;
  const caption = numberedTableTitle(table.title, table.number, lang);
  const rows = rowCodes(table);
  const cols = table.column_codes;
  const suppressed = table.rows.some(isSuppressed) || (table.totals ?? []).some(isSuppressed) || table.n_answered === null;
  const totalOf = (code: string, column: string) => table.totals?.find((r) => r.code === code && r.column === column);
  const hasTotals = Boolean(cols && table.totals?.length);
  const cellText = (c: Cell | undefined) => {
    if (!c) return '';
    if (!table.percent || c.count === null) return countText(c.count, lang);
    return t('sourceReport.cellPercent', { count: countText(c.count, lang), percent: percentText(c.percent, lang) });
  };

  return (
    <div className={`report-table${rows.length <= 24 ? ' keep-together' : ''}`} data-table={table.id} id={`source-table-${table.id}`}>
      <div className="table-wrap" role="region" aria-labelledby={hid} tabIndex={0}>
        <Table zebra data-size="sm" className={cols ? 'two-row-head' : undefined}>
          <caption>
            <h3 id={hid} className="ds-heading" data-size="2xs">
              <Hyphenated text={caption} />
            </h3>
          </caption>
          {cols ? (
            <>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col" rowSpan={2}>
                    {table.row_heading}
                  </Table.HeaderCell>
                  <Table.HeaderCell scope="colgroup" colSpan={cols.length}>
                    {table.column_heading}
                  </Table.HeaderCell>
                  {hasTotals && (
                    <Table.HeaderCell scope="col" rowSpan={2} className="num">
                      {t('sourceReport.heading.total')}
                    </Table.HeaderCell>
                  )}
                </Table.Row>
                <Table.Row>
                  {cols.map((c) => (
                    <Table.HeaderCell key={c.code} scope="col" className="num">
                      {c.label}
                    </Table.HeaderCell>
                  ))}
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((r) => (
                  <Table.Row key={r.code} data-row={r.code}>
                    <Table.HeaderCell scope="row">{r.label}</Table.HeaderCell>
                    {cols.map((c) => (
                      <Table.Cell key={c.code} className="num">
                        {cellText(cellOf(table.rows, r.code, c.code))}
                      </Table.Cell>
                    ))}
                    {hasTotals && <Table.Cell className="num">{countText(totalOf(r.code, 'total')?.count, lang)}</Table.Cell>}
                  </Table.Row>
                ))}
              </Table.Body>
              {hasTotals && (
                <Table.Foot>
                  <Table.Row>
                    <Table.HeaderCell scope="row">{t('sourceReport.heading.total')}</Table.HeaderCell>
                    {cols.map((c) => (
                      <Table.Cell key={c.code} className="num">
                        {countText(totalOf('total', c.code)?.count, lang)}
                      </Table.Cell>
                    ))}
                    <Table.Cell className="num">{countText(totalOf('total', 'total')?.count, lang)}</Table.Cell>
                  </Table.Row>
                </Table.Foot>
              )}
            </>
          ) : (
            <>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell scope="col">{table.row_heading}</Table.HeaderCell>
                  <Table.HeaderCell scope="col" className="num">
                    {t('sourceReport.heading.count')}
                  </Table.HeaderCell>
                  {table.percent && (
                    <Table.HeaderCell scope="col" className="num">
                      {t('sourceReport.heading.percent')}
                    </Table.HeaderCell>
                  )}
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((r) => {
                  const c = cellOf(table.rows, r.code);
                  return (
                    <Table.Row key={r.code} data-row={r.code}>
                      <Table.HeaderCell scope="row">{r.label}</Table.HeaderCell>
                      <Table.Cell className="num">{countText(c.count, lang)}</Table.Cell>
                      {table.percent && <Table.Cell className="num">{c.count === null ? SUPPRESSED : percentText(c.percent, lang)}</Table.Cell>}
                    </Table.Row>
                  );
                })}
              </Table.Body>
            </>
          )}
        </Table>
      </div>
      <p className="table-note" data-testid="answered">
        {t('sourceReport.answered', { n: countText(table.n_answered, lang), m: countText(table.n_missing, lang) })} {t('sourceReport.base', { base: table.base })}
      </p>
      {table.percent && (
        <p className="table-note">
          {t('sourceReport.percentNote')}
          {table.multi ? ` ${t('sourceReport.multiNote')}` : ''}
        </p>
      )}
      {table.note && <p className="table-note">{table.note}</p>}
      {suppressed && (
        <p className="table-note" data-testid="suppressed-note">
          {t('stats.suppressed')}
        </p>
      )}
      {figure !== undefined && table.figure_title && <SourceFigure table={table} rows={rows} number={figure} lang={lang} />}
    </div>
  );
}

/** The width the drawing may take: its box's, followed as the window changes. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** A table's bar chart: one bar per row (per column code of a cross table); the same figures are in the table above it. */
function SourceFigure({ table, rows, number, lang }: { table: SourceTableView; rows: { code: string; label: string }[]; number: number; lang: Lang }) {
  const { t } = useTranslation();
  const { ref, width } = useWidth();
  const title = numberedFigureTitle(table.figure_title ?? table.title, number, lang);
  const series = table.column_codes ?? [{ code: '', label: title }];
  const values = rows.flatMap((r) =>
    series.map((s) => {
      const c = cellOf(table.rows, r.code, table.column_codes ? s.code : undefined);
      return { label: r.label, series: s.label, value: c.count, text: c.count === null ? undefined : countText(c.count, lang) };
    }),
  );
  const spec = { data: { values }, mark: 'bar', encoding: { y: { sort: rows.map((r) => r.label) } } };
  const captionId = `figure-${table.id}`;
  return (
    <figure className="chart" aria-labelledby={captionId} data-figure={table.id}>
      <figcaption id={captionId}>{title}</figcaption>
      {/* The drawing is for sighted readers; its figures are in the table above. */}
      <div className="chart-drawing" aria-hidden="true" ref={ref}>
        {width > 0 && <SimpleChart spec={spec} width={width} />}
      </div>
      <p className="table-note">{t('sourceReport.figureText', { n: table.number })}</p>
    </figure>
  );
}
