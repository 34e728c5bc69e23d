// The linkage key in the case form (data standard section 5, docs/linkage-key.md): computed here in
// the browser with Web Crypto from the date of birth and the first letters of the given and family
// name (with the case's sex and citizenship) under the year's key. The date of birth and the letters
// live in this component's state only, are never part of the case form, its drafts or any request,
// and are cleared once the key is computed; the year's key stays in IndexedDB (keyStore.ts).
import { useContext, useEffect, useId, useState, type ChangeEvent } from 'react';
import { Button, Field, Input, Label, Paragraph, ValidationMessage } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { LinkageInputError, linkageKey } from '../../../src/standard/linkage.ts';
import { ErrorsContext } from '../fields.tsx';
import { forgetYearKey, getYearKey, loadYearKey, type StoredYearKey } from './keyStore.ts';

export type LinkageKeyPanelProps = {
  /** The statistics year of the case (its identified_on), whose key is used. */
  year: string;
  sex: string;
  nationality: string;
  /** The case's linkage_key (64 hex characters, or empty). */
  value: string;
  onChange: (key: string) => void;
};

export function LinkageKeyPanel({ year, sex, nationality, value, onChange }: LinkageKeyPanelProps) {
  const { t } = useTranslation();
  const uid = useId();
  const [stored, setStored] = useState<StoredYearKey | null | undefined>(undefined);
  const [birthDate, setBirthDate] = useState('');
  const [given, setGiven] = useState('');
  const [family, setFamily] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const errors = useContext(ErrorsContext)['linkage_key'] ?? [];

  useEffect(() => {
    let live = true;
    setStored(undefined);
    if (!/^\d{4}$/.test(year)) return;
    getYearKey(year).then((k) => live && setStored(k), () => live && setStored(null));
    return () => { live = false; };
  }, [year]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setProblem(null);
    try {
      setStored(await loadYearKey(year, await file.text()));
    } catch {
      setProblem(t('linkage.badFile'));
    }
  };

  const compute = async () => {
    if (!stored) return;
    setProblem(null);
    setDone(false);
    try {
      const key = await linkageKey(stored.key, { birth_date: birthDate, given_name: given, family_name: family, sex, nationality: nationality || null });
      onChange(key);
      // the particulars are not kept once the key is made
      setBirthDate('');
      setGiven('');
      setFamily('');
      setDone(true);
    } catch (err) {
      if (!(err instanceof LinkageInputError)) throw err;
      setProblem(t(`linkage.problem.${err.field === 'sex' ? 'sex' : err.problem}`, { field: t(`linkage.${err.field}`) }));
    }
  };

  const ids = { birth: `${uid}-birth`, given: `${uid}-given`, family: `${uid}-family`, file: `${uid}-file` };
  return (
    <fieldset className="linkage-panel" aria-describedby={`${uid}-lead`} style={{ gridColumn: "1 / -1", border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <legend>{t('linkage.title')}</legend>
      <Paragraph data-size="sm" id={`${uid}-lead`}>{t('linkage.lead')}</Paragraph>
      {!/^\d{4}$/.test(year) ? (
        <Paragraph data-size="sm">{t('linkage.noYear')}</Paragraph>
      ) : stored === undefined ? null : stored === null ? (
        <Field>
          <Label htmlFor={ids.file}>{t('linkage.loadFile', { year })}</Label>
          <Field.Description>{t('linkage.fileHelp')}</Field.Description>
          <input id={ids.file} type="file" accept=".txt,.key,text/plain" onChange={onFile} />
        </Field>
      ) : (
        <>
          <Paragraph data-size="sm" data-testid="linkage-key-loaded">
            {t('linkage.loaded', { year, check: stored.check })}{' '}
            <Button type="button" variant="tertiary" data-size="sm" onClick={() => forgetYearKey(year).then(() => setStored(null))}>{t('linkage.forget')}</Button>
          </Paragraph>
          <div className="form-grid">
            <Field>
              <Label htmlFor={ids.birth}>{t('linkage.birth_date')}</Label>
              <Field.Description>{t('linkage.birthHelp')}</Field.Description>
              <Input id={ids.birth} value={birthDate} onChange={(e) => setBirthDate(e.target.value)} autoComplete="off" inputMode="numeric" />
            </Field>
            <Field>
              <Label htmlFor={ids.given}>{t('linkage.given_name')}</Label>
              <Field.Description>{t('linkage.lettersHelp')}</Field.Description>
              <Input id={ids.given} value={given} onChange={(e) => setGiven(e.target.value)} autoComplete="off" spellCheck={false} />
            </Field>
            <Field>
              <Label htmlFor={ids.family}>{t('linkage.family_name')}</Label>
              <Field.Description>{t('linkage.lettersHelp')}</Field.Description>
              <Input id={ids.family} value={family} onChange={(e) => setFamily(e.target.value)} autoComplete="off" spellCheck={false} />
            </Field>
          </div>
          <Button type="button" variant="secondary" data-size="sm" onClick={() => void compute()}>{t('linkage.compute')}</Button>
        </>
      )}
      {problem && <ValidationMessage role="alert">{problem}</ValidationMessage>}
      {done && <Paragraph data-size="sm" role="status">{t('linkage.done')}</Paragraph>}
      <Field>
        <Label htmlFor="f-linkage_key">{t('linkage.key')}</Label>
        <Input id="f-linkage_key" readOnly value={value || t('linkage.none')} aria-invalid={errors.length ? true : undefined}
          aria-describedby={errors.length ? 'f-linkage_key-error' : undefined} className="linkage-key-value" />
        {errors.length > 0 && <ValidationMessage id="f-linkage_key-error">{errors.join(' ')}</ValidationMessage>}
      </Field>
      {value && <Button type="button" variant="tertiary" data-size="sm" onClick={() => { onChange(''); setDone(false); }}>{t('linkage.remove')}</Button>}
    </fieldset>
  );
}
