// The words of a civil-society or support-programme report that its view does not carry: headings,
// the base and denominator notes, the cover's release line, the closing section. Swedish and English.
import type { SourceReportView, SourceTableView } from '../../stats/sources/types.ts';
import type { Lang } from '../labels.ts';

export const sourceWords = {
  sv: {
    table: 'Tabell',
    figure: 'Figur',
    total: 'Totalt',
    count: 'Antal',
    percent: 'Procent',
    percentOf: (label: string) => `${label}, %`,
    contents: 'Innehåll',
    contentsSheet: 'Innehåll',
    reporter: 'Uppgiftslämnare',
    publisher: 'Utgiven av',
    contact: 'Kontakt',
    release: 'Release',
    year: 'År',
    kind: 'Typ av release',
    form: 'Form',
    forms: { exact: 'Exakt (ej röjandeskyddad, endast för statistikern)', protected: 'Röjandeskyddad (publicerad)' },
    kinds: { final: 'Slutlig', preliminary: 'Preliminär', live: 'Levande data (ej fryst)' },
    edition: (kind: string, year: number, n?: number) => `${kind} statistik ${year}${n !== undefined ? `, utgåva ${n}` : ''}`,
    preliminaryNote: 'Preliminära uppgifter: siffrorna kan ändras i en senare release.',
    persons: 'Personer i releasen',
    answered: 'Uppgift finns',
    missing: 'Uppgift saknas',
    base: 'Bas',
    sheet: 'Flik',
    page: (n: number, of: number) => `Sida ${n} av ${of}`,
    pageShort: 'Sida',
    baseNote: (t: SourceTableView, answered: string, missing: string) =>
      `${t.percent ? 'Procent av dem som svarade. ' : ''}Bas: ${t.base} (n = ${answered}). Uppgift saknas för ${missing}.`,
    multiNote: 'En person kan räknas på flera rader: procentandelarna kan summera till mer än 100 och raderna har ingen summa.',
    suppressed: '.. = röjandeskyddat: uppgiften är undertryckt för att skydda de personer den beskriver.',
    noRows: 'Inga uppgifter.',
    method: 'Om statistiken',
    denominatorHead: 'Nämnaren',
    denominator:
      'Varje procentandel i rapporten avser dem som svarade på frågan, inte samtliga personer: personer för vilka uppgiften saknas ingår inte i nämnaren. ' +
      'Under varje tabell anges vilka frågan gäller, hur många som svarade (n) och för hur många uppgiften saknas. Procent anges med en decimal.',
    disclosureHead: 'Röjandeskydd',
    disclosure: (d: NonNullable<SourceReportView['disclosure']>) => {
      const small = d.threshold > 2 ? `1–${d.threshold - 1}` : '1';
      if (d.suppressed === 0) return `Ingen cell behövde undertryckas: inget antal under ${d.threshold} (${small}) publiceras, och inget kan härledas ur det publicerade. Version ${d.policy_version} av publiceringsreglerna.`;
      return (
        `${d.suppressed} ${d.suppressed === 1 ? 'cell är undertryckt' : 'celler är undertryckta'} för att skydda de personer de beskriver: ` +
        `antal under ${d.threshold} (${small}) och celler som annars skulle röja dem. Undertryckta celler redovisas som ”..”; deras procent redovisas inte heller. ` +
        `Tröskel: ${d.threshold}. Version ${d.policy_version} av publiceringsreglerna.`
      );
    },
    exactForm: 'Detta är den exakta formen, utan röjandeskydd. Den får inte publiceras.',
    noDisclosure: 'Inga uppgifter om röjandeskydd finns för denna release.',
    demo: 'DEMO – syntetiska uppgifter',
    bars: 'Stapeldiagram',
  },
  en: {
    table: 'Table',
    figure: 'Figure',
    total: 'Total',
    count: 'Number',
    percent: 'Per cent',
    percentOf: (label: string) => `${label}, %`,
    contents: 'Contents',
    contentsSheet: 'Contents',
    reporter: 'Reported by',
    publisher: 'Published by',
    contact: 'Contact',
    release: 'Release',
    year: 'Year',
    kind: 'Kind of release',
    form: 'Form',
    forms: { exact: 'Exact (not protected, for the statistician only)', protected: 'Protected (published)' },
    kinds: { final: 'Final', preliminary: 'Preliminary', live: 'Live data (not frozen)' },
    edition: (kind: string, year: number, n?: number) => `${kind} statistics ${year}${n !== undefined ? `, edition ${n}` : ''}`,
    preliminaryNote: 'Preliminary figures: they may change in a later release.',
    persons: 'Persons in the release',
    answered: 'Answered',
    missing: 'Missing',
    base: 'Base',
    sheet: 'Sheet',
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    pageShort: 'Page',
    baseNote: (t: SourceTableView, answered: string, missing: string) =>
      `${t.percent ? 'Per cent of those who answered. ' : ''}Base: ${t.base} (n = ${answered}). Missing for ${missing}.`,
    multiNote: 'A person may be counted in several rows: the percentages may add up to more than 100 and the rows have no total.',
    suppressed: '.. = suppressed to protect the persons it describes.',
    noRows: 'No figures.',
    method: 'About the statistics',
    denominatorHead: 'The denominator',
    denominator:
      'Every percentage in the report is of those who answered the question, not of all persons: persons without an answer are left out of the denominator. ' +
      'Under each table it says whom the question concerns, how many answered (n) and for how many the answer is missing. Percentages have one decimal.',
    disclosureHead: 'Disclosure control',
    disclosure: (d: NonNullable<SourceReportView['disclosure']>) => {
      const small = d.threshold > 2 ? `1–${d.threshold - 1}` : '1';
      if (d.suppressed === 0) return `No cell needed to be suppressed: no count below ${d.threshold} (${small}) is published, nor can one be derived from what is. Version ${d.policy_version} of the publication rules.`;
      return (
        `${d.suppressed} ${d.suppressed === 1 ? 'cell is' : 'cells are'} suppressed to protect the persons they describe: ` +
        `counts below ${d.threshold} (${small}) and cells that would otherwise give them away. Suppressed cells are shown as “..”, and so are their percentages. ` +
        `Threshold: ${d.threshold}. Version ${d.policy_version} of the publication rules.`
      );
    },
    exactForm: 'This is the exact form, without disclosure control. It must not be published.',
    noDisclosure: 'No disclosure control is recorded for this release.',
    demo: 'DEMO – synthetic data',
    bars: 'Bar chart',
  },
} satisfies Record<Lang, unknown>;

