// Register or change a case: every field of the data standard, labels, code lists and the rules that
// depend on other fields (required per source, refused codes, industries only with labour) from
// /api/codes. The server validates; its messages appear next to the fields, in a summary, and in the
// live region.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Chip, ErrorSummary, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, optional } from '../api.ts';
import { useCodes, type Code, type Codes } from '../codes.ts';
import type { CaseCheck, CaseView, Draft, SavedCase } from '../../../src/contract/index.ts';
import { emptyCase, fieldId, fromRecord, inapplicable, isRequired, refusedCodes, resolveCountry, someCountryMatches, sourceOfRole, targetOf, toPayload, type CaseFormState } from '../caseModel.ts';
import { ChecksField, ChoiceField, ErrorsContext, SelectField, TextField, type Errors } from '../fields.tsx';
import type { Lang } from '../i18n.ts';
import { PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { LinkageKeyPanel } from '../linkage/LinkageKeyPanel.tsx';

/** A message the case page shows after a save (kept in memory only). */
export let flash: { id: string; text: string; warnings: string[] } | null = null;
export const takeFlash = (id: string) => {
  const f = flash && flash.id === id ? flash : null;
  flash = null;
  return f;
};


export function CaseForm({ id }: { id?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { session } = useSession();
  const { announce } = useUi();
  const userRegion = session.status === 'signed-in' ? session.user.region ?? '' : '';
  // The source follows from the signed-in user's role, the organisation from their organisation.
  const fixedSource = session.status === 'signed-in' ? sourceOfRole(session.user.role) : null;
  const userOrganisation = session.status === 'signed-in' && fixedSource && fixedSource !== 'coordinator' ? session.user.organisation_id ?? '' : '';
  // A programme officer's programme is their organisation's: given, not asked.
  const userProgramme = session.status === 'signed-in' && fixedSource === 'support_programme' ? session.programme : null;
  const blank = () => ({ ...emptyCase(userRegion, fixedSource ?? 'coordinator', userOrganisation), programme: userProgramme ?? '' });
  const [form, setForm] = useState<CaseFormState | null>(id ? null : blank());
  const [record, setRecord] = useState<CaseView | null>(null);
  const rules = codes?.rules ?? null;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<{ path: string; message: string }[]>([]);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [draftNote, setDraftNote] = useState<string | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const summaryRef = useRef<HTMLElement>(null);
  const draftsAvailable = useRef(false);
  const touched = useRef(false);

  const title = id ? t('form.editTitle', { reference: record?.reference ?? '' }) : t('form.newTitle');
  useTitle(title);

  const loadCase = useCallback(() => {
    if (!id) return;
    setConflict(false);
    api<CaseView>(`/api/cases/${encodeURIComponent(id)}`).then(
      (r) => {
        setRecord(r);
        setForm(fromRecord(r));
      },
      (e) => setLoadError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [id, t]);
  useEffect(loadCase, [loadCase]);

  // Drafts live with the session on the server, never in the browser.
  useEffect(() => {
    if (id) return;
    optional<Draft>('/api/drafts/case').then(
      (d) => {
        draftsAvailable.current = d !== undefined;
        const data = d?.data;
        if (data && Object.keys(data).length && !touched.current) {
          setForm(fromRecord(data));
          setDraftNote(t('form.draftRestored'));
        }
      },
      () => undefined,
    );
  }, [id, t]);

  useEffect(() => {
    if (id || !form || !touched.current || !draftsAvailable.current) return;
    const timer = setTimeout(() => {
      api('/api/drafts/case', { method: 'PUT', body: { data: toPayload(form, rules) } }).catch(() => undefined);
    }, 1500);
    return () => clearTimeout(timer);
  }, [form, id, rules]);

  // Fields the user has changed: the check while typing speaks only of these until the first save attempt.
  const touchedPaths = useRef(new Set<string>());
  const submitted = useRef(false);
  const set = useCallback(<K extends keyof CaseFormState>(key: K, value: CaseFormState[K]) => {
    touched.current = true;
    touchedPaths.current.add(String(key));
    setForm((f) => (f ? { ...f, [key]: value } : f));
  }, []);
  const setSupport = useCallback(<K extends keyof CaseFormState['support']>(key: K, value: CaseFormState['support'][K]) => {
    touched.current = true;
    const name = String(key);
    touchedPaths.current.add(name.startsWith('nsp_') ? `support.nsp.${name.slice(4)}` : `support.${name}`);
    setForm((f) => (f ? { ...f, support: { ...f.support, [key]: value } } : f));
  }, []);

  // Validation as you type: the server's own rules and messages, a moment after the last change.
  useEffect(() => {
    if (!form || !touched.current) return;
    const timer = setTimeout(() => {
      api<CaseCheck>('/api/cases/validate', { method: 'POST', body: toPayload(form, rules) }).then(
        (r) => {
          const shown = (path: string) =>
            submitted.current || [...touchedPaths.current].some((p) => path === p || path.startsWith(`${p}.`));
          const next: Errors = {};
          for (const fe of r.errors) if (shown(fe.path)) (next[fe.path] ??= []).push(fe.message);
          setErrors(next);
        },
        () => undefined,
      );
    }, 600);
    return () => clearTimeout(timer);
  }, [form, rules]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form || busy) return;
    submitted.current = true;
    setBusy(true);
    setConflict(false);
    const body = toPayload(form, rules);
    try {
      const saved = id
        ? await api<SavedCase>(`/api/cases/${encodeURIComponent(id)}`, { method: 'PUT', body: { ...body, version: record?.version } })
        : await api<SavedCase>('/api/cases', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey.current } });
      if (!id && draftsAvailable.current) await api('/api/drafts/case', { method: 'DELETE' }).catch(() => undefined);
      idempotencyKey.current = crypto.randomUUID();
      const text = t('form.saved', { reference: saved.reference });
      flash = { id: saved.id, text, warnings: (saved.warnings ?? []).map((w) => w.message) };
      announce(text);
      navigate(`/arenden/${encodeURIComponent(saved.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'version_conflict') {
        setConflict(true);
        announce(t('form.conflict'));
      } else if (err instanceof ApiError && err.errors.length) {
        const next: Errors = {};
        for (const fe of err.errors) (next[fe.path] ??= []).push(fe.message);
        setErrors(next);
        setSummary(err.errors.map((fe) => ({ path: fe.path, message: fe.message })));
        announce(t('form.errorsAnnounce', { count: err.errors.length }));
        setTimeout(() => summaryRef.current?.focus(), 0);
      } else {
        const message = err instanceof ApiError ? err.message : t('error.load');
        setSummary([{ path: '', message }]);
        setErrors({});
        announce(message);
        setTimeout(() => summaryRef.current?.focus(), 0);
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <><PageHeading>{title}</PageHeading><Alert data-color="danger"><Paragraph>{loadError}</Paragraph></Alert></>;
  if (!form || !codes) return <><PageHeading>{title}</PageHeading><Spinner aria-label={t('loading')} data-size="md" /></>;

  return (
    <ErrorsContext.Provider value={errors}>
      <PageHeading>{title}</PageHeading>
      <Paragraph>{t('form.intro')}</Paragraph>
      {draftNote && (
        <Alert data-color="info" data-size="sm">
          <Paragraph data-size="sm">{draftNote}</Paragraph>
          <Button variant="tertiary" data-size="sm" onClick={() => { api('/api/drafts/case', { method: 'DELETE' }).catch(() => undefined); setForm(blank()); setDraftNote(null); }}>
            {t('form.discardDraft')}
          </Button>
        </Alert>
      )}
      {conflict && (
        <Alert data-color="warning">
          <Paragraph>{t('form.conflict')}</Paragraph>
          <Button variant="secondary" onClick={loadCase}>
            {t('form.reload')}
          </Button>
        </Alert>
      )}
      {summary.length > 0 && (
        <ErrorSummary ref={summaryRef as never} tabIndex={-1} data-testid="error-summary">
          <ErrorSummary.Heading>{t('form.errorsTitle')}</ErrorSummary.Heading>
          <ErrorSummary.List>
            {summary.map((s, i) => (
              <ErrorSummary.Item key={i}>
                <ErrorSummary.Link href={`#${targetOf(s.path, (x) => !!document.getElementById(x)) ?? 'main'}`}>{s.message}</ErrorSummary.Link>
              </ErrorSummary.Item>
            ))}
          </ErrorSummary.List>
        </ErrorSummary>
      )}
      <form onSubmit={submit} noValidate aria-label={title}>
        <FormBody form={form} codes={codes} lang={lang} set={set} setSupport={setSupport} fixedSource={fixedSource !== null && fixedSource === form.source} fixedProgramme={userProgramme !== null && userProgramme === form.programme} />
        <div className="actions">
          <Button type="submit" disabled={busy} aria-busy={busy || undefined}>
            {busy ? t('form.saving') : id ? t('form.saveChanges') : t('form.save')}
          </Button>
          <AppLink href={id ? `/arenden/${encodeURIComponent(id)}` : '/arenden'} className="ds-link">
            {t('form.cancel')}
          </AppLink>
        </div>
      </form>
    </ErrorsContext.Provider>
  );
}

