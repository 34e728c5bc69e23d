// The coordinator's start page in chromium against the real server: it opens on the latest year
// with cases, and lists the cases needing attention — open for long, missing answers the report
// needs, a possible duplicate — each linked to its case, on a desktop and on a phone, with axe.
// The page asks the server once for the year (not once per figure). On the embedded database and,
// when TEST_DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-start-page: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const coordinator = { username: 'rk-startsida', password: 'Fjallbjork-och-dvargbjork-vid-Abisko-2025!' };
const twin = 'c3'.repeat(32);
// Three Stockholm cases of 2025 (long before today): one complete, one without age, two with the same key.
const casesCsv = [
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by,linkage_key',
  'coordinator,stockholm,2025-02-03,exploitation,male,41,adult,labour,berry_picking,TH,police,',
  'coordinator,stockholm,2025-03-04,trafficking,female,,unknown,sexual,,RO,police,',
  `coordinator,stockholm,2025-04-05,trafficking,female,23,adult,sexual,,NG,police,${twin}`,
  `coordinator,stockholm,2025-05-06,trafficking,female,23,adult,sexual,,NG,social_services,${twin}`,
].join('\n');

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`the coordinator start page (${database})`, { timeout: 180_000 }, () => {
  let server: WebServer | null = null;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebServer({ users: [{ ...coordinator, role: 'coordinator', region: 'stockholm' }], casesCsv, database });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(server);
  });

  async function startPage(width: number): Promise<{ page: Page; requests: string[] }> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' })).newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/cases')) requests.push(u.pathname + u.search);
    });
    await signIn(page, server!.url, coordinator);
    await page.waitForURL(/\/oversikt/);
    await page.getByTestId('attention-cases').waitFor();
    return { page, requests };
  }

  it('opens on 2025 and lists every case needing attention with its reasons and a link', async () => {
    const { page, requests } = await startPage(1280);
    await page.getByRole('heading', { name: 'Stockholm 2025', exact: true }).waitFor();
    expect(requests.filter((r) => r.startsWith('/api/cases/overview'))).toEqual(['/api/cases/overview?year=2025']);
    expect(requests.filter((r) => r.startsWith('/api/cases?'))).toEqual([]);
    const items = await page.getByTestId('attention-cases').locator('li').allTextContents();
    expect(items).toHaveLength(4);
    expect(items[0]).toMatch(/2025-02-03: öppet mer än 90 dagar$/);
    expect(items[1]).toMatch(/2025-03-04: öppet mer än 90 dagar; saknar åldersgrupp$/i);
    expect(items[2]).toMatch(/2025-04-05: öppet mer än 90 dagar; möjlig dubblett$/);
    const figures = await page.getByTestId('attention').locator('.key-figure').allTextContents();
    expect(figures).toEqual(['4öppna mer än 90 dagar', '1saknar uppgifter till årsrapporten', '2möjliga dubbletter']);
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Granska möjliga dubbletter' }).click();
    await page.waitForURL(/\/dubbletter\?ar=2025/);
    await page.goBack();
    await page.getByTestId('attention-cases').getByRole('link').nth(1).click();
    await page.waitForURL(/\/arenden\/[0-9A-Z]+$/);
    await page.context().close();
  });

  it('on a phone the list fits the screen without sideways scrolling', async () => {
    const { page } = await startPage(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
