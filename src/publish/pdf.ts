// The annual report as an A4 PDF, tagged for assistive technology (PDF/UA): pdfkit builds the
// structure tree (Document, H1/H2, P, L, Table with TH/TD, Figure with its alternative text) in
// reading order, and page furniture (running header, footer, page numbers, table rules) is marked
// as artifacts. Fonts come from node_modules; nothing is fetched. Charts are drawn from the same
// Vega-Lite specifications as the web page, through SVG.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PublishedReport, PublishedTable, TableId } from '../stats/report-types.ts';
import type { Chart } from './charts.ts';
import { demoMark, reportTitle, type Lang } from './labels.ts';
import { tableLayout, tableNumbers, type Cell, type TableLayout } from './layout.ts';
import {
  aboutBlocks,
  chartAlt,
  coverLines,
  editionText,
  formatCell,
  locale,
  numberedCharts,
  numberedFigure,
  publicationFromEnv,
  reportOutline,
  summaryOf,
  words,
  type Publication,
} from './outline.ts';

export { chartAlt, editionText, formatCell, locale, numberedFigure, publicationFromEnv, type Publication };

// pdfkit and the SVG drawer pdfmake bundles ship no type declarations; this is the part used here.
export type Struct = { add(child: Struct | Content | (() => void)): Struct; end(): void };
type Content = { readonly refs: unknown[] };
export type TextOptions = { width?: number; align?: string; lineGap?: number; continued?: boolean; lineBreak?: boolean; height?: number };
export type Doc = {
  page: { width: number; height: number; margins: { top: number; bottom: number; left: number; right: number } };
  x: number;
  y: number;
  registerFont(name: string, file: string): Doc;
  font(name: string): Doc;
  fontSize(size: number): Doc;
  fillColor(color: string): Doc;
  strokeColor(color: string): Doc;
  lineWidth(w: number): Doc;
  moveTo(x: number, y: number): Doc;
  lineTo(x: number, y: number): Doc;
  rect(x: number, y: number, w: number, h: number): Doc;
  fill(color?: string): Doc;
  stroke(): Doc;
  text(text: string, x?: number, y?: number, options?: TextOptions): Doc;
  heightOfString(text: string, options?: TextOptions): number;
  widthOfString(text: string): number;
  currentLineHeight(includeGap?: boolean): number;
  addPage(): Doc;
  switchToPage(n: number): Doc;
  bufferedPageRange(): { start: number; count: number };
  struct(type: string, options?: Record<string, unknown> | (() => void), children?: () => void): Struct;
  addStructure(s: Struct): Doc;
  markContent(tag: string, options?: Record<string, unknown>): Doc;
  endMarkedContent(): Doc;
  on(event: string, fn: (chunk?: Buffer) => void): Doc;
  end(): void;
};
type PdfKitCtor = new (options: Record<string, unknown>) => Doc;
type SvgToPdf = (doc: Doc, svg: string, x: number, y: number, options: Record<string, unknown>) => void;

const require = createRequire(import.meta.url);
export const PDFDocument = require('pdfkit') as PdfKitCtor;
export const svgToPdf = (require(path.join(path.dirname(require.resolve('pdfmake/package.json')), 'js', '3rd-party', 'svg-to-pdfkit.js')) as { default: SvgToPdf }).default;
const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
export const fonts = {
  Roboto: path.join(fontDir, 'Roboto-Regular.ttf'),
  'Roboto-Bold': path.join(fontDir, 'Roboto-Medium.ttf'),
  'Roboto-Italic': path.join(fontDir, 'Roboto-Italic.ttf'),
  'Roboto-BoldItalic': path.join(fontDir, 'Roboto-MediumItalic.ttf'),
};

export const PAGE = { width: 595.28, height: 841.89, top: 64, bottom: 56, side: 56 };
export const WIDTH = PAGE.width - 2 * PAGE.side;
const BOTTOM = PAGE.height - PAGE.bottom;
const INK = '#1a1a1a';
export const ACCENT = '#1f4e8c';
export const MUTED = '#444444';
const RULE = '#8a8a8a';
export const DEMO_RED = '#b00020';
const FIGURE_HEIGHT = 330;

/** Where a block landed: the layout bookkeeping the tests read (a heading must share its page with what follows it). */
export type Placed = { kind: 'h1' | 'h2' | 'p' | 'list' | 'table' | 'figure'; text: string; page: number; top: number; bottom: number };

