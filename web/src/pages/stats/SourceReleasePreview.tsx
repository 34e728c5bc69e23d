// A civil-society or support-programme release (/statistiker/utgavor/2024-civ-1): its state, the link to
// its public page once published, and its report as the public page shows it, in the exact form or the
// protected one the public reads (GET /api/stats/source-report?…&form=exact|protected, the exact form audited),
// and, for those who publish, its röjandeskydd.
import { useCallback, useEffect, useState } from 'react';
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { useUi } from '../../layout.tsx';
import { useCan } from '../../session.tsx';
import { AppLink, sourceReportPath } from '../../router.tsx';
import { releaseTag, type ReportSource } from '../../../../src/stats/sources/types.ts';
import type { Release } from './common.tsx';
import { FormChoice, PreviewFrame, type PreviewForm, type PreviewState } from './PreviewFrame.tsx';
import { ProtectionSection } from './ProtectionSection.tsx';
import { shownRelease, sourceOf } from './ReleasesPage.tsx';
import { reportTitle, SourceReportBody, sourceDownloadHref, type SourceReportView } from './SourceReport.tsx';

/** The source of a release id with a source tag (`2024-civ-1` → civil_society); undefined for the coordinators' (`2025-1`). */
export function sourceOfReleaseId(id: string): ReportSource | undefined {
  const m = /^\d{4}-([a-z]+)-\d+$/.exec(id);
  if (!m) return undefined;
  return (Object.entries(releaseTag) as [ReportSource, string][]).find(([, tag]) => tag === m[1])?.[0];
}

type Loaded = { items: Release[]; view: SourceReportView };

export function SourceReleasePreview({ id, source }: { id: string; source: ReportSource }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { announce } = useUi();
  const [state, setState] = useState<PreviewState<Loaded>>({ status: 'loading' });
  const [form, setForm] = useState<PreviewForm>('exact');
  const can = useCan();

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

  // The release's public address: its year's when it is (or would be) the year's shown release, else its own.
  const publicAddress = (release: Release, items: Release[]) => {
    const shown = shownRelease(items, release.year, release);
    return sourceReportPath(source, lang, release.year, shown && shown.id === release.id ? undefined : release.id);
  };

  return (
    <PreviewFrame id={id} state={state} demo={state.status === 'ok' && state.view.demo === true} onRetry={load}>
      {(loaded) => (
        <>
          <Paragraph data-testid="public-page">
            {loaded.release.published ? (
              <AppLink href={publicAddress(loaded.release, loaded.items)}>{t('sourceReport.release.publicPage')}</AppLink>
            ) : (
              t('sourceReport.release.notPublished', { address: publicAddress(loaded.release, loaded.items) })
            )}
          </Paragraph>
          {can('release.publish') && <ProtectionSection releaseId={loaded.release.id} report={{ kind: 'source', view: loaded.view }} onSaved={form === 'protected' ? load : undefined} />}
          <FormChoice form={form} onChange={setForm} />
          <Paragraph data-size="lg">
            <strong>{reportTitle(loaded.view, t)}</strong>
          </Paragraph>
          <SourceReportBody view={loaded.view} lang={lang} downloads={(f) => sourceDownloadHref(loaded.release.id, f, lang, form)} />
        </>
      )}
    </PreviewFrame>
  );
}