/** An answer that follows from the signed-in user (their source, their programme): shown, not asked. */
function FixedValue({ path, label, value }: { path: string; label: string; value: string }) {
  return (
    <div id={`f-${path}`} className="fixed-value">
      <span className="ds-label">{label}</span>
      <Paragraph>{value}</Paragraph>
    </div>
  );
}

type Setters = {
  set: <K extends keyof CaseFormState>(key: K, value: CaseFormState[K]) => void;
  setSupport: <K extends keyof CaseFormState['support']>(key: K, value: CaseFormState['support'][K]) => void;
};

function FormBody({ form, codes, lang, set, setSupport, fixedSource, fixedProgramme }: { form: CaseFormState; codes: Codes; lang: Lang; fixedSource: boolean; fixedProgramme: boolean } & Setters) {
  const { t } = useTranslation();
  const L = (name: string) => codes.lists[name] ?? [];
  const label = (path: string, fallbackKey = path) => codes.fields[path]?.[lang] ?? t(`form.fields.${fallbackKey}`);
  const yesNo: Code[] = L('yes_no').length ? L('yes_no') : [{ code: 'yes', sv: 'Ja', en: 'Yes' }, { code: 'no', sv: 'Nej', en: 'No' }];
  const trueFalse: Code[] = [{ code: 'true', sv: 'Ja', en: 'Yes' }, { code: 'false', sv: 'Nej', en: 'No' }];
  const coordinator = form.source === 'coordinator';
  const civilSociety = form.source === 'civil_society';
  const programme = form.source === 'support_programme';
  const sourceName = L('source').find((o) => o.code === form.source)?.[lang] ?? form.source;
  // What the server requires, refuses and leaves out for this source and these answers (rules of /api/codes).
  const required = (field: keyof CaseFormState) => isRequired(codes.rules, form.source, field);
  const allowed = (field: keyof CaseFormState, options: Code[]) => options.filter((o) => !refusedCodes(codes.rules, form.source, field).includes(o.code));
  const shown = (field: keyof CaseFormState) => !inapplicable(form, codes.rules).has(field);
  const nextKey = useRef(form.related_children.reduce((m, c) => Math.max(m, c.key), 0) + 1);
  const addChildRef = useRef<HTMLButtonElement>(null);
  const [focusChild, setFocusChild] = useState<number | null>(null);
  useEffect(() => {
    if (focusChild !== null) document.getElementById(fieldId(`related_children.${focusChild}.location`))?.focus();
  }, [focusChild]);

  return (
    <>
      <section className="form-section" aria-labelledby="s-basics">
        <Heading level={2} data-size="sm" id="s-basics">{t('form.basics')}</Heading>
        <div className="form-grid">
          {fixedSource ? (
            <FixedValue path="source" label={label('source')} value={sourceName} />
          ) : (
            <SelectField path="source" label={label('source')} value={form.source} onChange={(v) => set('source', v)} options={L('source')} required={required('source')} />
          )}
          {coordinator && <SelectField path="region" label={label('region')} value={form.region} onChange={(v) => set('region', v)} options={L('region')} required={required('region')} />}
          <TextField path="identified_on" type="date" label={label('identified_on')} description={t('form.fields.identified_on_desc')} value={form.identified_on} onChange={(v) => set('identified_on', v)} required={required('identified_on')} />
          {coordinator && <SelectField path="referred_by" label={label('referred_by')} value={form.referred_by} onChange={(v) => set('referred_by', v)} options={L('referred_by')} required={required('referred_by')} />}
          {!coordinator && <SelectField path="identified_by" label={label('identified_by')} value={form.identified_by} onChange={(v) => set('identified_by', v)} options={L('identified_by')} required={required('identified_by')} />}
          {civilSociety && <SelectField path="contact_type" label={label('contact_type')} value={form.contact_type} onChange={(v) => set('contact_type', v)} options={L('contact_type')} required={required('contact_type')} description={t('form.fields.contact_type_desc')} />}
          {(coordinator || !fixedSource) && <TextField path="organisation_id" label={label('organisation_id')} value={form.organisation_id} onChange={(v) => set('organisation_id', v)} required={required('organisation_id')} />}
        </div>
        <ChoiceField path="crime_type" legend={label('crime_type')} value={form.crime_type} onChange={(v) => set('crime_type', v)} options={allowed('crime_type', L('crime_type'))} required={required('crime_type')} />
      </section>

      <section className="form-section" aria-labelledby="s-person">
        <Heading level={2} data-size="sm" id="s-person">{t('form.person')}</Heading>
        <div className="form-grid">
          <ChoiceField path="sex" legend={label('sex')} value={form.sex} onChange={(v) => set('sex', v)} options={L('sex')} required={required('sex')} />
          <ChoiceField path="age_group" legend={label('age_group')} value={form.age_group} onChange={(v) => set('age_group', v)} options={L('age_group')} required={required('age_group')} />
          <TextField path="age" type="number" inputMode="numeric" label={label('age')} description={t('form.fields.age_desc')} value={form.age} onChange={(v) => set('age', v)} />
          <CountryField path="nationality" label={label('nationality')} description={t('form.fields.nationality_desc')} codes={codes} value={form.nationality} onChange={(v) => set('nationality', v)} />
          {!coordinator && <SelectField path="origin_region" label={label('origin_region')} description={t('form.fields.origin_region_desc')} value={form.origin_region} onChange={(v) => set('origin_region', v)} options={L('world_region')} />}
        </div>
      </section>

      {programme && (
        <section className="form-section" aria-labelledby="s-programme">
          <Heading level={2} data-size="sm" id="s-programme">{t('form.programme')}</Heading>
          <Paragraph data-size="sm">{t('form.programmeLead')}</Paragraph>
          <div className="form-grid">
            {fixedProgramme ? (
              <FixedValue path="programme" label={label('programme')} value={L('programme').find((o) => o.code === form.programme)?.[lang] ?? form.programme} />
            ) : (
              <ChoiceField path="programme" legend={label('programme')} value={form.programme} onChange={(v) => set('programme', v)} options={L('programme')} required={required('programme')} />
            )}
            <ChoiceField path="programme_status" legend={label('programme_status')} value={form.programme_status} onChange={(v) => set('programme_status', v)} options={L('programme_status')} required={required('programme_status')} />
            <ChoiceField path="programme_role" legend={label('programme_role')} value={form.programme_role} onChange={(v) => set('programme_role', v)} options={L('programme_role')} required={required('programme_role')} />
          </div>
          {shown('rest_period_start') && (
            <>
              <fieldset className="ds-fieldset sub-fieldset" id="f-rest_period" aria-describedby="f-rest_period-desc">
                <legend className="ds-label">{t('form.restPeriod')}</legend>
                <Paragraph data-size="sm" id="f-rest_period-desc">{t('form.restPeriodDesc')}</Paragraph>
                <div className="form-grid">
                  <TextField path="rest_period_start" type="date" label={label('rest_period_start')} value={form.rest_period_start} onChange={(v) => set('rest_period_start', v)} />
                  <TextField path="rest_period_end" type="date" label={label('rest_period_end')} value={form.rest_period_end} onChange={(v) => set('rest_period_end', v)} />
                </div>
              </fieldset>
              <fieldset className="ds-fieldset sub-fieldset" id="f-integration_period" aria-describedby="f-integration_period-desc">
                <legend className="ds-label">{t('form.integrationPeriod')}</legend>
                <Paragraph data-size="sm" id="f-integration_period-desc">{t('form.integrationPeriodDesc')}</Paragraph>
                <div className="form-grid">
                  <TextField path="integration_period_start" type="date" label={label('integration_period_start')} value={form.integration_period_start} onChange={(v) => set('integration_period_start', v)} />
                  <TextField path="integration_period_end" type="date" label={label('integration_period_end')} value={form.integration_period_end} onChange={(v) => set('integration_period_end', v)} />
                </div>
              </fieldset>
            </>
          )}
          {shown('return_country') && (
            <div className="form-grid">
              <CountryField path="return_country" label={label('return_country')} description={t('form.fields.return_country_desc')} codes={codes} value={form.return_country} onChange={(v) => set('return_country', v)} />
            </div>
          )}
        </section>
      )}

      <section className="form-section" aria-labelledby="s-exploitation">
        <Heading level={2} data-size="sm" id="s-exploitation">{t('form.exploitation')}</Heading>
        <ChecksField path="exploitation_forms" legend={label('exploitation_forms')} description={t('form.fields.exploitation_forms_desc')} values={form.exploitation_forms} onChange={(v) => set('exploitation_forms', v)} options={L('exploitation_form')} />
        {shown('industries') && (
          <ChecksField path="industries" legend={label('industries')} description={t('form.fields.industries_desc')} values={form.industries} onChange={(v) => set('industries', v)} options={L('industry')} groups={codes.industryGroups} />
        )}
        <div className="form-grid">
          <ChoiceField path="exploited_in_sweden" legend={label('exploited_in_sweden')} value={form.exploited_in_sweden} onChange={(v) => set('exploited_in_sweden', v)} options={yesNo} notAnswered />
          <ChoiceField path="workplace_inspection" legend={label('workplace_inspection')} value={form.workplace_inspection} onChange={(v) => set('workplace_inspection', v as CaseFormState['workplace_inspection'])} options={trueFalse} notAnswered />
        </div>
        <CountriesField path="exploitation_countries" label={label('exploitation_countries')} description={t('form.fields.exploitation_countries_desc')} codes={codes} values={form.exploitation_countries} onChange={(v) => set('exploitation_countries', v)} />
      </section>

      <section className="form-section" aria-labelledby="s-children">
        <Heading level={2} data-size="sm" id="s-children">{t('form.children')}</Heading>
        <Paragraph data-size="sm" id="f-related_children">{t('form.childrenLead')}</Paragraph>
        {form.related_children.map((c, i) => (
          <div className="child-row" key={c.key} role="group" aria-label={t('form.child', { n: i + 1 })}>
            <SelectField path={`related_children.${i}.location`} label={`${t('form.child', { n: i + 1 })}: ${t('form.fields.location')}`} value={c.location} required
              onChange={(v) => set('related_children', form.related_children.map((x) => (x.key === c.key ? { ...x, location: v } : x)))} options={L('child_location')} />
            <SelectField path={`related_children.${i}.age_band`} label={`${t('form.child', { n: i + 1 })}: ${t('form.fields.age_band')}`} value={c.age_band} required
              onChange={(v) => set('related_children', form.related_children.map((x) => (x.key === c.key ? { ...x, age_band: v } : x)))} options={L('child_age_band')} />
            <Button type="button" variant="tertiary" data-size="sm" onClick={() => { set('related_children', form.related_children.filter((x) => x.key !== c.key)); addChildRef.current?.focus(); }}>
              {t('form.removeChild', { n: i + 1 })}
            </Button>
          </div>
        ))}
        <Button ref={addChildRef} type="button" variant="secondary" data-size="sm" onClick={() => {
          const key = nextKey.current++;
          set('related_children', [...form.related_children, { key, location: '', age_band: '' }]);
          setFocusChild(form.related_children.length);
        }}>
          {t('form.addChild')}
        </Button>
      </section>

      {civilSociety && <CivilSocietySupport form={form} codes={codes} lang={lang} setSupport={setSupport} yesNo={yesNo} label={label} />}

      {coordinator && (
      <section className="form-section" aria-labelledby="s-support">
        <Heading level={2} data-size="sm" id="s-support">{t('form.support')}</Heading>
        <Paragraph data-size="sm">{t('form.supportLead')}</Paragraph>
        <div className="form-grid">
          <SelectField path="support.reflection_period" label={label('support.reflection_period', 'reflection_period')} value={form.support.reflection_period} onChange={(v) => setSupport('reflection_period', v)} options={L('application_status')} />
          <SelectField path="support.temporary_residence_permit" label={label('support.temporary_residence_permit', 'temporary_residence_permit')} value={form.support.temporary_residence_permit} onChange={(v) => setSupport('temporary_residence_permit', v)} options={L('application_status')} />
          <SelectField path="support.amp" label={label('support.amp', 'amp')} value={form.support.amp} onChange={(v) => setSupport('amp', v)} options={L('application_status')} />
        </div>
        <fieldset className="ds-fieldset sub-fieldset" id="f-support-nsp" tabIndex={-1}>
          <legend className="ds-label">{codes.fields['support.nsp']?.[lang] ?? t('form.nsp')}</legend>
          <div className="form-grid">
            <SelectField path="support.nsp.status" label={label('support.nsp.status', 'nsp.status')} value={form.support.nsp_status} onChange={(v) => setSupport('nsp_status', v)} options={L('application_status')} />
            <TextField path="support.nsp.start_date" type="date" label={label('support.nsp.start_date', 'nsp.start_date')} value={form.support.nsp_start_date} onChange={(v) => setSupport('nsp_start_date', v)} />
            <TextField path="support.nsp.end_date" type="date" label={label('support.nsp.end_date', 'nsp.end_date')} value={form.support.nsp_end_date} onChange={(v) => setSupport('nsp_end_date', v)} />
          </div>
        </fieldset>
        <div className="form-grid">
          <SelectField path="support.police_report" label={label('support.police_report', 'police_report')} value={form.support.police_report} onChange={(v) => setSupport('police_report', v)} options={L('police_report')} />
          <SelectField path="support.legal_status" label={label('support.legal_status', 'legal_status')} value={form.support.legal_status} onChange={(v) => setSupport('legal_status', v)} options={L('legal_status')} />
          <SelectField path="support.injured_party_counsel" label={label('support.injured_party_counsel', 'injured_party_counsel')} value={form.support.injured_party_counsel} onChange={(v) => setSupport('injured_party_counsel', v)} options={yesNo} />
          <SelectField path="support.coordinator_contact" label={label('support.coordinator_contact', 'coordinator_contact')} value={form.support.coordinator_contact} onChange={(v) => setSupport('coordinator_contact', v)} options={yesNo} />
        </div>
        <ChecksField path="support.offence_reported" legend={label('support.offence_reported', 'offence_reported')} values={form.support.offence_reported} onChange={(v) => setSupport('offence_reported', v)} options={L('offence_reported')} />
        <ChecksField path="support.social_services" legend={label('support.social_services', 'social_services')} values={form.support.social_services} onChange={(v) => setSupport('social_services', v)} options={L('social_services_support')} />
        <ChecksField path="support.civil_society_support" legend={label('support.civil_society_support', 'civil_society_support')} values={form.support.civil_society_support} onChange={(v) => setSupport('civil_society_support', v)} options={L('civil_society_support')} />
        <ChecksField path="support.why_civil_society" legend={label('support.why_civil_society', 'why_civil_society')} values={form.support.why_civil_society} onChange={(v) => setSupport('why_civil_society', v)} options={L('why_civil_society')} />
      </section>
      )}

      <section className="form-section" aria-labelledby="s-other">
        <Heading level={2} data-size="sm" id="s-other">{t('form.other')}</Heading>
        <div className="form-grid">
          <LinkageKeyPanel year={form.identified_on.slice(0, 4)} sex={form.sex} nationality={form.nationality} value={form.linkage_key} onChange={(v) => set('linkage_key', v)} />
        </div>
      </section>
    </>
  );
}

