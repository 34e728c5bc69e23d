// A published civil-society or support-programme release's outputs: its report's view per
// language and every download, computed once from the protected form and stored in
// `release_outputs` (variant `protected-v<policy version>`, the files also keyed by the renderers'
// version) like the coordinators' (release-outputs.ts).
import { renderSourceReport, sourceFileName, type SourceFormat } from '../publish/sources/index.ts';
import type { Lang } from '../standard/codes.ts';
import type { Executor } from '../store/db.ts';
import { buildSourceReport, listReleases, pickSourceRelease, type Release } from '../stats/releases.ts';
import { sourceReportSpecs } from '../stats/sources/index.ts';
import type { ReportSource, SourceReportView } from '../stats/sources/types.ts';
import { sourceReportView } from '../stats/sources/view.ts';
import { drawnVariant, type ReleaseOutputs, type StoredOutput } from './release-outputs.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export const sourceVariantOf = (release: Pick<Release, 'policy_version'>) => `protected-v${release.policy_version}`;

export type SourceOutputs = ReturnType<typeof sourceOutputStore>;

export function sourceOutputStore(db: Executor, outputs: ReleaseOutputs) {
  /** The published view of a release in one language, as computed for the public (never the exact form). */
  const publicView = async (release: Release, lang: Lang): Promise<SourceReportView> => {
    const source = release.source as ReportSource;
    const published = await buildSourceReport(db, null, { source, year: release.year, releaseId: release.id });
    return sourceReportView(sourceReportSpecs[source], published, lang);
  };

  const view = (release: Release, lang: Lang): Promise<StoredOutput> =>
    outputs.stored({ releaseId: release.id, variant: sourceVariantOf(release), output: 'source-report', lang }, async () => ({
      body: Buffer.from(JSON.stringify(await publicView(release, lang))),
      contentType: JSON_TYPE,
    }));

  const viewObject = async (release: Release, lang: Lang) => JSON.parse((await view(release, lang)).body.toString('utf8')) as SourceReportView;

  const download = (release: Release, format: SourceFormat, lang: Lang): Promise<StoredOutput> =>
    outputs.stored({ releaseId: release.id, variant: drawnVariant(sourceVariantOf(release)), output: `download.${format}`, lang }, async () => {
      const file = await renderSourceReport(await viewObject(release, lang), format);
      return { body: file.body, contentType: file.contentType };
    });

  return {
    /** The published release of a source a public request reads (named, or the year's default); 404 naming what is missing. */
    async resolve(source: ReportSource, year: number, releaseId: string | undefined): Promise<Release> {
      return pickSourceRelease(await listReleases(db, null, { source, year }), { source, year, releaseId });
    },
    /** A published release by id alone (the download names no year). */
    async published(releaseId: string): Promise<Release | undefined> {
      for (const source of Object.keys(sourceReportSpecs) as ReportSource[]) {
        const hit = (await listReleases(db, null, { source })).find((r) => r.id === releaseId);
        if (hit) return hit;
      }
      return undefined;
    },
    view,
    download,
    fileName: (release: Release, format: SourceFormat, lang: Lang) =>
      sourceFileName({ release: { id: release.id }, source: release.source, year: release.year, lang } as SourceReportView, format),
    /** Computes what a newly published release will be asked for: its view and every file in both languages. */
    async warm(release: Release): Promise<void> {
      for (const lang of ['sv', 'en'] as const) {
        await view(release, lang);
        for (const format of ['json', 'csv', 'xlsx', 'pdf'] as const) await download(release, format, lang);
      }
    },
  };
}
