// One place that turns every error into `{code, message, errors}` in the user's language.
// Messages never echo submitted values: they can be case contents.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Label, Lang } from '../standard/codes.ts';
import { DomainError, type DomainViolation, type ProblemKind } from '../standard/domain-error.ts';
import { isDatabaseUnavailable, retryOnConnectionLoss } from '../store/db.ts';
import { langOf } from './i18n.ts';

export type ApiFieldError = { path: string; rule: string; message: string };
export type ApiError = { code: string; message: string; errors: ApiFieldError[] };

type Violationish = DomainViolation;

/**
 * The HTTP status of every kind of domain error: the one table between the two. The command
 * line's server client reads it backwards (kindOfStatus), so an answer of the server becomes the
 * same DomainError the service raised.
 */
export const statusOfKind: Record<ProblemKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  precondition: 428,
  throttled: 429,
  internal: 500,
  unavailable: 503,
};

/** The kind of an error status; a status no kind has is `invalid` below 500 and `internal` from it. */
export function kindOfStatus(status: number): ProblemKind {
  const kind = (Object.keys(statusOfKind) as ProblemKind[]).find((k) => statusOfKind[k] === status);
  return kind ?? (status >= 500 ? 'internal' : 'invalid');
}

/** A DomainError raised by a route, named by its HTTP status (its kind follows), with headers to send. */
export class HttpProblem extends DomainError {
  constructor(
    status: number,
    code: string,
    text: Label,
    violations: readonly Violationish[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(code, kindOfStatus(status), text, violations);
  }
  get status(): number {
    return statusOfKind[this.kind];
  }
}

const texts: Record<string, Label> = {
  validation: { sv: 'Uppgifterna innehåller fel.', en: 'The submitted data has errors.' },
  not_found: { sv: 'Hittades inte.', en: 'Not found.' },
  version_conflict: {
    sv: 'Ärendet har ändrats av någon annan sedan du öppnade det. Ladda om och gör ändringen igen.',
    en: 'The case was changed by someone else since you opened it. Reload and make the change again.',
  },
  idempotency_conflict: {
    sv: 'Samma Idempotency-Key har redan använts för en annan begäran.',
    en: 'The same Idempotency-Key was already used for a different request.',
  },
  invalid_json: { sv: 'Begärans innehåll är inte giltig JSON.', en: 'The request body is not valid JSON.' },
  payload_too_large: { sv: 'Begäran är för stor.', en: 'The request is too large.' },
  unsupported_media_type: { sv: 'Innehållstypen stöds inte.', en: 'The content type is not supported.' },
  bad_request: { sv: 'Felaktig begäran.', en: 'Bad request.' },
  method_not_allowed: { sv: 'Metoden är inte tillåten.', en: 'Method not allowed.' },
  conflict: { sv: 'Åtgärden går inte att utföra i ärendets nuvarande läge.', en: 'The action is not possible in the current state.' },
  internal: { sv: 'Ett oväntat fel inträffade. Försök igen.', en: 'An unexpected error occurred. Please try again.' },
  database_unavailable: {
    sv: 'Databasen går inte att nå just nu. Försök igen om en stund. Om du sparade något: kontrollera att det inte redan är sparat innan du sparar igen.',
    en: 'The database cannot be reached right now. Please try again shortly. If you were saving something, check that it was not saved already before saving again.',
  },
};

/** Seconds a client is asked to wait (`Retry-After`) when the database cannot be reached. */
export const databaseRetryAfterSeconds = 5;

export function problemText(code: string): Label {
  return texts[code] ?? texts.bad_request;
}

export function apiError(lang: Lang, code: string, violations: readonly Violationish[] = [], text?: Label): ApiError {
  return {
    code,
    message: (text ?? problemText(code))[lang],
    errors: violations.map((v) => ({ path: v.path, rule: v.rule, message: v.message[lang] })),
  };
}

function schemaIssuesToViolations(issues: unknown[]): Violationish[] {
  return issues.map((raw) => {
    const issue = raw as { keyword?: string; instancePath?: string };
    const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.') || '(body)';
    const rule = issue.keyword === 'invalid_type' ? 'type' : issue.keyword === 'invalid_value' ? 'code' : issue.keyword ?? 'invalid';
    return {
      path,
      rule,
      message: { sv: `Fältet ${path} har ett ogiltigt värde.`, en: `The field ${path} has an invalid value.` },
    };
  });
}

/** The `at …` lines of a stack, without the message lines before them. */
export function stackFrames(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/**
 * GET and HEAD handlers run once more when their database connection was lost: a dropped
 * connection (a PostgreSQL restart, a failover, a terminated backend) then costs the reader
 * nothing. One place, by method, because a GET only reads; what it writes besides is its read's
 * own audit row (written in the read's transaction, so a retry can at worst add a second row for
 * a read whose answer never arrived: the trail never shows fewer reads than were made) and a
 * published release's computed outputs, stored once under their key. Every other method runs
 * once: a change or an import whose connection died during COMMIT may have been applied, and is
 * never applied twice. (The session lookup before the handler is not retried: it fails as 503.)
 * Not retried: sign-in through the identity provider, a GET by protocol that creates a session
 * and spends a one-time code.
 */
function retryReadsOnConnectionLoss(app: FastifyInstance) {
  // Fastify derives a GET's HEAD route from the GET's (already wrapped) options: wrap once.
  const wrapped = new WeakSet<RouteHandlerMethod>();
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    const handler = route.handler as RouteHandlerMethod;
    if (!methods.every((m) => m === 'GET' || m === 'HEAD') || route.url.startsWith('/api/session/oidc/') || wrapped.has(handler)) return;
    route.handler = function retried(request, reply) {
      let attempt = 0;
      return retryOnConnectionLoss(async () => {
        if (attempt++ > 0) request.log.warn('database connection lost during a read; read once more');
        return handler.call(this, request, reply);
      });
    };
    wrapped.add(route.handler as RouteHandlerMethod);
  });
}

export function registerErrorHandling(app: FastifyInstance) {
  retryReadsOnConnectionLoss(app);
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    reply.code(404).send(apiError(langOf(request), 'not_found'));
  });

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    const lang = langOf(request);
    if (error instanceof DomainError) {
      const headers = error instanceof HttpProblem ? error.headers : {};
      return reply.code(statusOfKind[error.kind]).headers(headers).send(apiError(lang, error.code, error.violations, error.text));
    }
    if (isDatabaseUnavailable(error)) {
      // The class and code only (see below); no stack: this is an outage, not a bug.
      request.log.warn({ err: { type: error.name, code: error.code } }, 'database unavailable');
      return reply.code(503).header('retry-after', String(databaseRetryAfterSeconds)).send(apiError(lang, 'database_unavailable'));
    }
    if (error.validation) {
      return reply.code(400).send(apiError(lang, 'validation', schemaIssuesToViolations(error.validation)));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(apiError(lang, 'invalid_json'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(apiError(lang, 'payload_too_large'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(415).send(apiError(lang, 'unsupported_media_type'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(apiError(lang, error.statusCode === 405 ? 'method_not_allowed' : 'bad_request'));
    }
    // Log the class, code and stack frames only: messages of lower layers quote data (a failed
    // query's message lists its parameters, i.e. case contents), and a stack starts with the message.
    request.log.error({ err: { type: error.name, code: error.code, stack: stackFrames(error.stack) } }, 'unhandled error');
    return reply.code(500).send(apiError(lang, 'internal'));
  });
}
