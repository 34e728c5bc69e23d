// The demo instance's civil-society organisation and its two support programmes (NSP and ÅMP): the
// organisations its demo records and demo accounts belong to. Created once, left as they are after that.
import { eq } from 'drizzle-orm';
import { systemActor } from '../access/actor.ts';
import { createOrganisation, type NewOrganisation } from '../access/organisations.ts';
import type { Executor } from '../store/db.ts';
import { organisations } from '../store/schema.ts';

export const demoOrganisations = [
  { id: 'demo-civilsamhalle', kind: 'civil_society', programme: null, name_sv: 'Demoorganisation i civilsamhället', name_en: 'Demo civil-society organisation' },
  { id: 'demo-nsp', kind: 'support_programme', programme: 'nsp', name_sv: 'Demo: Nationellt stödprogram (NSP)', name_en: 'Demo: National support programme (NSP)' },
  { id: 'demo-amp', kind: 'support_programme', programme: 'amp', name_sv: 'Demo: Återvändandeprogram (ÅMP)', name_en: 'Demo: Assisted return programme (AVRR)' },
] as const satisfies readonly (NewOrganisation & { id: string })[];

export type DemoOrganisationId = (typeof demoOrganisations)[number]['id'];

/** Creates the demo organisations that do not exist yet (by short name); an existing one is left as it is. */
export async function ensureDemoOrganisations(db: Executor): Promise<void> {
  const actor = systemActor('demo');
  for (const o of demoOrganisations) {
    const [existing] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, o.id));
    if (!existing) await createOrganisation(db, actor, o);
  }
}