export type Fonts = { size: number; bold?: boolean; italic?: boolean; color?: string };

/** The printed shape of a table the writer draws: headings, body lines, label columns first, an optional totals line and the note under it. */
export type PrintedTable = Pick<TableLayout, 'head' | 'body' | 'firstValue' | 'totalRow' | 'note'>;

/** A table measured for drawing: its layout, font size, column widths and the height of each part. */
export type MeasuredTable = { l: PrintedTable; size: number; caption: number; widths: number[]; head: number; rows: number[]; note: number; total: number; empty: boolean };

/**
 * Lays a tagged document out page by page, adding each block to the structure tree as it is drawn:
 * headings, paragraphs, lists, tables and figures. The annual report's writer and the source
 * reports' (src/publish/sources/pdf.ts) build on it.
 */
export class PageWriter {
  placed: Placed[] = [];
  page = 0;
  root: Struct;

  constructor(
    readonly doc: Doc,
    readonly lang: Lang,
    demo: string | null,
  ) {
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
    doc.on('pageAdded', () => {
      this.page += 1;
      if (demo) this.furniture(() => this.write(demo, PAGE.side, 30, { size: 10, bold: true, color: DEMO_RED }, { width: WIDTH, align: 'center' }), 'Top');
      doc.x = PAGE.side;
      doc.y = PAGE.top;
      this.style({ size: 10 });
    });
  }

  style(f: Fonts) {
    this.doc.font(f.bold ? (f.italic ? 'Roboto-BoldItalic' : 'Roboto-Bold') : f.italic ? 'Roboto-Italic' : 'Roboto').fontSize(f.size).fillColor(f.color ?? INK);
  }

  write(text: string, x: number, y: number, f: Fonts, options: TextOptions = {}) {
    this.style(f);
    this.doc.text(text, x, y, { lineGap: f.size * 0.2, ...options });
  }

  // Measuring text runs pdfkit's line wrapping: each distinct measurement is made once.
  private heights = new Map<string, number>();

  height(text: string, f: Fonts, width = WIDTH): number {
    const key = `${f.size}|${f.bold ?? ''}|${f.italic ?? ''}|${width}|${text}`;
    let h = this.heights.get(key);
    if (h === undefined) {
      this.style(f);
      h = this.doc.heightOfString(text, { width, lineGap: f.size * 0.2 });
      this.heights.set(key, h);
    }
    return h;
  }

  /** Page furniture: marked as an artifact, outside the structure tree. */
  furniture(draw: () => void, where: 'Top' | 'Bottom' | 'Layout' = 'Layout') {
    const { x, y } = this.doc;
    this.doc.markContent('Artifact', where === 'Layout' ? { type: 'Layout' } : { type: 'Pagination', attached: [where] });
    draw();
    this.doc.endMarkedContent();
    this.doc.x = x;
    this.doc.y = y;
  }

  get y() {
    return this.doc.y;
  }

  newPage() {
    this.doc.addPage();
  }

  /** Starts a new page unless `need` points fit below the current position. */
  ensure(need: number) {
    if (this.doc.y + need > BOTTOM && this.doc.y > PAGE.top + 1) this.newPage();
  }

  protected place(kind: Placed['kind'], text: string, page: number, top: number) {
    this.placed.push({ kind, text, page, top, bottom: this.doc.y });
  }

  // --- blocks: each has its height (or the height of its first part) and its drawing ---

  /** A section heading, kept on one page with the first `following` points of what comes after it. */
  h2(parent: Struct, text: string, following: number) {
    const f = { size: 15, bold: true, color: ACCENT };
    this.ensure(14 + this.height(text, f) + 6 + following);
    // Space above, except at the top of a page.
    const top = this.doc.y + (this.doc.y > PAGE.top + 1 ? 14 : 0);
    parent.add(this.doc.struct('H2', () => this.write(text, PAGE.side, top, f, { width: WIDTH })));
    this.place('h2', text, this.page, top);
    this.doc.y += 6;
  }

  /** Height a paragraph must have on a page before a break: two lines, or all of a shorter one. */
  pHead(text: string) {
    return Math.min(this.height(text, { size: 10 }), 2 * this.height('X', { size: 10 }));
  }

  p(parent: Struct, text: string, f: Fonts = { size: 10 }) {
    if (!text) return;
    this.ensure(this.pHead(text));
    const [page, top] = [this.page, this.doc.y];
    parent.add(this.doc.struct('P', () => this.write(text, PAGE.side, top, f, { width: WIDTH })));
    this.place('p', text, page, top);
    this.doc.y += 6;
  }

