// Everyday work in chromium. A coordinator's import refuses, before sending anything, a CSV with
// the particulars a linkage key is computed from. The statistician's quality page opens the cases behind each
// data-quality note. The releases page says what a freeze or a publication will do when the year
// already has a final release: a preliminary release frozen after it is not the year's statistics,
// and one published after it stays at its own address while the public page keeps showing the
// final one; a publication is audited together with the year's published releases, and the dialog
// says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dbTargets } from '../support/db.ts';
import { chromiumArgs, chromiumPath, expectNoAxeViolations, hasChromium, signIn, startWebServer, stopWebServer, type WebServer } from '../support/web-server.ts';

if (!hasChromium) console.warn(`web-daily-work: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const statistician = { username: 'statistiker-utgavor', password: 'Granskog-vid-Klarälven-i-vinterljus-2025!', role: 'statistician' };
const coordinator = { username: 'rk-syd-vardag', password: 'Bokskog-och-ljung-vid-Hallandsåsen-2025!', role: 'coordinator', region: 'syd' };
const casesCsv = [
  'source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,industries,nationality,referred_by,linkage_key',
  'coordinator,stockholm,2025-02-03,exploitation,male,41,adult,labour,berry_picking,TH,police,',
  'coordinator,stockholm,2025-03-04,trafficking,female,23,adult,sexual,,RO,police,',
  'coordinator,syd,2025-04-05,trafficking,female,16,child,sexual,,NG,social_services,',
  'coordinator,vast,2025-05-06,exploitation,male,,unknown,begging,,RO,police,',
  'coordinator,nord,2025-06-07,trafficking,female,30,adult,sexual;labour,cleaning,UA,police,',
  'coordinator,nord,2025-07-08,trafficking,female,33,adult,sexual,,RO,police,',
].join('\n');

const dialog = (page: Page) => page.getByRole('dialog');

for (const database of dbTargets()) describe.skipIf(!hasChromium)(`everyday work (${database})`, { timeout: 240_000 }, () => {
  let server: WebServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    // A final release of 2025, published, before the server starts.
    server = await startWebServer({
      users: [statistician, coordinator],
      database,
      casesCsv,
      setup: (cli) => {
        cli(['freeze', '--year', '2025', '--kind', 'final']);
        cli(['publish', '2025-1']);
      },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stopWebServer(server);
  });

  it('refuses to import a CSV with dates of birth or names, and sends nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    await signIn(page, server!.url, coordinator);
    await page.goto(`${server!.url}/import`);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`);
    });
    await page.locator('#import-file').setInputFiles({
      name: 'arenden.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('source,region,identified_on,crime_type,sex,age,age_group,exploitation_forms,nationality,referred_by,födelsedatum,given_name\ncoordinator,syd,2025-02-03,trafficking,female,30,adult,sexual,RO,police,1995-04-03,Ana\n'),
    });
    await page.getByRole('button', { name: 'Ladda upp och importera' }).click();
    await expect.poll(() => page.locator('#import-file-error').textContent()).toContain('Filen har kolumner med personuppgifter (födelsedatum, given_name)');
    expect(await page.locator('#import-file-error').textContent()).toContain('Inget har skickats.');
    expect(sent).toEqual([]);
    await expectNoAxeViolations(page);
    await context.close();
  });


  it('opens the cases behind a quality note', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, statistician);
      await page.goto(`${server!.url}/statistiker/kvalitet?ar=2025`);
      const section = page.getByTestId('note-cases');
      // One case of unknown age (Väst); no case without a nationality, so that note is not listed.
      const note = section.locator('details[data-note="age_unknown"]');
      await note.waitFor();
      expect(await note.locator('summary').textContent()).toBe('Ärenden med okänd ålder (räknas som vuxna): 1 ärende');
      expect(await section.locator('details[data-note="nationality_unknown"]').count()).toBe(0);
      await note.locator('summary').click();
      const link = note.getByRole('link');
      await expect.poll(() => link.textContent()).toMatch(/^VST-2025-\d{4}$/);
      // The consistency checks in Swedish words: no ids, no formulas.
      const checks = await page.getByTestId('quality-checks').locator('tbody th').allTextContents();
      expect(checks.length).toBeGreaterThan(3);
      for (const text of checks) expect(text).not.toMatch(/[_=≠]|half-up|count|percent/);
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 390) {
        await link.click();
        await page.waitForURL(/\/arenden\/[^/]+$/);
        await expect.poll(() => page.locator('#main-heading').textContent()).toMatch(/VST-2025-\d{4}/);
      }
      await context.close();
    }
  });


  it('warns before freezing a preliminary release after a final one, and before publishing one that the public page will not show', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'sv-SE' });
      const page = await context.newPage();
      await signIn(page, server!.url, statistician);
      await page.goto(`${server!.url}/statistiker/utgavor`);
      await page.locator('[data-release="2025-1"]').waitFor();

      if (width === 1280) {
        // Freezing a final release says nothing more; a preliminary one after the final is warned of.
        await page.getByLabel('År').selectOption('2025');
        await page.getByLabel('Typ').selectOption({ label: 'Slutlig' });
        await page.getByRole('button', { name: 'Frys …' }).click();
        await dialog(page).waitFor();
        expect(await dialog(page).getByTestId('confirm-warning').count()).toBe(0);
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog(page).count()).toBe(0);

        await page.getByLabel('Typ').selectOption({ label: 'Preliminär' });
        await page.getByRole('button', { name: 'Frys …' }).click();
        await dialog(page).waitFor();
        expect(await dialog(page).getByTestId('confirm-warning').textContent()).toBe(
          'Det finns redan en slutlig utgåva för 2025 (2025-1). En preliminär utgåva som fryses efter den visas inte som årets statistik så länge den slutliga finns.',
        );
        await expectNoAxeViolations(page);
        await dialog(page).getByRole('button', { name: 'Ja, frys' }).click();
        await page.locator('[data-release="2025-2"]').waitFor();
      }

      // Publishing the preliminary 2025-2: the page keeps showing the final 2025-1; 2025-2 has its own address.
      await page.locator('[data-release="2025-2"]').getByRole('button', { name: /Publicera/ }).click();
      await dialog(page).waitFor();
      const text = await dialog(page).locator('#confirm-text').textContent();
      expect(text).toContain('blir offentlig men visas inte som statistiken för 2025');
      expect(text).toContain('statistiksidan fortsätter att visa 2025-1 (slutlig)');
      expect(text).toContain('/statistik/2025/2025-2');
      expect(text).not.toContain('och visas på statistiksidan');
      expect(await dialog(page).getByTestId('confirm-warning').textContent()).toContain('granskas tillsammans med årets redan publicerade utgåvor (2025-1)');
      await expectNoAxeViolations(page);
      // At 390 px the dialog fits the screen: nothing scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      if (width === 390) {
        // Published, audited with 2025-1 (the same cases): the public page still shows 2025-1.
        await dialog(page).getByRole('button', { name: 'Ja, publicera' }).click();
        await expect.poll(() => page.getByTestId('release-outcome').textContent()).toContain('2025-2');
        const releases = (await page.evaluate(async () => (await fetch('/api/stats/releases?year=2025')).json())) as { items: { id: string; published: boolean }[] };
        expect(releases.items.filter((r) => r.published).map((r) => r.id).sort()).toEqual(['2025-1', '2025-2']);
        const policy = (await page.evaluate(async () => (await fetch('/api/stats/releases/2025-2/policy')).json())) as { protection: { linked?: { releases: { id: string; distance: number }[]; passed: boolean } } };
        expect(policy.protection.linked).toMatchObject({ releases: [{ id: '2025-1', distance: 0 }], passed: true });
        const shown = (await page.evaluate(async () => (await fetch('/api/stats/public?lang=sv', { credentials: 'omit' })).json())) as { report: { release: { id: string } } };
        expect(shown.report.release.id).toBe('2025-1');
        // The release's page tells the statistician it was audited with 2025-1.
        await page.goto(`${server!.url}/statistiker/utgavor/2025-2`);
        await expect.poll(() => page.getByTestId('protection-linked').textContent()).toContain('Granskad tillsammans med årets tidigare publicerade utgåvor (2025-1, 0 ärenden skiljer)');
        // The CTDC export of the published release, a CSV in CTDC's columns.
        const ctdc = page.getByTestId('ctdc-export').getByRole('link');
        expect(await ctdc.textContent()).toBe('CTDC-export (k-anonymiserad CSV, loggas)');
        const href = (await ctdc.getAttribute('href'))!;
        expect(href).toBe('/api/stats/ctdc?year=2025&release=2025-2');
        const csv = await page.evaluate(async (url) => {
          const r = await fetch(url);
          return { status: r.status, type: r.headers.get('content-type'), head: (await r.text()).split(/\r?\n/, 1)[0] };
        }, href);
        expect(csv).toMatchObject({ status: 200, type: expect.stringContaining('text/csv') });
        expect(csv.head).toContain('yearOfRegistration');
        await expectNoAxeViolations(page);
      } else {
        await page.keyboard.press('Escape');
      }
      await context.close();
    }
  });
});
