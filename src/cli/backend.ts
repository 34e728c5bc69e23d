// What a command asks of the instance, written once: a Backend. The local one makes the same
// service calls the routes make, as the system actor, on the database it opened; the remote one is
// a client of those routes with the token a running server leaves beside the embedded data
// directory it holds (only one process may open it). Both refuse with the same DomainError: the
// remote one turns the server's problem JSON back into it, asked in the command's language.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { systemActor } from '../access/actor.ts';
import {
  searchAudit,
  takeAuditAnchor,
  verifyAnchors,
  verifyAuditChain,
  type AnchorFailure,
  type AuditAnchor,
  type AuditView,
  type ChainCheck,
} from '../access/audit.ts';
import { createOrganisation, listOrganisations, updateOrganisation, type NewOrganisation, type OrganisationChange, type OrganisationView } from '../access/organisations.ts';
import { backupStream } from '../operations/backup.ts';
import { render, type Format } from '../publish/index.ts';
import * as transfer from '../registry/transfer.ts';
import { XLSX_CONTENT_TYPE } from '../registry/xlsx.ts';
import type { Label, Lang } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import { PolicyBody } from '../contract/stats.ts';
import { policyDocumentOfBody } from '../stats/protection.ts';
import { ctdcExport, type CtdcRequest } from '../stats/ctdc.ts';
import { renderSourceReport, type SourceFormat } from '../publish/sources/index.ts';
import { sourceReportSpecs } from '../stats/sources/index.ts';
import type { ReportSource } from '../stats/sources/types.ts';
import { sourceReportView } from '../stats/sources/view.ts';
import { releaseNotFound } from '../stats/errors.ts';
import {
  buildPublishedReport,
  buildSourceReport,
  freezeRelease,
  getRelease,
  getReleasePolicy,
  listReleases,
  publishRelease,
  setReleasePolicy,
  type PolicyView,
  type Release,
  type ReleaseSource,
  type ReportForm,
} from '../stats/releases.ts';
import type { Database } from '../store/index.ts';
import { DataDirLockedError, open, readServerInfo, resolveTarget, type ServerInfo, type Target } from './context.ts';
import { problemOf } from './problems.ts';

export type ImportOutcome = Pick<transfer.ImportResult, 'ok' | 'imported' | 'problems' | 'errorCount' | 'errorsByRule' | 'warnings'>;
/** `form`: the exact form unless `protected` (the system actor reads both, as the statistician does). */
export type ReportQuery = { year: number; releaseId?: string; format: Format; lang: Lang; unknownAgeAsAdult?: boolean; form?: ReportForm };
/** A civil-society or support-programme release's report as a file (`form`: exact unless `protected`, as the coordinators' report). */
export type SourceReportQuery = { releaseId: string; format: SourceFormat; lang: Lang; form?: ReportForm };
export type AuditQuery = { operation?: string; actor?: string; caseId?: string; region?: string; since?: Date; until?: Date; limit: number };
export type AuditVerification = { chain: ChainCheck; anchors: AnchorFailure[] };

export interface Backend {
  /** `local`: this process opened the database; `server`: through the running server. */
  readonly via: 'local' | 'server';
  importFile(file: Buffer<ArrayBuffer>, lang: Lang, opts?: { confirmDuplicate?: boolean }): Promise<ImportOutcome>;
  exportCsv(year?: number): Promise<string>;
  freeze(input: { year: number; kind: 'final' | 'preliminary'; source?: ReleaseSource }): Promise<Release>;
  /** Publishes; a policy given is stored only together with the publication (a refusal changes nothing), as POST …/publish { policy }. */
  publish(id: string, policy?: PolicyBody): Promise<Release>;
  /** A release's disclosure policy and the protection stored when it was published. */
  policy(id: string): Promise<PolicyView>;
  /** Sets the policy before publishing: the fields given, the defaults for the rest (as PUT …/policy). */
  setPolicy(id: string, body: PolicyBody): Promise<PolicyView>;
  /** The releases of a source, the coordinators' unless named. */
  releases(year?: number, source?: ReleaseSource): Promise<Release[]>;
  /** The report as a file's bytes. */
  report(query: ReportQuery): Promise<Buffer>;
  /** A civil-society or support-programme release's report as a file's bytes. */
  sourceReport(query: SourceReportQuery): Promise<Buffer>;
  /** A published release's CTDC export (k-anonymised CSV), audited as an export of cases. */
  ctdc(query: CtdcRequest): Promise<Buffer>;
  auditVerify(anchors: AuditAnchor[]): Promise<AuditVerification>;
  auditAnchor(): Promise<AuditAnchor>;
  auditSearch(query: AuditQuery): Promise<{ items: AuditView[]; total: number }>;
  /** The backup archive as it is made. */
  backup(): Promise<Readable>;
  organisations(): Promise<OrganisationView[]>;
  addOrganisation(input: NewOrganisation): Promise<OrganisationView>;
  changeOrganisation(id: string, change: OrganisationChange): Promise<OrganisationView>;
}

