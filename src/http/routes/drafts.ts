// The unsaved case form of the signed-in session (access/drafts.ts keeps it).
import type { FastifyRequest } from 'fastify';
import { discardDraft, getDraft, saveDraft } from '../../access/drafts.ts';
import { requireActor, unauthenticated } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import { Draft, DraftBody, NoBody, errorResponses } from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

/** A form's JSON: more than any case needs, far less than the request limit. */
export const MAX_DRAFT_BYTES = 64 * 1024;

const tooLarge = () => new HttpProblem(413, 'payload_too_large', { sv: 'Utkastet är för stort.', en: 'The draft is too large.' });

/** Only a signed-in user's session holds a draft (not the local CLI). */
function sessionOf(request: FastifyRequest) {
  requireActor(request);
  const session = request.authSession;
  if (!session) throw unauthenticated();
  return session;
}

export function draftRoutes(app: Api, ctx: Ctx) {
  const tags = ['session'];
  const db = () => ctx.database.db;

  app.get('/api/drafts/case', { schema: { tags, summary: 'Sessionens osparade ärendeformulär', response: { 200: Draft, ...errorResponses } } }, async (request) => {
    const session = sessionOf(request);
    return getDraft(db(), session.idHash, session.user.id);
  });

  app.put(
    '/api/drafts/case',
    { bodyLimit: MAX_DRAFT_BYTES * 2, schema: { tags, summary: 'Spara det osparade ärendeformuläret', body: DraftBody, response: { 204: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (Buffer.byteLength(JSON.stringify(request.body.data)) > MAX_DRAFT_BYTES) throw tooLarge();
      await saveDraft(db(), session.idHash, session.user.id, request.body.data);
      reply.code(204);
    },
  );

  app.delete('/api/drafts/case', { schema: { tags, summary: 'Släng utkastet', response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const session = sessionOf(request);
    await discardDraft(db(), session.idHash);
    reply.code(204);
  });
}
