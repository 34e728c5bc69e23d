import { defineConfig } from 'vitest/config';

// Three tiers, each its own project (`npm run test:unit`, `test:integration`, `test:e2e`;
// `npm test` runs them all):
// - unit: pure code — no database, no server, no process of the system; seconds.
// - integration: services and the HTTP application in-process, on PGlite, and on PostgreSQL
//   when TEST_DATABASE_URL is set.
// - e2e: real server and CLI processes, the browser.
// Publication with the fast suppression method (the exact one takes seconds per publication; see
// publicationMethod in src/stats/protection.ts): servers the tests spawn inherit it.
const slow = { testTimeout: 60_000, hookTimeout: 120_000, env: { LAGESBILD_PUBLICATION_METHOD: 'fast' } };

export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      // Pure modules hold no state between files, so one worker's imports serve them all (half the time).
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000, pool: 'threads', isolate: false } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], pool: 'forks', ...slow } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], pool: 'forks', ...slow } },
    ],
  },
});
