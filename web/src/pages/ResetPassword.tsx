// A new password with a one-time code from the administrator (/aterstall-losenord, /en/reset-password),
// without signing in: the username, the code and the new password twice. The server answers a code
// that is wrong, used or expired the same way (naming the code field) and checks the password's rules;
// after it the user signs in with the new password.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { ErrorsContext, TextField, type Errors } from '../fields.tsx';
import type { Lang } from '../i18n.ts';
import { PageHeading, useTitle } from '../layout.tsx';
import { AppLink, publicPaths } from '../router.tsx';
import { errorsOf, useOutcome } from './admin/common.tsx';

export function ResetPasswordPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  useTitle(t('reset.title'));
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const outcome = useOutcome();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Errors = {};
    for (const [path, value] of [['username', username], ['code', code], ['password', next], ['again', again]] as const) {
      if (!value.trim()) missing[path] = [t('reset.required')];
    }
    if (!missing.password && !missing.again && next !== again) missing.again = [t('password.mismatch')];
    setErrors(missing);
    if (Object.keys(missing).length) {
      outcome.show(null);
      return;
    }
    setBusy(true);
    try {
      await api('/api/session/reset', { method: 'POST', body: { username: username.trim(), code: code.trim(), password: next } });
      setErrors({});
      setNext('');
      setAgain('');
      setCode('');
      setDone(true);
      outcome.show({ ok: true, text: t('reset.done') });
    } catch (err) {
      const { fields, message } = errorsOf(err, t('error.load'));
      setErrors(fields);
      const locked = err instanceof ApiError && err.status === 429;
      outcome.show(Object.keys(fields).length ? null : { ok: false, text: locked ? t('reset.locked') : message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading>{t('reset.title')}</PageHeading>
      <Paragraph>{t('reset.lead')}</Paragraph>
      {outcome.view}
      {done ? (
        <Paragraph>
          <AppLink href={publicPaths.signIn[lang]}>{t('reset.signIn')}</AppLink>
        </Paragraph>
      ) : (
        <ErrorsContext.Provider value={errors}>
          <form onSubmit={submit} className="narrow-form" noValidate>
            <TextField id="reset-username" path="username" autoComplete="username" label={t('reset.username')} value={username} onChange={setUsername} required />
            <TextField id="reset-code" path="code" autoComplete="one-time-code" label={t('reset.code')} description={t('reset.codeHelp')} value={code} onChange={setCode} required />
            <TextField id="reset-new" path="password" type="password" autoComplete="new-password" label={t('password.new')} description={t('password.rules')} value={next} onChange={setNext} required />
            <TextField id="reset-again" path="again" type="password" autoComplete="new-password" label={t('password.again')} value={again} onChange={setAgain} required />
            <div className="actions">
              <Button type="submit" disabled={busy}>
                {t('reset.submit')}
              </Button>
            </div>
          </form>
        </ErrorsContext.Provider>
      )}
    </>
  );
}
