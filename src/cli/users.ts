// `lagesbild users …`: add, list, deactivate users, set passwords and make one-time codes for a new one. Passwords come on
// standard input (never as an argument: arguments end up in shell history and `ps`).
import { systemActor } from '../access/actor.ts';
import { createResetCode } from '../access/reset-codes.ts';
import { createUser, findUserByUsername, listUsers, setPassword, setUserActive, userRoles } from '../access/users.ts';
import type { Lang } from '../standard/codes.ts';
import type { Database } from '../store/index.ts';
import { withDatabase } from './backend.ts';
import { parseOptions, reportProblem, usage as usageError, type Cx, type Io } from './problems.ts';

/** Io with a way to read the password; standard input by default. */
export type UsersIo = Io & { readSecret?: (prompt: string) => Promise<string> };

const usage = `Användning:
  lagesbild users add --username U --role ROLL [--region KOD | --organisation ID] [--oidc-issuer URL --oidc-subject SUB]
                                  lösenordet läses från standard in (minst 15 tecken)
  lagesbild users list
  lagesbild users password --username U     nytt lösenord från standard in
  lagesbild users reset-code --username U   engångskod för ett nytt lösenord (visas en gång, gäller 24 timmar)
  lagesbild users deactivate --username U
  lagesbild users activate --username U
Roller: ${userRoles.join(', ')}
`;

const options = {
  username: { type: 'string' },
  role: { type: 'string' },
  region: { type: 'string' },
  organisation: { type: 'string' },
  'oidc-issuer': { type: 'string' },
  'oidc-subject': { type: 'string' },
} as const;

/** Users are changed on the database itself: the server has no route for the command line's user changes. */
const serverRefusal = {
  sv: 'Servern kör på den här datakatalogen. Stoppa den först för att lägga till eller ändra användare.',
  en: 'The server is running on this data directory. Stop it first to add or change users.',
};

type UseDatabase = <T>(work: (database: Database) => Promise<T>) => Promise<T>;
const ownDatabase: UseDatabase = (work) => withDatabase(serverRefusal, work);

/** The users command on a database this process holds already (tests). */
export async function runUsers(database: Database, args: string[], io: UsersIo, lang: Lang = 'sv'): Promise<number> {
  try {
    return await usersCommand(args, { io, lang }, (work) => work(database));
  } catch (e) {
    return reportProblem(e, io, lang);
  }
}

export async function usersCommand(args: string[], cx: Cx & { io: UsersIo }, use: UseDatabase = ownDatabase): Promise<number> {
  const { io, lang } = cx;
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    io.out(usage);
    return args.length ? 0 : 2;
  }
  const [sub, ...rest] = args;
  if (!['add', 'list', 'password', 'reset-code', 'deactivate', 'activate'].includes(sub)) {
    throw usageError({ sv: `Okänt underkommando: ${sub}\n\n${usage}`, en: `Unknown subcommand: ${sub}\n\n${usage}` });
  }
  const { values } = parseOptions(rest, options, lang);
  const readSecret = io.readSecret ?? readSecretFromStdin;
  const actor = systemActor('cli');
  if (sub === 'add') {
    if (!values.username || !values.role) throw usageError({ sv: 'Ange --username och --role.', en: 'Give --username and --role.' });
    if (values.region && values.organisation) throw usageError({ sv: 'Ange --region eller --organisation, inte båda.', en: 'Give --region or --organisation, not both.' });
    const oidc = values['oidc-issuer'] && values['oidc-subject'] ? { issuer: values['oidc-issuer'], subject: values['oidc-subject'] } : null;
    if (!oidc && (values['oidc-issuer'] || values['oidc-subject'])) throw usageError({ sv: 'Ange både --oidc-issuer och --oidc-subject.', en: 'Give both --oidc-issuer and --oidc-subject.' });
    const username = values.username;
    const role = values.role;
    return use(async (database) => {
      const password = oidc ? null : await readSecret(lang === 'sv' ? 'Lösenord: ' : 'Password: ');
      const user = await createUser(database.db, actor, {
        username,
        role,
        region: values.region ?? null,
        organisation_id: values.organisation ?? null,
        password,
        oidc,
      });
      io.out(`${lang === 'sv' ? 'Skapade användaren' : 'Created the user'} ${user.username} (${user.role}${user.region ? `, ${user.region}` : ''}${user.organisation_id ? `, ${user.organisation_id}` : ''}), id ${user.id}.\n`);
      return 0;
    });
  }
  if (sub === 'list') {
    return use(async (database) => {
      for (const u of await listUsers(database.db, actor)) {
        const state = !u.active ? 'inaktiv' : u.organisation_active === false ? 'organisationen inaktiv' : 'aktiv';
        io.out(`${u.username}\t${u.role}\t${u.region ?? '-'}\t${u.organisation_id ?? '-'}\t${state}\t${u.has_password ? 'lösenord' : ''}${u.oidc ? ' oidc' : ''}\n`);
      }
      return 0;
    });
  }
  if (!values.username) throw usageError({ sv: 'Ange --username.', en: 'Give --username.' });
  const username = values.username;
  return use(async (database) => {
    const user = await findUserByUsername(database.db, username);
    if (!user) throw usageError({ sv: `Användaren finns inte: ${username}`, en: `No such user: ${username}` });
    if (sub === 'password') {
      await setPassword(database.db, actor, user.id, await readSecret(lang === 'sv' ? 'Nytt lösenord: ' : 'New password: '));
      io.out(lang === 'sv' ? 'Lösenordet är bytt; användarens sessioner är avslutade.\n' : 'The password was changed; the user’s sessions were ended.\n');
    } else if (sub === 'reset-code') {
      const made = await createResetCode(database.db, actor, user.id);
      const until = made.expires_at.slice(0, 16).replace('T', ' ');
      io.out(
        lang === 'sv'
          ? `Engångskod för ${user.username}: ${made.code}\nGäller till ${until} UTC och en gång; den visas bara nu. Användaren sätter ett nytt lösenord på /aterstall-losenord.\n`
          : `One-time code for ${user.username}: ${made.code}\nValid until ${until} UTC and once; it is shown only now. The user sets a new password at /en/reset-password.\n`,
      );
    } else if (sub === 'activate') {
      await setUserActive(database.db, actor, user.id, true);
      io.out(lang === 'sv' ? 'Användaren är aktiv igen.\n' : 'The user is active again.\n');
    } else {
      await setUserActive(database.db, actor, user.id, false);
      io.out(lang === 'sv' ? 'Användaren är inaktiverad; sessionerna är avslutade.\n' : 'The user was deactivated; their sessions were ended.\n');
    }
    return 0;
  });
}

/** The first line of standard input; on a terminal, asked for without echo. */
async function readSecretFromStdin(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const done = (result: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result === null) reject(usageError({ sv: 'Avbrutet.', en: 'Cancelled.' }));
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
