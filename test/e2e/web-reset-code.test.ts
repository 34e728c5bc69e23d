// In chromium against the real server: the administrator makes a one-time code for a coordinator in
// the user list (shown once with its expiry); the coordinator follows the sign-in page's link, is
// told each field's error beside it (empty, a wrong code), sets a new password with the code and
// signs in with it. A code made on the command line (`users reset-code`) is used on the English page
// on a phone, a weak password refused under its field. axe finds nothing at 1280 and 390 px.
// On the embedded database and, when TEST_DATABASE_URL is set, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

const ADMIN = { username: 'admin-kodtest', password: 'Tallbarr-och-mossa-vid-sjon-2025', role: 'admin' };
const COORDINATOR = { username: 'koordinator-kodtest', password: 'Granris-och-lingon-i-skogen-2025', role: 'coordinator', region: 'syd' };
const STATISTICIAN = { username: 'statistiker-kodtest', password: 'Havtorn-och-strandraag-vid-kusten-2025', role: 'statistician' };
const NEW_PASSWORD = 'sju sorters kakor hos mormor i Ljusdal';
const codePattern = /[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}/;

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`a new password with a one-time code in the browser (${database})`, { timeout: 240_000 }, () => {
  let server: WebServer;
  let browser: Browser;
  let cliCode = '';

  beforeAll(async () => {
    server = await startWebServer({
      users: [ADMIN, COORDINATOR, STATISTICIAN],
      database,
      setup: (cli) => {
        const out = cli(['users', 'reset-code', '--username', STATISTICIAN.username]);
        cliCode = codePattern.exec(out)?.[0] ?? '';
      },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(server);
  });

  async function newPage(width: number, locale = 'sv-SE'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    return page;
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  /** The error shown under a field: the ids of its messages are in the input's aria-describedby. */
  async function fieldError(page: Page, id: string): Promise<string> {
    const input = page.locator(`#${id}`);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    const texts = await Promise.all(ids.map((i) => page.locator(`[id="${i}"]`).innerText()));
    return texts.join(' ');
  }

  it('the administrator makes a code; the coordinator sets a new password with it and signs in', async () => {
    expect(cliCode).toMatch(codePattern);
    const admin = await newPage(1280);
    await signIn(admin, server.url, ADMIN);
    await admin.waitForURL(/\/admin\/anvandare$/);
    const row = admin.getByTestId('users').getByRole('row', { name: new RegExp(COORDINATOR.username) });
    await row.getByRole('button', { name: `Skapa engångskod för ${COORDINATOR.username}` }).click();
    const outcome = admin.getByTestId('outcome');
    await outcome.getByText(`Engångskod för ${COORDINATOR.username}:`).waitFor();
    const shown = await outcome.innerText();
    const code = codePattern.exec(shown)?.[0];
    expect(code).toBeDefined();
    expect(shown).toMatch(/gäller till .*och en gång/);
    await expectNoAxeViolations(admin);
    expect(await noSideways(admin)).toBe(true);

    const user = await newPage(1280);
    await user.goto(`${server.url}/logga-in`);
    await user.getByRole('link', { name: 'Har du fått en engångskod?' }).click();
    await user.waitForURL(/\/aterstall-losenord$/);
    await user.getByRole('heading', { level: 1, name: 'Nytt lösenord med engångskod' }).waitFor();
    // nothing filled in: each field says so
    await user.getByRole('button', { name: 'Spara nytt lösenord' }).click();
    for (const id of ['reset-username', 'reset-code', 'reset-new', 'reset-again']) expect(await fieldError(user, id)).toContain('Fyll i fältet.');
    await expectNoAxeViolations(user);

    // a wrong code: refused under the code field, as a code of nobody would be
    await user.locator('#reset-username').fill(COORDINATOR.username);
    await user.locator('#reset-code').fill('AAAA-BBBB-CCCC');
    await user.locator('#reset-new').fill(NEW_PASSWORD);
    await user.locator('#reset-again').fill(NEW_PASSWORD);
    await user.getByRole('button', { name: 'Spara nytt lösenord' }).click();
    await user.locator('#main').getByText('Koden stämmer inte eller har gått ut.').first().waitFor();
    expect(await fieldError(user, 'reset-code')).toContain('Koden stämmer inte eller har gått ut.');
    expect(await user.locator('#reset-username').getAttribute('aria-invalid')).toBeNull();
    await expectNoAxeViolations(user);

    // the right code, typed in lower case
    await user.locator('#reset-code').fill(code!.toLowerCase());
    await user.getByRole('button', { name: 'Spara nytt lösenord' }).click();
    await user.getByTestId('outcome').getByText('Lösenordet är sparat. Logga in med det nya lösenordet.').waitFor();
    await expectNoAxeViolations(user);
    await user.getByRole('link', { name: 'Till inloggningen' }).click();
    await user.waitForURL(/\/logga-in$/);
    await signIn(user, server.url, { username: COORDINATOR.username, password: NEW_PASSWORD });
    await user.waitForURL(/\/oversikt/);

    // the old password no longer signs in
    const again = await newPage(1280);
    await again.goto(`${server.url}/logga-in`);
    await again.getByLabel('Användarnamn').fill(COORDINATOR.username);
    await again.getByLabel('Lösenord').fill(COORDINATOR.password);
    await again.getByRole('button', { name: 'Logga in' }).click();
    await again.locator('#main').getByText('Fel användarnamn eller lösenord.').waitFor();
  });

  it('on a phone, in English: a code from the command line, a weak password refused under its field, then the new one', async () => {
    const phone = await newPage(390, 'en-GB');
    await phone.goto(`${server.url}/en/sign-in`);
    await phone.getByRole('link', { name: 'Have you been given a one-time code?' }).click();
    await phone.waitForURL(/\/en\/reset-password$/);
    await phone.getByRole('heading', { level: 1, name: 'New password with a one-time code' }).waitFor();
    await phone.locator('#reset-username').fill(STATISTICIAN.username);
    await phone.locator('#reset-code').fill(cliCode);
    await phone.locator('#reset-new').fill('short one');
    await phone.locator('#reset-again').fill('short two');
    await phone.getByRole('button', { name: 'Save new password' }).click();
    expect(await fieldError(phone, 'reset-again')).toContain('The passwords differ.');
    await phone.locator('#reset-again').fill('short one');
    await phone.getByRole('button', { name: 'Save new password' }).click();
    await phone.getByText(/at least 15 characters/).last().waitFor();
    expect(await fieldError(phone, 'reset-new')).toMatch(/at least 15 characters/);
    await expectNoAxeViolations(phone);
    expect(await noSideways(phone)).toBe(true);

    await phone.locator('#reset-new').fill(NEW_PASSWORD);
    await phone.locator('#reset-again').fill(NEW_PASSWORD);
    await phone.getByRole('button', { name: 'Save new password' }).click();
    await phone.getByTestId('outcome').getByText('The password is saved. Sign in with the new password.').waitFor();
    await expectNoAxeViolations(phone);
    expect(await noSideways(phone)).toBe(true);
    await signIn(phone, server.url, { username: STATISTICIAN.username, password: NEW_PASSWORD });
  });
});
