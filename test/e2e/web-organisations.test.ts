// In chromium against the real server (bin/lagesbild start, an empty instance with a regional
// coordinator, an NSP programme and its officer): the administrator adds a civil-society organisation
// and an ÅMP programme in the web app (the programme asked for only for a support programme, and
// refused when missing), then the organisation's reporter, the user form offering only the roles that
// fit the chosen organisation. The reporter signs in with the password given, registers a directly
// and an indirectly exposed person with the civil-society form and sees nothing of anyone else: the
// list shows those two records only, and the address of the coordinator's case answers not found.
// The NSP officer's start page warns of a rest period ending in 5 days. Axe clean and no sideways
// scrolling at 1280 and 390 px. On the embedded database and (with TEST_DATABASE_URL) on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addDays } from '../../src/standard/periods.ts';
import { todayInStockholm } from '../../src/standard/validate.ts';
import { dbTargets, type DbTarget } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer, type WebUser } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-organisations: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

const password = 'ekollon granskog vitsippa 2718';
const admin: WebUser = { username: 'administratoren', password, role: 'admin' };
const coordinator: WebUser = { username: 'koordinator-syd', password, role: 'coordinator', region: 'syd' };
const officer: WebUser = { username: 'nsp-handlaggare', password, role: 'programme_officer', organisation: 'nsp-test' };
const reporter = { username: 'lindarna.rapportor', password: 'lindblom sommarregn trädgård 1618' };
const today = todayInStockholm();

// The server of the database target being walked (one after the other).
let server: WebServer | null = null;
let browser: Browser;

