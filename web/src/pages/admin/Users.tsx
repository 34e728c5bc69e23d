// Users (/admin/anvandare): the administrator adds users (an organisation and a role that fits its kind —
// a regional office's coordinator, a civil-society organisation's reporter, a support programme's officer,
// no organisation for the statistician and the administrator; a password set here or made by the service
// and shown once), gives a new password or a one-time code for one (shown once with its expiry), deactivates.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { codeLabel, useCodes } from '../../codes.ts';
import { ErrorsContext, SelectField, TextField, type Errors } from '../../fields.tsx';
import type { Lang } from '../../i18n.ts';
import { formatDateTime, PageHeading, useTitle } from '../../layout.tsx';
import { useSession } from '../../session.tsx';
import { Allowed } from '../stats/common.tsx';
import { kindLabel } from './Organisations.tsx';
import { AdminTable, errorsOf, useOutcome, type AdminUser, type AdminUserList, type AdminUserResult, type Organisation, type OrganisationList } from './common.tsx';

/** The roles that fit an organisation of each kind (the server refuses any other); without one, the statistician and the administrator. */
const rolesOfKind: Record<Organisation['kind'] | 'none', readonly string[]> = {
  coordinator_office: ['coordinator'],
  civil_society: ['organisation_reporter'],
  support_programme: ['programme_officer'],
  none: ['statistician', 'admin'],
};
/** The organisation choice of the roles that have none. */
const NONE = '-';
const kindOrder: Organisation['kind'][] = ['coordinator_office', 'civil_society', 'support_programme'];

export function UsersPage() {
  return (
    <Allowed abilities={['users.manage']}>
      <Users />
    </Allowed>
  );
}

