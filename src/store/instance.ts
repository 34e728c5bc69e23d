// What kind of instance a database is: the demo (synthetic data, refuses real imports) or a
// real one. Decided once, when the instance is first started.
import { eq } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { Executor } from './db.ts';

export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

export type InstanceKind = 'demo' | 'real';

export async function instanceKind(db: Executor): Promise<InstanceKind | null> {
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, 'kind'));
  return (row?.value as InstanceKind | undefined) ?? null;
}

export async function isDemoInstance(db: Executor): Promise<boolean> {
  return (await instanceKind(db)) === 'demo';
}

export async function setInstanceKind(db: Executor, kind: InstanceKind): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ key: 'kind', value: kind })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: kind } });
}
