// Cases: list, create, read, change, close, reopen, withdraw, history. Thin: parse, call the registry, present.
import { z } from 'zod';
import * as codes from '../../standard/codes.ts';
import { CaseBody, CaseChangeBody, CaseCheck, CaseHistory, CaseList, CaseView, CaseYears, MAX_VERSION, YearOverview, SavedCase, VersionBody, errorResponses } from '../../contract/index.ts';
import { validateCase } from '../../standard/validate.ts';
import * as registry from '../../registry/cases.ts';
import { yearOverview } from '../../registry/attention.ts';
import type { Actor } from '../../access/actor.ts';
import { can, caseAbilities, type Action } from '../../access/policy.ts';
import { assertAbility } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import { langOf } from '../i18n.ts';
import { presentCase, presentVersion } from '../presenters.ts';
import type { Api, Ctx } from '../types.ts';

/** Case ids are ULIDs, references `STH-2025-0001`: letters, digits and dashes only (a NUL byte would reach SQL). */
const CaseId = z.object({ id: z.string().min(1).max(64).regex(/^[0-9A-Za-z-]+$/) });

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
  /** part of a reference (letters, digits, dashes: a LIKE wildcard is refused here and escaped below) */
  reference: z.string().max(32).regex(/^[0-9A-Za-z-]+$/).optional(),
  /** an NSP rest or integration period ends from today to this many days later (the programme officer's start page asks 7) */
  period_ends_within: z.coerce.number().int().min(0).max(90).optional(),
  sort: z.enum(registry.caseSortKeys.flatMap((k) => [k, `-${k}`] as const) as [registry.CaseSort, ...registry.CaseSort[]]).optional(),
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

/** The actor's answers on one case, sent with it so the web app never works them out. */
function withAbilities(actor: Actor, record: Parameters<typeof presentCase>[0]) {
  return { ...presentCase(record), abilities: caseAbilities(actor, record) };
}

/** What the actor may do with the list as a whole. */
export function listAbilities(actor: Actor) {
  const list: Action[] = ['case.create', 'cases.list', 'cases.search', 'cases.import', 'cases.export'];
  return Object.fromEntries(list.map((a) => [a, can(actor, a)])) as Record<(typeof list)[number], boolean>;
}

/**
 * 401 when not signed in; 403 when the actor's role may never do `action` on any case; the
 * signed-in actor otherwise. Whether this case is in scope the registry decides (404 when not).
 */
function actorFor(request: Parameters<typeof assertAbility>[0], action: Action): Actor {
  return assertAbility(request, action)!;
}

