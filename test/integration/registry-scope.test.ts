// The registry under the access policy: who reaches which cases through every service, that a
// case outside one's scope is exactly like a case that does not exist, and that every look at
// case-level data leaves an audit row naming exactly the cases seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { roles, systemActor, type Actor } from '../../src/access/actor.ts';
import { verifyAuditChain } from '../../src/access/audit.ts';
import { can, ForbiddenError } from '../../src/access/policy.ts';
import {
  caseHistory,
  changeCase,
  closeCase,
  createCase,
  findCase,
  getCase,
  listCases,
  reopenCase,
  withdrawCase,
  type CaseView,
} from '../../src/registry/cases.ts';
import { NotFoundError } from '../../src/registry/errors.ts';
import { exportCsv, importCsv } from '../../src/registry/transfer.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { regionOffice, type RegionCode } from '../../src/standard/codes.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { rows, type Database, type Executor } from '../../src/store/db.ts';
import { organisations } from '../../src/store/schema.ts';
import { arbValidCase } from '../support/arbitraries.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';

const coordinator = (id: string, region: RegionCode): Actor => ({ id, role: 'coordinator', organisation_id: regionOffice(region), region });
const sth = coordinator('user-sth', 'stockholm');
const sthColleague = coordinator('user-sth-2', 'stockholm');
const syd = coordinator('user-syd', 'syd');
const reporterAlfa: Actor = { id: 'user-rep-alfa', role: 'organisation_reporter', organisation_id: 'cso-alfa', region: null };
const reporterBeta: Actor = { id: 'user-rep-beta', role: 'organisation_reporter', organisation_id: 'cso-beta', region: null };
const reporterNoOrg: Actor = { id: 'user-rep-none', role: 'organisation_reporter', organisation_id: null, region: null };
const officerHjalp: Actor = { id: 'user-po-hjalp', role: 'programme_officer', organisation_id: 'stp-hjalp', region: null };
/** A programme officer of the organisation that also reports civil-society records: sees only the programme's. */
const officerAlfa: Actor = { id: 'user-po-alfa', role: 'programme_officer', organisation_id: 'cso-alfa', region: null };
const statistician: Actor = { id: 'user-stat', role: 'statistician', organisation_id: null, region: null };
const admin: Actor = { id: 'user-admin', role: 'admin', organisation_id: null, region: null };
const system = systemActor('test-scope');

const testOrganisations = [
  { id: 'cso-alfa', kind: 'civil_society', name_sv: 'Alfa', name_en: 'Alfa', region: null },
  { id: 'cso-beta', kind: 'civil_society', name_sv: 'Beta', name_en: 'Beta', region: null },
  { id: 'stp-hjalp', kind: 'support_programme', name_sv: 'Hjälp', name_en: 'Help', region: null, programme: 'nsp' },
  { id: 'stp-atervand', kind: 'support_programme', name_sv: 'Återvändande', name_en: 'Return', region: null, programme: 'amp' },
];

const coord = (region: RegionCode, more: Record<string, unknown> = {}) => coordinatorCase({ region, ...more });
const civil = (organisation_id: string, region: RegionCode | null = null, more: Record<string, unknown> = {}) => ({
  ...coordinatorCase(),
  source: 'civil_society',
  organisation_id,
  region,
  contact_type: 'direct',
  ...more,
});
const programme = (organisation_id: string, region: RegionCode | null = null) => ({ ...coordinatorCase(), source: 'support_programme', organisation_id, region, programme: 'nsp', programme_status: 'granted' });

function valid(input: unknown): CaseData {
  const r = validateCase(input);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** How a call ended: `ok`, or the error's class, code and message. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error & { code?: string }) => `${e.constructor.name}:${e.code}:${e.message}`,
  );
const NOT_FOUND = 'NotFoundError:not_found:The case was not found.';
const FORBIDDEN = 'ForbiddenError:forbidden:You are not permitted to do this.';

const GHOST_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const GHOST_REF = 'SYD-2025-9999';

