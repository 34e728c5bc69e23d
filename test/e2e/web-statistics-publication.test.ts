// The public statistics as a publication: every published year and release at its own address
// (/statistik/2025, /statistik/2025/2025-1, English alike; an unknown one is the app's 404 page with a
// 404 status), chosen with links, preliminary releases marked; downloads and a contents list at the
// top, tables and figures numbered as the printed report, no raw codes, the key figures adding up
// (the group of unknown sex shown), the workplace-inspection table with its total, the trend's line
// broken at a year without a figure; charts drawn at the column's width with legible labels that do
// not overprint, no sideways scrolling at 390 px, axe clean at 1280 and 390 px; and a print stylesheet
// that prints the report without the page's chrome on fewer pages. On the embedded database and
// (with TEST_DATABASE_URL) on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inventedCaseRows, inventedCasesHeader } from '../support/case-fixtures.ts';
import { dbTargets, type DbTarget } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-statistics-publication: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

// Invented cases: two years, every form, some persons of unknown sex, some found in a workplace inspection.
const casesCsv = [inventedCasesHeader, ...inventedCaseRows(2023, 40), ...inventedCaseRows(2025, 60)].join('\n');

// The server of the database target being walked (one after the other).
let server: WebServer | undefined;
let browser: Browser;

const statistician = { username: 'statistiker-publikation', password: 'Lavskrika-i-fjällbjörkskogen-2025!', role: 'statistician' };

beforeAll(async () => {
  if (hasChromium) browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

async function startPublication(database: DbTarget) {
  server = await startWebServer({ users: [statistician], casesCsv, database });
  // 2023: a preliminary release only; 2025: a preliminary release, then the final one (2024 has
  // none: the trend's total has no figure for it). Frozen and
  // published by the statistician through the API (the command line would start the database each time).
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, statistician);
  const outcome = await page.evaluate(async () => {
    const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const post = async (url: string, body?: unknown) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body ?? {}) });
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    const ids: string[] = [];
    for (const [year, kind] of [[2023, 'preliminary'], [2025, 'preliminary'], [2025, 'final']] as const) {
      const { id } = await post('/api/stats/releases', { year, kind });
      await post(`/api/stats/releases/${id}/publish`);
      ids.push(id);
    }
    return ids;
  });
  expect(outcome).toEqual(['2023-1', '2025-1', '2025-2']);
  await context.close();
}

type Row = Record<string, string | number | null>;
type Report = { year: number; release: { id: string; kind: string }; tables: { id: string; rows: Row[] }[] };
type Codes = { report: { tables: { id: string; role: string | null; printed: { number: number } | null; figures: { id: string }[] }[] } };

