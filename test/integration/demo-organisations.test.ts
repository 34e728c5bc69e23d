// The demo's organisations and accounts (src/cli/demo-organisations.ts, demo-users.ts): made at the
// demo's start, before the accounts that belong to them, once however often the demo starts; each
// account signs in with its fresh password and acts in its own organisation's scope only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { users } from '../../src/access/schema.ts';
import { demoOrganisations, ensureDemoOrganisations } from '../../src/cli/demo-organisations.ts';
import { demoAccounts, refreshDemoUsers } from '../../src/cli/demo-users.ts';
import { organisations } from '../../src/store/schema.ts';
import { dbTargets } from '../support/db.ts';
import { openTestApp, signIn, type TestApp } from '../support/http.ts';

describe.each(dbTargets())('the demo organisations and accounts on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(target);
  });
  afterAll(() => t?.close());

  it('makes the three organisations and six accounts once; each account signs in with the newest password', async () => {
    const first = await refreshDemoUsers(t.database.db);
    await ensureDemoOrganisations(t.database.db);
    const second = await refreshDemoUsers(t.database.db);
    expect(second.map((a) => a.username)).toEqual(demoAccounts.map((a) => a.username));
    const ids = demoOrganisations.map((o) => o.id);
    const orgs = await t.database.db.select().from(organisations).where(inArray(organisations.id, ids));
    expect(orgs.map((o) => [o.id, o.kind, o.programme, o.active]).sort()).toEqual([
      ['demo-amp', 'support_programme', 'amp', true],
      ['demo-civilsamhalle', 'civil_society', null, true],
      ['demo-nsp', 'support_programme', 'nsp', true],
    ]);
    expect(orgs.find((o) => o.id === 'demo-civilsamhalle')?.name_sv).toBe('Demoorganisation i civilsamhället');
    for (const account of ['demo-civilsamhalle', 'demo-nsp', 'demo-amp']) {
      const [row] = await t.database.db.select().from(users).where(eq(users.username, account));
      expect(row).toMatchObject({ organisation_id: account, role: account === 'demo-civilsamhalle' ? 'organisation_reporter' : 'programme_officer' });
    }
    // the first start's passwords no longer sign in; the second's do
    const old = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'demo-nsp', password: first.find((a) => a.username === 'demo-nsp')!.password } });
    expect(old.statusCode).toBe(401);
    const nsp = await signIn(t.app, 'demo-nsp', second.find((a) => a.username === 'demo-nsp')!.password);
    // the NSP officer's record takes NSP; the civil-society reporter cannot write in the programme
    const made = await nsp.inject({
      method: 'POST',
      url: '/api/cases',
      payload: { source: 'support_programme', organisation_id: 'demo-nsp', identified_on: '2025-03-14', sex: 'female', age_group: 'adult', programme_status: 'applied' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ programme: 'nsp', organisation_id: 'demo-nsp' });
    const civ = await signIn(t.app, 'demo-civilsamhalle', second.find((a) => a.username === 'demo-civilsamhalle')!.password);
    expect((await civ.inject({ url: `/api/cases/${made.json().id}` })).statusCode).toBe(404);
  });
});
