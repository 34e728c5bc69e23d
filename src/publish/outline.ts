// The annual report's words and outline, shared by its editions (the tagged PDF in pdf.ts, the
// accessible HTML in html.ts) so that both number, order and word everything alike: the cover's
// lines, the sections in reading order with their paragraphs, figures and tables, and the charts
// drawn to SVG with their captions and alternative texts.
import type { PublishedReport, TableId } from '../stats/report-types.ts';
import { catalogue, printedOrder, sections, type Section } from '../stats/catalogue.ts';
import { chartSpecs, renderChartSvg, type Chart } from './charts.ts';
import { releaseKinds, type Lang } from './labels.ts';
import { checkText, disclosureDeclaration, SUPPRESSED, type Cell } from './layout.ts';
import { sectionText, summaryParagraphs, summaryParts, svNumber } from './text.ts';

/** Who publishes the report and whom to ask, from configuration; the defaults name the authority the regional coordinators report to. */
export type Publication = { publisher: Record<Lang, string>; contact: string };

export function publicationFromEnv(env: NodeJS.ProcessEnv = process.env): Publication {
  const sv = env.LAGESBILD_PUBLISHER?.trim() || 'Jämställdhetsmyndigheten, Nationella samordningen mot prostitution och människohandel (NSPM)';
  return {
    publisher: { sv, en: env.LAGESBILD_PUBLISHER_EN?.trim() || (env.LAGESBILD_PUBLISHER?.trim() ? sv : 'Swedish Gender Equality Agency, National Coordination against Prostitution and Human Trafficking (NSPM)') },
    contact: env.LAGESBILD_CONTACT?.trim() || 'nspm.jamstalldhetsmyndigheten.se',
  };
}

export const words = {
  sv: {
    live: 'levande data (ej fryst)',
    generated: 'Framtagen',
    publisher: 'Utgiven av',
    contact: 'Kontakt',
    page: (n: number, of: number) => `Sida ${n} av ${of}`,
    table: 'Tabell',
    about: 'Om statistiken',
    summary: 'Sammanfattning',
    forms: 'Exploateringsformer',
    sex: 'Kvinnor och män',
    multiple: 'Multipel exploatering',
    children: 'Utsatta barn',
    related: 'Närstående barn',
    industry: 'Utsatthet inom olika branscher',
    inspection: 'Samverkan mot arbetslivskriminalitet',
    referrer: 'Hänvisande aktör',
    nationality: 'Nationalitet',
    appendix: 'Tabellbilaga',
    dataOf: 'Figurens data finns i tabell',
    noCases: 'Inga ärenden.',
    edition: (kind: string, year: number, n?: number) => `${kind} statistik ${year}${n !== undefined ? `, utgåva ${n}` : ''}`,
    kinds: { final: 'Slutlig', preliminary: 'Preliminär' },
    releaseOf: (kind: string, year: number, n?: number) => `${kind.toLocaleLowerCase('sv')} statistik ${year}${n !== undefined ? `, utgåva ${n}` : ''}`,
    aboutText: (r: PublishedReport, release: string) =>
      `Rapporten bygger på de ärenden som regionkoordinatorerna har registrerat med ett identifieringsdatum under ${r.year}. ` +
      `Samtliga siffror är beräknade ur ${release}, och därför stämmer alla tabeller och figurer med varandra. ` +
      `Procentandelar avser samtliga personer i tabellen och är avrundade till hela procent. Under varje tabell anges för hur många personer uppgiften finns och saknas.`,
    unknownAge: (on: boolean) =>
      on
        ? 'Personer med okänd ålder räknas som vuxna och redovisas bland kvinnor och män.'
        : 'Personer med okänd ålder redovisas för sig (Okänd ålder).',
    checksOk: (n: number) => `Samtliga ${svNumber(n)} konsistenskontroller är uppfyllda.`,
    checksFailed: 'Följande konsistenskontroller är inte uppfyllda:',
    quality: 'Om datakvaliteten:',
    bars: 'Stapeldiagram',
    line: 'Linjediagram',
    missing: 'uppgift saknas',
    suppressed: 'undertryckt',
  },
  en: {
    live: 'live data (not frozen)',
    generated: 'Generated',
    publisher: 'Published by',
    contact: 'Contact',
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    table: 'Table',
    about: 'About the statistics',
    summary: 'Summary',
    forms: 'Forms of exploitation',
    sex: 'Women and men',
    multiple: 'Multiple exploitation',
    children: 'Exploited children',
    related: 'Related children',
    industry: 'Exploitation by industry',
    inspection: 'Joint work against work-related crime',
    referrer: 'Referring actor',
    nationality: 'Nationality',
    appendix: 'Appendix: tables',
    dataOf: 'The data of the figure is in table',
    noCases: 'No cases.',
    edition: (kind: string, year: number, n?: number) => `${kind} statistics ${year}${n !== undefined ? `, edition ${n}` : ''}`,
    kinds: { final: 'Final', preliminary: 'Preliminary' },
    releaseOf: (kind: string, year: number, n?: number) => `the ${kind.toLocaleLowerCase('en')} statistics ${year}${n !== undefined ? `, edition ${n}` : ''}`,
    aboutText: (r: PublishedReport, release: string) =>
      `The report is based on the cases the regional coordinators registered with an identification date in ${r.year}. ` +
      `Every figure is computed from ${release}, so all tables and figures agree. ` +
      `Percentages are of all persons in the table, rounded to whole per cent. Under each table, the number of persons with and without an answer is given.`,
    unknownAge: (on: boolean) =>
      on ? 'Persons of unknown age are counted as adults, among women and men.' : 'Persons of unknown age are shown on their own.',
    checksOk: (n: number) => `All ${n} consistency checks are met.`,
    checksFailed: 'These consistency checks are not met:',
    quality: 'On data quality:',
    bars: 'Bar chart',
    line: 'Line chart',
    missing: 'no figure',
    suppressed: 'suppressed',
  },
};

