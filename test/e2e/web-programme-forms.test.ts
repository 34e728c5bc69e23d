// In chromium against the real server (bin/lagesbild start, an empty instance with an NSP programme
// and a civil-society organisation added by the command line): a programme officer's start page
// lists the person whose rest period ends in 5 days, linked to the case; the programme form gives
// the officer's programme (NSP, not asked), shows NSP's periods, refuses a 31-day rest period with the field named in Swedish, and saves; an
// organisation reporter's civil-society form names a missing contact type in Swedish and saves a
// record with its support, police report and rights. Axe clean and no sideways scrolling at 1280
// and 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addDays } from '../../src/standard/periods.ts';
import { todayInStockholm } from '../../src/standard/validate.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer, type WebUser } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-programme-forms: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

const password = 'bägare fönsterbräda molnighet 4711';
const officer: WebUser = { username: 'nsp-handlaggare', password, role: 'programme_officer', organisation: 'nsp-test' };
const reporter: WebUser = { username: 'forening-rapportor', password, role: 'organisation_reporter', organisation: 'cso-test' };
const admin: WebUser = { username: 'administratoren', password, role: 'admin' };
const today = todayInStockholm();

let server: WebServer | null = null;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  server = await startWebServer({
    users: [admin],
    setup: (cli) => {
      cli(['organisations', 'add', '--kind', 'support_programme', '--programme', 'nsp', '--name', 'NSP test', '--id', 'nsp-test']);
      cli(['organisations', 'add', '--kind', 'civil_society', '--name', 'Föreningen test', '--id', 'cso-test']);
    },
  });
  // The organisations' users are added by the administrator through the API (the command line adds
  // users only while the server is stopped, and the organisations come after the users there).
  const signedIn = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) });
  expect(signedIn.status).toBe(200);
  const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  for (const u of [officer, reporter]) {
    const res = await fetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ username: u.username, role: u.role, organisation_id: u.organisation, password: u.password }),
    });
    expect(res.status, await res.text()).toBe(201);
  }
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stopWebServer(server);
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

