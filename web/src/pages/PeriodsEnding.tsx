// The programme officer's start page: the people whose NSP rest period or integration period ends
// within 7 days, by reference, with links to their cases (GET /api/cases?period_ends_within=7).
import { useEffect, useState } from 'react';
import { Heading, Link, Paragraph, Spinner, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { CaseList } from '../../../src/contract/index.ts';
import { api } from '../api.ts';
import { endingPeriods, stockholmToday, type EndingPeriod } from '../caseModel.ts';
import { AppLink } from '../router.tsx';

const WITHIN = 7;

type Row = EndingPeriod & { id: string; reference: string };

export function PeriodsEnding() {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const query = new URLSearchParams({ source: 'support_programme', period_ends_within: String(WITHIN), pageSize: '500', sort: 'reference' });
    api<CaseList>(`/api/cases?${query}`).then(
      (page) => {
        const today = stockholmToday();
        const found = page.items
          .filter((c) => c.status !== 'withdrawn')
          .flatMap((c) => endingPeriods(c, today, WITHIN).map((p) => ({ ...p, id: c.id, reference: c.reference })))
          .sort((a, b) => a.days_left - b.days_left || a.reference.localeCompare(b.reference));
        setRows(found);
      },
      () => setFailed(true),
    );
  }, []);

  return (
    <section className="form-section" data-testid="periods-ending">
      <Heading level={2} data-size="sm" id="periods-ending">{t('form.periods.title')}</Heading>
      <Paragraph data-size="sm">{t('form.periods.lead')}</Paragraph>
      {failed ? (
        <Paragraph>{t('error.load')}</Paragraph>
      ) : rows === null ? (
        <Spinner aria-label={t('loading')} data-size="sm" />
      ) : rows.length === 0 ? (
        <Paragraph>{t('form.periods.none')}</Paragraph>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="periods-ending" tabIndex={0}>
          <Table zebra data-size="sm">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t('form.periods.reference')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('form.periods.period')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('form.periods.end')}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t('form.periods.daysLeft')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {rows.map((r) => (
                <Table.Row key={`${r.id}-${r.period}`}>
                  <Table.Cell>
                    <Link asChild>
                      <AppLink href={`/arenden/${encodeURIComponent(r.id)}`}>{r.reference}</AppLink>
                    </Link>
                  </Table.Cell>
                  <Table.Cell>{t(`form.periods.${r.period}`)}</Table.Cell>
                  <Table.Cell>{r.end}</Table.Cell>
                  <Table.Cell>{r.days_left === 0 ? t('form.periods.today') : t('form.periods.days', { count: r.days_left })}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
    </section>
  );
}
