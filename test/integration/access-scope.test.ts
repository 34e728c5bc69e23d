import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../src/access/actor.ts';
import { systemActor } from '../../src/access/actor.ts';
import { can } from '../../src/access/policy.ts';
import { caseScopeCondition } from '../../src/access/scope-sql.ts';
import { cases } from '../../src/store/schema.ts';
import type { Database } from '../../src/store/db.ts';
import { openTestDatabase } from '../support/db.ts';

const rows = [
  { id: 'A', source: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm' },
  { id: 'B', source: 'coordinator', region: 'syd', organisation_id: 'rk-syd' },
  { id: 'C', source: 'civil_society', region: 'stockholm', organisation_id: 'plattformen-a' },
  { id: 'D', source: 'civil_society', region: null, organisation_id: 'plattformen-b' },
  { id: 'E', source: 'support_programme', region: null, organisation_id: 'nsp' },
  { id: 'F', source: 'support_programme', region: null, organisation_id: 'plattformen-a' },
];

const actors: (Actor | null)[] = [
  null,
  systemActor(),
  { id: '1', role: 'coordinator', region: 'stockholm', organisation_id: 'rk-stockholm' },
  { id: '2', role: 'coordinator', region: 'syd', organisation_id: 'rk-syd' },
  { id: '3', role: 'coordinator', region: null, organisation_id: null },
  { id: '4', role: 'organisation_reporter', region: null, organisation_id: 'plattformen-a' },
  { id: '5', role: 'programme_officer', region: null, organisation_id: 'nsp' },
  { id: '6', role: 'programme_officer', region: null, organisation_id: 'plattformen-a' },
  { id: '7', role: 'statistician', region: null, organisation_id: null },
  { id: '8', role: 'admin', region: null, organisation_id: null },
];

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(sql`insert into organisations (id, kind, name_sv, name_en, programme) values
    ('plattformen-a', 'civil_society', 'A', 'A', null), ('plattformen-b', 'civil_society', 'B', 'B', null), ('nsp', 'support_programme', 'NSP', 'NSP', 'nsp')`);
  for (const r of rows) {
    await database.db.execute(sql`
      insert into cases (id, reference, source, organisation_id, region, year, identified_on, status, version, category, sex, age_group, created_by)
      values (${r.id}, ${`REF-${r.id}`}, ${r.source}, ${r.organisation_id}, ${r.region}, 2025, '2025-03-01', 'open', 1, 'trafficking', 'female', 'adult', 'test')`);
  }
});
afterAll(async () => {
  await database?.close();
});

describe('caseScopeCondition', () => {
  it('selects exactly the cases can() lets each actor read', async () => {
    for (const actor of actors) {
      const found = await database.db.select({ id: cases.id }).from(cases).where(caseScopeCondition(actor)).orderBy(cases.id);
      const expected = rows.filter((r) => can(actor, 'case.read', r)).map((r) => r.id);
      expect(found.map((f) => f.id), `${actor?.role ?? 'anonymous'} ${actor?.id ?? ''}`).toEqual(expected);
    }
  });

  it('cannot be widened by a user filter ANDed with it', async () => {
    const coordinator = actors[2];
    const found = await database.db.select({ id: cases.id }).from(cases).where(and(caseScopeCondition(coordinator), eq(cases.region, 'syd')));
    expect(found).toEqual([]);
  });
});
