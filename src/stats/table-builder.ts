// The public table builder: anyone picks one to three dimensions of the data standard and a
// published release, and gets every cell of that cross table with its margins and total, each
// protected by the cell-key method (src/disclosure/cell-key.ts).
//
// Why the cell-key method here and not suppression: the public can ask for any combination, so
// no audit can cover every table someone might build. Each cell instead gets bounded noise chosen
// by the persons it holds: its key is the sum of their record keys (drawn once per case when it
// is frozen, src/stats/record-keys.ts), so the same persons give the same published value in every
// table and every request, and asking again or in another table teaches nothing new. Margins and
// the total are cells of their own, perturbed like the others, so rows need not add up to them.
//
// The builder is the public's product and reads the same for every actor: published releases
// only, never the region, no audit row (nothing internal is read). Too detailed tables are
// refused, and so are dimension pairs the release's disclosure policy excludes
// (`builder_exclusions`). The policy's threshold is also the builder's: no published count is
// 1 … threshold−1 (`builderNoise`).
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { perturb, perturbationTable, recordKey, type PerturbationTable } from '../disclosure/index.ts';
import type { Label } from '../standard/codes.ts';
import { codeLists } from '../standard/codes.ts';
import { countryList } from '../standard/countries.ts';
import type { DomainViolation } from '../standard/domain-error.ts';
import { exploitationCategory, personGroupOf } from '../standard/derive.ts';
import type { Executor } from '../store/db.ts';
import { builderDimensions, type BuilderDimension } from './builder-dimensions.ts';
import { dimensions as catalogueDimensions } from './catalogue.ts';
import { isCounted, popcount } from './cube.ts';
import { releaseNotFound, reportNotFound, StatsError } from './errors.ts';
import { policyDocumentOf, type PolicyDocument } from './protection.ts';
import { recordKeysOfRelease } from './record-keys.ts';
import { defaultReleaseOf, listReleases, releaseRecords, type Release } from './releases.ts';
import type { ReportSettings } from './report-types.ts';
import { releases as releaseRows } from './schema.ts';

export { builderDimensions, type BuilderDimension } from './builder-dimensions.ts';

type FrozenCase = Awaited<ReturnType<typeof releaseRecords>>[number];

/** A dimension's codes (in the data standard's order) and the code a frozen case has. */
const dimensionSpecs: Record<BuilderDimension, { codes: (s: ReportSettings) => readonly string[]; of: (k: FrozenCase, s: ReportSettings) => string }> = {
  sex: { codes: () => codeLists.sex.codes, of: (k) => k.sex },
  age_group: { codes: () => codeLists.age_group.codes, of: (k) => k.age_group },
  // `age_unknown` is a group only when unknown age is not counted as adult (the release's setting).
  group: {
    codes: (s) => codeLists.person_group.codes.filter((g) => g !== 'age_unknown' || !s.unknown_age_as_adult),
    of: (k, s) => personGroupOf(k.sex, k.age_group, s.unknown_age_as_adult),
  },
  category: { codes: () => codeLists.category.codes, of: (k) => exploitationCategory(k.exploitation_forms) },
  crime_type: { codes: () => codeLists.crime_type.codes, of: (k) => k.crime_type ?? 'unknown' },
  // Every country, not only those in the data: a row that appears only when someone has that
  // nationality would itself say that someone has it.
  nationality: { codes: () => [...countryList.map((c) => c.code), 'unknown'], of: (k) => k.nationality ?? 'unknown' },
  referred_by: { codes: () => codeLists.referred_by.codes, of: (k) => k.referred_by ?? 'unknown' },
};

const countryByCode = new Map(countryList.map((c) => [c.code, c]));

/** The label of a dimension's code in both languages. */
function labelOf(dimension: BuilderDimension, code: string): Label {
  if (dimension === 'nationality') {
    const country = countryByCode.get(code);
    return country ? { sv: country.sv, en: country.en } : catalogueDimensions.nationality.codes.unknown;
  }
  const list = catalogueDimensions[dimension].list;
  const item = codeLists[list].items.find((i) => i.code === code);
  return item ? { sv: item.sv, en: item.en } : { sv: code, en: code };
}

/** The dimension pairs the builder never crosses for a release: those its disclosure policy names. */
export function builderExclusions(policy: Pick<PolicyDocument, 'builder_exclusions'>): ReadonlyArray<readonly [BuilderDimension, BuilderDimension]> {
  return policy.builder_exclusions;
}