async function post(page: Page, body: Record<string, unknown>): Promise<{ id: string; reference: string }> {
  return page.evaluate(async (c) => {
    const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const res = await fetch('/api/cases', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(c) });
    if (res.status !== 201) throw new Error(`POST /api/cases: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; reference: string };
  }, body);
}

describe.skipIf(!hasChromium)('the programme and civil-society forms in the browser', { timeout: 240_000 }, () => {
  it("the officer's start page warns of a rest period ending in 5 days; the NSP form refuses 31 days naming the field, then saves", async () => {
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      await signIn(page, server!.url, officer);
      await page.waitForURL(/\/oversikt/);
      if (width === 1280) {
        const person = { source: 'support_programme', organisation_id: 'nsp-test', identified_on: addDays(today, -30), sex: 'female', age_group: 'adult', programme: 'nsp', programme_status: 'granted' };
        const soon = await post(page, { ...person, rest_period_start: addDays(today, -20), rest_period_end: addDays(today, 5) });
        const later = await post(page, { ...person, rest_period_start: addDays(today, -10), rest_period_end: addDays(today, 15) });
        await page.reload();
        const section = page.getByTestId('periods-ending');
        await section.getByRole('heading', { name: 'Perioder som slutar inom 7 dagar' }).waitFor();
        const link = section.getByRole('link', { name: soon.reference });
        await link.waitFor();
        expect(await section.textContent()).toContain('5 dagar');
        expect(await section.getByRole('link', { name: later.reference }).count()).toBe(0);
        await expectNoAxeViolations(page);
        await link.click();
        await page.waitForURL(new RegExp(`/arenden/${soon.id}$`));
      }

      await page.goto(`${server!.url}/arenden/nytt`);
      const form = page.getByRole('form');
      await form.getByRole('heading', { name: 'Stödprogram' }).waitFor();
      // The source is the officer's: no choice of source, no region, no referring actor.
      expect(await page.locator('#f-source').textContent()).toContain('Stödprogram (NSP, ÅMP)');
      expect(await page.locator('select#f-source').count()).toBe(0);
      expect(await page.locator('#f-region').count()).toBe(0);
      await page.getByLabel(/^Datum för kännedom/).fill(addDays(today, -3));
      await page.getByRole('group', { name: /^Kön/ }).getByLabel('Kvinna/flicka').check();
      await page.getByRole('group', { name: /^Åldersgrupp/ }).getByLabel('Vuxen').check();
      // The programme is the officer's organisation's, NSP: given, not asked.
      expect(await page.locator('#f-programme').textContent()).toContain('Nationellt stödprogram (NSP)');
      expect(await page.getByRole('group', { name: /^Stödprogram/ }).count()).toBe(0);
      await page.getByRole('group', { name: /^Ansökt eller beviljat/ }).getByLabel('Beviljat').check();
      // The periods are NSP's: shown for NSP, the return country for ÅMP only.
      expect(await page.getByLabel(/^Återvändandeland/).count()).toBe(0);
      await page.getByLabel('Betänketid i NSP: startdatum').fill('2025-03-01');
      await page.getByLabel('Betänketid i NSP: slutdatum').fill('2025-03-31');
      await page.getByLabel('Integrationsperiod i NSP: startdatum').fill('2025-04-01');
      await page.getByLabel('Integrationsperiod i NSP: slutdatum').fill('2025-06-29');
      await page.getByRole('button', { name: 'Spara ärendet' }).click();
      const summary = page.getByTestId('error-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('Betänketid i NSP: slutdatum: perioden får vara högst 30 dagar');
      const fieldMessage = page.locator('#f-rest_period_end-error');
      await fieldMessage.waitFor();
      expect(await fieldMessage.textContent()).toContain('högst 30 dagar');
      await expectNoAxeViolations(page);
      expect(await noSideways(page)).toBe(true);

      await page.getByLabel('Betänketid i NSP: slutdatum').fill('2025-03-30');
      await page.getByRole('button', { name: 'Spara ärendet' }).click();
      await page.waitForURL(/\/arenden\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      const saved = await page.evaluate(async (caseId) => (await fetch(`/api/cases/${caseId}`)).json(), id);
      expect(saved).toMatchObject({ source: 'support_programme', organisation_id: 'nsp-test', programme: 'nsp', programme_status: 'granted', rest_period_start: '2025-03-01', rest_period_end: '2025-03-30', integration_period_end: '2025-06-29' });
      await page.context().close();
    }
  });

  it('the civil-society form names a missing contact type in Swedish, then saves the support, police report and rights', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      await signIn(page, server!.url, reporter);
      await page.goto(`${server!.url}/arenden/nytt`);
      await page.getByRole('heading', { name: 'Rättigheter som personen har fått' }).waitFor();
      expect(await page.locator('#f-source').textContent()).toContain('Civilsamhället');
      await page.getByLabel(/^Datum för kännedom/).fill(addDays(today, -3));
      await page.getByRole('group', { name: /^Kön/ }).getByLabel('Kvinna/flicka').check();
      await page.getByRole('group', { name: /^Åldersgrupp/ }).getByLabel('Vuxen').check();
      await page.getByRole('group', { name: 'Stöd från civilsamhället' }).getByLabel('Juridisk rådgivning').check();
      await page.getByRole('group', { name: 'Stöd från socialtjänsten' }).getByLabel('Skyddat boende').check();
      await page.getByRole('group', { name: 'Skäl till stöd från civilsamhället' }).getByLabel('Behövdes mer stöd än vad som erbjöds').check();
      await page.getByLabel('Polisanmälan', { exact: true }).selectOption('yes');
      await page.getByLabel('Rättsprocessens läge', { exact: true }).selectOption('investigation_ongoing');
      await page.getByLabel('Målsägandebiträde', { exact: true }).selectOption('yes');
      await page.getByLabel(/^Identifierad av/).selectOption('regional_coordinator');
      await page.getByLabel(/^Ursprung \(världsdel\)/).selectOption('africa');
      await page.getByRole('button', { name: 'Spara ärendet' }).click();
      const summary = page.getByTestId('error-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('Typ av utsatthet (direkt/indirekt) måste fyllas i.');
      await expectNoAxeViolations(page);
      expect(await noSideways(page)).toBe(true);

      await page.getByLabel(/^Typ av utsatthet/).selectOption('direct');
      await page.getByRole('button', { name: 'Spara ärendet' }).click();
      await page.waitForURL(/\/arenden\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      const saved = await page.evaluate(async (caseId) => (await fetch(`/api/cases/${caseId}`)).json(), id);
      expect(saved.reference).toMatch(/^CIV-/);
      expect(saved).toMatchObject({ source: 'civil_society', organisation_id: 'cso-test', contact_type: 'direct', identified_by: 'regional_coordinator', origin_region: 'africa', programme: null });
      expect(saved.support).toMatchObject({ civil_society_support: ['legal_advice'], social_services: ['protected_housing'], why_civil_society: ['more_than_offered'], police_report: 'yes', legal_status: 'investigation_ongoing', injured_party_counsel: 'yes', nsp: null, amp: null });
      await page.context().close();
    }
  });
});
