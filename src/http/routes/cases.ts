// Cases: list, create, read, change, close, reopen, withdraw, history. Thin: parse, call the registry, present.
import { z } from 'zod';
import * as codes from '../../standard/codes.ts';
import { CaseInput } from '../../standard/case.ts';
import * as registry from '../../registry/cases.ts';
import { HttpProblem } from '../errors.ts';
import { langOf } from '../i18n.ts';
import { presentCase, presentVersion } from '../presenters.ts';
import type { Api, Ctx } from '../types.ts';

/** Case ids are ULIDs, references `STH-2025-0001`: letters, digits and dashes only (a NUL byte would reach SQL). */
const CaseId = z.object({ id: z.string().min(1).max(64).regex(/^[0-9A-Za-z-]+$/) });
/** Versions are PostgreSQL integers; a larger number is refused before it reaches SQL. */
const MAX_VERSION = 2_147_483_647;
const VersionBody = z.object({ version: z.number().int().positive().max(MAX_VERSION).optional() }).strict().optional();

export const CaseListQuery = z.object({
  year: z.coerce.number().int().min(2018).max(2100).optional(),
  region: z.enum(codes.region.codes).optional(),
  category: z.enum(codes.category.codes).optional(),
  sex: z.enum(codes.sex.codes).optional(),
  age_group: z.enum(codes.ageGroup.codes).optional(),
  nationality: z.string().regex(/^[A-Z]{2}$/).optional(),
  status: z.enum(codes.caseStatus.codes).optional(),
  source: z.enum(codes.source.codes).optional(),
  organisation_id: z.string().max(64).regex(/^[a-z0-9-]+$/).optional(),
  reference: z.string().max(32).regex(/^[0-9A-Za-z-]+$/).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

const missingVersion = new HttpProblem(428, 'version_required', {
  sv: 'Ange vilken version av ärendet ändringen gäller (fältet version eller If-Match).',
  en: 'State which version of the case the change applies to (the version field or If-Match).',
}, [{ path: 'version', rule: 'required', message: { sv: 'Version saknas.', en: 'Version is missing.' } }]);

const versionOutOfRange = new HttpProblem(400, 'validation', {
  sv: 'Uppgifterna innehåller fel.',
  en: 'The submitted data has errors.',
}, [{ path: 'version', rule: 'range', message: { sv: 'Versionen finns inte.', en: 'The version does not exist.' } }]);

/** The version the client last saw: `If-Match: "3"` or `version` in the body. */
function expectedVersion(headers: Record<string, unknown>, body: unknown): number | undefined {
  const checked = (n: number) => {
    if (n > MAX_VERSION) throw versionOutOfRange;
    return n;
  };
  const ifMatch = headers['if-match'];
  if (typeof ifMatch === 'string') {
    const n = Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
    if (Number.isInteger(n) && n > 0) return checked(n);
  }
  const v = (body as { version?: unknown } | null)?.version;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? checked(v) : undefined;
}

function withoutVersion(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'version' in body) {
    const { version: _v, ...rest } = body as Record<string, unknown>;
    return rest;
  }
  return body;
}

export function caseRoutes(app: Api, ctx: Ctx) {
  const tags = ['cases'];
  /** `:id` is a case id or a reference (any letter case); the registry's writes take the id. */
  const caseIdOf = async (actor: Parameters<typeof registry.getCase>[1], idOrReference: string) =>
    idOrReference.includes('-') ? (await registry.getCase(ctx.database.db, actor, idOrReference.toUpperCase())).id : idOrReference.toUpperCase();

  app.get('/api/cases', { schema: { tags, summary: 'Lista ärenden med filter och sidindelning', querystring: CaseListQuery } }, async (request) => {
    const { page, pageSize, reference, ...filters } = request.query;
    if (reference) {
      // A reference names one case: answer it as a page of zero or one.
      const found = await registry.findCase(ctx.database.db, request.actor, reference.trim().toUpperCase());
      return { items: found ? [presentCase(found)] : [], total: found ? 1 : 0, page: 1, pageSize };
    }
    const result = await registry.listCases(ctx.database.db, request.actor, filters, { page, pageSize });
    return { ...result, items: result.items.map(presentCase) };
  });

  app.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Registrera ett ärende',
        body: CaseInput,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).passthrough(),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const result = await registry.createCase(ctx.database.db, request.actor, request.body as unknown, {
        idempotencyKey: typeof key === 'string' ? key : undefined,
      });
      reply.code(201).header('location', `/api/cases/${result.id}`);
      return { ...presentCase(result), warnings: presentWarnings(result.warnings, langOf(request)) };
    },
  );

  app.get('/api/cases/:id', { schema: { tags, summary: 'Hämta ett ärende', params: CaseId } }, async (request, reply) => {
    const record = await registry.getCase(ctx.database.db, request.actor, request.params.id.toUpperCase());
    reply.header('etag', `"${record.version}"`);
    return presentCase(record);
  });

  app.put(
    '/api/cases/:id',
    { schema: { tags, summary: 'Ändra ett ärende (ny version)', params: CaseId, body: CaseInput.extend({ version: z.number().int().positive() }) } },
    async (request, reply) => {
      const version = expectedVersion(request.headers, request.body);
      if (version === undefined) throw missingVersion;
      const id = await caseIdOf(request.actor, request.params.id);
      const result = await registry.changeCase(ctx.database.db, request.actor, id, version, withoutVersion(request.body));
      reply.header('etag', `"${result.version}"`);
      return { ...presentCase(result), warnings: presentWarnings(result.warnings, langOf(request)) };
    },
  );

  for (const action of ['close', 'reopen', 'withdraw'] as const) {
    const summary = { close: 'Avsluta ett ärende', reopen: 'Återöppna ett ärende', withdraw: 'Återkalla ett ärende registrerat av misstag' }[action];
    app.post(`/api/cases/:id/${action}`, { schema: { tags, summary, params: CaseId, body: VersionBody } }, async (request, reply) => {
      const version = expectedVersion(request.headers, request.body);
      const fn = { close: registry.closeCase, reopen: registry.reopenCase, withdraw: registry.withdrawCase }[action];
      const result = await fn(ctx.database.db, request.actor, await caseIdOf(request.actor, request.params.id), version);
      reply.header('etag', `"${result.version}"`);
      return presentCase(result);
    });
  }

  app.get('/api/cases/:id/history', { schema: { tags, summary: 'Ärendets versionshistorik', params: CaseId } }, async (request) => {
    const versions = await registry.caseHistory(ctx.database.db, request.actor, await caseIdOf(request.actor, request.params.id));
    return { items: versions.map(presentVersion) };
  });
}

function presentWarnings(warnings: readonly { path: string; rule: string; message: codes.Label }[], lang: codes.Lang) {
  return warnings.map((w) => ({ path: w.path, rule: w.rule, message: w.message[lang] }));
}
