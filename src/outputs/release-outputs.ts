// A published release's outputs, computed once: the report, its charts and every download, per
// form (`variant`) and language, stored in `release_outputs` and served from there with an ETag.
// A published release never changes, so neither does what it serves; recomputing it on every
// public request let anyone exhaust the CPU (a large release takes seconds per report).
//
// Reading an output: a bounded in-process LRU, then the table, then — once per key, however many
// requests arrive at the same time — computing and storing it. Concurrent first requests in one
// process share one in-flight promise; across processes `INSERT … ON CONFLICT DO NOTHING` keeps the
// first row and every process serves that row (renderers stamp dates, so two computations may differ
// in bytes; the stored one is the truth).
import crypto from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { chartSpecs, fileName, formats, render, RENDERER_VERSION, type Format } from '../publish/index.ts';
import type { Lang } from '../standard/codes.ts';
import type { Executor } from '../store/db.ts';
import { releaseNotFound, reportNotFound } from '../stats/errors.ts';
import { assertOwnSettings, buildPublishedReport, compareReleases, defaultReleaseOf, listReleases, type Release } from '../stats/releases.ts';
import type { PublishedReport, ReportSettings } from '../stats/report-types.ts';
import { releaseOutputs } from '../stats/schema.ts';

/**
 * The outputs a release stores. Downloads are `download.<format>`; comparisons `compare-from-<release>`;
 * a civil-society or support-programme release its report's view per language, `source-report`
 * (src/outputs/source-outputs.ts).
 */
export type OutputName = 'report' | 'charts' | `download.${Format}` | `compare-from-${string}` | 'source-report';
/** Outputs whose bytes do not depend on the language are stored once, under this language. */
export const ANY_LANG = 'any';

export type OutputKey = { releaseId: string; variant: string; output: OutputName; lang: Lang | typeof ANY_LANG };

export type StoredOutput = {
  body: Buffer;
  contentType: string;
  /** a strong validator of the stored bytes, quoted: `"…"` */
  etag: string;
};

/**
 * The form of a release's outputs a request asks for: the protected form under the release's
 * disclosure policy, keyed by the policy's version (outputs of an earlier version are never
 * served). It exists with the release's own settings only; asking for the other count of persons
 * of unknown age is refused (a second set of figures the protection did not audit).
 */
export function variantOf(release: Pick<Release, 'settings' | 'policy_version'>, asked: Partial<ReportSettings> | undefined): string {
  assertOwnSettings(release, asked);
  return `protected-v${release.policy_version}`;
}

/**
 * The key of what a renderer draws from a variant's report (its charts and files): the variant and
 * the renderers' version, so a file an earlier renderer drew is drawn again, never served.
 */
export const drawnVariant = (variant: string) => `${variant}-r${RENDERER_VERSION}`;

/**
 * The stored variants that an output drawn under `drawn` (a drawnVariant) makes obsolete: the same
 * form drawn before renderers were versioned, or by an earlier renderer. They would never be served
 * again. A later renderer's (another process already upgraded, during a rolling upgrade) is kept.
 */
export function supersededVariants(drawn: string, stored: readonly string[]): string[] {
  const versioned = (v: string) => {
    const m = /^(.*)-r(\d+)$/.exec(v);
    return m ? { base: m[1], renderer: Number(m[2]) } : null;
  };
  const own = versioned(drawn);
  if (!own) return [];
  return stored.filter((v) => {
    if (v === own.base) return true;
    const other = versioned(v);
    return other !== null && other.base === own.base && other.renderer < own.renderer;
  });
}

/** One string per key, for the in-process maps (release ids, variants and output names hold no `|`). */
const keyString = (k: OutputKey) => `${k.releaseId}|${k.variant}|${k.output}|${k.lang}`;

