// CSV and XLSX import, CSV export, in the interchange format (data standard 8; docs/interchange-format.md).
import { z } from 'zod';
import * as registry from '../../registry/cases.ts';
import * as transfer from '../../registry/transfer.ts';
import { Readable } from 'node:stream';
import { ImportLimitError, importLimits } from '../../registry/limits.ts';
import { XLSX_CONTENT_TYPE } from '../../registry/xlsx.ts';
import { assertAbility } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import { langOf } from '../i18n.ts';
import { ApiErrorBody, Binary, ImportDone, ImportRejected, errorResponses } from '../../contract/index.ts';
import { importTemplateCsv } from '../../standard/csv.ts';
import { CaseListQuery } from './cases.ts';
import type { Api, Ctx } from '../types.ts';

/** The report of a rejected import: bounded whatever the file (see ImportResult). */
function rejection(result: transfer.ImportResult, lang: 'sv' | 'en') {
  const listed = result.errors.length;
  return {
    code: 'import_rejected',
    message:
      lang === 'sv'
        ? `Filen importerades inte: ${result.errorCount} fel${listed < result.errorCount ? ` (de första ${listed} visas)` : ''}. Inget har sparats.`
        : `The file was not imported: ${result.errorCount} errors${listed < result.errorCount ? ` (the first ${listed} are shown)` : ''}. Nothing was saved.`,
    errors: result.errors.map((e) => ({ line: e.line, path: e.field, rule: e.rule, message: e.message })),
    errorCount: result.errorCount,
    errorsByRule: result.errorsByRule,
    problems: result.problems,
    warningCount: result.warningCount,
    warningGroups: result.warningGroups,
    warnings: result.warnings,
  };
}

export function transferRoutes(app: Api, ctx: Ctx) {
  // A CSV body is handed on as the request stream and parsed as it arrives, its size counted against
  // importLimits.csvBytes; a workbook needs its zip directory at the end, so it is read whole.
  app.addContentTypeParser(['text/csv', 'text/plain'], (_request, payload, done) => done(null, payload));
  app.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: importLimits.xlsxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/api/import',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Importera ärenden från CSV eller XLSX (allt eller inget)',
        consumes: ['text/csv', XLSX_CONTENT_TYPE],
        // The same file imported before is refused (409 duplicate_import) unless this is 1.
        querystring: z.object({ confirm_duplicate: z.enum(['0', '1']).optional() }),
        // 400: the file's errors (import_rejected), or a request refused before its rows were read.
        response: { 200: ImportDone, ...errorResponses, 400: z.union([ImportRejected, ApiErrorBody]) },
      },
      // A workbook over its limit is refused while its body is read, before the handler: name the limit there too.
      errorHandler: (error, _request, _reply) => {
        if ((error as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
        const limit = new ImportLimitError('file_size');
        throw new HttpProblem(413, 'payload_too_large', limit.text, limit.violations);
      },
    },
    async (request, reply) => {
      const lang = langOf(request);
      const actor = assertAbility(request, 'cases.import')!;
      const body = request.body as unknown;
      // An XLSX workbook's first sheet is read as the same table; its row numbers are the line numbers.
      const source: transfer.ImportSource | null = Buffer.isBuffer(body)
        ? { xlsx: body }
        : body instanceof Readable
          ? // Not destroyed when the import stops early (a limit): the answer goes out on its connection.
            { csv: body.iterator({ destroyOnReturn: false }) }
          : typeof body === 'string'
            ? { csv: body }
            : null;
      if (!source) {
        throw new HttpProblem(415, 'unsupported_media_type', {
          sv: 'Skicka filen som text/csv eller som Excel-ark (XLSX).',
          en: 'Send the file as text/csv or as an Excel workbook (XLSX).',
        });
      }
      let result: transfer.ImportResult;
      try {
        result = await transfer.importCases(ctx.database.db, actor, source, { lang, confirmDuplicate: request.query.confirm_duplicate === '1' });
      } catch (e) {
        // The rest of a refused body is read and dropped, so the connection stays usable.
        if (body instanceof Readable && !body.readableEnded) body.resume();
        if (e instanceof ImportLimitError && e.rule === 'file_size') throw new HttpProblem(413, 'payload_too_large', e.text, e.violations);
        throw e;
      }
      if (!result.ok) {
        reply.code(400);
        return rejection(result, lang);
      }
      return { imported: result.imported, warningCount: result.warningCount, warningGroups: result.warningGroups, warnings: result.warnings };
    },
  );

  app.get(
    '/api/export',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Exportera ärenden som CSV eller XLSX (med ärendelistans filter: listan som den visas)',
        querystring: CaseListQuery.omit({ page: true, pageSize: true, sort: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
        response: { 200: { content: { 'text/csv': { schema: Binary }, [XLSX_CONTENT_TYPE]: { schema: Binary } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = assertAbility(request, 'cases.export')!;
      const { format, year, ...filters } = request.query;
      const name = `lagesbild-arenden${year ? `-${year}` : ''}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'xlsx') {
        reply.header('content-type', XLSX_CONTENT_TYPE);
        return transfer.exportXlsx(ctx.database.db, actor, { year, filters });
      }
      reply.header('content-type', 'text/csv; charset=utf-8');
      return transfer.exportCsv(ctx.database.db, actor, { year, filters });
    },
  );
  app.get(
    '/api/import/template',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Mall för import: en CSV-fil med rubrikraden',
        response: { 200: { content: { 'text/csv': { schema: Binary } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      assertAbility(request, 'cases.import');
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="lagesbild-importmall.csv"');
      return importTemplateCsv();
    },
  );
}
