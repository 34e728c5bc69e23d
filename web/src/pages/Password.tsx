// Change one's own password (/konto/losenord), for every signed-in user: the current password, the
// new one twice. The server checks the rules of new passwords and ends the user's other sessions.
import { useState, type FormEvent } from 'react';
import { Button, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ErrorsContext, TextField, type Errors } from '../fields.tsx';
import { PageHeading, useTitle } from '../layout.tsx';
import { errorsOf, useOutcome } from './admin/common.tsx';

export function PasswordPage() {
  const { t } = useTranslation();
  useTitle(t('password.title'));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const outcome = useOutcome();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setErrors({ again: [t('password.mismatch')] });
      return;
    }
    setBusy(true);
    try {
      await api('/api/session/password', { method: 'POST', body: { current, password: next } });
      setErrors({});
      setCurrent('');
      setNext('');
      setAgain('');
      outcome.show({ ok: true, text: t('password.done') });
    } catch (err) {
      const { fields, message } = errorsOf(err, t('error.load'));
      setErrors(fields);
      outcome.show(Object.keys(fields).length ? null : { ok: false, text: message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading>{t('password.title')}</PageHeading>
      <Paragraph>{t('password.lead')}</Paragraph>
      {outcome.view}
      <ErrorsContext.Provider value={errors}>
        <form onSubmit={submit} className="narrow-form" noValidate>
          <TextField id="pw-current" path="current" type="password" autoComplete="current-password" label={t('password.current')} value={current} onChange={setCurrent} required />
          <TextField id="pw-new" path="password" type="password" autoComplete="new-password" label={t('password.new')} description={t('password.rules')} value={next} onChange={setNext} required />
          <TextField id="pw-again" path="again" type="password" autoComplete="new-password" label={t('password.again')} value={again} onChange={setAgain} required />
          <div className="actions">
            <Button type="submit" disabled={busy}>
              {t('password.submit')}
            </Button>
          </div>
        </form>
      </ErrorsContext.Provider>
    </>
  );
}
