// In chromium against the whole application (src/http/app.ts with the built web app): the
// administrator adds a civil-society organisation and its reporter from the menu's pages (the
// reporter's password made by the service and shown once), the regional offices are fixed; the new
// reporter signs in on a phone and changes their own password, a weak one refused under its field.
// axe finds nothing on any of the pages, at 1280 and 390 px, and no page scrolls sideways. On the
// embedded database and, when TEST_DATABASE_URL is set, on PostgreSQL.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { systemActor } from '../../src/access/actor.ts';
import { createUser } from '../../src/access/users.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/db.ts';
import { chromiumArgs, chromiumPath, ensureWebBuild } from '../../web/dev/harness.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`web-admin: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const ADMIN = { username: 'admin-webbtest', password: 'Tallbarr-och-mossa-vid-sjon-2025' };
const NEW_PASSWORD = 'sju sorters kakor hos mormor i Ljusdal';

for (const target of dbTargets()) describe.skipIf(!hasChromium)(`administration in the browser (${target})`, { timeout: 180_000 }, () => {
  let database: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    database = await openTestDatabase(target);
    await createUser(database.db, systemActor('test'), { username: ADMIN.username, role: 'admin', password: ADMIN.password });
    app = await buildApp({ database, oidc: null, secureCookies: false });
    url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function newPage(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    return page;
  }
  /** Signs in and waits for the page of the user's role (the administrator starts at the users). */
  async function signIn(page: Page, username: string, password: string, landing = /\/oversikt/) {
    await page.goto(`${url}/logga-in`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(landing);
  }
  async function checkPage(page: Page) {
    const result = await new AxeBuilder({ page }).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  }

  it('the administrator adds an organisation and its reporter; the reporter changes their own password', async () => {
    const admin = await newPage(1280);
    await signIn(admin, ADMIN.username, ADMIN.password, /\/admin\/anvandare$/);
    const menu = admin.getByRole('navigation', { name: 'Huvudmeny' });
    await menu.getByRole('link', { name: 'Organisationer' }).click();
    await admin.waitForURL(/\/admin\/organisationer$/);
    const table = admin.getByTestId('organisations');
    await table.waitFor();
    // the regional offices: fixed, no buttons
    const syd = table.getByRole('row', { name: /Regionkoordinator Syd/ });
    await syd.getByText('Fast').waitFor();
    expect(await syd.getByRole('button').count()).toBe(0);
    await admin.getByRole('button', { name: 'Lägg till organisation' }).click();
    await admin.locator('#main').getByText('Ange organisationens namn.').waitFor();
    expect(await admin.getByLabel('Namn på svenska *').getAttribute('aria-invalid')).toBe('true');
    await admin.getByLabel('Namn på svenska *').fill('Föreningen Ängsbacken');
    await admin.getByRole('button', { name: 'Lägg till organisation' }).click();
    await admin.getByTestId('outcome').getByText('Föreningen Ängsbacken är tillagd (kortnamn foreningen-angsbacken).').waitFor();
    const row = table.getByRole('row', { name: /Föreningen Ängsbacken/ });
    await row.waitFor();
    expect(await row.getByRole('button', { name: 'Inaktivera Föreningen Ängsbacken' }).count()).toBe(1);
    await checkPage(admin);

    await menu.getByRole('link', { name: 'Användare' }).click();
    await admin.waitForURL(/\/admin\/anvandare$/);
    await admin.getByLabel('Användarnamn *').fill('anna.angsbacken');
    // the organisation first; the one role that fits it (a civil-society organisation's reporter) is chosen
    await admin.getByLabel('Organisation *').selectOption({ label: 'Föreningen Ängsbacken (Medlemsorganisation i civilsamhället)' });
    expect(await admin.getByLabel('Roll *').inputValue()).toBe('organisation_reporter');
    await admin.getByRole('button', { name: 'Lägg till användare' }).click();
    const outcome = admin.getByTestId('outcome');
    await outcome.getByText('Användaren anna.angsbacken är tillagd.').waitFor();
    const password = /Lösenord för anna\.angsbacken: (\S+) —/.exec(await outcome.innerText())?.[1];
    expect(password).toBeTruthy();
    await admin.getByTestId('users').getByRole('row', { name: /anna\.angsbacken/ }).getByText('Föreningen Ängsbacken').waitFor();
    await checkPage(admin);

    // the reporter, on a phone
    const reporter = await newPage(390);
    await signIn(reporter, 'anna.angsbacken', password!);
    expect(await reporter.getByRole('link', { name: 'Organisationer' }).count()).toBe(0);
    await reporter.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Byt lösenord' }).click();
    await reporter.waitForURL(/\/konto\/losenord$/);
    await reporter.getByLabel('Nuvarande lösenord *').fill(password!);
    await reporter.getByLabel('Nytt lösenord *', { exact: true }).fill('kort');
    await reporter.getByLabel('Nytt lösenord igen *').fill('kort');
    await reporter.getByRole('button', { name: 'Byt lösenord' }).click();
    await reporter.locator('#main').getByText(/Lösenordet måste ha minst 15 tecken/).waitFor();
    expect(await reporter.getByLabel('Nytt lösenord *', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await checkPage(reporter);
    await reporter.getByLabel('Nytt lösenord *', { exact: true }).fill(NEW_PASSWORD);
    await reporter.getByLabel('Nytt lösenord igen *').fill(NEW_PASSWORD);
    await reporter.getByRole('button', { name: 'Byt lösenord' }).click();
    await reporter.getByTestId('outcome').getByText('Lösenordet är bytt. Andra sessioner är avslutade.').waitFor();
    await checkPage(reporter);

    // the new password signs in; the one shown to the administrator no longer does
    const again = await newPage(390);
    await signIn(again, 'anna.angsbacken', NEW_PASSWORD);
    const old = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'anna.angsbacken', password }) });
    expect(old.status).toBe(401);
  });
});
