// The printed series in the database: loaded once from the figures the project carries,
// extended with `lagesbild series import FILE`.
import fs from 'node:fs';
import { asc, count, sql } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { StatsError } from './errors.ts';
import { publishedSeries } from './schema.ts';
import { publishedSeriesFromRk2025, SeriesFile, type PublishedSeriesRow } from './series.ts';

const printedSeriesFile = new URL('./data/printed-series.json', import.meta.url);

/** The printed series the project ships (from the 2018–2025 reports), with sources. */
export function shippedSeries(): PublishedSeriesRow[] {
  return publishedSeriesFromRk2025(JSON.parse(fs.readFileSync(printedSeriesFile, 'utf8')));
}

/** Every printed figure in the database, by year and measure. */
export async function loadPublishedSeries(db: Executor): Promise<PublishedSeriesRow[]> {
  const rows = await db.select().from(publishedSeries).orderBy(asc(publishedSeries.year), asc(publishedSeries.measure));
  return rows.map((r) => ({ year: r.year, measure: r.measure as PublishedSeriesRow['measure'], value: r.value, source_document: r.source_document, source_table: r.source_table }));
}

/** Adds or replaces printed figures (one per year and measure). */
export async function upsertPublishedSeries(db: Executor, rows: readonly PublishedSeriesRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await db
    .insert(publishedSeries)
    .values(rows.map((r) => ({ ...r })))
    .onConflictDoUpdate({
      target: [publishedSeries.year, publishedSeries.measure],
      set: {
        value: sql`excluded.value`,
        source_document: sql`excluded.source_document`,
        source_table: sql`excluded.source_table`,
        imported_at: sql`now()`,
      },
    });
  return rows.length;
}

/** Loads the shipped series when the table is empty (a new instance). */
export async function ensurePublishedSeries(db: Executor): Promise<void> {
  const [{ n }] = await db.select({ n: count() }).from(publishedSeries);
  if (Number(n) === 0) await upsertPublishedSeries(db, shippedSeries());
}

/** Parses a series file (format in series.ts); errors name the row and field. */
export function parseSeriesFile(text: string): PublishedSeriesRow[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StatsError('validation', { sv: 'Filen är inte giltig JSON.', en: 'The file is not valid JSON.' });
  }
  const parsed = SeriesFile.safeParse(json);
  if (!parsed.success) {
    const violations = parsed.error.issues.map((i) => {
      const path = i.path.join('.');
      return { path, rule: i.code, message: { sv: `Fel i ${path || 'filen'}.`, en: `Error in ${path || 'the file'}.` } };
    });
    throw new StatsError('validation', { sv: 'Serien kunde inte läsas.', en: 'The series could not be read.' }, violations);
  }
  return parsed.data.rows;
}