async function open(width: number, path: string, lang = 'sv-SE'): Promise<{ page: Page; status: number | undefined }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
  const page = await context.newPage();
  const response = await page.goto(`${server!.url}${path}`);
  return { page, status: response?.status() };
}
const heading = (page: Page) => page.locator('#main-heading');
// Pages load on a busy two-core machine: a poll waits for them (no timed assertion).
const wait = { timeout: 60_000 };
async function chartsDrawn(page: Page) {
  await page.locator('figure.chart').first().waitFor();
  await expect.poll(async () => (await page.locator('figure.chart').count()) === (await page.locator('figure.chart svg.simple-chart').count()), wait).toBe(true);
}

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`the public statistics as a publication (${database})`, { timeout: 300_000 }, () => {
  beforeAll(() => startPublication(database), 600_000);
  afterAll(async () => {
    await stopWebServer(server);
    server = undefined;
  });

  it('answers every published year and release at its own address, chosen with links, and any other with the 404 page', async () => {
    // /statistik: the newest year, its final release.
    let { page, status } = await open(1280, '/statistik');
    expect(status).toBe(200);
    await expect.poll(() => heading(page).textContent(), wait).toContain('2025');
    await expect.poll(() => page.locator('main').textContent(), wait).toContain('Publicering 2 (slutlig) av statistikåret 2025.');
    expect(await page.getByTestId('preliminary').count()).toBe(0);
    // The choice is links with addresses: the years, and the shown year's releases with the preliminary one marked.
    const years = page.getByTestId('years').getByRole('link');
    expect(await years.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['2025', '/statistik/2025'],
      ['2023', '/statistik/2023'],
    ]);
    expect(await page.getByTestId('years').textContent()).toContain('2023 (preliminär)');
    const releases = page.getByTestId('releases').getByRole('link');
    expect(await releases.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['Utgåva 2025-2 (slutlig)', '/statistik/2025/2025-2'],
      ['Utgåva 2025-1 (preliminär)', '/statistik/2025/2025-1'],
    ]);
    // Following a link shows that release, marked as preliminary, at its address.
    await releases.nth(1).click();
    await page.waitForURL(/\/statistik\/2025\/2025-1$/);
    await expect.poll(() => page.locator('main').textContent(), wait).toContain('Publicering 1 (preliminär) av statistikåret 2025.');
    await page.getByTestId('preliminary').waitFor();
    await page.getByTestId('years').getByRole('link', { name: '2023' }).click();
    await page.waitForURL(/\/statistik\/2023$/);
    await expect.poll(() => heading(page).textContent(), wait).toContain('2023');
    await page.getByTestId('preliminary').waitFor();
    await page.context().close();

    // Each address answers 200 with its own release, in both languages.
    for (const [path, release, text] of [
      ['/statistik/2025', '2025-2', 'Publicering 2 (slutlig)'],
      ['/statistik/2025/2025-1', '2025-1', 'Publicering 1 (preliminär)'],
      ['/statistik/2023', '2023-1', 'Publicering 1 (preliminär)'],
      ['/en/statistics/2025', '2025-2', 'Release 2 (final)'],
      ['/en/statistics/2025/2025-1', '2025-1', 'Release 1 (preliminary)'],
    ] as const) {
      ({ page, status } = await open(1280, path));
      expect(status, path).toBe(200);
      await expect.poll(() => page.locator('main').textContent(), { message: path, ...wait }).toContain(text);
      const pdf = await page.locator('a[href*="format=pdf"]').getAttribute('href');
      expect(pdf, path).toContain(`release=${release}`);
      if (path.includes('2025-1') || path.includes('2023')) await page.getByTestId('preliminary').waitFor();
      // The language switch keeps the year and the release.
      const other = path.startsWith('/en/') ? path.replace('/en/statistics', '/statistik') : path.replace('/statistik', '/en/statistics');
      expect(await page.locator('a.lang-switch').getAttribute('href'), path).toBe(other);
      await page.context().close();
    }

    // An unknown year or release (or a release of another year) is the app's own 404 page with a 404 status.
    for (const [path, title] of [
      ['/statistik/2024', 'Sidan finns inte'],
      ['/statistik/2025/2025-9', 'Sidan finns inte'],
      ['/statistik/2023/2025-1', 'Sidan finns inte'],
      ['/en/statistics/2099', 'Page not found'],
    ] as const) {
      ({ page, status } = await open(1280, path));
      expect(status, path).toBe(404);
      await expect.poll(() => heading(page).textContent(), { message: path, ...wait }).toBe(title);
      await page.context().close();
    }
  });

  it('is a publication: downloads and contents at the top, numbered tables and figures, no raw codes, key figures that add up', async () => {
    const report = (await (await fetch(`${server!.url}/api/stats/report?year=2025`)).json()) as Report;
    const codes = (await (await fetch(`${server!.url}/api/codes`)).json()) as Codes;
    const { page } = await open(1280, '/statistik/2025');
    await page.getByTestId('key-figures').waitFor();
    await chartsDrawn(page);

    // Downloads and the contents come before the key figures.
    const before = (a: string, b: string) => page.evaluate(([x, y]) => !!(document.querySelector(x)!.compareDocumentPosition(document.querySelector(y)!) & Node.DOCUMENT_POSITION_FOLLOWING), [a, b]);
    expect(await before('a[href*="format=pdf"]', '#h-key')).toBe(true);
    expect(await before('[data-testid="contents"]', '#h-key')).toBe(true);
    for (const f of ['pdf', 'html', 'xlsx', 'csv', 'json']) expect(await page.locator(`a[href*="format=${f}"]`).count(), f).toBe(1);
    // Every link of the contents leads to a section, figure or table of the page; every table and figure is listed.
    const targets = await page.getByTestId('contents').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const href of targets) expect(await page.locator(href).count(), href).toBe(1);
    for (const t of report.tables) expect(targets, t.id).toContain(`#table-${t.id}`);
    const figureIds = await page.locator('figure.chart').evaluateAll((fs) => fs.map((f) => `#${f.id}`));
    for (const f of figureIds) expect(targets).toContain(f);

    // Tables carry the printed report's numbers (the catalogue's printed.number, as the PDF); figures are 1, 2, 3 … without a gap.
    for (const spec of codes.report.tables.filter((t) => t.printed && report.tables.some((x) => x.id === t.id))) {
      expect(await page.locator(`#table-${spec.id}`).textContent(), spec.id).toMatch(new RegExp(`^Tabell ${spec.printed!.number}\\. `));
    }
    const captions = await page.locator('figure.chart figcaption').allTextContents();
    expect(captions.length).toBeGreaterThan(3);
    expect(captions.map((c) => Number(/^Figur (\d+)\. /.exec(c)?.[1]))).toEqual(captions.map((_, i) => i + 1));

    // No raw code in a table: the row of every person reads "Samtliga", never "all".
    const cells = await page.locator('main table :is(th, td)').allTextContents();
    expect(cells.filter((c) => /^(all|unknown|woman|man|labour|sexual)$/.test(c.trim()))).toEqual([]);
    expect(await page.locator('[data-table="totals"] tbody tr').first().locator('th').first().textContent()).toBe('Samtliga');
    // Singular and plural: never "1 personer".
    expect(await page.locator('main').textContent()).not.toMatch(/(^|[^\d\s])\s?1 personer/);

    // The key figures: the total, and every group with persons, the group of unknown sex among them (".." when suppressed).
    const persons = report.tables.find((t) => t.id === 'totals')!.rows;
    const unknown = persons.find((r) => r.dimension === 'group' && r.code === 'unknown');
    expect(unknown && unknown.count !== 0, 'the fixture has persons of unknown sex').toBe(true);
    const shown = (v: number | null) => (v === null ? '..' : new Intl.NumberFormat('sv-SE').format(v));
    expect(await page.locator('[data-group="unknown"] .value').textContent()).toBe(shown(unknown!.count as number | null));
    const groups = persons.filter((r) => r.dimension === 'group' && r.count !== 0);
    for (const g of groups) expect(await page.locator(`[data-group="${g.code}"] .value`).textContent(), String(g.code)).toBe(shown(g.count as number | null));
    const all = persons.find((r) => r.dimension === 'all')!.count;
    if (all !== null && groups.every((g) => g.count !== null)) expect(groups.reduce((s, g) => s + (g.count as number), 0)).toBe(all);

    // The workplace-inspection table ends with its total: the sum of its rows, ".." when one of them is suppressed.
    const inspections = report.tables.find((t) => t.id === codes.report.tables.find((x) => x.role === 'inspections')!.id)!;
    const sum = inspections.rows.some((r) => r.count === null) ? '..' : String(inspections.rows.reduce((s, r) => s + (r.count as number), 0));
    expect(await page.locator(`[data-table="${inspections.id}"] tfoot`).textContent()).toBe(`Totalt${sum}`);

    // The trend's figure (the only one drawn as lines; its number depends on which figures the
    // protected form can draw): a measure's line is not drawn across a year without its figure.
    const trend = report.tables.find((t) => t.id === codes.report.tables.find((x) => x.role === 'years')!.id)!;
    const trendFigure = page.locator('figure.chart').filter({ has: page.locator('g[data-series]') });
    expect(await trendFigure.count()).toBe(1);
    expect(await trendFigure.locator('figcaption').textContent()).toMatch(/^Figur \d+\. Antal ärenden totalt/);
    const drawn = await trendFigure.locator('svg').evaluate((svg) => ({
      years: Object.fromEntries([...svg.querySelectorAll('text')].filter((t) => /^\d{4}$/.test(t.textContent ?? '')).map((t) => [t.textContent, Number(t.getAttribute('x'))])),
      lines: [...svg.querySelectorAll('g[data-series]')].map((g) => ({
        series: g.getAttribute('data-series')!,
        spans: [...g.querySelectorAll('polyline')].map((p) => p.getAttribute('points')!.split(' ').map((xy) => Number(xy.split(',')[0]))),
      })),
    }));
    const labels = { total: 'Totalt', labour: 'Arbetskraft', sexual: 'Sexuella ändamål' } as const;
    let gaps = 0;
    for (const [measure, series] of Object.entries(labels)) {
      const known = trend.rows.filter((r) => r.measure === measure && r.count !== null).map((r) => Number(r.year));
      const line = drawn.lines.find((l) => l.series === series)!;
      for (let y = Math.min(...known); y < Math.max(...known); y++) {
        if (known.includes(y)) continue;
        gaps++;
        const x = drawn.years[String(y)];
        for (const span of line.spans) expect(x > Math.min(...span) && x < Math.max(...span), `${series} drawn across ${y}`).toBe(false);
      }
    }
    expect(gaps, 'the fixture has a year without a figure inside the trend').toBeGreaterThan(0);
    await page.context().close();
  });

  it('draws the charts at the width of the screen, labels legible and apart, without scrolling sideways; axe clean', async () => {
    for (const width of [1280, 390]) {
      const { page } = await open(width, '/statistik');
      await page.getByTestId('key-figures').waitFor();
      await chartsDrawn(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width}`).toBeLessThanOrEqual(width);
      const charts = await page.locator('figure.chart').evaluateAll((figures) =>
        figures.map((f) => {
          const svg = f.querySelector('svg')!;
          const box = svg.getBoundingClientRect();
          const scale = box.width / svg.viewBox.baseVal.width;
          const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim());
          const boxes = texts.map((t) => {
            const r = t.getBoundingClientRect();
            return { text: t.textContent!, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          });
          const overlaps: string[] = [];
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, b] = [boxes[i], boxes[j]];
              if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) overlaps.push(`${a.text}/${b.text}`);
            }
          return {
            id: f.id,
            figureWidth: f.getBoundingClientRect().width,
            width: box.width,
            smallest: Math.min(...texts.map((t) => Number(t.getAttribute('font-size') ?? getComputedStyle(t).fontSize.replace('px', '')) * scale)),
            overlaps,
          };
        }),
      );
      for (const c of charts) {
        // Drawn at the column's width (no fixed ~600 px), labels at 11 px or more, none overprinting another.
        expect(c.width, `${c.id} at ${width}`).toBeGreaterThan(c.figureWidth - 2);
        expect(c.width, `${c.id} at ${width}`).toBeLessThanOrEqual(c.figureWidth + 0.5);
        expect(c.smallest, `${c.id} at ${width}`).toBeGreaterThanOrEqual(11);
        expect(c.overlaps, `${c.id} at ${width}`).toEqual([]);
      }
      await expectNoAxeViolations(page);
      await page.context().close();
    }
  });

  it('prints the report as a document: no menu, buttons or contents, on fewer pages than without the print stylesheet', async () => {
    const { page } = await open(1280, '/statistik');
    await page.getByTestId('key-figures').waitFor();
    await chartsDrawn(page);
    const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() =>
      ['header.site-header', 'nav', '[data-testid="contents"]', '[data-testid="editions"]', 'footer', 'main button', '.downloads'].map((s) => [
        s,
        [...document.querySelectorAll(s)].every((e) => getComputedStyle(e).display === 'none'),
      ]),
    );
    expect(Object.fromEntries(hidden)).toEqual(Object.fromEntries(hidden.map(([s]) => [s, true])));
    // Headings stay with what follows them; a chart is not cut between pages.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#h-charts')!).breakAfter)).toBe('avoid');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('figure.chart')!).breakInside)).toBe('avoid');
    const printed = pages(await page.pdf({ format: 'A4' }));

    // The same page with the print rules taken out, as it printed before them.
    await page.evaluate(() => {
      for (const sheet of [...document.styleSheets]) {
        let rules: CSSRuleList;
        try {
          rules = sheet.cssRules;
        } catch {
          continue;
        }
        for (let i = rules.length - 1; i >= 0; i--) if (rules[i] instanceof CSSMediaRule && (rules[i] as CSSMediaRule).media.mediaText.includes('print')) sheet.deleteRule(i);
      }
    });
    const unstyled = pages(await page.pdf({ format: 'A4' }));
    console.info(`web-statistics-publication: printed on ${printed} A4 pages with the print stylesheet, ${unstyled} without`);
    expect(printed).toBeGreaterThan(0);
    expect(printed).toBeLessThan(unstyled);
    await page.context().close();
  });
});
