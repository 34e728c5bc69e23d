// The code lists with their labels, the form rules and the report's table catalogue: public,
// cacheable, what every form and every statistics page reads.
import { CodesDocument, errorResponses } from '../../contract/index.ts';
import { codesDocument } from '../../standard/api-codes.ts';
import { catalogueDocument } from '../../stats/catalogue.ts';
import type { Api } from '../types.ts';

export function codeRoutes(app: Api) {
  // The report's table catalogue rides along, so the web app names and orders the tables as the server does.
  const document = { ...codesDocument(), report: catalogueDocument() };
  app.get(
    '/api/codes',
    { schema: { tags: ['codes'], summary: 'Kodlistor med svenska och engelska etiketter, formulärets regler', response: { 200: CodesDocument, ...errorResponses } } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return document;
    },
  );
}
