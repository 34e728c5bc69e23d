// The hand-made 2025 report (the printed figures of rk-statistik-2025) shared by the publish tests.
import { readFileSync } from 'node:fs';
import type { Report, ReportTable, TableId } from '../src/stats/report-types.ts';

export function fixtureReport(): Report {
  return JSON.parse(readFileSync(new URL('./fixtures/report-2025.json', import.meta.url), 'utf8')) as Report;
}

export function tableOf(report: Report, id: TableId): ReportTable {
  const t = report.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}
