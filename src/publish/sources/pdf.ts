// A civil-society or support-programme report as an A4 PDF tagged for assistive technology, laid out
// by the annual report's writer (src/publish/pdf.ts): a cover, a contents list with page numbers,
// the tables section by section ("Tabell N", its base, notes and totals, a bar chart before a table
// that has a figure, with the figures in its alternative text) and a closing section on the
// denominator rule and disclosure control.
import { barSpec, renderChartSvg, type Chart, type MaybePoint } from '../charts.ts';
import { SUPPRESSED, type Cell } from '../layout.ts';
import {
  ACCENT,
  chartAlt,
  DEMO_RED,
  locale,
  numberedFigure,
  PageWriter,
  PAGE,
  publicationFromEnv,
  svgSize,
  taggedDocument,
  WIDTH,
  type Doc,
  type Fonts,
  type Publication,
  type PrintedTable,
  type Struct,
} from '../pdf.ts';
import type { Lang } from '../labels.ts';
import type { SourceReportView, SourceTableView } from '../../stats/sources/types.ts';
import { hasSuppressed, methodParagraphs, sourceEdition, sourceTitle, sourceWords, tableCaption, tableNotes } from './labels.ts';
import { sourceTableLayout, TOTAL } from './layout.ts';

type Figure = { caption: string; alt: string; svg: string; width: number; height: number };

