// The public table builder in chromium against the real server (bin/lagesbild start) on the demo
// dataset, on the embedded database and, when TEST_DATABASE_URL is set, on PostgreSQL: reached from
// the statistics page, it says the figures are perturbed and by how much, builds the table asked
// for with every value equal to the API's, shows no 1 or 2, never offers an excluded pair, shows a
// refusal's message, has no axe violations and fits 390 px. Screenshots go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, screenshotPath, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-table-builder: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

type Answer = { table: { cells: { key: Record<string, string>; count: number }[] } };

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`the public table builder (${database})`, { timeout: 180_000 }, () => {
  let server: WebServer | null = null;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebServer({ users: [], demo: true, database });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(server);
  });

  async function newPage(width = 1280, locale = 'sv-SE'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    return page;
  }

  it('is linked from the statistics page, explains the noise and builds the chosen table as the API counts it', async () => {
    const page = await newPage();
    await page.goto(`${server!.url}/statistik`);
    await page.getByRole('link', { name: 'Bygg en egen tabell' }).click();
    await page.waitForURL(/\/statistik\/tabell$/);
    await expect.poll(() => page.locator('#main-heading').textContent()).toBe('Bygg en egen tabell');
    await expect.poll(() => page.getByTestId('protection').textContent()).toContain('högst 2 uppåt eller nedåt');
    await expect.poll(() => page.getByTestId('protection').textContent()).toContain('1–2 visas aldrig');
    await page.locator('#main').getByText('Därför behöver raderna inte summera till totalen').waitFor();

    await page.getByLabel('Indelning 1').selectOption('sex');
    await page.getByLabel('Indelning 2').selectOption('category');
    await page.getByRole('button', { name: 'Visa tabell' }).click();
    await page.waitForURL(/dimensions=sex%2Ccategory|dimensions=sex,category/);
    const table = page.getByTestId('built-table');
    await expect.poll(() => table.getByRole('heading', { level: 2 }).textContent()).toBe('Personer efter kön, exploateringsform, 2025');

    const api = (await (await fetch(`${server!.url}/api/stats/table?dimensions=sex,category`)).json()) as Answer;
    const total = api.table.cells.find((c) => Object.keys(c.key).length === 0)!.count;
    await expect.poll(() => table.getByTestId('table-total').textContent()).toBe(String(total));
    // Labour (the row) for women (the column): the API's cell, as printed.
    const labourWomen = api.table.cells.find((c) => c.key.sex === 'female' && c.key.category === 'labour')!.count;
    const labourRow = table.getByRole('row', { name: /^Arbetskraft/ });
    const headers = await table.getByRole('columnheader').allInnerTexts();
    const cells = await labourRow.getByRole('cell').allInnerTexts();
    expect(cells[headers.indexOf('Kvinna/flicka') - 1].replace(/\s/g, '')).toBe(String(labourWomen));
    const values = (await table.getByRole('cell').allInnerTexts()).map((v) => v.replace(/\s/g, ''));
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((v) => v === '1' || v === '2')).toEqual([]);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: screenshotPath('table-builder', database), fullPage: true });
  });

  it('never offers an excluded pair and shows a refused table’s message', async () => {
    const page = await newPage();
    await page.goto(`${server!.url}/statistik/tabell`);
    await page.locator('#main-heading').waitFor();
    await page.getByLabel('Indelning 1').selectOption('nationality');
    const offered = await page.getByLabel('Indelning 2').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain('sex');
    for (const excluded of ['category', 'crime_type', 'referred_by', 'nationality']) expect(offered).not.toContain(excluded);

    await page.getByLabel('Indelning 2').selectOption('sex');
    await page.getByRole('button', { name: 'Visa tabell' }).click();
    await expect.poll(() => page.getByTestId('table-error').textContent()).toContain('fler celler (1004) än utgåvan har personer');
    // The refusal names no count of persons (481 in the demo release).
    expect(await page.getByTestId('table-error').textContent()).not.toContain('481');
    expect(await page.getByTestId('built-table').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('works in English and at 390 px without the page scrolling sideways', async () => {
    const page = await newPage(390, 'en-GB');
    await page.goto(`${server!.url}/en/statistics/table?dimensions=group,category`);
    await expect.poll(() => page.locator('#main-heading').textContent()).toBe('Build your own table');
    await expect.poll(() => page.getByTestId('protection').textContent()).toContain('at most 2 up or down');
    await expect.poll(() => page.getByTestId('built-table').getByRole('heading', { level: 2 }).textContent()).toBe('Persons by sex and age, form of exploitation, 2025');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: screenshotPath('table-builder-390', database), fullPage: true });
  });
});