  list(parent: Struct, items: string[]) {
    const list = this.doc.struct('L');
    parent.add(list);
    const [page, top] = [this.page, this.doc.y];
    for (const item of items) {
      this.ensure(this.pHead(item));
      const y = this.doc.y;
      const li = this.doc.struct('LI');
      list.add(li);
      li.add(this.doc.struct('Lbl', () => this.write('•', PAGE.side + 4, y, { size: 10 })));
      li.add(this.doc.struct('LBody', () => this.write(item, PAGE.side + 16, y, { size: 10 }, { width: WIDTH - 16 })));
      li.end();
      this.doc.y += 2;
    }
    list.end();
    this.place('list', items.join(' '), page, top);
    this.doc.y += 4;
  }

  /** Measures a table with its caption; `empty` when it has no rows (a sentence says so instead). */
  measureLayout(captionText: string, l: PrintedTable, empty: boolean): MeasuredTable {
    const size = l.head.length > 8 ? 7.5 : 8.5;
    const caption = this.height(captionText, { size: 9.5, bold: true }) + 4;
    const widths = this.columns(l, size);
    // A figure fits its column on one line (the column is as wide as the widest); labels may wrap.
    const cellHeight = (line: readonly Cell[], bold: boolean, head: boolean) =>
      Math.max(...line.map((v, i) => this.height(head || i < l.firstValue ? formatCell(v, this.lang) : '0', { size, bold }, widths[i] - 6))) + 5;
    const head = cellHeight(l.head, true, true);
    const rows = l.body.map((line, r) => cellHeight(line, l.totalRow && r === l.body.length - 1, false));
    const note = l.note ? this.height(l.note, { size: 8, italic: true }) + 2 : 0;
    const total = caption + (!empty ? head + rows.reduce((a, b) => a + b, 0) : this.height(words[this.lang].noCases, { size: 10 })) + note;
    return { l, size, caption, widths, head, rows, note, total, empty };
  }

  /** What of a measured table must share a page with the heading above it: caption, header and first rows (all of a short table). */
  headOf(m: MeasuredTable): number {
    return m.rows.length <= 25 ? m.total : m.caption + m.head + m.rows.slice(0, 3).reduce((a, b) => a + b, 0);
  }

  /** Column widths: value columns as wide as their widest figure or heading word, label columns share the rest. */
  private columns(l: PrintedTable, size: number): number[] {
    const valueWidth = (i: number) => {
      this.style({ size, bold: true });
      const headWords = Math.max(...l.head[i].split(/\s+/).map((word) => this.doc.widthOfString(word)));
      // Roboto's digits are of one width: the longest figure is the widest.
      const longest = l.body.map((line) => formatCell(line[i], this.lang)).reduce((a, b) => (b.length > a.length ? b : a), '');
      const figures = this.doc.widthOfString(longest);
      return Math.max(28, headWords, figures) + 8;
    };
    let values = l.head.map((_, i) => (i >= l.firstValue ? valueWidth(i) : 0));
    const labelWidth = () => (WIDTH - values.reduce((a, b) => a + b, 0)) / l.firstValue;
    if (labelWidth() < 90) {
      const scale = (WIDTH - 90 * l.firstValue) / values.reduce((a, b) => a + b, 0);
      values = values.map((v) => v * scale);
    }
    const label = labelWidth();
    return values.map((v, i) => (i < l.firstValue ? label : v));
  }

