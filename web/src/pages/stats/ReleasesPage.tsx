// Releases (/statistiker/utgavor): every release of each source (the regional coordinators', civil
// society's, the support programmes'), freezing a new one of a source and publishing one, each behind a
// confirmation dialog. Each release links to its preview (every table and chart, the downloads).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Dialog, Field, Heading, Label, Paragraph, Select, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { formatDateTime, formatNumber, PageHeading, useTitle, useUi } from '../../layout.tsx';
import { AppLink, publicPaths, sourceReportPath, statisticianPaths } from '../../router.tsx';
import type { ReportSource } from '../../../../src/stats/sources/types.ts';
import { useCan } from '../../session.tsx';
import { useCaseYears } from '../../caseYears.ts';
import { Allowed, checksumPrefix, yearChoices, type Release, type YearQuality } from './common.tsx';

type Kind = Release['kind'];

/**
 * The release the public statistics page shows for a year when `also` is published too: the
 * newest final release, else the newest preliminary (as the server chooses it).
 */
export function shownRelease(items: readonly Release[], year: number, also?: Release): Release | undefined {
  const published = items.filter((r) => r.year === year && (r.published || r.id === also?.id)).sort((a, b) => b.number - a.number);
  return published.find((r) => r.kind === 'final') ?? published.find((r) => r.kind === 'preliminary');
}
/** Whose records a release freezes: the coordinators' cases or one of the sources with a report of its own. */
export type ReleaseSource = 'coordinator' | ReportSource;
export const releaseSources: readonly ReleaseSource[] = ['coordinator', 'civil_society', 'support_programme'];
const reportSourceList: readonly ReportSource[] = ['civil_society', 'support_programme'];
/** The source a listed release belongs to (a server that does not say is the coordinators'). */
export const sourceOf = (r: Release): ReleaseSource => ((r as Release & { source?: ReleaseSource }).source ?? 'coordinator');

type Pending = { action: 'freeze'; year: number; kind: Kind; count: number | null; source: ReleaseSource } | { action: 'publish'; release: Release };
type Outcome = { ok: boolean; text: string };

export function ReleasesPage() {
  return (
    <Allowed abilities={['release.read_internal']}>
      <Releases />
    </Allowed>
  );
}

