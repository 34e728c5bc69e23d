// Which year the coordinator's and statistician's pages open on: the current year once it has cases,
// before that the newest year that has any (the demo's data end in an earlier year). The server
// counts the cases per year (GET /api/cases/years) so every page opens on the same year.
import { useEffect, useState } from 'react';
import type { CaseYears } from '../../src/contract/index.ts';
import { api } from './api.ts';

export type YearCount = CaseYears['items'][number];

/** The year to open on: the current one if it has cases, else the newest with cases, else the current one. */
export function defaultYear(years: readonly YearCount[], current: number): number {
  const withCases = years.filter((y) => y.total > 0).map((y) => y.year);
  if (withCases.includes(current)) return current;
  const past = withCases.filter((y) => y < current);
  return past.length > 0 ? Math.max(...past) : current;
}

/** The cases per year (null while asking) and the year to open on (null until known). */
export function useCaseYears(): { years: YearCount[] | null; opening: number | null } {
  const [years, setYears] = useState<YearCount[] | null>(null);
  useEffect(() => {
    let live = true;
    // Without an answer (an error) the pages open on the current year, as before.
    api<CaseYears>('/api/cases/years').then(
      (d) => live && setYears(d.items),
      () => live && setYears([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return { years, opening: years ? defaultYear(years, new Date().getFullYear()) : null };
}
