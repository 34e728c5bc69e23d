// What the administrator's pages and the password page share: the server's field messages as the
// form fields' errors, and the outcome of an action as a focused alert that is also announced.
import { useRef, useState } from 'react';
import { Alert, Paragraph } from '@digdir/designsystemet-react';
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
