// The public statistics as a publication: the newest year's statistics at /statistik, a year's at
// /statistik/2025 (its newest final release, else its newest preliminary one) and one release's at
// /statistik/2025/2025-1 (English alike), with the years and releases to choose among as links.
// Key figures and tables render as soon as the report arrives; the charts come in their own chunk.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Alert, Button, Heading, List, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { headers, optional } from '../api.ts';
import { dimensionLabel, tableTitle, tableWith, useCodes, type Codes } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, Hyphenated, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, matchRoute, publicPaths, statisticsPath, useLocation } from '../router.tsx';
import {
  hasSuppressed,
  numberedFigureTitle,
  numberedTableTitle,
  releasesByYear,
  rowsOf,
  SUPPRESSED,
  tableNumbers,
  totalOf,
  type Chart,
  type PublicStats,
  type Report,
  type ReportRow,
} from '../report.ts';
import { ReportTableView, TrendTable, useLabeller } from './ReportTables.tsx';
import { NotFound } from './NotFound.tsx';
import { QualityNotesTable } from './stats/QualityNotes.tsx';
import { OtherPublications } from './stats/OtherPublications.tsx';
import { Contents, Downloads } from './stats/PublicationParts.tsx';
import { NationalOverview } from './stats/NationalOverview.tsx';

const Charts = lazy(() => import('./Charts.tsx'));

type State = { status: 'loading' } | { status: 'error' } | { status: 'notFound' } | { status: 'ok'; data: PublicStats };
type Release = PublicStats['releases'][number];

class Missing extends Error {}

/** What the public reads (no session: a signed-in statistician sees the published page too). */
async function publicJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: headers(), credentials: 'omit' });
  if (res.status === 404) throw new Missing(path);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

export function Statistics() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { setDemo } = useUi();
  const { pathname } = useLocation();
  const params = matchRoute(pathname).params;
  const year = params.year;
  const releaseId = params.release;
  const [state, setState] = useState<State>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    if (year === undefined) {
      optional<PublicStats>(`/api/stats/public?lang=${lang}`).then(
        (data) => setState({ status: 'ok', data: data ?? { report: null, charts: [], releases: [] } }),
        () => setState({ status: 'error' }),
      );
      return;
    }
    const q = new URLSearchParams({ year, ...(releaseId ? { release: releaseId } : {}) });
    Promise.all([
      publicJson<{ items: Release[] }>('/api/stats/releases'),
      publicJson<Report>(`/api/stats/report?${q}`),
      publicJson<Chart[]>(`/api/stats/charts?${q}&lang=${lang}`),
    ]).then(
      ([list, report, charts]) => setState({ status: 'ok', data: { report, charts, releases: list.items.filter((r) => r.published) } }),
      (e) => setState({ status: e instanceof Missing ? 'notFound' : 'error' }),
    );
  }, [year, releaseId, lang]);
  useEffect(load, [load]);

  // The public answer is the protected form: a suppressed count or percent is null and shows as "..".
  const report = state.status === 'ok' ? state.data.report : null;
  useEffect(() => {
    setDemo(report?.demo === true);
    return () => setDemo(false);
  }, [report, setDemo]);

  const title = report ? t('stats.titleYear', { year: report.year }) : t('stats.title');
  useTitle(state.status === 'notFound' ? t('notFound.title') : title);
  if (state.status === 'notFound') return <NotFound />;

  return (
    <>
      <PageHeading>{title}</PageHeading>
      {report && (
        <Paragraph className="screen-only">
          {t('stats.builderLead')} <AppLink href={publicPaths.tableBuilder[lang]}>{t('stats.builderLink')}</AppLink>
        </Paragraph>
      )}
      {state.status === 'loading' && <Spinner aria-label={t('loading')} data-size="lg" />}
      {state.status === 'error' && (
        <Alert data-color="danger">
          <Paragraph>{t('error.load')}</Paragraph>
          <Button variant="secondary" onClick={load}>
            {t('error.retry')}
          </Button>
        </Alert>
      )}
      {state.status === 'ok' && !report && <Paragraph>{t('stats.none')}</Paragraph>}
      {state.status === 'ok' && !report && <OtherPublications lang={lang} />}
      {state.status === 'ok' && report && (
        <>
          <Editions releases={state.data.releases} year={report.year} chosen={releaseId} lang={lang} />
          <OtherPublications lang={lang} />
          <ReportView report={report} charts={state.data.charts ?? []} codes={codes} lang={lang} />
          <NationalOverview year={report.year} lang={lang} />
        </>
      )}
    </>
  );
}