function Users() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  useTitle(t('admin.users.title'));
  const { session } = useSession();
  const me = session.status === 'signed-in' ? session.user.id : null;
  const codes = useCodes();
  const [items, setItems] = useState<AdminUser[] | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const outcome = useOutcome();
  const load = useCallback(() => {
    api<AdminUserList>('/api/admin/users').then(
      (d) => {
        setItems(d.items);
        setLoadError(null);
      },
      (e) => setLoadError(e instanceof ApiError ? e.message : t('error.load')),
    );
    api<OrganisationList>('/api/admin/organisations').then((d) => setOrganisations(d.items), () => undefined);
  }, [t]);
  useEffect(load, [load]);

  const orgName = (id: string | null) => {
    const o = organisations.find((x) => x.id === id);
    return o ? (lang === 'en' ? o.name_en : o.name_sv) : (id ?? '');
  };
  const scopeOf = (u: AdminUser) => (u.region ? codeLabel(codes, 'region', u.region, lang) : u.organisation_id && u.role !== 'coordinator' ? orgName(u.organisation_id) : '');
  const shown = (r: AdminUserResult, text: string) =>
    outcome.show({ ok: true, text, detail: r.password ? t('admin.users.passwordOnce', { username: r.user.username, password: r.password }) : undefined });

  const makeCode = async (u: AdminUser) => {
    try {
      const made = await api<{ code: string; expires_at: string }>(`/api/admin/users/${encodeURIComponent(u.id)}/reset-code`, { method: 'POST' });
      outcome.show({ ok: true, text: t('admin.users.codeMade', { username: u.username, code: made.code }), detail: t('admin.users.codeOnce', { until: formatDateTime(made.expires_at, lang) }) });
    } catch (e) {
      outcome.show({ ok: false, text: errorsOf(e, t('error.load')).message });
    }
  };

  const change = async (u: AdminUser, body: { active?: boolean; generatePassword?: true }, done: string) => {
    try {
      shown(await api<AdminUserResult>(`/api/admin/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body }), done);
      load();
    } catch (e) {
      outcome.show({ ok: false, text: errorsOf(e, t('error.load')).message });
    }
  };

  return (
    <>
      <PageHeading>{t('admin.users.title')}</PageHeading>
      <Paragraph>{t('admin.users.lead')}</Paragraph>
      {outcome.view}
      <NewUser
        organisations={organisations}
        onStart={() => outcome.show(null)}
        onDone={(r) => {
          shown(r, t('admin.users.added', { username: r.user.username }));
          load();
        }}
      />
      <AdminTable
        title={t('admin.users.listTitle')}
        testId="users"
        headers={[
          { label: t('admin.users.username') },
          { label: t('admin.users.role') },
          { label: t('admin.users.scope') },
          { label: t('admin.state') },
          { label: t('admin.users.lastLogin') },
          { label: t('admin.actions') },
        ]}
        loading={!items}
        loadError={loadError}
      >
        {items?.map((u) => (
          <Table.Row key={u.id}>
            <Table.Cell>{u.username}</Table.Cell>
            <Table.Cell>{t(`admin.roles.${u.role}`)}</Table.Cell>
            <Table.Cell>{scopeOf(u)}</Table.Cell>
            <Table.Cell>
              <Tag data-color={u.active && u.organisation_active !== false ? 'success' : 'neutral'} data-size="sm">
                {!u.active ? t('admin.inactive') : u.organisation_active === false ? t('admin.users.organisationInactive') : t('admin.active')}
              </Tag>
            </Table.Cell>
            <Table.Cell>{u.last_login_at ? formatDateTime(u.last_login_at, lang) : t('admin.users.never')}</Table.Cell>
            <Table.Cell>
              <div className="row-actions">
                {u.has_password && (
                  <Button
                    variant="secondary"
                    data-size="sm"
                    aria-label={t('admin.users.resetOf', { name: u.username })}
                    onClick={() => void change(u, { generatePassword: true }, t('admin.users.reset', { username: u.username }))}
                  >
                    {t('admin.users.resetPassword')}
                  </Button>
                )}
                {u.active && (
                  <Button variant="secondary" data-size="sm" aria-label={t('admin.users.makeCodeOf', { name: u.username })} onClick={() => void makeCode(u)}>
                    {t('admin.users.makeCode')}
                  </Button>
                )}
                {u.id !== me && (
                  <Button
                    variant="secondary"
                    data-size="sm"
                    aria-label={t(u.active ? 'admin.deactivateOf' : 'admin.activateOf', { name: u.username })}
                    onClick={() => void change(u, { active: !u.active }, t(u.active ? 'admin.users.deactivated' : 'admin.users.activated', { username: u.username }))}
                  >
                    {u.active ? t('admin.deactivate') : t('admin.activate')}
                  </Button>
                )}
              </div>
            </Table.Cell>
          </Table.Row>
        ))}
      </AdminTable>
    </>
  );
}

function NewUser(p: { organisations: Organisation[]; onStart: () => void; onDone: (r: AdminUserResult) => void }) {
  const { organisations, onStart, onDone } = p;
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = organisations.find((o) => o.id === organisation) ?? null;
  const fitting = organisation === NONE ? rolesOfKind.none : chosen ? rolesOfKind[chosen.kind] : [];
  const choices = organisations.filter((o) => o.active).sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
  const chooseOrganisation = (id: string) => {
    setOrganisation(id);
    const o = organisations.find((x) => x.id === id);
    const roles = id === NONE ? rolesOfKind.none : o ? rolesOfKind[o.kind] : [];
    setRole((current) => (roles.length === 1 ? roles[0] : roles.includes(current) ? current : ''));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onStart();
    setBusy(true);
    try {
      const body = {
        username,
        role,
        // a coordinator's region is their office's
        region: chosen?.kind === 'coordinator_office' ? chosen.region : null,
        organisation_id: chosen ? chosen.id : null,
        password: password || null,
      };
      const made = await api<AdminUserResult>('/api/admin/users', { method: 'POST', body });
      setErrors({});
      setMessage(null);
      setUsername('');
      setPassword('');
      onDone(made);
    } catch (err) {
      const { fields, message: text } = errorsOf(err, t('error.load'));
      setErrors(fields);
      setMessage(Object.keys(fields).length ? null : text);
    } finally {
      setBusy(false);
    }
  };
  const option = (code: string, label: (lng: Lang) => string) => ({ code, sv: label('sv'), en: label('en') });
  return (
    <section aria-labelledby="new-user" className="admin-panel">
      <Heading level={2} data-size="sm" id="new-user">
        {t('admin.users.addTitle')}
      </Heading>
      <ErrorsContext.Provider value={errors}>
        <form onSubmit={submit} className="narrow-form" noValidate>
          <TextField id="user-username" path="username" label={t('admin.users.username')} description={t('admin.users.usernameHelp')} value={username} onChange={setUsername} required />
          <SelectField
            id="user-organisation"
            path="organisation_id"
            label={t('admin.users.organisation')}
            description={t('admin.users.organisationHelp')}
            value={organisation}
            onChange={chooseOrganisation}
            required
            options={[
              option(NONE, (lng) => t('admin.users.noOrganisation', { lng })),
              ...choices.map((o) => option(o.id, (lng) => `${lng === 'en' ? o.name_en : o.name_sv} (${kindLabel(t, o, lng)})`)),
            ]}
          />
          <SelectField
            id="user-role"
            path="role"
            label={t('admin.users.role')}
            description={organisation ? undefined : t('admin.users.roleHelp')}
            value={role}
            onChange={setRole}
            required
            options={fitting.map((r) => option(r, (lng) => t(`admin.roles.${r}`, { lng })))}
          />
          <TextField id="user-password" path="password" type="password" autoComplete="new-password" label={t('admin.users.password')} description={t('admin.users.passwordHelp')} value={password} onChange={setPassword} />
          {message && <Paragraph role="alert">{message}</Paragraph>}
          <div className="actions">
            <Button type="submit" disabled={busy}>
              {t('admin.users.add')}
            </Button>
          </div>
        </form>
      </ErrorsContext.Provider>
    </section>
  );
}
