// Every page of the web app, signed out and signed in as each role, in chromium at 1280 and 390 px
// on the demo dataset: each opens as itself (its own heading, not the 404 page, no error shown,
// nothing still loading), axe finds nothing, and nothing scrolls sideways. The journeys test what
// the pages do; this sweep makes sure that none of them is left out of the checks every page must pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer, type WebUser } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-every-page: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const password = 'Kungsfiskare-vid-Svartån-en-oktobermorgon-2025!';
const users = {
  coordinator: { username: 'rk-alla-sidor', password, role: 'coordinator', region: 'stockholm' },
  statistician: { username: 'statistiker-alla-sidor', password, role: 'statistician' },
  admin: { username: 'admin-alla-sidor', password, role: 'admin' },
  reporter: { username: 'forening-alla-sidor', password, role: 'organisation_reporter', organisation: 'demo-civilsamhalle' },
  officer: { username: 'nsp-alla-sidor', password, role: 'programme_officer', organisation: 'demo-nsp' },
} satisfies Record<string, WebUser>;

const publicPages = [
  '/',
  '/en',
  '/statistik',
  '/statistik/2025',
  '/statistik/2025/2025-1',
  '/en/statistics',
  '/en/statistics/2025/2025-1',
  '/statistik/tabell',
  '/en/statistics/table',
  '/statistik/civilsamhallet/2024',
  '/en/statistics/civil-society/2025',
  '/statistik/stodprogrammen/2023',
  '/en/statistics/support-programmes/2025',
  '/hjalp',
  '/en/help',
  '/logga-in',
  '/en/sign-in',
  '/aterstall-losenord',
  '/en/reset-password',
];
// `{case}` is a case the user may read: the first of their list.
const pagesOf: Record<keyof typeof users, string[]> = {
  coordinator: ['/oversikt', '/arenden', '/arenden/nytt', '/arenden/{case}', '/arenden/{case}/andra', '/import', '/dubbletter', '/granskning', '/konto/losenord'],
  statistician: ['/oversikt', '/statistiker/kvalitet', '/statistiker/utgavor', '/statistiker/utgavor/2025-1', '/statistiker/utgavor/2024-civ-1', '/statistiker/jamfor', '/dubbletter', '/granskning', '/konto/losenord'],
  admin: ['/admin/anvandare', '/admin/organisationer', '/granskning', '/konto/losenord'],
  reporter: ['/oversikt', '/arenden', '/arenden/nytt', '/arenden/{case}', '/konto/losenord'],
  officer: ['/oversikt', '/arenden', '/arenden/nytt', '/arenden/{case}', '/konto/losenord'],
};

let server: WebServer | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({ users: Object.values(users), demo: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

/** Opens `path` and checks what every page must be; `notFound` for the address that is no page. */
async function checkPage(page: Page, path: string, width: number, notFound = false) {
  const where = `${path} at ${width} px`;
  await page.goto(server!.url + path);
  await page.locator('#main-heading').waitFor();
  // Loading is done when no spinner is left and no region is marked busy.
  await expect.poll(() => page.locator('main .ds-spinner, main [aria-busy="true"]').count(), { message: `${where} still loading`, timeout: 30_000 }).toBe(0);
  const heading = (await page.locator('h1').first().textContent())?.trim() ?? '';
  if (notFound) expect(heading, where).toBe('Sidan finns inte');
  else expect(heading, `${where} is the 404 page`).not.toMatch(/^(Sidan finns inte|Page not found)$/);
  expect(await page.locator('main .ds-alert[data-color="danger"]').allTextContents(), `${where} shows an error`).toEqual([]);
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${where} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe.skipIf(!hasChromium)('every page', { timeout: 600_000 }, () => {
  it('signed out: the public pages and the 404 page', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      for (const path of publicPages) await checkPage(page, path, width);
      await checkPage(page, '/finns/inte', width, true);
      await context.close();
    }
  });

  for (const [role, user] of Object.entries(users) as [keyof typeof users, WebUser][]) {
    it(`signed in as ${role}: each of the role's pages`, async () => {
      for (const width of [1280, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
        const page = await context.newPage();
        await signIn(page, server!.url, user);
        const paths = pagesOf[role];
        let caseId = '';
        if (paths.some((p) => p.includes('{case}'))) {
          caseId = await page.evaluate(async () => ((await (await fetch('/api/cases?pageSize=1')).json()) as { items: { id: string }[] }).items[0]?.id ?? '');
          expect(caseId, `${role} has a case to open`).not.toBe('');
        }
        for (const path of paths) await checkPage(page, path.replace('{case}', caseId), width);
        await context.close();
      }
    });
  }
});
