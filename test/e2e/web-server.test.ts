// registerWeb: the app's paths get index.html (English paths with lang="en"), hashed assets are
// immutable and pre-compressed, /api/* is never the app, and a missing build says what to run.
import fs from 'node:fs';
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

  it('never answers /api/* or unknown paths with the app', async () => {
    const a = await app(fakeBuild());
    expect((await a.inject('/api/health')).json()).toEqual({ ok: true });
    const missing = await a.inject('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('id="root"');
    expect((await a.inject('/wp-admin')).statusCode).toBe(404);
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
