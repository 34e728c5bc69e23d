// The HTTP application on a fresh test database, driven through app.inject (no socket).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/db.ts';
import { openTestDatabase, type DbTarget } from './db.ts';
import fc from 'fast-check';
import type { CaseData } from '../../src/standard/case.ts';
import { arbCaseData } from './arbitraries.ts';

export type TestApp = { app: FastifyInstance; database: Database; close: () => Promise<void> };

export async function openTestApp(target: DbTarget, opts: { demo?: boolean; localToken?: string } = {}): Promise<TestApp> {
  const database = await openTestDatabase(target);
  const app = await buildApp({ database, demo: opts.demo, localToken: opts.localToken });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The body of a response as JSON (throws with the status and the start of the body when it is not JSON). */
export function json<T = any>(res: LightMyRequestResponse): T {
  try {
    return res.json() as T;
  } catch {
    throw new Error(`not JSON (HTTP ${res.statusCode}): ${res.body.slice(0, 200)}`);
  }
}

/** The shape every error answer has. */
export type ApiErrorBody = { code: string; message: string; errors: { path: string; rule: string; message: string }[] };


/**
 * `n` valid cases of every source (a fixed seed gives the same cases), with organisations the
 * registry knows, so they import.
 */
export function importableCases(n: number, seed: number, opts: { today?: string } = {}): CaseData[] {
  return fc
    .sample(arbCaseData({ today: opts.today }), { numRuns: n, seed })
    .map((d) => (d.source === 'coordinator' ? d : { ...d, organisation_id: d.source === 'civil_society' ? 'rk-syd' : 'rk-mitt' }));
}