  /** Draws a measured table: Table with its Caption, a header row of TH, body rows headed by their label (TH) with TD cells, the note under it. */
  drawTable(parent: Struct, captionText: string, m: MeasuredTable) {
    const { l, size, widths } = m;
    // A short table stays whole; a long one keeps its caption with its header and first rows.
    const keep = m.rows.length <= 25 ? m.total : m.caption + m.head + (m.rows[0] ?? 0) * 3;
    this.ensure(keep + 8);
    const [page, top] = [this.page, this.doc.y + 4];
    const t = this.doc.struct('Table');
    parent.add(t);
    t.add(this.doc.struct('Caption', () => this.write(captionText, PAGE.side, top, { size: 9.5, bold: true }, { width: WIDTH })));
    this.doc.y += 4;
    if (m.empty) {
      t.add(this.doc.struct('P', () => this.write(words[this.lang].noCases, PAGE.side, this.doc.y, { size: 10 }, { width: WIDTH })));
      t.end();
      this.place('table', captionText, page, top);
      this.doc.y += 10;
      return;
    }
    const xs = widths.map((_, i) => PAGE.side + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const align = (i: number) => (i >= l.firstValue ? 'right' : 'left');
    const cell = (text: string, i: number, y: number, bold: boolean) =>
      this.write(text, xs[i] + 3, y + 2.5, { size, bold }, { width: widths[i] - 6, align: align(i) });
    const rule = (y: number, weight: number) =>
      this.furniture(() => this.doc.lineWidth(weight).strokeColor(RULE).moveTo(PAGE.side, y).lineTo(PAGE.side + WIDTH, y).stroke());
    const header = (tagged: boolean) => {
      const y = this.doc.y;
      if (tagged) {
        const tr = this.doc.struct('TR');
        t.add(tr);
        l.head.forEach((h, i) => tr.add(this.doc.struct('TH', { scope: 'Column' }, () => cell(h, i, y, true))));
        tr.end();
      } else {
        // The header repeated on a following page is furniture: it is in the structure once.
        this.furniture(() => l.head.forEach((h, i) => cell(h, i, y, true)));
      }
      this.doc.y = y + m.head;
      rule(this.doc.y, 0.8);
    };
    header(true);
    l.body.forEach((line, r) => {
      // The note under the table goes with its last row.
      const need = m.rows[r] + (r === l.body.length - 1 ? m.note + 2 : 0);
      if (this.doc.y + need > BOTTOM) {
        this.newPage();
        header(false);
      }
      const y = this.doc.y;
      const bold = l.totalRow && r === l.body.length - 1;
      const tr = this.doc.struct('TR');
      t.add(tr);
      line.forEach((v, i) => {
        const text = formatCell(v, this.lang);
        // The label column heads its row.
        tr.add(i < l.firstValue ? this.doc.struct('TH', { scope: 'Row' }, () => cell(text, i, y, bold)) : this.doc.struct('TD', () => cell(text, i, y, bold)));
      });
      tr.end();
      this.doc.y = y + m.rows[r];
      rule(this.doc.y, r === l.body.length - 1 ? 0.8 : 0.25);
    });
    t.end();
    if (l.note) {
      this.doc.y += 2;
      this.ensure(m.note);
      const y = this.doc.y;
      parent.add(this.doc.struct('P', () => this.write(l.note, PAGE.side, y, { size: 8, italic: true, color: MUTED }, { width: WIDTH })));
    }
    this.place('table', captionText, page, top);
    this.doc.y += 10;
  }

  /** Draws a chart's SVG centred below its caption, as a Figure with its alternative text. */
  drawFigure(parent: Struct, caption: string, alt: string, svg: string, width: number, height: number) {
    const top = this.doc.y + 4;
    parent.add(this.doc.struct('P', () => this.write(caption, PAGE.side, top, { size: 9.5, bold: true }, { width: WIDTH })));
    const y = this.doc.y + 4;
    const x = PAGE.side + (WIDTH - width) / 2;
    parent.add(
      this.doc.struct('Figure', { alt, bbox: [x, y, x + width, y + height], placement: 'Block' }, () =>
        svgToPdf(this.doc, svg, x, y, {
          width,
          height,
          fontCallback: (_family: string, bold: boolean, italic: boolean) =>
            bold ? (italic ? 'Roboto-BoldItalic' : 'Roboto-Bold') : italic ? 'Roboto-Italic' : 'Roboto',
        }),
      ),
    );
    this.doc.y = y + height + 2;
  }

  /** The footer of every page but the cover: `left` and the page number, as artifacts. */
  footerLines(left: string) {
    const { start, count } = this.doc.bufferedPageRange();
    const w = words[this.lang];
    for (let i = 1; i < count; i++) {
      this.doc.switchToPage(start + i);
      // Below the bottom margin: pdfkit would otherwise start a new page for it.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = PAGE.height - 36;
      this.furniture(() => {
        this.write(left, PAGE.side, y, { size: 7.5, color: MUTED }, { width: WIDTH - 70, lineBreak: false });
        this.write(w.page(i + 1, count), PAGE.side + WIDTH - 70, y, { size: 7.5, color: MUTED }, { width: 70, align: 'right', lineBreak: false });
      }, 'Bottom');
      this.doc.page.margins.bottom = margin;
    }
  }
}

/** Lays the annual report out: its cover, tables numbered as printed and figures with the table of their data. */
class Writer extends PageWriter {
  private numbers: Map<TableId, number>;
  private shown = new Set<TableId>();
  private measured = new Map<TableId, MeasuredTable>();