/** The release in words: "Slutlig statistik 2025, utgåva 1" (live data: "Levande data (ej fryst)"). */
export function editionText(report: PublishedReport, lang: Lang): string {
  const r = report.release;
  if (r.kind === 'live') return releaseKinds.live[lang];
  return words[lang].edition(words[lang].kinds[r.kind], report.year, r.number);
}

export function releaseText(report: PublishedReport, lang: Lang): string {
  const r = report.release;
  return r.kind === 'live' ? words[lang].live : words[lang].releaseOf(words[lang].kinds[r.kind], report.year, r.number);
}

export const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB');

export function formatCell(v: Cell, lang: Lang): string {
  if (v === null) return '–';
  return typeof v === 'number' ? v.toLocaleString(locale(lang)) : v;
}

/** The chart in words, for its alternative text: its kind, title and every value it shows. */
export function chartAlt(chart: Chart, lang: Lang): string {
  const w = words[lang];
  const kind = catalogue.flatMap((t) => t.figures ?? []).find((f) => f.id === chart.id)?.kind === 'line' ? w.line : w.bars;
  const value = (v: Cell) => (v === null ? w.missing : v === SUPPRESSED ? `${SUPPRESSED} (${w.suppressed})` : formatCell(v, lang));
  const series = chart.table.head.slice(1);
  const lines = chart.table.body.map((row) =>
    series.length === 1 ? `${row[0]} ${value(row[1])}` : `${row[0]}: ${series.map((s, i) => `${s} ${value(row[i + 1])}`).join(', ')}`,
  );
  return `${kind}. ${chart.title}. ${lines.join('; ')}.`;
}

/** A figure's caption numbered in reading order, 1, 2, 3 … without gaps, as the web page numbers the same charts (a number in the title is replaced). */
export function numberedFigure(title: string, n: number, lang: Lang): string {
  return `${lang === 'en' ? 'Figure' : 'Figur'} ${n}. ${title.replace(/^(Figur|Figure)\s+\d+\s*[.:]\s*/i, '')}`;
}

