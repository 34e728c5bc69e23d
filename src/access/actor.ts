// Who is acting. Every service takes an actor; the CLI acts as the system actor.
import { region, type Label, type Lang, type RegionCode } from '../standard/codes.ts';

export const roles = ['coordinator', 'organisation_reporter', 'programme_officer', 'statistician', 'admin', 'system'] as const;
export type Role = (typeof roles)[number];

export type Actor = {
  /** user id, or `system:<what>` for the CLI and jobs */
  id: string;
  role: Role;
  /** the organisation the actor belongs to (coordinators: `rk-<region>`) */
  organisation_id: string | null;
  /** coordinators: the region whose cases they read and write */
  region: RegionCode | null;
  /** where the request came from (IP), for the audit trail */
  from?: string | null;
};

/** The actor used by the CLI and by internal jobs. */
export const systemActor = (what = 'cli'): Actor => ({ id: `system:${what}`, role: 'system', organisation_id: null, region: null });

/** Each role as a person reads it in a case's history, lower case to follow a username. */
export const roleLabels: Record<Role, Label> = {
  coordinator: { sv: 'regionkoordinator', en: 'regional coordinator' },
  organisation_reporter: { sv: 'rapportör för organisation', en: 'organisation reporter' },
  programme_officer: { sv: 'handläggare för stödprogram', en: 'support programme officer' },
  statistician: { sv: 'statistiker', en: 'statistician' },
  admin: { sv: 'administratör', en: 'administrator' },
  system: { sv: 'Systemet', en: 'The system' },
};

/** What a system actor did its work through (`system:<what>`), for the history. */
const systemWork: Record<string, Label> = {
  cli: { sv: 'kommandoraden', en: 'command line' },
  demo: { sv: 'demodata', en: 'demo data' },
  seed: { sv: 'demodata', en: 'demo data' },
  restore: { sv: 'återställning', en: 'restore' },
};

/** Who acted, as stored: no personal names exist, so the username and the role with its scope. */
export type ActorDescription = { id: string; role: string; username: string | null; region: string | null; organisation: Label | null };

/**
 * "demo-koordinator (regionkoordinator, Stockholm)": the username when the user still exists, then the
 * role at the time of the act with the user's region or organisation; a system actor names its work.
 */
export function describeActor(who: ActorDescription, lang: Lang): string {
  const role = roles.includes(who.role as Role) ? roleLabels[who.role as Role][lang] : who.role;
  if (who.role === 'system') {
    const work = systemWork[who.id.replace(/^system:/, '')];
    return work ? `${role} (${work[lang]})` : role;
  }
  const regionLabel = region.items.find((r) => r.code === who.region)?.[lang];
  const scope = regionLabel ?? who.organisation?.[lang];
  const what = scope ? `${role}, ${scope}` : role;
  return who.username ? `${who.username} (${what})` : what.charAt(0).toUpperCase() + what.slice(1);
}
