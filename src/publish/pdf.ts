// The annual report as an A4 PDF (pdfmake on the server; fonts from node_modules, nothing fetched).
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PublishedReport, TableId } from '../stats/report-types.ts';
import { printedOrder, sections, type Section } from '../stats/catalogue.ts';
import { chartSpecs, renderChartSvg, type Chart } from './charts.ts';
import { demoMark, releaseKinds, reportTitle, type Lang } from './labels.ts';
import { disclosureDeclaration, SUPPRESSED, tableLayout, type Cell } from './layout.ts';
import { sectionText, summaryParagraphs, summaryParts, svNumber } from './text.ts';

// pdfmake ships no type declarations; this is the part of its server API used here.
type PdfMake = {
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer> };
};
type Node = Record<string, unknown> | string;

const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as PdfMake;
const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const font = (file: string) => path.join(fontDir, file);

function configure() {
  pdfmake.setFonts({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => path.resolve(p).startsWith(fontDir + path.sep));
}

const PAGE_WIDTH = 595.28 - 2 * 56;
const INK = '#1a1a1a';
const ACCENT = '#1f4e8c';
const DEMO_RED = '#b00020';

const words = {
  sv: {
    release: 'Release',
    live: 'levande data (ej fryst)',
    generated: 'Framtagen',
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
  },
  en: {
    release: 'Release',
    live: 'live data (not frozen)',
    generated: 'Generated',
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
    aboutText: (r: PublishedReport, release: string) =>
      `The report is based on the cases the regional coordinators registered with an identification date in ${r.year}. ` +
      `Every figure is computed from ${release}, so all tables and figures agree. ` +
      `Percentages are of all persons in the table, rounded to whole per cent. Under each table, the number of persons with and without an answer is given.`,
    unknownAge: (on: boolean) =>
      on ? 'Persons of unknown age are counted as adults, among women and men.' : 'Persons of unknown age are shown on their own.',
    checksOk: (n: number) => `All ${n} consistency checks are met.`,
    checksFailed: 'These consistency checks are not met:',
    quality: 'On data quality:',
  },
};

function releaseText(report: PublishedReport, lang: Lang): string {
  const r = report.release;
  const kind = releaseKinds[r.kind][lang].toLocaleLowerCase(lang);
  return r.id ? `${words[lang].release.toLowerCase()} ${r.id} (${kind})` : words[lang].live;
}

function formatCell(v: Cell, lang: Lang): string {
  if (v === null) return '–';
  return typeof v === 'number' ? v.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB') : v;
}

/** The body of the report with its numbered tables and figures, built in reading order. */
class Builder {
  content: Node[] = [];
  private tableNo = 0;
  private shown = new Set<TableId>();

  constructor(
    private report: PublishedReport,
    private lang: Lang,
    private charts: Map<string, { chart: Chart; svg: string }>,
  ) {}

  h1(text: string) {
    this.content.push({ text, style: 'h1', headlineLevel: 1 });
  }

  p(text: string) {
    if (text) this.content.push({ text, style: 'p' });
  }

  table(id: TableId) {
    const table = this.report.tables.find((t) => t.id === id);
    if (!table || this.shown.has(id)) return;
    this.shown.add(id);
    const l = tableLayout(table, this.lang);
    this.tableNo += 1;
    const caption = { text: `${words[this.lang].table} ${this.tableNo}. ${l.title}`, style: 'caption' };
    if (!table.rows.length) {
      this.content.push({ stack: [caption, { text: words[this.lang].noCases, style: 'p' }], margin: [0, 4, 0, 10] });
      return;
    }
    const wide = l.head.length > 8;
    const body = [
      l.head.map((h, i) => ({ text: h, style: 'th', alignment: i >= l.firstValue ? 'right' : 'left' })),
      ...l.body.map((line, r) =>
        line.map((v, i) => ({
          text: formatCell(v, this.lang),
          alignment: i >= l.firstValue ? 'right' : 'left',
          bold: l.totalRow && r === l.body.length - 1,
        })),
      ),
    ];
    this.content.push({
      stack: [
        caption,
        {
          table: {
            headerRows: 1,
            dontBreakRows: true,
            widths: l.head.map((_, i) => (i < l.firstValue ? '*' : 'auto')),
            body,
          },
          layout: 'lightHorizontalLines',
          fontSize: wide ? 7.5 : 8.5,
        },
        ...(l.note ? [{ text: l.note, style: 'note' }] : []),
      ],
      unbreakable: l.body.length <= 25,
      margin: [0, 4, 0, 10],
    });
  }

  figure(id: string, dataTable?: TableId) {
    const entry = this.charts.get(id);
    if (!entry) return;
    this.content.push({
      stack: [
        { text: entry.chart.title, style: 'caption' },
        { svg: entry.svg, fit: [PAGE_WIDTH, 400], alignment: 'center' },
        ...(dataTable && !this.shown.has(dataTable) && this.report.tables.some((t) => t.id === dataTable)
          ? [{ text: `${words[this.lang].dataOf} ${this.tableNo + 1}.`, style: 'note' }]
          : []),
      ],
      unbreakable: true,
      margin: [0, 6, 0, 8],
    });
    if (dataTable) this.table(dataTable);
  }

  /** Every table not shown yet, so the report holds them all. */
  rest() {
    for (const t of this.report.tables) this.table(t.id);
  }

  hasShown(id: TableId) {
    return this.shown.has(id);
  }
}

function titlePage(report: PublishedReport, lang: Lang): Node[] {
  const w = words[lang];
  return [
    { text: reportTitle(report.year, lang), style: 'title', margin: [0, 180, 0, 24] },
    { text: String(report.year), fontSize: 40, bold: true, color: ACCENT, margin: [0, 0, 0, 40] },
    ...(report.release.id ? [{ text: `${w.release}: ${report.release.id}`, style: 'meta' }] : []),
    { text: releaseKinds[report.release.kind][lang], style: 'meta' },
    ...(report.generated_at ? [{ text: `${w.generated}: ${report.generated_at.slice(0, 10)}`, style: 'meta' }] : []),
    ...(report.demo
      ? [{ text: demoMark[lang], fontSize: 22, bold: true, color: DEMO_RED, margin: [0, 60, 0, 0] }]
      : []),
    { text: '', pageBreak: 'after' },
  ];
}

function aboutSection(b: Builder, report: PublishedReport, lang: Lang) {
  const w = words[lang];
  b.h1(w.about);
  b.p(w.aboutText(report, releaseText(report, lang)));
  b.p(w.unknownAge(report.settings.unknown_age_as_adult));
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length) {
    b.p(w.checksFailed);
    b.content.push({ ul: failed.map((c) => `${c.id}: ${c.detail}`), style: 'p' });
  } else if (report.checks.length) {
    b.p(w.checksOk(report.checks.length));
  }
  const notes = report.quality.filter((q) => q.count !== 0);
  if (notes.length) {
    b.p(w.quality);
    b.content.push({ ul: notes.map((q) => `${q[lang]}: ${q.count === null ? SUPPRESSED : q.count.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB')}`), style: 'p' });
  }
  for (const sentence of disclosureDeclaration(report, lang)) b.p(sentence);
}

