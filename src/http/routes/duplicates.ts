// Possible duplicates: the review list of a year and a pair's resolution, and the national overview of
// unique people they feed. Thin: the registry decides which pairs the user reviews (their own scope, or
// the statistician's national review) and audits; the overview is the statistician's (src/stats/overview.ts).
import { z } from 'zod';
import { abilities } from '../../access/policy.ts';
import { listDuplicates, resolveDuplicate } from '../../registry/duplicates.ts';
import { publicUniquePeople, uniquePeopleOverview } from '../../stats/overview.ts';
import { requireActor } from '../auth.ts';
import { DuplicateList, DuplicatePair, DuplicateQuery, DuplicateResolutionBody, PublicUniquePeople, UniquePeopleOverview, errorResponses } from '../../contract/index.ts';
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

  // The national overview that the resolutions feed: the statistician's, from the live records (audited).
  app.get(
    '/api/stats/unique-people',
    { schema: { tags: ['stats'], summary: 'Unika personer i alla källor och deras överlapp (statistiker, levande data)', querystring: DuplicateQuery, response: { 200: UniquePeopleOverview, ...errorResponses } } },
    async (request) => uniquePeopleOverview(db(), requireActor(request), request.query.year),
  );
  // The same overview for everyone: from the published releases, protected (src/stats/overview.ts).
  app.get(
    '/api/stats/unique-people/public',
    { schema: { tags: ['stats'], summary: 'Unika personer i alla källor och deras överlapp, ur publicerade utgåvor (skyddad)', querystring: DuplicateQuery, response: { 200: PublicUniquePeople, ...errorResponses } } },
    async (request) => publicUniquePeople(db(), request.query.year),
  );
}
