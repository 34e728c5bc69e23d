import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor, Role } from '../../src/access/actor.ts';
import { systemActor } from '../../src/access/actor.ts';
import { abilities, actions, can, caseAbilities, caseScope, inScope, type Action, type CaseTarget } from '../../src/access/policy.ts';

const actors: Record<Exclude<Role, 'system'> | 'anonymous', Actor | null> = {
  anonymous: null,
  coordinator: { id: 'u1', role: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm' },
  organisation_reporter: { id: 'u2', role: 'organisation_reporter', region: null, organisation_id: 'plattformen-a' },
  programme_officer: { id: 'u3', role: 'programme_officer', region: null, organisation_id: 'nsp' },
  statistician: { id: 'u4', role: 'statistician', region: null, organisation_id: null },
  admin: { id: 'u5', role: 'admin', region: null, organisation_id: null },
};

// Each role's own case, and cases it must not touch.
const cases = {
  sthCoordinator: { source: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm' },
  sydCoordinator: { source: 'coordinator', region: 'syd', organisation_id: 'rk-syd' },
  orgA: { source: 'civil_society', region: null, organisation_id: 'plattformen-a' },
  orgB: { source: 'civil_society', region: null, organisation_id: 'plattformen-b' },
  nsp: { source: 'support_programme', region: null, organisation_id: 'nsp' },
  amp: { source: 'support_programme', region: null, organisation_id: 'amp' },
  // Same organisation id but another source: still out of scope.
  orgAasProgramme: { source: 'support_programme', region: null, organisation_id: 'plattformen-a' },
  sthCivilSociety: { source: 'civil_society', region: 'stockholm', organisation_id: 'rk-stockholm' },
} satisfies Record<string, CaseTarget>;
type CaseName = keyof typeof cases;

const ownCases: Record<keyof typeof actors, CaseName[] | 'all'> = {
  anonymous: [],
  coordinator: ['sthCoordinator'],
  organisation_reporter: ['orgA'],
  programme_officer: ['nsp'],
  statistician: 'all',
  admin: [],
};

const caseWrite: Action[] = ['case.create', 'case.update', 'case.close', 'case.reopen', 'case.withdraw'];
const caseRead: Action[] = ['case.read', 'case.history'];

// The expected matrix, written out by hand: Y = allowed, C = allowed on cases in scope only.
const Y = 'Y', N = 'N', C = 'C';
const matrix: Record<Action, Record<keyof typeof actors, 'Y' | 'N' | 'C'>> = {
  //                      anonymous coordinator org_reporter programme statistician admin
  'codes.read':           { anonymous: Y, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: Y, admin: Y },
  'published.read':       { anonymous: Y, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: Y, admin: Y },
  'case.create':          { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: N, admin: N },
  'case.read':            { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: C, admin: N },
  'case.update':          { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: N, admin: N },
  'case.close':           { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: N, admin: N },
  'case.reopen':          { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: N, admin: N },
  'case.withdraw':        { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: N, admin: N },
  'case.history':         { anonymous: N, coordinator: C, organisation_reporter: C, programme_officer: C, statistician: C, admin: N },
  'cases.list':           { anonymous: N, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: Y, admin: N },
  'cases.search':         { anonymous: N, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: Y, admin: N },
  'cases.import':         { anonymous: N, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: N, admin: N },
  'cases.export':         { anonymous: N, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: Y, admin: N },
  'release.freeze':       { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: N },
  'release.publish':      { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: N },
  'release.read_internal':{ anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: N },
  'report.read_live':     { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: N },
  'audit.search':         { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: Y },
  'audit.read_own_region':{ anonymous: N, coordinator: C, organisation_reporter: N, programme_officer: N, statistician: N, admin: N },
  'audit.verify':         { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: Y },
  'users.manage':         { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: N, admin: Y },
  'organisations.manage': { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: N, admin: Y },
  'duplicates.review':    { anonymous: N, coordinator: Y, organisation_reporter: Y, programme_officer: Y, statistician: N, admin: N },
  'duplicates.review_national': { anonymous: N, coordinator: N, organisation_reporter: N, programme_officer: N, statistician: Y, admin: N },
};

describe('policy matrix', () => {
  it('covers every action', () => {
    expect(Object.keys(matrix).sort()).toEqual([...actions].sort());
  });

  for (const [name, actor] of Object.entries(actors) as [keyof typeof actors, Actor | null][]) {
    describe(name, () => {
      for (const action of actions) {
        const expected = matrix[action][name];
        it(`${action}: ${expected}`, () => {
          if (action === 'audit.read_own_region') {
            expect(can(actor, action, { region: 'stockholm' })).toBe(expected !== N);
            expect(can(actor, action, { region: 'syd' })).toBe(false);
            return;
          }
          if (caseWrite.includes(action) || caseRead.includes(action)) {
            for (const [caseName, target] of Object.entries(cases) as [CaseName, CaseTarget][]) {
              const own = ownCases[name] === 'all' || (ownCases[name] as CaseName[]).includes(caseName);
              expect(can(actor, action, target), `${caseName}`).toBe(expected === C && own);
            }
            expect(can(actor, action)).toBe(expected !== N);
            return;
          }
          expect(can(actor, action)).toBe(expected === Y);
        });
      }
    });
  }
});

describe('caseScope', () => {
  it('matches can() on every case for every actor', () => {
    for (const actor of Object.values(actors)) {
      const scope = caseScope(actor);
      for (const target of Object.values(cases)) {
        expect(inScope(scope, target)).toBe(can(actor, 'case.read', target));
      }
    }
  });

  it('gives the list filters', () => {
    expect(caseScope(actors.coordinator)).toEqual({ kind: 'region', filter: { source: 'coordinator', region: 'stockholm' } });
    expect(caseScope(actors.organisation_reporter)).toEqual({ kind: 'organisation', filter: { source: 'civil_society', organisation_id: 'plattformen-a' } });
    expect(caseScope(actors.programme_officer)).toEqual({ kind: 'organisation', filter: { source: 'support_programme', organisation_id: 'nsp' } });
    expect(caseScope(actors.statistician)).toEqual({ kind: 'all' });
    expect(caseScope(actors.admin)).toEqual({ kind: 'none' });
    expect(caseScope(null)).toEqual({ kind: 'none' });
    expect(caseScope(systemActor())).toEqual({ kind: 'all' });
  });

  it('gives nothing to a coordinator without a region or a reporter without an organisation', () => {
    const noRegion: Actor = { ...actors.coordinator!, region: null };
    const noOrg: Actor = { ...actors.organisation_reporter!, organisation_id: null };
    expect(caseScope(noRegion)).toEqual({ kind: 'none' });
    expect(caseScope(noOrg)).toEqual({ kind: 'none' });
    expect(can(noRegion, 'case.create')).toBe(false);
    expect(can(noRegion, 'cases.list')).toBe(false);
    expect(can(noOrg, 'case.read', { source: 'civil_society', region: null, organisation_id: null })).toBe(false);
  });

  it('a scoped actor never reaches a case outside its scope (property)', () => {
    const role = fc.constantFrom<Role>('coordinator', 'organisation_reporter', 'programme_officer');
    const region = fc.constantFrom('stockholm', 'syd', 'nord');
    const org = fc.constantFrom('plattformen-a', 'nsp', 'rk-stockholm');
    const source = fc.constantFrom('coordinator', 'civil_society', 'support_programme');
    fc.assert(
      fc.property(role, region, org, source, fc.option(region), fc.option(org), fc.constantFrom(...actions), (r, ar, ao, s, tr, to, action) => {
        const actor: Actor = { id: 'x', role: r, region: ar, organisation_id: ao };
        const target: CaseTarget = { source: s, region: tr, organisation_id: to };
        if (!can(actor, action, target)) return;
        if (!action.startsWith('case.')) return;
        if (r === 'coordinator') expect(s === 'coordinator' && tr === ar).toBe(true);
        else expect(to === ao && s === (r === 'organisation_reporter' ? 'civil_society' : 'support_programme')).toBe(true);
      }),
    );
  });
});

describe('abilities', () => {
  it('lists every action with the same answer as can()', () => {
    for (const actor of Object.values(actors)) {
      const map = abilities(actor, cases.sthCoordinator);
      expect(Object.keys(map).sort()).toEqual([...actions].sort());
      for (const action of actions) expect(map[action]).toBe(can(actor, action, cases.sthCoordinator));
    }
  });

  it('on a case says what the actor may do with it', () => {
    expect(caseAbilities(actors.coordinator, cases.sthCoordinator)).toMatchObject({ 'case.read': true, 'case.update': true, 'case.withdraw': true });
    expect(Object.values(caseAbilities(actors.coordinator, cases.sydCoordinator)).some(Boolean)).toBe(false);
    expect(caseAbilities(actors.statistician, cases.orgB)).toMatchObject({ 'case.read': true, 'case.update': false });
    expect(Object.values(caseAbilities(null, cases.sthCoordinator)).some(Boolean)).toBe(false);
  });

  it('the system actor may do everything', () => {
    expect(Object.values(abilities(systemActor(), cases.orgB)).every(Boolean)).toBe(true);
  });
});
