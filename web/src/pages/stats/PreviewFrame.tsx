// What a release's preview page holds whatever its source (the coordinators' report or a
// civil-society or support-programme report): the heading, the way back to the releases, loading and
// failure with a retry, the release's state, and the choice between the exact and the protected form.
import { useEffect, type ReactNode } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { PageHeading, useTitle, useUi } from '../../layout.tsx';
import { AppLink, statisticianPaths } from '../../router.tsx';
import { checksumPrefix, type Release } from './common.tsx';

export type PreviewForm = 'exact' | 'protected';
export type PreviewState<T> = { status: 'loading' } | { status: 'error'; text: string } | ({ status: 'ok'; release: Release } & T);

/** The page around a release's report; `children` render once the release has loaded. */
export function PreviewFrame<T>({
  id,
  state,
  demo,
  onRetry,
  children,
}: {
  id: string;
  state: PreviewState<T>;
  /** whether the loaded report is the demo's (the banner says so) */
  demo: boolean;
  onRetry: () => void;
  children: (loaded: Extract<PreviewState<T>, { status: 'ok' }>) => ReactNode;
}) {
  const { t } = useTranslation();
  const { setDemo } = useUi();
  useTitle(t('statistician.preview.title', { id }));
  useEffect(() => {
    setDemo(demo);
    return () => setDemo(false);
  }, [demo, setDemo]);
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
          <Button variant="secondary" onClick={onRetry}>
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
          {children(state as Extract<PreviewState<T>, { status: 'ok' }>)}
        </>
      )}
    </>
  );
}

/** The choice of the form shown: the exact figures, or the protected ones the public reads. */
export function FormChoice({ form, onChange }: { form: PreviewForm; onChange: (form: PreviewForm) => void }) {
  const { t } = useTranslation();
  return (
    <Fieldset className="inline-form" data-testid="preview-form">
      <Fieldset.Legend>{t('statistician.protection.formLabel')}</Fieldset.Legend>
      {(['exact', 'protected'] as const).map((f) => (
        <Radio
          key={f}
          name="preview-form"
          value={f}
          label={t(f === 'exact' ? 'statistician.protection.formExact' : 'statistician.protection.formProtected')}
          checked={form === f}
          onChange={() => onChange(f)}
        />
      ))}
    </Fieldset>
  );
}
