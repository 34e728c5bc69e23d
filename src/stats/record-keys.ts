// Record keys of frozen cases, for the public table builder's cell-key method
// (src/disclosure/cell-key.ts, src/stats/table-builder.ts). A key is drawn once per case, when the
// case is first frozen, and every later release of the year that holds the case keeps it: two
// releases of the same persons then publish the same noise, so an attacker gains nothing by
// averaging a preliminary and a final release. Keys are secret: they are never served.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../store/db.ts';
import { releaseCases, releases } from './schema.ts';

/** A fresh uniform record key in [0, 1), a multiple of 2⁻³² as the cell-key sums use. */
export function newRecordKey(): number {
  return crypto.randomBytes(4).readUInt32BE(0) / 2 ** 32;
}

/** The record keys the cases of a year already have in its releases, by case id. */
export async function recordKeysOfYear(db: Executor, year: number): Promise<Map<string, number>> {
  const rows = await db
    .selectDistinct({ case_id: releaseCases.case_id, record_key: releaseCases.record_key })
    .from(releaseCases)
    .innerJoin(releases, eq(releases.id, releaseCases.release_id))
    .where(eq(releases.year, year));
  return new Map(rows.map((r) => [r.case_id, r.record_key]));
}

/** The record keys of one release's cases, by case id. */
export async function recordKeysOfRelease(db: Executor, releaseId: string): Promise<Map<string, number>> {
  const rows = await db.select({ case_id: releaseCases.case_id, record_key: releaseCases.record_key }).from(releaseCases).where(eq(releaseCases.release_id, releaseId));
  return new Map(rows.map((r) => [r.case_id, r.record_key]));
}
