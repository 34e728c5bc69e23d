// A civil-society or support-programme release (/statistiker/utgavor/2024-civ-1): its state, the link to
// its public page once published, and its report as the public page shows it, in the exact form or the
// protected one the public reads (GET /api/stats/source-report?…&form=exact|protected, the exact form audited).
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { PageHeading, useTitle, useUi } from '../../layout.tsx';
import { AppLink, sourceReportPath, statisticianPaths } from '../../router.tsx';
import { releaseTag, type ReportSource } from '../../../../src/stats/sources/types.ts';
import { checksumPrefix, type Release } from './common.tsx';
import { shownRelease, sourceOf } from './ReleasesPage.tsx';
import { reportTitle, SourceReportBody, sourceDownloadHref, type SourceReportView } from './SourceReport.tsx';

/** The source of a release id with a source tag (`2024-civ-1` → civil_society); undefined for the coordinators' (`2025-1`). */
export function sourceOfReleaseId(id: string): ReportSource | undefined {
  const m = /^\d{4}-([a-z]+)-\d+$/.exec(id);
  if (!m) return undefined;
  return (Object.entries(releaseTag) as [ReportSource, string][]).find(([, tag]) => tag === m[1])?.[0];
}

type State = { status: 'loading' } | { status: 'error'; text: string } | { status: 'ok'; release: Release; items: Release[]; view: SourceReportView };

export function SourceReleasePreview({ id, source }: { id: string; source: ReportSource }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { announce, setDemo } = useUi();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [form, setForm] = useState<'exact' | 'protected'>('exact');
  useTitle(t('statistician.preview.title', { id }));

  const load = useCallback(() => {
    setState((x) => (x.status === 'ok' ? x : { status: 'loading' }));
    (async () => {
      const { items } = await api<{ items: Release[] }>(`/api/stats/releases?source=${source}`);
      const release = items.find((r) => r.id === id && sourceOf(r) === source);
      if (!release) throw new ApiError(404, 'not_found', t('statistician.preview.notFound'));
      const q = new URLSearchParams({ source, year: String(release.year), release: release.id, form, lang });
      const view = await api<SourceReportView>(`/api/stats/source-report?${q}`);
      return { release, items, view };
    })().then(
      (d) => setState({ status: 'ok', ...d }),
      (e) => {
        const text = e instanceof ApiError ? e.message : t('error.load');
        setState({ status: 'error', text });
        announce(text);
      },
    );
  }, [id, source, lang, t, announce, form]);
  useEffect(load, [load]);

  const view = state.status === 'ok' ? state.view : null;
  useEffect(() => {
    setDemo(view?.demo === true);
    return () => setDemo(false);
  }, [view, setDemo]);

  // The release's public address: its year's when it is (or would be) the year's shown release, else its own.
  const publicAddress = (release: Release, items: Release[]) => {
    const shown = shownRelease(items, release.year, release);
    return sourceReportPath(source, lang, release.year, shown && shown.id === release.id ? undefined : release.id);
  };

  return (
    <>
      <PageHeading>{t('statistician.preview.title', { id })}</PageHeading>
      <Paragraph>
        <AppLink href={statisticianPaths.releases}>{t('statistician.preview.back')}</AppLink>
      </Paragraph>
      {state.status === 'loading' && <Spinner aria-label={t('loading')} data-size="lg" />}
      {state.status === 'error' && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{state.text}</Paragraph>
          <Button variant="secondary" onClick={load}>
            {t('error.retry')}
          </Button>
        </Alert>
      )}
      {state.status === 'ok' && (
        <>
          <Paragraph data-testid="release-state">
            {t('statistician.preview.state', {
              state: (state.release.published ? t('statistician.releases.published') : t('statistician.releases.internal')).toLowerCase(),
              checksum: checksumPrefix(state.release.checksum),
            })}
          </Paragraph>
          <Paragraph data-testid="public-page">
            {state.release.published ? (
              <AppLink href={publicAddress(state.release, state.items)}>{t('sourceReport.release.publicPage')}</AppLink>
            ) : (
              t('sourceReport.release.notPublished', { address: publicAddress(state.release, state.items) })
            )}
          </Paragraph>
          <Fieldset className="inline-form" data-testid="preview-form">
            <Fieldset.Legend>{t('statistician.protection.formLabel')}</Fieldset.Legend>
            {(['exact', 'protected'] as const).map((f) => (
              <Radio
                key={f}
                name="preview-form"
                value={f}
                label={t(f === 'exact' ? 'statistician.protection.formExact' : 'statistician.protection.formProtected')}
                checked={form === f}
                onChange={() => setForm(f)}
              />
            ))}
          </Fieldset>
          <Paragraph data-size="lg">
            <strong>{reportTitle(state.view, t)}</strong>
          </Paragraph>
          <SourceReportBody view={state.view} lang={lang} downloads={(f) => sourceDownloadHref(state.release.id, f, lang, form)} />
        </>
      )}
    </>
  );
}
