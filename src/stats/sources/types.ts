// The annual reports of the other two sources: the civil-society platform's report on the people
// its member organisations support (`civil_society` records) and the support programmes' report
// on the people granted support by NSP and ÅMP (`support_programme` records). Each is declared as
// a list of tables (`SourceTableSpec`), computed from one frozen release of its source and year,
// protected like every public table, and rendered in every format of the coordinators' report.
//
// The coordinators' report keeps its own catalogue (src/stats/catalogue.ts): its tables are read
// off one counting pass and printed with percentages of all persons. These reports follow the
// data standard's denominator rule instead: every percentage is of those who answered, and each
// table says how many answered.
import type { Label, SourceCode } from '../../standard/codes.ts';
import type { CaseData } from '../../standard/case.ts';
import type { CaseStatusCode } from '../../standard/codes.ts';
import type { CellStatus, ReleaseRef } from '../report-types.ts';

/** The sources with an annual report of their own (the coordinators' report is src/stats/catalogue.ts). */
export const reportSources = ['civil_society', 'support_programme'] as const satisfies readonly SourceCode[];
export type ReportSource = (typeof reportSources)[number];

/** The tag in a release id: `2024-civ-1`, `2023-stp-1` (the coordinators' ids stay `2025-1`). */
export const releaseTag: Record<ReportSource, string> = { civil_society: 'civ', support_programme: 'stp' };

/** A frozen record of the source, as a release holds it. */
export type SourceRecord = CaseData & { id: string; status: CaseStatusCode };

/** One code of a table's rows or columns, with its label. */
export type AxisCode = { code: string; label: Label };

/** A table's row or column dimension: its heading and codes in print order (they may depend on the report's year, e.g. the years shown). */
export type Axis = {
  heading: Label;
  codes: (year: number) => readonly AxisCode[];
  /**
   * The dimension tells something about a person (the form of exploitation): in a cross table, when
   * every person (two or more) of a row or column across it is in one of its codes, that cell is
   * unsafe (group disclosure), as over the coordinators' sensitive dimensions.
   */
  sensitive?: true;
};

/** One cell: its row code, its column code in a cross table, the count and the percent of those who answered (one decimal). */
export type SourceRow = { code: string; column?: string; count: number; percent: number | null };

export type SourceTableBody = { rows: SourceRow[]; n_answered: number; n_missing: number };

/** One table of a source's report, declared once; every renderer, the protection and the web page read it. */
export type SourceTableSpec = {
  /** Unique within the source (`contacts`, `amp_granted` …). */
  id: string;
  /** Its number in the printed report ("Tabell 3"); unique within the source. */
  number: number;
  /** The heading of the section it is printed under. */
  section: Label;
  title: Label;
  rows: Axis;
  /** The column dimension of a cross table (years, sex). */
  column?: Axis;
  /** A person may be counted in several rows (a list question): percentages may add to more than 100 and the rows have no total. */
  multi: boolean;
  /** What a count counts. */
  unit: 'person';
  /** Who the question is asked of, in words (the table's note: "of those directly exposed who answered"). */
  base: Label;
  /** Percent of those who answered printed beside each count. */
  percent: boolean;
  /** A bar chart of its rows (one bar per row code; per column code when a cross table). */
  figure?: { title: Label };
  /** A note printed under the table (e.g. what a printed figure left out). */
  note?: Label;
  read: (records: readonly SourceRecord[], year: number) => SourceTableBody;
};

export type SourceTable = SourceTableBody & { id: string };

/** A source's report for a year in the exact form (the statistician's). */
export type SourceReport = {
  source: ReportSource;
  year: number;
  release: ReleaseRef;
  /** Persons in the release (its records). */
  persons: number;
  tables: SourceTable[];
  demo?: true;
};

/** A cell as published: suppressed cells have count and percent null. */
export type PublishedSourceRow = { code: string; column?: string; count: number | null; percent: number | null; status: CellStatus };

export type PublishedSourceTable = {
  id: string;
  n_answered: number | null;
  n_missing: number | null;
  rows: PublishedSourceRow[];
  /** Row and column totals of a cross table that is not `multi` (code `total`), as protected. */
  totals?: PublishedSourceRow[];
};

/** A source's report as published (protected) or as the statistician reads it (exact: every status `safe`). */
export type PublishedSourceReport = Omit<SourceReport, 'tables' | 'persons'> & {
  form: 'exact' | 'protected';
  persons: number | null;
  tables: PublishedSourceTable[];
  disclosure?: { threshold: number; suppressed: number; policy_version: number };
};

/** What a report is, apart from its tables: the source's report title and publisher, and which records a release of a year freezes. */
export type SourceReportSpec = {
  source: ReportSource;
  /** "Civilsamhällets stöd till utsatta för människohandel 2024" — the year is appended by the renderers. */
  title: Label;
  /** Who reports the figures (the cover and the page's byline). */
  reporter: Label;
  /** The years whose records a release of `year` freezes (a year-by-year table needs earlier years). */
  years: (year: number) => { from: number; to: number };
  /** Which of the source's non-withdrawn records of those years the report counts. */
  includes: (record: SourceRecord) => boolean;
  tables: readonly SourceTableSpec[];
};

/** One table as the web page and the renderers present it, in one language: the published cells with the spec's words. */
export type SourceTableView = PublishedSourceTable & {
  number: number;
  section: string;
  title: string;
  row_heading: string;
  row_codes: { code: string; label: string }[];
  column_heading: string | null;
  column_codes: { code: string; label: string }[] | null;
  multi: boolean;
  base: string;
  percent: boolean;
  figure_title: string | null;
  note: string | null;
};

/** A published (or, for the statistician, exact) source report in one language: GET /api/stats/source-report. */
export type SourceReportView = Omit<PublishedSourceReport, 'tables'> & {
  lang: 'sv' | 'en';
  title: string;
  reporter: string;
  tables: SourceTableView[];
};
