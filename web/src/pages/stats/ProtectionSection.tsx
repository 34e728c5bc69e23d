// Röjandeskydd of one release (GET/PUT /api/stats/releases/:id/policy), on its preview. Before
// publishing: the policy as a form (threshold, interval width, zeros, the public tables and the
// tables shown exactly, each with its written reason, the dimension pairs the public table builder
// never crosses), saved whole with PUT. After publishing: what
// publishing stored — cells and persons suppressed, whether the audit passed, and per table the
// suppressed cells with their reason, exact count and the interval an attacker could derive.
// A civil-society or support-programme release publishes every table of its report and has no table
// builder, so its form asks only threshold, width and zeros (src/stats/sources/protection.ts uses
// nothing else), and its cells are named from its own report.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Details, Field, Fieldset, Heading, Input, Label, Paragraph, Spinner, Table, Textarea, ValidationMessage } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { DisclosurePolicy, PolicyView } from '../../../../src/contract/index.ts';
import { api, ApiError } from '../../api.ts';
import { reportHeading, tableTitle, useCodes, type Codes } from '../../codes.ts';
import type { Lang } from '../../i18n.ts';
import { formatNumber, useUi } from '../../layout.tsx';
import { numberedTableTitle, type Report } from '../../report.ts';
import { useLabeller } from '../ReportTables.tsx';
import { builderPairs, hasPair } from './builderPairs.ts';
import type { SourceReportView } from './SourceReport.tsx';

type Errors = Record<string, string>;
type AuditCell = NonNullable<PolicyView['protection']>['audit']['cells'][number];

/** What the cells of a release's audit are named from: the coordinators' catalogue and quality notes, or a source's own report. */
export type ProtectedReport = { kind: 'coordinator'; notes: Report['quality'] } | { kind: 'source'; view: SourceReportView };

