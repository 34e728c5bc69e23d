// A source's report computed from one frozen release: each declared table read off the release's
// records (src/stats/sources/types.ts). The exact form, the statistician's; what the public reads is
// its protected form (protection.ts).
import type { ReleaseRef } from '../report-types.ts';
import type { SourceRecord, SourceReport, SourceReportSpec } from './types.ts';

export function computeSourceReport(spec: SourceReportSpec, records: readonly SourceRecord[], year: number, release: ReleaseRef, opts: { demo?: boolean } = {}): SourceReport {
  const tables = spec.tables.map((t) => ({ id: t.id, ...t.read(records, year) }));
  return { source: spec.source, year, release, persons: records.length, tables, ...(opts.demo ? { demo: true as const } : {}) };
}
