// The Fastify application: thin routes over the services, OpenAPI from the zod schemas,
// one error hook. Nothing here computes or decides; services do.
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../store/index.ts';
import type { Actor } from '../access/actor.ts';
import { oidcClient, oidcSettingsFromEnv, type OidcClient } from '../access/oidc.ts';
import type { Clock, SessionSettings } from '../access/sessions.ts';
import { parseTrustedProxies, registerAuth } from './auth.ts';
import { registerErrorHandling } from './errors.ts';
import { registerSecurity, serverLimits } from './security.ts';
import { sessionRoutes } from './routes/session.ts';
import { draftRoutes } from './routes/drafts.ts';
import { auditRoutes } from './routes/audit.ts';
import { adminRoutes } from './routes/admin.ts';
import type { Ctx } from './types.ts';
import { codeRoutes } from './routes/codes.ts';
import { caseRoutes } from './routes/cases.ts';
import { transferRoutes } from './routes/transfer.ts';
import { statsRoutes } from './routes/stats.ts';
import { sourceReportRoutes } from './routes/source-reports.ts';
import { ctdcRoutes } from './routes/ctdc.ts';
import { duplicateRoutes } from './routes/duplicates.ts';
import { tableBuilderRoutes } from './routes/table-builder.ts';
import { operationsRoutes } from './routes/operations.ts';
import { healthRoutes } from './routes/health.ts';
import { registerWeb } from './web.ts';

export type AppOptions = {
  database: Database;
  /** pino options or false */
  logger?: boolean | object;
  /** a random token that lets the local CLI act through the running server (written to the data directory) */
  localToken?: string;
  demo?: boolean;
  /** sessions' clock (tests move it forward) */
  clock?: Clock;
  sessionSettings?: SessionSettings;
  /** Secure __Host- cookies; default NODE_ENV === 'production' */
  secureCookies?: boolean;
  /** OpenID Connect sign-in; default from the OIDC_* environment variables, null: none */
  oidc?: OidcClient | null;
  /** proxies whose X-Forwarded-For gives the client address; default LAGESBILD_TRUSTED_PROXIES, []: none */
  trustedProxies?: string[];
};

declare module 'fastify' {
  interface FastifyInstance {
    /** every route of the app (method, URL pattern and schema), for tests that must cover all of them */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    /** who is asking: a signed-in user, the local CLI (system), or null when not signed in */
    actor: Actor | null;
  }
}

export type App = FastifyInstance;

/** A route as registered: its schema says what it answers (the contract test reads it). */
export type RouteEntry = { method: string; url: string; schema?: FastifySchema };


/** Request bodies the services validate themselves, so every violation carries the standard's sv/en text. */
const selfValidatedBodies = new Set(['/api/cases', '/api/cases/:id', '/api/cases/validate']);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const trustedProxies = opts.trustedProxies ?? parseTrustedProxies();
  const app = Fastify({
    ...serverLimits,
    logger: opts.logger ?? false,
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
  });
  app.setValidatorCompiler((route) =>
    route.httpPart === 'body' && selfValidatedBodies.has(route.url)
      ? (data: unknown) => ({ value: data })
      : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
  );
  app.setSerializerCompiler(serializerCompiler);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, schema: route.schema });
  });
  registerErrorHandling(app);
  registerSecurity(app);
  // gzip/brotli when the client asks; before the routes, whose onSend it hooks. Small answers are
  // not worth it; PDF and XLSX (already zip/deflate inside) are not of a compressible type.
  await app.register(compress, { threshold: 1024 });
  const auth = await registerAuth(app, {
    database: opts.database,
    localToken: opts.localToken,
    clock: opts.clock,
    settings: opts.sessionSettings,
    secureCookies: opts.secureCookies,
  });
  const oidcSettings = opts.oidc === undefined ? oidcSettingsFromEnv() : null;
  const oidc = opts.oidc !== undefined ? opts.oidc : oidcSettings ? oidcClient(oidcSettings) : null;

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Lägesbild API',
        description: 'Nationellt ärenderegister och statistik om människohandel och människoexploatering.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const ctx: Ctx = { database: opts.database, demo: opts.demo ?? false };
  const typed = app.withTypeProvider<ZodTypeProvider>();
  await typed.register(async (api) => {
    codeRoutes(api.withTypeProvider<ZodTypeProvider>());
    sessionRoutes(api.withTypeProvider<ZodTypeProvider>(), auth, oidc);
    draftRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    auditRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    adminRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx, auth);
    caseRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    transferRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    statsRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    sourceReportRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    ctdcRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    duplicateRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    tableBuilderRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    operationsRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    healthRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
  });

  await registerWeb(app);
  return app;
}
