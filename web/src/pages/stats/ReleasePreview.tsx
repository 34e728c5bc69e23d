// One release's report as the public will see it once published (/statistiker/utgavor/2025-2): the
// public statistics page's own view (every table, every chart with its table, the downloads), in the
// exact form or the protected one the public reads (?form=protected), and its disclosure control.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { useCodes } from '../../codes.ts';
import { useCan } from '../../session.tsx';
import { ProtectionSection } from './ProtectionSection.tsx';
import type { Lang } from '../../i18n.ts';
import { PageHeading, useTitle, useUi } from '../../layout.tsx';
import type { Chart, Report } from '../../report.ts';
import { AppLink, statisticianPaths } from '../../router.tsx';
import { ReportView } from '../Statistics.tsx';
import { Allowed, checksumPrefix, type Release } from './common.tsx';
import { SourceReleasePreview, sourceOfReleaseId } from './SourceReleasePreview.tsx';

export function ReleasePreview({ id }: { id: string }) {
  // A civil-society or support-programme release (2024-civ-1) has its own report and page.
  const source = sourceOfReleaseId(id);
  return <Allowed abilities={['release.read_internal']}>{source ? <SourceReleasePreview id={id} source={source} /> : <Preview id={id} />}</Allowed>;
}

type State = { status: 'loading' } | { status: 'error'; text: string } | { status: 'ok'; release: Release; report: Report; charts: Chart[] };

function Preview({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { announce, setDemo } = useUi();
  const [state, setState] = useState<State>({ status: 'loading' });
  const can = useCan();
  const [form, setForm] = useState<'exact' | 'protected'>('exact');
  useTitle(t('statistician.preview.title', { id }));

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

  const report = state.status === 'ok' ? state.report : null;
  useEffect(() => {
    setDemo(report?.demo === true);
    return () => setDemo(false);
  }, [report, setDemo]);

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
          {state.release.published && can('release.read_internal') && (
            <Paragraph data-testid="ctdc-export">
              <a href={`/api/stats/ctdc?year=${state.release.year}&release=${encodeURIComponent(state.release.id)}`} download>
                {t('statistician.preview.ctdc')}
              </a>{' '}
              <span className="table-note">{t('statistician.preview.ctdcHelp')}</span>
            </Paragraph>
          )}
          {can('release.publish') && <ProtectionSection releaseId={state.release.id} notes={state.report.quality} onSaved={form === 'protected' ? load : undefined} />}
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
          <ReportView report={state.report} charts={state.charts} codes={codes} lang={lang} />
        </>
      )}
    </>
  );
}
