import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tableTitle } from '../../src/publish/labels.ts';
import { chartSpecs } from '../../src/publish/charts.ts';
import { chartAlt, numberedFigure, renderPdf, renderPdfWithLayout, type Placed } from '../../src/publish/pdf.ts';
import { tableNumbers } from '../../src/publish/layout.ts';
import { catalogue } from '../../src/stats/catalogue.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { fixtureReport } from '../publish-fixture.ts';
import { figureAlts, inkShare, pdfPages } from '../support/pdf-alt.ts';

const hasPoppler = ['pdftotext', 'pdftoppm', 'pdfinfo'].every((cmd) => spawnSync(cmd, ['-v']).error === undefined);
if (!hasPoppler) console.warn('publish-pdf: pdftotext/pdftoppm/pdfinfo missing (apt-get install poppler-utils); PDF content and structure checks skipped');

const report = fixtureReport();

// Rendering a report takes seconds on a busy machine: each edition is rendered once and shared.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
const editions = new Map<string, ReturnType<typeof renderPdfWithLayout>>();
const edition = (lang: 'sv' | 'en') => {
  if (!editions.has(lang)) editions.set(lang, renderPdfWithLayout(report, lang));
  return editions.get(lang)!;
};
const dir = mkdtempSync(path.join(tmpdir(), 'publish-pdf-'));
const results = path.resolve('test-results');

function write(name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return file;
}

const pages = pdfPages;