export async function renderPdf(report: PublishedReport, lang: Lang = 'sv'): Promise<Buffer> {
  configure();
  const w = words[lang];
  const charts = new Map<string, { chart: Chart; svg: string }>();
  // The caption above each figure carries its title.
  for (const chart of chartSpecs(report, lang)) charts.set(chart.id, { chart, svg: await renderChartSvg({ ...chart.spec, title: undefined }) });
  const text = sectionText(report, lang);
  const summary = summaryParts(report, lang);

  const b = new Builder(report, lang, charts);
  b.h1(w.summary);
  summaryParagraphs(report, lang).forEach((s) => b.p(s));
  aboutSection(b, report, lang);

  // Each section's running text, then its tables in print order, each after its figures.
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
  for (const section of sections) {
    b.h1(w[section]);
    paragraphs[section].forEach((p) => b.p(p));
    for (const spec of printed.filter((t) => t.printed!.section === section)) {
      const figures = spec.figures ?? [];
      figures.forEach((f, i) => b.figure(f.id, i === figures.length - 1 ? spec.id : undefined));
      b.table(spec.id);
    }
  }

  if (report.tables.some((t) => !b.hasShown(t.id))) {
    b.content.push({ text: w.appendix, style: 'h1', headlineLevel: 1, pageBreak: 'before' });
    b.rest();
  }

  const title = reportTitle(report.year, lang);
  const doc = {
    pageSize: 'A4',
    pageMargins: [56, 64, 56, 56],
    language: lang === 'sv' ? 'sv-SE' : 'en-GB',
    info: { title, author: 'Lägesbild', subject: title, creator: 'Lägesbild' },
    header: () =>
      report.demo
        ? { text: demoMark[lang], color: DEMO_RED, bold: true, fontSize: 10, alignment: 'center', margin: [0, 28, 0, 0] }
        : null,
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `${title} · ${report.release.id ?? w.live}`, width: '*' },
        { text: w.page(page, pages), width: 'auto' },
      ],
      fontSize: 7.5,
      color: '#444',
      margin: [56, 20, 56, 0],
    }),
    content: [...titlePage(report, lang), ...b.content],
    // A section heading never ends a page.
    pageBreakBefore: (node: { headlineLevel?: number }, following: unknown[]) => node.headlineLevel === 1 && following.length === 0,
    defaultStyle: { font: 'Roboto', fontSize: 10, color: INK, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 24, bold: true, color: INK, lineHeight: 1.1 },
      meta: { fontSize: 11, margin: [0, 0, 0, 4] },
      h1: { fontSize: 15, bold: true, color: ACCENT, margin: [0, 14, 0, 6] },
      p: { margin: [0, 0, 0, 6] },
      caption: { fontSize: 9.5, bold: true, margin: [0, 0, 0, 4] },
      th: { bold: true, fontSize: 8.5 },
      note: { fontSize: 8, italics: true, color: '#444', margin: [0, 2, 0, 0] },
    },
  };
  return pdfmake.createPdf(doc).getBuffer();
}
