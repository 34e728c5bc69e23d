// A source's report in one language, as GET /api/stats/source-report serves it and every renderer
// (src/publish/sources) prints it: the published cells with the spec's words.
import type { Lang } from '../../standard/codes.ts';
import type { PublishedSourceReport, SourceReportSpec, SourceReportView } from './types.ts';

export function sourceReportView(spec: SourceReportSpec, report: PublishedSourceReport, lang: Lang): SourceReportView {
  const tables = spec.tables.map((ts) => {
    const t = report.tables.find((x) => x.id === ts.id);
    if (!t) throw new Error(`source report view: no table ${ts.id}`);
    return {
      ...t,
      number: ts.number,
      section: ts.section[lang],
      title: ts.title[lang],
      row_heading: ts.rows.heading[lang],
      row_codes: ts.rows.codes(report.year).map((c) => ({ code: c.code, label: c.label[lang] })),
      column_heading: ts.column ? ts.column.heading[lang] : null,
      column_codes: ts.column ? ts.column.codes(report.year).map((c) => ({ code: c.code, label: c.label[lang] })) : null,
      multi: ts.multi,
      base: ts.base[lang],
      percent: ts.percent,
      figure_title: ts.figure ? ts.figure.title[lang] : null,
      note: ts.note ? ts.note[lang] : null,
    };
  });
  return { ...report, lang, title: spec.title[lang], reporter: spec.reporter[lang], tables };
}
