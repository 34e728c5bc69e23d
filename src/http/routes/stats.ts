// Statistics: releases (freeze, publish, compare), reports in every format, charts, the
// public page's data, data quality and the printed series.
//
// What anyone not entitled to internal data can read is a published release's public form, which
// never changes: it is served from `release_outputs` (src/outputs/release-outputs.ts) with an ETag, never
// recomputed per request. Only the statistician's views (live data, unpublished releases, the
// region table and a trend over internal releases) are computed on each request, by the services
// in src/stats, which decide from the actor what it sees and audit the internal reads; a route only
// picks where a reader's answer comes from (`readsInternal`), so a wrong pick can never widen it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { assertAbility } from '../auth.ts';
import { chartSpecs, fileName, formats, render, type Format } from '../../publish/index.ts';
import { checkText } from '../../publish/layout.ts';
import { qualityView } from '../../stats/quality.ts';
import { releaseNotFound } from '../../stats/errors.ts';
import {
  buildPublishedReport,
  compareReleases,
  freezeRelease,
  getReleasePolicy,
  listReleases,
  publishRelease,
  readsInternal,
  setReleasePolicy,
} from '../../stats/releases.ts';
import { policyDocumentOfBody } from '../../stats/protection.ts';
import { loadPublishedSeries } from '../../stats/series-store.ts';
import { releaseOutputStore, variantOf, type StoredOutput } from '../../outputs/release-outputs.ts';
import { sourceOutputStore } from '../../outputs/source-outputs.ts';
import { langOf } from '../i18n.ts';
import { chooseCoding, compressedForms, compressible } from '../precompressed.ts';
import {
  Binary,
  Charts,
  FreezeBody,
  NoBody,
  PolicyBody,
  PublishBody,
  PolicyView,
  PublicStats,
  PublishedReport,
  PublishedSeries,
  Release,
  ReleaseComparison,
  ReleaseList,
  ReleaseSource,
  YearQuality,
  errorResponses,
} from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

const Year = z.coerce.number().int().min(2018).max(2100);
const ReleaseId = z.string().regex(/^\d{4}-\d{1,4}$/);
/** Any source's release: the coordinators' `2025-1`, `2024-civ-1`, `2023-stp-1` (publish and policy work for every source). */
const AnyReleaseId = z.string().regex(/^\d{4}-(?:(?:civ|stp)-)?\d{1,4}$/);
const LangParam = z.enum(['sv', 'en']).optional();

const ReportQuery = z.object({
  year: Year,
  release: ReleaseId.optional(),
  unknown_age_as_adult: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  lang: LangParam,
  /** The statistician's choice (everyone else reads the protected form whatever they ask). */
  form: z.enum(['exact', 'protected']).optional(),
});

/** The report's files: JSON as the contract's Report, the others as bytes (sent as they are, not serialized). */
const downloads = {
  content: Object.fromEntries(
    Object.entries(formats).map(([format, { contentType }]) => [contentType.split(';')[0], { schema: format === 'json' ? PublishedReport : Binary }]),
  ),
};

/** Weak comparison (RFC 9110 §13.1.2): `If-None-Match` names the stored bytes, whatever their content coding. */
function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * Sends a stored output, or 304 when the client holds it. The ETag is sent weak: compression may
 * re-encode the bytes on the way out, and a weak validator stays the same across content codings.
 * `langFromHeader`: the language came from Accept-Language, so caches must key on it.
 */
export async function sendStored(
  request: FastifyRequest,
  reply: FastifyReply,
  out: StoredOutput,
  opts: { langFromHeader?: boolean; disposition?: string } = {},
) {
  reply.header('etag', `W/${out.etag}`).header('cache-control', 'public, max-age=60');
  const compress = compressible(out.contentType, out.body.length);
  const vary = [...(opts.langFromHeader ? ['accept-language'] : []), ...(compress ? ['accept-encoding'] : [])];
  if (vary.length) reply.header('vary', vary.join(', '));
  if (notModified(request, out.etag)) return reply.code(304).send();
  if (opts.disposition) reply.header('content-disposition', opts.disposition);
  reply.header('content-type', out.contentType);
  const coding = compress ? chooseCoding(request.headers['accept-encoding']) : null;
  if (!coding) return reply.send(out.body);
  // Compressed once per output and coding; the compressing hook lets an encoded answer pass.
  return reply.header('content-encoding', coding).send(await storedForms.get(out.etag, coding, out.body));
}