/**
 * The noise a release's tables get: no published count is 1 … threshold−1 (the release's policy,
 * as its report), and a count of 1 must be able to reach the threshold, so the deviation is the
 * settings' maximum or threshold−1, whichever is larger.
 */
export function builderNoise(policy: Pick<PolicyDocument, 'threshold'>, settings: Pick<BuilderSettings, 'maxDeviation'>): { maxDeviation: number; smallest: number } {
  return { smallest: policy.threshold, maxDeviation: Math.max(settings.maxDeviation, policy.threshold - 1) };
}

export type BuilderSettings = {
  /**
   * The noise's bound either way (the perturbation table's maximum deviation), at least; larger
   * when a release's threshold needs it (builderNoise). The smallest count published besides 0 is
   * the release's threshold.
   */
  maxDeviation: number;
  /** The most interior cells a table may have. */
  maxCells: number;
};
export const defaultBuilderSettings: BuilderSettings = { maxDeviation: 2, maxCells: 2000 };

export type BuilderRelease = { id: string; year: number; kind: Release['kind']; number: number };

export type BuilderOptions = {
  dimensions: { key: BuilderDimension; heading: Label }[];
  exclusions: [BuilderDimension, BuilderDimension][];
  releases: BuilderRelease[];
  max_dimensions: number;
  max_cells: number;
  max_deviation: number;
  smallest: number;
};

/** A cell: the codes of the dimensions it is keyed by (a dimension left out is summed over) and its published count. */
export type BuilderCell = { key: Partial<Record<BuilderDimension, string>>; count: number };

export type BuiltTable = {
  release: BuilderRelease;
  demo?: true;
  dimensions: { key: BuilderDimension; heading: Label; codes: ({ code: string } & Label)[] }[];
  /** The interior cells in code order, then each margin, the total last. */
  cells: BuilderCell[];
};

export type TableRequest = { dimensions?: readonly string[]; year?: number; release?: string };

/** A published release's persons as the builder counts them: each dimension's code index and each person's record key. */
export type Persons = { n: number; codes: Record<BuilderDimension, Uint16Array>; keys: Uint32Array; settings: ReportSettings };

const MAX_DIMENSIONS = 3;
/** Published releases whose persons are kept loaded (they never change). */
const CACHED_RELEASES = 8;

/** A refused choice of dimensions: the message is the answer's and its one violation's. */
const invalid = (rule: string, message: Label) => new StatsError('validation', message, [{ path: 'dimensions', rule, message } satisfies DomainViolation]);

/**
 * The table builder over one database. It keeps the persons of the last few published
 * releases it was asked for in memory, as a published release never changes.
 */
