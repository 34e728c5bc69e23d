// Possible duplicates to review (/dubbletter?ar=2025): pairs of cases of one year with the same linkage
// key. A coordinator, organisation reporter or programme officer sees the pairs inside their own region or
// organisation; the statistician the pairs across regions, organisations and sources. Each pair is
// resolved as the same person or different persons (stored and audited by the server).
import { useEffect, useState } from 'react';
import { Alert, Button, Heading, Paragraph, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { YearForm } from '../yearForm.tsx';
import type { DuplicateList, DuplicatePair, DuplicateResolutionCode, UniquePeopleOverview } from '../../../src/contract/index.ts';
import { api, ApiError } from '../api.ts';
import { useCaseYears } from '../caseYears.ts';
import { formatDateTime, formatNumber, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, useLocation } from '../router.tsx';
import { useCan } from '../session.tsx';
import { yearChoices } from './stats/common.tsx';

export const duplicatesPath = '/dubbletter';

export function DuplicatesPage() {
  const { t } = useTranslation();
  const can = useCan();
  if (can('duplicates.review') || can('duplicates.review_national')) return <Duplicates />;
  return (
    <Alert data-color="warning" role="alert">
      <Paragraph>{t('duplicates.forbidden')}</Paragraph>
    </Alert>
  );
}

const resolutions: DuplicateResolutionCode[] = ['same_person', 'different_persons'];

function Duplicates() {
  const { t, i18n } = useTranslation();
  const { announce } = useUi();
  const { search } = useLocation();
  const years = yearChoices();
  const asked = Number(search.get('ar'));
  const { opening } = useCaseYears();
  const ready = years.includes(asked) || opening !== null;
  const year = years.includes(asked) ? asked : opening !== null && years.includes(opening) ? opening : years[0];
  const [data, setData] = useState<DuplicateList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useTitle(t('duplicates.title', { year }));

  useEffect(() => {
    setData(null);
    setError(null);
    if (!ready) return;
    let live = true;
    api<DuplicateList>(`/api/duplicates?year=${year}`).then(
      (d) => {
        if (!live) return;
        setData(d);
        announce(t('duplicates.loaded', { year, count: d.items.length }));
      },
      (e) => {
        if (!live) return;
        const text = e instanceof ApiError ? e.message : t('error.load');
        setError(text);
        announce(text);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [year, ready]);


  const casesText = (p: DuplicatePair) => t('duplicates.pair', { a: p.cases[0].reference, b: p.cases[1].reference });

  const resolve = async (pair: DuplicatePair, resolution: DuplicateResolutionCode) => {
    setBusy(pair.id);
    setError(null);
    try {
      const saved = await api<DuplicatePair>(`/api/duplicates/${encodeURIComponent(pair.id)}/resolution`, { method: 'POST', body: { resolution } });
      setData((d) => (d ? { ...d, items: d.items.map((p) => (p.id === saved.id ? saved : p)) } : d));
      announce(t('duplicates.saved', { cases: casesText(pair), resolution: t(`duplicates.${resolution}`) }));
    } catch (e) {
      const text = e instanceof ApiError ? e.message : t('error.load');
      setError(text);
      announce(text);
    } finally {
      setBusy(null);
    }
  };

  const national = data?.scopes.includes('national') ?? false;
  const [overview, setOverview] = useState<UniquePeopleOverview | null>(null);
  // The national overview the statistician's resolutions feed, read again after each resolution.
  const resolvedCount = data?.items.filter((p) => p.resolution).map((p) => `${p.id}:${p.resolution!.resolution}`).join(',') ?? '';
  useEffect(() => {
    if (!national) return;
    let live = true;
    api<UniquePeopleOverview>(`/api/stats/unique-people?year=${year}`).then(
      (o) => live && setOverview(o),
      () => live && setOverview(null),
    );
    return () => {
      live = false;
    };
  }, [national, year, resolvedCount]);

  return (
    <>
      <PageHeading>{t('duplicates.title', { year })}</PageHeading>
      <Paragraph>{data ? t(national ? 'duplicates.leadNational' : 'duplicates.leadLocal') : t('duplicates.lead')}</Paragraph>
      <YearForm key={year} id="duplicates-year" label={t('duplicates.year')} submit={t('duplicates.show')} year={year} years={years} path={duplicatesPath} />

      {!data && !error && <Spinner aria-label={t('loading')} data-size="md" />}
      {error && (
        <Alert data-color="danger">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {data && data.items.length === 0 && <Paragraph data-testid="duplicates-none">{t('duplicates.none')}</Paragraph>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <Table zebra data-size="sm" data-testid="duplicates">
            <caption>{t('duplicates.caption', { year })}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('duplicates.cases')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('duplicates.scope')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('duplicates.resolution')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('duplicates.actions')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {data.items.map((p) => {
                const rowId = `pair-${p.id}`;
                return (
                  <Table.Row key={p.id} data-pair={p.id}>
                    <Table.HeaderCell scope="row" id={rowId}>
                      <AppLink href={`/arenden/${encodeURIComponent(p.cases[0].id)}`}>{p.cases[0].reference}</AppLink>
                      {` ${t('duplicates.and')} `}
                      <AppLink href={`/arenden/${encodeURIComponent(p.cases[1].id)}`}>{p.cases[1].reference}</AppLink>
                    </Table.HeaderCell>
                    <Table.Cell>{t(p.scope === 'national' ? 'duplicates.scopeNational' : 'duplicates.scopeLocal')}</Table.Cell>
                    <Table.Cell data-testid="resolution">
                      {p.resolution ? (
                        <>
                          <Tag data-color={p.resolution.resolution === 'same_person' ? 'info' : 'neutral'} data-size="sm">
                            {t(`duplicates.${p.resolution.resolution}`)}
                          </Tag>{' '}
                          <span className="muted">{formatDateTime(p.resolution.resolved_at, i18n.language)}</span>
                        </>
                      ) : (
                        t('duplicates.notResolved')
                      )}
                    </Table.Cell>
                    <Table.Cell>
                      <div role="group" aria-label={t('duplicates.actionsFor', { cases: casesText(p) })} className="button-row" style={{ marginTop: 0 }}>
                        {resolutions.map((r) => (
                          <Button
                            key={r}
                            type="button"
                            variant={p.resolution?.resolution === r ? 'primary' : 'secondary'}
                            data-size="sm"
                            aria-pressed={p.resolution?.resolution === r}
                            aria-describedby={rowId}
                            disabled={busy === p.id}
                            onClick={() => void resolve(p, r)}
                          >
                            {t(`duplicates.${r}`)}
                          </Button>
                        ))}
                      </div>
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
        </div>
      )}
      {national && overview && <UniquePeople overview={overview} />}
    </>
  );
}

/** Persons known to exactly each combination of sources, and to any source, in a year (exact, live data). */
function UniquePeople({ overview }: { overview: UniquePeopleOverview }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const name = (sources: string[]) => sources.map((s) => t(`duplicates.sources.${s}`)).join(' + ');
  return (
    <section aria-labelledby="h-unique-people" data-testid="unique-people">
      <Heading level={2} data-size="md" id="h-unique-people">
        {t('duplicates.overviewTitle', { year: overview.year })}
      </Heading>
      <Paragraph>{t('duplicates.overviewLead')}</Paragraph>
      <div className="table-wrap">
        <Table zebra data-size="sm">
          <caption>{t('duplicates.overviewCaption', { year: overview.year })}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('duplicates.combination')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('duplicates.persons')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {overview.combinations.map((c) => (
              <Table.Row key={c.sources.join('+')} data-combination={c.sources.join('+')}>
                <Table.HeaderCell scope="row">{name(c.sources)}</Table.HeaderCell>
                <Table.Cell>{n(c.persons)}</Table.Cell>
              </Table.Row>
            ))}
            <Table.Row data-combination="total">
              <Table.HeaderCell scope="row">{t('duplicates.total')}</Table.HeaderCell>
              <Table.Cell>{n(overview.persons)}</Table.Cell>
            </Table.Row>
          </Table.Body>
        </Table>
      </div>
    </section>
  );
}
