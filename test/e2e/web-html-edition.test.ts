// The annual report's accessible HTML edition as the public gets it: downloaded from its link on
// /statistik/2025 (an attachment, the stored file), then opened in the browser with the network cut
// off — it asks for nothing, axe finds nothing at 1280 and 390 px, and it does not scroll sideways
// on a phone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { inventedCaseRows, inventedCasesHeader } from '../support/case-fixtures.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, publishThroughApi, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-html-edition: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

// Invented cases of one year: every form, some children, some of unknown sex.
const casesCsv = [
  inventedCasesHeader,
  ...inventedCaseRows(2025, 50, {
    forms: ['labour', 'sexual', 'labour', 'begging', 'labour;sexual', 'criminality'],
    regions: ['stockholm', 'syd', 'vast', 'nord'],
    nationalities: ['RO', 'TH', 'NG', 'UA', 'BG'],
  }),
].join('\n');

let server: WebServer | undefined;
let browser: Browser;
const statistician = { username: 'statistiker-html', password: 'Domherre-i-rönnbärsträdet-2025!', role: 'statistician' };

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: [statistician], casesCsv });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  // The final release of 2025, frozen and published by the statistician through the API.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.url, statistician);
  const id = await publishThroughApi(page, 2025);
  expect(id).toBe('2025-1');
  await context.close();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

describe.skipIf(!hasChromium)('the accessible HTML edition', { timeout: 300_000 }, () => {
  it('downloads from the statistics page as one file that opens offline, asks for nothing, is axe clean and fits a phone', async () => {
    // The link on the public page, signed out.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server!.url}/statistik/2025`);
    const link = page.getByRole('link', { name: 'HTML (tillgänglig utgåva)' });
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain('format=html');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('rk-statistik-2025.html');
    const html = readFileSync((await download.path())!, 'utf8');
    // Served as an attachment, the same stored bytes each time.
    const res = await fetch(new URL(href, server!.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="rk-statistik-2025.html"');
    expect(await res.text()).toBe(html);
    expect(html).toContain('Slutlig statistik 2025, utgåva 1');
    await context.close();

    // Opened with every request recorded and refused.
    const offline = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const requests: string[] = [];
    await offline.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const view = await offline.newPage();
    view.on('request', (r) => requests.push(r.url()));
    await view.setContent(html, { waitUntil: 'load' });
    expect(await view.locator('html').getAttribute('lang')).toBe('sv');
    expect(await view.getByRole('heading', { level: 1 }).textContent()).toContain('2025');
    expect(await view.locator('table caption').count()).toBeGreaterThan(5);
    expect(await view.getByRole('img').count()).toBeGreaterThan(2);
    await expectNoAxeViolations(view);

    await view.setViewportSize({ width: 390, height: 844 });
    await expectNoAxeViolations(view);
    expect(await view.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The figures shrink to the column: none is wider than the page.
    const widths = await view.locator('figure svg').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    for (const right of widths) expect(right).toBeLessThanOrEqual(390);
    expect(requests).toEqual([]);
    await offline.close();
  });
});
