// The annual report as one self-contained, accessible HTML5 file: the same cover, sections, numbered
// tables ("Tabell N", with column and row headers) and figures ("Figur N", inline SVG with the PDF's
// alternative text) as the tagged PDF, walked from the same outline (src/publish/outline.ts). Its
// styles are inline and it has no scripts and no external references, so it opens offline as it is.
import type { PublishedReport, TableId } from '../stats/report-types.ts';
import type { Chart } from './charts.ts';
import { hyphenate, SHY } from './hyphenate.ts';
import { demoMark, reportTitle, type Lang } from './labels.ts';
import { tableLayout, tableNumbers, type TableLayout } from './layout.ts';
import {
  aboutBlocks,
  chartAlt,
  coverLines,
  editionText,
  formatCell,
  numberedCharts,
  publicationFromEnv,
  reportOutline,
  summaryOf,
  words,
  type Publication,
} from './outline.ts';

const contentsHeading: Record<Lang, string> = { sv: 'Innehåll', en: 'Contents' };

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;', '\0': '\ufffd' };

/**
 * Text for element content or a quoted attribute value: markup characters as references, so text
 * never becomes markup. A carriage return is written as a reference (the parser would turn a raw one
 * into a line feed); NUL, which HTML cannot carry, becomes U+FFFD as the parser would make it.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\r\0]/g, (c) => entities[c]);
}

/**
 * A heading's text, free to break at its compounds' joints with a visible hyphen: each joint an empty
 * span whose stylesheet soft hyphen has no alternative text, so the heading's text and accessible
 * name stay the plain words (as in the web app's headings).
 */
const headingHtml = (text: string) => escapeHtml(hyphenate(text)).replaceAll(SHY, '<span class="shy"></span>');

const tableId = (n: number) => `table-${n}`;
const figureId = (n: number) => `figure-${n}`;

/**
 * The chart's SVG as an image with the PDF's alternative text as its name. Vega's own roles and ARIA
 * attributes on the marks are dropped: inside an image they say nothing and would only be checked.
 */
function figureSvg(svg: string, alt: string): string {
  const inner = svg.replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, '');
  return inner.replace(/^<svg\s/, `<svg role="img" aria-label="${escapeHtml(alt)}" `);
}

