// The machine-readable report (docs/annual-report.md, "Machine-readable form").
// The contract between the engine, the renderers, the API and the web app.

import type { Role, TableId } from './catalogue.ts';

export type { Role, TableId };

/** One interior cell: its dimension codes, `count`, and `percent` where the table has one. */
export type ReportRow = Record<string, string | number> & { count: number; percent?: number; status?: string };

export type ReportTable = {
  id: TableId;
  n_answered: number;
  n_missing: number;
  rows: ReportRow[];
};

export type ReleaseRef = { id: string | null; kind: 'final' | 'preliminary' | 'live'; number?: number; published?: boolean; checksum?: string };

export type ReportCheck = { id: string; ok: boolean; detail: string };
export type QualityNote = { id: string; count: number; sv: string; en: string };

export type ReportSettings = { unknown_age_as_adult: boolean };

/** How a printed cell is published: as it is, suppressed (`primary`: unsafe itself; `secondary`: to protect one), or exactly by the statistician's decision. */
export type CellStatus = 'safe' | 'primary' | 'secondary' | 'exact_by_decision';

/**
 * A printed cell as a release publishes it. In the protected form every cell of a public table is
 * listed (zeros included) with its `status`, and `count` and `percent` are null when suppressed.
 * The exact form's rows (ReportRow) are published rows too.
 */
export type PublishedRow = Record<string, string | number | null> & { count: number | null; percent?: number | null; status?: string };

export type PublishedTable = {
  id: TableId;
  n_answered: number | null;
  n_missing: number | null;
  rows: PublishedRow[];
  /**
   * The protected form of a cross table: its printed totals, each with the dimensions it sums over
   * left out (a row's total has the row's codes, a column's the column's code, the grand total none).
   * Renderers print these instead of summing the rows, which a suppressed cell would falsify.
   */
  totals?: PublishedRow[];
};

export type PublishedQualityNote = Omit<QualityNote, 'count'> & { count: number | null; status?: string };

/** What the protected form says about its protection (the quality declaration's "n cells suppressed"). */
export type DisclosureSummary = {
  policy_version: number;
  threshold: number;
  width: number;
  protect_zeros: boolean;
  /** Distinct suppressed cells of the release (a cell printed in two tables counts once). */
  suppressed: number;
  /** Tables published exactly, with the statistician's reason. */
  exact: Record<string, string>;
};

/** A report as published: the exact form (a Report) or the protected one. Every renderer takes it. */
export type PublishedReport = Omit<Report, 'tables' | 'quality'> & {
  tables: PublishedTable[];
  quality: PublishedQualityNote[];
  disclosure?: DisclosureSummary;
};

export type Report = {
  year: number;
  release: ReleaseRef;
  settings: ReportSettings;
  tables: ReportTable[];
  checks: ReportCheck[];
  quality: QualityNote[];
  demo?: true;
  generated_at?: string;
};
