// Organisations (/admin/organisationer): the administrator adds civil-society organisations and
// support programmes (each NSP or ÅMP), renames and deactivates them. The seven regional offices are shown as fixed.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, ApiError } from '../../api.ts';
import { ErrorsContext, SelectField, TextField, type Errors } from '../../fields.tsx';
import type { Lang } from '../../i18n.ts';
import { PageHeading, useTitle } from '../../layout.tsx';
import { Allowed } from '../stats/common.tsx';
import { AdminTable, errorsOf, useOutcome, type Organisation, type OrganisationList } from './common.tsx';

const addable = ['civil_society', 'support_programme'] as const;
const programmes = ['nsp', 'amp'] as const;

/** An organisation's kind as the list shows it: a support programme with its programme. */
export function kindLabel(t: TFunction, o: Pick<Organisation, 'kind' | 'programme'>, lng?: Lang): string {
  return o.kind === 'support_programme' && o.programme ? t('admin.programmeKind', { programme: t(`admin.programmes.${o.programme}`, { lng }), lng }) : t(`admin.kinds.${o.kind}`, { lng });
}

export function OrganisationsPage() {
  return (
    <Allowed abilities={['organisations.manage']}>
      <Organisations />
    </Allowed>
  );
}

function Organisations() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  useTitle(t('admin.organisations.title'));
  const [items, setItems] = useState<Organisation[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const outcome = useOutcome();
  const load = useCallback(() => {
    api<OrganisationList>('/api/admin/organisations').then(
      (d) => {
        setItems(d.items);
        setLoadError(null);
      },
      (e) => setLoadError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [t]);
  useEffect(load, [load]);

  const change = async (o: Organisation, body: { active?: boolean; name_sv?: string; name_en?: string }, done: string) => {
    try {
      await api(`/api/admin/organisations/${encodeURIComponent(o.id)}`, { method: 'PATCH', body });
      outcome.show({ ok: true, text: done });
      load();
      return null;
    } catch (e) {
      const { fields, message } = errorsOf(e, t('error.load'));
      if (!Object.keys(fields).length) outcome.show({ ok: false, text: message });
      return fields;
    }
  };

  return (
    <>
      <PageHeading>{t('admin.organisations.title')}</PageHeading>
      <Paragraph>{t('admin.organisations.lead')}</Paragraph>
      {outcome.view}
      <NewOrganisation
        onStart={() => outcome.show(null)}
        onDone={(o) => {
          outcome.show({ ok: true, text: t('admin.organisations.added', { name: lang === 'en' ? o.name_en : o.name_sv, id: o.id }) });
          load();
        }}
      />
      <AdminTable
        title={t('admin.organisations.listTitle')}
        testId="organisations"
        headers={[
          { label: t('admin.organisations.name') },
          { label: t('admin.organisations.id') },
          { label: t('admin.organisations.kind') },
          { label: t('admin.organisations.users'), num: true },
          { label: t('admin.state') },
          { label: t('admin.actions') },
        ]}
        loading={!items}
        loadError={loadError}
      >
        {items?.map((o) => <OrganisationRow key={o.id} o={o} lang={lang} onChange={change} />)}
      </AdminTable>
    </>
  );
}

type Change = (o: Organisation, body: { active?: boolean; name_sv?: string; name_en?: string }, done: string) => Promise<Errors | null>;

function OrganisationRow({ o, lang, onChange }: { o: Organisation; lang: Lang; onChange: Change }) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const [nameSv, setNameSv] = useState(o.name_sv);
  const [nameEn, setNameEn] = useState(o.name_en);
  const [errors, setErrors] = useState<Errors>({});
  const name = lang === 'en' ? o.name_en : o.name_sv;
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    const fields = await onChange(o, { name_sv: nameSv, name_en: nameEn }, t('admin.organisations.renamed', { name: nameSv }));
    setErrors(fields ?? {});
    if (!fields) setRenaming(false);
  };
  return (
    <Table.Row>
      <Table.Cell>
        {renaming ? (
          <ErrorsContext.Provider value={errors}>
            <form onSubmit={rename} className="inline-form" noValidate aria-label={t('admin.organisations.renameOf', { name })}>
              <TextField id={`rename-sv-${o.id}`} path="name_sv" label={t('admin.organisations.nameSv')} value={nameSv} onChange={setNameSv} required />
              <TextField id={`rename-en-${o.id}`} path="name_en" label={t('admin.organisations.nameEn')} value={nameEn} onChange={setNameEn} required />
              <div className="actions">
                <Button type="submit" data-size="sm">
                  {t('admin.save')}
                </Button>
                <Button type="button" variant="tertiary" data-size="sm" onClick={() => setRenaming(false)}>
                  {t('admin.cancel')}
                </Button>
              </div>
            </form>
          </ErrorsContext.Provider>
        ) : (
          name
        )}
      </Table.Cell>
      <Table.Cell>
        <code>{o.id}</code>
      </Table.Cell>
      <Table.Cell>{kindLabel(t, o)}</Table.Cell>
      <Table.Cell className="num">{o.users}</Table.Cell>
      <Table.Cell>
        <Tag data-color={o.active ? 'success' : 'neutral'} data-size="sm">
          {o.active ? t('admin.active') : t('admin.inactive')}
        </Tag>
      </Table.Cell>
      <Table.Cell>
        {o.fixed ? (
          <span className="muted">{t('admin.organisations.fixed')}</span>
        ) : (
          <div className="row-actions">
            {!renaming && (
              <Button variant="secondary" data-size="sm" onClick={() => setRenaming(true)} aria-label={t('admin.organisations.renameOf', { name })}>
                {t('admin.organisations.rename')}
              </Button>
            )}
            <Button
              variant="secondary"
              data-size="sm"
              aria-label={t(o.active ? 'admin.deactivateOf' : 'admin.activateOf', { name })}
              onClick={() => void onChange(o, { active: !o.active }, t(o.active ? 'admin.organisations.deactivated' : 'admin.organisations.activated', { name }))}
            >
              {o.active ? t('admin.deactivate') : t('admin.activate')}
            </Button>
          </div>
        )}
      </Table.Cell>
    </Table.Row>
  );
}

