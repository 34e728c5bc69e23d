// Form controls of the case form, each with its label, description and the server's messages
// linked by aria-describedby. Built from the design system's Field, Fieldset, Select, Radio, Checkbox.
import { createContext, useContext, type KeyboardEvent, type ReactNode } from 'react';
import { Checkbox, Field, Fieldset, Input, Label, Radio, Select, ValidationMessage } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { Code } from './codes.ts';
import { fieldId } from './caseModel.ts';
import type { Lang } from './i18n.ts';

export type Errors = Record<string, string[]>;
export const ErrorsContext = createContext<Errors>({});

/** Messages for a path; a group also shows its items' messages (`exploitation_forms.1`). */
function useMessages(path: string, group = false): string[] {
  const errors = useContext(ErrorsContext);
  return Object.entries(errors)
    .filter(([p]) => p === path || (group && p.startsWith(`${path}.`)))
    .flatMap(([, m]) => m);
}

function describedBy(id: string, description: boolean, error: boolean) {
  return [description && `${id}-desc`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

function Messages({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return <ValidationMessage id={`${id}-error`}>{messages.join(' ')}</ValidationMessage>;
}

const req = (required?: boolean) => (required ? ' *' : '');

export function SelectField(p: {
  path: string; label: string; value: string; onChange: (v: string) => void; options: Code[]; required?: boolean;
  description?: string; emptyLabel?: string; id?: string;
}) {
  const { i18n, t } = useTranslation();
  const lang = i18n.language as Lang;
  const id = p.id ?? fieldId(p.path);
  const messages = useMessages(p.path);
  return (
    <Field>
      <Label htmlFor={id}>{p.label + req(p.required)}</Label>
      {p.description && <Field.Description id={`${id}-desc`}>{p.description}</Field.Description>}
      <Select
        id={id}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-invalid={messages.length ? true : undefined}
        aria-describedby={describedBy(id, !!p.description, messages.length > 0)}
        aria-required={p.required || undefined}
      >
        <Select.Option value="">{p.emptyLabel ?? (p.required ? t('form.choose') : t('form.notAnswered'))}</Select.Option>
        {p.options.map((o) => (
          <Select.Option key={o.code} value={o.code}>
            {o[lang]}
          </Select.Option>
        ))}
      </Select>
      <Messages id={id} messages={messages} />
    </Field>
  );
}

export function TextField(p: {
  path: string; label: string; value: string; onChange: (v: string) => void; type?: 'text' | 'date' | 'number' | 'search' | 'password'; required?: boolean;
  description?: string; list?: string; inputMode?: 'numeric' | 'text'; autoComplete?: string; children?: ReactNode; id?: string;
  onKeyDown?: (e: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const id = p.id ?? fieldId(p.path);
  const messages = useMessages(p.path);
  return (
    <Field>
      <Label htmlFor={id}>{p.label + req(p.required)}</Label>
      {p.description && <Field.Description id={`${id}-desc`}>{p.description}</Field.Description>}
      <Input
        id={id}
        type={p.type ?? 'text'}
        value={p.value}
        list={p.list}
        inputMode={p.inputMode}
        autoComplete={p.autoComplete ?? 'off'}
        onChange={(e) => p.onChange(e.target.value)}
        onKeyDown={p.onKeyDown}
        aria-invalid={messages.length ? true : undefined}
        aria-describedby={describedBy(id, !!p.description, messages.length > 0)}
        aria-required={p.required || undefined}
      />
      {p.children}
      <Messages id={id} messages={messages} />
    </Field>
  );
}

export function ChoiceField(p: {
  path: string; legend: string; value: string; onChange: (v: string) => void; options: Code[]; required?: boolean;
  description?: string; notAnswered?: boolean;
}) {
  const { i18n, t } = useTranslation();
  const lang = i18n.language as Lang;
  const id = fieldId(p.path);
  const messages = useMessages(p.path);
  const options = p.notAnswered ? [{ code: '', sv: t('form.notAnswered'), en: t('form.notAnswered') }, ...p.options] : p.options;
  return (
    <Fieldset id={id} tabIndex={-1} aria-describedby={describedBy(id, !!p.description, messages.length > 0)} aria-invalid={messages.length ? true : undefined}>
      <Fieldset.Legend>{p.legend + req(p.required)}</Fieldset.Legend>
      {p.description && <Fieldset.Description id={`${id}-desc`}>{p.description}</Fieldset.Description>}
      {options.map((o) => (
        <Radio key={o.code || 'none'} id={`${id}-${o.code || 'none'}`} name={id} value={o.code} label={o[lang]} checked={p.value === o.code} onChange={() => p.onChange(o.code)} />
      ))}
      <Messages id={id} messages={messages} />
    </Fieldset>
  );
}

export function ChecksField(p: {
  path: string; legend: string; values: string[]; onChange: (v: string[]) => void; options: Code[]; description?: string;
  groups?: { code: string; sv: string; en: string; leaves: string[] }[];
}) {
  const { i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const id = fieldId(p.path);
  const messages = useMessages(p.path, true);
  const toggle = (code: string, on: boolean) => p.onChange(on ? [...p.values, code] : p.values.filter((v) => v !== code));
  const box = (o: Code) => (
    <Checkbox key={o.code} id={`${id}-${o.code}`} value={o.code} label={o[lang]} checked={p.values.includes(o.code)} onChange={(e) => toggle(o.code, e.target.checked)} />
  );
  const byCode = new Map(p.options.map((o) => [o.code, o]));
  return (
    <Fieldset id={id} tabIndex={-1} aria-describedby={describedBy(id, !!p.description, messages.length > 0)} aria-invalid={messages.length ? true : undefined}>
      <Fieldset.Legend>{p.legend}</Fieldset.Legend>
      {p.description && <Fieldset.Description id={`${id}-desc`}>{p.description}</Fieldset.Description>}
      {p.groups ? (
        p.groups.map((g) =>
          g.leaves.length === 1 && g.leaves[0] === g.code ? (
            byCode.get(g.code) && box(byCode.get(g.code)!)
          ) : (
            <Fieldset key={g.code} className="sub-fieldset">
              <Fieldset.Legend>{g[lang]}</Fieldset.Legend>
              <div className="checkbox-grid">{g.leaves.map((l) => byCode.get(l)).filter(Boolean).map((o) => box(o!))}</div>
            </Fieldset>
          ),
        )
      ) : (
        <div className="checkbox-grid">{p.options.map(box)}</div>
      )}
      <Messages id={id} messages={messages} />
    </Fieldset>
  );
}
