// Who is acting. Every service takes an actor; the CLI acts as the system actor.
import type { RegionCode } from '../standard/codes.ts';

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
