// The audit trail: statisticians and administrators search all of it; a coordinator sees who
// looked at their region's cases (searchAudit scopes it). The chain's state is for those who
// search all of it (audit.verify): a region's view holds only some rows and cannot be checked.
import { z } from 'zod';
import { auditChainState, auditOperations, newChainWalk, searchAudit } from '../../access/audit.ts';
import { can } from '../../access/policy.ts';
import { forbidden, requireActor } from '../auth.ts';
import { AuditChainState, AuditPage, errorResponses } from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

/**
 * A day or moment within 1900–2100: JavaScript dates reach ±275,760 years, PostgreSQL's do not,
 * and nothing in the trail lies outside these years.
 */
const AuditDate = z.string().max(40).pipe(z.coerce.date<string>().min(new Date('1900-01-01T00:00:00Z')).max(new Date('2100-12-31T23:59:59Z')));

const AuditQuery = z.object({
  operation: z.enum(auditOperations).optional(),
  /** a user's id or username */
  actor: z.string().min(1).max(200).optional(),
  /** a case's id or reference */
  case: z.string().min(1).max(64).regex(/^[0-9A-Za-z-]+$/).optional(),
  region: z.string().min(1).max(32).regex(/^[a-z_-]+$/).optional(),
  since: AuditDate.optional(),
  until: AuditDate.optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function auditRoutes(app: Api, ctx: Ctx) {
  // This server's walk of the chain: each request goes on from where the last one left it.
  const walk = newChainWalk();

  app.get('/api/audit/chain', { schema: { tags: ['audit'], summary: 'Granskningsloggens kedja: hur långt den är kontrollerad och obruten, senaste ankaret', response: { 200: AuditChainState, ...errorResponses } } }, async (request, reply) => {
    const actor = requireActor(request);
    if (!can(actor, 'audit.verify')) throw forbidden();
    reply.header('cache-control', 'no-store');
    return auditChainState(ctx.database.db, walk);
  });

  app.get('/api/audit', { schema: { tags: ['audit'], summary: 'Sök i granskningsloggen', querystring: AuditQuery, response: { 200: AuditPage, ...errorResponses } } }, async (request) => {
    const actor = requireActor(request);
    if (!can(actor, 'audit.search') && !(actor.region && can(actor, 'audit.read_own_region', { region: actor.region }))) throw forbidden();
    const q = request.query;
    const result = await searchAudit(ctx.database.db, actor, {
        operation: q.operation,
        actorId: q.actor,
        caseId: q.case?.toUpperCase(),
        region: q.region,
        since: q.since,
        until: q.until,
        page: q.page,
        pageSize: q.pageSize,
      });
    return { ...result, abilities: { 'audit.search': can(actor, 'audit.search'), 'audit.read_own_region': can(actor, 'audit.read_own_region') } };
  });
}
