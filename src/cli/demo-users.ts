// Sign-in for the demo instance: a regional coordinator, a civil-society reporter, an NSP and an ÅMP programme
// officer, a statistician and an administrator whose passwords are
// drawn anew at every start and shown only in the starting terminal, so a person trying the
// demo can sign in at once while no fixed password ever exists.
import { randomBytes } from 'node:crypto';
import { systemActor } from '../access/actor.ts';
import { createUser, findUserByUsername, setPassword, type UserRole } from '../access/users.ts';
import type { Executor } from '../store/db.ts';
import { ensureDemoOrganisations, type DemoOrganisationId } from './demo-organisations.ts';

export const demoAccounts: { username: string; role: UserRole; region?: string; organisation_id?: DemoOrganisationId; sv: string }[] = [
  { username: 'demo-koordinator', role: 'coordinator', region: 'stockholm', sv: 'regionkoordinator, Stockholm' },
  { username: 'demo-civilsamhalle', role: 'organisation_reporter', organisation_id: 'demo-civilsamhalle', sv: 'rapportör, organisation i civilsamhället' },
  { username: 'demo-nsp', role: 'programme_officer', organisation_id: 'demo-nsp', sv: 'handläggare, stödprogrammet NSP' },
  { username: 'demo-amp', role: 'programme_officer', organisation_id: 'demo-amp', sv: 'handläggare, stödprogrammet ÅMP' },
  { username: 'demo-statistiker', role: 'statistician', sv: 'statistiker' },
  { username: 'demo-admin', role: 'admin', sv: 'administratör: organisationer och användare' },
];

/** A random password of five groups of four characters, e.g. `k3Tq-…`. */
function demoPassword(): string {
  return (randomBytes(15).toString('base64url').match(/.{4}/g) ?? []).slice(0, 5).join('-');
}

/** Creates the demo accounts (and first the demo organisations they belong to) or gives them new passwords; returns each with its password. */
export async function refreshDemoUsers(db: Executor): Promise<{ username: string; sv: string; password: string }[]> {
  const actor = systemActor('demo');
  await ensureDemoOrganisations(db);
  const out = [];
  for (const account of demoAccounts) {
    const password = demoPassword();
    const existing = await findUserByUsername(db, account.username);
    if (existing) await setPassword(db, actor, existing.id, password);
    else await createUser(db, actor, { username: account.username, role: account.role, region: account.region, organisation_id: account.organisation_id, password });
    out.push({ username: account.username, sv: account.sv, password });
  }
  return out;
}
