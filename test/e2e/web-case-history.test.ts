// In chromium against the real server (bin/lagesbild start, an empty instance, on the embedded
// database and, when TEST_DATABASE_URL is set, on PostgreSQL): a case's history
// names who acted and what happened in words, in both languages; the "saved" message does not outlive
// the next act; the chosen language survives a reload; public pages ask for the session without an
// error in the console; a wrong address is the app's own 404 page, at 1280 and 390 px, axe clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testUser } from '../../web/dev/harness.ts';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';

if (!hasChromium) console.warn(`web-case-history: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`case history, language and addresses in the browser (${database})`, { timeout: 180_000 }, () => {
  let work: WebServer | null = null;
  let browser: Browser;

  beforeAll(async () => {
    work = await startWebServer({ users: [{ ...testUser, role: 'coordinator' }], database });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(work);
  });

  async function newPage(width = 1280): Promise<{ page: Page; consoleErrors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => {
      throw e;
    });
    return { page, consoleErrors };
  }

  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  it('the history says who and what in words; "saved" goes at the next act; the language survives a reload', async () => {
    const { page } = await newPage();
    await signIn(page, work!.url, testUser);
    await page.waitForURL(/\/oversikt/);
    const created = await page.evaluate(async (c) => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/cases', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(c) });
      return (await res.json()) as { id: string; reference: string };
    }, coordinatorCase({ region: 'stockholm', identified_on: '2025-06-06' }));

    // Saved through the form: the case page greets with "saved" …
    await page.goto(`${work!.url}/arenden/${created.id}/andra`);
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.waitForURL(new RegExp(`/arenden/${created.id}$`));
    const saved = page.locator('#main').getByText(`Ärendet ${created.reference} är sparat.`);
    await saved.waitFor();
    // … which is gone once the case is closed.
    await page.getByRole('button', { name: 'Avsluta ärendet' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('Avslutat');
    expect(await saved.count()).toBe(0);

    const history = page.getByTestId('history');
    const cells = async (column: number) => history.locator(`tbody tr td:nth-child(${column})`).allTextContents();
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3);
    // Children of a row: version (th), time, by, event, status, changes.
    expect(await cells(4)).toEqual(['Registrerat', 'Ändrat', 'Avslutat']);
    expect(new Set(await cells(3))).toEqual(new Set([`${testUser.username} (regionkoordinator, Stockholm)`]));
    expect((await history.textContent()) ?? '').not.toMatch(/[0-9A-HJKMNP-TV-Z]{26}|\bcreate\b|\bclose\b/);
    await expectNoAxeViolations(page);

    // English: the switch is named by its visible text, the history follows, and a reload keeps it.
    await page.getByRole('button', { name: 'In English', exact: true }).click();
    await expect.poll(() => cells(4)).toEqual(['Registered', 'Changed', 'Closed']);
    await expect.poll(() => cells(3)).toContain(`${testUser.username} (regional coordinator, Stockholm)`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Case ${created.reference}` }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => cells(4)).toEqual(['Registered', 'Changed', 'Closed']);
    await page.goto(`${work!.url}/arenden`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // Back to Swedish, and that too is kept.
    await page.getByRole('button', { name: 'På svenska', exact: true }).click();
    await page.reload();
    await page.locator('#main-heading').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');

    // At 390 px the case page fits without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${work!.url}/arenden/${created.id}`);
    await page.getByTestId('history').waitFor();
    expect(await noSideways(page)).toBe(true);
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('public pages ask for the session without a console error; wrong addresses are the app\'s 404 page', async () => {
    for (const width of [1280, 390]) {
      const { page, consoleErrors } = await newPage(width);
      for (const p of ['/', '/hjalp', '/logga-in', '/en']) {
        await page.goto(work!.url + p);
        await page.locator('#main-heading').waitFor();
        await page.waitForLoadState('networkidle');
      }
      expect(consoleErrors).toEqual([]);

      const sv = await page.goto(`${work!.url}/finns/inte`);
      expect(sv?.status()).toBe(404);
      await page.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
      await expectNoAxeViolations(page);
      expect(await noSideways(page)).toBe(true);

      const en = await page.goto(`${work!.url}/en/anything`);
      expect(en?.status()).toBe(404);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await expectNoAxeViolations(page);

      // A trailing slash lands on the page itself.
      await page.goto(`${work!.url}/hjalp/`);
      expect(new URL(page.url()).pathname).toBe('/hjalp');
      await page.locator('#main-heading').waitFor();
      expect(await page.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).count()).toBe(0);
      // The page's icon is served.
      const icon = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
        const res = await fetch(href);
        return { href: new URL(href).pathname, status: res.status, type: res.headers.get('content-type') };
      });
      expect(icon).toMatchObject({ href: '/favicon.svg', status: 200, type: expect.stringMatching(/^image\/svg\+xml/) });
      await page.context().close();
    }
  });
});
