// The national overview of unique people on the public statistics page, in chromium on the demo
// instance: /statistik/2025 shows how many persons any source knows of and the overlaps between the
// regional coordinators, civil society and the support programmes — the demo's persons known to two
// or three sources counted once — as a captioned table equal to the API's protected figures, in
// Swedish and English, without axe violations or sideways scrolling at 1280 and 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PublicUniquePeople } from '../../src/contract/index.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-national-overview: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

let server: WebServer | undefined;
let browser: Browser;
let seeded = '';

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: [], setup: (cli) => (seeded = cli(['seed', '--demo'])) });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

async function overviewRows(width: number, path: string, locale: string): Promise<{ page: Page; rows: string[][] }> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 }, locale })).newPage();
  await page.goto(`${server!.url}${path}`);
  const table = page.getByTestId('national-overview').locator('table');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
  return { page, rows };
}

describe.skipIf(!hasChromium)('the national overview on the public statistics page', { timeout: 240_000 }, () => {
  it('seed --demo names every release it published, the coordinators\' and each source\'s', () => {
    const ids = seeded.split('\n').slice(1).filter(Boolean).map((line) => line.trim().split('\t')[0]);
    expect(seeded.split('\n')[0]).toBe('Demodata inlagd, 5 utgåvor (slutliga, publicerade):');
    expect(ids).toEqual(['2025-1', '2024-civ-1', '2025-civ-1', '2023-stp-1', '2025-stp-1']);
    for (const line of seeded.split('\n').slice(1).filter(Boolean)) expect(line).toMatch(/\tslutlig\t\d+ ärenden\tpublicerad \d{4}-\d\d-\d\d\t[0-9a-f]{12}\tDEMO$/);
  });

  it('shows the union and every overlap of 2025 as the API publishes them, each person once', async () => {
    const res = await fetch(`${server!.url}/api/stats/unique-people/public?year=2025`);
    expect(res.status).toBe(200);
    const api = (await res.json()) as PublicUniquePeople;
    const combo = (key: string) => api.combinations.find((c) => c.sources.join('+') === key)!.persons;
    // The demo's persons in several sources (src/stats/sources/demo-keys.ts).
    expect(combo('coordinator+civil_society+support_programme')).toBe(10);
    expect(combo('coordinator+civil_society')).toBe(50);
    expect(combo('coordinator+support_programme')).toBe(30);
    expect(combo('civil_society+support_programme')).toBe(20);
    const sum = api.combinations.reduce((n, c) => n + (c.persons ?? 0), 0);
    expect(api.persons.persons).toBe(sum);
    expect(api.persons.persons).toBeLessThan(Object.values(api.by_source).reduce((n, f) => n + (f.persons ?? 0), 0));

    const fmt = (n: number | null) => (n === null ? '..' : new Intl.NumberFormat('sv-SE').format(n));
    const { page, rows } = await overviewRows(1280, '/statistik/2025', 'sv-SE');
    expect(rows[0]).toEqual(['Någon källa (unika personer)', fmt(api.persons.persons)]);
    expect(rows).toContainEqual(['Regionkoordinatorerna', fmt(api.by_source.coordinator.persons)]);
    expect(rows).toContainEqual(['Både regionkoordinatorerna och civilsamhället', fmt(50)]);
    expect(rows).toContainEqual(['Alla tre källorna', fmt(10)]);
    expect(rows).toHaveLength(1 + 3 + 7);
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('reads in English and fits a phone', async () => {
    const { page, rows } = await overviewRows(390, '/en/statistics/2025', 'en-GB');
    expect(rows).toContainEqual(['Both the regional coordinators and civil society', '50']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
