// The public statistics read right on a phone: a release published with a high disclosure threshold
// shows its suppressed figures in the charts as ".." in their place (not as a missing bar), and at
// 390 px every heading fits its box, the long Swedish compounds breaking at their joints with a
// visible hyphen while the heading's text, accessible name and copied text stay the plain words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inventedCaseRows, inventedCasesHeader } from '../support/case-fixtures.ts';
import { chromiumArgs, chromiumPath, hasChromium, publishThroughApi, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-statistics-legibility: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

// Invented cases of one year, every form, some children, several nationalities: with a threshold of
// 10 the small groups are suppressed and the large ones are not.
const nationalities = ['RO', 'TH', 'RO', 'UA', 'TH', 'PL', 'VN', 'RO', 'TH', 'NG'];
const casesCsv = [inventedCasesHeader, ...inventedCaseRows(2025, 90, { nationalities })].join('\n');

const statistician = { username: 'statistiker-lasbarhet', password: 'Lappmes-i-granskogen-vid-Kvikkjokk-2025!', role: 'statistician' };
let server: WebServer | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: [statistician], casesCsv });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, statistician);
  // 2025 frozen and published with counts 1 … 9 unsafe, through the API as the statistician does it.
  const id = await publishThroughApi(page, 2025, { threshold: 10 });
  expect(id).toBe('2025-1');
  await context.close();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

type Point = { label: string; series: string; value: number | null; text: string };
type Chart = { id: string; spec: { data: { values: Point[] }; layer: { mark: { type: string } }[] } };

async function open(width: number, path: string, lang = 'sv-SE'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
  const page = await context.newPage();
  await page.goto(`${server!.url}${path}`);
  // Pages load on a busy two-core machine: a poll waits for them (no timed assertion).
  await page.getByTestId('key-figures').waitFor({ timeout: 60_000 });
  await page.locator('figure.chart').first().waitFor();
  await expect
    .poll(async () => (await page.locator('figure.chart').count()) === (await page.locator('figure.chart svg.simple-chart').count()), { timeout: 60_000 })
    .toBe(true);
  return page;
}

describe.skipIf(!hasChromium)('the public statistics on a phone and with suppressed figures', { timeout: 300_000 }, () => {
  it('shows a suppressed figure of a bar chart as ".." in its label and series slot', async () => {
    const charts = (await (await fetch(`${server!.url}/api/stats/charts?year=2025`)).json()) as Chart[];
    const bars = charts.filter((c) => c.spec.layer.some((l) => l.mark.type === 'bar'));
    const suppressed = bars.map((c) => ({ id: c.id, points: c.spec.data.values.filter((p) => p.value === null && p.text === '..') })).filter((c) => c.points.length);
    expect(suppressed.length, 'the release has a bar chart with a suppressed figure').toBeGreaterThan(0);
    for (const width of [390, 1280]) {
      const page = await open(width, '/statistik/2025');
      for (const c of suppressed) {
        const shown = await page.locator(`#figure-${c.id} svg .suppressed-label`).evaluateAll((ts) =>
          ts.map((t) => ({ label: t.closest('g[data-label]')?.getAttribute('data-label'), series: t.getAttribute('data-series'), text: t.textContent, visible: t.getBoundingClientRect().width > 0 })),
        );
        expect(shown, `${c.id} at ${width}`).toEqual(c.points.map((p) => ({ label: p.label, series: p.series, text: '..', visible: true })));
      }
      await page.context().close();
    }
  });

  it('fits every heading at 390 px, breaking "människoexploatering" at its joint with a hyphen; name and copied text plain', async () => {
    for (const [path, lang] of [
      ['/statistik', 'sv-SE'],
      ['/statistik/2025', 'sv-SE'],
      ['/en/statistics', 'en-GB'],
      ['/en/statistics/2025', 'en-GB'],
    ] as const) {
      const page = await open(390, path, lang);
      const headings = await page.locator(':is(h1, h2, h3)').evaluateAll((hs) =>
        hs.filter((h) => h.getClientRects().length).map((h) => ({ text: h.textContent, over: h.scrollWidth - h.clientWidth, right: h.getBoundingClientRect().right })),
      );
      expect(headings.length, path).toBeGreaterThan(10);
      expect(headings.filter((h) => h.over > 0 || h.right > 390), path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      await page.context().close();
    }

    const page = await open(390, '/statistik');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server!.url });
    const plain = 'Statistik om människohandel och människoexploatering 2025';
    const h1 = page.locator('#main-heading');
    expect(await h1.textContent()).toBe(plain);
    // The line breaks where the joint is: the text before it ends one line, the text after it starts
    // the next, and the joint's hyphen is drawn (the soft hyphen has a width only where the line breaks).
    const joint = await h1.evaluate((h) => {
      const shy = [...h.querySelectorAll('.shy')].find((s) => s.previousSibling?.textContent?.endsWith('människo') && s.nextSibling?.textContent?.startsWith('exploatering'))!;
      const rects = (n: Node) => {
        const r = document.createRange();
        r.selectNodeContents(n);
        return [...r.getClientRects()];
      };
      const before = rects(shy.previousSibling!);
      const after = rects(shy.nextSibling!);
      const lineHeight = parseFloat(getComputedStyle(h).lineHeight);
      return {
        height: h.getBoundingClientRect().height / lineHeight,
        lastBefore: before[before.length - 1].top,
        firstAfter: after[0].top,
        hyphen: shy.getBoundingClientRect().width,
        content: getComputedStyle(shy, '::before').content,
      };
    });
    expect(joint.height).toBeGreaterThan(1.5);
    expect(joint.firstAfter).toBeGreaterThan(joint.lastBefore);
    expect(joint.hyphen).toBeGreaterThan(0);
    expect(joint.content).toBe('"\u00ad" / ""');

    // Chromium's accessible name of the heading (and of anything else) is the plain text.
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
    const names = nodes.filter((n) => n.role?.value === 'heading').map((n) => n.name?.value ?? '');
    expect(names).toContain(plain);
    expect(nodes.filter((n) => n.name?.value.includes('\u00ad'))).toEqual([]);
    expect(await page.getByRole('heading', { level: 1, name: plain, exact: true }).count()).toBe(1);

    // Copied, the heading is the plain words.
    await h1.evaluate((h) => {
      const r = document.createRange();
      r.selectNodeContents(h);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(r);
    });
    await page.keyboard.press('Control+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plain);
    await page.context().close();
  });
});
