// CSV import with upload progress (XMLHttpRequest reports it; fetch does not) and the server's
// row-by-row errors as a table.
import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Field, Heading, Label, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { headers } from '../api.ts';
import { PageHeading, useTitle, useUi } from '../layout.tsx';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Result = { status: number; body: { imported?: number; warnings?: string[]; problems?: string[]; message?: string } };

export function parseProblem(p: string): { line: string; field: string; message: string } {
  const m = /^line (\d+): ([^:]+): (.*)$/s.exec(p);
  return m ? { line: m[1], field: m[2], message: m[3] } : { line: '', field: '', message: p };
}

export function Import() {
  const { t } = useTranslation();
  useTitle(t('import.title'));
  const { announce } = useUi();
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [processing, setProcessing] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError(t('import.chooseFile'));
      fileRef.current?.focus();
      return;
    }
    setFileError(null);
    setResult(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/import');
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
  const warnings = result?.body.warnings ?? [];
  return (
    <>
      <PageHeading>{t('import.title')}</PageHeading>
      <Paragraph>{t('import.lead')}</Paragraph>
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
            <Alert data-color="danger"><Paragraph>{problems.length ? t('import.rejected') : result.body.message}</Paragraph></Alert>
          )}
          {problems.length > 0 && <ProblemTable title={t('import.problems')} items={problems} id="h-problems" />}
          {warnings.length > 0 && <ProblemTable title={t('import.warnings')} items={warnings} id="h-warnings" />}
        </div>
      )}
    </>
  );
}

function ProblemTable({ title, items, id }: { title: string; items: string[]; id: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={id}>
      <Heading level={2} data-size="sm" id={id}>{title} ({items.length})</Heading>
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