function NewOrganisation({ onStart, onDone }: { onStart: () => void; onDone: (o: Organisation) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>('civil_society');
  const [programme, setProgramme] = useState('');
  const [nameSv, setNameSv] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [id, setId] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onStart();
    setBusy(true);
    try {
      const made = await api<Organisation>('/api/admin/organisations', {
        method: 'POST',
        body: { kind, name_sv: nameSv, name_en: nameEn || null, id: id || null, programme: kind === 'support_programme' ? programme || null : null },
      });
      setErrors({});
      setMessage(null);
      setNameSv('');
      setNameEn('');
      setId('');
      setProgramme('');
      onDone(made);
    } catch (err) {
      const { fields, message: text } = errorsOf(err, t('error.load'));
      setErrors(fields);
      setMessage(Object.keys(fields).length ? null : text);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="new-organisation" className="admin-panel">
      <Heading level={2} data-size="sm" id="new-organisation">
        {t('admin.organisations.addTitle')}
      </Heading>
      <ErrorsContext.Provider value={errors}>
        <form onSubmit={submit} className="narrow-form" noValidate>
          <SelectField
            id="org-kind"
            path="kind"
            label={t('admin.organisations.kind')}
            value={kind}
            onChange={setKind}
            required
            options={addable.map((k) => ({ code: k, sv: t(`admin.kinds.${k}`, { lng: 'sv' }), en: t(`admin.kinds.${k}`, { lng: 'en' }) }))}
          />
          {kind === 'support_programme' && (
            <SelectField
              id="org-programme"
              path="programme"
              label={t('admin.organisations.programme')}
              description={t('admin.organisations.programmeHelp')}
              value={programme}
              onChange={setProgramme}
              required
              options={programmes.map((code) => ({ code, sv: t(`admin.programmes.${code}`, { lng: 'sv' }), en: t(`admin.programmes.${code}`, { lng: 'en' }) }))}
            />
          )}
          <TextField id="org-name-sv" path="name_sv" label={t('admin.organisations.nameSv')} value={nameSv} onChange={setNameSv} required />
          <TextField id="org-name-en" path="name_en" label={t('admin.organisations.nameEn')} description={t('admin.organisations.nameEnHelp')} value={nameEn} onChange={setNameEn} />
          <TextField id="org-id" path="id" label={t('admin.organisations.id')} description={t('admin.organisations.idHelp')} value={id} onChange={setId} />
          {message && <Paragraph role="alert">{message}</Paragraph>}
          <div className="actions">
            <Button type="submit" disabled={busy}>
              {t('admin.organisations.add')}
            </Button>
          </div>
        </form>
      </ErrorsContext.Provider>
    </section>
  );
}
