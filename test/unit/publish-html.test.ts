// The accessible HTML edition: parsed with parse5 and read as a browser's accessibility tree would,
// and held against the PDF of the same report (its table and figure captions and alternative texts).
import fc from 'fast-check';
import { parse, parseFragment } from 'parse5';
import { describe, expect, it, vi } from 'vitest';
import { escapeHtml, renderHtml } from '../../src/publish/html.ts';
import { suppressedNote, tableLayout, tableNumbers } from '../../src/publish/layout.ts';
import { formatCell, renderPdfWithLayout } from '../../src/publish/pdf.ts';
import type { PublishedReport } from '../../src/stats/report-types.ts';
import { fixtureReport } from '../publish-fixture.ts';
import { figureAlts } from '../support/pdf-alt.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

type Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; content?: Node; value?: string };

const attr = (n: Node, name: string) => n.attrs?.find((a) => a.name === name)?.value;
function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.childNodes ?? []) yield* walk(c);
}
const all = (n: Node, tag: string) => [...walk(n)].filter((x) => x.tagName === tag);
const text = (n: Node): string => [...walk(n)].filter((x) => x.nodeName === '#text').map((x) => x.value).join('');
const one = (n: Node, tag: string) => {
  const found = all(n, tag);
  expect(found, tag).toHaveLength(1);
  return found[0];
};

const report = fixtureReport() as PublishedReport;

// Each edition is rendered once and shared: the HTML and, to compare with, the PDF.
const rendered = new Map<string, Promise<{ html: string; doc: Node; pdf: Awaited<ReturnType<typeof renderPdfWithLayout>> }>>();
function edition(lang: 'sv' | 'en', r: PublishedReport = report, key: string = lang) {
  if (!rendered.has(key))
    rendered.set(
      key,
      (async () => {
        const html = await renderHtml(r, lang);
        return { html, doc: parse(html) as unknown as Node, pdf: await renderPdfWithLayout(r, lang) };
      })(),
    );
  return rendered.get(key)!;
}

/** The HTML table captioned "Tabell n." / "Table n.". */
function tableNumbered(doc: Node, n: number, lang: 'sv' | 'en'): Node {
  const word = lang === 'sv' ? 'Tabell' : 'Table';
  const hit = all(doc, 'table').find((t) => text(one(t, 'caption')).startsWith(`${word} ${n}. `));
  expect(hit, `${word} ${n}`).toBeDefined();
  return hit!;
}

