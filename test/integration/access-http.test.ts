import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemActor } from '../../src/access/actor.ts';
import { searchAudit, verifyAuditChain } from '../../src/access/audit.ts';
import { checkPassword } from '../../src/access/passwords.ts';
import { sessions } from '../../src/access/schema.ts';
import { createSession, purgeExpiredSessions, resolveSession } from '../../src/access/sessions.ts';
import { createUser, setUserActive } from '../../src/access/users.ts';
import { registerAuth, requireAbility, actorOf } from '../../src/http/auth.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { sessionRoutes } from '../../src/http/routes/session.ts';
import { registerSecurity, serverLimits } from '../../src/http/security.ts';
import type { Database } from '../../src/store/db.ts';
import { dbTargets, openTestDatabase, type DbTarget } from '../support/db.ts';

const PASSWORD = 'korrekt häst batteri häftklammer';
const MINUTE = 60_000;

describe.each(dbTargets())('sign-in and sessions on %s', (target: DbTarget) => {
  let database: Database;
  let now = new Date('2026-02-02T08:00:00Z');
  const clock = () => now;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  async function buildTestApp(opts: { secureCookies?: boolean } = {}): Promise<FastifyInstance> {
    const app = Fastify(serverLimits);
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerSecurity(app, { production: opts.secureCookies });
    const auth = await registerAuth(app, { database, clock, secureCookies: opts.secureCookies ?? false, localToken: 'local-secret-token' });
    const api = app.withTypeProvider<ZodTypeProvider>();
    sessionRoutes(api, auth);
    api.get('/api/cases', { preHandler: requireAbility('cases.list') }, async (request) => ({ actor: actorOf(request)?.id }));
    api.post('/api/import', { preHandler: requireAbility('cases.import') }, async (request) => ({ ok: true, actor: actorOf(request)?.id }));
    api.get('/api/published', { preHandler: requireAbility('published.read') }, async () => ({ ok: true }));
    await app.ready();
    return app;
  }

  let app: FastifyInstance;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const sys = systemActor('test');
    ids.coordinator = (await createUser(database.db, sys, { username: 'Anna.Sthlm', role: 'coordinator', region: 'stockholm', password: PASSWORD })).id;
    ids.admin = (await createUser(database.db, sys, { username: 'admin', role: 'admin', password: PASSWORD })).id;
    ids.leaver = (await createUser(database.db, sys, { username: 'leaver', role: 'statistician', password: PASSWORD })).id;
    ids.locked = (await createUser(database.db, sys, { username: 'target', role: 'statistician', password: PASSWORD })).id;
    app = await buildTestApp();
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const cookieOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'lagesbild_session');

  async function signIn(username = 'anna.sthlm', password = PASSWORD, headers: Record<string, string> = {}) {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password }, headers });
    return { res, cookie: cookieOf(res)?.value, body: res.json() as { csrfToken: string; user: { id: string }; abilities: Record<string, boolean> } };
  }

  describe('security headers', () => {
    it('are on every response, including errors', async () => {
      for (const url of ['/api/published', '/no-such-route']) {
        const res = await app.inject({ url });
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('refuses bodies over the limit', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'x', password: 'y'.repeat(1024 * 1024 + 10) } });
      expect(res.statusCode).toBe(413);
    });
  });

  describe('password sign-in', () => {
    it('gives the user, a CSRF token, the abilities and an httpOnly SameSite=Lax cookie', async () => {
      const { res, body } = await signIn('  ANNA.STHLM ');
      expect(res.statusCode).toBe(200);
      expect(body.user).toEqual({ id: ids.coordinator, username: 'anna.sthlm', role: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm' });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.abilities['cases.list']).toBe(true);
      expect(body.abilities['users.manage']).toBe(false);
      const cookie = cookieOf(res)!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect(cookie.secure).toBeFalsy();
      expect(cookie.path).toBe('/');
      expect(JSON.stringify(body)).not.toContain('password');
    });

    it('answers a wrong password and an unknown user the same way', async () => {
      const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'admin', password: 'not the right password at all' } });
      const unknown = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'nobody-here', password: 'not the right password at all' } });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(cookieOf(wrong)).toBeUndefined();
    });

    it('issues a new session id at every sign-in and ends the one the browser had', async () => {
      const first = await signIn();
      const second = await signIn('anna.sthlm', PASSWORD, { cookie: `lagesbild_session=${first.cookie}` });
      expect(second.cookie).toBeTruthy();
      expect(second.cookie).not.toBe(first.cookie);
      const old = await app.inject({ url: '/api/session', headers: { cookie: `lagesbild_session=${first.cookie}` } });
      expect(old.json()).toEqual({ signedIn: false });
      expect((await app.inject({ url: '/api/cases', headers: { cookie: `lagesbild_session=${first.cookie}` } })).statusCode).toBe(401);
    });

    it('reports the session and its abilities, or none', async () => {
      const { cookie, body } = await signIn();
      const res = await app.inject({ url: '/api/session', headers: { cookie: `lagesbild_session=${cookie}` } });
      expect(res.json()).toMatchObject({ signedIn: true, user: { id: ids.coordinator }, csrfToken: body.csrfToken });
      // Not signed in is an answer, not an error (a 401 would be an error in every public page's console).
      const anonymous = await app.inject({ url: '/api/session' });
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.json()).toEqual({ signedIn: false });
      expect((await app.inject({ url: '/api/session', headers: { cookie: 'lagesbild_session=not-a-session' } })).json()).toEqual({ signedIn: false });
      const methods = await app.inject({ url: '/api/session/methods' });
      expect(methods.json()).toMatchObject({ password: true, oidc: null, anonymousAbilities: { 'published.read': true, 'cases.list': false } });
    });

    it('sets a Secure __Host- cookie in production', async () => {
      const prod = await buildTestApp({ secureCookies: true });
      const res = await prod.inject({ method: 'POST', url: '/api/session', payload: { username: 'admin', password: PASSWORD } });
      const cookie = res.cookies.find((c) => c.name === '__Host-lagesbild_session');
      expect(cookie?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      await prod.close();
    });
  });

  describe('abilities and CSRF on routes', () => {
    it('401 without a session, 403 without the ability, 200 with it', async () => {
      expect((await app.inject({ url: '/api/cases' })).statusCode).toBe(401);
      const admin = await signIn('admin');
      expect((await app.inject({ url: '/api/cases', headers: { cookie: `lagesbild_session=${admin.cookie}` } })).statusCode).toBe(403);
      const coordinator = await signIn();
      const ok = await app.inject({ url: '/api/cases', headers: { cookie: `lagesbild_session=${coordinator.cookie}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ actor: ids.coordinator });
      expect((await app.inject({ url: '/api/published' })).statusCode).toBe(200);
    });

    it('requires the session’s CSRF token on state-changing requests', async () => {
      const { cookie, body } = await signIn();
      const headers = { cookie: `lagesbild_session=${cookie}` };
      const missing = await app.inject({ method: 'POST', url: '/api/import', headers, payload: {} });
      expect(missing.statusCode).toBe(403);
      expect(missing.json().code).toBe('csrf_failed');
      const other = await signIn();
      const wrong = await app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, 'x-csrf-token': other.body.csrfToken }, payload: {} });
      expect(wrong.statusCode).toBe(403);
      // Same length in characters, not in bytes.
      const odd = await app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, 'x-csrf-token': 'ä'.repeat(body.csrfToken.length) }, payload: {} });
      expect(odd.statusCode).toBe(403);
      const right = await app.inject({ method: 'POST', url: '/api/import', headers: { ...headers, 'x-csrf-token': body.csrfToken }, payload: {} });
      expect(right.statusCode).toBe(200);
      // Sign-out is state-changing too.
      expect((await app.inject({ method: 'DELETE', url: '/api/session', headers })).statusCode).toBe(403);
    });

    it('lets the local CLI act as the system through its token, and nobody with a wrong one', async () => {
      const ok = await app.inject({ method: 'POST', url: '/api/import', headers: { 'x-lagesbild-local-token': 'local-secret-token' }, payload: {} });
      expect(ok.json()).toEqual({ ok: true, actor: 'system:cli' });
      const bad = await app.inject({ method: 'POST', url: '/api/import', headers: { 'x-lagesbild-local-token': 'local-secret-tokex' }, payload: {} });
      expect(bad.statusCode).toBe(401);
    });
  });

  describe('sign-out and timeouts', () => {
    it('sign-out ends the session on the server', async () => {
      const { cookie, body } = await signIn();
      const headers = { cookie: `lagesbild_session=${cookie}` };
      const res = await app.inject({ method: 'DELETE', url: '/api/session', headers: { ...headers, 'x-csrf-token': body.csrfToken } });
      expect(res.statusCode).toBe(204);
      expect(cookieOf(res)?.value).toBe('');
      // The old cookie value, replayed, is worth nothing.
      expect((await app.inject({ url: '/api/cases', headers })).statusCode).toBe(401);
    });

    it('ends a session left idle too long', async () => {
      const { cookie } = await signIn();
      const headers = { cookie: `lagesbild_session=${cookie}` };
      advance(29 * MINUTE);
      expect((await app.inject({ url: '/api/cases', headers })).statusCode).toBe(200);
      advance(29 * MINUTE);
      expect((await app.inject({ url: '/api/cases', headers })).statusCode).toBe(200);
      advance(31 * MINUTE);
      const res = await app.inject({ url: '/api/cases', headers });
      expect(res.statusCode).toBe(401);
      expect(cookieOf(res)?.value).toBe('');
    });

    it('ends an active session at the absolute limit', async () => {
      const { cookie } = await signIn();
      const headers = { cookie: `lagesbild_session=${cookie}` };
      for (let i = 0; i < 29; i++) {
        advance(20 * MINUTE);
        expect((await app.inject({ url: '/api/cases', headers })).statusCode).toBe(200);
      }
      advance(20 * MINUTE); // 10 h after sign-in
      expect((await app.inject({ url: '/api/cases', headers })).statusCode).toBe(401);
    });

    it('purges ended sessions from the database, keeping live ones', async () => {
      await purgeExpiredSessions(database.db, now);
      const live = await createSession(database.db, { id: ids.admin }, now);
      advance(31 * MINUTE);
      const fresh = await createSession(database.db, { id: ids.admin }, now);
      expect(await purgeExpiredSessions(database.db, now)).toBeGreaterThanOrEqual(1);
      const left = (await database.db.select({ id: sessions.id_hash }).from(sessions)).map((r) => r.id);
      expect(left).toHaveLength(1);
      expect(await resolveSession(database.db, live.token, now)).toBeNull();
      expect(await resolveSession(database.db, fresh.token, now)).toMatchObject({ user: { id: ids.admin } });
      // Only the hash of the token is stored.
      expect(left[0]).not.toBe(fresh.token);
    });

    it('deactivating a user ends their sessions and stops sign-in', async () => {
      const { cookie } = await signIn('leaver');
      await setUserActive(database.db, systemActor('test'), ids.leaver, false);
      expect((await app.inject({ url: '/api/cases', headers: { cookie: `lagesbild_session=${cookie}` } })).statusCode).toBe(401);
      expect((await signIn('leaver')).res.statusCode).toBe(401);
    });
  });

  describe('lockout', () => {
    it('makes a username wait after five failures from an address, with Retry-After, until the wait ends', async () => {
      for (let i = 0; i < 5; i++) expect((await signIn('target', `wrong password number ${i}`)).res.statusCode).toBe(401);
      const locked = await signIn('target');
      expect(locked.res.statusCode).toBe(429);
      expect(locked.res.headers['retry-after']).toBe('60');
      expect(locked.res.json().code).toBe('locked_out');
      // the same user from another address is not held up
      expect((await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'target', password: PASSWORD }, remoteAddress: '192.0.2.9' })).statusCode).toBe(200);
      advance(40 * 1000);
      expect((await signIn('target')).res.headers['retry-after']).toBe('20');
      advance(20 * 1000);
      expect((await signIn('target')).res.statusCode).toBe(200);
    });

    it('makes an unknown username wait exactly like a known one', async () => {
      for (let i = 0; i < 5; i++) expect((await signIn('ghost-user', `wrong password number ${i}`)).res.statusCode).toBe(401);
      const locked = await signIn('ghost-user', 'wrong password number 6');
      expect(locked.res.statusCode).toBe(429);
      expect(locked.res.headers['retry-after']).toBe('60');
      advance(15 * MINUTE);
    });

    it('a success clears the count of failures', async () => {
      for (let i = 0; i < 4; i++) await signIn('admin', 'a wrong password here');
      expect((await signIn('admin')).res.statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await signIn('admin', 'a wrong password here')).res.statusCode).toBe(401);
      expect((await signIn('admin')).res.statusCode).toBe(200);
    });
  });

  describe('the trail of sign-ins', () => {
    it('records logins, failures, lockouts and logouts, without passwords, in an intact chain', async () => {
      const trail = await searchAudit(database.db, systemActor('test'), { pageSize: 500 });
      const operations = new Set(trail.items.map((i) => i.operation));
      for (const op of ['session.login', 'session.login_failed', 'session.locked_out', 'session.logout', 'users.create', 'users.deactivate']) expect(operations).toContain(op);
      const text = JSON.stringify(trail.items);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('wrong password');
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    });
  });

  describe('password rules', () => {
    it('wants 15 characters and nothing common', () => {
      expect(checkPassword('kort lösenord')?.rule).toBe('too_short');
      expect(checkPassword('x'.repeat(300))?.rule).toBe('too_long');
      expect(checkPassword('1qaz2wsx3edc4rfv')?.rule).toBe('common');
      expect(checkPassword('qazwsxedcrfvtgb')?.rule).toBe('common');
      expect(checkPassword('passwordpassword')?.rule).toBe('common');
      expect(checkPassword('aaaaaaaaaaaaaaaaaa')?.rule).toBe('common');
      expect(checkPassword('!!!1qaz2wsx3edc4rfv')?.rule).toBe('common');
      expect(checkPassword('lagesbild2026-sommar')?.rule).toBe('common');
      expect(checkPassword('anna.sthlm är jag, hej', 'anna.sthlm')?.rule).toBe('contains_username');
      expect(checkPassword(PASSWORD)).toBeNull();
      expect(checkPassword('lingon blåbär hallon')).toBeNull();
    });

    it('refuses to create a user with a weak password', async () => {
      await expect(createUser(database.db, systemActor('test'), { username: 'weak', role: 'admin', password: 'short' })).rejects.toMatchObject({
        name: 'PasswordRejectedError',
        rule: 'too_short',
      });
    });
  });
});
