// Statistics commands: seed the demo, freeze and publish releases, list them, write reports,
// import printed series.
import fs from 'node:fs';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/actor.ts';
import { fileName, render, type Format } from '../publish/index.ts';
import { insertCases } from '../registry/transfer.ts';
import { countAllCases } from '../registry/cases.ts';
import { generateDemoCases } from '../stats/demo.ts';
import { buildReport, freezeRelease, listReleases as releasesFor, publishRelease, type Release } from '../stats/releases.ts';
import { ensurePublishedSeries, parseSeriesFile, upsertPublishedSeries } from '../stats/series-store.ts';
import type { Executor } from '../store/db.ts';
import { instanceKind, setInstanceKind } from '../store/instance.ts';
import type { Lang } from '../standard/codes.ts';

export const DEMO_YEAR = 2025;

export class DemoRefusedError extends Error {}

/** Fills an empty instance with the demo: 481 synthetic 2025 cases, frozen and published as the final release. */
export async function seedDemo(db: Executor, actor: Actor = systemActor('seed')): Promise<Release> {
  return db.transaction(async (tx) => {
    const n = await countAllCases(tx);
    const kind = await instanceKind(tx);
    if (n > 0 || kind === 'real') {
      throw new DemoRefusedError(
        'Demodata kan bara läggas in i en tom instans. Starta med en ny datakatalog (LAGESBILD_DATA_DIR) för demon.',
      );
    }
    await setInstanceKind(tx, 'demo');
    await ensurePublishedSeries(tx);
    await insertCases(tx, actor, generateDemoCases());
    const release = await freezeRelease(tx, actor, { year: DEMO_YEAR, kind: 'final' });
    return publishRelease(tx, actor, release.id);
  });
}

/** The first start of an instance decides its kind: the demo on an empty embedded database unless `--no-demo`. */
export async function prepareInstance(db: Executor, opts: { embedded: boolean; noDemo: boolean }): Promise<'seeded' | 'demo' | 'real'> {
  const kind = await instanceKind(db);
  if (kind) return kind;
  if (opts.embedded && !opts.noDemo && (await countAllCases(db)) === 0) {
    await seedDemo(db);
    return 'seeded';
  }
  await setInstanceKind(db, 'real');
  await ensurePublishedSeries(db);
  return 'real';
}

export function describeRelease(r: Release, lang: Lang = 'sv'): string {
  const kind = lang === 'sv' ? (r.kind === 'final' ? 'slutlig' : 'preliminär') : r.kind;
  const state = r.published ? (lang === 'sv' ? `publicerad ${r.published_at?.slice(0, 10)}` : `published ${r.published_at?.slice(0, 10)}`) : lang === 'sv' ? 'intern' : 'internal';
  return `${r.id}\t${r.year}\t${kind}\t${r.case_count} ${lang === 'sv' ? 'ärenden' : 'cases'}\t${state}\t${r.checksum.slice(0, 12)}${r.demo ? '\tDEMO' : ''}`;
}

// The command line acts as the system: it reads the internal view, and the services audit it.

/** The report of a year as a file; from the live data or an unpublished release too (audited by the service). */
export async function writeReport(
  db: Executor,
  opts: { year: number; releaseId?: string; format: Format; lang: Lang; unknownAgeAsAdult?: boolean },
  actor: Actor = systemActor('cli'),
): Promise<{ body: Buffer | string; name: string }> {
  const report = await buildReport(db, actor, {
    year: opts.year,
    releaseId: opts.releaseId,
    settings: opts.unknownAgeAsAdult === undefined ? undefined : { unknown_age_as_adult: opts.unknownAgeAsAdult },
  });
  return { body: await render(report, opts.format, opts.lang), name: fileName(report, opts.format) };
}

export async function importSeries(db: Executor, text: string): Promise<number> {
  return upsertPublishedSeries(db, parseSeriesFile(text));
}

/** Every release of a year (or all), unpublished ones too (audited by the service). */
export function listReleases(db: Executor, opts: { year?: number } = {}, actor: Actor = systemActor('cli')): Promise<Release[]> {
  return releasesFor(db, actor, opts);
}

export { freezeRelease, publishRelease };

/** For `series import`: the file's text, read here so a missing file is a usage error. */
export function readTextFile(path: string): string {
  return fs.readFileSync(path, 'utf8');
}
