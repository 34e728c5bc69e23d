// Who is asking: the session cookie becomes `request.actor` (null when not signed in), every
// state-changing request of a session must carry its CSRF token, and routes state the
// ability they need with `requireAbility`.
import crypto from 'node:crypto';
import net from 'node:net';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { systemActor, type Actor } from '../access/actor.ts';
import { can, type Action, type Target } from '../access/policy.ts';
import { csrfMatches, defaultSessionSettings, purgeExpiredSessions, resolveSession, systemClock, type Clock, type ResolvedSession, type SessionSettings } from '../access/sessions.ts';
import { userActor } from '../access/users.ts';
import { verifyAgainstDummy } from '../access/passwords.ts';
import type { Database } from '../store/index.ts';
import { retryOnConnectionLoss } from '../store/db.ts';
import { HttpProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the session behind the cookie, when there is one */
    authSession: ResolvedSession | null;
  }
  interface FastifyContextConfig {
    /** false: the route is exempt from the CSRF check (sign-in itself) */
    csrf?: boolean;
  }
}

export type AuthOptions = {
  database: Database;
  /** lets the local CLI act as the system actor through the running server */
  localToken?: string;
  clock?: Clock;
  settings?: SessionSettings;
  /** Secure cookies with the __Host- prefix; default NODE_ENV === 'production' */
  secureCookies?: boolean;
  /** how often ended sessions and old throttle rows are removed; 0: never (default 10 minutes) */
  purgeEveryMs?: number;
};

export type AuthContext = {
  database: Database;
  clock: Clock;
  settings: SessionSettings;
  secure: boolean;
  cookieName: string;
};

const probeRoutes = new Set(['/api/health', '/api/ready']);
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const unauthenticated = () =>
  new HttpProblem(401, 'unauthenticated', { sv: 'Logga in för att fortsätta.', en: 'Sign in to continue.' });
export const forbidden = () => new HttpProblem(403, 'forbidden', { sv: 'Du har inte behörighet till detta.', en: 'You are not permitted to do this.' });
const csrfFailed = () =>
  new HttpProblem(403, 'csrf_failed', {
    sv: 'Begäran saknar giltig CSRF-token. Ladda om sidan och försök igen.',
    en: 'The request lacks a valid CSRF token. Reload the page and try again.',
  });

/** The actor of a request: a user, the system (local CLI), or null when not signed in. */
export function actorOf(request: FastifyRequest): Actor | null {
  return (request as unknown as { actor: Actor | null }).actor ?? null;
}

/** The signed-in actor, or 401. */
export function requireActor(request: FastifyRequest): Actor {
  const actor = actorOf(request);
  if (!actor) throw unauthenticated();
  return actor;
}

/** 401 when not signed in, 403 when the actor may not. */
export function assertAbility(request: FastifyRequest, action: Action, target?: Target): Actor | null {
  const actor = actorOf(request);
  if (can(actor, action, target)) return actor;
  throw actor ? forbidden() : unauthenticated();
}

/** A preHandler for a route: `{ preHandler: requireAbility('cases.list') }`. */
export function requireAbility(action: Action, target?: (request: FastifyRequest) => Target | undefined) {
  return async (request: FastifyRequest) => {
    assertAbility(request, action, target?.(request));
  };
}

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The reverse proxies whose `X-Forwarded-For` names the client (for Fastify's `trustProxy`):
 * `LAGESBILD_TRUSTED_PROXIES`, comma-separated addresses or CIDRs (or `loopback`,
 * `linklocal`, `uniquelocal`). Empty: none, and the header is never believed; otherwise
 * anyone could pick the address their sign-in failures are counted against.
 */
export function parseTrustedProxies(value: string | undefined = process.env.LAGESBILD_TRUSTED_PROXIES): string[] {
  const entries = (value ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (proxyNames.has(entry)) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = net.isIP(address);
    const bits = prefix === undefined ? 0 : Number(prefix);
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && bits <= (family === 6 ? 128 : 32));
    if (!family || !validPrefix || rest.length > 0) {
      throw new Error(`LAGESBILD_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, ::1)`);
    }
  }
  return entries;
}

function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

export async function registerAuth(app: FastifyInstance, opts: AuthOptions): Promise<AuthContext> {
  const secure = opts.secureCookies ?? process.env.NODE_ENV === 'production';
  const ctx: AuthContext = {
    database: opts.database,
    clock: opts.clock ?? systemClock,
    settings: opts.settings ?? defaultSessionSettings,
    secure,
    cookieName: secure ? '__Host-lagesbild_session' : 'lagesbild_session',
  };
  // Computed now, so the first sign-in with an unknown username takes no longer than later ones.
  void verifyAgainstDummy('');
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
  if (!app.hasRequestDecorator('actor')) app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('authSession', null);

  app.addHook('onRequest', async (request, reply) => {
    const set = (actor: Actor | null) => {
      (request as unknown as { actor: Actor | null }).actor = actor;
    };
    request.authSession = null;
    const localToken = request.headers['x-lagesbild-local-token'];
    if (opts.localToken && typeof localToken === 'string' && sameSecret(localToken, opts.localToken)) {
      // A header the browser never sends by itself: no CSRF risk.
      set(systemActor('cli'));
      return;
    }
    set(null);
    const token = request.cookies[ctx.cookieName];
    // The probes answer for the process and the database themselves, not for a visitor's session.
    if (token && !probeRoutes.has(request.routeOptions.url ?? '')) {
      // Resolving a session only reads it, touches last_seen or removes an expired one: safe to
      // run again on a fresh connection, for every method.
      const session = await retryOnConnectionLoss(() => resolveSession(ctx.database.db, token, ctx.clock(), ctx.settings));
      if (session) {
        request.authSession = session;
        set(userActor(session.user, request.ip));
      } else {
        clearSessionCookie(reply, ctx);
      }
    }
    if (request.authSession && unsafeMethods.has(request.method) && request.routeOptions.config?.csrf !== false) {
      if (!csrfMatches(request.authSession.csrfToken, request.headers['x-csrf-token'])) throw csrfFailed();
    }
  });
  const purgeEvery = opts.purgeEveryMs ?? 10 * 60_000;
  if (purgeEvery > 0) {
    const timer = setInterval(() => {
      purgeExpiredSessions(ctx.database.db, ctx.clock(), ctx.settings).catch((e: Error) => app.log.warn({ err: { type: e.name } }, 'session purge failed'));
    }, purgeEvery);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return ctx;
}

export function setSessionCookie(reply: FastifyReply, ctx: AuthContext, token: string, expiresAt: Date) {
  reply.setCookie(ctx.cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, ctx: AuthContext) {
  reply.clearCookie(ctx.cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secure });
}
