// CSV import and export in the interchange format (data standard 8).
import { z } from 'zod';
import * as registry from '../../registry/cases.ts';
import * as transfer from '../../registry/transfer.ts';
import { XLSX_CONTENT_TYPE, xlsxToCsv } from '../../registry/xlsx.ts';
import { csvColumns } from '../../standard/csv.ts';
import { assertAbility } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import { langOf } from '../i18n.ts';
import type { Api, Ctx } from '../types.ts';

const importLimit = 200 * 1024 * 1024;

const knownColumns = new Set(csvColumns);

/** The field a problem line `line N: field: message` names ('' when it names none, e.g. a whole-file problem). */
function problemField(problem: string): string {
  const field = /^line \d+: ([^:]+): /.exec(problem)?.[1];
  return field !== undefined && knownColumns.has(field) ? field : '';
}

export function transferRoutes(app: Api, ctx: Ctx) {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: importLimit }, (_request, body, done) => done(null, body));
  app.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: importLimit }, (_request, body, done) => done(null, body));

  app.post(
    '/api/import',
    { bodyLimit: importLimit, schema: { tags: ['transfer'], summary: 'Importera ärenden från CSV eller XLSX (allt eller inget)', consumes: ['text/csv', XLSX_CONTENT_TYPE] } },
    async (request, reply) => {
      const lang = langOf(request);
      const actor = assertAbility(request, 'cases.import')!;
      if (ctx.demo) {
        throw new HttpProblem(409, 'demo_instance', {
          sv: 'Det här är demoinstansen med syntetiska uppgifter; den tar inte emot riktiga uppgifter. Starta en riktig instans med en egen datakatalog och --no-demo (eller DATABASE_URL).',
          en: 'This is the demo instance with synthetic data; it does not accept real data. Start a real instance with its own data directory and --no-demo (or DATABASE_URL).',
        });
      }
      // An XLSX workbook's first sheet is read as the same table; its row numbers are the line numbers.
      const text = Buffer.isBuffer(request.body) ? await xlsxToCsv(request.body) : request.body;
      if (typeof text !== 'string') {
        throw new HttpProblem(415, 'unsupported_media_type', {
          sv: 'Skicka filen som text/csv eller som Excel-ark (XLSX).',
          en: 'Send the file as text/csv or as an Excel workbook (XLSX).',
        });
      }
      const result = await transfer.importCsv(ctx.database.db, actor, text, { lang });
      if (!result.ok) {
        reply.code(400);
        return {
          code: 'import_rejected',
          message:
            lang === 'sv'
              ? `Filen importerades inte: ${result.problems.length} fel. Inget har sparats.`
              : `The file was not imported: ${result.problems.length} errors. Nothing was saved.`,
          errors: result.problems.map((p) => ({ path: problemField(p), rule: 'import_row', message: p })),
          problems: result.problems,
          warnings: result.warnings,
        };
      }
      return { imported: result.imported, warnings: result.warnings };
    },
  );

  app.get(
    '/api/export',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Exportera ärenden som CSV',
        querystring: z.object({
          year: z.coerce.number().int().min(2018).max(2100).optional(),
          format: z.enum(['csv']).default('csv'),
        }),
      },
    },
    async (request, reply) => {
      const actor = assertAbility(request, 'cases.export')!;
      const csv = await transfer.exportCsv(ctx.database.db, actor, { year: request.query.year });
      const name = `lagesbild-arenden${request.query.year ? `-${request.query.year}` : ''}.csv`;
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`);
      return csv;
    },
  );
}