/**
 * The civil-society form's support (data standard section 4): the support received from the social
 * services and from civil society and why civil society's was needed, the police report and the
 * legal process, and the rights the person received.
 */
function CivilSocietySupport({ form, codes, setSupport, yesNo, label }: {
  form: CaseFormState; codes: Codes; lang: Lang; setSupport: Setters['setSupport']; yesNo: Code[]; label: (path: string, fallbackKey?: string) => string;
}) {
  const { t } = useTranslation();
  const L = (name: string) => codes.lists[name] ?? [];
  return (
    <>
      <section className="form-section" aria-labelledby="s-civ-support">
        <Heading level={2} data-size="sm" id="s-civ-support">{t('form.civSupport')}</Heading>
        <ChecksField path="support.social_services" legend={label('support.social_services', 'social_services')} values={form.support.social_services} onChange={(v) => setSupport('social_services', v)} options={L('social_services_support')} />
        <ChecksField path="support.civil_society_support" legend={label('support.civil_society_support', 'civil_society_support')} values={form.support.civil_society_support} onChange={(v) => setSupport('civil_society_support', v)} options={L('civil_society_support')} />
        <ChecksField path="support.why_civil_society" legend={label('support.why_civil_society', 'why_civil_society')} values={form.support.why_civil_society} onChange={(v) => setSupport('why_civil_society', v)} options={L('why_civil_society')} />
      </section>
      <section className="form-section" aria-labelledby="s-civ-legal">
        <Heading level={2} data-size="sm" id="s-civ-legal">{t('form.civLegal')}</Heading>
        <div className="form-grid">
          <SelectField path="support.police_report" label={label('support.police_report', 'police_report')} value={form.support.police_report} onChange={(v) => setSupport('police_report', v)} options={L('police_report')} />
          <SelectField path="support.legal_status" label={label('support.legal_status', 'legal_status')} value={form.support.legal_status} onChange={(v) => setSupport('legal_status', v)} options={L('legal_status')} />
        </div>
        <ChecksField path="support.offence_reported" legend={label('support.offence_reported', 'offence_reported')} values={form.support.offence_reported} onChange={(v) => setSupport('offence_reported', v)} options={L('offence_reported')} />
      </section>
      <section className="form-section" aria-labelledby="s-civ-rights">
        <Heading level={2} data-size="sm" id="s-civ-rights">{t('form.civRights')}</Heading>
        <Paragraph data-size="sm">{t('form.civRightsLead')}</Paragraph>
        <div className="form-grid">
          <SelectField path="support.reflection_period" label={label('support.reflection_period', 'reflection_period')} value={form.support.reflection_period} onChange={(v) => setSupport('reflection_period', v)} options={L('application_status')} />
          <SelectField path="support.temporary_residence_permit" label={label('support.temporary_residence_permit', 'temporary_residence_permit')} value={form.support.temporary_residence_permit} onChange={(v) => setSupport('temporary_residence_permit', v)} options={L('application_status')} />
          <SelectField path="support.injured_party_counsel" label={label('support.injured_party_counsel', 'injured_party_counsel')} value={form.support.injured_party_counsel} onChange={(v) => setSupport('injured_party_counsel', v)} options={yesNo} />
          <SelectField path="support.coordinator_contact" label={label('support.coordinator_contact', 'coordinator_contact')} value={form.support.coordinator_contact} onChange={(v) => setSupport('coordinator_contact', v)} options={yesNo} />
        </div>
      </section>
    </>
  );
}

