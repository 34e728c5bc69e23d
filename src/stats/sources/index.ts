// The reports of the other sources, by source: what a release of each freezes, how its tables are
// read and printed. The release services, the protection, the routes and the renderers find a
// source's report here.
import { civilSocietyReport } from './civil-society.ts';
import { supportProgrammeReport } from './support-programmes.ts';
import type { ReportSource, SourceReportSpec } from './types.ts';

export const sourceReportSpecs: Record<ReportSource, SourceReportSpec> = {
  civil_society: civilSocietyReport,
  support_programme: supportProgrammeReport,
};

export { reportSources, releaseTag, type ReportSource, type SourceReportSpec } from './types.ts';
