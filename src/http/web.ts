// Serves the built web app (dist/web): hashed assets with immutable caching and pre-compressed
// variants, and index.html for the app's own paths. /api/* is never answered here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const defaultWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** The app's paths (client-side routes); everything else stays a 404 of the API's error shape. */
export const appPaths = [
  '/',
  '/statistik',
  '/statistik/tabell',
  '/hjalp',
  '/logga-in',
  '/oversikt',
  '/import',
  '/arenden',
  '/arenden/*',
  '/statistiker/*',
  '/en',
  '/en/statistics',
  '/en/statistics/table',
  '/en/help',
  '/en/sign-in',
];

const notBuiltPage = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Lägesbild</title></head>
<body><main><h1>Lägesbild</h1><p>Webbgränssnittet är inte byggt. Kör <code>npm run build:web</code> och starta om servern.</p>
<p><a href="/api/docs">API-dokumentation</a></p></main></body></html>`;

export async function registerWeb(app: FastifyInstance, opts: { root?: string } = {}) {
  const root = opts.root ?? defaultWebRoot;
  const indexFile = path.join(root, 'index.html');
  const assets = path.join(root, 'assets');

  if (fs.existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      index: false,
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      decorateReply: false,
    });
  }

  // Read once per build: the file changes only when the app is rebuilt.
  let cached: { mtimeMs: number; sv: string; en: string } | null = null;
  function page(lang: 'sv' | 'en'): string | null {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(indexFile);
    } catch {
      return null;
    }
    if (!cached || cached.mtimeMs !== stat.mtimeMs) {
      const sv = fs.readFileSync(indexFile, 'utf8');
      cached = { mtimeMs: stat.mtimeMs, sv, en: sv.replace('<html lang="sv"', '<html lang="en"') };
    }
    return cached[lang];
  }

  const serveApp = async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = request.url === '/en' || request.url.startsWith('/en/') || request.url.startsWith('/en?') ? 'en' : 'sv';
    const html = page(lang);
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8');
    if (html === null) return reply.code(503).send(notBuiltPage);
    return reply.send(html);
  };

  for (const url of appPaths) {
    // app.ts may still answer `/` with its placeholder; the other paths are the app's.
    if (app.hasRoute({ method: 'GET', url })) continue;
    app.get(url, serveApp);
  }
}