function tableHtml(l: TableLayout, caption: string, n: number, lang: Lang, empty: boolean): string {
  const head = `<tr>${l.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = empty
    ? [`<tr><td colspan="${Math.max(1, l.head.length)}">${escapeHtml(words[lang].noCases)}</td></tr>`]
    : l.body.map((line, r) => {
        const total = l.totalRow && r === l.body.length - 1;
        // The label columns head their row, as in the PDF.
        const cells = line.map((v, i) => (i < l.firstValue ? `<th scope="row">${escapeHtml(formatCell(v, lang))}</th>` : `<td>${escapeHtml(formatCell(v, lang))}</td>`));
        return `<tr${total ? ' class="total"' : ''}>${cells.join('')}</tr>`;
      });
  // A wide table scrolls within its own region on a narrow screen instead of the page scrolling sideways.
  return (
    `<div class="table" role="region" tabindex="0" aria-labelledby="${tableId(n)}-caption">` +
    `<table id="${tableId(n)}"><caption id="${tableId(n)}-caption">${escapeHtml(caption)}</caption>` +
    `<thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>` +
    (l.note ? `\n<p class="note">${escapeHtml(l.note)}</p>` : '')
  );
}

const STYLE = `
*{box-sizing:border-box}
html{color:#1a1a1a;background:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5}
body{margin:0 auto;max-width:52rem;padding:1rem;overflow-wrap:break-word}
h1{font-size:1.8rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.35rem;color:#1f4e8c;margin:2rem 0 .5rem}
.cover{border-bottom:2px solid #1f4e8c;padding-bottom:1rem}
.edition{font-size:1.2rem;font-weight:600;color:#1f4e8c}
.demo{font-weight:700;color:#b00020}
a{color:#1f4e8c}
.table{overflow-x:auto;margin:1rem 0 .25rem}
table{border-collapse:collapse;font-size:.9rem}
caption{text-align:left;font-weight:600;padding-bottom:.25rem}
th,td{padding:.25rem .5rem;border-bottom:1px solid #8a8a8a;vertical-align:top}
thead th{border-bottom:2px solid #1a1a1a;text-align:left}
td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody th{text-align:left;font-weight:400}
tr.total th,tr.total td{font-weight:700}
.note{font-size:.85rem;font-style:italic;color:#444;margin-top:.25rem}
figure{margin:1.5rem 0 .5rem}
figcaption{font-weight:600;margin-bottom:.5rem}
figure svg{display:block;max-width:100%;height:auto}
.table:focus-visible{outline:2px solid #1f4e8c;outline-offset:2px}
h1,h2{hyphens:manual}
.shy::before{content:"\\00AD" / ""}
@media print{
body{max-width:none;padding:0;font-size:10pt}
.cover{break-after:page}
h1,h2,h3,caption,figcaption{break-after:avoid;page-break-after:avoid}
tr,figure svg{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
.table{overflow:visible}
a{color:inherit;text-decoration:none}
}
`;

/** The report as a standalone HTML5 document in `lang`, with the cover, contents, sections, tables and figures of the PDF. */
export async function renderHtml(report: PublishedReport, lang: Lang = 'sv', publication: Publication = publicationFromEnv()): Promise<string> {
  const w = words[lang];
  const title = reportTitle(report.year, lang);
  const charts = new Map<string, Chart & { svg: string; n: number }>();
  for (const [i, { chart, svg }] of (await numberedCharts(report, lang)).entries()) charts.set(chart.id, { ...chart, svg, n: i + 1 });
  const numbers = tableNumbers(report.tables.map((t) => t.id));
  const outline = reportOutline(report, lang, new Set(charts.keys()));
  const summary = summaryOf(report, lang);

  const contents: string[] = [];
  const body: string[] = [];
  const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

  /** A section: its heading and paragraphs, then its figures and tables, each listed under it in the contents. */
  const section = (id: string, heading: string, paragraphs: string[], blocks: { kind: 'figure' | 'table'; id: string; dataTable?: TableId }[], extra = '') => {
    const items: string[] = [];
    body.push(`<section aria-labelledby="${id}"><h2 id="${id}">${headingHtml(heading)}</h2>`, ...paragraphs.map(p), extra);
    for (const block of blocks) {
      if (block.kind === 'figure') {
        const c = charts.get(block.id)!;
        const n = block.dataTable ? numbers.get(block.dataTable) : undefined;
        const dataOf = n !== undefined ? `<p class="note">${escapeHtml(w.dataOf)} <a href="#${tableId(n)}">${n}</a>.</p>` : '';
        body.push(`<figure id="${figureId(c.n)}"><figcaption>${escapeHtml(c.title)}</figcaption>${figureSvg(c.svg, chartAlt(c, lang))}${dataOf}</figure>`);
        items.push(`<li><a href="#${figureId(c.n)}">${escapeHtml(c.title)}</a></li>`);
      } else {
        const table = report.tables.find((t) => t.id === block.id)!;
        const [n, l] = [numbers.get(table.id)!, tableLayout(table, lang)];
        const caption = `${w.table} ${n}. ${l.title}`;
        body.push(tableHtml(l, caption, n, lang, !table.rows.length));
        items.push(`<li><a href="#${tableId(n)}">${escapeHtml(caption)}</a></li>`);
      }
    }
    body.push('</section>');
    contents.push(`<li><a href="#${id}">${escapeHtml(heading)}</a>${items.length ? `<ol>${items.join('')}</ol>` : ''}</li>`);
  };

  section('summary', summary.heading, summary.paragraphs, []);
  const about = aboutBlocks(report, lang)
    .map((b) => ('p' in b ? p(b.p) : `<ul>${b.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`))
    .join('\n');
  section('about', w.about, [], [], about);
  for (const s of outline.sections) section(`section-${s.key}`, s.heading, s.paragraphs, s.blocks);
  if (outline.appendix.length) section('appendix', w.appendix, [], outline.appendix.map((id) => ({ kind: 'table' as const, id })));

  const demo = report.demo ? `<p class="demo">${escapeHtml(demoMark[lang])}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} – ${editionText(report, lang)}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="cover">
${demo}<h1>${headingHtml(title)}</h1>
<p class="edition">${escapeHtml(editionText(report, lang))}</p>
${coverLines(report, lang, publication).map(p).join('\n')}
</header>
<main>
<nav aria-labelledby="contents"><h2 id="contents">${escapeHtml(contentsHeading[lang])}</h2><ol>${contents.join('\n')}</ol></nav>
${body.join('\n')}
</main>
</body>
</html>
`;
}