function countryOptions(codes: Codes, lang: Lang) {
  return codes.countries.map((c) => ({ code: c.code, text: lang === 'sv' ? `${c.sv} – ${c.en} (${c.code})` : `${c.en} – ${c.sv} (${c.code})` }));
}

function CountryDatalist({ id, codes, lang }: { id: string; codes: Codes; lang: Lang }) {
  const options = useMemo(() => countryOptions(codes, lang), [codes, lang]);
  return (
    <datalist id={id}>
      {options.map((o) => (
        <option key={o.code} value={o.text} />
      ))}
    </datalist>
  );
}

/** One country, searched by Swedish or English name. */
function CountryField({ path, label, description, codes, value, onChange }: { path: string; label: string; description: string; codes: Codes; value: string; onChange: (v: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const name = (code: string) => codes.countries.find((c) => c.code === code)?.[lang] ?? code;
  const [text, setText] = useState(value ? name(value) : '');
  const resolved = resolveCountry(text, codes.countries);
  const listId = `${fieldId(path)}-list`;
  return (
    <TextField path={path} label={label} description={description} value={text} list={listId}
      onChange={(v) => {
        setText(v);
        const code = resolveCountry(v, codes.countries);
        if (code || v.trim() === '') onChange(code ?? '');
      }}>
      <CountryDatalist id={listId} codes={codes} lang={lang} />
      <p className="table-note" role="status">
        {text.trim() === '' ? '' : resolved ? t('form.countryChosen', { name: name(resolved) }) : someCountryMatches(text, codes.countries) ? '' : t('form.countryNotFound', { text: text.trim() })}
      </p>
    </TextField>
  );
}

/** A list of countries: search, add, and remove each. */
function CountriesField({ path, label, description, codes, values, onChange }: { path: string; label: string; description: string; codes: Codes; values: string[]; onChange: (v: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const name = (code: string) => codes.countries.find((c) => c.code === code)?.[lang] ?? code;
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const inputRef = useRef<HTMLDivElement>(null);
  const id = fieldId(path);
  const add = () => {
    const code = resolveCountry(text, codes.countries);
    if (!code) {
      setNote(someCountryMatches(text, codes.countries) ? t('form.countryChoose') : t('form.countryNotFound', { text: text.trim() }));
      return;
    }
    if (!values.includes(code)) onChange([...values, code]);
    setText('');
    setNote(t('form.countryChosen', { name: name(code) }));
  };
  return (
    <div ref={inputRef}>
      <TextField path={path} label={label} description={description} value={text} list={`${id}-list`} onChange={setText}
        onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }}>
        <CountryDatalist id={`${id}-list`} codes={codes} lang={lang} />
      </TextField>
      <div className="actions" style={{ marginTop: '0.5rem' }}>
        <Button type="button" variant="secondary" data-size="sm" onClick={add}>
          {t('form.addCountry')}
        </Button>
        <span className="table-note" role="status">{note}</span>
      </div>
      {values.length === 0 ? (
        <Paragraph data-size="sm">{t('form.noCountries')}</Paragraph>
      ) : (
        <ul className="chips" aria-label={label}>
          {values.map((c) => (
            <li key={c}>
              <Chip.Removable type="button" aria-label={t('form.removeCountry', { name: name(c) })} onClick={() => { onChange(values.filter((v) => v !== c)); document.getElementById(id)?.focus(); }}>
                {name(c)}
              </Chip.Removable>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
