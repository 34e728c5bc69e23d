// CSV import with upload progress (XMLHttpRequest reports it; fetch does not) and the server's
// bounded report: errors counted per field and rule, the first ones listed, warnings per rule.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Details, Field, Heading, Label, Link, List, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ImportDone, ImportRejected } from '../../../src/contract/index.ts';
import { particularColumns } from '../../../src/standard/linkage.ts';
import { api, headers } from '../api.ts';
import { PageHeading, useTitle, useUi } from '../layout.tsx';
import { useCan } from '../session.tsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The server's answer: an import done, refused with its report, or another error. */
type RuleCount = ImportRejected['errorsByRule'][number];
type WarningGroup = ImportDone['warningGroups'][number];
type Result = { status: number; body: Partial<ImportDone> & Partial<ImportRejected> & Partial<ApiErrorBody> };

/** The refusal's code (the server's `code`: import_rejected, duplicate_import, demo_instance …). */
const codeOf = (r: Result): string | undefined => (r.body as { code?: string }).code;

/**
 * The particular columns (date of birth, names) a CSV file's header names, read in the browser:
 * such a file is refused before anything is sent, as the particulars may never reach the server.
 */
export async function particularsIn(file: Blob): Promise<string[]> {
  const head = await file.slice(0, 64 * 1024).text();
  const first = head.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  const separator = first.includes(';') && !first.includes(',') ? ';' : ',';
  return first
    .split(separator)
    .map((c) => c.trim().replace(/^"|"$/g, '').trim())
    .filter((c) => particularColumns[c.toLowerCase()] !== undefined);
}

export function parseProblem(p: string): { line: string; field: string; message: string } {
  const m = /^line (\d+): ([^:]+): (.*)$/s.exec(p);
  return m ? { line: m[1], field: m[2], message: m[3] } : { line: '', field: '', message: p };
}

export function Import() {
  const { t } = useTranslation();
  useTitle(t('import.title'));
  const can = useCan();
  // The demo instance takes no imports: say so before anyone chooses a file (the server refuses anyway).
  const [demo, setDemo] = useState<boolean | null>(null);
  useEffect(() => {
    api<{ demo?: boolean }>('/api/health').then((h) => setDemo(h.demo === true), () => setDemo(false));
  }, []);
  if (!can('cases.import')) {
    return (
      <>
        <PageHeading>{t('import.title')}</PageHeading>
        <Alert data-color="info"><Paragraph>{t('import.notAllowed')}</Paragraph></Alert>
      </>
    );
  }
  if (demo === null) return <Spinner aria-label={t('loading')} data-size="md" />;
  if (demo) {
    return (
      <>
        <PageHeading>{t('import.title')}</PageHeading>
        <Alert data-color="info" data-testid="import-demo"><Paragraph>{t('import.demo')}</Paragraph></Alert>
        <FormatHelp />
      </>
    );
  }
  return <ImportForm />;
}

/** The file's format in short, the template to fill in. */
function FormatHelp() {
  const { t } = useTranslation();
  const points = t('import.formatPoints', { returnObjects: true }) as string[];
  return (
    <section aria-labelledby="h-format">
      <Heading level={2} data-size="sm" id="h-format">{t('import.formatTitle')}</Heading>
      <Paragraph>
        <Link href="/api/import/template" download="lagesbild-importmall.csv" data-testid="import-template">{t('import.template')}</Link>
      </Paragraph>
      <Details>
        <Details.Summary>{t('import.formatSummary')}</Details.Summary>
        <Details.Content>
          <List.Unordered>
            {points.map((p) => <List.Item key={p}>{p}</List.Item>)}
          </List.Unordered>
        </Details.Content>
      </Details>
    </section>
  );
}