/** Signs in through the API: the cookie and CSRF token of a session. */
async function session(user: Pick<WebUser, 'username' | 'password'>) {
  const res = await fetch(`${server!.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path: string, body: unknown) =>
    fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
}

let coordinatorCase: { id: string; reference: string };
let soon: { id: string; reference: string };

beforeAll(async () => {
  if (hasChromium) browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
});

async function startInstance(database: DbTarget) {
  server = await startWebServer({
    users: [admin, coordinator],
    setup: (cli) => {
      cli(['organisations', 'add', '--kind', 'support_programme', '--programme', 'nsp', '--name', 'NSP test', '--id', 'nsp-test']);
    },
    database,
  });
  // the officer is added through the API (the command line adds users before the organisations exist there)
  const asAdmin = await session(admin);
  const added = await asAdmin('/api/admin/users', { username: officer.username, role: officer.role, organisation_id: officer.organisation, password: officer.password });
  expect(added.status, await added.text()).toBe(201);
  const asCoordinator = await session(coordinator);
  const made = await asCoordinator('/api/cases', { source: 'coordinator', region: 'syd', identified_on: addDays(today, -20), crime_type: 'trafficking', sex: 'male', age_group: 'adult', referred_by: 'police' });
  expect(made.status, await made.clone().text()).toBe(201);
  coordinatorCase = (await made.json()) as { id: string; reference: string };
  // an NSP record whose rest period ends in 5 days; the officer's programme is filled in by the server
  const asOfficer = await session(officer);
  const period = await asOfficer('/api/cases', {
    source: 'support_programme',
    organisation_id: 'nsp-test',
    identified_on: addDays(today, -30),
    sex: 'female',
    age_group: 'adult',
    programme_status: 'granted',
    rest_period_start: addDays(today, -20),
    rest_period_end: addDays(today, 5),
  });
  expect(period.status, await period.clone().text()).toBe(201);
  soon = (await period.json()) as { id: string; reference: string };
}

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
}

/** The options of a select, without its empty first choice. */
const optionsOf = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((el) => [...(el as HTMLSelectElement).options].filter((o) => o.value !== '').map((o) => o.value));

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`organisations of civil society and the support programmes in the browser (${database})`, { timeout: 300_000 }, () => {
  beforeAll(() => startInstance(database), 600_000);
  afterAll(async () => {
    await stopWebServer(server);
    server = null;
  });

  it('the administrator adds a civil-society organisation, an ÅMP programme and the organisation’s reporter', async () => {
    const page = await newPage(1280);
    await signIn(page, server!.url, admin);
    await page.goto(`${server!.url}/admin/organisationer`);
    const table = page.getByTestId('organisations');
    await table.getByRole('row', { name: /NSP test/ }).getByText('Stödprogram NSP').waitFor();

    // a support programme asks for its programme; left empty, the field is named
    expect(await page.getByLabel('Program *').count()).toBe(0);
    await page.getByLabel('Sort *').selectOption('support_programme');
    await page.getByLabel('Namn på svenska *').fill('Återvändandeprogrammet');
    await page.getByRole('button', { name: 'Lägg till organisation' }).click();
    await page.locator('#main').getByText('Ange stödprogrammets program: nsp eller amp (NSP eller ÅMP).').waitFor();
    expect(await page.getByLabel('Program *').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page);
    await page.getByLabel('Program *').selectOption({ label: 'ÅMP' });
    await page.getByRole('button', { name: 'Lägg till organisation' }).click();
    await page.getByTestId('outcome').getByText('Återvändandeprogrammet är tillagd (kortnamn atervandandeprogrammet).').waitFor();
    await table.getByRole('row', { name: /Återvändandeprogrammet/ }).getByText('Stödprogram ÅMP').waitFor();

    // the civil-society organisation: no programme asked for
    await page.getByLabel('Sort *').selectOption('civil_society');
    expect(await page.getByLabel('Program *').count()).toBe(0);
    await page.getByLabel('Namn på svenska *').fill('Föreningen Lindarna');
    await page.getByRole('button', { name: 'Lägg till organisation' }).click();
    await page.getByTestId('outcome').getByText('Föreningen Lindarna är tillagd (kortnamn foreningen-lindarna).').waitFor();
    await table.getByRole('row', { name: /Föreningen Lindarna/ }).getByText('Medlemsorganisation i civilsamhället').waitFor();
    await checkPage(page);

    // the user form offers the roles that fit the chosen organisation
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Användare' }).click();
    await page.waitForURL(/\/admin\/anvandare$/);
    const organisation = page.getByLabel('Organisation *');
    await organisation.locator('option', { hasText: 'Föreningen Lindarna' }).waitFor({ state: 'attached' });
    expect(await optionsOf(page, 'Roll *')).toEqual([]);
    const fits: [string, string[]][] = [
      ['Regionkoordinator Syd (Regionkontor)', ['coordinator']],
      ['NSP test (Stödprogram NSP)', ['programme_officer']],
      ['Återvändandeprogrammet (Stödprogram ÅMP)', ['programme_officer']],
      ['Ingen organisation (statistiker eller administratör)', ['statistician', 'admin']],
      ['Föreningen Lindarna (Medlemsorganisation i civilsamhället)', ['organisation_reporter']],
    ];
    for (const [label, roles] of fits) {
      await organisation.selectOption({ label });
      expect(await optionsOf(page, 'Roll *'), label).toEqual(roles);
    }
    // the one role that fits is chosen
    expect(await page.getByLabel('Roll *').inputValue()).toBe('organisation_reporter');
    await page.getByLabel('Användarnamn *').fill(reporter.username);
    await page.getByLabel('Lösenord', { exact: true }).fill(reporter.password);
    await page.getByRole('button', { name: 'Lägg till användare' }).click();
    await page.getByTestId('outcome').getByText(`Användaren ${reporter.username} är tillagd.`).waitFor();
    await page.getByTestId('users').getByRole('row', { name: new RegExp(reporter.username.replace('.', '\\.')) }).getByText('Föreningen Lindarna').waitFor();
    await checkPage(page);

    // both pages on a phone
    const phone = await newPage(390);
    await signIn(phone, server!.url, admin);
    for (const path of ['/admin/organisationer', '/admin/anvandare']) {
      await phone.goto(`${server!.url}${path}`);
      await phone.getByTestId(path.endsWith('organisationer') ? 'organisations' : 'users').waitFor();
      await phone.getByLabel('Organisation *').or(phone.getByLabel('Sort *')).first().waitFor();
      await checkPage(phone);
    }
    await phone.context().close();
    await page.context().close();
  });

  it('the reporter registers a direct and an indirect contact and sees nothing of other organisations', async () => {
    const page = await newPage(1280);
    await signIn(page, server!.url, reporter);
    const references: string[] = [];
    for (const contact of ['direct', 'indirect'] as const) {
      await page.goto(`${server!.url}/arenden/nytt`);
      await page.getByRole('heading', { name: 'Rättigheter som personen har fått' }).waitFor();
      expect(await page.locator('#f-source').textContent()).toContain('Civilsamhället');
      await page.getByLabel(/^Datum för kännedom/).fill(addDays(today, -3));
      await page.getByRole('group', { name: /^Kön/ }).getByLabel(contact === 'direct' ? 'Kvinna/flicka' : 'Man/pojke').check();
      await page.getByRole('group', { name: /^Åldersgrupp/ }).getByLabel(contact === 'direct' ? 'Vuxen' : 'Barn').check();
      await page.getByLabel(/^Typ av (utsatthet|kontakt)/).selectOption(contact);
      await page.getByRole('button', { name: 'Spara ärendet' }).click();
      await page.waitForURL(/\/arenden\/[0-9A-Z]{26}$/);
      const id = page.url().split('/').pop()!;
      const saved = await page.evaluate(async (caseId) => (await fetch(`/api/cases/${caseId}`)).json(), id);
      expect(saved).toMatchObject({ source: 'civil_society', organisation_id: 'foreningen-lindarna', contact_type: contact });
      references.push(saved.reference);
    }

    // the list: exactly the two records of the organisation
    await page.goto(`${server!.url}/arenden`);
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('2 ärenden');
    expect((await page.getByTestId('case-table').locator('tbody tr th').allTextContents()).map((s) => s.trim()).sort()).toEqual(references.sort());
    await checkPage(page);

    // the coordinator's case and the NSP record: not found, by address and by API
    for (const other of [coordinatorCase, soon]) {
      await page.goto(`${server!.url}/arenden/${other.id}`);
      await page.locator('#main').getByText('Ärendet hittades inte.').waitFor();
      expect(await page.evaluate(async (id) => (await fetch(`/api/cases/${id}`)).status, other.id)).toBe(404);
    }
    await checkPage(page);

    const phone = await newPage(390);
    await signIn(phone, server!.url, reporter);
    await phone.goto(`${server!.url}/arenden`);
    await expect.poll(() => phone.getByTestId('case-count').textContent()).toBe('2 ärenden');
    await checkPage(phone);
    await phone.context().close();
    await page.context().close();
  });

  it('the NSP officer’s start page warns of the rest period ending in 5 days', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      await signIn(page, server!.url, officer);
      await page.waitForURL(/\/oversikt/);
      const section = page.getByTestId('periods-ending');
      await section.getByRole('heading', { name: 'Perioder som slutar inom 7 dagar' }).waitFor();
      await section.getByRole('link', { name: soon.reference }).waitFor();
      expect(await section.textContent()).toContain('5 dagar');
      await checkPage(page);
      await page.context().close();
    }
  });
});