/** A workbook (a zip: "PK") is read as its first sheet; anything else as UTF-8 CSV. */
const isWorkbook = (file: Buffer) => file.subarray(0, 2).toString('latin1') === 'PK';

/** As the system actor: it reads the internal view (unpublished releases, the live data), and the services audit it. */
export function localBackend(database: Database): Backend {
  const db = database.db;
  const actor = systemActor('cli');
  return {
    via: 'local',
    // the demo instance's refusal is the import service's own
    importFile: (file, lang, opts = {}) => transfer.importCases(db, actor, isWorkbook(file) ? { xlsx: file } : { csv: file.toString('utf8') }, { lang, confirmDuplicate: opts.confirmDuplicate }),
    exportCsv: (year) => transfer.exportCsv(db, actor, { year }),
    freeze: (input) => freezeRelease(db, actor, input),
    publish: (id, policy) => publishRelease(db, actor, id, policy ? { policy: policyDocumentOfBody(PolicyBody.parse(policy)) } : {}),
    policy: (id) => getReleasePolicy(db, actor, id),
    setPolicy(id, body) {
      // The route's schema and defaults, then the service's own checks, as through the server.
      return setReleasePolicy(db, actor, id, policyDocumentOfBody(PolicyBody.parse(body)));
    },
    releases: (year, source) => listReleases(db, actor, { year, source }),
    async sourceReport(q) {
      const release = await getRelease(db, actor, q.releaseId);
      if (release.source === 'coordinator') throw releaseNotFound();
      const source = release.source as ReportSource;
      const report = await buildSourceReport(db, actor, { source, year: release.year, releaseId: release.id, form: q.form ?? 'exact' });
      return (await renderSourceReport(sourceReportView(sourceReportSpecs[source], report, q.lang), q.format)).body;
    },
    async report(q) {
      const report = await buildPublishedReport(db, actor, {
        year: q.year,
        releaseId: q.releaseId,
        settings: q.unknownAgeAsAdult === undefined ? undefined : { unknown_age_as_adult: q.unknownAgeAsAdult },
        form: q.form,
      });
      const body = await render(report, q.format, q.lang);
      return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    },
    ctdc: async (q) => Buffer.from((await ctdcExport(db, actor, q)).csv, 'utf8'),
    auditVerify: async (anchors) => ({ chain: await verifyAuditChain(db), anchors: await verifyAnchors(db, anchors) }),
    auditAnchor: () => takeAuditAnchor(db, actor),
    auditSearch: (q) =>
      searchAudit(db, actor, { operation: q.operation, actorId: q.actor, caseId: q.caseId, region: q.region, since: q.since, until: q.until, pageSize: q.limit }),
    backup: async () => backupStream(database, actor),
    organisations: () => listOrganisations(db, actor),
    addOrganisation: (input) => createOrganisation(db, actor, input),
    changeOrganisation: (id, change) => updateOrganisation(db, actor, id, change),
  };
}