describe.each(['sv', 'en'] as const)('renderHtml (%s)', (lang) => {
  it('is a standalone document in the language asked for, with one h1 and headings that never skip a level', async () => {
    const { html, doc } = await edition(lang);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(attr(one(doc, 'html'), 'lang')).toBe(lang);
    expect(text(one(doc, 'title'))).toContain('2025');
    const headings = [...walk(doc)].filter((n) => /^h[1-6]$/.test(n.tagName ?? '')).map((n) => Number(n.tagName![1]));
    expect(headings.filter((h) => h === 1)).toHaveLength(1);
    expect(headings[0]).toBe(1);
    headings.forEach((h, i) => i && expect(h, `heading ${i}`).toBeLessThanOrEqual(headings[i - 1] + 1));
    expect(headings.length).toBeGreaterThan(10);
  });

  it('makes no request: no script, no external address, every link a fragment that resolves', async () => {
    const { html, doc } = await edition(lang);
    const nodes = [...walk(doc)];
    expect(all(doc, 'script')).toHaveLength(0);
    expect(all(doc, 'link')).toHaveLength(0);
    expect(all(doc, 'img')).toHaveLength(0);
    const ids = nodes.map((n) => attr(n, 'id')).filter((x): x is string => x !== undefined);
    expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
    const refs = nodes.flatMap((n) => (n.attrs ?? []).filter((a) => /(^|:)(src|href|srcset|action|poster|data)$/.test(a.name)).map((a) => a.value));
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#./);
      expect(ids, ref).toContain(ref.slice(1));
    }
    for (const style of all(doc, 'style')) expect(text(style)).not.toMatch(/url\(|@import/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('opens with the cover of the PDF: title, the release in words, publisher and contact', async () => {
    const { doc } = await edition(lang);
    const cover = one(doc, 'header');
    const h1 = text(one(cover, 'h1'));
    expect(h1).toBe(lang === 'sv' ? 'Regionkoordinatorernas statistik om människohandel och människoexploatering 2025' : "Regional coordinators' statistics on human trafficking and human exploitation 2025");
    // The long compounds may break at their joints (an empty span each), the text staying the plain words.
    const joints = all(one(cover, 'h1'), 'span').filter((x) => attr(x, 'class') === 'shy');
    expect(joints.every((x) => text(x) === '')).toBe(true);
    expect(joints.length).toBe(lang === 'sv' ? 3 : 0);
    expect(h1).not.toContain('\u00ad');
    const lines = all(cover, 'p').map(text);
    expect(lines).toContain(lang === 'sv' ? 'Slutlig statistik 2025, utgåva 1' : 'Final statistics 2025, edition 1');
    expect(lines.some((l) => l.startsWith(lang === 'sv' ? 'Utgiven av: Jämställdhetsmyndigheten' : 'Published by: Swedish Gender Equality Agency'))).toBe(true);
    expect(lines).toContain(`${lang === 'sv' ? 'Kontakt' : 'Contact'}: nspm.jamstalldhetsmyndigheten.se`);
  });

  it('captions its tables and figures with the numbers and titles of the PDF, in the same order', async () => {
    const { doc, pdf } = await edition(lang);
    const tables = all(doc, 'table').map((t) => text(one(t, 'caption')));
    expect(tables).toEqual(pdf.placed.filter((p) => p.kind === 'table').map((p) => p.text));
    expect(tables).toHaveLength(report.tables.length);
    expect(tables[0]).toMatch(lang === 'sv' ? /^Tabell \d+\. / : /^Table \d+\. /);
    const figures = all(doc, 'figure').map((f) => text(one(f, 'figcaption')));
    expect(figures).toEqual(pdf.placed.filter((p) => p.kind === 'figure').map((p) => p.text));
    expect(figures[0]).toMatch(lang === 'sv' ? /^Figur 1\. / : /^Figure 1\. /);
  });

  it('draws every figure as an SVG image named by the PDF alternative text', async () => {
    const { doc, pdf } = await edition(lang);
    const svgs = all(doc, 'figure').map((f) => one(f, 'svg'));
    expect(svgs.map((s) => attr(s, 'role'))).toEqual(svgs.map(() => 'img'));
    const names = svgs.map((s) => attr(s, 'aria-label'));
    expect(names).toEqual(figureAlts(pdf.pdf));
    for (const name of names) expect(name!.length).toBeGreaterThan(30);
  });

  it('heads every column and row, and prints every cell as the report has it', async () => {
    const { doc } = await edition(lang);
    for (const t of all(doc, 'table')) {
      for (const th of all(one(t, 'thead'), 'th')) expect(attr(th, 'scope')).toBe('col');
      for (const th of all(one(t, 'tbody'), 'th')) expect(attr(th, 'scope')).toBe('row');
    }
    const numbers = tableNumbers(report.tables.map((t) => t.id));
    for (const table of report.tables) {
      const html = tableNumbered(doc, numbers.get(table.id)!, lang);
      const layout = tableLayout(table, lang);
      expect(all(one(html, 'thead'), 'th').map(text), table.id).toEqual(layout.head);
      const rows = all(one(html, 'tbody'), 'tr').map((tr) => (tr.childNodes ?? []).filter((c) => c.tagName === 'th' || c.tagName === 'td').map(text));
      expect(rows, table.id).toEqual(layout.body.map((line) => line.map((v) => formatCell(v, lang))));
    }
    // A list table, read against the report's own rows: the count column holds each row's count.
    const referrer = report.tables.find((t) => t.id === 'referrer')!;
    const counts = all(one(tableNumbered(doc, numbers.get('referrer')!, lang), 'tbody'), 'tr').map((tr) => text(all(tr, 'td')[0]));
    expect(counts).toEqual(referrer.rows.map((r) => r.count!.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB')));
  });

  it('lists every section, table and figure in its contents, each link leading to it', async () => {
    const { doc } = await edition(lang);
    const nav = one(doc, 'nav');
    const targets = all(nav, 'a').map((a) => attr(a, 'href')!.slice(1));
    const byId = new Map([...walk(doc)].filter((n) => attr(n, 'id')).map((n) => [attr(n, 'id')!, n]));
    for (const id of targets) expect(byId.has(id), id).toBe(true);
    const linked = targets.map((id) => byId.get(id)!);
    expect(linked.filter((n) => n.tagName === 'table')).toHaveLength(report.tables.length);
    expect(linked.filter((n) => n.tagName === 'figure')).toHaveLength(all(doc, 'figure').length);
    expect(linked.filter((n) => n.tagName === 'h2').map(text)).toEqual(all(doc, 'h2').map(text).slice(1));
  });

  it('carries the text of the PDF: summary, about the statistics and the notes under tables', async () => {
    const { doc } = await edition(lang);
    const body = text(one(doc, 'main'));
    expect(body).toContain(lang === 'sv' ? 'Under 2025 fick regionkoordinatorerna kännedom om 481 personer.' : 'In 2025 the regional coordinators learned of 481 persons.');
    expect(body).toContain(lang === 'sv' ? 'Rapporten bygger på de ärenden' : 'The report is based on the cases');
    expect(body).toContain(lang === 'sv' ? 'Figurens data finns i tabell' : 'The data of the figure is in table');
    expect(all(doc, 'p').map(text)).toContain(tableLayout(report.tables[1], lang).note);
  });

  it('prints a suppressed figure as ".." and says what ".." means', async () => {
    // The protected form publishes a suppressed count as null.
    const suppressed = structuredClone(report);
    const referrer = suppressed.tables.find((t) => t.id === 'referrer')!;
    referrer.rows[1] = { ...referrer.rows[1], count: null, percent: null };
    const { doc } = await edition(lang, suppressed, `${lang}-suppressed`);
    const n = tableNumbers(suppressed.tables.map((t) => t.id)).get('referrer')!;
    const row = all(one(tableNumbered(doc, n, lang), 'tbody'), 'tr')[1];
    expect(all(row, 'td').map(text)).toEqual(['..', '..']);
    expect(all(doc, 'p').map(text)).toContainEqual(expect.stringContaining(suppressedNote[lang]));
  });

  it('has a print stylesheet that keeps headings with what follows and rows whole', async () => {
    const { doc } = await edition(lang);
    const css = text(one(doc, 'style'));
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toMatch(/h2[^{]*\{[^}]*break-after:avoid/);
    expect(print).toMatch(/tr[^{]*\{[^}]*break-inside:avoid/);
  });
});

describe('escapeHtml', () => {
  // The parser turns NUL into U+FFFD (or drops it); everything else comes back as it went in.
  const expected = (s: string) => s.replace(/\0/g, '\ufffd');

  it('keeps any string text, in element content and in an attribute (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeHtml(s);
        const frag = parseFragment(`<p title="${e}">${e}</p><i></i>`) as unknown as Node;
        const [p, i] = frag.childNodes!;
        expect(p.tagName).toBe('p');
        expect(i.tagName).toBe('i');
        expect((p.childNodes ?? []).every((c) => c.nodeName === '#text')).toBe(true);
        expect(text(p)).toBe(expected(s));
        expect(attr(p, 'title')).toBe(expected(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps markup-like strings text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<', '>', '&', '"', "'", '</p>', '<script>', '&amp;', '&#', '\r\n', '\0', 'a', ' ', '=', '/'), { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        const frag = parseFragment(`<p>${escapeHtml(s)}</p>`) as unknown as Node;
        expect(frag.childNodes).toHaveLength(1);
        expect(all(frag, 'p')).toHaveLength(1);
        expect([...walk(frag)].filter((n) => n.tagName)).toHaveLength(1);
        expect(text(frag)).toBe(expected(s));
      }),
    );
  });
});