/** The published years and the shown year's releases, as links to their own addresses; preliminary ones marked. */
function Editions({ releases, year, chosen, lang }: { releases: Release[]; year: number; chosen: string | undefined; lang: Lang }) {
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
            <AppLink href={statisticsPath(lang, y.year)} aria-current={y.year === year && !chosen ? 'page' : undefined}>
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
                <AppLink href={statisticsPath(lang, r.year, r.id)} aria-current={chosen === r.id ? 'page' : undefined}>
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

/** The whole report as a publication: downloads and contents first, then key figures, how it is counted, figures, trend and tables, numbered as the printed report. Also the statistician's preview of a release. */
export function ReportView({ report, charts, codes, lang }: { report: Report; charts: PublicStats['charts']; codes: Codes | null; lang: Lang }) {
  const { t } = useTranslation();
  const label = useLabeller(codes);
  // Tables are found by their role in the catalogue (/api/codes); until it is loaded there are no
  // key figures, and the trend shows among the other tables.
  const persons = rowsOf(report, tableWith(codes, 'persons'));
  // A key figure the protected form suppresses (null) shows as ".."; one the table lacks counts 0
  // (not `?? 0`, which would print a suppressed figure as 0).
  const keyFigure = (dimension: string, code: string) => {
    const v = totalOf(persons, dimension, code);
    return v === undefined ? 0 : v;
  };
  const total = keyFigure('all', 'all');
  const groupText: Record<string, string> = { woman: t('stats.women'), man: t('stats.men'), girl: t('stats.girls'), boy: t('stats.boys') };
  // Women, men, girls and boys always; every other group of the table (another gender identity, sex
  // unknown) when it has persons or is suppressed, so that the key figures add up to the total.
  const groupCodes = [
    ...['woman', 'man', 'girl', 'boy'],
    ...persons.filter((r) => r.dimension === 'group' && !['woman', 'man', 'girl', 'boy'].includes(String(r.code)) && r.count !== 0).map((r) => String(r.code)),
  ];
  const groups = groupCodes.map((g) => ({ g, n: keyFigure('group', g), text: groupText[g] ?? dimensionLabel(codes, 'group', g, lang) }));
  // The most common: a suppressed row cannot be ranked, so the lists name printed counts only.
  const ranked = (rows: ReportRow[]) => rows.filter((r): r is ReportRow & { count: number } => r.count !== null).sort((a, b) => b.count - a.count);
  const forms = ranked(rowsOf(report, tableWith(codes, 'forms')).filter((r) => r.category !== 'unknown')).slice(0, 3);
  const nationalities = ranked(rowsOf(report, tableWith(codes, 'top_nationalities'))).slice(0, 5);
  // The running text leaves out a figure it may not print rather than writing "..".
  const printed = (v: number | null | undefined) => (v === null ? undefined : v);
  const trafficking = printed(totalOf(persons, 'crime_type', 'trafficking'));
  const exploitation = printed(totalOf(persons, 'crime_type', 'exploitation'));
  const keySuppressed = total === null || groups.some((g) => g.n === null);
  const percentOf = (r: ReportRow & { count: number }) =>
    typeof r.percent === 'number' ? r.percent : r.percent === undefined && typeof total === 'number' ? Math.round((100 * r.count) / Math.max(total, 1)) : null;
  // Tables and figures numbered as the printed report: a table by the catalogue's printed number
  // (the PDF's), figures 1, 2, 3 … in the order they are shown.
  const numbers = tableNumbers(codes?.report?.tables, report.tables.map((x) => x.id));
  const numbered = (id: string) => numberedTableTitle(tableTitle(codes, id, lang), numbers.get(id), lang);
  const trendId = tableWith(codes, 'years');
  const trend = report.tables.find((x) => x.id === trendId);
  const tables = report.tables.filter((x) => x !== trend).sort((a, b) => (numbers.get(a.id) ?? 0) - (numbers.get(b.id) ?? 0));
  const figures = charts.map((c, i) => ({ ...c, title: numberedFigureTitle(c.title, i + 1, lang) }));
  const q = new URLSearchParams({ year: String(report.year), ...(report.release.id ? { release: report.release.id } : {}) });
  const n = (v: number) => formatNumber(v, lang);
  const shown = (v: number | null) => (v === null ? SUPPRESSED : n(v));
  const persons_ = (count: number) => t('stats.persons', { n: n(count), count });

  return (
    <div className="publication">
      <Paragraph>
        {t('stats.release', { number: report.release.number ?? 1, kind: t(`stats.kind.${report.release.kind}`), year: report.year })}
      </Paragraph>
      {report.release.kind === 'preliminary' && (
        <Alert data-color="warning" data-testid="preliminary">
          <Paragraph>{t('stats.preliminaryNote')}</Paragraph>
        </Alert>
      )}

      <Downloads links={(['pdf', 'html', 'xlsx', 'csv', 'json'] as const).map((format) => ({ format, href: `/api/stats/report/download?${q}&format=${format}` }))} />

      <Contents>
        <li>
          <a href="#h-key">{t('stats.keyFigures')}</a>
        </li>
        <li>
          <a href="#h-how">{t('stats.howCounted')}</a>
        </li>
        {figures.length > 0 && (
          <li>
            <a href="#h-charts">{t('stats.charts')}</a>
            <ol>
              {figures.map((c) => (
                <li key={c.id}>
                  <a href={`#figure-${c.id}`}>{c.title}</a>
                </li>
              ))}
            </ol>
          </li>
        )}
        {trend && (
          <li>
            <a href="#h-trend">{t('stats.trend')}</a>
            <ol>
              <li>
                <a href={`#table-${trend.id}`}>{numbered(trend.id)}</a>
              </li>
            </ol>
          </li>
        )}
        <li>
          <a href="#h-tables">{t('stats.tables')}</a>
          <ol>
            {tables.map((x) => (
              <li key={x.id}>
                <a href={`#table-${x.id}`}>{numbered(x.id)}</a>
              </li>
            ))}
          </ol>
        </li>
      </Contents>

      <section aria-labelledby="h-key">
        <Heading level={2} data-size="md" id="h-key">
          <Hyphenated text={t('stats.keyFigures')} />
        </Heading>
        <ul className="key-figures" data-testid="key-figures">
          <li className="key-figure">
            <span className="value">{shown(total)}</span>
            <span className="what">{t('stats.total')}</span>
          </li>
          {groups.map(({ g, n: count, text }) => (
            <li className="key-figure" key={g} data-group={g}>
              <span className="value">{shown(count)}</span>
              <span className="what">{text}</span>
            </li>
          ))}
        </ul>
        {keySuppressed && <p className="table-note">{t('stats.suppressed')}</p>}
        {(exploitation !== undefined || trafficking !== undefined) && (
          <Paragraph>
            {exploitation !== undefined && `${n(exploitation)} ${t('stats.crimeExploitation')}`}
            {exploitation !== undefined && trafficking !== undefined && ', '}
            {trafficking !== undefined && `${n(trafficking)} ${t('stats.crimeTrafficking')}`}.
          </Paragraph>
        )}
        <div className="two-col">
          <div>
            <Heading level={3} data-size="xs">
              <Hyphenated text={t('stats.commonForms')} />
            </Heading>
            <List.Ordered>
              {forms.map((r) => (
                <List.Item key={String(r.category)}>
                  {label('category', r.category)}:{' '}
                  {percentOf(r) === null ? persons_(r.count) : t('stats.personsPercent', { n: n(r.count), count: r.count, percent: percentOf(r) })}
                </List.Item>
              ))}
            </List.Ordered>
          </div>
          <div>
            <Heading level={3} data-size="xs">
              <Hyphenated text={t('stats.topNationalities')} />
            </Heading>
            <List.Ordered data-testid="top-nationalities">
              {nationalities.map((r) => (
                <List.Item key={String(r.nationality)}>
                  {label('nationality', r.nationality)}: {persons_(r.count)}
                </List.Item>
              ))}
            </List.Ordered>
          </div>
        </div>
      </section>

      <section aria-labelledby="h-how">
        <Heading level={2} data-size="md" id="h-how">
          <Hyphenated text={t('stats.howCounted')} />
        </Heading>
        {(['who', 'groups', 'category', 'percent', 'missing', 'withdrawn', 'frozen'] as const).map((k) => (
          <Paragraph key={k}>{t(`stats.how.${k}`)}</Paragraph>
        ))}
        {report.disclosure && (
          <div data-testid="disclosure">
            <Paragraph>
              {t('stats.disclosure', { count: report.disclosure.suppressed, threshold: report.disclosure.threshold, width: report.disclosure.width })}
            </Paragraph>
            {Object.entries(report.disclosure.exact).map(([table, reason]) => (
              <Paragraph key={table}>{t('stats.exactTable', { table: tableTitle(codes, table, lang), reason })}</Paragraph>
            ))}
          </div>
        )}
        {report.quality.length > 0 && (
          <>
            <Heading level={3} data-size="xs">
              <Hyphenated text={t('stats.quality')} />
            </Heading>
            <Paragraph>{t('stats.qualityLead')}</Paragraph>
            <QualityNotesTable notes={report.quality} caption={t('stats.quality')} testId="quality-notes" />
          </>
        )}
      </section>

      {figures.length > 0 && (
        <section aria-labelledby="h-charts">
          <Heading level={2} data-size="md" id="h-charts">
            <Hyphenated text={t('stats.charts')} />
          </Heading>
          <Suspense fallback={<Paragraph>{t('stats.chartsLoading')}</Paragraph>}>
            <Charts charts={figures} />
          </Suspense>
        </section>
      )}

      {trend && (
        <section aria-labelledby="h-trend">
          <Heading level={2} data-size="md" id="h-trend">
            <Hyphenated text={t('stats.trend')} />
          </Heading>
          <Paragraph>{t('stats.trendLead')}</Paragraph>
          <div className="report-table" data-table={trend.id}>
            <h3 id={`table-${trend.id}`} className="ds-heading" data-size="2xs">
              <Hyphenated text={numbered(trend.id)} />
            </h3>
            <div className="table-wrap" role="region" aria-labelledby={`table-${trend.id}`} tabIndex={0}>
              <TrendTable rows={trend.rows} codes={codes} lang={lang} />
            </div>
            <p className="table-note">{t('stats.trendPrinted')}</p>
            {hasSuppressed(trend) && <p className="table-note">{t('stats.suppressed')}</p>}
          </div>
        </section>
      )}

      <section aria-labelledby="h-tables">
        <Heading level={2} data-size="md" id="h-tables">
          <Hyphenated text={t('stats.tables')} />
        </Heading>
        {tables.map((table) => (
          <ReportTableView key={table.id} table={table} codes={codes} caption={numbered(table.id)} />
        ))}
      </section>
    </div>
  );
}
