// registerWeb: the app's paths get index.html (English paths with lang="en"), hashed assets are
// immutable and pre-compressed, /api/* is never the app, and a missing build says what to run.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWeb } from '../../src/http/web.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function fakeBuild() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-webroot-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html lang="sv"><head></head><body><div id="root"></div></body></html>');
  const js = 'console.log("lägesbild");'.repeat(200);
  fs.writeFileSync(path.join(root, 'assets/index-abc123.js'), js);
  fs.writeFileSync(path.join(root, 'assets/index-abc123.js.br'), zlib.brotliCompressSync(js));
  fs.writeFileSync(path.join(root, 'assets/index-abc123.js.gz'), zlib.gzipSync(js));
  return root;
}

async function app(root: string, withPlaceholder = false) {
  const a = Fastify();
  a.get('/api/health', async () => ({ ok: true }));
  if (withPlaceholder) a.get('/', async () => 'placeholder');
  await registerWeb(a, { root });
  return a;
}

describe('registerWeb', () => {
  it('answers the app paths with index.html that is never cached, English paths with lang="en"', async () => {
    const a = await app(fakeBuild());
    for (const url of ['/', '/statistik', '/hjalp', '/arenden', '/arenden/01ABC/andra', '/import', '/oversikt', '/logga-in']) {
      const r = await a.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('<html lang="sv"');
    }
    for (const url of ['/en', '/en/statistics', '/en/help']) {
      const r = await a.inject(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('<html lang="en"');
    }
  });

  it('never answers /api/* with the app', async () => {
    const a = await app(fakeBuild());
    expect((await a.inject('/api/health')).json()).toEqual({ ok: true });
    for (const url of ['/api/nothing-here', '/api', '/api/', '/api/cases/x/y/z?q=1']) {
      const missing = await a.inject(url);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.body, url).not.toContain('id="root"');
    }
  });

  it('answers any other address with the app\'s own 404 page in the language of the path', async () => {
    const a = await app(fakeBuild());
    for (const [url, lang] of [['/wp-admin', 'sv'], ['/statistik/2099/x', 'sv'], ['/en/anything', 'en'], ['/en/statistics/nope?x=1', 'en'], ['/enx', 'sv']] as const) {
      const r = await a.inject(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/text\/html/);
      expect(r.body, url).toContain('id="root"');
      expect(r.body, url).toContain(`<html lang="${lang}"`);
    }
    expect((await a.inject({ method: 'HEAD', url: '/en/anything' })).statusCode).toBe(404);
    // A missing file under /assets/ is not a page.
    expect((await a.inject('/assets/nope.js')).body).not.toContain('id="root"');
  });

  it('sends an address with a trailing slash to the one without, keeping the query; never to another host', async () => {
    const a = await app(fakeBuild());
    for (const [url, to] of [['/statistik/', '/statistik'], ['/en/statistics//?ar=2025', '/en/statistics?ar=2025'], ['/nowhere/', '/nowhere']]) {
      const r = await a.inject(url);
      expect(r.statusCode, url).toBe(301);
      expect(r.headers.location, url).toBe(to);
    }
    // `//evil.example` and `/\evil.example` would be another site to a browser: those addresses are only a 404.
    const r = await a.inject('//evil.example/');
    expect(r.statusCode).toBe(404);
    expect(r.headers.location).toBeUndefined();
    // The backslash over a real socket: inject would read it as a host.
    const base = await a.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = new URL(base);
      const raw = await new Promise<{ status?: number; location?: string }>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/\\evil.example/' }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, location: res.headers.location });
        }).on('error', reject);
      });
      expect(raw).toEqual({ status: 404, location: undefined });
    } finally {
      await a.close();
    }
  });

  it('serves an SVG icon, also where browsers look for /favicon.ico', async () => {
    const a = await app(fakeBuild());
    const icon = await a.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.body).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const ico = await a.inject('/favicon.ico');
    expect(ico.statusCode).toBe(301);
    expect(ico.headers.location).toBe('/favicon.svg');
  });

  it('serves hashed assets as immutable, pre-compressed when the client accepts it', async () => {
    const a = await app(fakeBuild());
    const plain = await a.inject('/assets/index-abc123.js');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toMatch(/immutable/);
    expect(plain.headers['cache-control']).toMatch(/max-age=31536000/);
    const br = await a.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect((await a.inject('/assets/nope.js')).statusCode).toBe(404);
  });

  it('leaves an existing / route alone instead of failing to start', async () => {
    const a = await app(fakeBuild(), true);
    expect((await a.inject('/')).body).toBe('placeholder');
    expect((await a.inject('/statistik')).body).toContain('id="root"');
  });

  it('without a build, says in Swedish to run npm run build:web', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-nobuild-'));
    dirs.push(root);
    const a = await app(root);
    const r = await a.inject('/statistik');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build:web');
    expect(r.body).toContain('lang="sv"');
    expect((await a.inject('/api/health')).statusCode).toBe(200);
  });
});