export function tableBuilder(db: Executor, settings: BuilderSettings = defaultBuilderSettings) {
  const loaded = new Map<string, Promise<Persons>>();
  const tables = new Map<string, PerturbationTable>();
  /** A published release's policy never changes: read once per release and version. */
  const policies = new Map<string, Promise<PolicyDocument>>();

  const noiseOf = (policy: PolicyDocument): PerturbationTable => {
    const noise = builderNoise(policy, settings);
    const key = `${noise.maxDeviation}/${noise.smallest}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = perturbationTable(noise)));
    return t;
  };

  const policyOf = (release: Release): Promise<PolicyDocument> => {
    const key = `${release.id}@${release.policy_version}`;
    let p = policies.get(key);
    if (!p) {
      p = db
        .select({ policy: releaseRows.policy })
        .from(releaseRows)
        .where(eq(releaseRows.id, release.id))
        .then(([row]) => policyDocumentOf(row?.policy ?? null));
      p.catch(() => policies.delete(key));
      policies.set(key, p);
      if (policies.size > CACHED_RELEASES) policies.delete(policies.keys().next().value!);
    }
    return p;
  };

  const personsOf = (release: Release): Promise<Persons> => {
    let p = loaded.get(release.id);
    if (!p) {
      p = loadPersons(db, release);
      p.catch(() => loaded.delete(release.id));
      loaded.set(release.id, p);
      if (loaded.size > CACHED_RELEASES) loaded.delete(loaded.keys().next().value!);
    }
    return p;
  };

  const options = (published: readonly Release[], policy: PolicyDocument): BuilderOptions => ({
    dimensions: builderDimensions.map((key) => ({ key, heading: catalogueDimensions[key].heading })),
    exclusions: builderExclusions(policy).map(([a, b]) => [a, b]),
    releases: published.map(releaseRef),
    max_dimensions: MAX_DIMENSIONS,
    max_cells: settings.maxCells,
    max_deviation: builderNoise(policy, settings).maxDeviation,
    smallest: builderNoise(policy, settings).smallest,
  });

  /**
   * The builder's choices (dimensions, their forbidden pairs, published releases, limits) and,
   * when dimensions are asked for, the table. Every actor gets the same answer.
   */
  async function build(_actor: Actor | null, req: TableRequest): Promise<{ options: BuilderOptions; table: BuiltTable | null }> {
    const published = await listReleases(db, null);
    const release = chooseRelease(published, req);
    const policy = await policyOf(release);
    const opts = options(published, policy);
    if (!req.dimensions || req.dimensions.length === 0) return { options: opts, table: null };
    const dims = checkDimensions(req.dimensions, policy);
    const persons = await personsOf(release);
    const sizes = dims.map((d) => dimensionSpecs[d].codes(persons.settings).length);
    const cellCount = sizes.reduce((a, b) => a * b, 1);
    if (cellCount > settings.maxCells) {
      throw invalid('max_cells', {
        sv: `Tabellen skulle få ${cellCount} celler; högst ${settings.maxCells} är tillåtet. Välj färre eller grövre indelningar.`,
        en: `The table would have ${cellCount} cells; at most ${settings.maxCells} are allowed. Choose fewer or coarser dimensions.`,
      });
    }
    // Says no count of persons: the refusal is answered exactly, unlike the table's perturbed cells.
    if (cellCount > persons.n) {
      throw invalid('cells_exceed_persons', {
        sv: `Kombinationen har fler celler (${cellCount}) än utgåvan har personer. Välj färre eller grövre indelningar.`,
        en: `The combination has more cells (${cellCount}) than the release has persons. Choose fewer or coarser dimensions.`,
      });
    }
    return { options: opts, table: countTable(release, dims, persons, noiseOf(policy)) };
  }

  return { build };
}

const releaseRef = (r: Release): BuilderRelease => ({ id: r.id, year: r.year, kind: r.kind, number: r.number });

/**
 * The release a request names, else the year's default (newest final, else newest preliminary),
 * else the newest published final release of any year (else the newest published one).
 */
function chooseRelease(published: readonly Release[], req: TableRequest): Release {
  if (req.release !== undefined) {
    const r = published.find((x) => x.id === req.release);
    if (!r || (req.year !== undefined && r.year !== req.year)) throw releaseNotFound();
    return r;
  }
  const release = req.year !== undefined ? defaultReleaseOf(published, req.year) : (published.find((r) => r.kind === 'final') ?? published[0]);
  if (!release) throw reportNotFound();
  return release;
}

/** The requested dimensions, or the refusal naming the rule they break. */
function checkDimensions(requested: readonly string[], policy: PolicyDocument): BuilderDimension[] {
  const unknown = requested.find((d) => !(builderDimensions as readonly string[]).includes(d));
  if (unknown !== undefined) {
    throw invalid('code', {
      sv: `Indelningen finns inte. Välj bland: ${builderDimensions.join(', ')}.`,
      en: `No such dimension. Choose among: ${builderDimensions.join(', ')}.`,
    });
  }
  const dims = requested as BuilderDimension[];
  if (new Set(dims).size !== dims.length) {
    throw invalid('distinct', { sv: 'Välj varje indelning högst en gång.', en: 'Choose each dimension at most once.' });
  }
  if (dims.length > MAX_DIMENSIONS) {
    throw invalid('max_dimensions', {
      sv: `Välj högst ${MAX_DIMENSIONS} indelningar.`,
      en: `Choose at most ${MAX_DIMENSIONS} dimensions.`,
    });
  }
  for (const [a, b] of builderExclusions(policy)) {
    if (dims.includes(a) && dims.includes(b)) {
      const [la, lb] = [catalogueDimensions[a].heading, catalogueDimensions[b].heading];
      throw invalid('excluded_pair', {
        sv: `${la.sv} och ${lb.sv.toLowerCase()} får inte korstabuleras: kombinationen kan peka ut enskilda personer.`,
        en: `${la.en} and ${lb.en.toLowerCase()} may not be crossed: the combination can single out individual persons.`,
      });
    }
  }
  return dims;
}

/** A published release's counted persons with their dimension codes and record keys. */
async function loadPersons(db: Executor, release: Release): Promise<Persons> {
  const [records, keys] = [await releaseRecords(db, release.id), await recordKeysOfRelease(db, release.id)];
  return builderPersons(records, keys, release);
}

/** The counted persons of a release's records, each with its code in every dimension and its record key. */
export function builderPersons(records: readonly FrozenCase[], keys: ReadonlyMap<string, number>, release: Pick<Release, 'id' | 'year' | 'settings'>): Persons {
  const counted = records.filter((k) => isCounted(k, release.year));
  const settings = release.settings;
  const codes = {} as Record<BuilderDimension, Uint16Array>;
  for (const d of builderDimensions) {
    const index = new Map(dimensionSpecs[d].codes(settings).map((c, i) => [c, i]));
    codes[d] = Uint16Array.from(counted, (k) => {
      const i = index.get(dimensionSpecs[d].of(k, settings));
      if (i === undefined) throw new Error(`table builder: release ${release.id} has a code outside the data standard in ${d}`);
      return i;
    });
  }
  const recordKeys = Uint32Array.from(counted, (k) => {
    const u = keys.get(k.id);
    if (u === undefined) throw new Error(`table builder: release ${release.id} has a case without a record key`);
    return recordKey(u);
  });
  return { n: counted.length, codes, keys: recordKeys, settings };
}

/**
 * Counts every cell of the cross table with its key sum in one pass over the persons, adds them up
 * into each margin (every subset of the dimensions, the total being the empty one), then publishes
 * each cell through the perturbation table. A cell's key is the sum of its persons' 32-bit record
 * keys modulo 2³², as cellKey in src/disclosure does; sums add up like counts, so a margin's key
 * is the sum of its interior cells' sums.
 */
export function publishedCells(persons: Persons, dims: readonly BuilderDimension[], table: PerturbationTable): BuilderCell[] {
  const codesOf = dims.map((d) => dimensionSpecs[d].codes(persons.settings));
  const sizes = codesOf.map((c) => c.length);
  const interior = sizes.reduce((a, b) => a * b, 1);
  const columns = dims.map((d) => persons.codes[d]);
  const counts = new Float64Array(interior);
  // Sums of up to n keys below 2³²: exact in a double up to 2²¹ persons.
  const sums = new Float64Array(interior);
  for (let p = 0; p < persons.n; p++) {
    let at = 0;
    for (let j = 0; j < columns.length; j++) at = at * sizes[j] + columns[j][p];
    counts[at]++;
    sums[at] += persons.keys[p];
  }
  // The digits (code indices) of each interior cell, in the order of `dims`.
  const digitsOf = (at: number) => {
    const digits: number[] = [];
    for (let j = sizes.length - 1; j >= 0; j--) {
      digits[j] = at % sizes[j];
      at = Math.floor(at / sizes[j]);
    }
    return digits;
  };
  // Subsets from the full table down to the total, by bit mask over `dims`.
  const subsets: number[] = [];
  for (let size = dims.length; size >= 0; size--) for (let m = 0; m < 1 << dims.length; m++) if (popcount(m) === size) subsets.push(m);
  const cells: BuilderCell[] = [];
  for (const mask of subsets) {
    const members = dims.map((_, i) => i).filter((i) => mask & (1 << i));
    const total = members.reduce((a, i) => a * sizes[i], 1);
    const [mCounts, mSums] = [new Float64Array(total), new Float64Array(total)];
    for (let at = 0; at < interior; at++) {
      const digits = digitsOf(at);
      const to = members.reduce((x, i) => x * sizes[i] + digits[i], 0);
      mCounts[to] += counts[at];
      mSums[to] += sums[at];
    }
    for (let at = 0; at < total; at++) {
      const digits: number[] = [];
      let rest = at;
      for (let j = members.length - 1; j >= 0; j--) {
        digits[j] = rest % sizes[members[j]];
        rest = Math.floor(rest / sizes[members[j]]);
      }
      // Keyed in the order the dimensions were asked for.
      const key: Partial<Record<BuilderDimension, string>> = {};
      members.forEach((i, j) => (key[dims[i]] = codesOf[i][digits[j]]));
      cells.push({ key, count: perturb(mCounts[at], (mSums[at] % 2 ** 32) / 2 ** 32, table) });
    }
  }
  return cells;
}

/** The table as the builder answers it: its release, its dimensions with their labels, its published cells. */
function countTable(release: Release, dims: BuilderDimension[], persons: Persons, table: PerturbationTable): BuiltTable {
  const codesOf = dims.map((d) => dimensionSpecs[d].codes(persons.settings));
  return {
    release: releaseRef(release),
    ...(release.demo ? { demo: true as const } : {}),
    dimensions: dims.map((d, i) => ({
      key: d,
      heading: catalogueDimensions[d].heading,
      codes: codesOf[i].map((code) => ({ code, ...labelOf(d, code) })),
    })),
    cells: publishedCells(persons, dims, table),
  };
}

