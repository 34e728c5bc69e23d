// The civil-society and support-programme annual reports in chromium on the demo instance (the demo
// seeded through the command line, then the real server): the public reads /statistik/civilsamhallet/2024
// and /statistik/stodprogrammen/2023 with every table as a numbered <table> whose counts are the API's
// (or ".." where suppressed), how many answered, the downloads (one fetched), no axe violations and
// no sideways scroll at 1280 and 390 px; the English page and the language switch keep the report; a
// year without a published release is the app's not-found page with 404; /statistik links to both
// reports. The statistician freezes a civil-society release in the web app, sees it in that source's
// list, opens it, sets its röjandeskydd (threshold, width and zeros only: the source's report publishes
// every table), publishes it, reads what the protection stored with each suppressed cell named from the
// report, and finds it at its public address. Screenshots go to test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { root } from '../../web/dev/harness.ts';
import type { SourceReportView } from '../../src/stats/sources/types.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-source-reports: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const statistician = { username: 'statistiker-kallor', password: 'Ljunghed-vid-Vänern-i-septembersol-2026!', role: 'statistician' };
const shots = path.join(root, 'test-results/screenshots');

let server: WebServer | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: [statistician], setup: (cli) => cli(['seed', '--demo']) });
  fs.mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

type Listed = { id: string; year: number; number: number; kind: string; published: boolean; source?: string };

/** What the public reads (no session). */
async function publicApi<T>(p: string): Promise<T> {
  const res = await fetch(`${server!.url}${p}`);
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
}

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
const heading = (page: Page) => page.locator('#main-heading');
const fmt = (n: number, lang: 'sv' | 'en') => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE').format(n);

