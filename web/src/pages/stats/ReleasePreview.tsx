// One release's report as the public will see it once published (/statistiker/utgavor/2025-2): the
// public statistics page's own view (every table, every chart with its table, the downloads), in the
// exact form or the protected one the public reads (?form=protected), and its disclosure control.
import { useCallback, useEffect, useState } from 'react';
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { useCodes } from '../../codes.ts';
import { useCan } from '../../session.tsx';
import { ProtectionSection } from './ProtectionSection.tsx';
import type { Lang } from '../../i18n.ts';
import { useUi } from '../../layout.tsx';
import type { Chart, Report } from '../../report.ts';
import { ReportView } from '../Statistics.tsx';
import { Allowed, type Release } from './common.tsx';
import { FormChoice, PreviewFrame, type PreviewForm, type PreviewState } from './PreviewFrame.tsx';
import { SourceReleasePreview, sourceOfReleaseId } from './SourceReleasePreview.tsx';

export function ReleasePreview({ id }: { id: string }) {
  // A civil-society or support-programme release (2024-civ-1) has its own report and page.
  const source = sourceOfReleaseId(id);
  return <Allowed abilities={['release.read_internal']}>{source ? <SourceReleasePreview id={id} source={source} /> : <Preview id={id} />}</Allowed>;
}

type Loaded = { report: Report; charts: Chart[] };

function Preview({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { announce } = useUi();
  const [state, setState] = useState<PreviewState<Loaded>>({ status: 'loading' });
  const can = useCan();
  const [form, setForm] = useState<PreviewForm>('exact');

  const load = useCallback(() => {
    // Switching the form keeps the page (and the focus on the switch) until the other form arrives.
    setState((x) => (x.status === 'ok' ? x : { status: 'loading' }));
    (async () => {
      const { items } = await api<{ items: Release[] }>('/api/stats/releases');
      const release = items.find((r) => r.id === id);
      if (!release) throw new ApiError(404, 'not_found', t('statistician.preview.notFound'));
      const q = new URLSearchParams({ year: String(release.year), release: release.id, ...(form === 'protected' ? { form } : {}) });
      const [report, charts] = await Promise.all([api<Report>(`/api/stats/report?${q}`), api<Chart[]>(`/api/stats/charts?${q}&lang=${lang}`)]);
      return { release, report, charts };
    })().then(
      (d) => setState({ status: 'ok', ...d }),
      (e) => {
        const text = e instanceof ApiError ? e.message : t('error.load');
        setState({ status: 'error', text });
        announce(text);
      },
    );
  }, [id, lang, t, announce, form]);
  useEffect(load, [load]);

  return (
    <PreviewFrame id={id} state={state} demo={state.status === 'ok' && state.report.demo === true} onRetry={load}>
      {(loaded) => (
        <>
          {loaded.release.published && can('release.read_internal') && (
            <Paragraph data-testid="ctdc-export">
              <a href={`/api/stats/ctdc?year=${loaded.release.year}&release=${encodeURIComponent(loaded.release.id)}`} download>
                {t('statistician.preview.ctdc')}
              </a>{' '}
              <span className="table-note">{t('statistician.preview.ctdcHelp')}</span>
            </Paragraph>
          )}
          {can('release.publish') && <ProtectionSection releaseId={loaded.release.id} report={{ kind: 'coordinator', notes: loaded.report.quality }} onSaved={form === 'protected' ? load : undefined} />}
          <FormChoice form={form} onChange={setForm} />
          <ReportView report={loaded.report} charts={loaded.charts} codes={codes} lang={lang} />
        </>
      )}
    </PreviewFrame>
  );
}