export type SourceWords = (typeof sourceWords)['sv'];

/** The report's title with its year: "Civilsamhällets stöd till utsatta för människohandel 2024". */
export function sourceTitle(view: SourceReportView): string {
  return view.title.endsWith(String(view.year)) ? view.title : `${view.title} ${view.year}`;
}

/** The release in words: "Preliminär statistik 2024, utgåva 1". */
export function sourceEdition(view: SourceReportView): string {
  const w = sourceWords[view.lang];
  const r = view.release;
  if (r.kind === 'live') return w.kinds.live;
  return w.edition(w.kinds[r.kind], view.year, r.number);
}

/** "Tabell 3. Kontakter per år". */
export function tableCaption(t: SourceTableView, lang: Lang): string {
  return `${sourceWords[lang].table} ${t.number}. ${t.title}`;
}

/** Whether a table prints a suppressed figure anywhere. */
export function hasSuppressed(t: SourceTableView): boolean {
  return t.n_answered === null || t.n_missing === null || [...t.rows, ...(t.totals ?? [])].some((r) => r.count === null);
}

/** The notes under a table, in order: the base, the multi rule, the spec's note, the suppression key. */
export function tableNotes(t: SourceTableView, lang: Lang): string[] {
  const w = sourceWords[lang];
  const n = (v: number | null) => (v === null ? '..' : v.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB'));
  return [w.baseNote(t, n(t.n_answered), n(t.n_missing)), ...(t.multi ? [w.multiNote] : []), ...(t.note ? [t.note] : []), ...(hasSuppressed(t) ? [w.suppressed] : [])];
}

/** The closing section's paragraphs: the denominator rule, then disclosure control. */
export function methodParagraphs(view: SourceReportView): { heading: string; text: string }[] {
  const w = sourceWords[view.lang];
  const disclosure = view.form === 'exact' ? w.exactForm : view.disclosure ? w.disclosure(view.disclosure) : w.noDisclosure;
  return [
    { heading: w.denominatorHead, text: w.denominator },
    { heading: w.disclosureHead, text: disclosure },
  ];
}
