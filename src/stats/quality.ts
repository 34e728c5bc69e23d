// The statistician's view of a year before freezing: data-quality notes of the live data and
// the cases that may be the same person registered twice.
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize } from '../access/policy.ts';
import type { Executor } from '../store/db.ts';
import { computeReport } from './engine.ts';
import type { QualityNote, ReportCheck } from './report-types.ts';
import { casesOfNotes } from './quality-cases.ts';
import { liveCasesOfYear } from './releases.ts';
import { defaultSettings } from './tables.ts';

export type YearQuality = {
  year: number;
  cases: number;
  quality: QualityNote[];
  checks: ReportCheck[];
  possible_duplicates: { linkage_key_group: number; case_ids: string[] }[];
  /** The cases each quality note counts, by note id (notes that count none left out). */
  note_cases: Record<string, string[]>;
};

/**
 * Quality notes, checks and possible duplicates (same linkage key twice in the year) of the live
 * data, for those who may read it. The possible duplicates name cases, so the look is in the trail:
 * one row with those cases, written in the read's transaction.
 */
export async function qualityView(db: Executor, actor: Actor, year: number): Promise<YearQuality> {
  authorize(actor, 'report.read_live');
  const { cases, groups, noteCases } = await db.transaction(async (tx) => {
    const live = await liveCasesOfYear(tx, year);
    const groups = duplicateGroups(live);
    const noteCases = casesOfNotes(live, year, defaultSettings);
    const named = new Set([...groups.flat(), ...Object.values(noteCases).flat()]);
    await writeAudit(tx, { actor, operation: 'report.read_live', caseIds: [...named], details: { view: 'quality', year, cases: live.length } });
    return { cases: live, groups, noteCases };
  });
  const report = computeReport({ year, cases, release: { id: null, kind: 'live' }, settings: defaultSettings });
  return {
    year,
    cases: cases.length,
    quality: report.quality,
    checks: report.checks,
    // The keys themselves are pseudonyms of people: groups are numbered, keys never leave the server.
    possible_duplicates: groups.map((case_ids, i) => ({ linkage_key_group: i + 1, case_ids })),
    note_cases: noteCases,
  };
}

/** The ids of the cases that share a linkage key, one group per key seen more than once. */
function duplicateGroups(cases: readonly { id: string; linkage_key?: string | null }[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const c of cases) {
    if (!c.linkage_key) continue;
    byKey.set(c.linkage_key, [...(byKey.get(c.linkage_key) ?? []), c.id]);
  }
  return [...byKey.values()].filter((ids) => ids.length > 1);
}
