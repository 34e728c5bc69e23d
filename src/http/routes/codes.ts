// The code lists with their labels: public, cacheable, what every form reads.
import { codesDocument } from '../../standard/api-codes.ts';
import type { Api } from '../types.ts';

export function codeRoutes(app: Api) {
  const document = codesDocument();
  app.get('/api/codes', { schema: { tags: ['codes'], summary: 'Kodlistor med svenska och engelska etiketter' } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return document;
  });
}
