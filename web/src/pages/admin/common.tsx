// What the administrator's pages and the password page share: the server's field messages as the
// form fields' errors, the outcome of an action as a focused alert that is also announced, and the
// titled list of users or organisations.
import { useRef, useState, type ReactNode } from 'react';
import { Alert, Heading, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import type { Errors } from '../../fields.tsx';
import { useUi } from '../../layout.tsx';

export type { Organisation, AdminUser, AdminUserResult, AdminUserList, OrganisationList } from '../../../../src/contract/index.ts';

/** The server's refusal as messages per field; a message without a field is the form's own. */
export function errorsOf(e: unknown, fallback: string): { fields: Errors; message: string } {
  if (!(e instanceof ApiError)) return { fields: {}, message: fallback };
  const fields: Errors = {};
  for (const v of e.errors) (fields[v.path] ??= []).push(v.message);
  return { fields, message: e.message || fallback };
}

export type Outcome = { ok: boolean; text: string; detail?: string };

/** An alert for the outcome of the last action, focused and announced when it changes. */
export function useOutcome() {
  const { announce } = useUi();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const show = (o: Outcome | null) => {
    setOutcome(o);
    if (!o) return;
    announce(o.text);
    setTimeout(() => ref.current?.focus(), 0);
  };
  const view = outcome && (
    <Alert data-color={outcome.ok ? 'success' : 'danger'} ref={ref} tabIndex={-1} data-testid="outcome">
      <Paragraph>{outcome.text}</Paragraph>
      {outcome.detail && <Paragraph>{outcome.detail}</Paragraph>}
    </Alert>
  );
  return { show, view };
}

/** A titled, scrollable list: its heading, the load error or a spinner while loading, then the table. */
export function AdminTable({ title, testId, headers, loading, loadError, children }: {
  title: string;
  testId: string;
  /** Column headings; `num` right-aligns a column of figures. */
  headers: { label: string; num?: boolean }[];
  loading: boolean;
  loadError: string | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Heading level={2} data-size="sm" id="list-title">
        {title}
      </Heading>
      {loadError && <Paragraph>{loadError}</Paragraph>}
      {loading && !loadError && <Spinner aria-label={t('loading')} data-size="md" />}
      {!loading && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="list-title">
          <Table zebra data-size="sm" data-testid={testId}>
            <Table.Head>
              <Table.Row>
                {headers.map((h) => (
                  <Table.HeaderCell key={h.label} scope="col" className={h.num ? 'num' : undefined}>
                    {h.label}
                  </Table.HeaderCell>
                ))}
              </Table.Row>
            </Table.Head>
            <Table.Body>{children}</Table.Body>
          </Table>
        </div>
      )}
    </>
  );
}
