// Possible duplicates: the review list of a year and a pair's resolution. Thin: the registry decides
// which pairs the user reviews (their own scope, or the statistician's national review) and audits.
import { z } from 'zod';
import { abilities } from '../../access/policy.ts';
import { listDuplicates, resolveDuplicate } from '../../registry/duplicates.ts';
import { requireActor } from '../auth.ts';
import { DuplicateList, DuplicatePair, DuplicateQuery, DuplicateResolutionBody, errorResponses } from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

const PairParams = z.object({ id: z.string().min(1).max(120) });

export function duplicateRoutes(app: Api, ctx: Ctx) {
  const db = () => ctx.database.db;
  const tags = ['duplicates'];

  app.get(
    '/api/duplicates',
    { schema: { tags, summary: 'Möjliga dubbletter att granska (samma länkningsnyckel två gånger samma år)', querystring: DuplicateQuery, response: { 200: DuplicateList, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const list = await listDuplicates(db(), actor, request.query.year);
      const all = abilities(actor);
      return { ...list, abilities: { 'duplicates.review': all['duplicates.review'], 'duplicates.review_national': all['duplicates.review_national'] } };
    },
  );

  app.post(
    '/api/duplicates/:id/resolution',
    { schema: { tags, summary: 'Bedöm en möjlig dubblett: samma person eller olika personer', params: PairParams, body: DuplicateResolutionBody, response: { 200: DuplicatePair, ...errorResponses } } },
    async (request) => resolveDuplicate(db(), requireActor(request), request.params.id, request.body.resolution),
  );
}
