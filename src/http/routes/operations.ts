// Operations the command line runs through a server that holds the embedded database (its data
// directory can have only one user): take an audit anchor, verify the trail against anchors,
// take a backup. Only the local command line may call them (the token the server writes beside
// its data directory); no user role can, not even an administrator, since a backup holds every
// case of every region.
import type { FastifyRequest } from 'fastify';
import { systemActor } from '../../access/actor.ts';
import { takeAuditAnchor, verifyAnchors, verifyAuditChain } from '../../access/audit.ts';
import { backupStream } from '../../operations/backup.ts';
import { actorOf, forbidden, unauthenticated } from '../auth.ts';
import { AnchorsBody, AuditAnchor, AuditVerification, Binary, errorResponses } from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

/** The local command line, or 401/403. */
function requireLocalCli(request: FastifyRequest) {
  const actor = actorOf(request);
  if (!actor) throw unauthenticated();
  if (actor.role !== 'system') throw forbidden();
  return actor;
}

export function operationsRoutes(app: Api, ctx: Ctx) {
  app.post('/api/operations/audit/anchor', { schema: { tags: ['operations'], summary: 'Ta ett ankare för granskningsloggen (endast lokal kommandorad)', response: { 200: AuditAnchor, ...errorResponses } } }, async (request) => {
    requireLocalCli(request);
    return takeAuditAnchor(ctx.database.db, systemActor('cli'));
  });

  app.post(
    '/api/operations/audit/verify',
    {
      // A daily anchor for decades is a few megabytes.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['operations'],
        summary: 'Kontrollera granskningsloggens kedja och ankare (endast lokal kommandorad)',
        body: AnchorsBody,
        response: { 200: AuditVerification, ...errorResponses },
      },
    },
    async (request) => {
      requireLocalCli(request);
      const chain = await verifyAuditChain(ctx.database.db);
      const anchors = await verifyAnchors(
        ctx.database.db,
        request.body.anchors.map((a) => ({ row: a.row, hash: a.hash, at: null })),
      );
      return { chain, anchors };
    },
  );

  app.get('/api/operations/backup', { schema: { tags: ['operations'], summary: 'Säkerhetskopia av hela instansen (endast lokal kommandorad)', response: { 200: { content: { 'application/gzip': { schema: Binary } } }, ...errorResponses } } }, async (request, reply) => {
    requireLocalCli(request);
    reply.header('content-type', 'application/gzip');
    reply.header('content-disposition', 'attachment; filename="lagesbild-backup.jsonl.gz"');
    reply.header('cache-control', 'no-store');
    return reply.send(backupStream(ctx.database, systemActor('cli')));
  });
}
