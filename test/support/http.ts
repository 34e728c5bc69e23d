// The HTTP application on a fresh test database, driven through app.inject (no socket).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { systemActor } from '../../src/access/actor.ts';
import { createUser, type UserRole, type UserView } from '../../src/access/users.ts';
import { buildApp, type AppOptions } from '../../src/http/app.ts';
import type { Database } from '../../src/store/db.ts';
import { openTestDatabase, type DbTarget } from './db.ts';
import fc from 'fast-check';
import type { CaseData } from '../../src/standard/case.ts';
import { arbCaseData } from './arbitraries.ts';

/** The password every test user gets. */
export const TEST_PASSWORD = 'korrekt häst batteri häftklammer';

/** A user to sign in as: the role and, for case-writing roles, its region or organisation. */
export type Who = { role: UserRole; region?: string; organisation_id?: string };

/** A signed-in session: inject with its cookie, and its CSRF token on state-changing requests. */
export type Client = {
  user: UserView;
  cookie: string;
  csrfToken: string;
  /** the headers a request of this session carries (cookie and, for unsafe methods, the CSRF token) */
  headers: (method?: string) => Record<string, string>;
  inject: (opts: InjectOptions) => Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  /** signs in (once, cached) as a user of that role and scope, created directly in the database */
  as: (who: Who) => Promise<Client>;
  /** the user who owns a case of these owner fields: its region's coordinator or its organisation's reporter or officer */
  owner: (c: { source?: unknown; region?: unknown; organisation_id?: unknown }) => Promise<Client>;
  close: () => Promise<void>;
};

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'lagesbild_session')?.value;
}

/** Signs in through `POST /api/session`. */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Omit<Client, 'user'> & { user: UserView }> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
  const body = res.json() as { csrfToken: string; user: UserView };
  const cookie = sessionCookie(res)!;
  const headers = (method = 'GET') => ({ cookie: `lagesbild_session=${cookie}`, ...(unsafe.has(method.toUpperCase()) ? { 'x-csrf-token': body.csrfToken } : {}) });
  return {
    user: body.user,
    cookie,
    csrfToken: body.csrfToken,
    headers,
    inject: (opts) => app.inject({ ...opts, headers: { ...headers(opts.method ?? 'GET'), ...((opts.headers as Record<string, string>) ?? {}) } }),
  };
}

let userCounter = 0;

/** Creates a user directly (as the system, like `lagesbild users add`). */
export async function addUser(database: Database, who: Who, username = `${who.role.replace('_', '-')}-${++userCounter}`): Promise<UserView> {
  return createUser(database.db, systemActor('test'), {
    username,
    role: who.role,
    region: who.region ?? null,
    organisation_id: who.organisation_id ?? null,
    password: TEST_PASSWORD,
  });
}

export function sessionsOf(app: FastifyInstance, database: Database) {
  const cache = new Map<string, Promise<Client>>();
  const as = (who: Who): Promise<Client> => {
    const key = `${who.role}/${who.region ?? ''}/${who.organisation_id ?? ''}`;
    let found = cache.get(key);
    if (!found) {
      found = addUser(database, who).then((u) => signIn(app, u.username));
      cache.set(key, found);
      found.catch(() => cache.delete(key));
    }
    return found;
  };
  const owner = (c: { source?: unknown; region?: unknown; organisation_id?: unknown }) => {
    if (c.source === 'civil_society') return as({ role: 'organisation_reporter', organisation_id: String(c.organisation_id) });
    if (c.source === 'support_programme') return as({ role: 'programme_officer', organisation_id: String(c.organisation_id) });
    return as({ role: 'coordinator', region: typeof c.region === 'string' ? c.region : 'stockholm' });
  };
  return { as, owner };
}

export async function openTestApp(target: DbTarget, opts: Partial<Omit<AppOptions, 'database'>> = {}): Promise<TestApp> {
  const database = await openTestDatabase(target);
  const app = await buildApp({ oidc: null, ...opts, database });
  await app.ready();
  return {
    app,
    database,
    ...sessionsOf(app, database),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The body of a response as JSON (throws with the status and the start of the body when it is not JSON). */
export function json<T = any>(res: LightMyRequestResponse): T {
  try {
    return res.json() as T;
  } catch {
    throw new Error(`not JSON (HTTP ${res.statusCode}): ${res.body.slice(0, 200)}`);
  }
}

/** The shape every error answer has. */
export type ApiErrorBody = { code: string; message: string; errors: { path: string; rule: string; message: string }[] };


/**
 * `n` valid cases of every source (a fixed seed gives the same cases), with organisations the
 * registry knows, so they import.
 */
export function importableCases(n: number, seed: number, opts: { today?: string } = {}): CaseData[] {
  return fc
    .sample(arbCaseData({ today: opts.today }), { numRuns: n, seed })
    .map((d) => (d.source === 'coordinator' ? d : { ...d, organisation_id: d.source === 'civil_society' ? 'rk-syd' : 'rk-mitt' }));
}

/**
 * For tests about the case API itself rather than about access: each request goes as the user
 * who may make it. A new case is sent by its owner (its region's coordinator, its organisation's
 * reporter or officer), later requests on it by the same user; lists and exports by a
 * statistician, who sees every case.
 */
export function routedClient(t: Pick<TestApp, 'as' | 'owner'>) {
  const owners = new Map<string, { source?: unknown; region?: unknown; organisation_id?: unknown }>();
  const remember = (key: unknown, data: { source?: unknown; region?: unknown; organisation_id?: unknown }) => {
    if (typeof key === 'string') owners.set(key.toUpperCase(), data);
  };
  return async (opts: InjectOptions): Promise<LightMyRequestResponse> => {
    const method = (opts.method ?? 'GET').toUpperCase();
    const path = String(opts.url ?? '').split('?')[0];
    const one = /^\/api\/cases\/([^/]+)/.exec(path);
    let client: Client;
    if (method === 'POST' && path === '/api/cases') {
      const payload = (typeof opts.payload === 'string' ? safeJson(opts.payload) : opts.payload) as Record<string, unknown> | null;
      client = await t.owner(payload && typeof payload === 'object' ? payload : {});
      const res = await client.inject(opts);
      if (res.statusCode === 201) {
        const body = res.json() as { id: string; reference: string; source: string; region: string | null; organisation_id: string | null };
        remember(body.id, body);
        remember(body.reference, body);
      }
      return res;
    }
    if (one) client = await t.owner(owners.get(decodeURIComponent(one[1]).toUpperCase()) ?? {});
    else client = await t.as({ role: 'statistician' });
    return client.inject(opts);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
