// The CTDC export: a published release's frozen records in the columns of the Counter Trafficking
// Data Collaborative (data standard section 7), k-anonymised as CTDC's k-anonymised global dataset
// is (docs/ctdc-export.md). The mapping and the anonymisation are pure functions; `ctdcExport` is
// the service: for the statistician only, from a published release only, and audited as an export
// of case-level data (`cases.export`, the exported cases' ids in the row), in one transaction.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { writeAudit } from '../access/audit.ts';
import { authorize } from '../access/policy.ts';
import type { CaseData } from '../standard/case.ts';
import { industryParent } from '../standard/codes.ts';
import { countryAlpha3 } from '../standard/countries.ts';
import type { Executor } from '../store/db.ts';
import { releaseNotFound, StatsError } from './errors.ts';
import { releaseRecords } from './releases.ts';
import { releases } from './schema.ts';

/** CTDC's k: a combination of quasi-identifiers shared by fewer records is never published. */
export const CTDC_K = 11;

/** The export's columns, CTDC's names, in the order of CTDC's global dataset; nothing else is written. */
export const ctdcColumns = [
  'yearOfRegistration',
  'gender',
  'ageBroad',
  'citizenship',
  'isForcedLabour',
  'isSexualExploit',
  'isOtherExploit',
  'typeOfLabourAgriculture',
  'typeOfLabourConstruction',
  'typeOfLabourDomesticWork',
  'typeOfLabourHospitality',
  'CountryOfExploitation',
] as const;
export type CtdcColumn = (typeof ctdcColumns)[number];
/** One record in CTDC's columns; `''` is blank (missing, or blanked by the anonymisation). */
export type CtdcRow = Record<CtdcColumn, string>;

/** The quasi-identifiers whose combinations are k-anonymised. */
export const quasiIdentifiers = ['yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation'] as const satisfies readonly CtdcColumn[];
/** Blanked first, together, in a record whose combination is too rare. */
export const blankedFirst = ['citizenship', 'CountryOfExploitation'] as const satisfies readonly CtdcColumn[];
/** Blanked second, when blanking the first was not enough. */
export const blankedSecond = ['ageBroad'] as const satisfies readonly CtdcColumn[];

const genders: Record<string, string> = { female: 'Woman', male: 'Man', other: 'Trans-NonConforming' };

/** CTDC's age bands, lowest age of each, as CTDC spells them ("9--17"). */
const ageBands: readonly [number, string][] = [
  [48, '48+'],
  [39, '39--47'],
  [30, '30--38'],
  [27, '27--29'],
  [24, '24--26'],
  [21, '21--23'],
  [18, '18--20'],
  [9, '9--17'],
  [0, '0--8'],
];

/** `ageBroad` of an age in years; blank without one. */
export function ageBroad(age: number | null | undefined): string {
  if (age === null || age === undefined || !Number.isInteger(age) || age < 0) return '';
  return ageBands.find(([from]) => age >= from)![1];
}

/** The record's one country of exploitation (alpha-3): blank when it names none, or more than one. */
function countryOfExploitation(r: Pick<CaseData, 'exploitation_countries' | 'exploited_in_sweden'>): string {
  const named = new Set(r.exploitation_countries ?? []);
  if (r.exploited_in_sweden === 'yes') named.add('SE');
  if (named.size !== 1) return '';
  return countryAlpha3([...named][0]) ?? '';
}

const flag = (yes: boolean) => (yes ? '1' : '');

/** The fields a CTDC row is made of: nothing else of a case is read. */
export type CtdcSource = Pick<
  CaseData,
  'identified_on' | 'sex' | 'age' | 'nationality' | 'exploitation_forms' | 'industries' | 'exploited_in_sweden' | 'exploitation_countries'
>;

/** A case in CTDC's columns (data standard section 7), before anonymisation. */
export function ctdcRow(r: CtdcSource): CtdcRow {
  const forms = new Set<string>(r.exploitation_forms ?? []);
  const industries = new Set<string>(r.industries ?? []);
  return {
    yearOfRegistration: /^\d{4}-/.test(r.identified_on ?? '') ? r.identified_on.slice(0, 4) : '',
    gender: genders[r.sex] ?? '',
    ageBroad: ageBroad(r.age),
    citizenship: (r.nationality && countryAlpha3(r.nationality)) || '',
    isForcedLabour: flag(forms.has('labour')),
    isSexualExploit: flag(forms.has('sexual')),
    isOtherExploit: flag([...forms].some((f) => f !== 'labour' && f !== 'sexual')),
    typeOfLabourAgriculture: flag([...industries].some((i) => industryParent[i as keyof typeof industryParent] === 'green')),
    typeOfLabourConstruction: flag(industries.has('construction')),
    typeOfLabourDomesticWork: flag(forms.has('domestic_work') || industries.has('au_pair')),
    typeOfLabourHospitality: flag(industries.has('hotel_restaurant')),
    CountryOfExploitation: countryOfExploitation(r),
  };
}

/** A record's combination of quasi-identifiers, as one string (a blank is a value of its own). */
export const combinationOf = (row: CtdcRow): string => quasiIdentifiers.map((q) => row[q]).join('\u0000');

export type KAnonymised = {
  /** The rows kept, in the order of the input. */
  rows: CtdcRow[];
  /** For each kept row, the index of the input row it came from. */
  origin: number[];
  /** Rows whose citizenship and country of exploitation were blanked (step 1). */
  blankedCountries: number;
  /** Rows whose age was blanked (step 2). */
  blankedAge: number;
  /** Rows left out because their combination stayed rarer than k (step 3). */
  dropped: number;
};

