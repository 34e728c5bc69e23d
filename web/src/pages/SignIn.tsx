import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ApiError, optional } from '../api.ts';
import { PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, navigate, publicPaths, useLocation } from '../router.tsx';
import type { Lang } from '../i18n.ts';
import { homePath, safeNext } from '../returnTo.ts';
import { useSession } from '../session.tsx';

export function SignIn() {
  const { t, i18n } = useTranslation();
  useTitle(t('signIn.title'));
  const { session, signIn } = useSession();
  const { announce } = useUi();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const next = search.get('next');
  const target = safeNext(next, homePath(session.status === 'signed-in' ? session.user.role : undefined));
  const [oidc, setOidc] = useState<{ label: string | null; start: string } | null>(null);
  useEffect(() => {
    optional<{ oidc: { label: string | null; start: string } | null }>('/api/session/methods').then((m) => setOidc(m?.oidc ?? null), () => undefined);
  }, []);
  useEffect(() => {
    if (session.status === 'signed-in') navigate(target, { replace: true });
  }, [session.status, target]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The effect above goes on once the session is known, to the page of the user's role.
      await signIn(username, password);
    } catch (err) {
      const text = err instanceof ApiError && err.status === 404 ? t('signIn.unavailable') : err instanceof ApiError ? err.message || t('signIn.failed') : t('signIn.failed');
      setError(text);
      announce(text);
      setTimeout(() => errorRef.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading>{t('signIn.title')}</PageHeading>
      <Paragraph>{t('signIn.lead')}</Paragraph>
      {session.status === 'unavailable' && (
        <Alert data-color="info">
          <Paragraph>{t('signIn.unavailable')}</Paragraph>
        </Alert>
      )}
      {error && (
        <Alert data-color="danger" ref={errorRef} tabIndex={-1}>
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      <form onSubmit={submit} className="narrow-form" noValidate>
        <Textfield label={t('signIn.username')} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <Textfield label={t('signIn.password')} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('signIn.submit')}
          </Button>
        </div>
      </form>
      <Paragraph>
        <AppLink href={publicPaths.resetPassword[i18n.language as Lang]}>{t('signIn.resetLink')}</AppLink>
      </Paragraph>
      {oidc && (
        <Paragraph>
          <a className="ds-button" data-variant="secondary" href={`${oidc.start}?returnTo=${encodeURIComponent(target)}`}>
            {oidc.label ?? t('signIn.oidc')}
          </a>
        </Paragraph>
      )}
    </>
  );
}
