// The machine-readable report (docs/annual-report.md, "Machine-readable form").
// The contract between the engine, the renderers, the API and the web app.

export type TableId =
  | 'totals'
  | 'category'
  | 'form_by_group'
  | 'crime_by_group'
  | 'form_by_crime'
  | 'multiple_combinations'
  | 'industry_by_sex'
  | 'multiple_industry_by_sex'
  | 'children_by_form'
  | 'referrer'
  | 'nationality'
  | 'nationality_top'
  | 'nationality_top3_by_form'
  | 'related_children'
  | 'workplace_inspection'
  | 'region'
  | 'trend';

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
