// Sign-in and sign-out: password, and OpenID Connect when configured.
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeAudit } from '../../access/audit.ts';
import { finishOidc, matchOidcUser, startOidc, type OidcClient, type OidcPending } from '../../access/oidc.ts';
import { abilities } from '../../access/policy.ts';
import { endSession, externalSignIn, passwordSignIn } from '../../access/sessions.ts';
import { presentUser, userActor, type UserRow } from '../../access/users.ts';
import { clearSessionCookie, setSessionCookie, type AuthContext } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import { NoBody, SessionState, SessionView, SignInBody, SignInMethods, errorResponses, type OrganisationProgramme } from '../../contract/index.ts';
import { organisationProgrammes } from '../../registry/cases.ts';
import type { Executor } from '../../store/db.ts';
import type { Api } from '../types.ts';

const invalidCredentials = () =>
  new HttpProblem(401, 'invalid_credentials', {
    sv: 'Fel användarnamn eller lösenord.',
    en: 'Wrong username or password.',
  });

/** The session's answer: the user, what they may do and, for a programme officer, their programme. */
async function signedIn(ex: Executor, user: UserRow, csrfToken: string, expiresAt: Date, from: string | null) {
  // The case form takes the programme from here instead of asking: the server refuses the other one.
  const programme = user.role === 'programme_officer' && user.organisation_id ? (await organisationProgrammes(ex, [user.organisation_id])).get(user.organisation_id) : undefined;
  return {
    signedIn: true as const,
    user: presentUser(user),
    programme: (programme as OrganisationProgramme | undefined) ?? null,
    csrfToken,
    expiresAt: expiresAt.toISOString(),
    abilities: abilities(userActor(user, from)),
  };
}

/** Only paths on this site: never `//host` or an absolute URL. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500 || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}

export function sessionRoutes(app: Api, auth: AuthContext, oidc?: OidcClient | null) {
  const tags = ['session'];
  const db = () => auth.database.db;

  /** Ends a session the browser already had: every sign-in starts a new one. */
  async function dropPrevious(request: FastifyRequest) {
    const old = request.cookies[auth.cookieName];
    if (old && request.authSession) await endSession(db(), old, request.ip);
  }

  app.post('/api/session', { config: { csrf: false }, schema: { tags, summary: 'Logga in med användarnamn och lösenord', body: SignInBody, response: { 200: SessionView, ...errorResponses } } }, async (request, reply) => {
    const result = await passwordSignIn(db(), { ...request.body, from: request.ip }, auth.clock(), auth.settings);
    if (!result.ok && result.reason === 'locked') {
      throw new HttpProblem(
        429,
        'locked_out',
        {
          sv: 'För många misslyckade inloggningsförsök. Vänta en stund och försök igen.',
          en: 'Too many failed sign-in attempts. Wait a while and try again.',
        },
        [],
        { 'retry-after': String(result.retryAfterSeconds) },
      );
    }
    if (!result.ok) throw invalidCredentials();
    await dropPrevious(request);
    setSessionCookie(reply, auth, result.session.token, result.session.expiresAt);
    return signedIn(db(), result.user, result.session.csrfToken, result.session.expiresAt, request.ip);
  });

  app.get('/api/session', { schema: { tags, summary: 'Den inloggade användaren, CSRF-token och behörigheter, eller att ingen är inloggad', response: { 200: SessionState, ...errorResponses } } }, async (request) => {
    const session = request.authSession;
    if (!session) return { signedIn: false as const };
    return signedIn(db(), session.user, session.csrfToken, session.expiresAt, request.ip);
  });

  app.get('/api/session/methods', { schema: { tags, summary: 'Sätt att logga in', response: { 200: SignInMethods, ...errorResponses } } }, async () => ({
    password: true,
    oidc: oidc ? { label: oidc.settings.label ?? null, start: '/api/session/oidc/start' } : null,
    anonymousAbilities: abilities(null),
  }));

  app.delete('/api/session', { schema: { tags, summary: 'Logga ut', response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const token = request.cookies[auth.cookieName];
    if (token && request.authSession) await endSession(db(), token, request.ip);
    clearSessionCookie(reply, auth);
    reply.code(204);
  });

  if (!oidc) return;
  const pendingCookie = auth.secure ? '__Host-lagesbild_oidc' : 'lagesbild_oidc';
  const failed = (reply: FastifyReply, code: string) => reply.redirect(`/?signin_error=${code}`, 303);

  app.get(
    '/api/session/oidc/start',
    { schema: { tags, summary: 'Börja logga in via organisationens identitetstjänst', querystring: z.object({ returnTo: z.string().max(500).optional() }), response: { 302: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const { url, pending } = await startOidc(oidc, safeReturnTo(request.query.returnTo));
      reply.setCookie(pendingCookie, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: auth.secure,
        maxAge: 600,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get('/api/session/oidc/callback', { schema: { tags, summary: 'Identitetstjänstens svar', response: { 303: NoBody, ...errorResponses } } }, async (request, reply) => {
    const raw = request.cookies[pendingCookie];
    reply.clearCookie(pendingCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: auth.secure });
    let pending: OidcPending;
    try {
      pending = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString('utf8')) as OidcPending;
      if (!pending.state || !pending.verifier || !pending.nonce) throw new Error('incomplete');
    } catch {
      return failed(reply, 'oidc_state');
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    let identity: Awaited<ReturnType<typeof finishOidc>>;
    try {
      identity = await finishOidc(oidc, query, pending);
    } catch (e) {
      request.log.warn({ err: { type: (e as Error).name, code: (e as { code?: string }).code } }, 'oidc sign-in failed');
      await writeAudit(db(), { actor: { id: 'anonymous', role: 'anonymous' }, operation: 'session.login_failed', from: request.ip, details: { method: 'oidc', reason: 'response' } });
      return failed(reply, 'oidc');
    }
    const user = await matchOidcUser(db(), oidc.settings, identity.issuer, identity.claims);
    if (!user) {
      await writeAudit(db(), {
        actor: { id: 'anonymous', role: 'anonymous' },
        operation: 'session.login_failed',
        from: request.ip,
        details: { method: 'oidc', reason: 'not_registered' },
      });
      return failed(reply, 'not_registered');
    }
    await dropPrevious(request);
    const session = await externalSignIn(db(), user, request.ip, 'oidc', auth.clock(), auth.settings);
    setSessionCookie(reply, auth, session.token, session.expiresAt);
    return reply.redirect(safeReturnTo(pending.returnTo), 303);
  });
}