describe.skipIf(!hasPoppler)('renderPdf', () => {
  let file: string;
  let text: string[];

  beforeAll(async () => {
    const { pdf } = await edition('sv');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    file = write('report.pdf', pdf);
    text = pages(file);
  });

  it('opens with the title page: title, the release in words, publisher and contact', () => {
    expect(text[0]).toContain('Regionkoordinatorernas statistik om människohandel och människoexploatering 2025');
    expect(text[0]).toContain('Slutlig statistik 2025, utgåva 1');
    expect(text[0]).not.toContain('Release');
    expect(text[0]).not.toContain('2025-final-1');
    expect(text[0]).toContain('Utgiven av: Jämställdhetsmyndigheten');
    expect(text[0]).toContain('Kontakt: nspm.jamstalldhetsmyndigheten.se');
    expect(text.join(' ')).not.toContain('DEMO');
  });

  it('names the publisher and contact the configuration gives', async () => {
    const pdf = await renderPdf(report, 'sv', { publisher: { sv: 'Myndigheten X', en: 'Agency X' }, contact: 'statistik@example.org' });
    const cover = pages(write('configured.pdf', pdf))[0];
    expect(cover).toContain('Utgiven av: Myndigheten X');
    expect(cover).toContain('Kontakt: statistik@example.org');
  });

  it('prints the computed figures and the summary sentences', () => {
    const all = text.join(' ');
    expect(all).toContain('Under 2025 fick regionkoordinatorerna kännedom om 481 personer.');
    expect(all).toContain('Totalt identifierades 212 kvinnor, 251 män samt åtta flickor och nio pojkar.');
    expect(all).toContain('325 personer, vilket utgör 68 procent av ärendena');
    expect(all).toContain('Thailand (85), Rumänien (36) och Turkiet (28)');
    expect(all).toContain('Egen uppsökande verksamhet 118 25');
  });

  it('holds every table, with its title', () => {
    const all = text.join(' ');
    for (const t of report.tables) expect(all, t.id).toContain(tableTitle(t.id));
    expect(all).toContain('Figur 1. Antal identifierade personer per exploateringsform');
    expect(all).toContain('Figur 9. De tio vanligaste nationaliteterna');
  });

  it('keeps the note under a table on the page of its last row', () => {
    for (const [i, page] of text.entries()) expect(page.trimStart().startsWith('Uppgift finns för'), `page ${i + 1}`).toBe(false);
    expect(text.join(' ')).toContain('Uppgift finns för');
  });

  it('numbers the figures in reading order without gaps, as the web page does', () => {
    const all = text.join(' ');
    const numbers = [...all.matchAll(/Figur (\d+)\. /g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(chartSpecs(report).map((_, i) => i + 1));
    expect(all).toContain('Figur 4. Antal personer utsatta för multipel exploatering innehållande arbetskraftsexploatering');
    expect(all).toContain('Figur 8. Hänvisande aktör: antal och andel av ärendena');
  });

  it('numbers the tables as the printed report does: Hänvisande aktör is Tabell 2, the ten nationalities Tabell 3', () => {
    const all = text.join(' ');
    expect(all).toContain('Tabell 1. Fördelning av vuxna kvinnor och män samt flickor och pojkar per exploateringsform');
    expect(all).toContain('Tabell 2. Hänvisande aktör');
    expect(all).toContain('Tabell 3. De tio vanligaste nationaliteterna');
    expect(all).toContain('Figurens data finns i tabell 2.');
    // Every table once, each number once.
    const numbers = [...all.matchAll(/Tabell (\d+)\. /g)].map((m) => Number(m[1]));
    expect(new Set(numbers).size).toBe(report.tables.length);
    expect([...numbers].sort((a, b) => a - b)).toEqual(report.tables.map((_, i) => i + 1));
  });

  it('draws a page 1 that is not blank, and keeps page images to look at', () => {
    const pgm = execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-gray', file]);
    expect(inkShare(pgm)).toBeGreaterThan(0.005);
    mkdirSync(results, { recursive: true });
    execFileSync('pdftoppm', ['-r', '80', '-f', '1', '-l', '1', '-png', '-singlefile', file, path.join(results, 'report-page-1')]);
    execFileSync('pdftoppm', ['-r', '80', '-f', '3', '-l', '3', '-png', '-singlefile', file, path.join(results, 'report-page-3')]);
  });

  it('marks every page of a demo report', async () => {
    const demo = pages(write('demo.pdf', await renderPdf({ ...report, demo: true })));
    expect(demo.length).toBeGreaterThanOrEqual(text.length);
    for (const page of demo) expect(page).toContain('DEMO – syntetiska uppgifter');
  });

  it('writes the report in English when asked', async () => {
    const en = pages(write('en.pdf', (await edition('en')).pdf)).join(' ');
    expect(en).toContain('In 2025 the regional coordinators learned of 481 persons.');
    expect(en).toContain('68 per cent');
  });

  it('renders a year without cases', async () => {
    const empty = computeReport({ year: 2026, cases: [], release: { id: null, kind: 'live' } });
    const text = pages(write('empty.pdf', await renderPdf(empty))).join(' ');
    expect(text).toContain('Under 2026 fick regionkoordinatorerna kännedom om noll personer.');
    expect(text).toContain('Inga ärenden.');
    expect(text).not.toContain('Figur 1.');
  });
});

describe.skipIf(!hasPoppler)('the tagged PDF (PDF/UA)', () => {
  let pdf: Buffer;
  let file: string;
  let struct: string;

  beforeAll(async () => {
    pdf = (await edition('sv')).pdf;
    file = write('tagged.pdf', pdf);
    struct = execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  });

  it('is tagged, in Swedish, with its title shown as the window title', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Regionkoordinatorernas statistik om människohandel och människoexploatering 2025$/m);
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Lang (sv-SE)');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toContain('pdfuaid:part');
  });

  it('has a structure tree: the document, its title as H1, every section heading as H2', () => {
    expect(struct.split('\n')[0]).toBe('Document');
    expect(struct).toMatch(/H1 \(block\)\n\s+"Regionkoordinatorernas statistik om människohandel och människoexploatering 2025"/);
    for (const heading of ['Sammanfattning', 'Om statistiken', 'Exploateringsformer', 'Hänvisande aktör', 'Nationalitet', 'Tabellbilaga'])
      expect(struct).toMatch(new RegExp(`H2 \\(block\\)\\n\\s+"${heading}"`));
    expect(struct).toMatch(/P \(block\)\n\s+"Under 2025 fick regionkoordinatorerna kännedom om 481 personer\./);
  });

  it('tags every table with its caption, column headings (TH) and cells (TD)', () => {
    const tables = struct.split(/\n\s+Table \(block\)\n/).slice(1);
    expect(tables.length).toBe(report.tables.length);
    const referrer = tables.find((t) => t.includes('"Tabell 2. Hänvisande aktör"'));
    expect(referrer).toBeDefined();
    expect(referrer).toMatch(/Caption\n\s+"Tabell 2\. Hänvisande aktör"/);
    expect(referrer).toMatch(/TH:\n\s+\/Scope \/Column\n\s+"Hänvisande aktör"/);
    expect(referrer).toMatch(/TH:\n\s+\/Scope \/Row\n\s+"Egen uppsökande verksamhet"\n\s+TD\n\s+"118"\n\s+TD\n\s+"25"/);
    for (const t of tables.filter((x) => !x.includes('Inga ärenden'))) {
      expect(t).toContain('/Scope /Column');
      expect(t).toMatch(/\bTD\n/);
    }
  });

  it('tags every chart as a Figure whose alternative text gives its values in words', () => {
    const charts = chartSpecs(report);
    expect(struct.match(/^\s+Figure:$/gm)?.length).toBe(charts.length);
    const alts = figureAlts(pdf);
    expect(alts).toEqual(charts.map((c, i) => chartAlt({ ...c, title: numberedFigure(c.title, i + 1, 'sv') }, 'sv')));
    const referrer = alts.find((a) => a.includes('Hänvisande aktör: antal och andel'))!;
    expect(referrer).toMatch(/^Stapeldiagram\./);
    expect(referrer).toContain('Egen uppsökande verksamhet 118');
    const trend = alts.find((a) => a.startsWith('Linjediagram'))!;
    // A year without a figure is said to have none, never drawn as zero.
    expect(trend).toMatch(/2024: Totalt uppgift saknas/);
  });

  it('keeps running headers, footers and page numbers out of the structure (artifacts)', () => {
    expect(text(file)).toContain('Sida 2 av');
    expect(struct).not.toContain('Sida 2 av');
    expect(struct).not.toMatch(/"Regionkoordinatorernas statistik om människohandel och människoexploatering 2025 · /);
  });

  it('writes the English edition in English (Lang en-GB)', async () => {
    const en = (await edition('en')).pdf;
    expect(en.toString('latin1')).toContain('/Lang (en-GB)');
    expect(figureAlts(en)[0]).toMatch(/^Bar chart\. Figure 1\./);
    expect(pages(write('en-cover.pdf', en))[0]).toContain('Final statistics 2025, edition 1');
  });
});

function text(file: string): string {
  return pages(file).join(' ');
}

/** Where each heading is followed by something on its own page, read from the layout and from the page text. */
describe('keeping headings with what follows them', () => {
  const followedOnItsPage = (placed: Placed[]) =>
    placed.flatMap((p, i) => (p.kind === 'h2' && !(placed[i + 1] && placed[i + 1].page === p.page) ? [p.text] : []));

  it('never leaves a heading at the foot of a page, in either language and with long tables', async () => {
    for (const lang of ['sv', 'en'] as const) {
      const { placed } = await edition(lang);
      expect(placed.filter((p) => p.kind === 'h2').length).toBeGreaterThan(9);
      expect(followedOnItsPage(placed), lang).toEqual([]);
    }
    // Longer running text moves every heading: still none is left alone.
    const wordy = { ...report, checks: report.checks.map((c) => ({ ...c, ok: false, detail: `${c.detail}: x` })) };
    const { placed } = await renderPdfWithLayout(wordy, 'sv');
    expect(followedOnItsPage(placed)).toEqual([]);
  });

  it.skipIf(!hasPoppler)('shows it on the page: below every section heading there is text on the same page', async () => {
    const { pdf, placed } = await edition('sv');
    const file = write('bbox.pdf', pdf);
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const pageWords = html.split('<page').slice(1).map((p) => [...p.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)].map((m) => ({ top: Number(m[1]), bottom: Number(m[2]), word: m[3] })));
    for (const h of placed.filter((p) => p.kind === 'h2')) {
      const words = pageWords[h.page - 1];
      const first = h.text.split(' ')[0].replace('&', '&amp;');
      const at = words.find((w) => w.word === first && Math.abs(w.top - h.top) < 8);
      expect(at, `${h.text} on page ${h.page}`).toBeDefined();
      // Text of the body below it, above the footer line.
      expect(words.some((w) => w.top > at!.bottom + 4 && w.bottom < 841.89 - 40), h.text).toBe(true);
    }
  });

  it('gives every table of the catalogue its printed number, the printed report\'s own first', () => {
    const numbers = tableNumbers(catalogue.map((t) => t.id));
    const byTitle = (title: string) => numbers.get(catalogue.find((t) => t.title.sv === title)!.id);
    expect(byTitle('Hänvisande aktör')).toBe(2);
    expect(byTitle('De tio vanligaste nationaliteterna')).toBe(3);
    expect(new Set(numbers.values()).size).toBe(catalogue.length);
    for (const t of catalogue.filter((x) => x.printed)) expect(t.printed!.number, t.id).toBe(numbers.get(t.id));
  });
});

describe('the printed numbers where the web app reads them', () => {
  it('serves each table\'s printed number in the catalogue of /api/codes, as the contract declares it', async () => {
    const { catalogueDocument } = await import('../../src/stats/catalogue.ts');
    const { ReportCatalogue } = await import('../../src/contract/stats.ts');
    const doc = ReportCatalogue.parse(catalogueDocument());
    const numbers = tableNumbers(catalogue.map((t) => t.id));
    const served = doc.tables.filter((t) => t.printed);
    expect(served.length).toBeGreaterThan(10);
    for (const t of served) expect(t.printed!.number, t.id).toBe(numbers.get(t.id as never));
    expect(served.find((t) => t.title.sv === 'Hänvisande aktör')!.printed!.number).toBe(2);
  });
});