function ImportForm() {
  const { t } = useTranslation();
  const { announce } = useUi();
  // The file last refused as imported before (or holding rows equal to registered cases): offered again with the person's confirmation.
  const [duplicateOf, setDuplicateOf] = useState<File | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [processing, setProcessing] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError(t('import.chooseFile'));
      fileRef.current?.focus();
      return;
    }
    // Only a CSV can be read here; a workbook with such columns is refused by the server as unknown columns.
    if (!/\.xlsx$/i.test(file.name)) {
      const found = await particularsIn(file);
      if (found.length) {
        setFileError(t('import.particulars', { columns: found.join(', ') }));
        fileRef.current?.focus();
        return;
      }
    }
    send(file, false);
  };

  const send = (file: File, confirmDuplicate: boolean) => {
    setFileError(null);
    setResult(null);
    setDuplicateOf(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/import${confirmDuplicate ? '?confirm_duplicate=1' : ''}`);
    const contentType = /\.xlsx$/i.test(file.name) ? XLSX_TYPE : 'text/csv; charset=utf-8';
    for (const [k, v] of Object.entries(headers({ 'content-type': contentType }, 'POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) setProgress(Math.round((100 * ev.loaded) / ev.total));
    };
    xhr.upload.onload = () => {
      setProgress(100);
      setProcessing(true);
    };
    const finish = (r: Result) => {
      setProcessing(false);
      setResult(r);
      // A file imported before, or rows equal to registered cases: imported only if the person confirms.
      if (r.status === 409 && (codeOf(r) === 'duplicate_import' || codeOf(r) === 'identical_rows')) setDuplicateOf(file);
      const text = r.status < 300 ? t('import.imported', { count: r.body.imported ?? 0 }) : r.body.problems ? t('import.rejected') : r.body.message ?? t('error.load');
      announce(text);
      setTimeout(() => resultRef.current?.focus(), 0);
    };
    xhr.onload = () => {
      let body: Result['body'] = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { message: xhr.statusText };
      }
      finish({ status: xhr.status, body });
    };
    xhr.onerror = () => finish({ status: 0, body: { message: t('error.load') } });
    xhr.send(file);
  };

  const problems = result?.body.problems ?? [];
  const errorCount = result?.body.errorCount ?? problems.length;
  const byRule = result?.body.errorsByRule ?? [];
  const warningGroups = result?.body.warningGroups ?? [];
  return (
    <>
      <PageHeading>{t('import.title')}</PageHeading>
      <Paragraph>{t('import.lead')}</Paragraph>
      <FormatHelp />
      <form onSubmit={submit} className="narrow-form" noValidate>
        <Field>
          <Label htmlFor="import-file">{t('import.file')}</Label>
          <input id="import-file" ref={fileRef} type="file" accept={`.csv,text/csv,.xlsx,${XLSX_TYPE}`} className="ds-input" aria-describedby={fileError ? 'import-file-error' : undefined} aria-invalid={fileError ? true : undefined} />
          {fileError && <p id="import-file-error" className="ds-validation-message" data-color="danger">{fileError}</p>}
        </Field>
        {progress !== null && (
          <div>
            <label htmlFor="import-progress">{processing ? t('import.processing') : t('import.progress')}</label>
            <progress id="import-progress" max={100} value={progress} aria-valuetext={`${progress} %`}>{progress} %</progress>
          </div>
        )}
        <div className="actions">
          <Button type="submit" disabled={processing}>{t('import.submit')}</Button>
        </div>
      </form>
      {result && (
        <div ref={resultRef} tabIndex={-1} data-testid="import-result">
          {result.status >= 200 && result.status < 300 ? (
            <Alert data-color="success"><Paragraph>{t('import.imported', { count: result.body.imported ?? 0 })}</Paragraph></Alert>
          ) : (
            <Alert data-color={duplicateOf ? 'warning' : 'danger'}>
              <Paragraph>{problems.length ? t('import.rejected') : codeOf(result) === 'demo_instance' ? t('import.demo') : result.body.message}</Paragraph>
              {duplicateOf && (
                <div className="actions">
                  <Button variant="secondary" data-size="sm" onClick={() => send(duplicateOf, true)}>{t('import.importAgain')}</Button>
                </div>
              )}
            </Alert>
          )}
          {byRule.length > 0 && <RuleTable groups={byRule} />}
          {problems.length > 0 && <ProblemTable title={t('import.problems')} items={problems} total={errorCount} id="h-problems" />}
          {warningGroups.length > 0 && <WarningTable groups={warningGroups} />}
        </div>
      )}
    </>
  );
}

/** Every error of the file counted per field and rule: the whole picture when only the first are listed. */
function RuleTable({ groups }: { groups: RuleCount[] }) {
  const { t } = useTranslation();
  return (
    <div data-testid="h-by-rule">
      <Heading level={2} data-size="sm" id="h-by-rule">{t('import.byRule')}</Heading>
      <div className="table-wrap" role="region" aria-labelledby="h-by-rule" tabIndex={0}>
        <Table zebra data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('import.column')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.rule')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.count')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {groups.map((g) => (
              <Table.Row key={`${g.field}:${g.rule}`}>
                <Table.Cell>{g.field}</Table.Cell>
                {/* The rule in the reader's language (the server's message), never its id. */}
                <Table.Cell>{g.message}</Table.Cell>
                <Table.Cell>{g.count}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </div>
  );
}

/** Warnings, one row per rule: how many rows, and the first of their lines. */
function WarningTable({ groups }: { groups: WarningGroup[] }) {
  const { t } = useTranslation();
  const total = groups.reduce((n, g) => n + g.count, 0);
  return (
    <div data-testid="h-warnings">
      <Heading level={2} data-size="sm" id="h-warnings">{t('import.warnings')} ({total})</Heading>
      <div className="table-wrap" role="region" aria-labelledby="h-warnings" tabIndex={0}>
        <Table zebra data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('import.field')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.message')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.rows')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.lines')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {groups.map((g) => (
              <Table.Row key={`${g.field}:${g.rule}`}>
                <Table.Cell>{g.field}</Table.Cell>
                <Table.Cell>{g.message}</Table.Cell>
                <Table.Cell>{g.count}</Table.Cell>
                <Table.Cell>
                  {g.lines.join(', ')}
                  {g.count > g.lines.length ? ` ${t('import.andMore', { count: g.count - g.lines.length })}` : ''}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </div>
  );
}

function ProblemTable({ title, items, total, id }: { title: string; items: string[]; total: number; id: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={id}>
      <Heading level={2} data-size="sm" id={id}>{title} ({total})</Heading>
      {total > items.length && <Paragraph data-size="sm">{t('import.firstShown', { shown: items.length, total })}</Paragraph>}
      <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
        <Table zebra data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('import.line')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.field')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('import.message')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((p, i) => {
              const r = parseProblem(p);
              return (
                <Table.Row key={i}>
                  <Table.Cell>{r.line}</Table.Cell>
                  <Table.Cell>{r.field}</Table.Cell>
                  <Table.Cell>{r.message}</Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      </div>
    </div>
  );
}
