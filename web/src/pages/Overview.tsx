// The coordinator's start page: the region's year so far, from the case list's totals.
import { useEffect, useState } from 'react';
import { Heading, Link, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { CaseList } from '../../../src/contract/index.ts';
import { api } from '../api.ts';
import { codeLabel, useCodes } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, PageHeading, useTitle } from '../layout.tsx';
import { AppLink } from '../router.tsx';
import { useSession } from '../session.tsx';

type Page = CaseList;

export function Overview() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { session } = useSession();
  useTitle(t('overview.title'));
  const region = session.status === 'signed-in' ? session.user.region : null;
  const year = new Date().getFullYear();
  const [counts, setCounts] = useState<Record<string, number> | null>(null);
  const [latest, setLatest] = useState<Page['items']>([]);

  useEffect(() => {
    const base = new URLSearchParams({ year: String(year), ...(region ? { region } : {}) });
    const count = (extra: Record<string, string>) => api<Page>(`/api/cases?${new URLSearchParams({ ...Object.fromEntries(base), ...extra, pageSize: '1' })}`).then((p) => p.total);
    Promise.all([count({}), count({ status: 'open' }), count({ status: 'closed' }), count({ status: 'withdrawn' })]).then(
      ([all, open, closed, withdrawn]) => setCounts({ all, open, closed, withdrawn }),
      () => setCounts({}),
    );
    api<Page>(`/api/cases?${base}&pageSize=5`).then((p) => setLatest(p.items), () => undefined);
  }, [region, year]);

  const heading = region ? t('overview.regionYear', { region: codeLabel(codes, 'region', region, lang), year }) : t('overview.allRegionsYear', { year });
  return (
    <>
      <PageHeading>{t('overview.title')}</PageHeading>
      <section aria-labelledby="h-year">
        <Heading level={2} data-size="sm" id="h-year">{heading}</Heading>
        {!counts ? (
          <Spinner aria-label={t('loading')} data-size="md" />
        ) : (
          <ul className="key-figures" data-testid="overview-figures">
            <li className="key-figure"><span className="value">{formatNumber(counts.all ?? 0, lang)}</span><span className="what">{t('overview.registered')}</span></li>
            <li className="key-figure"><span className="value">{formatNumber(counts.open ?? 0, lang)}</span><span className="what">{t('overview.open')}</span></li>
            <li className="key-figure"><span className="value">{formatNumber(counts.closed ?? 0, lang)}</span><span className="what">{t('overview.closed')}</span></li>
            <li className="key-figure"><span className="value">{formatNumber(counts.withdrawn ?? 0, lang)}</span><span className="what">{t('overview.withdrawn')}</span></li>
          </ul>
        )}
      </section>
      <section aria-labelledby="h-latest">
        <Heading level={2} data-size="sm" id="h-latest">{t('overview.latest')}</Heading>
        {latest.length === 0 ? (
          <Paragraph>{t('overview.none')}</Paragraph>
        ) : (
          <ul>
            {latest.map((c) => (
              <li key={c.id}>
                <Link asChild><AppLink href={`/arenden/${encodeURIComponent(c.id)}`}>{c.reference}</AppLink></Link> – {c.identified_on}, {codeLabel(codes, 'status', c.status, lang)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Paragraph>
        <Link asChild><AppLink href="/arenden/nytt">{t('nav.newCase')}</AppLink></Link>
      </Paragraph>
    </>
  );
}
