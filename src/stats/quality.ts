// The statistician's view of a year before freezing: data-quality notes of the live data and
// the cases that may be the same person registered twice.
import type { Executor } from '../store/db.ts';
import { computeReport } from './engine.ts';
import type { QualityNote, ReportCheck } from './report-types.ts';
import { liveCasesOfYear } from './releases.ts';

export type YearQuality = {
  year: number;
  cases: number;
  quality: QualityNote[];
  checks: ReportCheck[];
  possible_duplicates: { linkage_key_group: number; case_ids: string[] }[];
};

/** Quality notes, checks and possible duplicates (same linkage key twice in the year) of the live data. */
export async function qualityOfYear(db: Executor, year: number): Promise<YearQuality> {
  const cases = await liveCasesOfYear(db, year);
  const report = computeReport({ year, cases, release: { id: null, kind: 'live' } });
  const byKey = new Map<string, string[]>();
  for (const c of cases) {
    if (!c.linkage_key) continue;
    byKey.set(c.linkage_key, [...(byKey.get(c.linkage_key) ?? []), c.id]);
  }
  const groups = [...byKey.values()].filter((ids) => ids.length > 1);
  return {
    year,
    cases: cases.length,
    quality: report.quality,
    checks: report.checks,
    // The keys themselves are pseudonyms of people: groups are numbered, keys never leave the server.
    possible_duplicates: groups.map((case_ids, i) => ({ linkage_key_group: i + 1, case_ids })),
  };
}
