// One case: its fields, status actions (close, reopen, withdraw) and every version with what changed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Heading, Link, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { CaseHistory, CaseView } from '../../../src/contract/index.ts';
import { api, ApiError } from '../api.ts';
import { useCodes } from '../codes.ts';
import { changedFields } from '../caseModel.ts';
import type { Lang } from '../i18n.ts';
import { formatDateTime, PageHeading, useTitle, useUi } from '../layout.tsx';
import { AppLink } from '../router.tsx';
import { takeFlash } from './CaseForm.tsx';
import { displayFields, eventName, fieldName, valueAt, valueText } from './caseText.ts';

type CaseRecord = CaseView;
type Version = CaseHistory['items'][number];

export function CasePage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { announce } = useUi();
  // "Saved" belongs to the save that led here: the next act on the case replaces it.
  const [flash, setFlash] = useState(() => takeFlash(id));
  const [record, setRecord] = useState<CaseRecord | null>(null);
  const [history, setHistory] = useState<Version[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  useTitle(record ? t('case.title', { reference: record.reference }) : t('loading'));

  const load = useCallback(() => {
    Promise.all([api<CaseRecord>(`/api/cases/${encodeURIComponent(id)}`), api<CaseHistory>(`/api/cases/${encodeURIComponent(id)}/history`)]).then(
      ([r, h]) => {
        setRecord(r);
        setHistory([...h.items].sort((a, b) => a.version - b.version));
      },
      (e) => setError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [id, t]);
  useEffect(load, [load]);

  const act = async (action: 'close' | 'reopen' | 'withdraw') => {
    if (!record) return;
    setBusy(true);
    setError(null);
    setFlash(null);
    try {
      await api(`/api/cases/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: { version: record.version } });
      setConfirming(false);
      announce(t('case.done'));
      load();
    } catch (e) {
      const message = e instanceof ApiError ? e.message : t('error.load');
      setError(message);
      announce(message);
    } finally {
      setBusy(false);
    }
  };

  if (!record) {
    return (
      <>
        <PageHeading>{t('case.title', { reference: '' })}</PageHeading>
        {error ? <Alert data-color="danger"><Paragraph>{error}</Paragraph></Alert> : <Spinner aria-label={t('loading')} data-size="md" />}
      </>
    );
  }

  const text = (path: string, v: unknown) => valueText(codes, path, v, lang, t('form.yes'), t('form.no')) || t('case.empty');
  return (
    <>
      <PageHeading>{t('case.title', { reference: record.reference })}</PageHeading>
      {flash && (
        <Alert data-color="success">
          <Paragraph>{flash.text}</Paragraph>
          {flash.warnings.length > 0 && (
            <>
              <Heading level={2} data-size="2xs">{t('form.warnings')}</Heading>
              <ul>{flash.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
            </>
          )}
        </Alert>
      )}
      {error && <Alert data-color="danger"><Paragraph>{error}</Paragraph></Alert>}
      <dl className="details">
        <dt>{t('case.status')}</dt>
        <dd data-testid="case-status">{text('status', record.status)}</dd>
        <dt>{t('case.version')}</dt>
        <dd>{record.version}</dd>
        <dt>{t('case.created')}</dt>
        <dd>{formatDateTime(record.created_at, lang)}</dd>
        <dt>{t('case.updated')}</dt>
        <dd>{formatDateTime(record.updated_at, lang)}</dd>
      </dl>
      <div className="actions">
        {record.status !== 'withdrawn' && (
          <Link asChild>
            <AppLink href={`/arenden/${encodeURIComponent(id)}/andra`}>{t('case.edit')}</AppLink>
          </Link>
        )}
        {record.status === 'open' && <Button variant="secondary" disabled={busy} onClick={() => act('close')}>{t('case.close')}</Button>}
        {record.status === 'closed' && <Button variant="secondary" disabled={busy} onClick={() => act('reopen')}>{t('case.reopen')}</Button>}
        {record.status !== 'withdrawn' && !confirming && (
          <Button variant="tertiary" data-color="danger" disabled={busy} onClick={() => { setConfirming(true); setTimeout(() => confirmRef.current?.focus(), 0); }}>
            {t('case.withdraw')}
          </Button>
        )}
      </div>
      {confirming && (
        <Alert data-color="warning" ref={confirmRef} tabIndex={-1}>
          <Paragraph>{t('case.withdrawConfirm')}</Paragraph>
          <div className="actions">
            <Button data-color="danger" disabled={busy} onClick={() => act('withdraw')}>{t('case.confirm')}</Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>{t('form.cancel')}</Button>
          </div>
        </Alert>
      )}

      <section aria-labelledby="h-details">
        <Heading level={2} data-size="sm" id="h-details">{t('case.details')}</Heading>
        <dl className="details">
          {displayFields.map((path) => (
            <div key={path} style={{ display: 'contents' }}>
              <dt>{fieldName(codes, path, lang)}</dt>
              <dd>{text(path, valueAt(record, path))}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div>
        <Heading level={2} data-size="sm" id="h-history">{t('case.history')}</Heading>
        <div className="table-wrap" role="region" aria-labelledby="h-history" tabIndex={0}>
          <Table zebra data-size="sm" data-testid="history">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('case.version')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('case.changedAt')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('case.changedBy')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('case.operation')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('case.status')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('case.changes')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {history.map((v, i) => {
                const changes = i === 0 ? null : changedFields(history[i - 1].data as Record<string, unknown>, v.data as Record<string, unknown>);
                return (
                  <Table.Row key={v.version}>
                    <Table.HeaderCell scope="row">{v.version}</Table.HeaderCell>
                    <Table.Cell>{formatDateTime(v.changed_at, lang)}</Table.Cell>
                    <Table.Cell>{v.changed_by_name}</Table.Cell>
                    <Table.Cell>{eventName(v.operation, t)}</Table.Cell>
                    <Table.Cell>{text('status', v.status)}</Table.Cell>
                    <Table.Cell>
                      {changes === null ? t('case.initial') : changes.length === 0 ? t('case.noChanges') : changes.map((p) => fieldName(codes, p, lang)).join(', ')}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
        </div>
      </div>
      <Link asChild>
        <AppLink href="/arenden">{t('case.back')}</AppLink>
      </Link>
    </>
  );
}
