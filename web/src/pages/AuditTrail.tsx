// The audit trail (/granskning): who did what to which cases, searched by case, user, operation and
// period. The statistician and the administrator read all of it and the hash chain's state with the
// newest anchor; a coordinator reads the rows naming their region's cases (the server scopes it).
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { AuditChainState, AuditPage } from '../../../src/contract/index.ts';
import { api, ApiError } from '../api.ts';
import { SelectField, TextField } from '../fields.tsx';
import { formatNumber, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink, navigate, useLocation } from '../router.tsx';
import { useCan } from '../session.tsx';
import { pageWindow } from './caseListModel.ts';

export const auditTrailPath = '/granskning';

/** Every operation the trail records (auditOperations, src/access/audit.ts); their names are in i18n (auditTrail.ops). */
const operationSet = {
  'case.create': true, 'case.read': true, 'case.update': true, 'case.close': true, 'case.reopen': true, 'case.withdraw': true, 'case.history': true,
  'cases.list': true, 'cases.search': true, 'cases.import': true, 'cases.export': true,
  'release.freeze': true, 'release.publish': true, 'release.policy': true, 'release.read_internal': true, 'report.read_live': true,
  'session.login': true, 'session.logout': true, 'session.login_failed': true, 'session.locked_out': true,
  'users.create': true, 'users.update': true, 'users.deactivate': true, 'users.reset_code': true, 'organisations.create': true, 'organisations.update': true,
  'audit.search': true, 'audit.anchor': true, 'instance.backup': true, 'instance.restore': true, 'duplicates.list': true, 'duplicates.resolve': true,
} as const;
type AuditOperation = keyof typeof operationSet;
export const auditTrailOperations = Object.keys(operationSet) as AuditOperation[];
const operations = auditTrailOperations;
const opKey = (op: string) => `auditTrail.ops.${op.replace(/\./g, '_')}`;

const PAGE_SIZE = 50;
type Filters = { case: string; user: string; operation: string; from: string; to: string };
const empty: Filters = { case: '', user: '', operation: '', from: '', to: '' };
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Midnight in Stockholm at the start of a day (YYYY-MM-DD), as an ISO moment: +01:00 in winter, +02:00 in summer. */
export function stockholmMidnight(day: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const moment = new Date(`${day}T00:00:00${offset}`);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).format(moment);
    if (local.startsWith(day) && local.endsWith(' 00')) return moment.toISOString();
  }
  return new Date(`${day}T00:00:00+01:00`).toISOString();
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function stockholmTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'medium' });
}

/** A row's details in a line: its plain values and those one level down (ids, counts, years and filter names, never case contents). */
function detailsText(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const parts: string[] = [];
  const add = (key: string, v: unknown) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) parts.push(`${key}: ${v.length <= 3 && v.every((x) => typeof x !== 'object') ? v.join(', ') : `[${v.length}]`}`);
    else if (typeof v === 'object') for (const [k, w] of Object.entries(v)) if (typeof w !== 'object' || w === null) add(`${key}.${k}`, w);
    else parts.push(`${key}: ${String(v)}`);
  };
  for (const [k, v] of Object.entries(details)) add(k, v);
  const text = parts.join('; ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export function AuditTrailPage() {
  const { t } = useTranslation();
  const can = useCan();
  useTitle(t('auditTrail.title'));
  if (can('audit.search') || can('audit.read_own_region')) return <AuditTrail />;
  return (
    <>
      <PageHeading>{t('auditTrail.title')}</PageHeading>
      <Alert data-color="warning" role="alert">
        <Paragraph>{t('auditTrail.forbidden')}</Paragraph>
      </Alert>
    </>
  );
}

