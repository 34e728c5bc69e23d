// In chromium against the real server (bin/lagesbild start, an empty instance): the case form computes
// the linkage key itself (docs/linkage-key.md). The year's key file is read once and kept in the
// browser; the date of birth and the name letters are typed into the form's linkage panel. Every
// request the page sends is recorded: none holds the year's key, the date of birth, the names or the
// normalised text they were hashed as, and the saved case's key is the test vector's.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { chromiumArgs, chromiumPath, startStack, testUser, type Stack } from '../../web/dev/harness.ts';
import { CaseInput } from '../../src/standard/case.ts';
import type { LinkageParticulars } from '../../src/standard/linkage.ts';
import vectorsFile from '../fixtures/linkage-vectors.json' with { type: 'json' };

const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`web-linkage-key: ${chromiumPath} is missing (apt-get install -y chromium); browser tests skipped`);

type Vector = { note: string; year: string; input: LinkageParticulars; normalised: string; key: string };
const file = vectorsFile as { year_keys: Record<string, string>; vectors: Vector[] };
// Maria Andersson, born 1990-04-17, female, Swedish citizen: written out in full in the form
const vector = file.vectors[0];
const yearKey = file.year_keys[vector.year];

const work: Stack | null = hasChromium ? await startStack({ demo: false }) : null;
let browser: Browser;

beforeAll(async () => {
  if (!work) return;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
  await work?.close();
});

type Sent = { method: string; url: string; headers: string; body: string };
const record = (r: Request): Sent => ({ method: r.method(), url: r.url(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' });

describe.skipIf(!work)('the linkage key in the case form', { timeout: 180_000 }, () => {
  it('is computed in the browser: no request holds the key file, the date of birth or the names, and the saved key is the vector\'s', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    const sent: Sent[] = [];
    page.on('request', (r) => void sent.push(record(r)));

    await page.goto(`${work!.url}/logga-in`);
    await page.getByLabel('Användarnamn').fill(testUser.username);
    await page.getByLabel('Lösenord').fill(testUser.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/oversikt/);

    await page.goto(`${work!.url}/arenden/nytt`);
    await page.locator('#f-identified_on').fill(`${vector.year}-06-12`);
    await page.getByLabel('Hänvisande aktör *').selectOption('police');
    await page.getByRole('radio', { name: 'Människohandel' }).check();
    await page.getByRole('radio', { name: 'Kvinna/flicka' }).check();
    await page.getByRole('radio', { name: 'Vuxen' }).check();
    await page.locator('#f-nationality').fill('Sverige');
    await page.locator('#main').getByText('Valt land: Sverige').waitFor();

    // the year's key file, read once in this browser
    await page.getByLabel(`Läs in nyckelfilen för ${vector.year}`).setInputFiles({ name: `nyckel-${vector.year}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${yearKey}\n`) });
    await page.getByTestId('linkage-key-loaded').waitFor();
    const axe = await new AxeBuilder({ page }).include('.linkage-panel').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // a date of birth the key cannot read is refused in the form, without a request
    await page.getByLabel('Födelsedatum', { exact: true }).fill('17.04.1990');
    await page.getByLabel('Förnamn', { exact: true }).fill(vector.input.given_name);
    await page.getByLabel('Efternamn', { exact: true }).fill(vector.input.family_name);
    await page.getByRole('button', { name: 'Beräkna kopplingsnyckel' }).click();
    await page.getByRole('alert').filter({ hasText: 'Födelsedatum har fel format' }).waitFor();
    expect(await page.locator('#f-linkage_key').inputValue()).toBe('ingen');

    await page.getByLabel('Födelsedatum', { exact: true }).fill(vector.input.birth_date);
    await page.getByRole('button', { name: 'Beräkna kopplingsnyckel' }).click();
    await expect.poll(() => page.locator('#f-linkage_key').inputValue()).toBe(vector.key);
    // the particulars are gone from the form once the key is made
    for (const label of ['Födelsedatum', 'Förnamn', 'Efternamn']) expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe('');

    await page.getByRole('button', { name: 'Spara ärendet' }).click();
    await page.waitForURL(/\/arenden\/(?!nytt$)[^/]+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const saved = await page.evaluate(async (caseId) => (await (await fetch(`/api/cases/${caseId}`)).json()) as { linkage_key: string | null }, id);
    expect(saved.linkage_key).toBe(vector.key);

    // The key file is kept for the year: a new form has it without loading the file again.
    await page.goto(`${work!.url}/arenden/nytt`);
    await page.locator('#f-identified_on').fill(`${vector.year}-09-01`);
    await page.getByTestId('linkage-key-loaded').waitFor();
    // … and another year asks for its own file.
    await page.locator('#f-identified_on').fill('2024-09-01');
    await page.getByLabel('Läs in nyckelfilen för 2024').waitFor();

    // Every request the page sent, in every part: none holds the key file or what was hashed.
    const casePosts = sent.filter((s) => s.method === 'POST' && new URL(s.url).pathname === '/api/cases');
    expect(casePosts).toHaveLength(1);
    expect(JSON.parse(casePosts[0].body).linkage_key).toBe(vector.key);
    // the case sent holds the data standard's fields only
    const allowed = new Set(Object.keys(CaseInput.shape));
    for (const key of Object.keys(JSON.parse(casePosts[0].body))) expect(allowed, key).toContain(key);
    const digits = vector.input.birth_date.replace(/\D/g, '');
    const secrets = [
      yearKey, yearKey.toUpperCase(), vector.input.birth_date, digits, '17.04.1990', `${digits.slice(6)}${digits.slice(4, 6)}${digits.slice(0, 4)}`,
      vector.input.given_name, vector.input.family_name, vector.input.given_name.toUpperCase(), vector.input.family_name.toUpperCase(),
      vector.normalised, 'MA|AN', encodeURIComponent('MA|AN'),
    ];
    expect(sent.length).toBeGreaterThan(5);
    for (const s of sent) {
      const text = `${s.method} ${decodeURIComponent(s.url)} ${s.headers} ${s.body}`;
      for (const secret of secrets) expect(text, `${s.method} ${s.url}`).not.toContain(secret);
    }
    await context.close();
  });
});
