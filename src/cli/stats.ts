// Statistics on the database itself: seed the demo, decide an instance's kind at its first start,
// import printed series, and how a release is printed.
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/actor.ts';
import { insertCases } from '../registry/transfer.ts';
import { countAllCases } from '../registry/cases.ts';
import { generateDemoCases } from '../stats/demo.ts';
import { civilSocietyDemoYears } from '../stats/sources/demo-civil-society.ts';
import { demoPersonKey } from '../stats/sources/demo-keys.ts';
import { supportProgrammeDemoYears } from '../stats/sources/demo-support-programmes.ts';
import { ensureDemoOrganisations } from './demo-organisations.ts';
import { freezeRelease, publishRelease, type Release } from '../stats/releases.ts';
import { ensurePublishedSeries, parseSeriesFile, upsertPublishedSeries } from '../stats/series-store.ts';
import type { Executor } from '../store/db.ts';
import { instanceKind, setInstanceKind } from '../store/instance.ts';
import type { Lang } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';

export const DEMO_YEAR = 2025;

/** The demo goes only into an empty instance that is not already a real one. */
export class DemoRefusedError extends DomainError {
  constructor() {
    super('demo_refused', 'conflict', {
      sv: 'Demodata kan bara läggas in i en tom instans. Starta med en ny datakatalog (LAGESBILD_DATA_DIR) för demon.',
      en: 'Demo data goes only into an empty instance. Start with a new data directory (LAGESBILD_DATA_DIR) for the demo.',
    });
  }
}

/**
 * The civil-society and support-programme releases the demo publishes: the civil-society report of
 * 2024 (the platform's printed figures) and 2025, the programmes' of 2023 (the printed figures,
 * with 2021–2022 for its year-by-year tables) and 2025.
 */
export const demoSourceReleases = [
  { source: 'civil_society', year: 2024 },
  { source: 'civil_society', year: 2025 },
  { source: 'support_programme', year: 2023 },
  { source: 'support_programme', year: 2025 },
] as const;

/**
 * Fills an empty instance with the demo: 481 synthetic 2025 coordinator cases, frozen and published
 * as the final release, each person with the demo's linkage key (demoPersonKey(i) for the i-th);
 * the demo organisations' civil-society and programme records (whose keys meet the coordinators'
 * where the demo's persons are the same: src/stats/sources/demo-keys.ts), and their reports'
 * releases (demoSourceReleases) frozen and published. Returns the coordinators' release.
 */
export async function seedDemo(db: Executor, actor: Actor = systemActor('seed')): Promise<Release> {
  const [coordinators] = await seedDemoReleases(db, actor);
  return coordinators;
}

/** seedDemo's work; every release it published, the coordinators' first and then the sources' in order. */
export async function seedDemoReleases(db: Executor, actor: Actor = systemActor('seed')): Promise<Release[]> {
  return db.transaction(async (tx) => {
    const n = await countAllCases(tx);
    const kind = await instanceKind(tx);
    if (n > 0 || kind === 'real') {
      throw new DemoRefusedError();
    }
    await setInstanceKind(tx, 'demo');
    await ensurePublishedSeries(tx);
    await insertCases(tx, actor, generateDemoCases().map((c, i) => ({ ...c, linkage_key: demoPersonKey(i) })));
    await ensureDemoOrganisations(tx);
    for (const { records } of [...civilSocietyDemoYears, ...supportProgrammeDemoYears]) await insertCases(tx, actor, records);
    const release = await freezeRelease(tx, actor, { year: DEMO_YEAR, kind: 'final' });
    const published = [await publishRelease(tx, actor, release.id)];
    for (const { source, year } of demoSourceReleases) {
      const frozen = await freezeRelease(tx, actor, { year, kind: 'final', source });
      published.push(await publishRelease(tx, actor, frozen.id));
    }
    return published;
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

export async function importSeries(db: Executor, text: string): Promise<number> {
  return upsertPublishedSeries(db, parseSeriesFile(text));
}
