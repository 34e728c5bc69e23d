// `lagesbild users …`: add, list, deactivate users and set passwords. Passwords come on
// standard input (never as an argument: arguments end up in shell history and `ps`).
import { parseArgs } from 'node:util';
import { systemActor } from '../access/actor.ts';
import { createUser, findUserByUsername, listUsers, setPassword, setUserActive, UserInputError, userRoles } from '../access/users.ts';
import type { Lang } from '../standard/codes.ts';
import type { Database } from '../store/index.ts';
import { open, resolveTarget } from './context.ts';
import type { Io } from './main.ts';

/** Io with a way to read the password; standard input by default. */
export type UsersIo = Io & { readSecret?: (prompt: string) => Promise<string> };

const usage = `Användning:
  lagesbild users add --username U --role ROLL [--region KOD | --organisation ID] [--oidc-issuer URL --oidc-subject SUB]
                                  lösenordet läses från standard in (minst 15 tecken)
  lagesbild users list
  lagesbild users password --username U     nytt lösenord från standard in
  lagesbild users deactivate --username U
Roller: ${userRoles.join(', ')}
`;

class Usage extends Error {}

export async function usersCommand(args: string[], io: UsersIo, lang: Lang = 'sv'): Promise<number> {
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    io.out(usage);
    return args.length ? 0 : 2;
  }
  const database = await open(resolveTarget());
  try {
    return await runUsers(database, args, io, lang);
  } finally {
    await database.close();
  }
}

export async function runUsers(database: Database, args: string[], io: UsersIo, lang: Lang = 'sv'): Promise<number> {
  const actor = systemActor('cli');
  try {
    const [sub, ...rest] = args;
    const { values, positionals } = parse(rest);
    if (positionals.length) throw new Usage(`Okänt argument: ${positionals[0]}`);
    const readSecret = io.readSecret ?? readSecretFromStdin;
    switch (sub) {
      case 'add': {
        if (!values.username || !values.role) throw new Usage('Ange --username och --role.');
        if (values.region && values.organisation) throw new Usage('Ange --region eller --organisation, inte båda.');
        const oidc = values['oidc-issuer'] && values['oidc-subject'] ? { issuer: values['oidc-issuer'], subject: values['oidc-subject'] } : null;
        if (!oidc && (values['oidc-issuer'] || values['oidc-subject'])) throw new Usage('Ange både --oidc-issuer och --oidc-subject.');
        const password = oidc ? null : await readSecret(lang === 'sv' ? 'Lösenord: ' : 'Password: ');
        const user = await createUser(database.db, actor, {
          username: values.username,
          role: values.role,
          region: values.region ?? null,
          organisation_id: values.organisation ?? null,
          password,
          oidc,
        });
        io.out(`${lang === 'sv' ? 'Skapade användaren' : 'Created the user'} ${user.username} (${user.role}${user.region ? `, ${user.region}` : ''}${user.organisation_id ? `, ${user.organisation_id}` : ''}), id ${user.id}.\n`);
        return 0;
      }
      case 'list': {
        const all = await listUsers(database.db);
        for (const u of all) {
          io.out(`${u.username}\t${u.role}\t${u.region ?? '-'}\t${u.organisation_id ?? '-'}\t${u.active ? 'aktiv' : 'inaktiv'}\t${u.password_hash ? 'lösenord' : ''}${u.oidc_subject ? ' oidc' : ''}\n`);
        }
        return 0;
      }
      case 'password':
      case 'deactivate': {
        if (!values.username) throw new Usage('Ange --username.');
        const user = await findUserByUsername(database.db, values.username);
        if (!user) throw new Usage(lang === 'sv' ? `Användaren finns inte: ${values.username}` : `No such user: ${values.username}`);
        if (sub === 'password') {
          await setPassword(database.db, actor, user.id, await readSecret(lang === 'sv' ? 'Nytt lösenord: ' : 'New password: '));
          io.out(lang === 'sv' ? 'Lösenordet är bytt; användarens sessioner är avslutade.\n' : 'The password was changed; the user’s sessions were ended.\n');
        } else {
          await setUserActive(database.db, actor, user.id, false);
          io.out(lang === 'sv' ? 'Användaren är inaktiverad; sessionerna är avslutade.\n' : 'The user was deactivated; their sessions were ended.\n');
        }
        return 0;
      }
      default:
        throw new Usage(`Okänt underkommando: ${sub ?? ''}\n\n${usage}`);
    }
  } catch (e) {
    if (e instanceof Usage) {
      io.err(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UserInputError) {
      io.err(`${e.field}: ${e.text[lang]}\n`);
      return 2;
    }
    throw e;
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        region: { type: 'string' },
        organisation: { type: 'string' },
        'oidc-issuer': { type: 'string' },
        'oidc-subject': { type: 'string' },
      },
    });
  } catch (e) {
    throw new Usage((e as Error).message);
  }
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
      if (result === null) reject(new Usage('Avbrutet.'));
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
