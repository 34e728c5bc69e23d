// The web app in chromium against the real server (bin/lagesbild start on a fresh data directory):
// every page passes axe, the public statistics agree with the API, and the coordinators' journeys work
// with the keyboard and announce what happened. Screenshots go to test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumArgs, chromiumPath, root, startStack, testUser, type Stack } from '../../web/dev/harness.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';

const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`web-e2e: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

// The public pages run on the demo instance (a published release); the coordinators' journeys on an
// empty instance, which accepts registrations and imports. A server that does not start fails the file:
// only a missing browser skips it.
const stack = hasChromium ? await startStack({ demo: true }) : null;
const work = stack ? await startStack({ demo: false }) : null;

const shots = path.join(root, 'test-results/screenshots');
let browser: Browser;

beforeAll(async () => {
  if (!stack) return;
  fs.mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await work?.close();
});

describe.skipIf(!stack)('the servers under test', () => {
  // What every journey below stands on; a route answering 404 here is the regression, not a reason to skip.
  it('serve the app themselves, answer the statistics and session routes, and have the test user', async () => {
    expect(stack!.webInServer).toBe(true);
    expect(work!.webInServer).toBe(true);
    expect((await fetch(`${stack!.apiUrl}/api/stats/public`)).status).toBe(200);
    for (const s of [stack!, work!]) {
      const session = await fetch(`${s.apiUrl}/api/session`);
      expect(session.status).toBe(200);
      expect(await session.json()).toEqual({ signedIn: false });
    }
    expect(work!.userCreated).toBe(true);
  });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function open(page: Page, p: string, on: Stack = stack!) {
  await page.goto(on.url + p);
  await page.locator('#main-heading').waitFor();
}

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Signs in through the page as the coordinator the harness added. */
async function signIn(page: Page) {
  await open(page, '/logga-in', work!);
  await page.getByLabel('Användarnamn').fill(testUser.username);
  await page.getByLabel('Lösenord').fill(testUser.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/\/oversikt/);
}

type Report = {
  year: number;
  demo?: boolean;
  tables: { id: string; rows: Record<string, string | number | null>[]; totals?: unknown[] }[];
  disclosure?: { exact: Record<string, string> };
};

// A browser journey takes tens of seconds on a busy two-core machine; the budget leaves room for that.
describe.skipIf(!stack)('public pages', { timeout: 180_000 }, () => {
  it('statistics: key figures from the published release, charts with tables, no axe violations', async () => {
    const { report, charts } = (await (await fetch(`${stack!.apiUrl}/api/stats/public`)).json()) as { report: Report; charts: { id: string; svg?: string }[] };
    const total = report.tables.find((t) => t.id === 'totals')!.rows.find((r) => r.dimension === 'all')!.count as number;
    const page = await newPage();
    await open(page, '/statistik');
    await expect.poll(() => page.locator('#main-heading').textContent()).toContain(String(report.year));
    const figures = page.getByTestId('key-figures');
    await expect.poll(() => figures.textContent()).toContain(new Intl.NumberFormat('sv-SE').format(total));
    if (report.demo) await page.getByRole('region', { name: 'Demodata' }).waitFor();
    // Every table of the report is on the page, each with its answered/missing note. The public reads
    // the protected form: a suppressed cell prints "..", the table says why underneath, and no count
    // cell (every figure of a cross table, the first of a list table's row) prints 1 or 2.
    for (const t of report.tables.filter((t) => t.id !== 'trend')) {
      const block = page.locator(`[data-table="${t.id}"]`);
      await block.waitFor();
      expect(await block.locator('.table-note').first().textContent()).toMatch(/Besvarat: .* Uppgift saknas: /);
      const suppressed = t.rows.some((r) => r.count === null);
      const counts = t.totals?.length ? await block.locator('td.num').allTextContents() : await block.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td.num')?.textContent ?? ''));
      expect(counts.includes('..'), t.id).toBe(suppressed);
      if (!report.disclosure?.exact[t.id]) expect(counts.filter((c) => c === '1' || c === '2'), t.id).toEqual([]);
      if (suppressed) expect(await block.getByTestId('suppressed-note').textContent()).toBe('.. = röjandeskyddat: uppgiften visas inte för att skydda de personer den beskriver.');
    }
    expect(await page.locator('main').textContent()).not.toMatch(/\b(null|NaN|undefined)\b/);
    await page.getByRole('heading', { name: 'Så räknas siffrorna' }).waitFor();
    if (charts.length) {
      expect(await page.locator('figure.chart').count()).toBe(charts.length);
      expect(await page.locator('figure.chart details table').count()).toBe(charts.length);
      // The server's SVG or vega's drawing as an image; where the Content-Security-Policy forbids vega's
      // expression compiler, the page's own drawing from the spec's values.
      const csp = (await fetch(`${stack!.url}/statistik`)).headers.get('content-security-policy') ?? '';
      const evalAllowed = !/script-src/.test(csp) || /unsafe-eval/.test(csp);
      const serverDrawn = charts.every((c) => typeof c.svg === 'string');
      const drawn = page.locator(serverDrawn || evalAllowed ? 'figure.chart img.chart-img' : 'figure.chart svg.simple-chart');
      await expect.poll(() => drawn.count(), { timeout: 60_000 }).toBe(charts.length);
      // Bars carry the figures of the table: the first chart's largest value is drawn as a label.
      if (!serverDrawn && !evalAllowed) {
        const first = page.locator('figure.chart').first();
        const cells = (await first.locator('details tbody td').allTextContents()).map((c) => Number(c.replace(/\D/g, ''))).filter(Boolean);
        expect(await first.locator('svg.simple-chart text').allTextContents()).toContain(String(Math.max(...cells)));
      }
    }
    const pdf = await page.getByRole('link', { name: 'Rapport (PDF)' }).getAttribute('href');
    expect(pdf).toMatch(/^\/api\/stats\/report\/download\?year=\d{4}&release=.+&format=pdf$/);
    await expectNoAxeViolations(page);
    await shot(page, 'statistik');
    await page.context().close();
  });

  it('English statistics keep lang="en" and English labels', async () => {
    const page = await newPage();
    await open(page, '/en/statistics');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('heading', { name: 'Key figures' }).waitFor();
    await page.getByRole('heading', { name: 'How the figures are counted' }).waitFor();
    await expectNoAxeViolations(page);
    await shot(page, 'en-statistics');
    // The switch leads to the Swedish page and the language follows.
    await page.getByRole('link', { name: 'På svenska', exact: true }).click();
    await page.waitForURL(/\/statistik$/);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('sv');
    await page.context().close();
  });

  it('help page in Swedish and English: 112, the support lines and the coordinators’ number', async () => {
    const page = await newPage();
    for (const [p, lang] of [['/hjalp', 'sv'], ['/en/help', 'en']] as const) {
      await open(page, p);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      const text = (await page.locator('main').textContent()) ?? '';
      for (const n of ['112', '020-50 50 50', '116 006', '020-390 000']) expect(text, `${p} ${n}`).toContain(n);
      expect(await page.locator('a[href="tel:112"]').count()).toBe(1);
      await expectNoAxeViolations(page);
      await shot(page, lang === 'sv' ? 'hjalp' : 'en-help');
    }
    await page.context().close();
  });

  it('skip link first, focus moves to the new page heading on navigation, title follows', async () => {
    const page = await newPage();
    await open(page, '/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Hoppa till huvudinnehållet');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await expectNoAxeViolations(page);
    await shot(page, 'start');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Få hjälp' }).click();
    await page.waitForURL(/\/hjalp$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main-heading');
    expect(await page.title()).toBe('Få hjälp – Lägesbild');
    await page.context().close();
  });
});

describe.skipIf(!work)('coordinator journeys', { timeout: 180_000 }, () => {
  it('sign-in: a wrong password is announced, the right one opens the overview', async () => {
    const page = await newPage();
    await open(page, '/arenden', work!);
    // a client-side redirect: the address is polled rather than waited for as a navigation
    await expect.poll(() => new URL(page.url()).pathname).toBe('/logga-in');
    expect(new URL(page.url()).searchParams.get('next')).toMatch(/^\/arenden/);
    await page.getByLabel('Användarnamn').fill(testUser.username);
    await page.getByLabel('Lösenord').fill('fel-lösenord-helt-och-hållet');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').or(page.locator('.ds-alert[data-color="danger"]')).first().waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Lösenord').fill(testUser.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/arenden$/);
    await open(page, '/oversikt', work!);
    await page.getByRole('heading', { name: /Stockholm \d{4} hittills/ }).waitFor();
    await page.context().close();
  });

  it('register a case: server errors next to the fields and announced, then saved, changed and closed with history', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/arenden/nytt', work!);
    await page.getByLabel('Datum för kännedom *').waitFor();
    await expectNoAxeViolations(page);

    // Submitting the empty form: the summary takes focus, each message is linked to its field.
    await page.getByRole('button', { name: 'Spara ärendet' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toMatch(/Ärendet sparades inte\. \d+ fel/);
    const date = page.locator('#f-identified_on');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await date.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('f-identified_on-error');
    expect((await page.locator('#f-identified_on-error').textContent())?.length).toBeGreaterThan(3);
    await expectNoAxeViolations(page);
    await shot(page, 'arende-fel');

    // Fill in the case.
    await date.fill('2025-06-12');
    await page.getByLabel('Hänvisande aktör *').selectOption('police');
    await page.getByRole('radio', { name: 'Människoexploatering' }).check();
    await page.getByRole('radio', { name: 'Man/pojke' }).check();
    await page.getByRole('radio', { name: 'Vuxen' }).check();
    await page.locator('#f-age').fill('41');
    await page.locator('#f-nationality').fill('Germany');
    await page.locator('#main').getByText('Valt land: Tyskland').waitFor();
    await page.getByRole('checkbox', { name: 'Arbetskraft' }).check();
    await page.getByRole('checkbox', { name: 'Bärplockning' }).check();
    // A related child added with the keyboard: focus moves into the new row.
    await page.getByRole('button', { name: 'Lägg till barn' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-related_children-0-location');
    await page.locator('#f-related_children-0-location').selectOption('abroad');
    await page.locator('#f-related_children-0-age_band').selectOption('0_11');
    await page.locator('#f-support-police_report').selectOption('yes');
    await shot(page, 'arende-nytt');
    await page.getByRole('button', { name: 'Spara ärendet' }).click();

    await page.waitForURL(/\/arenden\/(?!nytt$)[^/]+$/);
    await expect.poll(() => page.locator('#main-heading').textContent()).toMatch(/Ärende STH-2025-\d{4}/);
    await page.locator('main').getByText(/är sparat/).waitFor();
    await page.getByTestId('history').getByText('Första versionen').waitFor();
    await expectNoAxeViolations(page);
    await shot(page, 'arende');

    // Change the age: a second version that names the changed field.
    await page.getByRole('link', { name: 'Ändra' }).click();
    await page.locator('#f-age').fill('42');
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.getByTestId('history').locator('tbody tr').nth(1).waitFor();
    expect(await page.getByTestId('history').locator('tbody tr').nth(1).textContent()).toContain('Ålder');

    await page.getByRole('button', { name: 'Avsluta ärendet' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('Avslutat');
    await page.context().close();
  });

  it('the case form checks as you type: a disagreeing age and age group is named before saving, and cleared when mended', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/arenden/nytt', work!);
    await page.getByLabel('Datum för kännedom *').waitFor();
    await page.getByRole('radio', { name: 'Vuxen' }).check();
    await page.locator('#f-age').fill('12');
    const error = page.locator('#f-age_group-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Åldersgrupp/);
    // only the fields touched so far are spoken of: the untouched date is not yet marked
    expect(await page.locator('#f-identified_on').getAttribute('aria-invalid')).not.toBe('true');
    await page.locator('#f-age').fill('41');
    await error.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('the case form works with the keyboard alone: every control is reached by Tab, radios by arrow keys', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/arenden/nytt', work!);
    await page.locator('#f-source').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 250; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');
      reached.add(id);
      if (id === 'Spara ärendet') break;
    }
    for (const id of ['f-region', 'f-identified_on', 'f-referred_by', 'f-age', 'f-nationality', 'f-support-nsp-start_date', 'f-linkage_key', 'Lägg till barn', 'Spara ärendet']) {
      expect(reached, id).toContain(id);
    }
    await page.getByRole('radio', { name: 'Kvinna/flicka' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Man/pojke' }).isChecked()).toBe(true);
    // Industries appear when labour is ticked with the keyboard.
    await page.getByRole('checkbox', { name: 'Arbetskraft' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('checkbox', { name: 'Bärplockning' }).waitFor();
    // The form in English: labels and code lists follow, the address stays, lang follows.
    await page.getByRole('button', { name: 'In English', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Register a case' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(page.url()).toMatch(/\/arenden\/nytt$/);
    await page.getByRole('checkbox', { name: 'Berry picking' }).waitFor();
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('case list: filters live in the address, agree with the API and show exactly the matching cases', async () => {
    const page = await newPage();
    await signIn(page);
    // Its own cases, of years no other journey registers: two of 2023 that the filter must show, one of
    // 2024 that it must leave out.
    const seeded = [
      coordinatorCase({ region: 'stockholm', identified_on: '2023-04-04' }),
      coordinatorCase({ region: 'stockholm', identified_on: '2023-09-09', sex: 'male', exploitation_forms: ['begging'] }),
      coordinatorCase({ region: 'stockholm', identified_on: '2024-02-02' }),
    ];
    const statuses = await page.evaluate(async (cases) => {
      const { csrfToken } = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const out: number[] = [];
      for (const c of cases) {
        const res = await fetch('/api/cases', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(c) });
        out.push(res.status);
      }
      return out;
    }, seeded);
    expect(statuses).toEqual([201, 201, 201]);
    await open(page, '/arenden', work!);
    await page.getByTestId('case-count').waitFor();
    await expectNoAxeViolations(page);
    await shot(page, 'arenden');
    await page.getByLabel('Polisregion').selectOption('stockholm');
    await page.getByLabel('År').selectOption('2023');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.waitForURL(/region=stockholm/);
    expect(page.url()).toContain('year=2023');
    const api = await page.evaluate(async () => (await (await fetch('/api/cases?region=stockholm&year=2023&pageSize=1')).json()).total as number);
    expect(api).toBe(2);
    await expect.poll(() => page.getByTestId('case-count').textContent()).toBe('2 ärenden');
    const rows = page.getByTestId('case-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect((await rows.locator('td:nth-child(2)').allTextContents()).sort()).toEqual(['2023-04-04', '2023-09-09']);
    expect(await rows.locator('td:nth-child(3)').allTextContents()).toEqual(['Stockholm', 'Stockholm']);
    await page.context().close();
  });

  it('CSV import: progress to 100 %, a bad file lists every bad line, a good file imports', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/import', work!);
    await expectNoAxeViolations(page);
    const exported = await page.evaluate(async () => (await fetch('/api/export')).text());
    const header = exported.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    const cols = header.split(',');
    const row = (values: Record<string, string>) => cols.map((c) => values[c] ?? '').join(',');
    const good = { source: 'coordinator', region: 'stockholm', identified_on: '2025-03-03', crime_type: 'exploitation', sex: 'male', age_group: 'adult', referred_by: 'police', exploitation_forms: 'labour' };
    const bad = [header, row(good), row({ ...good, sex: 'nonsense' }), row({ ...good, identified_on: '2031-01-01' })].join('\n');
    await page.locator('#import-file').setInputFiles({ name: 'fel.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    await page.getByTestId('import-result').waitFor();
    expect(await page.locator('#import-progress').getAttribute('value')).toBe('100');
    await page.getByRole('heading', { name: /Fel i filen/ }).waitFor();
    const lines = await page.getByTestId('h-problems').locator('tbody tr td:first-child').allTextContents();
    expect(lines).toContain('3');
    expect(lines).toContain('4');
    expect(lines).not.toContain('2');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toContain('Inget har sparats');
    await expectNoAxeViolations(page);
    await shot(page, 'import-fel');

    await page.locator('#import-file').setInputFiles({ name: 'ok.csv', mimeType: 'text/csv', buffer: Buffer.from([header, row(good)].join('\n')) });
    await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    await page.locator('#main').getByText('1 ärenden importerades.').waitFor();

    // The same rows as an Excel workbook: a bad row is named by its sheet row.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Ärenden');
    sheet.addRow(cols);
    sheet.addRow(cols.map((c) => (good as Record<string, string>)[c] ?? null));
    sheet.addRow(cols.map((c) => ({ ...good, age: '9' } as Record<string, string>)[c] ?? null));
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    await page.locator('#import-file').setInputFiles({ name: 'fel.xlsx', mimeType: xlsxType, buffer: xlsx });
    await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    await page.getByRole('heading', { name: /Fel i filen/ }).waitFor();
    expect(await page.getByTestId('h-problems').locator('tbody tr td:first-child').allTextContents()).toEqual(['3']);
    await page.context().close();
  });

  it('overview shows the year so far with no axe violations', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/oversikt', work!);
    await page.getByTestId('overview-figures').waitFor();
    await expectNoAxeViolations(page);
    await shot(page, 'oversikt');
    await page.context().close();
  });
});
