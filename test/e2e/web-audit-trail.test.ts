// The audit trail in chromium (/granskning): the statistician filters by a case's reference and by
// operation and sees the matching rows with usernames and operation names, and the chain's state
// (unbroken through the head) with the anchor taken before the server started; a coordinator sees
// their region's rows without the chain's state. axe clean, no sideways scroll at 1280 and 390 px.
// On the embedded database and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-audit-trail: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const statistician = { username: 'statistiker-granskning', password: 'Lövsångare-i-björkhagen-vid-Ekoln-2025!', role: 'statistician' };
const coordinator = { username: 'koordinator-granskning', password: 'Sjöfåglar-över-Mälaren-en-majkväll-2025!', role: 'coordinator', region: 'stockholm' };
const casesCsv = [
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by',
  'coordinator,stockholm,2025-02-03,trafficking,female,23,adult,sexual,,RO,police',
  'coordinator,stockholm,2025-03-04,exploitation,male,41,adult,labour,berry_picking,TH,police',
].join('\n');

const rows = (page: Page) => page.getByTestId('audit-table').locator('tbody tr');
const cellTexts = async (page: Page, testId: string) => (await rows(page).getByTestId(testId).allTextContents()).map((s) => s.trim());

async function search(page: Page, fields: { case?: string; operation?: string }) {
  const form = page.getByTestId('audit-filters');
  await form.getByLabel('Ärende').fill(fields.case ?? '');
  await form.getByLabel('Händelse').selectOption(fields.operation ? { label: fields.operation } : { value: '' });
  await form.getByRole('button', { name: 'Sök' }).click();
}

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`the audit trail (${database})`, { timeout: 240_000 }, () => {
  let server: WebServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebServer({ users: [statistician, coordinator], casesCsv, database, setup: (cli) => void cli(['audit', 'anchor']) });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(server);
  });

  it('the statistician finds a case’s rows by reference and operation, with usernames, and sees the chain unbroken', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, statistician);
      // A read of the first case, to find in the trail.
      await page.goto(`${server!.url}/arenden/STH-2025-0001`);
      await page.locator('main').getByText('STH-2025-0001').first().waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Granskningslogg' }).click();
      await page.waitForURL((u) => u.pathname === '/granskning');

      const chain = page.getByTestId('audit-chain-state');
      await expect.poll(() => chain.textContent(), { timeout: 30_000 }).toMatch(/^Kedjan är obruten till och med rad \d+\.$/);
      expect(await page.getByTestId('audit-chain-anchor').textContent()).toMatch(/^Senaste ankare: rad \d+, .+, hash [0-9a-f]{64}$/);

      await search(page, { case: 'STH-2025-0001', operation: 'Läste ärende' });
      await page.waitForURL((u) => u.searchParams.get('arende') === 'STH-2025-0001' && u.searchParams.get('operation') === 'case.read');
      await expect.poll(async () => [...new Set(await cellTexts(page, 'audit-operation'))], { timeout: 30_000 }).toEqual(['Läste ärende']);
      expect(new Set(await cellTexts(page, 'audit-user'))).toEqual(new Set([statistician.username]));
      expect(new Set(await cellTexts(page, 'audit-cases'))).toEqual(new Set(['STH-2025-0001']));
      expect(await rows(page).first().getByRole('link', { name: 'STH-2025-0001' }).getAttribute('href')).toMatch(/^\/arenden\/[0-9A-Z]+$/);

      // The case alone: its import by the command line too, never the other case's rows.
      await search(page, { case: 'STH-2025-0001' });
      await page.waitForURL((u) => u.searchParams.get('arende') === 'STH-2025-0001' && !u.searchParams.has('operation'));
      await expect.poll(() => cellTexts(page, 'audit-operation')).toContain('Importerade ärenden');
      expect(await cellTexts(page, 'audit-operation')).toContain('Läste ärende');
      expect(await rows(page).filter({ hasText: 'Importerade ärenden' }).getByTestId('audit-user').textContent()).toBe('systemet (cli)');
      expect(await cellTexts(page, 'audit-cases')).not.toContain('STH-2025-0002');

      // By operation alone: the searches of the trail, each by this statistician.
      await search(page, { operation: 'Sökte i granskningsloggen' });
      await page.waitForURL((u) => u.searchParams.get('operation') === 'audit.search' && !u.searchParams.has('arende'));
      // The previous search's rows stay until the new answer arrives: wait for the answer itself.
      await expect.poll(async () => [...new Set(await cellTexts(page, 'audit-operation'))], { timeout: 30_000 }).toEqual(['Sökte i granskningsloggen']);
      expect(await rows(page).count()).toBeGreaterThan(1);
      expect(await page.locator('[aria-busy="true"]').count()).toBe(0);
      expect(new Set(await cellTexts(page, 'audit-user'))).toEqual(new Set([statistician.username]));

      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    }
  });

  it('a coordinator sees their region’s rows, without the chain’s state', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, coordinator);
      await page.getByRole('navigation').getByRole('link', { name: 'Granskningslogg' }).click();
      await page.waitForURL((u) => u.pathname === '/granskning');
      await rows(page).first().waitFor();
      expect(await page.getByTestId('audit-chain').count()).toBe(0);
      const cases = await cellTexts(page, 'audit-cases');
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(c).toMatch(/^STH-2025-000[12](, STH-2025-000[12])?$/);
      expect(await cellTexts(page, 'audit-user')).toContain(statistician.username);
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    }
  });
});