export function remoteBackend(server: ServerInfo, lang: Lang): Backend {
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(new URL(path, server.url), {
      ...init,
      headers: { 'accept-language': lang, ...(init.headers ?? {}), 'x-lagesbild-local-token': server.token },
    });
    if (!response.ok) throw problemOf(response.status, await response.json().catch(() => null));
    return response;
  }
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await call(path, init)).json() as Promise<T>;
  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const query = (q: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
    return params.size ? `?${params}` : '';
  };
  return {
    via: 'server',
    async importFile(file, importLang, opts = {}) {
      const response = await fetch(new URL(`/api/import${opts.confirmDuplicate ? '?confirm_duplicate=1' : ''}`, server.url), {
        method: 'POST',
        body: file,
        headers: {
          'content-type': isWorkbook(file) ? XLSX_CONTENT_TYPE : 'text/csv; charset=utf-8',
          'accept-language': importLang,
          'x-lagesbild-local-token': server.token,
        },
      });
      const body = (await response.json().catch(() => null)) as (Partial<transfer.ImportResult> & { code?: string }) | null;
      // A file refused for its rows is an answer, not an error: the same report as a local import.
      if (!response.ok && body?.code !== 'import_rejected') throw problemOf(response.status, body);
      return {
        ok: response.ok,
        imported: body?.imported ?? 0,
        problems: body?.problems ?? [],
        errorCount: body?.errorCount ?? 0,
        errorsByRule: body?.errorsByRule ?? [],
        warnings: body?.warnings ?? [],
      };
    },
    // Decoded by Buffer, not Response.text(): that drops the byte order mark the CSV starts with.
    exportCsv: async (year) => Buffer.from(await (await call(`/api/export${query({ year })}`)).arrayBuffer()).toString('utf8'),
    freeze: (input) => json<Release>('/api/stats/releases', post(input)),
    publish: (id, policy) => json<Release>(`/api/stats/releases/${encodeURIComponent(id)}/publish`, policy ? post({ policy }) : { method: 'POST' }),
    policy: (id) => json<PolicyView>(`/api/stats/releases/${encodeURIComponent(id)}/policy`),
    setPolicy: (id, body) => json<PolicyView>(`/api/stats/releases/${encodeURIComponent(id)}/policy`, { ...post(body), method: 'PUT' }),
    releases: async (year, source) => (await json<{ items: Release[] }>(`/api/stats/releases${query({ year, source })}`)).items,
    async sourceReport(q) {
      const path = `/api/stats/source-report/download${query({ release: q.releaseId, format: q.format, lang: q.lang, form: q.form ?? 'exact' })}`;
      return Buffer.from(await (await call(path)).arrayBuffer());
    },
    async report(q) {
      const path = `/api/stats/report/download${query({
        year: q.year,
        format: q.format,
        lang: q.lang,
        release: q.releaseId,
        unknown_age_as_adult: q.unknownAgeAsAdult === undefined ? undefined : String(q.unknownAgeAsAdult),
        form: q.form,
      })}`;
      return Buffer.from(await (await call(path)).arrayBuffer());
    },
    ctdc: async (q) => Buffer.from(await (await call(`/api/stats/ctdc${query({ year: q.year, release: q.releaseId })}`)).arrayBuffer()),
    // the rows and hashes are what is checked; an anchor's time is for people
    auditVerify: (anchors) => json<AuditVerification>('/api/operations/audit/verify', post({ anchors: anchors.map((a) => ({ row: a.row, hash: a.hash })) })),
    auditAnchor: () => json<AuditAnchor>('/api/operations/audit/anchor', { method: 'POST' }),
    auditSearch: (q) =>
      json<{ items: AuditView[]; total: number }>(
        `/api/audit${query({
          operation: q.operation,
          actor: q.actor,
          case: q.caseId,
          region: q.region,
          since: q.since?.toISOString(),
          until: q.until?.toISOString(),
          pageSize: q.limit,
        })}`,
      ),
    backup: async () => Readable.fromWeb((await call('/api/operations/backup')).body as WebReadableStream),
    organisations: async () => (await json<{ items: OrganisationView[] }>('/api/admin/organisations')).items,
    addOrganisation: (input) => json<OrganisationView>('/api/admin/organisations', post(input)),
    changeOrganisation: (id, change) =>
      json<OrganisationView>(`/api/admin/organisations/${encodeURIComponent(id)}`, { ...post(change), method: 'PATCH' }),
  };
}

/** How a command gets its backend: withBackend, or (in tests) one already made. */
export type UseBackend = <T>(lang: Lang, work: (backend: Backend) => Promise<T>) => Promise<T>;

/**
 * Runs `work` with the database opened here, or — when a running server holds the embedded data
 * directory — through that server.
 */
export async function withBackend<T>(lang: Lang, work: (backend: Backend) => Promise<T>, target: Target = resolveTarget()): Promise<T> {
  let database: Database;
  try {
    database = await open(target);
  } catch (e) {
    const server = e instanceof DataDirLockedError && target.kind === 'pglite' ? readServerInfo(target.dataDir) : null;
    if (server) return work(remoteBackend(server, lang));
    throw e;
  }
  try {
    return await work(localBackend(database));
  } finally {
    await database.close();
  }
}

/**
 * For a command the server does not offer (it changes the instance as a whole, or its users):
 * the database opened here, or `refusal` (exit 2) when a running server holds it.
 */
export async function withDatabase<T>(refusal: Label, work: (database: Database) => Promise<T>, target: Target = resolveTarget()): Promise<T> {
  let database: Database;
  try {
    database = await open(target);
  } catch (e) {
    if (e instanceof DataDirLockedError && target.kind === 'pglite' && readServerInfo(target.dataDir)) {
      throw new DomainError('server_running', 'conflict', refusal);
    }
    throw e;
  }
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
