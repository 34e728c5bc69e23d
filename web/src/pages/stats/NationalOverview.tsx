// On a year's statistics page: how many persons any source knows of, and the overlaps between the
// regional coordinators, civil society and the support programmes, from each source's published
// release of the year (GET /api/stats/unique-people/public, protected: a suppressed figure is "..").
// Nothing is shown for a year without it.
import { useEffect, useState } from 'react';
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { PublicUniquePeople } from '../../../../src/contract/index.ts';
import { headers } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { formatNumber, Hyphenated } from '../../layout.tsx';
import { SUPPRESSED } from '../../report.ts';

const capitalised = (text: string, lang: Lang) => text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);

export function NationalOverview({ year, lang }: { year: number; lang: Lang }) {
  const { t } = useTranslation();
  const [data, setData] = useState<PublicUniquePeople | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    fetch(`/api/stats/unique-people/public?year=${year}`, { headers: headers(), credentials: 'omit' })
      .then((res) => (res.ok ? (res.json() as Promise<PublicUniquePeople>) : null))
      .then((d) => live && setData(d), () => undefined);
    return () => {
      live = false;
    };
  }, [year]);
  if (!data) return null;
  const source = (s: string) => t(`nationalOverview.sources.${s}`);
  const shown = (v: number | null) => (v === null ? SUPPRESSED : formatNumber(v, lang));
  const comboName = (sources: string[]) =>
    sources.length === 1
      ? t('nationalOverview.only', { source: source(sources[0]) })
      : sources.length === 2
        ? t('nationalOverview.both', { a: source(sources[0]), b: source(sources[1]) })
        : t('nationalOverview.all');
  const suppressed = [data.persons, ...Object.values(data.by_source), ...data.combinations].some((f) => f.persons === null);
  return (
    <section aria-labelledby="h-national-overview" data-testid="national-overview">
      <Heading level={2} data-size="md" id="h-national-overview">
        <Hyphenated text={t('nationalOverview.title', { year: data.year })} />
      </Heading>
      <Paragraph>{t('nationalOverview.lead')}</Paragraph>
      <div className="table-wrap" role="region" aria-labelledby="caption-national-overview" tabIndex={0}>
        <Table data-size="sm">
          <caption id="caption-national-overview">{t('nationalOverview.caption', { year: data.year })}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('nationalOverview.known')}</Table.HeaderCell>
              <Table.HeaderCell scope="col" className="num">{t('nationalOverview.persons')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            <Table.Row>
              <Table.HeaderCell scope="row">{t('nationalOverview.any')}</Table.HeaderCell>
              <Table.Cell className="num">{shown(data.persons.persons)}</Table.Cell>
            </Table.Row>
            {Object.entries(data.by_source).map(([s, f]) => (
              <Table.Row key={s}>
                <Table.HeaderCell scope="row">{capitalised(source(s), lang)}</Table.HeaderCell>
                <Table.Cell className="num">{shown(f.persons)}</Table.Cell>
              </Table.Row>
            ))}
            {data.combinations.map((c) => (
              <Table.Row key={c.sources.join('+')}>
                <Table.HeaderCell scope="row">{comboName(c.sources)}</Table.HeaderCell>
                <Table.Cell className="num">{shown(c.persons)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      <p className="table-note">{t('nationalOverview.note')}</p>
      {suppressed && <p className="table-note">{t('stats.suppressed')}</p>}
    </section>
  );
}
