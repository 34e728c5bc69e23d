import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemActor } from '../../src/access/actor.ts';
import { searchAudit } from '../../src/access/audit.ts';
import { oidcClient, type OidcSettings } from '../../src/access/oidc.ts';
import { createUser, findUserByUsername } from '../../src/access/users.ts';
import { registerAuth } from '../../src/http/auth.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { safeReturnTo, sessionRoutes } from '../../src/http/routes/session.ts';
import type { Database } from '../../src/store/db.ts';
import { openTestDatabase } from '../support/db.ts';
import { startTestProvider, type TestProvider } from '../support/oidc.ts';

const redirectUri = 'http://lagesbild.test/api/session/oidc/callback';

let database: Database;
let idp: TestProvider;
let app: FastifyInstance;
let settings: OidcSettings;

beforeAll(async () => {
  database = await openTestDatabase();
  idp = await startTestProvider(redirectUri);
  settings = {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    redirectUri,
    matchClaim: 'preferred_username',
    allowInsecureRequests: true,
  };
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  const auth = await registerAuth(app, { database, secureCookies: false });
  sessionRoutes(app.withTypeProvider<ZodTypeProvider>(), auth, oidcClient(settings));
  await app.ready();

  const sys = systemActor('test');
  await createUser(database.db, sys, { username: 'bound.user', role: 'statistician', oidc: { issuer: idp.issuer, subject: 'sub-bound' } });
  await createUser(database.db, sys, { username: 'eva.syd', role: 'coordinator', region: 'syd', password: 'en lång och ovanlig lösenfras' });
  idp.accounts.set('sub-bound', { preferred_username: 'someone-else' });
  idp.accounts.set('sub-eva', { preferred_username: 'Eva.Syd' });
  idp.accounts.set('sub-stranger', { preferred_username: 'stranger' });
});

afterAll(async () => {
  await app?.close();
  await idp?.close();
  await database?.close();
});

const cookies = (res: LightMyRequestResponse) => Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));

/** start → provider → callback, as the browser would; returns the callback's response. */
async function signInThroughProvider(subject: string, opts: { returnTo?: string; tamper?: (callback: URL) => void; dropPendingCookie?: boolean } = {}) {
  const start = await app.inject({ url: `/api/session/oidc/start${opts.returnTo ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}` });
  expect(start.statusCode).toBe(302);
  const authorizationUrl = new URL(start.headers.location as string);
  idp.loginAs(subject);
  const callback = await idp.authorize(authorizationUrl.href);
  opts.tamper?.(callback);
  const pending = cookies(start).lagesbild_oidc;
  return app.inject({
    url: `${callback.pathname}${callback.search}`,
    headers: opts.dropPendingCookie ? {} : { cookie: `lagesbild_oidc=${pending}` },
  });
}

describe('OpenID Connect sign-in', () => {
  it('is offered as a sign-in method', async () => {
    const methods = await app.inject({ url: '/api/session/methods' });
    expect(methods.json()).toMatchObject({ password: true, oidc: { start: '/api/session/oidc/start' } });
  });

  it('starts an authorization code flow with PKCE (S256), state and nonce', async () => {
    const start = await app.inject({ url: '/api/session/oidc/start' });
    const url = new URL(start.headers.location as string);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    const pending = start.cookies.find((c) => c.name === 'lagesbild_oidc')!;
    expect(pending.httpOnly).toBe(true);
    // The verifier stays with the browser's cookie, never in the URL.
    expect(start.headers.location).not.toContain(JSON.parse(Buffer.from(pending.value, 'base64url').toString()).verifier);
  });

  it('signs in a user bound to the subject and returns to the page asked for', async () => {
    const res = await signInThroughProvider('sub-bound', { returnTo: '/arenden?ar=2025' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/arenden?ar=2025');
    const session = cookies(res).lagesbild_session;
    expect(session).toBeTruthy();
    const me = await app.inject({ url: '/api/session', headers: { cookie: `lagesbild_session=${session}` } });
    expect(me.json().user).toMatchObject({ username: 'bound.user', role: 'statistician' });
    expect(me.json().csrfToken).toBeTruthy();
  });

  it('matches the configured claim to the username once, then binds the subject', async () => {
    const res = await signInThroughProvider('sub-eva');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const me = await app.inject({ url: '/api/session', headers: { cookie: `lagesbild_session=${cookies(res).lagesbild_session}` } });
    expect(me.json().user).toMatchObject({ username: 'eva.syd', role: 'coordinator', region: 'syd' });
    const user = await findUserByUsername(database.db, 'eva.syd');
    expect(user).toMatchObject({ oidc_issuer: idp.issuer, oidc_subject: 'sub-eva' });
    // Another subject claiming the same username is not let in.
    idp.accounts.set('sub-impostor', { preferred_username: 'eva.syd' });
    const impostor = await signInThroughProvider('sub-impostor');
    expect(impostor.headers.location).toBe('/?signin_error=not_registered');
    expect(cookies(impostor).lagesbild_session).toBeUndefined();
  });

  it('refuses a subject that matches no user, and records the attempt', async () => {
    const res = await signInThroughProvider('sub-stranger');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?signin_error=not_registered');
    expect(cookies(res).lagesbild_session).toBeUndefined();
    const trail = await searchAudit(database.db, systemActor('test'), { operation: 'session.login_failed' });
    expect(trail.items.some((i) => (i.details as { reason?: string }).reason === 'not_registered')).toBe(true);
  });

  it('refuses a callback whose state does not match, or without the browser’s pending cookie', async () => {
    const tampered = await signInThroughProvider('sub-bound', { tamper: (u) => u.searchParams.set('state', 'forged-state') });
    expect(tampered.headers.location).toBe('/?signin_error=oidc');
    expect(cookies(tampered).lagesbild_session).toBeUndefined();
    const noCookie = await signInThroughProvider('sub-bound', { dropPendingCookie: true });
    expect(noCookie.headers.location).toBe('/?signin_error=oidc_state');
    expect(cookies(noCookie).lagesbild_session).toBeUndefined();
  });

  it('never redirects off the site after sign-in', () => {
    expect(safeReturnTo('//evil.example/x')).toBe('/');
    expect(safeReturnTo('https://evil.example/')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('/arenden/1')).toBe('/arenden/1');
  });
});
