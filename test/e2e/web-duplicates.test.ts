// The review of possible duplicates in chromium (/dubbletter): a coordinator sees and resolves the
// pairs of their own region only, never a pair that reaches into another region; the statistician
// sees and resolves the pairs across regions, and the national overview of unique people follows the
// resolutions. Both in Swedish and English, axe clean at 1280 and 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-duplicates: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const coordinator = { username: 'koordinator-dubbletter', password: 'Vitsippor-längs-Fyrisån-i-aprilregn-2025!', role: 'coordinator', region: 'stockholm' };
const statistician = { username: 'statistiker-dubbletter', password: 'Tranor-över-Hornborgasjön-i-gryningen-2025!', role: 'statistician' };
const local = 'a1'.repeat(32);
const national = 'b2'.repeat(32);
// Imported in this order: STH-2025-0001 and -0002 share a key (Stockholm's own pair), STH-2025-0003
// shares one with NRD-2025-0001 (a pair across regions: the statistician's).
const casesCsv = [
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by,linkage_key',
  `coordinator,stockholm,2025-02-03,trafficking,female,23,adult,sexual,,RO,police,${local}`,
  `coordinator,stockholm,2025-03-04,trafficking,female,23,adult,sexual,,RO,police,${local}`,
  `coordinator,stockholm,2025-04-05,exploitation,male,41,adult,labour,berry_picking,TH,police,${national}`,
  `coordinator,nord,2025-05-06,exploitation,male,41,adult,labour,berry_picking,TH,police,${national}`,
].join('\n');

let server: WebServer | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: [coordinator, statistician], casesCsv });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

const rows = (page: Page) => page.getByTestId('duplicates').locator('tbody tr');

async function resolveFirst(page: Page, button: string, shown: string) {
  const row = rows(page).first();
  await row.getByRole('button', { name: button }).click();
  await expect.poll(() => row.getByTestId('resolution').textContent()).toContain(shown);
  expect(await row.getByRole('button', { name: button }).getAttribute('aria-pressed')).toBe('true');
}

describe.skipIf(!hasChromium)('reviewing possible duplicates', { timeout: 240_000 }, () => {
  it('a coordinator reviews their own region’s pair and learns nothing of the pair across regions', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, coordinator);
      await page.getByRole('navigation').getByRole('link', { name: 'Dubbletter' }).click();
      await page.waitForURL((u) => u.pathname === '/dubbletter');
      await page.goto(`${server!.url}/dubbletter?ar=2025`);
      await rows(page).first().waitFor();
      expect(await rows(page).count()).toBe(1);
      expect(await rows(page).first().locator('th').textContent()).toBe('STH-2025-0001 och STH-2025-0002');
      expect(await rows(page).first().locator('td').first().textContent()).toBe('I din region eller organisation');
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).not.toContain('STH-2025-0003');
      expect(text).not.toContain('NRD-');
      await resolveFirst(page, width === 1280 ? 'Samma person' : 'Olika personer', width === 1280 ? 'Samma person' : 'Olika personer');
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    }
  });

  it('the statistician reviews the pair across regions, in Swedish and English', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, statistician);
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Dubbletter' }).count()).toBe(1);
      await page.goto(`${server!.url}/dubbletter?ar=2025`);
      await rows(page).first().waitFor();
      expect(await rows(page).count()).toBe(1);
      expect(await rows(page).first().locator('th').textContent()).toMatch(/^(STH-2025-0003 och NRD-2025-0001|NRD-2025-0001 och STH-2025-0003)$/);
      expect(await rows(page).first().locator('td').first().textContent()).toBe('Mellan regioner, organisationer eller källor');
      expect((await page.locator('main').textContent()) ?? '').not.toContain('STH-2025-0002');
      await resolveFirst(page, 'Olika personer', 'Olika personer');
      // the national overview: four coordinator records, the two pairs resolved as different persons
      const total = page.getByTestId('unique-people').locator('tr[data-combination="total"] td');
      await expect.poll(() => total.textContent()).toBe('4');
      expect(await page.getByTestId('unique-people').locator('tr[data-combination="coordinator"] td').textContent()).toBe('4');
      expect(await page.getByTestId('unique-people').locator('tr[data-combination="coordinator+civil_society"] th').textContent()).toBe('Regionkoordinatorer + Civilsamhället');
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.getByRole('button', { name: 'In English' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Possible duplicates 2025');
      expect(await rows(page).first().locator('td').first().textContent()).toBe('Across regions, organisations or sources');
      await resolveFirst(page, 'Same person', 'Same person');
      await expect.poll(() => total.textContent()).toBe('3');
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    }
  });
});