/** Counts each combination's rows. */
function combinationCounts(rows: readonly CtdcRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = combinationOf(row);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * k-anonymises rows over the quasi-identifiers, in three steps, each over the combinations the
 * step before left: (1) every row whose combination is shared by fewer than k rows gets its
 * citizenship and country of exploitation blanked; (2) every row whose combination is then still
 * shared by fewer than k rows gets its age band blanked; (3) every row whose combination is still
 * shared by fewer than k rows is left out. A blank matches only a blank. A row in a combination of
 * k or more is never changed: blanking only merges rows into combinations, never splits one.
 */
export function kAnonymise(input: readonly CtdcRow[], k: number = CTDC_K): KAnonymised {
  let rows = input.map((r) => ({ ...r }));
  let blankedCountries = 0;
  let blankedAge = 0;
  for (const [step, columns] of [
    [1, blankedFirst],
    [2, blankedSecond],
  ] as const) {
    const counts = combinationCounts(rows);
    rows = rows.map((row) => {
      if (counts.get(combinationOf(row))! >= k) return row;
      if (columns.some((c) => row[c] !== '')) {
        if (step === 1) blankedCountries++;
        else blankedAge++;
      }
      const blanked = { ...row };
      for (const c of columns) blanked[c] = '';
      return blanked;
    });
  }
  const counts = combinationCounts(rows);
  const kept: CtdcRow[] = [];
  const origin: number[] = [];
  rows.forEach((row, i) => {
    if (counts.get(combinationOf(row))! < k) return;
    kept.push(row);
    origin.push(i);
  });
  return { rows: kept, origin, blankedCountries, blankedAge, dropped: input.length - kept.length };
}

/** Rows sorted by their values, column by column, so that the file's order tells nothing of the records' order. */
export function sortRows(rows: readonly CtdcRow[]): CtdcRow[] {
  const key = (r: CtdcRow) => ctdcColumns.map((c) => r[c]).join('\u0000');
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * The rows as CSV: CTDC's header, one line per row sorted by value, comma-separated, CRLF line
 * ends, no byte-order mark; a blank is an empty cell. Every value is a code, a year or `1`: nothing
 * needs quoting.
 */
export function ctdcCsv(rows: readonly CtdcRow[]): string {
  const lines = [ctdcColumns.join(','), ...sortRows(rows).map((r) => ctdcColumns.map((c) => r[c]).join(','))];
  return lines.join('\r\n') + '\r\n';
}

export type CtdcExport = {
  release: { id: string; year: number; demo: boolean };
  csv: string;
  fileName: string;
  /** rows written, and what the anonymisation did */
  rows: number;
  blankedCountries: number;
  blankedAge: number;
  dropped: number;
};

export type CtdcRequest = { year: number; releaseId?: string };

const unpublished = () =>
  new StatsError('conflict', {
    sv: 'Bara en publicerad utgåva kan exporteras till CTDC.',
    en: 'Only a published release can be exported to CTDC.',
  });
const noneToExport = () =>
  new StatsError('not_found', {
    sv: 'Året har ingen publicerad utgåva att exportera till CTDC.',
    en: 'The year has no published release to export to CTDC.',
  });

/** The release an export reads: the one named (published, of the year), else the year's newest published final, else its newest published preliminary. */
async function exportedRelease(db: Executor, req: CtdcRequest) {
  if (req.releaseId !== undefined) {
    const [row] = await db.select().from(releases).where(eq(releases.id, req.releaseId));
    // The coordinators' releases only: CTDC's rows are the coordinators' cases.
    if (!row || row.year !== req.year || row.source !== 'coordinator') throw releaseNotFound();
    if (row.published_at === null) throw unpublished();
    return row;
  }
  const rows = await db
    .select()
    .from(releases)
    .where(and(eq(releases.year, req.year), eq(releases.source, 'coordinator'), isNotNull(releases.published_at)))
    .orderBy(desc(releases.number));
  const chosen = rows.find((r) => r.kind === 'final') ?? rows.find((r) => r.kind === 'preliminary');
  if (!chosen) throw noneToExport();
  return chosen;
}

/**
 * The CTDC export of a published release of the year, for the statistician (and the system): the
 * records read, mapped, k-anonymised and written as CSV, and the export's audit row (`cases.export`
 * with the ids of the cases whose rows were written, format, release, counts; never a value) in
 * the same transaction.
 */
export async function ctdcExport(db: Executor, actor: Actor, req: CtdcRequest): Promise<CtdcExport> {
  authorize(actor, 'release.read_internal');
  return db.transaction(async (tx) => {
    const release = await exportedRelease(tx, req);
    const records = await releaseRecords(tx, release.id);
    const result = kAnonymise(records.map(ctdcRow));
    await writeAudit(tx, {
      actor,
      operation: 'cases.export',
      caseIds: result.origin.map((i) => records[i].id),
      details: {
        format: 'ctdc',
        release_id: release.id,
        year: release.year,
        k: CTDC_K,
        rows: result.rows.length,
        blanked_countries: result.blankedCountries,
        blanked_age: result.blankedAge,
        dropped: result.dropped,
      },
    });
    return {
      release: { id: release.id, year: release.year, demo: release.demo },
      csv: ctdcCsv(result.rows),
      fileName: `ctdc-${release.id}${release.demo ? '-demo' : ''}.csv`,
      rows: result.rows.length,
      blankedCountries: result.blankedCountries,
      blankedAge: result.blankedAge,
      dropped: result.dropped,
    };
  });
}