/** Compressed forms of stored outputs, shared by every route of the process. */
export const storedForms = compressedForms();

export function statsRoutes(app: Api, ctx: Ctx) {
  const tags = ['statistics'];
  const db = ctx.database.db;
  const outputs = releaseOutputStore(db);
  const sourceOutputs = sourceOutputStore(db, outputs);

  app.get(
    '/api/stats/releases',
    { schema: { tags, summary: 'Utgåvor (regionkoordinatorernas om ingen källa anges)', querystring: z.object({ year: Year.optional(), source: ReleaseSource.optional() }), response: { 200: ReleaseList, ...errorResponses } } },
    async (request) => {
    const { year, source } = request.query;
    if (readsInternal(request.actor) || (source && source !== 'coordinator')) return { items: await listReleases(db, request.actor, { year, source }) };
    const { releases } = await outputs.published();
    return { items: releases.filter((r) => year === undefined || r.year === year) };
  });

  app.post(
    '/api/stats/releases',
    { schema: { tags, summary: 'Frys ett års ärenden till en utgåva', body: FreezeBody, response: { 201: Release, ...errorResponses } } },
    async (request, reply) => {
      const actor = assertAbility(request, 'release.freeze')!;
      reply.code(201);
      return freezeRelease(db, actor, request.body);
    },
  );

  app.post('/api/stats/releases/:id/publish', { schema: { tags, summary: 'Publicera en utgåva', params: z.object({ id: AnyReleaseId }), body: PublishBody, response: { 200: Release, ...errorResponses } } }, async (request) => {
    const actor = assertAbility(request, 'release.publish')!;
    // A policy given here is stored only together with a successful publication.
    const policy = request.body?.policy;
    const release = await publishRelease(db, actor, request.params.id, policy ? { policy: policyDocumentOfBody(policy) } : {});
    outputs.invalidateReleases();
    if (release.source !== 'coordinator') {
      try {
        await sourceOutputs.warm(release);
      } catch (e) {
        request.log.warn({ release: release.id, err: (e as Error).name }, 'precomputing the published release failed; computed on first request');
      }
      return release;
    }
    // Computed now, while one statistician waits, rather than by the first public visitors. A
    // failure here loses nothing: the release is published and its outputs are made on first use.
    try {
      await outputs.warm(release);
    } catch (e) {
      request.log.warn({ release: release.id, err: (e as Error).name }, 'precomputing the published release failed; computed on first request');
    }
    return release;
  });

  app.get(
    '/api/stats/releases/:id/policy',
    { schema: { tags, summary: 'Publiceringsregler och röjandeskydd för en utgåva', params: z.object({ id: AnyReleaseId }), response: { 200: PolicyView, ...errorResponses } } },
    async (request) => {
      const actor = assertAbility(request, 'release.publish')!;
      return getReleasePolicy(db, actor, request.params.id);
    },
  );

  app.put(
    '/api/stats/releases/:id/policy',
    { schema: { tags, summary: 'Sätt publiceringsreglerna före publicering', params: z.object({ id: AnyReleaseId }), body: PolicyBody, response: { 200: PolicyView, ...errorResponses } } },
    async (request) => {
      const actor = assertAbility(request, 'release.publish')!;
      return setReleasePolicy(db, actor, request.params.id, policyDocumentOfBody(request.body));
    },
  );

  app.get(
    '/api/stats/releases/compare',
    { schema: { tags, summary: 'Jämför två utgåvor', querystring: z.object({ from: ReleaseId, to: ReleaseId }), response: { 200: ReleaseComparison, 304: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const { from, to } = request.query;
      if (readsInternal(request.actor)) return compareReleases(db, request.actor, from, to);
      const { releases } = await outputs.published();
      const [a, b] = [releases.find((r) => r.id === from), releases.find((r) => r.id === to)];
      if (!a || !b) throw releaseNotFound();
      return sendStored(request, reply, await outputs.comparison(a, b));
    },
  );

  const reportFor = (request: { actor: Actor | null }, q: z.output<typeof ReportQuery>) =>
    buildPublishedReport(db, request.actor, {
      year: q.year,
      releaseId: q.release,
      settings: q.unknown_age_as_adult === undefined ? undefined : { unknown_age_as_adult: q.unknown_age_as_adult },
      form: q.form,
    });

  /** The published release and form a request of the public reads (the release's stored outputs). */
  const publicForm = async (q: z.output<typeof ReportQuery>) => {
    const release = await outputs.resolve(q.year, q.release);
    const settings = q.unknown_age_as_adult === undefined ? undefined : { unknown_age_as_adult: q.unknown_age_as_adult };
    return { release, variant: variantOf(release, settings) };
  };

  app.get('/api/stats/report', { schema: { tags, summary: 'Årsrapportens tabeller (JSON)', querystring: ReportQuery, response: { 200: PublishedReport, 304: NoBody, ...errorResponses } } }, async (request, reply) => {
    if (readsInternal(request.actor)) return reportFor(request, request.query);
    const { release, variant } = await publicForm(request.query);
    return sendStored(request, reply, await outputs.report(release, variant));
  });

  app.get(
    '/api/stats/report/download',
    { schema: { tags, summary: 'Ladda ned rapporten', querystring: ReportQuery.extend({ format: z.enum(Object.keys(formats) as [Format, ...Format[]]) }), response: { 200: downloads, 304: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const format = request.query.format;
      if (!readsInternal(request.actor)) {
        const { release, variant } = await publicForm(request.query);
        const lang = request.query.lang ?? langOf(request);
        return sendStored(request, reply, await outputs.download(release, variant, format, lang), {
          langFromHeader: !request.query.lang && format !== 'json',
          disposition: `attachment; filename="${outputs.fileName(release, format)}"`,
        });
      }
      const report = await reportFor(request, request.query);
      const body = await render(report, format, request.query.lang ?? langOf(request));
      reply.header('content-type', formats[format].contentType).header('content-disposition', `attachment; filename="${fileName(report, format)}"`);
      return reply.send(body);
    },
  );

  app.get('/api/stats/charts', { schema: { tags, summary: 'Diagram (Vega-Lite)', querystring: ReportQuery, response: { 200: Charts, 304: NoBody, ...errorResponses } } }, async (request, reply) => {
    const lang = request.query.lang ?? langOf(request);
    if (readsInternal(request.actor)) return chartSpecs(await reportFor(request, request.query), lang);
    const { release, variant } = await publicForm(request.query);
    return sendStored(request, reply, await outputs.charts(release, variant, lang), { langFromHeader: !request.query.lang });
  });

  // The same for everyone: the newest published year, from the stored outputs.
  app.get('/api/stats/public', { schema: { tags, summary: 'Senast publicerade statistik', querystring: z.object({ lang: LangParam }), response: { 200: PublicStats, 304: NoBody, ...errorResponses } } }, async (request, reply) =>
    sendStored(request, reply, await outputs.publicPage(request.query.lang ?? langOf(request)), { langFromHeader: !request.query.lang }),
  );

  app.get('/api/stats/quality', { schema: { tags, summary: 'Datakvalitet för ett år', querystring: z.object({ year: Year }), response: { 200: YearQuality, ...errorResponses } } }, async (request) => {
    const actor = assertAbility(request, 'report.read_live')!;
    const view = await qualityView(db, actor, request.query.year);
    // The checks in words, as the report's reader gets them, not as ids and formulas.
    return { ...view, checks: view.checks.map((c) => ({ ...c, text: { sv: checkText(c, 'sv'), en: checkText(c, 'en') } })) };
  });

  app.get('/api/stats/series', { schema: { tags, summary: 'Tryckta serier med källa', response: { 200: PublishedSeries, ...errorResponses } } }, async () => ({ items: await loadPublishedSeries(db) }));
}
