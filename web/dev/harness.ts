// Starts the real server (bin/lagesbild start) on a fresh data directory for the browser tests and the
// benchmark. Until src/http/app.ts registers the web app, a small front server serves dist/web and
// forwards /api/* to it, so the pages still run against the real API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWeb } from '../../src/http/web.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
export const testUser = { username: 'rk-stockholm-webbtest', password: 'Blåbärsris-i-Bergslagen-2025!', region: 'stockholm' };

export type Stack = {
  url: string;
  apiUrl: string;
  /** false when the web app is served by the front server (app.ts does not register it yet) */
  webInServer: boolean;
  userCreated: boolean;
  close: () => Promise<void>;
};

export function ensureWebBuild() {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

/** The coordinator the journeys sign in as, added the way an operator does it (password on standard input). */
function createTestUser(dataDir: string): boolean {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/lagesbild'), 'users', 'add', '--username', testUser.username, '--role', 'coordinator', '--region', testUser.region], {
    cwd: root,
    env: { ...process.env, LAGESBILD_DATA_DIR: dataDir, DATABASE_URL: '' },
    input: `${testUser.password}\n`,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.warn(`web harness: no test user (lagesbild users add exited ${r.status}: ${r.stderr})`);
    return false;
  }
  return true;
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms: ${out}`)), timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/[^\s)]+)/.exec(out);
      if (m && /kör på|running/.test(out)) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

async function frontServer(apiUrl: string): Promise<FastifyInstance> {
  const front = Fastify({ bodyLimit: 200 * 1024 * 1024 });
  // The same security headers (Content-Security-Policy …) as the real server, when it has them.
  try {
    const { registerSecurity } = await import('../../src/http/security.ts');
    registerSecurity(front, { production: false });
  } catch {
    // not there: no headers to mirror
  }
  front.removeAllContentTypeParsers();
  front.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  front.all('/api/*', async (request, reply) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length', 'accept-encoding'].includes(k)) headers.set(k, v);
    const response = await fetch(apiUrl + request.url, {
      method: request.method,
      headers,
      body: ['GET', 'HEAD'].includes(request.method) || !request.body ? undefined : new Uint8Array(request.body as Buffer),
      redirect: 'manual',
    });
    reply.code(response.status);
    response.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) reply.header(k, v);
    });
    const setCookie = response.headers.getSetCookie?.() ?? [];
    if (setCookie.length) reply.header('set-cookie', setCookie);
    return reply.send(Buffer.from(await response.arrayBuffer()));
  });
  await registerWeb(front);
  await front.listen({ port: 0, host: '127.0.0.1' });
  return front;
}

/** `demo: false` starts an empty instance that accepts registrations and imports (`--no-demo`). */
export async function startStack(opts: { demo?: boolean } = {}): Promise<Stack> {
  ensureWebBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-web-'));
  const userCreated = createTestUser(dataDir);
  const child = spawn(process.execPath, [path.join(root, 'bin/lagesbild'), 'start', '--port', '0', '--host', '127.0.0.1', ...(opts.demo === false ? ['--no-demo'] : [])], {
    cwd: root,
    // The embedded database of dataDir, where the user was added: a DATABASE_URL of the caller's
    // environment would put the server on another database than its user.
    env: { ...process.env, LAGESBILD_DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let apiUrl: string;
  try {
    apiUrl = (await waitForUrl(child, 120_000)).replace('localhost', '127.0.0.1');
  } catch (e) {
    child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const probe = await fetch(`${apiUrl}/statistik`);
  const webInServer = probe.ok && (await probe.text()).includes('id="root"');
  const front = webInServer ? null : await frontServer(apiUrl);
  const url = front ? `http://127.0.0.1:${(front.server.address() as { port: number }).port}` : apiUrl;
  return {
    url,
    apiUrl,
    webInServer,
    userCreated,
    close: async () => {
      await front?.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
