// What an orchestrator asks: is the process alive (liveness), and may it be sent traffic
// (readiness: the database answers and has this build's migrations). Both are public and say
// nothing of the registry's contents.
import type { Label } from '../../standard/codes.ts';
import { isDatabaseUnavailable, migrationStatus, type MigrationStatus } from '../../store/db.ts';
import { apiError, databaseRetryAfterSeconds } from '../errors.ts';
import { langOf } from '../i18n.ts';
import { Health, NotReady, Ready, errorResponses } from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

const migrationsPending: Label = {
  sv: 'Databasen saknar migreringar som den här versionen behöver. Kör `lagesbild migrate`.',
  en: 'The database lacks migrations this version needs. Run `lagesbild migrate`.',
};
const checkTimedOut: Label = {
  sv: 'Databasen svarade inte i tid.',
  en: 'The database did not answer in time.',
};

/** A probe that hangs (a network path that drops packets) answers "not ready" instead of never. */
const readyTimeoutMs = () => Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000) + 1000;

type Check = { ok: true; migrations: MigrationStatus } | { ok: false; code: 'database_unavailable' | 'migrations_pending'; text?: Label; migrations?: MigrationStatus };

async function checkDatabase(ctx: Ctx): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'database_unavailable', text: checkTimedOut }), readyTimeoutMs());
  });
  const check = migrationStatus(ctx.database.db).then(
    (migrations): Check =>
      migrations.pending.length > 0 ? { ok: false, code: 'migrations_pending', text: migrationsPending, migrations } : { ok: true, migrations },
    (e: unknown): Check => {
      if (isDatabaseUnavailable(e)) return { ok: false, code: 'database_unavailable' };
      throw e;
    },
  );
  try {
    return await Promise.race([check, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(app: Api, ctx: Ctx) {
  const tags = ['health'];

  // Liveness: never touches the database, so an outage of PostgreSQL does not get a healthy
  // process restarted (which would not bring the database back).
  app.get('/api/health', { schema: { tags, summary: 'Processen lever (frågar inte databasen)', response: { 200: Health, ...errorResponses } } }, async () => ({
    ok: true,
    database: ctx.database.kind,
    demo: ctx.demo,
  }));

  // Readiness: a database migrated by a newer build (unknown migrations) stays ready, so that the
  // old instances keep serving while a rolling update replaces them; a database behind this build
  // (pending migrations) is not.
  app.get('/api/ready', { schema: { tags, summary: 'Redo att ta emot trafik: databasen svarar och är migrerad', response: { 200: Ready, ...errorResponses, 503: NotReady } } }, async (request, reply) => {
    const result = await checkDatabase(ctx);
    const migrations = result.migrations ? { pending: result.migrations.pending, unknown: result.migrations.unknown } : null;
    if (result.ok) return { ready: true, database: ctx.database.kind, migrations };
    if (result.code === 'database_unavailable') reply.header('retry-after', String(databaseRetryAfterSeconds));
    reply.code(503);
    return { ready: false, database: ctx.database.kind, migrations, ...apiError(langOf(request), result.code, [], result.text) };
  });
}
