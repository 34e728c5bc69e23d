// The unsaved case form, kept with the user's session on the server (never in browser storage).
// It ends with the session: sign-out, timeout and purge remove it.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { caseDrafts } from '../../access/schema.ts';
import { requireActor, unauthenticated } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import type { Api, Ctx } from '../types.ts';

/** A form's JSON: more than any case needs, far less than the request limit. */
export const MAX_DRAFT_BYTES = 64 * 1024;

const DraftBody = z.object({ data: z.record(z.string(), z.unknown()) }).strict();

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

  app.get('/api/drafts/case', { schema: { tags, summary: 'Sessionens osparade ärendeformulär' } }, async (request) => {
    const session = sessionOf(request);
    const [found] = await db()
      .select({ data: caseDrafts.data, updated_at: caseDrafts.updated_at })
      .from(caseDrafts)
      .where(and(eq(caseDrafts.session_id_hash, session.idHash), eq(caseDrafts.user_id, session.user.id)));
    // No draft: an empty form (`{}`), which the page does not restore.
    return { data: (found?.data as Record<string, unknown> | undefined) ?? {}, updatedAt: found?.updated_at.toISOString() ?? null };
  });

  app.put(
    '/api/drafts/case',
    { bodyLimit: MAX_DRAFT_BYTES * 2, schema: { tags, summary: 'Spara det osparade ärendeformuläret', body: DraftBody } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (Buffer.byteLength(JSON.stringify(request.body.data)) > MAX_DRAFT_BYTES) throw tooLarge();
      const now = new Date();
      await db()
        .insert(caseDrafts)
        .values({ session_id_hash: session.idHash, user_id: session.user.id, data: request.body.data, updated_at: now })
        .onConflictDoUpdate({ target: caseDrafts.session_id_hash, set: { data: request.body.data, updated_at: now } });
      reply.code(204);
    },
  );

  app.delete('/api/drafts/case', { schema: { tags, summary: 'Släng utkastet' } }, async (request, reply) => {
    const session = sessionOf(request);
    await db().delete(caseDrafts).where(eq(caseDrafts.session_id_hash, session.idHash));
    reply.code(204);
  });
}
