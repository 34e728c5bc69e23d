// Security headers on every response and the limits of what a request may be.
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Label } from '../standard/codes.ts';
import { CONTROL_CHARACTERS } from '../standard/validate.ts';
import { HttpProblem, problemText } from './errors.ts';

/** Spread into `Fastify({...})`: bounds on body, URL parameters and slow clients. */
export const serverLimits = {
  bodyLimit: 1024 * 1024,
  routerOptions: { maxParamLength: 200 },
  // Slow or stalled clients must not hold sockets for ever.
  connectionTimeout: 120_000,
  requestTimeout: 120_000,
  keepAliveTimeout: 10_000,
} satisfies Partial<FastifyServerOptions>;

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export type SecurityOptions = {
  /** adds Strict-Transport-Security; default NODE_ENV === 'production' */
  production?: boolean;
};

export function registerSecurity(app: FastifyInstance, opts: SecurityOptions = {}) {
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  registerInputLimits(app);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.removeHeader('x-powered-by');
    // Case data must not linger in shared or browser caches; public routes set their own.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

// ---- Hostile input: refused at the edge, before it reaches a route, a service or SQL ----

/** Deepest nesting of arrays and objects in a JSON body: a case needs four levels, a draft a few more. */
export const MAX_JSON_DEPTH = 32;
/** Longest value of one query-string parameter (the longest any route expects is 500). */
export const MAX_QUERY_VALUE = 1000;
/** Problems named in one answer; the rest are of the same kind. */
const MAX_REPORTED = 20;

type TextRule = 'control_characters' | 'invalid_unicode' | 'max_length' | 'max_depth';

// No message repeats the path: a JSON key is text the client typed.
const ruleTexts: Record<TextRule, Label> = {
  control_characters: {
    sv: 'Texten innehåller styrtecken (t.ex. nolltecken, tabb eller radbrytning), som inte är tillåtna.',
    en: 'The text contains control characters (such as NUL, tab or line break), which are not allowed.',
  },
  invalid_unicode: {
    sv: 'Texten innehåller ogiltiga Unicode-tecken (ett ensamt surrogattecken).',
    en: 'The text contains invalid Unicode (a lone surrogate).',
  },
  max_length: { sv: `Värdet är för långt (högst ${MAX_QUERY_VALUE} tecken).`, en: `The value is too long (at most ${MAX_QUERY_VALUE} characters).` },
  max_depth: {
    sv: `Innehållet är för djupt nästlat (högst ${MAX_JSON_DEPTH} nivåer).`,
    en: `The content is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`,
  },
};

const refused = (found: { path: string; rule: TextRule }[]) =>
  new HttpProblem(
    400,
    'validation',
    problemText('validation'),
    found.map((f) => ({ path: f.path, rule: f.rule, message: ruleTexts[f.rule] })),
  );

/** A lone surrogate cannot be written as UTF-8, and PostgreSQL refuses its escape in jsonb. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The standard's control characters (C0 and DEL: no field anywhere is free text), or a lone surrogate. */
export function textRule(s: string): TextRule | null {
  if (CONTROL_CHARACTERS.test(s)) return 'control_characters';
  if (LONE_SURROGATE.test(s)) return 'invalid_unicode';
  return null;
}

/** A key as it may appear in a path: without the characters that made it wrong, and short. */
const shownKey = (key: string) => key.replace(/[\u0000-\u001f\u007f]|\p{Cs}/gu, '\ufffd').slice(0, 64);
const joinPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Every string and key in a parsed value that breaks the text rule, as dotted paths. An explicit
 * stack rather than recursion: the depth is bounded already, but a walk must never be what fails.
 */
export function textProblems(value: unknown, root = '', limit = MAX_REPORTED): { path: string; rule: TextRule }[] {
  const found: { path: string; rule: TextRule }[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0 && found.length < limit) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const rule = textRule(v);
      if (rule) found.push({ path: path || '(body)', rule });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], joinPath(path, String(i))]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const keyPath = joinPath(path, shownKey(key));
        const rule = textRule(key);
        if (rule) found.push({ path: keyPath, rule });
        stack.push([(v as Record<string, unknown>)[key], keyPath]);
      }
    }
  }
  return found.slice(0, limit);
}

/**
 * True when JSON text nests arrays and objects deeper than `limit`, read off the raw text before
 * it is parsed (one pass, no recursion, strings skipped). Malformed text is left to the parser.
 */
export function jsonTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Header values a real HTTP parser would refuse (controls other than tab) never reach a route either. */
const HEADER_CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

function headerProblems(request: FastifyRequest) {
  const found: { path: string; rule: TextRule }[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    for (const v of [value ?? []].flat()) if (HEADER_CONTROLS.test(v)) found.push({ path: name, rule: 'control_characters' });
  }
  return found.slice(0, MAX_REPORTED);
}

function queryProblems(query: unknown) {
  const found = textProblems(query);
  if (query && typeof query === 'object') {
    for (const [name, value] of Object.entries(query)) {
      if ([value].flat().some((v) => typeof v === 'string' && v.length > MAX_QUERY_VALUE)) found.push({ path: shownKey(name), rule: 'max_length' });
    }
  }
  return found.slice(0, MAX_REPORTED);
}

/** Bodies this parser read, so the body check knows a JSON value from a CSV text or a file. */
const parsedJson = new WeakSet<FastifyRequest>();

/**
 * Refuses hostile input on every route, the ones added later included: control characters and
 * lone surrogates in any header, query value, path parameter, JSON key or JSON string; query
 * values over MAX_QUERY_VALUE; JSON deeper than MAX_JSON_DEPTH. Each with a 400 naming the
 * field and the rule. Must be registered before the routes and before sign-in reads the cookie.
 */
export function registerInputLimits(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonTooDeep(body as string)) return done(refused([{ path: '(body)', rule: 'max_depth' }]), undefined);
    parsedJson.add(request);
    parseJson(request, body as string, done);
  });
  app.addHook('onRequest', async (request) => {
    const found = [...headerProblems(request), ...queryProblems(request.query), ...textProblems(request.params)];
    if (found.length > 0) throw refused(found.slice(0, MAX_REPORTED));
  });
  app.addHook('preValidation', async (request) => {
    if (!parsedJson.has(request)) return;
    const found = textProblems(request.body);
    if (found.length > 0) throw refused(found);
  });
}