/** Every single-case service, as the actor, on a case named by id or reference. */
function singleCaseCalls(db: Executor, actor: Actor, key: string, version: number, changeTo: unknown) {
  return {
    get: () => getCase(db, actor, key),
    find: () => findCase(db, actor, key).then((c) => (c === undefined ? Promise.reject(new NotFoundError()) : c)),
    history: () => caseHistory(db, actor, key),
    change: () => changeCase(db, actor, key, version, changeTo),
    close: () => closeCase(db, actor, key),
    closeAtVersion: () => closeCase(db, actor, key, version),
    reopen: () => reopenCase(db, actor, key),
    withdraw: () => withdrawCase(db, actor, key),
    withdrawAtVersion: () => withdrawCase(db, actor, key, version),
  };
}

type AuditLite = { seq: number; actor_id: string; actor_role: string; operation: string; case_ids: string[] };
const sorted = (ids: readonly string[]) => [...ids].sort();
const ULID = /\b[0-9A-HJKMNP-TV-Z]{26}\b/g;
const idsInCsv = (csv: string) => sorted([...new Set(csv.match(ULID) ?? [])]);

describe.each(dbTargets())('registry access scope on %s', (target) => {
  let database: Database;
  const db = () => database.db;
  /** Every case this file wrote, as last seen by the system actor. */
  const all = new Map<string, CaseView>();
  let sthOpen: CaseView;
  let sydOpen: CaseView;
  let sydClosed: CaseView;
  let sydWithdrawn: CaseView;
  let civAlfaInStockholm: CaseView;
  let civBeta: CaseView;
  let stpHjalp: CaseView;
  let stpAlfa: CaseView;

  const remember = (c: CaseView) => {
    all.set(c.id, c);
    return c;
  };
  const lastSeq = async () => Number((await rows<{ seq: string | number }>(db(), sql`select coalesce(max(seq), 0) as seq from audit_log`))[0].seq);
  const auditSince = async (seq: number) =>
    (await rows<AuditLite>(db(), sql`select seq, actor_id, actor_role, operation, case_ids from audit_log where seq > ${seq} order by seq`)).map((r) => ({
      ...r,
      seq: Number(r.seq),
      case_ids: sorted(r.case_ids),
    }));
  /** The stored state of every case: what a refused call must leave as it was. */
  const snapshot = async () => rows(db(), sql`select c.id, c.version, c.status, c.region, c.source, c.organisation_id, (select count(*) from case_versions v where v.case_id = c.id) as versions from cases c order by c.id`);
  const everyId = async () => (await listCases(db(), system, {}, { pageSize: 500 })).items.map((c) => c.id);

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await db().insert(organisations).values(testOrganisations);
    sthOpen = remember(await createCase(db(), sth, coord('stockholm')));
    sydOpen = remember(await createCase(db(), syd, coord('syd')));
    sydClosed = remember(await closeCase(db(), syd, (await createCase(db(), syd, coord('syd'))).id));
    sydWithdrawn = remember(await withdrawCase(db(), syd, (await createCase(db(), syd, coord('syd'))).id));
    // A civil-society record of a victim met in Stockholm is the organisation's, not the region's.
    civAlfaInStockholm = remember(await createCase(db(), reporterAlfa, civil('cso-alfa', 'stockholm')));
    civBeta = remember(await createCase(db(), reporterBeta, civil('cso-beta')));
    stpHjalp = remember(await createCase(db(), officerHjalp, programme('stp-hjalp', 'syd')));
    stpAlfa = remember(await createCase(db(), officerAlfa, programme('cso-alfa')));
  });
  afterAll(() => database?.close());

  it("gives a coordinator nothing of another region's cases, exactly as if they did not exist", async () => {
    const before = await snapshot();
    const seq = await lastSeq();
    const outside = [sydOpen, sydClosed, sydWithdrawn, civAlfaInStockholm, civBeta, stpHjalp, stpAlfa];
    for (const target of [sydOpen, sydClosed, sydWithdrawn, civAlfaInStockholm]) {
      for (const key of [target.id, target.reference]) {
        for (const changeTo of [coord('syd'), coord('stockholm')]) {
          const calls = singleCaseCalls(db(), sth, key, target.version, changeTo);
          const ghost = singleCaseCalls(db(), sth, key === target.id ? GHOST_ID : GHOST_REF, target.version, changeTo);
          for (const name of Object.keys(calls) as (keyof typeof calls)[]) {
            const got = await outcome(calls[name]());
            expect(got, `${name} ${key}`).toBe(NOT_FOUND);
            expect(got, `${name} ${key}`).toBe(await outcome(ghost[name]()));
          }
        }
        expect(await findCase(db(), sth, key)).toBeUndefined();
        const err = await getCase(db(), sth, key).catch((e) => e);
        expect(err).toBeInstanceOf(NotFoundError);
        expect(err).not.toBeInstanceOf(ForbiddenError);
      }
    }

    // Lists, pages, filters and exports hold only the own region's coordinator cases.
    const own = (await listCases(db(), system, { source: 'coordinator', region: 'stockholm' }, { pageSize: 500 })).items.map((c) => c.id);
    expect(own).toContain(sthOpen.id);
    const listed = await listCases(db(), sth, {}, { pageSize: 500 });
    expect(listed.items.map((c) => c.id)).toEqual(own);
    expect(listed.total).toBe(own.length);
    for (const filters of [{ region: 'syd' }, { source: 'civil_society' }, { source: 'support_programme' }, { organisation_id: 'cso-alfa' }, { region: ['syd', 'nord'] }]) {
      expect(await listCases(db(), sth, filters, { pageSize: 500 }), JSON.stringify(filters)).toMatchObject({ items: [], total: 0 });
    }
    const paged: string[] = [];
    for (let page = 1; page < 20; page++) {
      const p = await listCases(db(), sth, {}, { page, pageSize: 1 });
      expect(p.total).toBe(own.length);
      if (p.items.length === 0) break;
      paged.push(...p.items.map((c) => c.id));
    }
    expect(paged).toEqual(own);
    const exported = await exportCsv(db(), sth, { includeWithdrawn: true });
    expect(idsInCsv(exported)).toEqual(sorted(own));
    for (const c of outside) expect(exported).not.toContain(c.reference);

    // Nothing was written, and no audit row says the coordinator saw any of those cases.
    expect(await snapshot()).toEqual(before);
    const byCoordinator = (await auditSince(seq)).filter((r) => r.actor_id === sth.id);
    expect(byCoordinator.map((r) => r.operation)).toEqual(expect.arrayContaining(['cases.list', 'cases.export']));
    for (const row of byCoordinator) for (const c of outside) expect(row.case_ids).not.toContain(c.id);
  });

  it('lets the same coordinator, and a colleague of the region, do all of it in their own region', async () => {
    const mine = remember(await createCase(db(), sth, coord('stockholm', { age: 31 })));
    const more = [];
    for (const age of [40, 41, 42]) more.push(remember(await createCase(db(), sthColleague, coord('stockholm', { age }))));
    for (const who of [sth, sthColleague]) {
      expect((await getCase(db(), who, mine.id)).reference).toBe(mine.reference);
      expect((await getCase(db(), who, mine.reference)).id).toBe(mine.id);
      expect((await findCase(db(), who, mine.reference))?.id).toBe(mine.id);
      expect((await listCases(db(), who, { region: 'stockholm' }, { pageSize: 500 })).items.map((c) => c.id)).toEqual(
        expect.arrayContaining([mine.id, ...more.map((c) => c.id)]),
      );
    }
    const own = (await listCases(db(), system, { source: 'coordinator', region: 'stockholm' }, { pageSize: 500 })).items.map((c) => c.id);
    const paged: string[] = [];
    for (let page = 1; ; page++) {
      const p = await listCases(db(), sth, {}, { page, pageSize: 2 });
      paged.push(...p.items.map((c) => c.id));
      if (p.items.length < 2) break;
    }
    expect(paged).toEqual(own);

    expect(await changeCase(db(), sth, mine.id, 1, coord('stockholm', { age: 32 }))).toMatchObject({ version: 2, age: 32 });
    expect(await closeCase(db(), sthColleague, mine.reference, 2)).toMatchObject({ version: 3, status: 'closed' });
    expect(await reopenCase(db(), sth, mine.id, 3)).toMatchObject({ version: 4, status: 'open' });
    expect(await withdrawCase(db(), sth, mine.id, 4)).toMatchObject({ version: 5, status: 'withdrawn' });
    expect(await reopenCase(db(), sthColleague, mine.id)).toMatchObject({ version: 6, status: 'open' });
    expect((await caseHistory(db(), sth, mine.reference)).map((h) => [h.operation, h.actor_id])).toEqual([
      ['create', sth.id],
      ['change', sth.id],
      ['close', sthColleague.id],
      ['reopen', sth.id],
      ['withdraw', sth.id],
      ['reopen', sthColleague.id],
    ]);
    expect(await exportCsv(db(), sth)).toContain(mine.reference);

    // A visible case may not be moved out of the region: forbidden, and left as it was.
    expect(await outcome(changeCase(db(), sth, mine.id, 6, coord('syd')))).toBe(FORBIDDEN);
    expect(await outcome(changeCase(db(), sth, mine.id, 6, civil('cso-alfa', 'stockholm')))).toBe(FORBIDDEN);
    expect(await getCase(db(), sth, mine.id)).toMatchObject({ version: 6, region: 'stockholm', source: 'coordinator' });
    // Nor may one register a case in another region.
    expect(await outcome(createCase(db(), sth, coord('syd')))).toBe(FORBIDDEN);
    remember(await getCase(db(), system, mine.id));
  });

  it("shows organisation reporters and programme officers only their own organisation's records of their source", async () => {
    const bySystem = (await listCases(db(), system, {}, { pageSize: 500 })).items;
    const expectations: [Actor, (c: CaseView) => boolean, CaseView][] = [
      [reporterAlfa, (c) => c.source === 'civil_society' && c.organisation_id === 'cso-alfa', civAlfaInStockholm],
      [reporterBeta, (c) => c.source === 'civil_society' && c.organisation_id === 'cso-beta', civBeta],
      [officerHjalp, (c) => c.source === 'support_programme' && c.organisation_id === 'stp-hjalp', stpHjalp],
      [officerAlfa, (c) => c.source === 'support_programme' && c.organisation_id === 'cso-alfa', stpAlfa],
    ];
    for (const [actor, own, example] of expectations) {
      const expected = bySystem.filter(own).map((c) => c.id);
      expect(expected, actor.id).toEqual([example.id]);
      expect((await listCases(db(), actor, {}, { pageSize: 500 })).items.map((c) => c.id), actor.id).toEqual(expected);
      expect(idsInCsv(await exportCsv(db(), actor, { includeWithdrawn: true })), actor.id).toEqual(sorted(expected));
      expect((await getCase(db(), actor, example.reference)).id).toBe(example.id);
      expect(await caseHistory(db(), actor, example.id)).toHaveLength(example.version);
      for (const other of bySystem.filter((c) => !own(c))) {
        expect(await outcome(getCase(db(), actor, other.id)), `${actor.id} ${other.reference}`).toBe(NOT_FOUND);
        expect(await outcome(caseHistory(db(), actor, other.reference)), `${actor.id} ${other.reference}`).toBe(NOT_FOUND);
        expect(await outcome(closeCase(db(), actor, other.id)), `${actor.id} ${other.reference}`).toBe(NOT_FOUND);
      }
    }
    // Writing: their own organisation and source only.
    const changed = await changeCase(db(), reporterAlfa, civAlfaInStockholm.id, civAlfaInStockholm.version, civil('cso-alfa', 'stockholm', { age: 44 }));
    civAlfaInStockholm = remember(changed);
    expect(changed).toMatchObject({ age: 44, version: 2 });
    expect(await outcome(changeCase(db(), reporterAlfa, civAlfaInStockholm.id, 2, civil('cso-beta')))).toBe(FORBIDDEN);
    expect(await outcome(changeCase(db(), reporterAlfa, civAlfaInStockholm.id, 2, programme('cso-alfa')))).toBe(FORBIDDEN);
    expect(await outcome(createCase(db(), reporterAlfa, civil('cso-beta')))).toBe(FORBIDDEN);
    expect(await outcome(createCase(db(), reporterAlfa, programme('cso-alfa')))).toBe(FORBIDDEN);
    expect(await outcome(createCase(db(), reporterAlfa, coord('stockholm')))).toBe(FORBIDDEN);
    expect(await outcome(createCase(db(), officerAlfa, civil('cso-alfa')))).toBe(FORBIDDEN);
    expect(await outcome(changeCase(db(), officerAlfa, civAlfaInStockholm.id, 2, civil('cso-alfa')))).toBe(NOT_FOUND);
    expect(await getCase(db(), system, civAlfaInStockholm.id)).toMatchObject({ version: 2, organisation_id: 'cso-alfa', source: 'civil_society' });
    // Without an organisation a reporter has no cases at all.
    expect(await outcome(listCases(db(), reporterNoOrg))).toBe(FORBIDDEN);
    expect(await outcome(exportCsv(db(), reporterNoOrg))).toBe(FORBIDDEN);
    expect(await outcome(getCase(db(), reporterNoOrg, civAlfaInStockholm.id))).toBe(NOT_FOUND);
  });

  it('lets the statistician read, list and export everything but write nothing', async () => {
    const every = await everyId();
    const listed = await listCases(db(), statistician, {}, { pageSize: 500 });
    expect(listed.items.map((c) => c.id)).toEqual(every);
    expect(listed.total).toBe(every.length);
    expect(idsInCsv(await exportCsv(db(), statistician, { includeWithdrawn: true }))).toEqual(sorted(every));
    for (const c of [sthOpen, sydClosed, sydWithdrawn, civBeta, stpAlfa]) {
      expect((await getCase(db(), statistician, c.reference)).id).toBe(c.id);
      expect((await caseHistory(db(), statistician, c.id)).length).toBeGreaterThan(0);
    }
    const before = await snapshot();
    expect(await outcome(createCase(db(), statistician, coord('stockholm')))).toBe(FORBIDDEN);
    expect(await outcome(importCsv(db(), statistician, casesToCsv([valid(coord('stockholm'))])))).toBe(FORBIDDEN);
    for (const c of [sthOpen, sydClosed, sydWithdrawn, civBeta]) {
      const calls = singleCaseCalls(db(), statistician, c.id, c.version, coord(c.region as RegionCode ?? 'stockholm'));
      for (const name of ['change', 'close', 'reopen', 'withdraw', 'closeAtVersion', 'withdrawAtVersion'] as const) {
        expect(await outcome(calls[name]()), `${name} ${c.reference}`).toBe(FORBIDDEN);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('gives the administrator no case data: lists, imports and exports forbidden, single cases not found', async () => {
    const before = await snapshot();
    const seq = await lastSeq();
    expect(await outcome(listCases(db(), admin))).toBe(FORBIDDEN);
    expect(await outcome(listCases(db(), admin, { region: 'stockholm' }))).toBe(FORBIDDEN);
    expect(await outcome(exportCsv(db(), admin))).toBe(FORBIDDEN);
    expect(await outcome(importCsv(db(), admin, casesToCsv([valid(coord('stockholm'))])))).toBe(FORBIDDEN);
    expect(await outcome(createCase(db(), admin, coord('stockholm')))).toBe(FORBIDDEN);
    for (const c of [sthOpen, sydClosed, civBeta, stpHjalp]) {
      for (const key of [c.id, c.reference]) {
        const calls = singleCaseCalls(db(), admin, key, c.version, coord('stockholm'));
        for (const name of Object.keys(calls) as (keyof typeof calls)[]) expect(await outcome(calls[name]()), `${name} ${key}`).toBe(NOT_FOUND);
        expect(await findCase(db(), admin, key)).toBeUndefined();
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(await auditSince(seq)).toEqual([]);
  });

  it('refuses an import with one out-of-scope row whole, naming that line', async () => {
    const before = await snapshot();
    const counters = async () => rows(db(), sql`select prefix, year, last from reference_counters order by prefix, year`);
    const countersBefore = await counters();
    const seq = await lastSeq();
    const file = [valid(coord('stockholm', { age: 50 })), valid(coord('syd', { age: 51 })), valid(coord('stockholm', { age: 52 }))];
    const refused = await importCsv(db(), sth, casesToCsv(file), { lang: 'en' });
    expect(refused).toMatchObject({ ok: false, imported: 0 });
    expect(refused.problems).toEqual(['line 3: region: You can only register cases within your own region or organisation.']);
    const sv = await importCsv(db(), sth, casesToCsv(file), { lang: 'sv' });
    expect(sv.problems).toEqual(['line 3: region: Du kan bara registrera ärenden inom din egen region eller organisation.']);
    const reporterFile = [valid(civil('cso-alfa')), valid(civil('cso-alfa')), valid(civil('cso-alfa')), valid(civil('cso-beta'))];
    const byReporter = await importCsv(db(), reporterAlfa, casesToCsv(reporterFile), { lang: 'en' });
    expect(byReporter).toMatchObject({ ok: false, imported: 0 });
    expect(byReporter.problems).toEqual(['line 5: region: You can only register cases within your own region or organisation.']);
    expect(await snapshot()).toEqual(before);
    expect(await counters()).toEqual(countersBefore);
    expect(await auditSince(seq)).toEqual([]);

    // The same file without that row goes in.
    const ok = await importCsv(db(), sth, casesToCsv([file[0], file[2]]), { lang: 'en' });
    expect(ok).toMatchObject({ ok: true, imported: 2, problems: [] });
    const [row] = await auditSince(seq);
    expect(row).toMatchObject({ actor_id: sth.id, operation: 'cases.import' });
    expect(row.case_ids).toHaveLength(2);
    for (const id of row.case_ids) remember(await getCase(db(), sth, id));
  });

  it('leaves an audit row for every case-level read, naming the actor, the operation and exactly the cases seen', async () => {
    const expectOneRow = async (seq: number, actor: Actor, operation: string, caseIds: readonly string[]) => {
      const got = await auditSince(seq);
      expect(got, operation).toHaveLength(1);
      expect(got[0]).toMatchObject({ actor_id: actor.id, actor_role: actor.role, operation, case_ids: sorted(caseIds) });
    };
    let seq = await lastSeq();
    await getCase(db(), sth, sthOpen.id);
    await expectOneRow(seq, sth, 'case.read', [sthOpen.id]);

    seq = await lastSeq();
    await findCase(db(), reporterAlfa, civAlfaInStockholm.reference);
    await expectOneRow(seq, reporterAlfa, 'case.read', [civAlfaInStockholm.id]);

    seq = await lastSeq();
    await caseHistory(db(), statistician, sydClosed.reference);
    await expectOneRow(seq, statistician, 'case.history', [sydClosed.id]);

    seq = await lastSeq();
    const page2 = await listCases(db(), sth, {}, { page: 2, pageSize: 2 });
    expect(page2.items).toHaveLength(2);
    await expectOneRow(seq, sth, 'cases.list', page2.items.map((c) => c.id));

    seq = await lastSeq();
    const empty = await listCases(db(), sth, { region: 'syd' });
    expect(empty.items).toEqual([]);
    await expectOneRow(seq, sth, 'cases.list', []);

    seq = await lastSeq();
    const stat = await listCases(db(), statistician, { source: 'coordinator' }, { pageSize: 3 });
    await expectOneRow(seq, statistician, 'cases.list', stat.items.map((c) => c.id));

    for (const actor of [sth, reporterAlfa, statistician]) {
      seq = await lastSeq();
      const csv = await exportCsv(db(), actor, { includeWithdrawn: true });
      const expected = [...all.values()].filter((c) => can(actor, 'case.read', c)).map((c) => c.id);
      expect(idsInCsv(csv)).toEqual(sorted(expected));
      await expectOneRow(seq, actor, 'cases.export', expected);
    }
    seq = await lastSeq();
    const withoutWithdrawn = await exportCsv(db(), syd);
    expect(idsInCsv(withoutWithdrawn)).not.toContain(sydWithdrawn.id);
    await expectOneRow(seq, syd, 'cases.export', idsInCsv(withoutWithdrawn));

    // Refused and not-found reads name no case.
    seq = await lastSeq();
    await getCase(db(), sth, sydOpen.id).catch(() => undefined);
    await findCase(db(), sth, sydOpen.reference);
    await caseHistory(db(), sth, sydOpen.id).catch(() => undefined);
    await listCases(db(), admin).catch(() => undefined);
    for (const row of await auditSince(seq)) expect(row.case_ids).not.toContain(sydOpen.id);

    const [{ n }] = await rows<{ n: string | number }>(db(), sql`select count(*) as n from audit_log`);
    expect(await verifyAuditChain(db())).toEqual({ ok: true, rows: Number(n) });
  });
});

describe.each(dbTargets())('listing under the access policy on %s (property)', (target) => {
  let database: Database;
  const stored: CaseView[] = [];
  const regions = ['stockholm', 'syd', 'nord'] as const;
  const orgIds = testOrganisations.map((o) => o.id);
  beforeAll(async () => {
    database = await openTestDatabase(target);
    await database.db.insert(organisations).values(testOrganisations);
  });
  afterAll(() => database?.close());

  const arbActor: fc.Arbitrary<Actor> = fc
    .record({
      role: fc.constantFrom(...roles),
      region: fc.option(fc.constantFrom(...regions), { nil: null }),
      organisation_id: fc.option(fc.constantFrom(...orgIds, 'rk-stockholm', 'rk-syd'), { nil: null }),
      n: fc.nat(99),
    })
    .map(({ n, ...a }) => ({ id: `user-${a.role}-${n}`, ...a }));
  // A support programme's records are of its programme (the registry refuses the other one).
  const supportProgrammeOf = (x: { source: string; programme?: string | null }, org: string) => {
    const programme = testOrganisations.find((o) => o.id === org)?.programme;
    if (x.source !== 'support_programme' || !programme || x.programme === programme) return org;
    return testOrganisations.find((o) => o.programme === x.programme)!.id;
  };
  // Any valid case, moved into a few regions and the test's organisations so that actors and cases meet.
  const arbCase = fc
    .tuple(arbValidCase(), fc.constantFrom(...regions), fc.constantFrom(...orgIds), fc.constantFrom('open', 'closed', 'withdrawn'))
    .map(([x, region, org, status]) => {
      const input =
        x.source === 'coordinator'
          ? { ...x, region, organisation_id: regionOffice(region) }
          : { ...x, region: x.region == null ? null : region, organisation_id: supportProgrammeOf(x, org) };
      return { input, status };
    });

  it('returns exactly the cases the policy lets the actor read', async () => {
    const system = systemActor('test-property');
    // Checks where the actor saw some but not all cases: the property must not pass by all-or-nothing.
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbCase, { maxLength: 4 }), fc.array(arbActor, { minLength: 1, maxLength: 4 }), async (newCases, actors) => {
        const fresh: CaseView[] = [];
        for (const { input, status } of newCases) {
          let c: CaseView = await createCase(database.db, system, input);
          if (status === 'closed') c = await closeCase(database.db, system, c.id);
          if (status === 'withdrawn') c = await withdrawCase(database.db, system, c.id);
          stored.push(c);
          fresh.push(c);
        }
        for (const actor of actors) {
          const expected = stored.filter((c) => can(actor, 'case.read', c)).map((c) => c.id).sort().reverse();
          if (!can(actor, 'cases.list')) {
            expect(expected).toEqual([]);
            await expect(listCases(database.db, actor)).rejects.toBeInstanceOf(ForbiddenError);
            continue;
          }
          const page = await listCases(database.db, actor, {}, { pageSize: 500 });
          expect(page.items.map((c) => c.id)).toEqual(expected);
          expect(page.total).toBe(expected.length);
          if (expected.length > 0 && expected.length < stored.length) partial++;
          for (const c of fresh) expect((await findCase(database.db, actor, c.reference))?.id).toBe(can(actor, 'case.read', c) ? c.id : undefined);
        }
      }),
      { numRuns: 30 },
    );
    expect(stored.length).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
  });
});