function Releases() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const can = useCan();
  const { announce } = useUi();
  useTitle(t('statistician.releases.title'));
  const [items, setItems] = useState<Release[] | null>(null);
  // Each source's releases (GET /api/stats/releases?source=…).
  const [sourceItems, setSourceItems] = useState<Record<ReportSource, Release[]> | null>(null);
  const [source, setSource] = useState<ReleaseSource>('coordinator');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [year, setYear] = useState(String(yearChoices()[1] ?? yearChoices()[0]));
  // The freeze opens on the year the quality page and the start page open on.
  const { opening } = useCaseYears();
  useEffect(() => {
    if (opening !== null && yearChoices().includes(opening)) setYear(String(opening));
  }, [opening]);
  const [kind, setKind] = useState<Kind>('preliminary');
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const n = (v: number) => formatNumber(v, lang);
  const kindText = (k: Kind) => t(`stats.kind.${k}`);

  const load = useCallback(() => {
    Promise.all([
      api<{ items: Release[] }>('/api/stats/releases'),
      ...reportSourceList.map((s) => api<{ items: Release[] }>(`/api/stats/releases?source=${s}`)),
    ]).then(
      ([coordinator, ...bySource]) => {
        setItems(coordinator.items.filter((r) => sourceOf(r) === 'coordinator'));
        setSourceItems(
          Object.fromEntries(reportSourceList.map((s, i) => [s, bySource[i].items.filter((r) => sourceOf(r) === s)])) as Record<ReportSource, Release[]>,
        );
        setLoadError(null);
      },
      (e) => setLoadError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [t]);
  const listOf = (s: ReleaseSource): Release[] => (s === 'coordinator' ? (items ?? []) : (sourceItems?.[s] ?? []));
  useEffect(load, [load]);

  useEffect(() => {
    if (pending && !dialog.current?.open) dialog.current?.showModal();
  }, [pending]);

  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const report = (o: Outcome) => {
    setOutcome(o);
    announce(o.text);
  };

  // Asks how many cases the freeze would take (the live data of the year) before confirming.
  const askFreeze = async (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    // The quality page counts the coordinators' cases; another source's freeze is confirmed without a count.
    if (source !== 'coordinator') {
      setPending({ action: 'freeze', year: Number(year), kind, count: null, source });
      return;
    }
    setBusy(true);
    try {
      const q = await api<YearQuality>(`/api/stats/quality?year=${encodeURIComponent(year)}`);
      setPending({ action: 'freeze', year: Number(year), kind, count: q.cases, source: 'coordinator' });
    } catch (err) {
      report({ ok: false, text: err instanceof ApiError ? err.message : t('error.load') });
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    dialog.current?.close();
    setPending(null);
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      if (pending.action === 'freeze') {
        const coordinator = pending.source === 'coordinator';
        const body = { year: pending.year, kind: pending.kind, ...(coordinator ? {} : { source: pending.source }) };
        const r = await api<Release>('/api/stats/releases', { method: 'POST', body });
        report({ ok: true, text: t(coordinator ? 'statistician.releases.frozen' : 'sourceReport.release.frozen', { id: r.id, count: n(r.case_count) }) });
      } else {
        const r = await api<Release>(`/api/stats/releases/${encodeURIComponent(pending.release.id)}/publish`, { method: 'POST' });
        report({ ok: true, text: t('statistician.releases.publishedDone', { id: r.id }) });
      }
      load();
    } catch (err) {
      report({ ok: false, text: err instanceof ApiError ? err.message : t('error.load') });
    } finally {
      setBusy(false);
      close();
    }
  };

  const lower = (s: ReleaseSource) => t(`sourceReport.release.lower.${s}`);
  const dialogTitle =
    pending?.action === 'freeze'
      ? pending.source === 'coordinator'
        ? t('statistician.releases.confirmFreezeTitle', { kind: kindText(pending.kind), year: pending.year })
        : t('sourceReport.release.confirmFreezeTitle', { kind: kindText(pending.kind), year: pending.year, source: lower(pending.source) })
      : pending
        ? t('statistician.releases.confirmPublishTitle', { id: pending.release.id })
        : '';
  const dialogText = (() => {
    if (!pending) return '';
    if (pending.action === 'freeze')
      return pending.count === null || pending.source !== 'coordinator'
        ? t('sourceReport.release.confirmFreeze', { source: lower(pending.source), year: pending.year })
        : t('statistician.releases.confirmFreeze', { count: n(pending.count), year: pending.year });
    const r = pending.release;
    const rs = sourceOf(r);
    // Another source's release is shown at its report's own address (the year's when it is the year's newest final).
    if (rs !== 'coordinator') {
      const ofYear = shownRelease(listOf(rs), r.year, r);
      const address = sourceReportPath(rs, lang, r.year, ofYear && ofYear.id !== r.id ? r.id : undefined);
      return t('sourceReport.release.confirmPublish', { id: r.id, kind: kindText(r.kind), count: n(r.case_count), address });
    }
    const shown = shownRelease(items ?? [], r.year, r);
    const values = { id: r.id, kind: kindText(r.kind), count: n(r.case_count), year: r.year };
    if (!shown || shown.id === r.id) return t('statistician.releases.confirmPublish', values);
    const address = `${publicPaths.statistics[lang]}/${r.year}/${encodeURIComponent(r.id)}`;
    return t('statistician.releases.confirmPublishNotShown', { ...values, shown: shown.id, shownKind: kindText(shown.kind), address });
  })();
  // What else the dialog must say: a final release the freeze comes after; the releases the publication is audited with.
  const dialogWarning = (() => {
    if (!pending || !items) return '';
    if (pending.action === 'freeze') {
      const final = listOf(pending.source).find((r) => r.year === pending.year && r.kind === 'final');
      return pending.kind === 'preliminary' && final ? t('statistician.releases.freezeAfterFinal', { year: pending.year, id: final.id }) : '';
    }
    const others = listOf(sourceOf(pending.release))
      .filter((r) => r.year === pending.release.year && r.published && r.id !== pending.release.id)
      .map((r) => r.id);
    return others.length ? t('statistician.releases.publishTogether', { ids: others.join(', ') }) : '';
  })();

  return (
    <>
      <PageHeading>{t('statistician.releases.title')}</PageHeading>
      <Paragraph>{t('statistician.releases.lead')}</Paragraph>

      {outcome && (
        <Alert data-color={outcome.ok ? 'success' : 'danger'} ref={outcomeRef} tabIndex={-1} data-testid="release-outcome">
          <Paragraph>{outcome.text}</Paragraph>
        </Alert>
      )}

      {can('release.freeze') && (
        <section aria-labelledby="h-freeze">
          <Heading level={2} data-size="md" id="h-freeze">
            {t('statistician.releases.freeze')}
          </Heading>
          <Paragraph>{t('statistician.releases.freezeLead')}</Paragraph>
          <form className="inline-form" onSubmit={askFreeze}>
            <Field>
              <Label htmlFor="freeze-source">{t('sourceReport.release.source')}</Label>
              <Select id="freeze-source" value={source} onChange={(e) => setSource(e.target.value as ReleaseSource)}>
                {releaseSources.map((s) => (
                  <Select.Option key={s} value={s}>
                    {t(`sourceReport.release.sources.${s}`)}
                  </Select.Option>
                ))}
              </Select>
            </Field>
            <Field>
              <Label htmlFor="freeze-year">{t('statistician.releases.year')}</Label>
              <Select id="freeze-year" value={year} onChange={(e) => setYear(e.target.value)}>
                {yearChoices().map((y) => (
                  <Select.Option key={y} value={String(y)}>
                    {y}
                  </Select.Option>
                ))}
              </Select>
            </Field>
            <Field>
              <Label htmlFor="freeze-kind">{t('statistician.releases.kind')}</Label>
              <Select id="freeze-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
                {(['preliminary', 'final'] as const).map((k) => (
                  <Select.Option key={k} value={k}>
                    {t(`statistician.releases.kindOption.${k}`)}
                  </Select.Option>
                ))}
              </Select>
            </Field>
            <Button type="submit" disabled={busy} aria-disabled={busy}>
              {t('statistician.releases.freezeSubmit')}
            </Button>
          </form>
        </section>
      )}

      <section>
        <Heading level={2} data-size="md" id="h-list">
          {t('statistician.releases.list')}
        </Heading>
        <Paragraph>
          <AppLink href={statisticianPaths.compare}>{t('statistician.releases.compare')}</AppLink>
        </Paragraph>
        {loadError && (
          <Alert data-color="danger" role="alert">
            <Paragraph>{loadError}</Paragraph>
            <Button variant="secondary" onClick={load}>
              {t('error.retry')}
            </Button>
          </Alert>
        )}
        {!items && !loadError && <Spinner aria-label={t('loading')} data-size="md" />}
        {items &&
          releaseSources.map((s) => (
            // Not a landmark of its own: its table's scrolling region is already named by the heading.
            <section key={s} data-source={s}>
              <Heading level={3} data-size="sm" id={`h-list-${s}`}>
                {t(`sourceReport.release.sources.${s}`)}
              </Heading>
              {listOf(s).length === 0 ? (
                <Paragraph>{s === 'coordinator' ? t('statistician.releases.none') : t(`sourceReport.release.none.${s}`)}</Paragraph>
              ) : (
                <ReleaseTable
                  source={s}
                  items={listOf(s)}
                  busy={busy}
                  onPublish={(r) => {
                    setOutcome(null);
                    setPending({ action: 'publish', release: r });
                  }}
                />
              )}
            </section>
          ))}
      </section>

      <Dialog ref={dialog} closedby="any" aria-labelledby="confirm-title" aria-describedby="confirm-text" onClose={() => setPending(null)} closeButton={false}>
        <Heading level={2} data-size="sm" id="confirm-title">
          {dialogTitle}
        </Heading>
        <Paragraph id="confirm-text">{dialogText}</Paragraph>
        {dialogWarning && (
          <Alert data-color="warning" data-testid="confirm-warning">
            <Paragraph>{dialogWarning}</Paragraph>
          </Alert>
        )}
        {pending?.action === 'publish' && (
          <Paragraph>
            {t('statistician.releases.publishRules')}{' '}
            <AppLink href={statisticianPaths.release(pending.release.id)}>{t('statistician.releases.publishRulesLink', { id: pending.release.id })}</AppLink>
          </Paragraph>
        )}
        <div className="button-row">
          <Button data-color={pending?.action === 'publish' ? 'danger' : undefined} onClick={confirm} disabled={busy} aria-disabled={busy}>
            {pending?.action === 'publish' ? t('statistician.releases.confirmPublishYes') : t('statistician.releases.confirmFreezeYes')}
          </Button>
          <Button variant="secondary" onClick={close}>
            {t('statistician.releases.cancel')}
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/** One source's releases: each links to its preview; an internal one may be published. */
function ReleaseTable({ source, items, busy, onPublish }: { source: ReleaseSource; items: Release[]; busy: boolean; onPublish: (r: Release) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const can = useCan();
  const n = (v: number) => formatNumber(v, lang);
  return (
    <div className="table-wrap" role="region" aria-labelledby={`h-list-${source}`} tabIndex={0}>
      {/* The coordinators' table keeps the test id it always had. */}
      <Table zebra data-size="sm" data-testid={source === 'coordinator' ? 'releases' : `releases-${source}`}>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('statistician.releases.id')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.year')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.kind')}</Table.HeaderCell>
            <Table.HeaderCell scope="col" className="num">
              {source === 'coordinator' ? t('statistician.releases.cases') : t('sourceReport.release.records')}
            </Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.state')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.checksum')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.created')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('statistician.releases.actions')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((r) => (
            <Table.Row key={r.id} data-release={r.id}>
              <Table.HeaderCell scope="row">
                <AppLink href={statisticianPaths.release(r.id)} aria-label={t('statistician.releases.preview', { id: r.id })}>
                  {r.id}
                </AppLink>
              </Table.HeaderCell>
              <Table.Cell>{r.year}</Table.Cell>
              <Table.Cell>{t(`stats.kind.${r.kind}`)}</Table.Cell>
              <Table.Cell className="num">{n(r.case_count)}</Table.Cell>
              <Table.Cell>
                <Tag data-color={r.published ? 'success' : 'neutral'} data-size="sm">
                  {r.published ? t('statistician.releases.published') : t('statistician.releases.internal')}
                </Tag>
                {r.published_at && <span className="table-note"> {formatDateTime(r.published_at, lang)}</span>}
              </Table.Cell>
              <Table.Cell>
                <code title={r.checksum}>{checksumPrefix(r.checksum)}</code>
              </Table.Cell>
              <Table.Cell>{formatDateTime(r.created_at, lang)}</Table.Cell>
              <Table.Cell>
                {!r.published && can('release.publish') && (
                  <Button variant="secondary" data-size="sm" disabled={busy} onClick={() => onPublish(r)}>
                    {t('statistician.releases.publish', { id: r.id })}
                  </Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}
