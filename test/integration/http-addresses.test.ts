// Addresses a person may type or follow that the app has no page for, through the whole application:
// an unknown API address is the JSON error in the reader's language, any other address the app's own
// 404 page (HTML), a trailing slash goes to the page without it, the icon exists, and asking whether
// one is signed in is an answer, not an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, openTestApp, type TestApp } from '../support/http.ts';

describe('wrong addresses and the session question', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('pglite');
  });
  afterAll(() => t?.close());
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('answers an unknown API address with the JSON error in the Accept-Language language', async () => {
    for (const [lang, message] of [['sv', 'Hittades inte.'], ['en', 'Not found.'], ['en-GB,en;q=0.9,sv;q=0.5', 'Not found.']]) {
      const res = await get('/api/statistik/', { 'accept-language': lang });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(json(res)).toEqual({ code: 'not_found', message, errors: [] });
    }
    // Other methods than GET to unknown addresses stay the API's answer too.
    expect(json(await t.app.inject({ method: 'POST', url: '/en/anything', headers: { 'accept-language': 'en' } })).message).toBe('Not found.');
  });

  it('answers other unknown addresses with a 404 HTML page, never JSON', async () => {
    for (const url of ['/en/anything', '/statistik/nej', '/arenden/x/y/z/w']) {
      const res = await get(url, { 'accept-language': 'en' });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body, url).not.toContain('"code"');
    }
  });

  it('redirects /statistik/ to /statistik and serves the icon', async () => {
    const res = await get('/statistik/');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/statistik');
    expect((await get('/favicon.ico')).headers.location).toBe('/favicon.svg');
    const icon = await get('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/image\/svg\+xml/);
  });

  it('tells a visitor without a session that nobody is signed in, with 200', async () => {
    const res = await get('/api/session');
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ signedIn: false });
    const signedIn = await t.as({ role: 'statistician' });
    const mine = json(await signedIn.inject({ url: '/api/session' }));
    expect(mine).toMatchObject({ signedIn: true, user: { role: 'statistician' } });
  });
});
