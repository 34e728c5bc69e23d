import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableTitle } from '../../src/publish/labels.ts';
import { renderPdf } from '../../src/publish/pdf.ts';
import { computeReport } from '../../src/stats/engine.ts';
import { fixtureReport } from '../publish-fixture.ts';

const hasPoppler = ['pdftotext', 'pdftoppm'].every((cmd) => spawnSync(cmd, ['-v']).error === undefined);
if (!hasPoppler) console.warn('publish-pdf: pdftotext/pdftoppm missing (apt-get install poppler-utils); PDF content checks skipped');

const report = fixtureReport();
const dir = mkdtempSync(path.join(tmpdir(), 'publish-pdf-'));
const results = path.resolve('test-results');

function write(name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return file;
}

/** The text of each page, whitespace collapsed. */
function pages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p) => p.trim()).map((p) => p.replace(/\s+/g, ' '));
}

/** Share of non-white pixels of a binary greyscale PGM (P5, 8 bit). */
function inkShare(pgm: Buffer): number {
  const header = pgm.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (let i = 0; i < width * height; i++) if (pixels[i] < 200) ink++;
  return ink / (width * height);
}

describe.skipIf(!hasPoppler)('renderPdf', () => {
  let file: string;
  let text: string[];

  beforeAll(async () => {
    const pdf = await renderPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    file = write('report.pdf', pdf);
    text = pages(file);
  });

  it('opens with the title page: title, year and release', () => {
    expect(text[0]).toContain('Regionkoordinatorernas statistik om människohandel och människoexploatering 2025');
    expect(text[0]).toContain('2025-final-1');
    expect(text[0]).toContain('Slutlig');
    expect(text.join(' ')).not.toContain('DEMO');
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
    expect(all).toContain('Figur 8. De tio vanligaste nationaliteterna');
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
    expect(demo.length).toBe(text.length);
    for (const page of demo) expect(page).toContain('DEMO – syntetiska uppgifter');
  });

  it('writes the report in English when asked', async () => {
    const en = pages(write('en.pdf', await renderPdf(report, 'en'))).join(' ');
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
