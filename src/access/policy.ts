// Who may do what: pure functions over an actor and, for case actions, the case's owner fields.
// No I/O, so the whole matrix is tested and the API can hand the result to the web app.
import { DomainError } from '../standard/domain-error.ts';
import type { Actor, Role } from './actor.ts';

export const actions = [
  'codes.read',
  'published.read',
  'case.create',
  'case.read',
  'case.update',
  'case.close',
  'case.reopen',
  'case.withdraw',
  'case.history',
  'cases.list',
  'cases.search',
  'cases.import',
  'cases.export',
  'release.freeze',
  'release.publish',
  'release.read_internal',
  'report.read_live',
  'audit.search',
  'audit.read_own_region',
  'audit.verify',
  'users.manage',
  'organisations.manage',
  'duplicates.review',
  'duplicates.review_national',
] as const;
export type Action = (typeof actions)[number];

/** Actions on one case: decided by the case's source, region and organisation. */
export const caseActions = [
  'case.create',
  'case.read',
  'case.update',
  'case.close',
  'case.reopen',
  'case.withdraw',
  'case.history',
] as const satisfies readonly Action[];
type CaseAction = (typeof caseActions)[number];

/** The owner fields of a case (or of the case about to be created). */
export type CaseTarget = { source: string; region: string | null; organisation_id: string | null };
/** For `audit.read_own_region`: the region whose audit rows are asked for. */
export type RegionTarget = { region: string };
export type Target = CaseTarget | RegionTarget;

/**
 * The cases a list query may return. The registry ANDs `filter` with the user's filters
 * (never merges it into them, so a user filter cannot widen it).
 */
export type CaseScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'region'; filter: { source: 'coordinator'; region: string } }
  | { kind: 'organisation'; filter: { source: 'civil_society' | 'support_programme'; organisation_id: string } };

const writesOwnCases: readonly CaseAction[] = caseActions;
const readsCases: readonly CaseAction[] = ['case.read', 'case.history'];

/** Actions every role of a kind holds regardless of target (besides what the public has). */
const roleActions: Record<Role, readonly Action[]> = {
  coordinator: [...writesOwnCases, 'cases.list', 'cases.search', 'cases.import', 'cases.export', 'audit.read_own_region', 'duplicates.review'],
  organisation_reporter: [...writesOwnCases, 'cases.list', 'cases.search', 'cases.import', 'cases.export', 'duplicates.review'],
  programme_officer: [...writesOwnCases, 'cases.list', 'cases.search', 'cases.import', 'cases.export', 'duplicates.review'],
  statistician: [
    ...readsCases,
    'cases.list',
    'cases.search',
    'cases.export',
    'release.freeze',
    'release.publish',
    'release.read_internal',
    'report.read_live',
    'audit.search',
    'audit.verify',
    // possible duplicates across scopes (regions, organisations, sources): never the registering user's
    'duplicates.review_national',
  ],
  admin: ['users.manage', 'organisations.manage', 'audit.search', 'audit.verify'],
  system: actions,
};

const publicActions: readonly Action[] = ['codes.read', 'published.read'];

export function caseScope(actor: Actor | null): CaseScope {
  if (!actor) return { kind: 'none' };
  switch (actor.role) {
    case 'system':
    case 'statistician':
      return { kind: 'all' };
    case 'coordinator':
      return actor.region ? { kind: 'region', filter: { source: 'coordinator', region: actor.region } } : { kind: 'none' };
    case 'organisation_reporter':
      return actor.organisation_id
        ? { kind: 'organisation', filter: { source: 'civil_society', organisation_id: actor.organisation_id } }
        : { kind: 'none' };
    case 'programme_officer':
      return actor.organisation_id
        ? { kind: 'organisation', filter: { source: 'support_programme', organisation_id: actor.organisation_id } }
        : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

/** Whether a case falls inside a scope. */
export function inScope(scope: CaseScope, target: CaseTarget): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'region':
      return target.source === scope.filter.source && target.region === scope.filter.region;
    case 'organisation':
      return target.source === scope.filter.source && target.organisation_id === scope.filter.organisation_id;
  }
}

function isCaseTarget(target: Target | undefined): target is CaseTarget {
  return !!target && 'source' in target;
}

/**
 * Whether `actor` (null: not signed in) may do `action`. For case actions, without a target
 * the answer is "on some case" (for showing a button); the registry always asks again with
 * the case itself.
 */
export function can(actor: Actor | null, action: Action, target?: Target): boolean {
  if (publicActions.includes(action)) return true;
  if (!actor || !roleActions[actor.role]?.includes(action)) return false;
  if ((caseActions as readonly string[]).includes(action)) {
    const scope = caseScope(actor);
    if (scope.kind === 'none') return false;
    if (target === undefined) return true;
    return isCaseTarget(target) && inScope(scope, target);
  }
  if (action === 'audit.read_own_region') {
    if (actor.role === 'system') return true;
    if (!actor.region) return false;
    return target === undefined || (!isCaseTarget(target) && target.region === actor.region);
  }
  // List-level case actions need some case scope to be meaningful.
  if (action === 'cases.list' || action === 'cases.search' || action === 'cases.import' || action === 'cases.export' || action === 'duplicates.review') {
    return caseScope(actor).kind !== 'none';
  }
  return true;
}

export type Abilities = Record<Action, boolean>;

/** Every action with the actor's answer, for the API to return alongside data. */
export function abilities(actor: Actor | null, target?: Target): Abilities {
  return Object.fromEntries(actions.map((a) => [a, can(actor, a, target)])) as Abilities;
}

/** The abilities on one case: only the case actions, so a case response stays small. */
export function caseAbilities(actor: Actor | null, target: CaseTarget): Record<CaseAction, boolean> {
  return Object.fromEntries(caseActions.map((a) => [a, can(actor, a, target)])) as Record<CaseAction, boolean>;
}

export class ForbiddenError extends DomainError {
  constructor(readonly action: Action) {
    super('forbidden', 'forbidden', { sv: 'Du har inte behörighet till detta.', en: 'You are not permitted to do this.' });
  }
}

/** Throws ForbiddenError unless `can` says yes. */
export function authorize(actor: Actor | null, action: Action, target?: Target): void {
  if (!can(actor, action, target)) throw new ForbiddenError(action);
}