  constructor(
    doc: Doc,
    private report: PublishedReport,
    lang: Lang,
    private charts: Map<string, { chart: Chart; svg: string; width: number; height: number }>,
  ) {
    super(doc, lang, report.demo ? demoMark[lang] : null);
    this.numbers = tableNumbers(report.tables.map((t) => t.id));
  }

  cover(publication: Publication) {
    const w = words[this.lang];
    const r = this.report;
    const title = reportTitle(r.year, this.lang);
    const sect = this.doc.struct('Sect');
    this.root.add(sect);
    sect.add(this.doc.struct('H1', () => this.write(title, PAGE.side, 200, { size: 24, bold: true }, { width: WIDTH })));
    this.place('h1', title, this.page, 200);
    const big = this.doc.y + 24;
    sect.add(this.doc.struct('P', () => this.write(editionText(r, this.lang), PAGE.side, big, { size: 16, bold: true, color: ACCENT }, { width: WIDTH })));
    let y = this.doc.y + 40;
    const meta = (text: string) => {
      sect.add(this.doc.struct('P', () => this.write(text, PAGE.side, y, { size: 11 }, { width: WIDTH })));
      y = this.doc.y + 6;
    };
    coverLines(r, this.lang, publication).forEach(meta);
    if (r.demo) sect.add(this.doc.struct('P', () => this.write(demoMark[this.lang], PAGE.side, y + 50, { size: 22, bold: true, color: DEMO_RED }, { width: WIDTH })));
    sect.end();
    this.newPage();
  }

  private caption(id: TableId, l: TableLayout) {
    return `${words[this.lang].table} ${this.numbers.get(id)}. ${l.title}`;
  }

  /** What of a table must share a page with the heading above it: caption, header and first rows (all of a short table). */
  tableHead(id: TableId): number {
    const table = this.report.tables.find((t) => t.id === id);
    if (!table || this.shown.has(id)) return 0;
    return this.headOf(this.measureTable(table));
  }

  private measureTable(table: PublishedTable) {
    let m = this.measured.get(table.id);
    if (!m) {
      const l = tableLayout(table, this.lang);
      this.measured.set(table.id, (m = this.measureLayout(this.caption(table.id, l), l, !table.rows.length)));
    }
    return m;
  }

  table(parent: Struct, id: TableId) {
    const table = this.report.tables.find((t) => t.id === id);
    if (!table || this.shown.has(id)) return;
    this.shown.add(id);
    const m = this.measureTable(table);
    this.drawTable(parent, this.caption(id, m.l as TableLayout), m);
  }

  figureHeight(id: string) {
    const entry = this.charts.get(id);
    if (!entry) return 0;
    return this.height(entry.chart.title, { size: 9.5, bold: true }) + 4 + entry.height + 20;
  }

  /** A figure; `dataTable`: the table of its data, which follows it (src/publish/outline.ts). */
  figure(parent: Struct, id: string, dataTable?: TableId) {
    const entry = this.charts.get(id);
    if (!entry) return;
    this.ensure(this.figureHeight(id));
    const [page, top] = [this.page, this.doc.y + 4];
    this.drawFigure(parent, entry.chart.title, chartAlt(entry.chart, this.lang), entry.svg, entry.width, entry.height);
    if (dataTable && !this.shown.has(dataTable) && this.report.tables.some((t) => t.id === dataTable)) {
      const note = `${words[this.lang].dataOf} ${this.numbers.get(dataTable)}.`;
      parent.add(this.doc.struct('P', () => this.write(note, PAGE.side, this.doc.y, { size: 8, italic: true, color: MUTED }, { width: WIDTH })));
    }
    this.place('figure', entry.chart.title, page, top);
    this.doc.y += 8;
  }

