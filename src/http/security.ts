// Security headers on every response and the limits of what a request may be.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** Spread into `Fastify({...})`: bounds on body, URL parameters and slow clients. */
export const serverLimits = {
  bodyLimit: 1024 * 1024,
  routerOptions: { maxParamLength: 200 },
  // Slow or stalled clients must not hold sockets for ever.
  connectionTimeout: 120_000,
  requestTimeout: 120_000,
  keepAliveTimeout: 10_000,
} satisfies Partial<FastifyServerOptions>;

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export type SecurityOptions = {
  /** adds Strict-Transport-Security; default NODE_ENV === 'production' */
  production?: boolean;
};

export function registerSecurity(app: FastifyInstance, opts: SecurityOptions = {}) {
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.removeHeader('x-powered-by');
    // Case data must not linger in shared or browser caches; public routes set their own.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
