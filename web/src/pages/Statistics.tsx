// The public statistics: the latest published release. Key figures and tables render as soon as the
// report arrives; the charts (vega) come in their own chunk afterwards.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Alert, Button, Heading, Link, List, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { optional } from '../api.ts';
import { tableTitle, tableWith, useCodes, type Codes } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, publicPaths } from '../router.tsx';
import { hasSuppressed, rowsOf, SUPPRESSED, totalOf, type PublicStats, type Report, type ReportRow } from '../report.ts';
import { ReportTableView, TrendTable, useLabeller } from './ReportTables.tsx';
import { QualityNotesTable } from './stats/QualityNotes.tsx';

const Charts = lazy(() => import('./Charts.tsx'));

type State = { status: 'loading' } | { status: 'error' } | { status: 'ok'; data: PublicStats };

export function Statistics() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { setDemo } = useUi();
  const [state, setState] = useState<State>({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    optional<PublicStats>('/api/stats/public').then(
      (data) => setState({ status: 'ok', data: data ?? { report: null, charts: [], releases: [] } }),
      () => setState({ status: 'error' }),
    );
  }, []);
  useEffect(load, [load, lang]);

  // The public answer is the protected form: a suppressed count or percent is null and shows as "..".
  const report = state.status === 'ok' ? state.data.report : null;
  useEffect(() => {
    setDemo(report?.demo === true);
    return () => setDemo(false);
  }, [report, setDemo]);

  const title = report ? t('stats.titleYear', { year: report.year }) : t('stats.title');
  useTitle(title);

  return (
    <>
      <PageHeading>{title}</PageHeading>
      {report && (
        <Paragraph>
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
      {state.status === 'ok' && report && <ReportView report={report} charts={state.data.charts ?? []} codes={codes} lang={lang} />}
    </>
  );
}

/** The whole report: key figures, how it is counted, charts, trend, tables, downloads. Also the statistician's preview of a release. */
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
  const groups = (['woman', 'man', 'girl', 'boy'] as const).map((g) => ({ g, n: keyFigure('group', g) }));
  const groupText = { woman: t('stats.women'), man: t('stats.men'), girl: t('stats.girls'), boy: t('stats.boys') };
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
  const trendId = tableWith(codes, 'years');
  const trend = report.tables.find((x) => x.id === trendId);
  const tables = report.tables.filter((x) => x !== trend);
  const q = new URLSearchParams({ year: String(report.year), ...(report.release.id ? { release: report.release.id } : {}) });
  const n = (v: number) => formatNumber(v, lang);
  const shown = (v: number | null) => (v === null ? SUPPRESSED : n(v));

  return (
    <>
      <Paragraph>
        {t('stats.release', { number: report.release.number ?? 1, kind: t(`stats.kind.${report.release.kind}`), year: report.year })}
      </Paragraph>

      <section aria-labelledby="h-key">
        <Heading level={2} data-size="md" id="h-key">
          {t('stats.keyFigures')}
        </Heading>
        <ul className="key-figures" data-testid="key-figures">
          <li className="key-figure">
            <span className="value">{shown(total)}</span>
            <span className="what">{t('stats.total')}</span>
          </li>
          {groups.map(({ g, n: count }) => (
            <li className="key-figure" key={g}>
              <span className="value">{shown(count)}</span>
              <span className="what">{groupText[g]}</span>
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
              {t('stats.commonForms')}
            </Heading>
            <List.Ordered>
              {forms.map((r) => (
                <List.Item key={String(r.category)}>
                  {label('category', r.category)}:{' '}
                  {percentOf(r) === null ? t('stats.persons', { n: n(r.count) }) : t('stats.personsPercent', { n: n(r.count), percent: percentOf(r) })}
                </List.Item>
              ))}
            </List.Ordered>
          </div>
          <div>
            <Heading level={3} data-size="xs">
              {t('stats.topNationalities')}
            </Heading>
            <List.Ordered>
              {nationalities.map((r) => (
                <List.Item key={String(r.nationality)}>
                  {label('nationality', r.nationality)}: {t('stats.persons', { n: n(r.count) })}
                </List.Item>
              ))}
            </List.Ordered>
          </div>
        </div>
      </section>

      <section aria-labelledby="h-how">
        <Heading level={2} data-size="md" id="h-how">
          {t('stats.howCounted')}
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
              {t('stats.quality')}
            </Heading>
            <Paragraph>{t('stats.qualityLead')}</Paragraph>
            <QualityNotesTable notes={report.quality} caption={t('stats.quality')} testId="quality-notes" />
          </>
        )}
      </section>

      {charts.length > 0 && (
        <section aria-labelledby="h-charts">
          <Heading level={2} data-size="md" id="h-charts">
            {t('stats.charts')}
          </Heading>
          <Suspense fallback={<Paragraph>{t('stats.chartsLoading')}</Paragraph>}>
            <Charts charts={charts} />
          </Suspense>
        </section>
      )}

      {trend && (
        <section aria-labelledby="h-trend">
          <Heading level={2} data-size="md" id="h-trend">
            {t('stats.trend')}
          </Heading>
          <Paragraph>{t('stats.trendLead')}</Paragraph>
          <div className="table-wrap" role="region" aria-label={tableTitle(codes, trend.id, lang)} tabIndex={0}>
            <TrendTable rows={trend.rows} codes={codes} lang={lang} />
          </div>
          <p className="table-note">{t('stats.trendPrinted')}</p>
          {hasSuppressed(trend) && <p className="table-note">{t('stats.suppressed')}</p>}
        </section>
      )}

      <section aria-labelledby="h-tables">
        <Heading level={2} data-size="md" id="h-tables">
          {t('stats.tables')}
        </Heading>
        {tables.map((table) => (
          <ReportTableView key={table.id} table={table} codes={codes} />
        ))}
      </section>

      <section aria-labelledby="h-downloads">
        <Heading level={2} data-size="md" id="h-downloads">
          {t('stats.downloads')}
        </Heading>
        <Paragraph>{t('stats.downloadsLead')}</Paragraph>
        <List.Unordered>
          {(['pdf', 'xlsx', 'csv', 'json'] as const).map((f) => (
            <List.Item key={f}>
              <Link href={`/api/stats/report/download?${q}&format=${f}`} download>
                {t(`stats.format.${f}`)}
              </Link>
            </List.Item>
          ))}
        </List.Unordered>
      </section>
    </>
  );
}
