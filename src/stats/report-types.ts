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
