// The sign-in page against the real session routes (cookie, CSRF token, abilities), on an app composed
// here from src/http's parts: it runs before src/http/app.ts registers sessions, and keeps the page's
// contract with those routes checked afterwards too.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { chromium, type Browser } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { systemActor } from '../../src/access/actor.ts';
import { createUser } from '../../src/access/users.ts';
import { registerAuth, requireAbility } from '../../src/http/auth.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { sessionRoutes } from '../../src/http/routes/session.ts';
import { registerSecurity } from '../../src/http/security.ts';
import { registerWeb } from '../../src/http/web.ts';
import type { Database } from '../../src/store/db.ts';
import { chromiumArgs, chromiumPath, ensureWebBuild } from '../../web/dev/harness.ts';
import { openTestDatabase } from '../support/db.ts';

const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`web-signin: ${chromiumPath} is missing (apt-get install -y chromium); skipped`);

const PASSWORD = 'Lingonris-och-granbarr-2025!';

describe.skipIf(!hasChromium)('sign-in page with the session routes', () => {
  let database: Database;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  const posts: { csrf: string | undefined }[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    database = await openTestDatabase('pglite');
    await createUser(database.db, systemActor('test'), { username: 'rk-syd-webb', role: 'coordinator', region: 'syd', password: PASSWORD });
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerSecurity(app, { production: false });
    const auth = await registerAuth(app, { database, secureCookies: false });
    const api = app.withTypeProvider<ZodTypeProvider>();
    sessionRoutes(api, auth);
    api.get('/api/codes', async () => (await import('../../src/standard/api-codes.ts')).codesDocument());
    api.get('/api/cases', { preHandler: requireAbility('cases.list') }, async () => ({ items: [], total: 0, page: 1, pageSize: 1 }));
    // One case to act on: the page's POST must carry the session's CSRF token (registerAuth refuses it otherwise).
    const record = {
      id: 'c1', reference: 'SYD-2025-0001', version: 1, status: 'open', created_at: '2025-05-01T10:00:00Z', updated_at: '2025-05-01T10:00:00Z',
      source: 'coordinator', region: 'syd', identified_on: '2025-05-01', sex: 'female', age_group: 'adult', exploitation_forms: ['sexual'],
    };
    api.get('/api/cases/c1', { preHandler: requireAbility('cases.list') }, async () => record);
    api.get('/api/cases/c1/history', { preHandler: requireAbility('cases.list') }, async () => ({
      items: [{ version: 1, status: 'open', operation: 'create', changed_at: record.created_at, changed_by: 'u1', changed_by_role: 'coordinator', changed_by_name: 'rk-syd-webb (regionkoordinator, Syd)', data: record }],
    }));
    api.post('/api/cases/c1/close', { preHandler: requireAbility('cases.list') }, async (request) => {
      posts.push({ csrf: request.headers['x-csrf-token'] as string | undefined });
      record.status = 'closed';
      return record;
    });
    await registerWeb(app);
    url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('sends a signed-out visitor to sign in, signs in, shows the user, sends the CSRF token, signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/oversikt`);
    await page.waitForURL(/\/logga-in\?next=%2Foversikt$/);
    await page.locator('#main-heading').waitFor();
    // Not signed in: no coordinator links in the menu.
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Ärenden' }).count()).toBe(0);
    expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);

    await page.getByLabel('Användarnamn').fill('rk-syd-webb');
    await page.getByLabel('Lösenord').fill('inte-rätt-lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.locator('#main').getByText('Fel användarnamn eller lösenord.').waitFor();
    await expect.poll(() => page.getByTestId('announcer').textContent()).toContain('Fel användarnamn eller lösenord.');

    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/oversikt$/);
    await page.getByRole('heading', { name: /^Syd \d{4} hittills$/ }).waitFor();
    await page.getByRole('button', { name: /Logga ut \(rk-syd-webb\)/ }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Ärenden' }).count()).toBe(1);

    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    await page.goto(`${url}/arenden/c1`);
    await page.getByRole('button', { name: 'Avsluta ärendet' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('Avslutat');
    expect(posts).toEqual([{ csrf: session.csrfToken }]);
    // Without the token the same request is refused: the check above is the server's, not ours.
    const refused = await page.evaluate(async () => (await fetch('/api/cases/c1/close', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(refused).toBe(403);

    await page.getByRole('button', { name: /Logga ut/ }).click();
    await page.waitForURL(/\/$/);
    await page.getByRole('link', { name: 'Logga in' }).first().waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/session')).json())).toEqual({ signedIn: false });
    await context.close();
  });
});