export function ProtectionSection({ releaseId, report, onSaved }: { releaseId: string; report: ProtectedReport; onSaved?: () => void }) {
  const { t } = useTranslation();
  const [view, setView] = useState<PolicyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/stats/releases/${encodeURIComponent(releaseId)}/policy`;
  const load = useCallback(() => {
    api<PolicyView>(url).then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e) => setError(e instanceof ApiError ? e.message : t('error.load')),
    );
  }, [url, t]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="h-protection" data-testid="protection">
      <Heading level={2} data-size="md" id="h-protection">
        {t('statistician.protection.title')}
      </Heading>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {!view && !error && <Spinner aria-label={t('loading')} data-size="md" />}
      {view && !view.published && (
        <PolicyForm
          view={view}
          url={url}
          coreOnly={report.kind === 'source'}
          onSaved={(v) => {
            setView(v);
            onSaved?.();
          }}
        />
      )}
      {view && view.published && <ProtectionSummary view={view} report={report} />}
    </section>
  );
}

function PolicyForm({ view, url, coreOnly, onSaved }: { view: PolicyView; url: string; coreOnly: boolean; onSaved: (v: PolicyView) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { announce } = useUi();
  const [draft, setDraft] = useState(() => toDraft(view.policy));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  // Every table of the catalogue that may be published (the internal ones never are).
  const tables = (codes?.report?.tables ?? []).filter((x) => !x.internal);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const found: Errors = {};
    for (const [table, reason] of Object.entries(draft.exact)) if (!reason.trim()) found[`exact.${table}`] = t('statistician.protection.reasonRequired');
    for (const k of ['threshold', 'width'] as const) if (!/^\d+$/.test(draft[k].trim())) found[k] = t('statistician.protection.wholeNumber');
    setErrors(found);
    if (Object.keys(found).length) {
      announce(t('statistician.protection.invalid'));
      document.getElementById(fieldOf(Object.keys(found)[0]))?.focus();
      return;
    }
    setBusy(true);
    try {
      const v = await api<PolicyView>(url, {
        method: 'PUT',
        body: {
          threshold: Number(draft.threshold),
          width: Number(draft.width),
          protect_zeros: draft.protect_zeros,
          cost: view.policy.cost,
          public_tables: draft.public_tables,
          exact: Object.fromEntries(Object.entries(draft.exact).filter(([table]) => draft.public_tables.includes(table)).map(([k, v]) => [k, v.trim()])),
          builder_exclusions: draft.builder_exclusions,
        },
      });
      setDraft(toDraft(v.policy));
      const text = t('statistician.protection.saved', { version: v.version });
      setSaved(text);
      announce(text);
      onSaved(v);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        setErrors(Object.fromEntries(err.errors.map((x) => [x.path, x.message])));
        document.getElementById(fieldOf(err.errors[0].path))?.focus();
      }
      const text = err instanceof ApiError ? err.message : t('error.load');
      announce(text);
      setErrors((x) => ({ ...x, form: text }));
    } finally {
      setBusy(false);
    }
  };

  const togglePublic = (table: string, on: boolean) =>
    setDraft((d) => ({ ...d, public_tables: on ? [...d.public_tables, table] : d.public_tables.filter((x) => x !== table) }));
  const toggleExact = (table: string, on: boolean) =>
    setDraft((d) => {
      const exact = { ...d.exact };
      if (on) exact[table] = exact[table] ?? '';
      else delete exact[table];
      return { ...d, exact };
    });

  const togglePair = (pair: [string, string], on: boolean) =>
    setDraft((d) => ({
      ...d,
      builder_exclusions: on ? [...d.builder_exclusions, pair] : d.builder_exclusions.filter((x) => !hasPair([x], pair)),
    }));
  const pairErrors = Object.entries(errors).filter(([path]) => path.startsWith('builder_exclusions'));

  const number = (k: 'threshold' | 'width') => (
    <Field>
      <Label htmlFor={fieldOf(k)}>{t(`statistician.protection.${k}`)}</Label>
      <Field.Description id={`${fieldOf(k)}-desc`}>{t(`statistician.protection.${k}Help`)}</Field.Description>
      <Input
        id={fieldOf(k)}
        inputMode="numeric"
        value={draft[k]}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={`${fieldOf(k)}-desc${errors[k] ? ` ${fieldOf(k)}-error` : ''}`}
      />
      {errors[k] && <ValidationMessage id={`${fieldOf(k)}-error`}>{errors[k]}</ValidationMessage>}
    </Field>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="policy-form">
      <Paragraph>{t('statistician.protection.lead')}</Paragraph>
      {coreOnly && <Paragraph data-testid="policy-source-lead">{t('statistician.protection.sourceLead')}</Paragraph>}
      {saved && (
        <Alert data-color="success" ref={savedRef} tabIndex={-1} data-testid="policy-saved">
          <Paragraph>{saved}</Paragraph>
        </Alert>
      )}
      {errors.form && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{errors.form}</Paragraph>
        </Alert>
      )}
      <div className="inline-form">
        {number('threshold')}
        {number('width')}
      </div>
      <Checkbox
        id="policy-protect_zeros"
        label={t('statistician.protection.protectZeros')}
        checked={draft.protect_zeros}
        onChange={(e) => setDraft({ ...draft, protect_zeros: e.target.checked })}
      />
      {!coreOnly && (
        <>
          <Fieldset id="policy-public_tables" tabIndex={-1}>
            <Fieldset.Legend>{t('statistician.protection.publicTables')}</Fieldset.Legend>
            <Fieldset.Description>{t('statistician.protection.publicTablesHelp')}</Fieldset.Description>
            {errors.public_tables && <ValidationMessage>{errors.public_tables}</ValidationMessage>}
            {tables.map((x) => {
              const on = draft.public_tables.includes(x.id);
              const exact = on && x.id in draft.exact;
              const reasonId = fieldOf(`exact.${x.id}`);
              return (
                <div key={x.id} className="policy-table" data-policy-table={x.id}>
                  <Checkbox id={`policy-public-${x.id}`} label={tableTitle(codes, x.id, lang)} checked={on} onChange={(e) => togglePublic(x.id, e.target.checked)} />
                  {on && (
                    <div className="policy-exact">
                      {/* Named with its table (heard, not shown): otherwise every table's box has one name. */}
                      <Checkbox
                        id={`policy-exact-${x.id}`}
                        label={
                          <>
                            {t('statistician.protection.exact')}{' '}
                            <span className="ds-sr-only">{t('statistician.protection.exactFor', { table: tableTitle(codes, x.id, lang) })}</span>
                          </>
                        }
                        checked={exact}
                        onChange={(e) => toggleExact(x.id, e.target.checked)}
                      />
                      {exact && (
                        <Field>
                          <Label htmlFor={reasonId}>{t('statistician.protection.reason')} *</Label>
                          <Textarea
                            id={reasonId}
                            rows={2}
                            value={draft.exact[x.id]}
                            onChange={(e) => setDraft((d) => ({ ...d, exact: { ...d.exact, [x.id]: e.target.value } }))}
                            aria-required
                            aria-invalid={errors[`exact.${x.id}`] ? true : undefined}
                            aria-describedby={errors[`exact.${x.id}`] ? `${reasonId}-error` : undefined}
                          />
                          {errors[`exact.${x.id}`] && <ValidationMessage id={`${reasonId}-error`}>{errors[`exact.${x.id}`]}</ValidationMessage>}
                        </Field>
                      )}
                    </div>
                  )}
                </div>
              );
            })}
          </Fieldset>
          <Fieldset id="policy-builder_exclusions" tabIndex={-1} data-testid="policy-exclusions">
            <Fieldset.Legend>{t('statistician.protection.exclusions')}</Fieldset.Legend>
            <Fieldset.Description>{t('statistician.protection.exclusionsHelp')}</Fieldset.Description>
            {pairErrors.map(([path, message]) => (
              <ValidationMessage key={path}>{message}</ValidationMessage>
            ))}
            <div className="policy-pairs">
              {builderPairs().map((pair) => (
                <Checkbox
                  key={pair.join('-')}
                  id={`policy-pair-${pair.join('-')}`}
                  data-pair={pair.join(',')}
                  label={t('statistician.protection.pair', { a: reportHeading(codes, pair[0], lang), b: reportHeading(codes, pair[1], lang).toLowerCase() })}
                  checked={hasPair(draft.builder_exclusions, pair)}
                  onChange={(e) => togglePair(pair, e.target.checked)}
                />
              ))}
            </div>
          </Fieldset>
        </>
      )}
      <Button type="submit" disabled={busy} aria-disabled={busy}>
        {t('statistician.protection.save')}
      </Button>
    </form>
  );
}

type Draft = { threshold: string; width: string; protect_zeros: boolean; public_tables: string[]; exact: Record<string, string>; builder_exclusions: [string, string][] };
const toDraft = (p: DisclosurePolicy): Draft => ({
  threshold: String(p.threshold),
  width: String(p.width),
  protect_zeros: p.protect_zeros,
  public_tables: [...p.public_tables],
  exact: { ...p.exact },
  builder_exclusions: p.builder_exclusions.map(([a, b]): [string, string] => [a, b]),
});
/** The control a field path of the policy (as the server names it in a 400) belongs to. */
const fieldOf = (path: string) => `policy-${path.replace(/\./g, '-')}`;

function ProtectionSummary({ view, report }: { view: PolicyView; report: ProtectedReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const label = useLabeller(codes);
  const p = view.protection;
  if (!p) return <Paragraph>{t('statistician.protection.notYet')}</Paragraph>;
  const n = (v: number) => formatNumber(v, lang);
  const byTable = new Map<string, AuditCell[]>();
  for (const c of p.audit.cells) {
    const table = c.id.split('|')[0];
    byTable.set(table, [...(byTable.get(table) ?? []), c]);
  }
  const describe = (id: string) => (report.kind === 'source' ? describeSourceCell(id, report.view, t) : describeCell(id, codes, lang, label, report.notes, t));
  const nameOf = (table: string) => (report.kind === 'source' ? sourceTableName(table, report.view, lang, t) : tableName(table, codes, lang, t));
  const reasonOf = (id: string) => {
    const r = p.reasons[id];
    // Hidden because a release of the year published before hides it (the linked audit), not for its own count.
    if (!r && p.linked?.forced.includes(id)) return t('statistician.protection.reasons.linked');
    return r ? t(`statistician.protection.reasons.${r}`) : t('statistician.protection.reasons.secondary');
  };
  return (
    <div data-testid="protection-summary">
      <Paragraph>
        {t('statistician.protection.policyUsed', {
          version: p.policy_version,
          threshold: p.policy.threshold,
          width: p.policy.width,
          zeros: p.policy.protect_zeros ? t('statistician.protection.zerosProtected') : t('statistician.protection.zerosShown'),
        })}
      </Paragraph>
      <ul className="key-figures" data-testid="protection-loss">
        <li className="key-figure" data-loss="cells">
          <span className="value">{n(p.loss.cells)}</span>
          <span className="what">{t('statistician.protection.cells', { primary: n(p.loss.primary), secondary: n(p.loss.secondary) })}</span>
        </li>
        <li className="key-figure" data-loss="persons">
          <span className="value">{n(p.loss.persons)}</span>
          <span className="what">{t('statistician.protection.persons')}</span>
        </li>
      </ul>
      <Alert data-color={p.audit.passed ? 'success' : 'danger'} data-testid="protection-audit">
        <Paragraph>
          {p.audit.passed
            ? t('statistician.protection.auditPassed', { width: p.audit.width })
            : t('statistician.protection.auditFailed', { width: p.audit.width, cells: p.audit.failing.map(describe).join('; ') })}
        </Paragraph>
      </Alert>
      {p.linked && (
        <Paragraph data-testid="protection-linked">
          {t('statistician.protection.linked', {
            releases: p.linked.releases.map((r) => t('statistician.protection.linkedRelease', { id: r.id, count: r.distance })).join('; '),
            forced: n(p.linked.forced.length),
          })}
        </Paragraph>
      )}
      {Object.entries(p.policy.exact).map(([table, reason]) => (
        <Paragraph key={table}>{t('stats.exactTable', { table: tableTitle(codes, table, lang), reason })}</Paragraph>
      ))}
      {[...byTable].map(([table, cells]) => (
        <Details key={table} data-protection-table={table}>
          <Details.Summary>{t('statistician.protection.tableSummary', { table: nameOf(table), count: cells.length })}</Details.Summary>
          <Details.Content>
            <div className="table-wrap" role="region" aria-label={nameOf(table)} tabIndex={0}>
              <Table zebra data-size="sm">
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell scope="col">{t('statistician.protection.cell')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('statistician.protection.reason')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col" className="num">
                      {t('statistician.protection.exactCount')}
                    </Table.HeaderCell>
                    <Table.HeaderCell scope="col" className="num">
                      {t('statistician.protection.interval')}
                    </Table.HeaderCell>
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {cells.map((c) => (
                    <Table.Row key={c.id} data-cell={c.id} data-ok={c.ok ? 'yes' : 'no'}>
                      <Table.HeaderCell scope="row">{describe(c.id)}</Table.HeaderCell>
                      <Table.Cell>{reasonOf(c.id)}</Table.Cell>
                      <Table.Cell className="num">{n(c.count)}</Table.Cell>
                      <Table.Cell className="num">
                        {`${n(c.lo)}–${c.hi === null ? t('statistician.protection.unbounded') : n(c.hi)}`}
                        {!c.ok && ` (${t('statistician.protection.tooNarrow')})`}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          </Details.Content>
        </Details>
      ))}
    </div>
  );
}

type T = (key: string, opts?: Record<string, unknown>) => string;

function tableName(table: string, codes: Codes | null, lang: Lang, t: T): string {
  return table === 'quality' ? t('stats.quality') : tableTitle(codes, table, lang);
}

/**
 * A cell of the audit in words. Its id is `table|key=value,…` (src/stats/protection.ts); `answered`
 * and `missing` are the table's counts of persons with and without an answer; the persons table's
 * rows name their dimension and code; quality notes their id.
 */
function describeCell(id: string, codes: Codes | null, lang: Lang, label: (d: string, c: string) => string, notes: Report['quality'], t: T): string {
  const [table, key = ''] = id.split('|');
  if (key === 'answered' || key === 'missing') return t(`statistician.protection.${key}`);
  const pairs = Object.fromEntries(key.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  if (table === 'quality') {
    const note = notes.find((x) => x.id === pairs.id);
    return note ? note[lang] : (pairs.id ?? id);
  }
  if ('dimension' in pairs) return pairs.dimension === 'all' ? label('all', 'all') : `${label('dimension', pairs.dimension)}: ${label(pairs.dimension, pairs.code)}`;
  const text = Object.entries(pairs)
    .map(([k, v]) => `${reportHeading(codes, k, lang)}: ${label(k, v)}`)
    .join(', ');
  return text || t('statistician.protection.tableTotal');
}

/** A table of a source's report by its printed name; the release's count of persons is not in a table. */
function sourceTableName(id: string, view: SourceReportView, lang: Lang, t: T): string {
  const table = view.tables.find((x) => x.id === id);
  if (table) return numberedTableTitle(table.title, table.number, lang);
  return id === PERSONS ? t('statistician.protection.sourcePersons') : id;
}

/**
 * A cell of a source report's audit in words. Its id is `table|row` or `table|row|column`, `total`
 * for the code summed over, `table|answered`, `table|missing`, or `persons` (src/stats/sources/protection.ts).
 */
function describeSourceCell(id: string, view: SourceReportView, t: T): string {
  if (id === PERSONS) return t('statistician.protection.sourcePersons');
  const [tableId, code = '', column] = id.split('|');
  const table = view.tables.find((x) => x.id === tableId);
  if (!table) return id;
  if (code === 'answered' || code === 'missing') return t(`statistician.protection.${code}`);
  const label = (codes: { code: string; label: string }[] | null, c: string) =>
    c === 'total' ? t('statistician.protection.tableTotal') : (codes?.find((x) => x.code === c)?.label ?? c);
  const row = `${table.row_heading}: ${label(table.row_codes, code)}`;
  return column === undefined ? row : `${row}, ${table.column_heading ?? ''}: ${label(table.column_codes, column)}`;
}
const PERSONS = 'persons';
