// The civil-society and support-programme reports: a source's report for a year in one language
// (GET /api/stats/source-report) and its files (…/download). The public reads the protected form
// of a published release, served from `release_outputs` (src/outputs/source-outputs.ts) with an
// ETag; the statistician's reads (unpublished releases, form=exact) are computed per request by the
// service, which audits them.
import { NoBody, errorResponses, Binary } from '../../contract/index.ts';
import { SourceReportDownloadQuery, SourceReportQuery, SourceReportView } from '../../contract/source-reports.ts';
import { formats } from '../../publish/index.ts';
import type { SourceFormat } from '../../publish/sources/index.ts';
import { renderSourceReport, sourceFileName } from '../../publish/sources/index.ts';
import { releaseOutputStore } from '../../outputs/release-outputs.ts';
import { sourceOutputStore } from '../../outputs/source-outputs.ts';
import { releaseNotFound } from '../../stats/errors.ts';
import { buildSourceReport, getRelease, readsInternal } from '../../stats/releases.ts';
import { sourceReportSpecs } from '../../stats/sources/index.ts';
import type { ReportSource } from '../../stats/sources/types.ts';
import { sourceReportView } from '../../stats/sources/view.ts';
import { assertAbility } from '../auth.ts';
import { langOf } from '../i18n.ts';
import { sendStored } from './stats.ts';
import type { Api, Ctx } from '../types.ts';

const downloads = {
  content: Object.fromEntries(Object.entries(formats).filter(([format]) => format !== 'html').map(([format, { contentType }]) => [contentType.split(';')[0], { schema: format === 'json' ? SourceReportView : Binary }])),
};

export function sourceReportRoutes(app: Api, ctx: Ctx) {
  const tags = ['statistics'];
  const db = ctx.database.db;
  const outputs = sourceOutputStore(db, releaseOutputStore(db));

  app.get(
    '/api/stats/source-report',
    {
      schema: {
        tags,
        summary: 'Rapporten från civilsamhället eller stödprogrammen för ett år',
        querystring: SourceReportQuery,
        response: { 200: SourceReportView, 304: NoBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const lang = q.lang ?? langOf(request);
      // 401 signed out, 403 every role but the statistician
      if (q.form === 'exact') assertAbility(request, 'release.read_internal');
      if (readsInternal(request.actor)) {
        const published = await buildSourceReport(db, request.actor, { source: q.source, year: q.year, releaseId: q.release, form: q.form });
        reply.header('cache-control', 'no-store');
        return sourceReportView(sourceReportSpecs[q.source], published, lang);
      }
      const release = await outputs.resolve(q.source, q.year, q.release);
      return sendStored(request, reply, await outputs.view(release, lang), { langFromHeader: !q.lang });
    },
  );

  app.get(
    '/api/stats/source-report/download',
    {
      schema: {
        tags,
        summary: 'Ladda ned rapporten från civilsamhället eller stödprogrammen',
        querystring: SourceReportDownloadQuery,
        response: { 200: downloads, 304: NoBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const format = q.format as SourceFormat;
      const lang = q.lang ?? langOf(request);
      // 401 signed out, 403 every role but the statistician
      if (q.form === 'exact') assertAbility(request, 'release.read_internal');
      if (!readsInternal(request.actor)) {
        const release = await outputs.published(q.release);
        if (!release) throw releaseNotFound();
        return sendStored(request, reply, await outputs.download(release, format, lang), {
          langFromHeader: !q.lang,
          disposition: `attachment; filename="${outputs.fileName(release, format, lang)}"`,
        });
      }
      const release = await getRelease(db, request.actor, q.release);
      if (release.source === 'coordinator') throw releaseNotFound();
      const published = await buildSourceReport(db, request.actor, { source: release.source as ReportSource, year: release.year, releaseId: release.id, form: q.form });
      const view = sourceReportView(sourceReportSpecs[release.source as ReportSource], published, lang);
      const file = await renderSourceReport(view, format);
      reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${sourceFileName(view, format)}"`)
        .header('cache-control', 'no-store');
      return reply.send(file.body);
    },
  );
}
