// The data quality of a year's live data (/statistiker/kvalitet?ar=2025): how many cases, the quality
// notes with their counts, the tables' consistency checks and the possible duplicates as case links.
import { useEffect, useState } from 'react';
import { Alert, Heading, Paragraph, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { YearForm } from '../../yearForm.tsx';
import { api, ApiError } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { formatNumber, PageHeading, useTitle, useUi } from '../../layout.tsx';
import { statisticianPaths, useLocation } from '../../router.tsx';
import { useCaseYears } from '../../caseYears.ts';
import { Allowed, CaseLinks, useCaseReferences, yearChoices, type YearQuality } from './common.tsx';
import { QualityNotesTable } from './QualityNotes.tsx';

export function QualityPage() {
  return (
    <Allowed abilities={['report.read_live']}>
      <Quality />
    </Allowed>
  );
}

function Quality() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { announce } = useUi();
  const { search } = useLocation();
  const years = yearChoices();
  const asked = Number(search.get('ar'));
  // Without a year in the address: the year every coordinator and statistician page opens on.
  const { opening } = useCaseYears();
  const ready = years.includes(asked) || opening !== null;
  const year = years.includes(asked) ? asked : opening !== null && years.includes(opening) ? opening : years[0];
  const [data, setData] = useState<YearQuality | null>(null);
  const [error, setError] = useState<string | null>(null);
  useTitle(t('statistician.quality.title', { year }));

  useEffect(() => {
    setData(null);
    setError(null);
    if (!ready) return;
    let live = true;
    api<YearQuality>(`/api/stats/quality?year=${year}`).then(
      (d) => {
        if (!live) return;
        setData(d);
        announce(t('statistician.quality.loaded', { year, count: d.cases }));
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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [year, ready]);

  const ids = [...(data?.possible_duplicates.flatMap((g) => g.case_ids) ?? []), ...Object.values(data?.note_cases ?? {}).flat()];
  const notesWithCases = data?.quality.filter((q) => (data.note_cases[q.id] ?? []).length > 0) ?? [];
  const refs = useCaseReferences([year], ids);

  const n = (v: number) => formatNumber(v, lang);
  const okCount = data?.checks.filter((c) => c.ok).length ?? 0;

  return (
    <>
      <PageHeading>{t('statistician.quality.title', { year })}</PageHeading>
      <Paragraph>{t('statistician.quality.lead')}</Paragraph>
      <YearForm key={year} id="quality-year" label={t('statistician.quality.year')} submit={t('statistician.quality.show')} year={year} years={years} path={statisticianPaths.quality} />

      {!data && !error && <Spinner aria-label={t('loading')} data-size="md" />}
      {error && (
        <Alert data-color="danger">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {data && (
        <>
          <section aria-labelledby="h-cases">
            <Heading level={2} data-size="md" id="h-cases">
              {t('statistician.quality.cases')}
            </Heading>
            <Paragraph data-testid="quality-cases">{t('statistician.quality.casesValue', { count: n(data.cases) })}</Paragraph>
          </section>

          <section aria-labelledby="h-notes">
            <Heading level={2} data-size="md" id="h-notes">
              {t('statistician.quality.notes')}
            </Heading>
            <QualityNotesTable notes={data.quality} caption={t('statistician.quality.notes')} testId="quality-notes" />
          </section>

          <section aria-labelledby="h-note-cases" data-testid="note-cases">
            <Heading level={2} data-size="md" id="h-note-cases">
              {t('statistician.quality.noteCases')}
            </Heading>
            <Paragraph>{notesWithCases.length ? t('statistician.quality.noteCasesLead') : t('statistician.quality.noteCasesNone')}</Paragraph>
            {notesWithCases.map((q) => {
              const note = q[lang] ?? q.sv;
              const cases = data.note_cases[q.id];
              return (
                <details key={q.id} className="note-cases" data-note={q.id}>
                  <summary>{t('statistician.quality.noteCasesSummary', { note, count: cases.length })}</summary>
                  <CaseLinks ids={cases} refs={refs} label={note} />
                </details>
              );
            })}
          </section>

          <section aria-labelledby="h-checks">
            <Heading level={2} data-size="md" id="h-checks">
              {t('statistician.quality.checks')}
            </Heading>
            <Paragraph>
              {t('statistician.quality.checksLead')} <strong data-testid="checks-summary">{t('statistician.quality.checksSummary', { ok: okCount, all: data.checks.length })}</strong>
            </Paragraph>
            <div className="table-wrap">
              <Table zebra data-size="sm" data-testid="quality-checks">
                <caption className="ds-sr-only">{t('statistician.quality.checks')}</caption>
                <Table.Head>
                  <Table.Row>
                    <Table.HeaderCell scope="col">{t('statistician.quality.check')}</Table.HeaderCell>
                    <Table.HeaderCell scope="col">{t('statistician.quality.result')}</Table.HeaderCell>
                  </Table.Row>
                </Table.Head>
                <Table.Body>
                  {data.checks.map((c) => (
                    <Table.Row key={c.id} data-check={c.id}>
                      <Table.HeaderCell scope="row">{c.text[lang]}</Table.HeaderCell>
                      <Table.Cell>
                        <Tag data-color={c.ok ? 'success' : 'danger'} data-size="sm">
                          {c.ok ? t('statistician.quality.ok') : t('statistician.quality.failed')}
                        </Tag>
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            </div>
          </section>

          <section aria-labelledby="h-duplicates" data-testid="duplicates">
            <Heading level={2} data-size="md" id="h-duplicates">
              {t('statistician.quality.duplicates')}
            </Heading>
            <Paragraph>{t('statistician.quality.duplicatesLead')}</Paragraph>
            {data.possible_duplicates.length === 0 ? (
              <Paragraph>{t('statistician.quality.duplicatesNone')}</Paragraph>
            ) : (
              data.possible_duplicates.map((g) => (
                <div key={g.linkage_key_group} className="duplicate-group">
                  <Heading level={3} data-size="2xs" id={`dup-${g.linkage_key_group}`}>
                    {t('statistician.quality.group', { n: g.linkage_key_group })}
                  </Heading>
                  <CaseLinks ids={g.case_ids} refs={refs} label={t('statistician.quality.group', { n: g.linkage_key_group })} />
                </div>
              ))
            )}
          </section>
        </>
      )}
    </>
  );
}