export const etagOf = (body: Buffer) => `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** How often the work behind the outputs ran, for tests that prove a second request is served from storage. */
export const outputCounters = { reportsComputed: 0, outputsStored: 0 };

/** Least recently used entries go first once the bytes held exceed the bound. */
class ByteLru {
  private map = new Map<string, StoredOutput>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): StoredOutput | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: StoredOutput) {
    if (value.body.length > this.maxBytes / 4) return; // one huge file must not flush everything else
    const old = this.map.get(key);
    if (old) this.bytes -= old.body.length;
    this.map.delete(key);
    this.map.set(key, value);
    this.bytes += value.body.length;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.body.length;
    }
  }
  clear() {
    this.map.clear();
    this.bytes = 0;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';
const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value));

/** How long another process's new publication may take to show in this process's list. */
const RELEASE_LIST_TTL_MS = 2000;

export type ReleaseOutputs = ReturnType<typeof releaseOutputStore>;

export function releaseOutputStore(db: Executor, opts: { maxBytes?: number; now?: () => number } = {}) {
  const lru = new ByteLru(opts.maxBytes ?? 64 * 1024 * 1024);
  const inFlight = new Map<string, Promise<StoredOutput>>();
  const now = opts.now ?? Date.now;

  async function read(key: OutputKey): Promise<StoredOutput | undefined> {
    const [row] = await db
      .select({ body: releaseOutputs.body, contentType: releaseOutputs.content_type, etag: releaseOutputs.etag })
      .from(releaseOutputs)
      .where(
        and(
          eq(releaseOutputs.release_id, key.releaseId),
          eq(releaseOutputs.variant, key.variant),
          eq(releaseOutputs.output, key.output),
          eq(releaseOutputs.lang, key.lang),
        ),
      );
    return row;
  }

  /** Deletes what an earlier renderer drew of this output, now that this one has drawn it. */
  async function dropSuperseded(key: OutputKey) {
    const same = and(eq(releaseOutputs.release_id, key.releaseId), eq(releaseOutputs.output, key.output), eq(releaseOutputs.lang, key.lang));
    const variants = (await db.select({ variant: releaseOutputs.variant }).from(releaseOutputs).where(same)).map((r) => r.variant);
    const old = supersededVariants(key.variant, variants);
    if (old.length > 0) await db.delete(releaseOutputs).where(and(same, inArray(releaseOutputs.variant, old)));
  }

  async function computeAndStore(key: OutputKey, compute: () => Promise<{ body: Buffer; contentType: string }>): Promise<StoredOutput> {
    const stored = await read(key);
    if (stored) return stored;
    const made = await compute();
    await db
      .insert(releaseOutputs)
      .values({ release_id: key.releaseId, variant: key.variant, output: key.output, lang: key.lang, content_type: made.contentType, body: made.body, etag: etagOf(made.body) })
      .onConflictDoNothing();
    outputCounters.outputsStored++;
    await dropSuperseded(key);
    // Another process may have stored first: serve its row, so every process sends the same bytes.
    const row = await read(key);
    if (!row) throw new Error(`release output ${keyString(key)} vanished after storing`);
    return row;
  }

  /** The stored output, computing and storing it on first use (once per key however many ask at once). */
  async function get(key: OutputKey, compute: () => Promise<{ body: Buffer; contentType: string }>): Promise<StoredOutput> {
    const k = keyString(key);
    const hit = lru.get(k);
    if (hit) return hit;
    let pending = inFlight.get(k);
    if (!pending) {
      pending = computeAndStore(key, compute)
        .then((out) => {
          lru.set(k, out);
          return out;
        })
        .finally(() => inFlight.delete(k));
      inFlight.set(k, pending);
    }
    return pending;
  }

  // --- the published releases: a tiny list every public request needs, cached briefly ---
  let list: { at: number; value: Promise<{ releases: Release[]; json: Buffer; etag: string }> } | null = null;
  function published() {
    if (!list || now() - list.at > RELEASE_LIST_TTL_MS) {
      const value = listReleases(db, null).then((releases) => {
        const json = jsonBytes(releases);
        return { releases, json, etag: etagOf(json) };
      });
      const entry = { at: now(), value };
      list = entry;
      value.catch(() => {
        if (list === entry) list = null;
      });
    }
    return list.value;
  }

  // --- the outputs ---
  const report = (release: Release, variant: string) =>
    get({ releaseId: release.id, variant, output: 'report', lang: ANY_LANG }, async () => {
      outputCounters.reportsComputed++;
      const computed = await buildPublishedReport(db, null, { year: release.year, releaseId: release.id });
      return { body: jsonBytes(computed), contentType: JSON_TYPE };
    });
  const reportObject = async (release: Release, variant: string) => JSON.parse((await report(release, variant)).body.toString('utf8')) as PublishedReport;

  const charts = (release: Release, variant: string, lang: Lang) =>
    get({ releaseId: release.id, variant: drawnVariant(variant), output: 'charts', lang }, async () => ({
      body: jsonBytes(chartSpecs(await reportObject(release, variant), lang)),
      contentType: JSON_TYPE,
    }));

  const download = (release: Release, variant: string, format: Format, lang: Lang) =>
    get({ releaseId: release.id, variant: drawnVariant(variant), output: `download.${format}`, lang: format === 'json' ? ANY_LANG : lang }, async () => {
      const body = await render(await reportObject(release, variant), format, lang);
      return { body: typeof body === 'string' ? Buffer.from(body) : body, contentType: formats[format].contentType };
    });

  return {
    /** Any stored output by key, computed and stored on first use (the sources' reports use it: source-outputs.ts). */
    stored: get,
    published,
    /** Forgets the cached list of published releases (this process just published one). */
    invalidateReleases() {
      list = null;
    },
    /** Forgets the in-process copies (the table stays): for tests and after a restore. */
    clearMemory() {
      lru.clear();
      list = null;
    },

    /** The published release a public request for a year (and maybe a named release) reads; 404 otherwise. */
    async resolve(year: number, releaseId: string | undefined): Promise<Release> {
      const { releases } = await published();
      if (releaseId) {
        const release = releases.find((r) => r.id === releaseId);
        if (!release || release.year !== year) throw releaseNotFound();
        return release;
      }
      const release = defaultReleaseOf(releases, year);
      if (!release) throw reportNotFound();
      return release;
    },

    report,
    charts,
    download,
    fileName: (release: Release, format: Format) => fileName({ year: release.year } as PublishedReport, format),

    /** What the public page shows: the newest year's default release, its charts, and the list. */
    async publicPage(lang: Lang): Promise<StoredOutput> {
      const list = await published();
      const newest = list.releases[0] ? defaultReleaseOf(list.releases, list.releases[0].year) : undefined;
      if (!newest) {
        const body = jsonBytes({ report: null, charts: [], releases: [] });
        return { body, contentType: JSON_TYPE, etag: etagOf(body) };
      }
      const variant = variantOf(newest, undefined);
      const [r, c] = await Promise.all([report(newest, variant), charts(newest, variant, lang)]);
      // The stored parts joined as they are; the list of releases is the only part that changes
      // (a later publication), so it is joined per request rather than frozen into a stored row.
      const k = `public|${newest.id}|${lang}|${r.etag}|${c.etag}|${list.etag}`;
      const hit = lru.get(k);
      if (hit) return hit;
      const body = Buffer.concat([Buffer.from('{"report":'), r.body, Buffer.from(',"charts":'), c.body, Buffer.from(',"releases":'), list.json, Buffer.from('}')]);
      const out = { body, contentType: JSON_TYPE, etag: etagOf(body) };
      lru.set(k, out);
      return out;
    },

    /** A comparison of two published releases, stored with the later one named. */
    async comparison(from: Release, to: Release): Promise<StoredOutput> {
      return get({ releaseId: to.id, variant: `${variantOf(to, undefined)}-from-v${from.policy_version}`, output: `compare-from-${from.id}`, lang: ANY_LANG }, async () => ({
        body: jsonBytes(await compareReleases(db, null, from.id, to.id)),
        contentType: JSON_TYPE,
      }));
    },

    /** Computes what a newly published release will be asked for most: its default form in both languages, every format. */
    async warm(release: Release): Promise<void> {
      const variant = variantOf(release, undefined);
      await report(release, variant);
      for (const lang of ['sv', 'en'] as const) {
        await charts(release, variant, lang);
        for (const format of Object.keys(formats) as Format[]) await download(release, variant, format, lang);
      }
    },
  };
}