/** The cover's lines under the title and the release: publisher, contact and the date it was generated. */
export function coverLines(report: PublishedReport, lang: Lang, publication: Publication): string[] {
  const w = words[lang];
  return [
    `${w.publisher}: ${publication.publisher[lang]}`,
    `${w.contact}: ${publication.contact}`,
    ...(report.generated_at ? [`${w.generated}: ${report.generated_at.slice(0, 10)}`] : []),
  ];
}

/** A paragraph or a bulleted list of "Om statistiken". */
export type TextBlock = { p: string } | { list: string[] };

/** "Om statistiken": what the report counts, unknown age, the consistency checks, data quality and disclosure control. */
export function aboutBlocks(report: PublishedReport, lang: Lang): TextBlock[] {
  const w = words[lang];
  const out: TextBlock[] = [{ p: w.aboutText(report, releaseText(report, lang)) }, { p: w.unknownAge(report.settings.unknown_age_as_adult) }];
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length) out.push({ p: w.checksFailed }, { list: failed.map((c) => checkText(c, lang)) });
  else if (report.checks.length) out.push({ p: w.checksOk(report.checks.length) });
  const notes = report.quality.filter((q) => q.count !== 0);
  if (notes.length) out.push({ p: w.quality }, { list: notes.map((q) => `${q[lang]}: ${q.count === null ? SUPPRESSED : q.count.toLocaleString(locale(lang))}`) });
  for (const sentence of disclosureDeclaration(report, lang)) out.push({ p: sentence });
  return out;
}

/** A figure (with the table of its data, when that table follows it) or a table, in reading order. */
export type Block = { kind: 'figure'; id: string; dataTable?: TableId } | { kind: 'table'; id: TableId };

export type OutlineSection = { key: Section; heading: string; paragraphs: string[]; blocks: Block[] };

/**
 * The report's sections after the summary and "Om statistiken": each section's running text, then
 * its tables in print order, each after its figures (only those drawn: `charted`); the tables the
 * printed report leaves out go to the appendix.
 */
export function reportOutline(report: PublishedReport, lang: Lang, charted: ReadonlySet<string>): { sections: OutlineSection[]; appendix: TableId[] } {
  const text = sectionText(report, lang);
  const summary = summaryParts(report, lang);
  const paragraphs: Record<Section, string[]> = {
    forms: [summary.forms, text.previousYear],
    sex: [text.sex],
    multiple: [],
    children: [text.children],
    related: [text.related],
    industry: [text.industry],
    inspection: [text.inspection],
    referrer: [summary.referrer],
    nationality: [summary.nationality],
  };
  const printed = printedOrder(report.tables.map((t) => t.id));
  const out = sections.map((section): OutlineSection => {
    const blocks: Block[] = [];
    for (const spec of printed.filter((t) => t.printed!.section === section)) {
      const figures = spec.figures ?? [];
      figures.forEach((f, i) => {
        if (charted.has(f.id)) blocks.push({ kind: 'figure', id: f.id, ...(i === figures.length - 1 ? { dataTable: spec.id } : {}) });
      });
      blocks.push({ kind: 'table', id: spec.id });
    }
    return { key: section, heading: words[lang][section], paragraphs: paragraphs[section].filter(Boolean), blocks };
  });
  const shown = new Set(printed.map((t) => t.id));
  return { sections: out, appendix: report.tables.map((t) => t.id).filter((id) => !shown.has(id)) };
}

/** The summary's heading and paragraphs. */
export function summaryOf(report: PublishedReport, lang: Lang): { heading: string; paragraphs: string[] } {
  return { heading: words[lang].summary, paragraphs: summaryParagraphs(report, lang) };
}

/** Every figure drawn to SVG without its title (the caption above it carries the title), numbered in reading order. */
export async function numberedCharts(report: PublishedReport, lang: Lang): Promise<{ chart: Chart; svg: string }[]> {
  const out: { chart: Chart; svg: string }[] = [];
  for (const [i, chart] of chartSpecs(report, lang).entries()) {
    const svg = await renderChartSvg({ ...chart.spec, title: undefined });
    out.push({ chart: { ...chart, title: numberedFigure(chart.title, i + 1, lang) }, svg });
  }
  return out;
}
