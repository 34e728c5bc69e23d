// The Fastify application: thin routes over the services, OpenAPI from the zod schemas,
// one error hook. Nothing here computes or decides; services do.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../store/index.ts';
import { systemActor, type Actor } from '../access/actor.ts';
import { registerErrorHandling } from './errors.ts';
import type { Ctx } from './types.ts';
import { codeRoutes } from './routes/codes.ts';
import { caseRoutes } from './routes/cases.ts';
import { transferRoutes } from './routes/transfer.ts';
import { statsRoutes } from './routes/stats.ts';
import { registerWeb } from './web.ts';

export type AppOptions = {
  database: Database;
  /** pino options or false */
  logger?: boolean | object;
  /** a random token that lets the local CLI act through the running server (written to the data directory) */
  localToken?: string;
  demo?: boolean;
};

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export type App = FastifyInstance;


/** Request bodies the services validate themselves, so every violation carries the standard's sv/en text. */
const selfValidatedBodies = new Set(['/api/cases', '/api/cases/:id']);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler((route) =>
    route.httpPart === 'body' && selfValidatedBodies.has(route.url)
      ? (data: unknown) => ({ value: data })
      : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
  );
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    const token = request.headers['x-lagesbild-local-token'];
    request.actor = opts.localToken && token === opts.localToken ? systemActor('cli') : systemActor('http');
  });

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
    caseRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    transferRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    statsRoutes(api.withTypeProvider<ZodTypeProvider>(), ctx);
    api.get('/api/health', async () => ({ ok: true, database: ctx.database.kind, demo: ctx.demo }));
  });

  await registerWeb(app);
  return app;
}