function AuditTrail() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { announce } = useUi();
  const can = useCan();
  const { search } = useLocation();
  const current: Filters = {
    case: search.get('arende') ?? '',
    user: search.get('anvandare') ?? '',
    operation: operations.includes(search.get('operation') as AuditOperation) ? search.get('operation')! : '',
    from: isDay(search.get('fran') ?? '') ? search.get('fran')! : '',
    to: isDay(search.get('till') ?? '') ? search.get('till')! : '',
  };
  const page = Math.max(1, Math.floor(Number(search.get('sida')) || 1));
  const key = JSON.stringify([current, page]);
  const [draft, setDraft] = useState<Filters>(current);
  const [data, setData] = useState<AuditPage | null>(null);
  // The rows on screen answer this search; until the next answer arrives they stay, marked busy.
  const [dataKey, setDataKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  useTitle(t('auditTrail.title'));

  useEffect(() => setDraft(current), [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    let live = true;
    setError(null);
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (current.case.trim()) q.set('case', current.case.trim());
    if (current.user.trim()) q.set('actor', current.user.trim());
    if (current.operation) q.set('operation', current.operation);
    if (current.from) q.set('since', stockholmMidnight(current.from));
    if (current.to) q.set('until', stockholmMidnight(nextDay(current.to)));
    api<AuditPage>(`/api/audit?${q}`).then(
      (d) => {
        if (!live) return;
        setData(d);
        setDataKey(key);
        announce(t('auditTrail.count', { count: d.total }));
      },
      (e) => {
        if (!live) return;
        const text = e instanceof ApiError ? e.message : t('error.load');
        setError(text);
        announce(text);
      },
    );
    return () => {
      live = false;
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const go = (f: Filters, p: number) => {
    const q = new URLSearchParams();
    if (f.case.trim()) q.set('arende', f.case.trim());
    if (f.user.trim()) q.set('anvandare', f.user.trim());
    if (f.operation) q.set('operation', f.operation);
    if (f.from) q.set('fran', f.from);
    if (f.to) q.set('till', f.to);
    if (p > 1) q.set('sida', String(p));
    const qs = q.toString();
    navigate(`${auditTrailPath}${qs ? `?${qs}` : ''}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(draft, 1);
  };

  const n = (v: number) => formatNumber(v, lang);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const opName = (op: string) => (i18n.exists(opKey(op)) ? t(opKey(op)) : op);
  const who = (r: AuditPage['items'][number]) =>
    r.actor_username ?? (r.actor_role === 'anonymous' ? t('auditTrail.anonymous') : r.actor_role === 'system' ? t('auditTrail.system', { id: r.actor_id.replace(/^system:/, '') }) : r.actor_id);
  const readsCases = can('case.read');

  return (
    <>
      <PageHeading>{t('auditTrail.title')}</PageHeading>
      <Paragraph>{t(can('audit.search') ? 'auditTrail.lead' : 'auditTrail.leadRegion')}</Paragraph>
      {can('audit.verify') && <ChainBox />}
      <form onSubmit={submit} aria-label={t('auditTrail.filters')} role="search" data-testid="audit-filters">
        <div className="filters">
          <TextField path="audit.case" label={t('auditTrail.case')} description={t('auditTrail.caseHint')} value={draft.case} onChange={(v) => setDraft({ ...draft, case: v })} />
          <TextField path="audit.user" label={t('auditTrail.user')} description={t('auditTrail.userHint')} value={draft.user} onChange={(v) => setDraft({ ...draft, user: v })} />
          <SelectField
            path="audit.operation"
            label={t('auditTrail.operation')}
            value={draft.operation}
            onChange={(v) => setDraft({ ...draft, operation: v })}
            options={operations.map((op) => ({ code: op, sv: opName(op), en: opName(op) }))}
            emptyLabel={t('auditTrail.anyOperation')}
          />
          <TextField path="audit.from" type="date" label={t('auditTrail.from')} value={draft.from} onChange={(v) => setDraft({ ...draft, from: v })} />
          <TextField path="audit.to" type="date" label={t('auditTrail.to')} value={draft.to} onChange={(v) => setDraft({ ...draft, to: v })} />
        </div>
        <div className="actions">
          <Button type="submit">{t('auditTrail.apply')}</Button>
          <Button type="button" variant="tertiary" onClick={() => go(empty, 1)}>
            {t('auditTrail.clear')}
          </Button>
        </div>
      </form>

      {error && (
        <Alert data-color="danger">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {!data && !error && <Spinner aria-label={t('loading')} data-size="md" />}
      {data && (
        <>
          <Paragraph data-testid="audit-count">
            {data.total > data.pageSize && data.items.length > 0
              ? t('auditTrail.showing', { first: n((data.page - 1) * data.pageSize + 1), last: n((data.page - 1) * data.pageSize + data.items.length), total: n(data.total) })
              : t('auditTrail.count', { count: data.total })}
          </Paragraph>
          {data.items.length > 0 && (
            <div className="table-wrap" role="region" aria-label={t('auditTrail.caption')} tabIndex={0} aria-busy={dataKey !== key || undefined}>
              <Table zebra data-size="sm" data-testid="audit-table">
                <caption>{t('auditTrail.caption')}</caption>
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.seq')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.at')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.user')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.operation')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.cases')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('auditTrail.col.details')}</Table.HeaderCell>
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {data.items.map((r) => (
                    <Table.Row key={r.seq} data-seq={r.seq}>
                      <Table.HeaderCell scope="row">{r.seq}</Table.HeaderCell>
                      <Table.Cell>{stockholmTime(r.at, lang)}</Table.Cell>
                      <Table.Cell data-testid="audit-user">{who(r)}</Table.Cell>
                      <Table.Cell data-testid="audit-operation">{opName(r.operation)}</Table.Cell>
                      <Table.Cell data-testid="audit-cases">
                        {r.case_ids.length > 10
                          ? t('auditTrail.manyCases', { count: r.case_ids.length })
                          : r.case_ids.map((id, i) => {
                              const label = r.case_refs[i] ?? id;
                              return (
                                <span key={id}>
                                  {i > 0 && ', '}
                                  {readsCases ? <AppLink href={`/arenden/${encodeURIComponent(id)}`}>{label}</AppLink> : label}
                                </span>
                              );
                            })}
                      </Table.Cell>
                      <Table.Cell style={{ overflowWrap: 'anywhere' }}>{detailsText(r.details)}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          )}
          {pages > 1 && (
            <nav aria-label={t('auditTrail.pagination')} className="pagination" data-testid="audit-pagination">
              <ul>
                <li><Button variant="tertiary" data-size="sm" disabled={page <= 1} onClick={() => go(current, page - 1)}>{t('cases.prev')}</Button></li>
                {pageWindow(page, pages).map((p, i) =>
                  p === null ? (
                    <li key={`gap${i}`} aria-hidden="true">…</li>
                  ) : (
                    <li key={p}>
                      <Button variant={p === page ? 'primary' : 'tertiary'} data-size="sm" aria-current={p === page ? 'page' : undefined} aria-label={t('cases.pageN', { page: p })} onClick={() => p !== page && go(current, p)}>
                        {p}
                      </Button>
                    </li>
                  ),
                )}
                <li><Button variant="tertiary" data-size="sm" disabled={page >= pages} onClick={() => go(current, page + 1)}>{t('cases.next')}</Button></li>
              </ul>
            </nav>
          )}
        </>
      )}
    </>
  );
}

/** The chain's state as the server's walk has it, asked again while the walk is on its way to the head. */
function ChainBox() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [state, setState] = useState<AuditChainState | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      api<AuditChainState>('/api/audit/chain').then(
        (s) => {
          if (!live) return;
          setState(s);
          if (s.state === 'checking') timer = setTimeout(ask, 1500);
        },
        (e) => live && setError(e instanceof ApiError ? e.message : t('error.load')),
      );
    void ask();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [t]);
  const n = (v: number) => formatNumber(v, lang);
  const color = !state ? 'info' : state.state === 'broken' ? 'danger' : state.state === 'intact' ? 'success' : 'info';
  return (
    <section aria-labelledby="h-chain" data-testid="audit-chain">
      <Alert data-color={color}>
        <Heading level={2} data-size="xs" id="h-chain">
          {t('auditTrail.chain.title')}
        </Heading>
        {error && <Paragraph>{error}</Paragraph>}
        {!state && !error && <Spinner aria-label={t('loading')} data-size="sm" />}
        {state && (
          <>
            <Paragraph data-testid="audit-chain-state">
              {state.state === 'broken' && state.broken
                ? t('auditTrail.chain.broken', { seq: n(state.broken.seq), reason: t(`auditTrail.chain.reasons.${state.broken.reason}`) })
                : state.state === 'intact'
                  ? t('auditTrail.chain.intact', { seq: n(state.checkedThrough) })
                  : t('auditTrail.chain.checking', { seq: n(state.checkedThrough), head: n(state.head) })}
            </Paragraph>
            <Paragraph data-size="sm" data-testid="audit-chain-anchor">
              {state.anchor ? (
                <>
                  {t('auditTrail.chain.anchor', { seq: n(state.anchor.seq), at: stockholmTime(state.anchor.at, lang) })} <code style={{ wordBreak: 'break-all' }}>{state.anchor.hash}</code>
                </>
              ) : (
                t('auditTrail.chain.noAnchor')
              )}
            </Paragraph>
            <Paragraph data-size="sm">{t('auditTrail.chain.note')}</Paragraph>
          </>
        )}
      </Alert>
    </section>
  );
}
