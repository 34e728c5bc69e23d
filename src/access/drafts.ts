// The unsaved case form of a session, kept on the server (never in browser storage). It belongs
// to the session: sign-out, timeout and purge remove it with the session's row.
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { caseDrafts } from './schema.ts';

export type Draft = { data: Record<string, unknown>; updatedAt: string | null };

/** The session's draft; an empty form (`{}`) when there is none, which the page does not restore. */
export async function getDraft(ex: Executor, sessionIdHash: string, userId: string): Promise<Draft> {
  const [found] = await ex
    .select({ data: caseDrafts.data, updated_at: caseDrafts.updated_at })
    .from(caseDrafts)
    .where(and(eq(caseDrafts.session_id_hash, sessionIdHash), eq(caseDrafts.user_id, userId)));
  return { data: (found?.data as Record<string, unknown> | undefined) ?? {}, updatedAt: found?.updated_at.toISOString() ?? null };
}

/** Keeps the session's draft, replacing the one before. */
export async function saveDraft(ex: Executor, sessionIdHash: string, userId: string, data: Record<string, unknown>): Promise<void> {
  const now = new Date();
  await ex
    .insert(caseDrafts)
    .values({ session_id_hash: sessionIdHash, user_id: userId, data, updated_at: now })
    .onConflictDoUpdate({ target: caseDrafts.session_id_hash, set: { data, updated_at: now } });
}

export async function discardDraft(ex: Executor, sessionIdHash: string): Promise<void> {
  await ex.delete(caseDrafts).where(eq(caseDrafts.session_id_hash, sessionIdHash));
}
