// The shell: skip link, header with navigation and language switch, demo banner, main, footer.
// Public pages take their language from the path (/en/…); the coordinators' pages keep the chosen one.
import { lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Heading, Paragraph, SkipLink, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { i18n, type Lang } from './i18n.ts';
import { accountPaths, AppLink, matchRoute, navigate, publicPaths, sourceReportPath, statisticianPaths, statisticsPath, useLocation, type Route } from './router.tsx';
import type { ReportSource } from '../../src/stats/sources/types.ts';
import { useCan, useSession } from './session.tsx';
import { api } from './api.ts';
import { storeLang } from './language.ts';
import { UiContext, useAnnouncer } from './layout.tsx';
import { Home } from './pages/Home.tsx';
import { Statistics } from './pages/Statistics.tsx';
import { TableBuilder } from './pages/TableBuilder.tsx';
import { Help } from './pages/Help.tsx';
import { NotFound } from './pages/NotFound.tsx';

const Coordinator = lazy(() => import('./pages/coordinator.tsx'));
const SourceReport = lazy(() => import('./pages/stats/SourceReport.tsx'));

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const [chosenLang, setChosenLang] = useState<Lang>(route.lang ?? (i18n.language as Lang));
  const lang: Lang = route.lang ?? chosenLang;
  if (route.lang && route.lang !== chosenLang) setChosenLang(route.lang);

  useLayoutEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    storeLang(lang);
  }, [lang]);

  const { t } = useTranslation();
  const { announce, region } = useAnnouncer();
  const [apiDemo, setApiDemo] = useState(false);
  const [pageDemo, setPageDemo] = useState(false);
  useEffect(() => {
    api<{ demo?: boolean }>('/api/health').then((h) => setApiDemo(h.demo === true), () => undefined);
  }, []);
  const ui = useMemo(() => ({ announce, setDemo: setPageDemo }), [announce]);

  // Move focus to the new page's heading on navigation (not on the first load), so screen readers start there.
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const h = document.getElementById('main-heading');
    (h ?? document.getElementById('main'))?.focus();
  }, [pathname]);

  return (
    <UiContext.Provider value={ui}>
      <SkipLink href="#main">{t('skip')}</SkipLink>
      <Header route={route} lang={lang} onLang={setChosenLang} />
      {(apiDemo || pageDemo) && (
        <div className="demo-banner" role="region" aria-label={t('demo.title')}>
          <Alert data-color="warning">
            <Heading level={2} data-size="xs">
              {t('demo.title')}
            </Heading>
            <Paragraph>{t('demo.text')}</Paragraph>
          </Alert>
        </div>
      )}
      <main id="main" tabIndex={-1} className="page">
        <Page route={route} />
      </main>
      <footer className="site-footer">
        <div className="container">
          <Paragraph data-size="sm">{t('footer.about')}</Paragraph>
          <Paragraph data-size="sm">{t('footer.privacy')}</Paragraph>
          <Paragraph data-size="sm">
            <strong>{t('footer.urgent')}</strong>
          </Paragraph>
        </div>
      </footer>
      {region}
    </UiContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <Home />;
    case 'statistics':
      return <Statistics />;
    case 'tableBuilder':
      return <TableBuilder />;
    case 'help':
      return <Help />;
    case 'notFound':
      return <NotFound />;
    case 'sourceReport':
      return (
        <Suspense fallback={<Spinner aria-label="…" data-size="md" />}>
          <SourceReport key={route.params.source} source={route.params.source as ReportSource} year={route.params.year} release={route.params.release} />
        </Suspense>
      );
    default:
      return (
        <Suspense fallback={<Spinner aria-label="…" data-size="md" />}>
          <Coordinator route={route} />
        </Suspense>
      );
  }
}

function Header({ route, lang, onLang }: { route: Route; lang: Lang; onLang: (l: Lang) => void }) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const other: Lang = lang === 'sv' ? 'en' : 'sv';
  // The same page in the other language: a year's or a release's statistics keep their year and release.
  const counterpart =
    route.page === 'statistics' && route.params.year
      ? statisticsPath(other, route.params.year, route.params.release)
      : route.page === 'sourceReport'
        ? sourceReportPath(route.params.source as ReportSource, other, route.params.year, route.params.release)
        : route.public && route.page in publicPaths
        ? publicPaths[route.page as keyof typeof publicPaths][other]
        : null;
  const can = useCan();
  const here = (href: string) => (route.page !== 'notFound' && location.pathname === href ? 'page' : undefined);

  const link = (href: string, text: string) => (
    <li>
      <AppLink href={href} aria-current={here(href)} className="nav-link">
        {text}
      </AppLink>
    </li>
  );

  return (
    <header className="site-header">
      <div className="container header-row">
        <AppLink href={publicPaths.home[lang]} className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </AppLink>
        {counterpart ? (
          // The accessible name is the visible text (WCAG 2.5.3), in the language it names.
          <a href={counterpart} lang={other} hrefLang={other} className="lang-switch" onClick={(e) => { e.preventDefault(); navigate(counterpart); }}>
            {t('language.switch')}
          </a>
        ) : (
          <Button variant="tertiary" data-size="sm" lang={other} onClick={() => onLang(other)}>
            {t('language.switch')}
          </Button>
        )}
      </div>
      <nav aria-label={t('nav.label')} className="container">
        <ul className="nav-list">
          {link(publicPaths.statistics[lang], t('nav.statistics'))}
          {link(publicPaths.help[lang], t('nav.help'))}
          {can('cases.list') && link('/oversikt', t('nav.overview'))}
          {can('cases.list') && link('/arenden', t('nav.cases'))}
          {can('case.create') && link('/arenden/nytt', t('nav.newCase'))}
          {can('cases.import') && link('/import', t('nav.import'))}
          {can('report.read_live') && link(statisticianPaths.quality, t('nav.quality'))}
          {(can('duplicates.review') || can('duplicates.review_national')) && link('/dubbletter', t('nav.duplicates'))}
          {(can('audit.search') || can('audit.read_own_region')) && link('/granskning', t('nav.auditTrail'))}
          {can('release.read_internal') && link(statisticianPaths.releases, t('nav.releases'))}
          {can('release.read_internal') && link(statisticianPaths.compare, t('nav.compare'))}
          {can('organisations.manage') && link(accountPaths.organisations, t('nav.organisations'))}
          {can('users.manage') && link(accountPaths.users, t('nav.users'))}
          {session.status === 'signed-in' && link(accountPaths.password, t('nav.password'))}
          {session.status === 'signed-out' && link(publicPaths.signIn[lang], t('nav.signIn'))}
          {session.status === 'signed-in' && (
            <li>
              <Button variant="tertiary" data-size="sm" onClick={() => signOut().then(() => navigate(publicPaths.home[lang]))}>
                {t('nav.signOut')} ({session.user.username})
              </Button>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}
