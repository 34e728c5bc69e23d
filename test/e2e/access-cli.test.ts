import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { runAudit } from '../../src/cli/audit.ts';
import { runUsers, type UsersIo } from '../../src/cli/users.ts';
import { findUserByUsername } from '../../src/access/users.ts';
import { verifyPassword } from '../../src/access/passwords.ts';
import type { Database } from '../../src/store/db.ts';
import { runCli, tempDataDir } from '../support/cli.ts';
import { openTestDatabase } from '../support/db.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function runUsersList(): Promise<string[]> {
  const io = capture();
  expect(await runUsers(database, ['list'], io)).toBe(0);
  return io.stdout().trim().split('\n').filter(Boolean);
}

function capture(secret?: string): UsersIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readSecret: async () => secret ?? '',
    stdout: () => out,
    stderr: () => err,
  };
}

describe('users add', () => {
  it('creates a coordinator with the password from standard input', async () => {
    const io = capture('solig morgon vid saltsjön');
    expect(await runUsers(database, ['add', '--username', 'Karin', '--role', 'coordinator', '--region', 'vast'], io)).toBe(0);
    expect(io.stdout()).toContain('karin (coordinator, vast, rk-vast)');
    const user = await findUserByUsername(database.db, 'karin');
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.password_hash!, 'solig morgon vid saltsjön')).toBe(true);
  });

  it('exits 2 with a clear message for a short or common password, and creates nobody', async () => {
    const short = capture('för kort');
    expect(await runUsers(database, ['add', '--username', 'olle', '--role', 'statistician'], short)).toBe(2);
    expect(short.stderr()).toContain('minst 15 tecken');
    const common = capture('1qaz2wsx3edc4rfv');
    expect(await runUsers(database, ['add', '--username', 'olle', '--role', 'statistician'], common)).toBe(2);
    expect(common.stderr()).toContain('för vanligt');
    expect(await findUserByUsername(database.db, 'olle')).toBeUndefined();
  });

  it('exits 2 on bad input with the message naming what is wrong, in Swedish by default and English when asked, and creates nobody', async () => {
    // Usernames valid on their own, so each refusal is the one its case is about.
    const cases: { args: string[]; sv: string; en: string }[] = [
      { args: ['add', '--username', 'anna-roll', '--role', 'superuser'], sv: 'role: Okänd roll. Välj bland: coordinator, organisation_reporter, programme_officer, statistician, admin.', en: 'role: Unknown role. Choose from: coordinator, organisation_reporter, programme_officer, statistician, admin.' },
      { args: ['add', '--username', 'anna-region', '--role', 'coordinator'], sv: 'region: En regionkoordinator behöver en region.', en: 'region: A regional coordinator needs a region.' },
      { args: ['add', '--username', 'anna-org', '--role', 'organisation_reporter', '--organisation', 'no-such-org'], sv: 'organisation_id: Organisationen finns inte.', en: 'organisation_id: The organisation does not exist.' },
      { args: ['add', '--username', 'anna-both', '--role', 'coordinator', '--region', 'syd', '--organisation', 'rk-syd'], sv: 'Ange --region eller --organisation, inte båda.', en: 'Give --region or --organisation, not both.' },
      { args: ['add', '--username', 'anna-ingen-roll'], sv: 'Ange --username och --role.', en: 'Give --username and --role.' },
      { args: ['add', '--username', 'a', '--role', 'statistician'], sv: 'username: Användarnamnet ska ha 3–64 tecken: a–z, 0–9 och . _ @ -.', en: 'username: The username must have 3–64 characters: a–z, 0–9 and . _ @ -.' },
      // the option parser's refusals (node:util's are English only) in the person's language
      { args: ['add', '--bogus'], sv: 'Okänd flagga: --bogus', en: 'Unknown option: --bogus' },
      { args: ['add', '--username'], sv: 'Flaggan --username behöver ett värde.', en: 'The option --username needs a value.' },
      { args: ['add', 'extra'], sv: 'Okänt argument: extra', en: 'Unknown argument: extra' },
    ];
    for (const { args, sv, en } of cases) {
      for (const [lang, message] of [['sv', sv], ['en', en]] as const) {
        const io = capture('en helt okej lösenfras här');
        expect(await runUsers(database, args, io, lang), `${lang}: ${args.join(' ')}`).toBe(2);
        expect(io.stderr(), `${lang}: ${args.join(' ')}`).toBe(`${message}\n`);
        expect(io.stdout()).toBe('');
      }
    }
    const names = (await runUsersList()).map((l) => l.split('\t')[0]);
    expect(names.filter((n) => n.startsWith('anna') || n === 'a')).toEqual([]);
  });

  it('does not take the same username twice', async () => {
    const io = capture('solig morgon vid saltsjön');
    expect(await runUsers(database, ['add', '--username', 'KARIN', '--role', 'statistician'], io)).toBe(2);
    expect(io.stderr()).toContain('upptaget');
  });

  it('lists users without their hashes, and deactivates', async () => {
    const io = capture();
    expect(await runUsers(database, ['list'], io)).toBe(0);
    expect(io.stdout()).toContain('karin\tcoordinator\tvast\trk-vast\taktiv');
    expect(io.stdout()).not.toContain('argon2');
    expect(await runUsers(database, ['deactivate', '--username', 'karin'], capture())).toBe(0);
    expect((await findUserByUsername(database.db, 'karin'))?.active).toBe(false);
  });
});

describe('audit verify and search', () => {
  it('searches the trail', async () => {
    const io = capture();
    expect(await runAudit(database, ['search', '--operation', 'users.create'], io)).toBe(0);
    const lines = io.stdout().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ operation: 'users.create', actor_id: 'system:cli' });
  });
  it('exits 0 when the trail is intact and 1 naming the first bad row when it is not', async () => {
    const ok = capture();
    expect(await runAudit(database, ['verify'], ok)).toBe(0);
    expect(ok.stdout()).toMatch(/obruten \(\d+ rader\)/);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update audit_log set operation = 'users.update' where seq = 1`);
    });
    const bad = capture();
    expect(await runAudit(database, ['verify'], bad)).toBe(1);
    expect(bad.stderr()).toContain('bruten vid rad 1');
  });

});

describe('users add through bin/lagesbild', () => {
  it('reads the password from standard input and exits 2 for a weak one', async () => {
    const tmp = tempDataDir();
    try {
      const weak = await runCli(['users', 'add', '--username', 'admin', '--role', 'admin'], tmp.dataDir, {}, 'password\n');
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/^password: .*minst 15 tecken.*\n$/);
      const good = await runCli(['users', 'add', '--username', 'admin', '--role', 'admin'], tmp.dataDir, {}, 'tre små grodor i en damm\n');
      expect(good.stderr).toBe('');
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/^Skapade användaren admin \(admin\), id [0-9A-Z]+\.\n$/);
    } finally {
      tmp.remove();
    }
    // two processes, each starting node, tsx and the embedded database: on a loaded machine that outlasts
    // the default timeout, so this test has the time its two runs may take
  }, 250_000);
});
