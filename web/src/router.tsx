// A small history router: the app has a handful of fixed paths, so no routing library.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import type { Lang } from './i18n.ts';
import type { ReportSource } from '../../src/stats/sources/types.ts';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search, () => '/');
  const url = new URL(href, 'http://x');
  return { pathname: url.pathname, search: url.searchParams, href };
}

export function AppLink({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (!href.startsWith('/') || href.startsWith('/api/')) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

export type PageName =
  | 'home' | 'statistics' | 'tableBuilder' | 'help' | 'signIn' | 'resetPassword'
  | 'overview' | 'cases' | 'newCase' | 'case' | 'editCase' | 'import' | 'notFound'
  | 'quality' | 'releases' | 'release' | 'compare' | 'duplicates'
  | 'adminOrganisations' | 'adminUsers' | 'password' | 'sourceReport' | 'auditTrail';

export type Route = { page: PageName; params: Record<string, string>; lang?: Lang; public: boolean };

/** Public pages have a Swedish and an English path; the coordinators' pages have one path in either language. */
export const publicPaths: Record<'home' | 'statistics' | 'tableBuilder' | 'help' | 'signIn' | 'resetPassword', Record<Lang, string>> = {
  home: { sv: '/', en: '/en' },
  statistics: { sv: '/statistik', en: '/en/statistics' },
  tableBuilder: { sv: '/statistik/tabell', en: '/en/statistics/table' },
  help: { sv: '/hjalp', en: '/en/help' },
  signIn: { sv: '/logga-in', en: '/en/sign-in' },
  /** a new password with a one-time code from the administrator */
  resetPassword: { sv: '/aterstall-losenord', en: '/en/reset-password' },
};

/** The statistician's pages (one path in either language, like the coordinators'). */
export const statisticianPaths = {
  quality: '/statistiker/kvalitet',
  releases: '/statistiker/utgavor',
  compare: '/statistiker/jamfor',
  release: (id: string) => `/statistiker/utgavor/${encodeURIComponent(id)}`,
} as const;

/** The administrator's pages, and every signed-in user's own password (one path in either language). */
export const accountPaths = {
  organisations: '/admin/organisationer',
  users: '/admin/anvandare',
  password: '/konto/losenord',
} as const;

/**
 * The public statistics of a year (its default release: the newest final, else the newest
 * preliminary) or of one release: /statistik/2025, /statistik/2025/2025-1, /en/statistics/2025 ….
 */
export function statisticsPath(lang: Lang, year?: number | string, release?: string): string {
  const base = publicPaths.statistics[lang];
  if (year === undefined) return base;
  return release ? `${base}/${year}/${encodeURIComponent(release)}` : `${base}/${year}`;
}

/** The civil-society and support-programme reports' public addresses, under the statistics'. */
export const sourceReportPaths: Record<ReportSource, Record<Lang, string>> = {
  civil_society: { sv: '/statistik/civilsamhallet', en: '/en/statistics/civil-society' },
  support_programme: { sv: '/statistik/stodprogrammen', en: '/en/statistics/support-programmes' },
};

/** A source's report of a year (its newest final published release) or of one release: /statistik/civilsamhallet/2024/2024-civ-1 …. */
export function sourceReportPath(source: ReportSource, lang: Lang, year: number | string, release?: string): string {
  const base = `${sourceReportPaths[source][lang]}/${year}`;
  return release ? `${base}/${encodeURIComponent(release)}` : base;
}

export function matchRoute(pathname: string): Route {
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [page, paths] of Object.entries(publicPaths)) {
    for (const lang of ['sv', 'en'] as const) {
      if (paths[lang] === p) return { page: page as PageName, params: {}, lang, public: true };
    }
  }
  for (const lang of ['sv', 'en'] as const) {
    const m = new RegExp(`^${publicPaths.statistics[lang]}/(\\d{4})(?:/([^/]+))?$`).exec(p);
    if (m) {
      let release: string | undefined;
      try {
        release = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
      } catch {
        return { page: 'notFound', params: {}, lang, public: true };
      }
      return { page: 'statistics', params: { year: m[1], ...(release ? { release } : {}) }, lang, public: true };
    }
  }
  for (const [source, paths] of Object.entries(sourceReportPaths)) {
    for (const lang of ['sv', 'en'] as const) {
      const m = new RegExp(`^${paths[lang]}/(\\d{4})(?:/([^/]+))?$`).exec(p);
      if (!m) continue;
      let release: string | undefined;
      try {
        release = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
      } catch {
        return { page: 'notFound', params: {}, lang, public: true };
      }
      return { page: 'sourceReport', params: { source, year: m[1], ...(release ? { release } : {}) }, lang, public: true };
    }
  }
  if (p === '/oversikt') return { page: 'overview', params: {}, public: false };
  if (p === '/arenden') return { page: 'cases', params: {}, public: false };
  if (p === '/arenden/nytt') return { page: 'newCase', params: {}, public: false };
  if (p === '/import') return { page: 'import', params: {}, public: false };
  if (p === '/dubbletter') return { page: 'duplicates', params: {}, public: false };
  if (p === '/granskning') return { page: 'auditTrail', params: {}, public: false };
  if (p === statisticianPaths.quality) return { page: 'quality', params: {}, public: false };
  if (p === statisticianPaths.releases) return { page: 'releases', params: {}, public: false };
  if (p === statisticianPaths.compare) return { page: 'compare', params: {}, public: false };
  if (p === accountPaths.organisations) return { page: 'adminOrganisations', params: {}, public: false };
  if (p === accountPaths.users) return { page: 'adminUsers', params: {}, public: false };
  if (p === accountPaths.password) return { page: 'password', params: {}, public: false };
  let m = /^\/arenden\/([^/]+)\/andra$/.exec(p);
  if (m) return { page: 'editCase', params: { id: decodeURIComponent(m[1]) }, public: false };
  m = /^\/statistiker\/utgavor\/([^/]+)$/.exec(p);
  if (m) return { page: 'release', params: { id: decodeURIComponent(m[1]) }, public: false };
  m = /^\/arenden\/([^/]+)$/.exec(p);
  if (m) return { page: 'case', params: { id: decodeURIComponent(m[1]) }, public: false };
  // A wrong address is answered in the language of its path, as the server's 404 page is (lang="…").
  return { page: 'notFound', params: {}, lang: p === '/en' || p.startsWith('/en/') ? 'en' : 'sv', public: true };
}
