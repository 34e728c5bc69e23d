export * from './db.ts';
export * from './lock.ts';
export * as schema from './schema.ts';
export { cases, caseVersions, idempotencyKeys, organisations, referenceCounters } from './schema.ts';
