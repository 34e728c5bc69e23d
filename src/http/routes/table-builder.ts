// The public table builder: GET /api/stats/table. Anyone may ask; the service decides everything
// (published releases only, the refusals, the cell-key protection) and answers every actor alike.
import { TableBuilderAnswer, TableBuilderQuery, errorResponses } from '../../contract/index.ts';
import { tableBuilder } from '../../stats/table-builder.ts';
import type { Api, Ctx } from '../types.ts';

export function tableBuilderRoutes(app: Api, ctx: Ctx) {
  const builder = tableBuilder(ctx.database.db);
  app.get(
    '/api/stats/table',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Bygg en egen tabell ur en publicerad utgåva (skyddad med cellnyckelmetoden)',
        querystring: TableBuilderQuery,
        response: { 200: TableBuilderAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { dimensions, year, release } = request.query;
      const answer = await builder.build(request.actor, {
        dimensions: dimensions === undefined ? undefined : dimensions.split(',').map((d) => d.trim()).filter(Boolean),
        year,
        release,
      });
      // The same for everyone; a newly published release may change the default within a minute.
      reply.header('cache-control', 'public, max-age=60');
      return answer;
    },
  );
}
