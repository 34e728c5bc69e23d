// On the statistics page: links to the civil-society and support-programme annual reports, each to its
// newest published year (GET /api/stats/releases?source=…, which the public gets as published releases only).
import { useEffect, useState } from 'react';
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { headers } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { Hyphenated } from '../../layout.tsx';
import { AppLink, sourceReportPath } from '../../router.tsx';
import type { ReportSource } from '../../../../src/stats/sources/types.ts';

const sources: readonly ReportSource[] = ['civil_society', 'support_programme'];

type Listed = { year: number; published: boolean; source?: string };

async function newestYear(source: ReportSource): Promise<number | null> {
  const res = await fetch(`/api/stats/releases?source=${source}`, { headers: headers(), credentials: 'omit' });
  if (!res.ok) return null;
  const { items } = (await res.json()) as { items: Listed[] };
  const years = items.filter((r) => r.published && (r.source ?? source) === source).map((r) => r.year);
  return years.length ? Math.max(...years) : null;
}

export function OtherPublications({ lang }: { lang: Lang }) {
  const { t } = useTranslation();
  const [years, setYears] = useState<Partial<Record<ReportSource, number>>>({});
  useEffect(() => {
    let live = true;
    Promise.all(sources.map((s) => newestYear(s).catch(() => null))).then((found) => {
      if (!live) return;
      const out: Partial<Record<ReportSource, number>> = {};
      sources.forEach((s, i) => {
        if (found[i] !== null) out[s] = found[i]!;
      });
      setYears(out);
    });
    return () => {
      live = false;
    };
  }, []);
  const shown = sources.filter((s) => years[s] !== undefined);
  if (!shown.length) return null;
  return (
    <section aria-labelledby="h-other-reports" className="screen-only" data-testid="other-reports">
      <Heading level={2} data-size="xs" id="h-other-reports">
        <Hyphenated text={t('sourceReport.other.title')} />
      </Heading>
      <Paragraph data-size="sm">{t('sourceReport.other.lead')}</Paragraph>
      <ul className="edition-list">
        {shown.map((s) => (
          <li key={s}>
            <AppLink href={sourceReportPath(s, lang, years[s]!)}>{t(`sourceReport.other.${s}`, { year: years[s] })}</AppLink>
          </li>
        ))}
      </ul>
    </section>
  );
}
