// The CTDC export of a published release (src/stats/ctdc.ts, docs/ctdc-export.md): the
// statistician's download, audited by the service as an export of case-level data.
import { ctdcExport } from '../../stats/ctdc.ts';
import { errorResponses } from '../../contract/index.ts';
import { CtdcCsv, CtdcQuery } from '../../contract/ctdc.ts';
import { assertAbility } from '../auth.ts';
import type { Api, Ctx } from '../types.ts';

export function ctdcRoutes(app: Api, ctx: Ctx) {
  app.get(
    '/api/stats/ctdc',
    {
      schema: {
        tags: ['statistics'],
        summary: 'CTDC-export av en publicerad utgåva (k-anonymiserad, k = 11)',
        querystring: CtdcQuery,
        response: { 200: CtdcCsv, ...errorResponses },
      },
    },
    async (request, reply) => {
      // 401 not signed in, 403 every role but the statistician (the same rule as the internal reads)
      const actor = assertAbility(request, 'release.read_internal')!;
      const out = await ctdcExport(ctx.database.db, actor, { year: request.query.year, releaseId: request.query.release });
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .header('cache-control', 'no-store');
      return out.csv;
    },
  );
}
