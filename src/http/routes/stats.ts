// Statistics: releases (freeze, publish, compare), reports in every format, charts, the
// public page's data, data quality and the printed series.
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { writeAudit } from '../../access/audit.ts';
import { can } from '../../access/policy.ts';
import { assertAbility } from '../auth.ts';
import { chartSpecs, fileName, formats, render, type Format } from '../../publish/index.ts';
import { qualityOfYear } from '../../stats/quality.ts';
import {
  buildReport,
  compareReleases,
  freezeRelease,
  listReleases,
  publishRelease,
} from '../../stats/releases.ts';
import { loadPublishedSeries } from '../../stats/series-store.ts';
import { langOf } from '../i18n.ts';
import type { Api, Ctx } from '../types.ts';

const Year = z.coerce.number().int().min(2018).max(2100);
const ReleaseId = z.string().regex(/^\d{4}-\d{1,4}$/);
const LangParam = z.enum(['sv', 'en']).optional();

const ReportQuery = z.object({
  year: Year,
  release: ReleaseId.optional(),
  unknown_age_as_adult: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  lang: LangParam,
});

/** Unpublished releases and their comparison: the statistician's (the public sees what is published). */
const seesInternal = (actor: Actor | null) => can(actor, 'release.read_internal');

export function statsRoutes(app: Api, ctx: Ctx) {
  const tags = ['statistics'];
  const db = ctx.database.db;

  app.get('/api/stats/releases', { schema: { tags, summary: 'Utgåvor', querystring: z.object({ year: Year.optional() }) } }, async (request) => ({
    items: await listReleases(db, { year: request.query.year, publishedOnly: !seesInternal(request.actor) }),
  }));

  app.post(
    '/api/stats/releases',
    { schema: { tags, summary: 'Frys ett års ärenden till en utgåva', body: z.object({ year: Year, kind: z.enum(['preliminary', 'final']) }) } },
    async (request, reply) => {
      const actor = assertAbility(request, 'release.freeze')!;
      reply.code(201);
      return freezeRelease(db, actor, request.body);
    },
  );

  app.post('/api/stats/releases/:id/publish', { schema: { tags, summary: 'Publicera en utgåva', params: z.object({ id: ReleaseId }) } }, async (request) => {
    const actor = assertAbility(request, 'release.publish')!;
    return publishRelease(db, actor, request.params.id);
  });

  app.get(
    '/api/stats/releases/compare',
    { schema: { tags, summary: 'Jämför två utgåvor', querystring: z.object({ from: ReleaseId, to: ReleaseId }) } },
    async (request) => compareReleases(db, request.query.from, request.query.to, { publishedOnly: !seesInternal(request.actor) }),
  );

  const reportFor = (request: { actor: Actor | null }, q: z.output<typeof ReportQuery>) => {
    const internal = seesInternal(request.actor);
    return buildReport(db, {
      year: q.year,
      releaseId: q.release,
      publishedOnly: !internal,
      includeRegion: internal && can(request.actor, 'report.read_live'),
      settings: q.unknown_age_as_adult === undefined ? undefined : { unknown_age_as_adult: q.unknown_age_as_adult },
    });
  };

  app.get('/api/stats/report', { schema: { tags, summary: 'Årsrapportens tabeller (JSON)', querystring: ReportQuery } }, async (request) =>
    reportFor(request, request.query),
  );

  app.get(
    '/api/stats/report/download',
    { schema: { tags, summary: 'Ladda ned rapporten', querystring: ReportQuery.extend({ format: z.enum(['json', 'csv', 'xlsx', 'pdf']) }) } },
    async (request, reply) => {
      const report = await reportFor(request, request.query);
      const format = request.query.format as Format;
      const body = await render(report, format, request.query.lang ?? langOf(request));
      reply.header('content-type', formats[format].contentType).header('content-disposition', `attachment; filename="${fileName(report, format)}"`);
      return reply.send(body);
    },
  );

  app.get('/api/stats/charts', { schema: { tags, summary: 'Diagram (Vega-Lite)', querystring: ReportQuery } }, async (request) =>
    chartSpecs(await reportFor(request, request.query), request.query.lang ?? langOf(request)),
  );

  app.get('/api/stats/public', { schema: { tags, summary: 'Senast publicerade statistik', querystring: z.object({ lang: LangParam }) } }, async (request, reply) => {
    const [latest] = await listReleases(db, { publishedOnly: true });
    reply.header('cache-control', 'public, max-age=60');
    if (!latest) return { report: null, charts: [], releases: [] };
    const report = await buildReport(db, { year: latest.year, publishedOnly: true });
    const published = await listReleases(db, { publishedOnly: true });
    return { report, charts: chartSpecs(report, request.query.lang ?? langOf(request)), releases: published };
  });

  app.get('/api/stats/quality', { schema: { tags, summary: 'Datakvalitet för ett år', querystring: z.object({ year: Year }) } }, async (request) => {
    const actor = assertAbility(request, 'report.read_live')!;
    const quality = await qualityOfYear(db, request.query.year);
    // The possible duplicates name cases: the look is in the trail.
    await writeAudit(db, {
      actor,
      operation: 'report.read_live',
      caseIds: quality.possible_duplicates.flatMap((g) => g.case_ids),
      details: { view: 'quality', year: request.query.year, cases: quality.cases },
    });
    return quality;
  });

  app.get('/api/stats/series', { schema: { tags, summary: 'Tryckta serier med källa' } }, async () => ({ items: await loadPublishedSeries(db) }));
}