async function newPage(width: number, locale = 'sv-SE'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** The page agrees with the API's view: title, each table's caption, counts or "..", how many answered; the downloads. */
async function expectReport(page: Page, view: SourceReportView, lang: 'sv' | 'en') {
  // The first reader of a release's report waits for its files to be written on a busy machine.
  await page.getByTestId('reporter').waitFor({ timeout: 120_000 });
  expect(await heading(page).textContent()).toContain(`${view.title} ${view.year}`);
  expect(await page.getByTestId('reporter').textContent()).toContain(view.reporter);
  const word = lang === 'sv' ? 'Tabell' : 'Table';
  const tables = [...view.tables].sort((a, b) => a.number - b.number);
  expect(tables.length).toBeGreaterThan(0);
  expect((await page.locator('main table caption').allTextContents()).map((c) => c.trim())).toEqual(tables.map((t) => `${word} ${t.number}. ${t.title}`));
  let seenSuppressed = false;
  let seenCount = false;
  for (const table of tables) {
    const block = page.locator(`[data-table="${table.id}"]`);
    expect(await block.getByTestId('answered').textContent(), table.id).toContain(
      `${table.n_answered === null ? '..' : fmt(table.n_answered, lang)} ${lang === 'sv' ? 'svarade' : 'answered'}`,
    );
    // Each row's count cells (one per column code of a cross table) are the API's counts, ".." where suppressed.
    for (const row of table.row_codes) {
      const cells = await block.locator(`tr[data-row="${row.code}"] td.num`).allTextContents();
      for (const [j, column] of (table.column_codes ?? [undefined]).entries()) {
        const cell = table.rows.find((r) => r.code === row.code && r.column === column?.code);
        const expected = cell?.count === null ? '..' : fmt(cell?.count ?? 0, lang);
        // A cross table with percentages prints "count (percent %)".
        expect(cells[j].split(' (')[0], `${table.id} ${row.code} ${column?.code ?? ''}`).toBe(expected);
        if (expected === '..') seenSuppressed = true;
        else if (cell && cell.count) seenCount = true;
      }
    }
    if (table.rows.some((r) => r.count === null)) await block.getByTestId('suppressed-note').waitFor();
  }
  expect(seenSuppressed && seenCount).toBe(true);
  // The downloads are at the top, for this release, in the page's language.
  const pdf = page.getByRole('link', { name: lang === 'sv' ? 'Rapport (PDF)' : 'Report (PDF)' });
  expect(await pdf.getAttribute('href')).toBe(`/api/stats/source-report/download?release=${view.release.id}&format=pdf&lang=${lang}`);
  const csvHref = await page.getByRole('link', { name: lang === 'sv' ? 'Tabeller (CSV)' : 'Tables (CSV)' }).getAttribute('href');
  const csv = await fetch(`${server!.url}${csvHref}`);
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(await csv.text()).toContain(tables[0].row_codes[0].label);
  expect(await page.locator('main').textContent()).not.toMatch(/\b(null|NaN|undefined)\b/);
}

describe.skipIf(!hasChromium)('the civil-society and support-programme reports', { timeout: 300_000 }, () => {
  it('the public reads each report at 1280 and 390 px: tables, counts, downloads, no axe violations, no sideways scroll', async () => {
    for (const [base, source, year] of [
      ['/statistik/civilsamhallet', 'civil_society', 2024],
      ['/statistik/stodprogrammen', 'support_programme', 2023],
    ] as const) {
      const view = await publicApi<SourceReportView>(`/api/stats/source-report?source=${source}&year=${year}&lang=sv`);
      expect(view.form).toBe('protected');
      for (const width of [1280, 390]) {
        const page = await newPage(width);
        const res = await page.goto(`${server!.url}${base}/${year}`);
        expect(res?.status()).toBe(200);
        await expectReport(page, view, 'sv');
        // Where a table has a figure, the chart is drawn and says where its figures are.
        const figures = view.tables.filter((t) => t.figure_title && t.rows.some((r) => (r.count ?? 0) > 0));
        expect(await page.locator('figure.chart').count()).toBe(figures.length);
        if (figures.length) await page.locator('figure.chart svg.simple-chart').first().waitFor();
        // The source's years and releases: the shown release is listed and marked as the year's.
        await page.locator(`[data-testid="releases"] [data-release="${view.release.id}"]`).waitFor();
        expect(await noSideways(page), `${base} at ${width}`).toBe(true);
        await expectNoAxeViolations(page);
        await page.screenshot({ path: path.join(shots, `kallrapport-${source}-${width}.png`), fullPage: true });
        await page.context().close();
      }
    }
  });

  it('English page, the language switch keeping the report, one release’s address, and the not-found page', async () => {
    const en = await publicApi<SourceReportView>('/api/stats/source-report?source=civil_society&year=2024&lang=en');
    const page = await newPage(390, 'en-GB');
    expect((await page.goto(`${server!.url}/en/statistics/civil-society/2024`))?.status()).toBe(200);
    await expectReport(page, en, 'en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await noSideways(page)).toBe(true);
    await expectNoAxeViolations(page);
    // The switch leads to the same report in Swedish, and back.
    await page.getByRole('link', { name: 'På svenska' }).click();
    await page.waitForURL((u) => u.pathname === '/statistik/civilsamhallet/2024');
    const sv = await publicApi<SourceReportView>('/api/stats/source-report?source=civil_society&year=2024&lang=sv');
    await expect.poll(() => heading(page).textContent(), { timeout: 60_000 }).toContain(`${sv.title} 2024`);
    await page.getByRole('link', { name: 'In English' }).click();
    await page.waitForURL((u) => u.pathname === '/en/statistics/civil-society/2024');

    // One release at its own address, the same in either language.
    const release = sv.release.id!;
    for (const p of [`/statistik/civilsamhallet/2024/${release}`, `/en/statistics/civil-society/2024/${release}`]) {
      expect((await page.goto(`${server!.url}${p}`))?.status(), p).toBe(200);
      await page.locator(`[data-testid="releases"] [data-release="${release}"] a[aria-current="page"]`).waitFor();
    }

    // A year or a release the source has not published, or another source's release: the app's 404 page.
    for (const p of ['/statistik/civilsamhallet/2019', '/statistik/stodprogrammen/2023/2023-stp-99', `/statistik/stodprogrammen/2024/${release}`, '/en/statistics/support-programmes/2019']) {
      const res = await page.goto(`${server!.url}${p}`);
      expect(res?.status(), p).toBe(404);
      await expect.poll(() => heading(page).textContent(), { message: p, timeout: 30_000 }).toBe(p.startsWith('/en/') ? 'Page not found' : 'Sidan finns inte');
    }
    await page.context().close();
  });

  it('the statistics page links to each report’s newest published year', async () => {
    const page = await newPage(1280);
    await page.goto(`${server!.url}/statistik`);
    const other = page.getByTestId('other-reports');
    for (const source of ['civil_society', 'support_programme'] as const) {
      const { items } = await publicApi<{ items: Listed[] }>(`/api/stats/releases?source=${source}`);
      const newest = Math.max(...items.filter((r) => r.published).map((r) => r.year));
      const base = source === 'civil_society' ? '/statistik/civilsamhallet' : '/statistik/stodprogrammen';
      await other.locator(`a[href="${base}/${newest}"]`).waitFor();
    }
    await page.context().close();
  });

  it('the statistician freezes a civil-society release, finds it in its list, publishes it and reaches its public page', async () => {
    const page = await newPage(1280);
    await signIn(page, server!.url, statistician);
    await page.goto(`${server!.url}/statistiker/utgavor`);
    const list = page.getByTestId('releases-civil_society');
    await list.locator('tbody tr').first().waitFor();
    const before = (await page.evaluate(async () => (await fetch('/api/stats/releases?source=civil_society')).json())) as { items: Listed[] };
    const id = `2025-civ-${Math.max(0, ...before.items.filter((r) => r.year === 2025).map((r) => r.number)) + 1}`;
    expect(await list.locator('tbody tr').count()).toBe(before.items.length);
    await expectNoAxeViolations(page);

    await page.getByLabel('Källa').selectOption({ label: 'Civilsamhället' });
    await page.getByLabel('År').selectOption('2025');
    await page.getByLabel('Typ').selectOption({ label: 'Preliminär' });
    await page.getByRole('button', { name: 'Frys …' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('från civilsamhället för 2025');
    await dialog.getByRole('button', { name: 'Ja, frys' }).click();
    await expect.poll(() => page.getByTestId('release-outcome').textContent(), { timeout: 60_000 }).toContain(`Utgåva ${id} är fryst`);
    const row = list.locator(`[data-release="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(new RegExp(`${id}.*2025.*preliminär.*Intern`));
    // Not among the coordinators' releases.
    expect(await page.getByTestId('releases').locator(`[data-release="${id}"]`).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'kallrapport-utgavor.png'), fullPage: true });

    // Its page: internal, with the address it will have.
    await page.getByRole('link', { name: `Förhandsgranska ${id}` }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 30_000 }).toBe(`Förhandsgranskning av utgåva ${id}`);
    await expect.poll(() => page.getByTestId('public-page').textContent(), { timeout: 60_000 }).toContain('/statistik/civilsamhallet/2025');
    await page.locator('main table caption').first().waitFor();

    // Its röjandeskydd: threshold, width and zeros; no table choice or table-builder pairs, which a
    // source's report does not have. A new threshold is saved and the other rules kept. (A lower one:
    // a stricter one would hide cells the year's published release shows, which publishing refuses.)
    const policyForm = page.getByTestId('policy-form');
    await expect.poll(() => policyForm.getByLabel('Tröskel').inputValue(), { timeout: 30_000 }).toBe('3');
    await policyForm.getByTestId('policy-source-lead').waitFor();
    expect(await policyForm.locator('#policy-public_tables').count()).toBe(0);
    expect(await policyForm.getByTestId('policy-exclusions').count()).toBe(0);
    type Policy = { version: number; policy: { threshold: number; public_tables: string[]; builder_exclusions: unknown[] } };
    const policyOf = () => page.evaluate(async (r) => (await fetch(`/api/stats/releases/${r}/policy`)).json(), id) as Promise<Policy>;
    const policyBefore = await policyOf();
    await policyForm.getByLabel('Tröskel').fill('x');
    await policyForm.getByRole('button', { name: 'Spara reglerna' }).click();
    await expect.poll(() => policyForm.getByLabel('Tröskel').getAttribute('aria-invalid')).toBe('true');
    expect((await policyOf()).version).toBe(policyBefore.version);
    await policyForm.getByLabel('Tröskel').fill('2');
    await policyForm.getByRole('button', { name: 'Spara reglerna' }).click();
    await expect.poll(() => page.getByTestId('policy-saved').textContent()).toContain(`Reglerna är sparade (version ${policyBefore.version + 1})`);
    const policyAfter = await policyOf();
    expect(policyAfter.policy).toEqual({ ...policyBefore.policy, threshold: 2 });
    await expectNoAxeViolations(page);

    // Published from the list; then its page links to the public page, which the public reaches.
    await page.getByRole('link', { name: 'Till utgåvorna' }).click();
    await row.getByRole('button', { name: `Publicera ${id}` }).click();
    await dialog.waitFor();
    expect(await dialog.locator('#confirm-text').textContent()).toContain('/statistik/civilsamhallet/2025');
    await dialog.getByRole('button', { name: 'Ja, publicera' }).click();
    await expect.poll(() => page.getByTestId('release-outcome').textContent(), { timeout: 120_000 }).toContain(`Utgåva ${id} är publicerad.`);
    await page.getByRole('link', { name: `Förhandsgranska ${id}` }).click();
    const link = page.getByTestId('public-page').getByRole('link');
    await link.waitFor();
    // What publishing stored, under the saved rules, each suppressed cell named in words from the report.
    const summary = page.getByTestId('protection-summary');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toContain('tröskel 2');
    const stored = (await page.evaluate(async (r) => (await fetch(`/api/stats/releases/${r}/policy`)).json(), id)) as {
      protection: { audit: { passed: boolean; cells: { id: string }[] }; reasons: Record<string, string>; linked?: { forced: string[] } };
    };
    expect(stored.protection.audit.passed).toBe(true);
    expect(stored.protection.audit.cells.length).toBeGreaterThan(0);
    const view = (await page.evaluate(async (r) => (await fetch(`/api/stats/source-report?source=civil_society&year=2025&release=${r}&form=exact&lang=sv`)).json(), id)) as SourceReportView;
    const tablesWithCells = new Set(stored.protection.audit.cells.map((c) => c.id.split('|')[0]));
    const summaries = (await summary.locator('summary').allTextContents()).map((x) => x.trim());
    expect(summaries).toHaveLength(tablesWithCells.size);
    for (const table of view.tables.filter((x) => tablesWithCells.has(x.id))) {
      expect(summaries.some((x) => x.startsWith(`Tabell ${table.number}. ${table.title}:`)), table.id).toBe(true);
    }
    expect(await summary.locator('tbody tr').count()).toBe(stored.protection.audit.cells.length);
    // No cell id or code left in the words: each row header is "heading: label".
    for (const cell of await summary.locator('tbody th').allTextContents()) expect(cell).not.toMatch(/\||\b(total|answered|missing|persons)\b/);
    await expectNoAxeViolations(page);
    // A cell hidden only because the year's earlier release hides it says so.
    const forced = (stored.protection.linked?.forced ?? []).filter((c) => !stored.protection.reasons[c]);
    expect(forced.length).toBeGreaterThan(0);
    for (const c of forced) expect(await summary.locator(`tr[data-cell="${c}"] td`).first().textContent(), c).toBe('Dold i en tidigare utgåva av året');
    await summary.locator('summary').first().click();
    await summary.screenshot({ path: path.join(shots, 'kallrapport-rojandeskydd.png') });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/statistik\/civilsamhallet\/2025(\/2025-civ-\d+)?$/);
    expect((await fetch(`${server!.url}${href}`)).status).toBe(200);
    expect((await fetch(`${server!.url}/statistik/civilsamhallet/2025/${id}`)).status).toBe(200);
    await page.context().close();
  });
});
