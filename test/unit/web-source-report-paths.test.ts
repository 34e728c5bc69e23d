// The civil-society and support-programme reports' addresses: the app's router and the server's list
// (which answers them with the app, or its 404 page for a year without a published release) agree,
// and the language switch's counterpart of each address is the same report in the other language.
import { describe, expect, it } from 'vitest';
import { sourceReportBases } from '../../src/http/web.ts';
import { matchRoute, sourceReportPath, sourceReportPaths } from '../../web/src/router.tsx';

describe('source report addresses', () => {
  it('the server serves exactly the bases the router knows, Swedish and English', () => {
    for (const [source, paths] of Object.entries(sourceReportPaths)) {
      expect(sourceReportBases[source as keyof typeof sourceReportBases]).toEqual([paths.sv, paths.en]);
    }
    expect(Object.keys(sourceReportBases).sort()).toEqual(Object.keys(sourceReportPaths).sort());
  });

  it('a year and a release of each source route to the source report page in the path’s language', () => {
    expect(matchRoute('/statistik/civilsamhallet/2024')).toEqual({ page: 'sourceReport', params: { source: 'civil_society', year: '2024' }, lang: 'sv', public: true });
    expect(matchRoute('/statistik/stodprogrammen/2023/2023-stp-1')).toEqual({
      page: 'sourceReport',
      params: { source: 'support_programme', year: '2023', release: '2023-stp-1' },
      lang: 'sv',
      public: true,
    });
    expect(matchRoute('/en/statistics/civil-society/2025/')).toMatchObject({ page: 'sourceReport', params: { source: 'civil_society', year: '2025' }, lang: 'en' });
    expect(matchRoute('/en/statistics/support-programmes/2023')).toMatchObject({ page: 'sourceReport', params: { source: 'support_programme' }, lang: 'en' });
    // Not a year: the app's not-found page, in the path's language; the coordinators' year pages are unchanged.
    expect(matchRoute('/statistik/civilsamhallet').page).toBe('notFound');
    expect(matchRoute('/statistik/civilsamhallet/24').page).toBe('notFound');
    expect(matchRoute('/en/statistics/civil-society/abcd')).toMatchObject({ page: 'notFound', lang: 'en' });
    expect(matchRoute('/statistik/2025/2025-1')).toMatchObject({ page: 'statistics', params: { year: '2025', release: '2025-1' } });
  });

  it('every address turns into its counterpart in the other language and back', () => {
    for (const source of ['civil_society', 'support_programme'] as const) {
      for (const release of [undefined, `2024-${source === 'civil_society' ? 'civ' : 'stp'}-2`]) {
        const sv = sourceReportPath(source, 'sv', 2024, release);
        const en = sourceReportPath(source, 'en', 2024, release);
        expect(sv).not.toBe(en);
        for (const [path, lang] of [[sv, 'sv'], [en, 'en']] as const) {
          const route = matchRoute(path);
          expect(route).toMatchObject({ page: 'sourceReport', lang, params: { source, year: '2024', ...(release ? { release } : {}) } });
          const other = lang === 'sv' ? 'en' : 'sv';
          expect(sourceReportPath(source, other, route.params.year, route.params.release)).toBe(lang === 'sv' ? en : sv);
        }
      }
    }
  });
});