  /** The footer of every page but the cover: title, release and page number, as artifacts. */
  footers() {
    this.footerLines(`${reportTitle(this.report.year, this.lang)} · ${editionText(this.report, this.lang)}`);
  }
}

function aboutSection(b: Writer, report: PublishedReport, lang: Lang) {
  const sect = b.doc.struct('Sect');
  b.root.add(sect);
  const blocks = aboutBlocks(report, lang);
  b.h2(sect, words[lang].about, 'p' in blocks[0] ? b.pHead(blocks[0].p) : 0);
  for (const block of blocks) if ('p' in block) b.p(sect, block.p);
  else b.list(sect, block.list);
  sect.end();
}

/** The SVG's own size in points (Vega writes it in pixels), scaled to fit the text width and the figure height. */
export function svgSize(svg: string): { width: number; height: number } {
  const attr = (name: string) => Number(svg.match(new RegExp(`<svg[^>]*\\s${name}="([\\d.]+)"`))?.[1] ?? 0);
  const [w, h] = [attr('width') * 0.75, attr('height') * 0.75];
  if (!w || !h) return { width: WIDTH, height: FIGURE_HEIGHT };
  const scale = Math.min(1, WIDTH / w, FIGURE_HEIGHT / h);
  return { width: w * scale, height: h * scale };
}

/** An A4 document tagged for PDF/UA in the language given, with the fonts registered; `done` resolves to its bytes once it is ended. */
export function taggedDocument(lang: Lang, info: { Title: string; Subject: string; Author: string; Keywords: string }): { doc: Doc; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.side, right: PAGE.side },
    autoFirstPage: false,
    bufferPages: true,
    tagged: true,
    subset: 'PDF/UA',
    pdfVersion: '1.7',
    lang: locale(lang),
    displayTitle: true,
    font: fonts.Roboto,
    info: { Title: info.Title, Subject: info.Subject, Author: info.Author, Creator: 'Lägesbild', Keywords: info.Keywords },
  });
  for (const [name, file] of Object.entries(fonts)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (c) => chunks.push(c!));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

/** The report as a tagged PDF, with the layout bookkeeping of where each block landed. */
export async function renderPdfWithLayout(
  report: PublishedReport,
  lang: Lang = 'sv',
  publication: Publication = publicationFromEnv(),
): Promise<{ pdf: Buffer; placed: Placed[]; pages: number }> {
  const charts = new Map<string, { chart: Chart; svg: string; width: number; height: number }>();
  for (const { chart, svg } of await numberedCharts(report, lang)) charts.set(chart.id, { chart, svg, ...svgSize(svg) });
  const title = reportTitle(report.year, lang);

  const { doc, done } = taggedDocument(lang, { Title: title, Subject: editionText(report, lang), Author: publication.publisher[lang], Keywords: lang === 'sv' ? 'människohandel, människoexploatering, statistik' : 'human trafficking, human exploitation, statistics' });

  const b = new Writer(doc, report, lang, charts);
  doc.addPage();
  b.cover(publication);

  const summarySect = doc.struct('Sect');
  b.root.add(summarySect);
  const summary = summaryOf(report, lang);
  b.h2(summarySect, summary.heading, summary.paragraphs.length ? b.pHead(summary.paragraphs[0]) : 0);
  summary.paragraphs.forEach((s) => b.p(summarySect, s));
  summarySect.end();
  aboutSection(b, report, lang);

  const outline = reportOutline(report, lang, new Set(charts.keys()));
  for (const { heading, paragraphs, blocks } of outline.sections) {
    const sect = doc.struct('Sect');
    b.root.add(sect);
    // The heading stays with its first lines, or with its first figure or table.
    const firstFigure = blocks.find((x) => x.kind === 'figure');
    const firstTable = blocks.find((x) => x.kind === 'table');
    const figureHead = firstFigure ? b.figureHeight(firstFigure.id) : 0;
    const following = paragraphs.length ? b.pHead(paragraphs[0]) : firstFigure ? figureHead : firstTable ? b.tableHead(firstTable.id) : 0;
    b.h2(sect, heading, following);
    paragraphs.forEach((p) => b.p(sect, p));
    for (const block of blocks) {
      if (block.kind === 'figure') b.figure(sect, block.id, block.dataTable);
      else b.table(sect, block.id);
    }
    sect.end();
  }

  if (outline.appendix.length) {
    b.newPage();
    const sect = doc.struct('Sect');
    b.root.add(sect);
    b.h2(sect, words[lang].appendix, b.tableHead(outline.appendix[0]));
    for (const id of outline.appendix) b.table(sect, id);
    sect.end();
  }
  b.root.end();
  const pages = doc.bufferedPageRange().count;
  b.footers();
  doc.end();
  return { pdf: await done, placed: b.placed, pages };
}

export async function renderPdf(report: PublishedReport, lang: Lang = 'sv', publication?: Publication): Promise<Buffer> {
  return (await renderPdfWithLayout(report, lang, publication)).pdf;
}
