// In chromium against the real server (bin/lagesbild start, an empty instance, on the embedded
// database and, with TEST_DATABASE_URL, on PostgreSQL): the coordinator
// imports a file through the import page (the template offered, the same file refused until
// confirmed), then works the case list: sorting by a column header (mouse and keyboard, aria-sort),
// numbered pages with "Visar 26–50 av N", the export of the list as filtered, and on a phone the
// filters folded behind "Filter (n)" so the results come first. axe clean at 1280 and 390 px.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumArgs, chromiumPath, testUser } from '../../web/dev/harness.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { xlsxRecords } from '../../src/registry/xlsx.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets } from '../support/db.ts';
import { startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`web-case-list: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

// The server of the database target being walked (one after the other).
let work: WebServer | null = null;
let browser: Browser;

beforeAll(async () => {
  if (hasChromium) browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signIn(page: Page) {
  await page.goto(`${work!.url}/logga-in`);
  await page.getByLabel('Användarnamn').fill(testUser.username);
  await page.getByLabel('Lösenord').fill(testUser.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/\/oversikt/);
}

const day = (i: number) => new Date(Date.UTC(2025, 0, 1 + i * 3)).toISOString().slice(0, 10);
// 30 cases of Stockholm on different days, not in date order in the file.
const file = casesToCsv(Array.from({ length: 30 }, (_, i) => coordinatorCase({ region: 'stockholm', identified_on: day((i * 7) % 30) }) as CaseData));

const dates = (page: Page) => page.getByTestId('case-table').locator('tbody tr td:nth-child(2)').allTextContents();
const sortOf = (page: Page, key: string) => page.getByTestId(`sort-${key}`).getAttribute('aria-sort');

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`the coordinator imports and works the case list in the browser (${database})`, { timeout: 240_000 }, () => {
  // The coordinator added on the command line, as an operator does it.
  beforeAll(async () => {
    work = await startWebServer({ users: [{ ...testUser, role: 'coordinator' }], database });
  }, 240_000);
  afterAll(async () => {
    await stopWebServer(work);
    work = null;
  });

  it('imports once, refuses the same file until confirmed, offers the template', async () => {
    const page = await newPage();
    await signIn(page);
    await page.goto(`${work!.url}/import`);
    const template = page.waitForEvent('download');
    await page.getByTestId('import-template').click();
    const header = fs.readFileSync((await (await template).path())!, 'utf8');
    expect(header.replace(/^\ufeff/, '')).toMatch(/^source,organisation_id,region,identified_on,/);
    expect(parseCasesCsv(header).rows).toEqual([]);

    const upload = async () => {
      await page.getByLabel('CSV- eller XLSX-fil').setInputFiles({ name: 'arenden.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
      await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    };
    await upload();
    await page.getByTestId('import-result').getByText('30 ärenden importerades.').waitFor();
    await upload();
    await page.getByTestId('import-result').getByText(/^Samma fil importerades redan \d{4}-\d\d-\d\d kl\. \d\d:\d\d\./).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Importera filen ändå' }).click();
    await page.getByTestId('import-result').getByText('30 ärenden importerades.').waitFor();

    // Another file whose rows are cases already registered: warned of by line before anything is imported.
    const rows = file.split('\r\n');
    await page.getByLabel('CSV- eller XLSX-fil').setInputFiles({ name: 'igen.csv', mimeType: 'text/csv', buffer: Buffer.from([rows[0], rows[2], rows[1], ''].join('\r\n')) });
    await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    await page.getByTestId('import-result').getByText('2 rader är likadana som ärenden som redan finns (rad 2, 3). Importerar du ändå registreras de en gång till.').waitFor();
    await page.getByRole('button', { name: 'Importera filen ändå' }).waitFor();
    await expectNoAxeViolations(page);
  });

  it('sorts by a header with mouse and keyboard, pages by number, exports the list as filtered', async () => {
    const page = await newPage();
    await signIn(page);
    await page.goto(`${work!.url}/arenden`);
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('Visar 1–25 av 60');
    expect(await sortOf(page, 'identified_on')).toBe('none');

    await page.getByTestId('sort-identified_on').getByRole('button').click();
    await page.waitForURL(/sort=identified_on/);
    await expect.poll(() => sortOf(page, 'identified_on')).toBe('ascending');
    await expect.poll(async () => (await dates(page)).length).toBe(25);
    const asc = await dates(page);
    expect(asc).toEqual([...asc].sort());
    expect(asc[0]).toBe(day(0));

    // The keyboard: Enter on the focused header button turns the order round.
    await page.getByTestId('sort-identified_on').getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=-identified_on/);
    await expect.poll(() => sortOf(page, 'identified_on')).toBe('descending');
    await expect.poll(async () => (await dates(page))[0]).toBe(day(29));

    // Numbered pages: page 2 shows 26–50 in the same order, the last page the rest.
    const nav = page.getByRole('navigation', { name: 'Sidor' });
    await nav.getByRole('button', { name: 'Sida 2' }).click();
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('Visar 26–50 av 60');
    expect(await nav.getByRole('button', { name: 'Sida 2' }).getAttribute('aria-current')).toBe('page');
    expect(page.url()).toMatch(/sort=-identified_on/);
    await nav.getByRole('button', { name: 'Sista' }).click();
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('Visar 51–60 av 60');
    await expect.poll(async () => (await dates(page)).at(-1)).toBe(day(0));
    await nav.getByRole('button', { name: 'Första' }).click();
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('Visar 1–25 av 60');
    await expectNoAxeViolations(page);

    // A part of a reference finds it; the export takes the same filter.
    const reference = (await page.getByTestId('case-table').locator('tbody tr th').first().textContent())!;
    await page.getByLabel('Sök på referens').fill(reference.slice(-4).toLowerCase());
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await expect.poll(() => page.getByTestId('case-table').locator('tbody tr th').allTextContents()).toContain(reference);
    const shown = await page.getByTestId('case-table').locator('tbody tr th').allTextContents();
    const download = page.waitForEvent('download');
    await page.getByTestId('case-export').click();
    const exported = parseCasesCsv(fs.readFileSync((await (await download).path())!, 'utf8'));
    expect(exported.rows).toHaveLength(shown.length);
    // The same list as a workbook: the CSV's table, row for row, as the importer reads it back.
    const workbook = page.waitForEvent('download');
    await page.getByTestId('case-export-xlsx').click();
    expect((await workbook).suggestedFilename()).toMatch(/^lagesbild-arenden.*\.xlsx$/);
    const sheet: string[][] = [];
    for await (const record of xlsxRecords(fs.readFileSync((await (await workbook).path())!))) sheet.push(record.cells);
    const csvTable = fs.readFileSync((await (await download).path())!, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(sheet).toHaveLength(csvTable.length);
    const referenceColumn = sheet[0].indexOf('reference');
    expect(sheet.slice(1).map((row) => row[referenceColumn]).sort()).toEqual([...shown].sort());

    // Without a filter the export holds every case of the list.
    await page.goto(`${work!.url}/arenden`);
    const all = page.waitForEvent('download');
    await page.getByTestId('case-export').click();
    expect(parseCasesCsv(fs.readFileSync((await (await all).path())!, 'utf8')).rows).toHaveLength(60);
  });

  it('on a phone the filters fold behind "Filter (n)" and the results come first, without sideways scrolling', async () => {
    const page = await newPage(390);
    await signIn(page);
    await page.goto(`${work!.url}/arenden?status=open`);
    await page.getByTestId('case-table').waitFor();
    const toggle = page.getByRole('button', { name: 'Filter (1)' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('more-filters').isVisible()).toBe(false);
    // The first result is on the first screen.
    const first = await page.getByTestId('case-table').locator('tbody tr').first().boundingBox();
    expect(first!.y).toBeLessThan(900 + 400);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('more-filters').isVisible()).toBe(true);
    await expectNoAxeViolations(page);
  });
});
