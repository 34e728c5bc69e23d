// The case scope as a SQL condition on `cases`, for list, search and export queries.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { cases } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { caseScope } from './policy.ts';

/**
 * AND this with the query's own filters. `undefined` means every case (statistician, system);
 * an actor without case access gets a condition that matches nothing.
 */
export function caseScopeCondition(actor: Actor | null): SQL | undefined {
  const scope = caseScope(actor);
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'none':
      return sql`false`;
    case 'region':
      return and(eq(cases.source, scope.filter.source), eq(cases.region, scope.filter.region));
    case 'organisation':
      return and(eq(cases.source, scope.filter.source), eq(cases.organisation_id, scope.filter.organisation_id));
  }
}
