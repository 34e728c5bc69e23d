// Serves the built web app (dist/web): hashed assets with immutable caching and pre-compressed
// variants, and index.html for the app's own paths; any other address a person may type gets the
// app's own "page not found" with status 404. /api/* is never answered with the app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const defaultWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** The app's paths (client-side routes); every other address is the app's 404 page, /api/* the API's 404. */
export const appPaths = [
  '/',
  '/statistik',
  '/statistik/tabell',
  '/hjalp',
  '/logga-in',
  '/aterstall-losenord',
  '/oversikt',
  '/import',
  '/arenden',
  '/arenden/:id',
  '/arenden/:id/andra',
  '/statistiker/kvalitet',
  '/dubbletter',
  '/granskning',
  '/statistiker/utgavor',
  '/statistiker/utgavor/:id',
  '/statistiker/jamfor',
  '/admin/organisationer',
  '/admin/anvandare',
  '/konto/losenord',
  '/en',
  '/en/statistics',
  '/en/statistics/table',
  '/en/help',
  '/en/sign-in',
  '/en/reset-password',
];

/** The public addresses of the civil-society and support-programme reports (web/src/router.tsx, sourceReportPaths), Swedish and English. */
export const sourceReportBases: Record<'civil_society' | 'support_programme', string[]> = {
  civil_society: ['/statistik/civilsamhallet', '/en/statistics/civil-society'],
  support_programme: ['/statistik/stodprogrammen', '/en/statistics/support-programmes'],
};

/** The app's icon: three bars of a chart, in the accent blue (browsers ask for /favicon.ico). */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0062ba"/><rect x="6" y="17" width="5" height="9" rx="1" fill="#fff"/><rect x="13.5" y="11" width="5" height="15" rx="1" fill="#fff"/><rect x="21" y="6" width="5" height="20" rx="1" fill="#fff"/></svg>`;

/** The language of an address: English under /en, Swedish elsewhere. */
export function pathLang(url: string): 'sv' | 'en' {
  return url === '/en' || url.startsWith('/en/') || url.startsWith('/en?') ? 'en' : 'sv';
}

const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

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

  const sendPage = (request: FastifyRequest, reply: FastifyReply, status: 200 | 404) => {
    const html = page(pathLang(request.url));
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8');
    if (html === null) return reply.code(status === 404 ? 404 : 503).send(notBuiltPage);
    return reply.code(status).send(html);
  };
  const serveApp = async (request: FastifyRequest, reply: FastifyReply) => sendPage(request, reply, 200);

  // A year's or a release's public statistics (/statistik/2025, /statistik/2025/2025-1, English
  // alike): the page when it is published, the app's 404 page otherwise. The published releases are
  // asked of the API as the public asks (no session), so this knows no more than the public does.
  // The civil-society and support-programme reports (/statistik/civilsamhallet/2024, …/2024/2024-civ-1,
  // /en/statistics/support-programmes/2023 …) alike, with their source's published releases.
  const published = async (year: string, release: string | undefined, source?: string): Promise<boolean> => {
    if (!/^\d{4}$/.test(year)) return false;
    const res = await app.inject({ method: 'GET', url: `/api/stats/releases?year=${year}${source ? `&source=${source}` : ''}` });
    if (res.statusCode !== 200) return false;
    const items = (res.json() as { items: { id: string; year: number; published: boolean; source?: string }[] }).items.filter(
      (r) => r.published && r.year === Number(year) && (r.source ?? 'coordinator') === (source ?? 'coordinator'),
    );
    return release === undefined ? items.length > 0 : items.some((r) => r.id === release);
  };
  const publication = (source: string | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { year, release } = request.params as { year: string; release?: string };
    const [pathname, query] = splitUrl(request.url);
    // One address per page: /statistik/2025/ is /statistik/2025.
    if (pathname.endsWith('/')) return reply.redirect(`${pathname.replace(/\/+$/, '')}${query}`, 301);
    return sendPage(request, reply, (await published(year, release, source)) ? 200 : 404);
  };
  const publications: [string, string | undefined][] = [
    ['/statistik', undefined],
    ['/en/statistics', undefined],
    ...Object.entries(sourceReportBases).flatMap(([source, bases]) => bases.map((base): [string, string] => [base, source])),
  ];
  for (const [base, source] of publications) {
    for (const url of [`${base}/:year`, `${base}/:year/:release`]) app.get(url, publication(source));
  }

  for (const url of appPaths) {
    // app.ts may still answer `/` with its placeholder; the other paths are the app's.
    if (app.hasRoute({ method: 'GET', url })) continue;
    app.get(url, serveApp);
  }

  app.get('/favicon.svg', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(faviconSvg),
  );
  // Browsers ask for /favicon.ico on their own; the icon exists once, as SVG.
  app.get('/favicon.ico', async (_request, reply) => reply.redirect('/favicon.svg', 301));

  // Every other address: one the app will never have is its "Sidan finns inte" page with a 404, in
  // the language of the path, so a mistyped or old link looks like the service rather than raw JSON.
  // A trailing slash is the same page (a link copied as `/statistik/`): one address per page.
  // Unknown /api/* addresses go to the API's not-found answer (JSON in the Accept-Language).
  app.get('/*', async (request, reply) => {
    const [pathname, query] = splitUrl(request.url);
    if (isApiPath(pathname)) return reply.callNotFound();
    const target = pathname.replace(/\/+$/, '');
    // Never to `//host` or `/\host`: a browser reads those as another site.
    if (target !== pathname && /^\/[^/\\]/.test(target)) return reply.redirect(`${target}${query}`, 301);
    return sendPage(request, reply, 404);
  });
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q)];
}
