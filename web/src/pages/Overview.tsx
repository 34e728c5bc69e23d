// The coordinator's start page: the region's year in one read (GET /api/cases/overview) — counts by
// status, the latest changed and the cases needing attention. It opens on the current year once it
// has cases, before that on the newest year with cases (useCaseYears), and the year can be chosen
// (kept in the address, ?ar=2025, like the quality page).
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field, Heading, Label, Link, Paragraph, Select, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { YearOverview } from '../../../src/contract/index.ts';
import { api } from '../api.ts';
import { useCaseYears } from '../caseYears.ts';
import { codeLabel, useCodes } from '../codes.ts';
import type { Lang } from '../i18n.ts';
import { formatNumber, PageHeading, useTitle } from '../layout.tsx';
import { AppLink, navigate, useLocation } from '../router.tsx';
import { fieldName } from './caseText.ts';
import { useCan, useSession } from '../session.tsx';

export function Overview() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { session } = useSession();
  const can = useCan();
  const { search } = useLocation();
  useTitle(t('overview.title'));
  const region = session.status === 'signed-in' ? session.user.region : null;
  const current = new Date().getFullYear();
  const { years, opening } = useCaseYears();
  const asked = Number(search.get('ar'));
  const year = asked >= 2018 && asked <= current ? asked : opening;
  const choices = [...new Set([current, ...(years ?? []).map((y) => y.year)])].filter((y) => y >= 2018 && y <= current).sort((a, b) => b - a);
  const [draft, setDraft] = useState('');
  const [overview, setOverview] = useState<YearOverview | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (year === null) return;
    setDraft(String(year));
    setOverview(null);
    setFailed(false);
    api<YearOverview>(`/api/cases/overview?year=${year}`).then(setOverview, () => setFailed(true));
  }, [region, year]);
  const counts = overview?.counts ?? (failed ? { all: 0, open: 0, closed: 0, withdrawn: 0 } : null);
  const latest = overview?.latest ?? [];

  const choose = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/oversikt?ar=${encodeURIComponent(draft)}`);
  };
  const shownYear = year ?? current;
  const key = shownYear === current ? 'SoFar' : '';
  const heading = region
    ? t(`overview.regionYear${key}`, { region: codeLabel(codes, 'region', region, lang), year: shownYear })
    : t(`overview.allRegionsYear${key}`, { year: shownYear });
  return (
    <>
      <PageHeading>{t('overview.title')}</PageHeading>
      <form onSubmit={choose} className="inline-form" aria-label={t('overview.chooseYear')}>
        <Field>
          <Label htmlFor="overview-year">{t('overview.year')}</Label>
          <Select id="overview-year" value={draft} onChange={(e) => setDraft(e.target.value)}>
            {choices.map((y) => {
              const total = years?.find((c) => c.year === y)?.total ?? 0;
              return <Select.Option key={y} value={String(y)}>{`${y} (${t('cases.count', { count: total })})`}</Select.Option>;
            })}
          </Select>
        </Field>
        <Button type="submit" variant="secondary">{t('overview.show')}</Button>
      </form>
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
        {counts && (
          <Paragraph>
            <Link asChild><AppLink href={`/arenden?year=${shownYear}`}>{t('overview.allOfYear', { year: shownYear })}</AppLink></Link>
          </Paragraph>
        )}
      </section>
      {overview && <Attention overview={overview} />}
      <section aria-labelledby="h-latest">
        <Heading level={2} data-size="sm" id="h-latest">{t('overview.latest')}</Heading>
        {latest.length === 0 ? (
          <Paragraph>{t('overview.noneYear', { year: shownYear })}</Paragraph>
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
      {can('case.create') && (
        <Paragraph>
          <Link asChild><AppLink href="/arenden/nytt">{t('nav.newCase')}</AppLink></Link>
        </Paragraph>
      )}
    </>
  );
}

/** The cases needing attention: how many for each reason, and the first of them, oldest first, with what each lacks. */
function Attention({ overview }: { overview: YearOverview }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const codes = useCodes();
  const { attention, year } = overview;
  return (
    <section aria-labelledby="h-attention" data-testid="attention">
      <Heading level={2} data-size="sm" id="h-attention">{t('overview.attention')}</Heading>
      {attention.cases === 0 ? (
        <Paragraph>{t('overview.attentionNone', { year })}</Paragraph>
      ) : (
        <>
          <ul className="key-figures">
            <li className="key-figure"><span className="value">{formatNumber(attention.open_long, lang)}</span><span className="what">{t('overview.reasons.open_long')}</span></li>
            <li className="key-figure"><span className="value">{formatNumber(attention.missing_answers, lang)}</span><span className="what">{t('overview.reasons.missing_answers')}</span></li>
            <li className="key-figure"><span className="value">{formatNumber(attention.possible_duplicates, lang)}</span><span className="what">{t('overview.reasons.possible_duplicate')}</span></li>
          </ul>
          <ul data-testid="attention-cases">
            {attention.items.map((c) => (
              <li key={c.id}>
                <Link asChild><AppLink href={`/arenden/${encodeURIComponent(c.id)}`}>{c.reference}</AppLink></Link>
                {` – ${c.identified_on}: `}
                {c.reasons
                  .map((r) => (r === 'missing_answers' ? t('overview.lacks', { fields: c.missing.map((f) => fieldName(codes, f, lang).toLocaleLowerCase(lang)).join(', ') }) : t(`overview.reason.${r}`)))
                  .join('; ')}
              </li>
            ))}
          </ul>
          {attention.cases > attention.items.length && <Paragraph>{t('overview.attentionMore', { shown: attention.items.length, count: attention.cases })}</Paragraph>}
          {attention.possible_duplicates > 0 && (
            <Paragraph>
              <Link asChild><AppLink href={`/dubbletter?ar=${year}`}>{t('overview.reviewDuplicates')}</AppLink></Link>
            </Paragraph>
          )}
        </>
      )}
    </section>
  );
}
