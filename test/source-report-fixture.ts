// A source report's view built by hand for the renderers' tests (figures invented, not from any printed report).
import type { SourceReportView } from '../src/stats/sources/types.ts';

/** A protected civil-society report, 2024: contacts by year × sex with totals (one cell suppressed), and a list question. */
export function sampleView(lang: 'sv' | 'en' = 'sv'): SourceReportView {
  const sv = lang === 'sv';
  return {
    source: 'civil_society',
    year: 2024,
    release: { id: '2024-civ-1', kind: 'preliminary', number: 1, published: true },
    form: 'protected',
    persons: 412,
    lang,
    title: sv ? 'Civilsamhällets stöd till utsatta för människohandel' : 'Civil society support to victims of human trafficking',
    reporter: sv ? 'Plattformen Civila Sverige mot människohandel' : 'The Swedish Civil Society Platform against Human Trafficking',
    disclosure: { threshold: 3, suppressed: 2, policy_version: 1 },
    tables: [
      {
        id: 'sex_by_year',
        number: 1,
        section: sv ? 'Personer som fått stöd' : 'Persons supported',
        title: sv ? 'Personer som fått stöd efter kön och år' : 'Persons supported by sex and year',
        row_heading: sv ? 'Kön' : 'Sex',
        row_codes: [
          { code: 'woman', label: sv ? 'Kvinnor' : 'Women' },
          { code: 'man', label: sv ? 'Män' : 'Men' },
          { code: 'other', label: sv ? 'Annan könsidentitet' : 'Other gender identity' },
        ],
        column_heading: sv ? 'År' : 'Year',
        column_codes: [
          { code: '2023', label: '2023' },
          { code: '2024', label: '2024' },
        ],
        multi: false,
        base: sv ? 'av samtliga personer som svarade' : 'of all persons who answered',
        percent: false,
        figure_title: sv ? 'Personer som fått stöd efter kön och år' : 'Persons supported by sex and year',
        note: sv ? 'Åren före 2024 enligt plattformens tidigare rapporter.' : 'Years before 2024 as in the platform’s earlier reports.',
        n_answered: 401,
        n_missing: 11,
        rows: [
          { code: 'woman', column: '2023', count: 187, percent: null, status: 'safe' },
          { code: 'woman', column: '2024', count: 236, percent: null, status: 'safe' },
          { code: 'man', column: '2023', count: 141, percent: null, status: 'safe' },
          { code: 'man', column: '2024', count: 163, percent: null, status: 'safe' },
          { code: 'other', column: '2023', count: null, percent: null, status: 'primary' },
          { code: 'other', column: '2024', count: null, percent: null, status: 'secondary' },
        ],
        totals: [
          { code: 'woman', column: 'total', count: 423, percent: null, status: 'safe' },
          { code: 'man', column: 'total', count: 304, percent: null, status: 'safe' },
          { code: 'other', column: 'total', count: 5, percent: null, status: 'safe' },
          { code: 'total', column: '2023', count: 330, percent: null, status: 'safe' },
          { code: 'total', column: '2024', count: 402, percent: null, status: 'safe' },
          { code: 'total', column: 'total', count: 732, percent: null, status: 'safe' },
        ],
      },
      {
        id: 'support_given',
        number: 2,
        section: sv ? 'Stöd' : 'Support',
        title: sv ? 'Stöd som getts' : 'Support given',
        row_heading: sv ? 'Stöd' : 'Support',
        row_codes: [
          { code: 'housing', label: sv ? 'Boende' : 'Housing' },
          { code: 'legal', label: sv ? 'Juridisk rådgivning' : 'Legal advice' },
          { code: 'health', label: sv ? 'Hälso- och sjukvård' : 'Health care' },
        ],
        column_heading: null,
        column_codes: null,
        multi: true,
        base: sv ? 'av dem som fått stöd och svarade' : 'of those supported who answered',
        percent: true,
        figure_title: sv ? 'Stöd som getts' : 'Support given',
        note: null,
        n_answered: 380,
        n_missing: 32,
        rows: [
          { code: 'housing', count: 211, percent: 55.5, status: 'safe' },
          { code: 'legal', count: 190, percent: 50, status: 'safe' },
          { code: 'health', count: 97, percent: 25.5, status: 'safe' },
        ],
      },
    ],
  };
}