export function caseRoutes(app: Api, ctx: Ctx) {
  const tags = ['cases'];
  /** `:id` is a case id or a reference (any letter case); the registry's writes take the id. */
  const caseIdOf = async (actor: Actor, idOrReference: string) =>
    idOrReference.includes('-') ? (await registry.getCase(ctx.database.db, actor, idOrReference.toUpperCase())).id : idOrReference.toUpperCase();

  app.get('/api/cases', { schema: { tags, summary: 'Lista ärenden med filter och sidindelning', querystring: CaseListQuery, response: { 200: CaseList, ...errorResponses } } }, async (request) => {
    const { page, pageSize, sort, ...filters } = request.query;
    // A reference matches any part of it ("0124" finds STO-2025-0124), with the other filters.
    const actor = actorFor(request, filters.reference ? 'cases.search' : 'cases.list');
    const result = await registry.listCases(ctx.database.db, actor, filters, { page, pageSize, sort });
    return { ...result, items: result.items.map((c) => withAbilities(actor, c)), abilities: listAbilities(actor) };
  });

  app.get('/api/cases/years', { schema: { tags, summary: 'Antal ärenden per statistikår (de år man får se), nyast först', response: { 200: CaseYears, ...errorResponses } } }, async (request) => {
    const actor = actorFor(request, 'cases.list');
    return { items: await registry.caseYears(ctx.database.db, actor) };
  });

  app.get(
    '/api/cases/overview',
    { schema: { tags, summary: 'Startsidans år: antal per status, senast ändrade och ärenden som behöver åtgärd', querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }), response: { 200: YearOverview, ...errorResponses } } },
    async (request) => yearOverview(ctx.database.db, actorFor(request, 'cases.list'), request.query.year),
  );

  app.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Registrera ett ärende',
        body: CaseBody,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).passthrough(),
        response: { 201: SavedCase, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorFor(request, 'case.create');
      const key = request.headers['idempotency-key'];
      const result = await registry.createCase(ctx.database.db, actor, request.body as unknown, {
        idempotencyKey: typeof key === 'string' ? key : undefined,
      });
      reply.code(201).header('location', `/api/cases/${result.id}`);
      return { ...withAbilities(actor, result), warnings: presentWarnings(result.warnings, langOf(request)) };
    },
  );

  app.post(
    '/api/cases/validate',
    { schema: { tags, summary: 'Kontrollera ett ärende utan att spara (formulärets kontroll medan man skriver)', body: CaseBody, response: { 200: CaseCheck, ...errorResponses } } },
    async (request) => {
      actorFor(request, 'case.create');
      // Nothing is stored or logged: the answer is the standard's own rules and messages.
      const result = validateCase(withoutVersion(request.body));
      const lang = langOf(request);
      return {
        ok: result.ok,
        errors: result.ok ? [] : presentWarnings(result.errors, lang),
        warnings: presentWarnings(result.warnings, lang),
      };
    },
  );

  app.get('/api/cases/:id', { schema: { tags, summary: 'Hämta ett ärende', params: CaseId, response: { 200: CaseView, ...errorResponses } } }, async (request, reply) => {
    const actor = actorFor(request, 'case.read');
    const record = await registry.getCase(ctx.database.db, actor, request.params.id.toUpperCase());
    reply.header('etag', `"${record.version}"`);
    return withAbilities(actor, record);
  });

  app.put(
    '/api/cases/:id',
    { schema: { tags, summary: 'Ändra ett ärende (ny version)', params: CaseId, body: CaseChangeBody, response: { 200: SavedCase, ...errorResponses } } },
    async (request, reply) => {
      const actor = actorFor(request, 'case.update');
      const version = expectedVersion(request.headers, request.body);
      if (version === undefined) throw missingVersion;
      const id = await caseIdOf(actor, request.params.id);
      const result = await registry.changeCase(ctx.database.db, actor, id, version, withoutVersion(request.body));
      reply.header('etag', `"${result.version}"`);
      return { ...withAbilities(actor, result), warnings: presentWarnings(result.warnings, langOf(request)) };
    },
  );

  for (const action of ['close', 'reopen', 'withdraw'] as const) {
    const summary = { close: 'Avsluta ett ärende', reopen: 'Återöppna ett ärende', withdraw: 'Återkalla ett ärende registrerat av misstag' }[action];
    app.post(`/api/cases/:id/${action}`, { schema: { tags, summary, params: CaseId, body: VersionBody, response: { 200: CaseView, ...errorResponses } } }, async (request, reply) => {
      const actor = actorFor(request, `case.${action}`);
      const version = expectedVersion(request.headers, request.body);
      const fn = { close: registry.closeCase, reopen: registry.reopenCase, withdraw: registry.withdrawCase }[action];
      const result = await fn(ctx.database.db, actor, await caseIdOf(actor, request.params.id), version);
      reply.header('etag', `"${result.version}"`);
      return withAbilities(actor, result);
    });
  }

  app.get('/api/cases/:id/history', { schema: { tags, summary: 'Ärendets versionshistorik', params: CaseId, response: { 200: CaseHistory, ...errorResponses } } }, async (request) => {
    const actor = actorFor(request, 'case.history');
    const versions = await registry.caseHistory(ctx.database.db, actor, await caseIdOf(actor, request.params.id));
    return { items: versions.map((v) => presentVersion(v, langOf(request))) };
  });
}

function presentWarnings(warnings: readonly { path: string; rule: string; message: codes.Label }[], lang: codes.Lang) {
  return warnings.map((w) => ({ path: w.path, rule: w.rule, message: w.message[lang] }));
}