/** Percent with one decimal as the language writes it: "55,5" / "55.5". */
export function percentText(p: number, lang: Lang): string {
  return p.toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** The table as the writer prints it: percents written with one decimal, the notes under it in one paragraph. */
export function printedTable(t: SourceTableView, lang: Lang): PrintedTable {
  const l = sourceTableLayout(t, lang);
  const body = l.body.map((line) => line.map((v, i): Cell => (l.kinds[i] === 'percent' && typeof v === 'number' ? percentText(v, lang) : v)));
  return { head: l.head, body, firstValue: 1, totalRow: l.totalRow, note: tableNotes(t, lang).join(' ') };
}

/** The bar chart of a table with a figure: one bar per row code, grouped by column code in a cross table; null when nothing is there to draw. */
export function sourceChart(t: SourceTableView, n: number, lang: Lang): Chart | null {
  if (!t.figure_title) return null;
  const w = sourceWords[lang];
  const columns = t.column_codes?.length ? t.column_codes : null;
  const series = columns ?? [{ code: '', label: w.count }];
  const cell = (code: string, column: string) => t.rows.find((r) => r.code === code && (r.column ?? '') === column);
  const rows = t.row_codes.filter((r) => r.code !== TOTAL);
  const text = (count: number | null, percent: number | null) =>
    count === null ? SUPPRESSED : t.percent && percent !== null ? `${count.toLocaleString(locale(lang))} (${percentText(percent, lang)} %)` : count.toLocaleString(locale(lang));
  const points: MaybePoint[] = [];
  const body: Cell[][] = rows.map((r) => [
    r.label,
    ...series.map((s) => {
      const c = cell(r.code, s.code);
      const [count, percent] = [c?.count ?? (c ? null : 0), c?.percent ?? null];
      // A suppressed figure keeps its place in the chart, labelled "..".
      points.push({ label: r.label, series: s.label, value: count, text: text(count, percent) });
      return text(count, percent);
    }),
  ]);
  if (!points.some((p) => (p.value ?? 0) > 0)) return null;
  const title = numberedFigure(t.figure_title, n, lang);
  return { id: t.id, title, spec: barSpec(t.figure_title, points, w.count, t.column_heading ?? ''), table: { head: [t.row_heading, ...series.map((s) => s.label)], body } };
}

class SourceWriter extends PageWriter {
  constructor(
    doc: Doc,
    private view: SourceReportView,
  ) {
    super(doc, view.lang, view.demo ? sourceWords[view.lang].demo : null);
  }

  private get w() {
    return sourceWords[this.lang];
  }

  cover(publication: Publication) {
    const v = this.view;
    const w = this.w;
    const title = sourceTitle(v);
    const sect = this.doc.struct('Sect');
    this.root.add(sect);
    sect.add(this.doc.struct('H1', () => this.write(title, PAGE.side, 190, { size: 24, bold: true }, { width: WIDTH })));
    this.place('h1', title, this.page, 190);
    const big = this.doc.y + 24;
    sect.add(this.doc.struct('P', () => this.write(sourceEdition(v), PAGE.side, big, { size: 16, bold: true, color: ACCENT }, { width: WIDTH })));
    let y = this.doc.y + 36;
    const meta = (text: string, f: Fonts = { size: 11 }) => {
      sect.add(this.doc.struct('P', () => this.write(text, PAGE.side, y, f, { width: WIDTH })));
      y = this.doc.y + 6;
    };
    meta(`${w.release}: ${v.release.id ?? w.kinds.live}`);
    if (v.release.kind === 'preliminary') meta(w.preliminaryNote, { size: 11, bold: true });
    if (v.form === 'exact') meta(w.exactForm, { size: 11, bold: true, color: DEMO_RED });
    meta(`${w.reporter}: ${v.reporter}`);
    meta(`${w.publisher}: ${publication.publisher[this.lang]}`);
    meta(`${w.contact}: ${publication.contact}`);
    if (v.demo) sect.add(this.doc.struct('P', () => this.write(w.demo, PAGE.side, y + 50, { size: 22, bold: true, color: DEMO_RED }, { width: WIDTH })));
    sect.end();
    this.newPage();
  }

  /** The contents: each section and table with the page it starts on (known from a first layout; blank on that one). */
  contents(entries: { text: string; key: string; level: 0 | 1 }[], pages: Map<string, number>) {
    const sect = this.doc.struct('Sect');
    this.root.add(sect);
    const first = entries[0]?.text ?? '';
    this.h2(sect, this.w.contents, this.pHead(first));
    const list = this.doc.struct('L');
    sect.add(list);
    const [page, top] = [this.page, this.doc.y];
    for (const e of entries) {
      const f = { size: 10, bold: e.level === 0 };
      const indent = e.level === 0 ? 0 : 16;
      const width = WIDTH - indent - 40;
      this.ensure(this.height(e.text, f, width) + 3);
      const y = this.doc.y + (e.level === 0 ? 4 : 0);
      const li = this.doc.struct('LI');
      list.add(li);
      const number = pages.get(e.key);
      const body = this.doc.struct('LBody');
      li.add(body);
      body.add(this.doc.struct('Span', () => this.write(e.text, PAGE.side + indent, y, f, { width })));
      const bottom = this.doc.y;
      // The page number, read as "sida 3" / "page 3" after the entry.
      if (number !== undefined)
        body.add(this.doc.struct('Span', { actual: ` ${this.w.pageShort.toLowerCase()} ${number}` }, () => this.write(String(number), PAGE.side + WIDTH - 36, y, f, { width: 36, align: 'right' })));
      body.end();
      this.doc.y = bottom;
      li.end();
      this.doc.y += 3;
    }
    list.end();
    this.place('list', entries.map((e) => e.text).join(' '), page, top);
    sect.end();
  }

  /** A third-level heading (the closing section's parts), kept with the start of its paragraph. */
  h3(parent: Struct, text: string, following: number) {
    const f = { size: 11.5, bold: true };
    this.ensure(10 + this.height(text, f) + 4 + following);
    const top = this.doc.y + (this.doc.y > PAGE.top + 1 ? 8 : 0);
    parent.add(this.doc.struct('H3', () => this.write(text, PAGE.side, top, f, { width: WIDTH })));
    this.place('h2', text, this.page, top);
    this.doc.y += 4;
  }

  figureHeight(fig: Figure) {
    return this.height(fig.caption, { size: 9.5, bold: true }) + 4 + fig.height + 10;
  }

  figureBlock(parent: Struct, fig: Figure, following: number) {
    this.ensure(this.figureHeight(fig) + following);
    const [page, top] = [this.page, this.doc.y + 4];
    this.drawFigure(parent, fig.caption, fig.alt, fig.svg, fig.width, fig.height);
    this.place('figure', fig.caption, page, top);
    this.doc.y += 8;
  }

  footers() {
    const v = this.view;
    this.footerLines(`${sourceTitle(v)} · ${sourceEdition(v)}${v.release.id ? ` · ${v.release.id}` : ''}`);
  }
}

/** Consecutive tables under one section heading, in table-number order. */
function sectionsOf(tables: readonly SourceTableView[]): { section: string; tables: SourceTableView[] }[] {
  const out: { section: string; tables: SourceTableView[] }[] = [];
  for (const t of [...tables].sort((a, b) => a.number - b.number)) {
    const last = out.at(-1);
    if (last && last.section === t.section) last.tables.push(t);
    else out.push({ section: t.section, tables: [t] });
  }
  return out;
}

type Laid = { pdf: Buffer; pages: number; placed: PageWriter['placed']; starts: Map<string, number> };

function layOut(view: SourceReportView, figures: Map<string, Figure>, publication: Publication, pageOf: Map<string, number>): Promise<Laid> {
  const lang = view.lang;
  const w = sourceWords[lang];
  const { doc, done } = taggedDocument(lang, {
    Title: sourceTitle(view),
    Subject: `${sourceEdition(view)}${view.release.id ? ` (${view.release.id})` : ''}`,
    Author: publication.publisher[lang],
    Keywords: lang === 'sv' ? `människohandel, ${view.reporter}, statistik` : `human trafficking, ${view.reporter}, statistics`,
  });
  const b = new SourceWriter(doc, view);
  const starts = new Map<string, number>();
  doc.addPage();
  b.cover(publication);

  const sections = sectionsOf(view.tables);
  const entries = [
    ...sections.flatMap((s, i) => [{ text: s.section, key: `section:${i}`, level: 0 as const }, ...s.tables.map((t) => ({ text: tableCaption(t, lang), key: `table:${t.id}`, level: 1 as const }))]),
    { text: w.method, key: 'method', level: 0 as const },
  ];
  b.contents(entries, pageOf);
  b.newPage();

  sections.forEach((s, i) => {
    const sect = doc.struct('Sect');
    b.root.add(sect);
    const measured = s.tables.map((t) => b.measureLayout(tableCaption(t, lang), printedTable(t, lang), !t.rows.length));
    // The heading stays with its first table and that table's figure (or the table's head when it is long).
    const first = figures.get(s.tables[0].id);
    b.h2(sect, s.section, (first ? b.figureHeight(first) : 0) + b.headOf(measured[0]) + 8);
    starts.set(`section:${i}`, b.page);
    s.tables.forEach((t, j) => {
      const fig = figures.get(t.id);
      const m = measured[j];
      // A figure stays on the page of its table (of its head when the table is long).
      if (fig) b.figureBlock(sect, fig, b.headOf(m) + 8);
      // The table starts where its caption lands (after its figure).
      b.ensure(m.rows.length <= 25 ? m.total + 8 : m.caption + m.head + (m.rows[0] ?? 0) * 3 + 8);
      starts.set(`table:${t.id}`, b.page);
      b.drawTable(sect, tableCaption(t, lang), m);
    });
    sect.end();
  });

  const sect = doc.struct('Sect');
  b.root.add(sect);
  const parts = methodParagraphs(view);
  b.h2(sect, w.method, b.pHead(parts[0].text));
  starts.set('method', b.page);
  for (const part of parts) {
    b.h3(sect, part.heading, b.pHead(part.text));
    b.p(sect, part.text);
  }
  // Which tables hide cells, and how many: the figures a reader cannot see.
  const hidden = view.tables
    .filter(hasSuppressed)
    .sort((a, c) => a.number - c.number)
    .map((t) => `${tableCaption(t, lang)}: ${[...t.rows, ...(t.totals ?? [])].filter((r) => r.count === null).length}`);
  if (view.form === 'protected' && hidden.length) {
    const lead = lang === 'sv' ? 'Undertryckta celler per tabell:' : 'Suppressed cells by table:';
    // The lead-in stays with the first line of its list.
    b.ensure(b.pHead(lead) + 6 + b.pHead(hidden[0]));
    b.p(sect, lead);
    b.list(sect, hidden);
  }
  sect.end();
  b.root.end();
  const pages = doc.bufferedPageRange().count;
  b.footers();
  doc.end();
  return done.then((pdf) => ({ pdf, pages, placed: b.placed, starts }));
}

/** The report as a tagged PDF, with where each block landed and the page each contents entry starts on. */
export async function renderSourcePdfWithLayout(view: SourceReportView, publication: Publication = publicationFromEnv()): Promise<Laid> {
  const lang = view.lang;
  const figures = new Map<string, Figure>();
  let n = 0;
  for (const t of [...view.tables].sort((a, b) => a.number - b.number)) {
    const chart = sourceChart(t, n + 1, lang);
    if (!chart) continue;
    n += 1;
    const svg = await renderChartSvg({ ...chart.spec, title: undefined });
    figures.set(t.id, { caption: chart.title, alt: chartAlt(chart, lang), svg, ...svgSize(svg) });
  }
  // The contents' page numbers are those of a first layout: the second prints them, in the same places.
  const first = await layOut(view, figures, publication, new Map());
  return layOut(view, figures, publication, first.starts);
}

export async function renderSourcePdf(view: SourceReportView, publication?: Publication): Promise<Buffer> {
  return (await renderSourcePdfWithLayout(view, publication)).pdf;
}

