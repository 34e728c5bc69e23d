// The HTTP API's contract: every request and response body as a zod schema, with its type. The
// routes declare these (the serializer checks every answer against them, /api/docs publishes them)
// and the web app imports its types from here and nowhere else on the server side. Pure: zod and
// the data standard only, so the browser bundle and the server read the same definitions.
export * from './common.ts';
export * from './admin.ts';
export * from './cases.ts';
export * from './codes.ts';
export * from './ctdc.ts';
export * from './duplicates.ts';
export * from './stats.ts';
export * from './source-reports.ts';
export * from './system.ts';
export * from './table-builder.ts';
