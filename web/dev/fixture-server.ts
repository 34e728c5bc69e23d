// Development only: the built web app with the 2025 fixture report as /api/stats/public (marked demo),
// for looking at the public pages before the statistics API exists. Not used by the real server.
// node --import tsx web/dev/fixture-server.ts [port]
import fs from 'node:fs';
import Fastify from 'fastify';
import { registerWeb } from '../../src/http/web.ts';
import { codesDocument } from '../../src/standard/api-codes.ts';
import { chartSpecs } from '../../src/publish/charts.ts';

export async function fixtureServer(port = 0) {
  const report = { ...JSON.parse(fs.readFileSync(new URL('../../test/fixtures/report-2025.json', import.meta.url), 'utf8')), demo: true };
  const app = Fastify();
  app.get('/api/codes', async () => codesDocument());
  app.get('/api/health', async () => ({ ok: true, demo: true }));
  app.get('/api/stats/public', async (request) => {
    const lang = String(request.headers['accept-language'] ?? 'sv').startsWith('en') ? 'en' : 'sv';
    return { report, charts: chartSpecs(report, lang).map(({ id, title, spec }) => ({ id, title, spec })) };
  });
  await registerWeb(app);
  const address = await app.listen({ port, host: '127.0.0.1' });
  return { app, url: address };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await fixtureServer(Number(process.argv[2] ?? 0));
  console.log(url);
}
