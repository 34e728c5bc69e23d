// Runs bin/lagesbild as a child process on a temporary data directory, and starts and stops
// the server the same way a user does.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(root, 'bin/lagesbild');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** A new temporary folder; the data directory is `data` inside it (its lock and server file sit beside it). */
export function tempDataDir(): { dir: string; dataDir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-cli-'));
  return { dir, dataDir: path.join(dir, 'data'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a CLI run: the data directory given, never a DATABASE_URL from outside. */
export function cliEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.LAGESBILD_LANG;
  return { ...env, LAGESBILD_DATA_DIR: dataDir, ...extra };
}

/** Runs `node bin/lagesbild ...args` to its end; `input` is written to its standard input. */
export function runCli(args: string[], dataDir: string, extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cliEnv(dataDir, extraEnv), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  /** SIGTERM to the process group started here, then wait until all of it has ended; the exit code of the process started. */
  stop: () => Promise<number | null>;
};

/**
 * Starts a server process (`command`: the executable and its arguments, e.g. node bin/lagesbild
 * start --port N) and waits until it answers /api/health.
 */
export async function startServer(command: string[], dataDir: string, port: number, opts: { timeoutMs?: number } = {}): Promise<RunningServer> {
  // Its own process group, so that stop() reaches the server also when a wrapper (npm, sh) started it.
  const child = spawn(command[0], command.slice(1), { cwd: root, env: cliEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The group's processes have ended when the output pipes close (every process in it held them).
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (gone) throw new Error(`server exited before it answered: ${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGTERM');
      throw new Error(`server did not answer: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    child,
    port,
    url,
    output: () => out,
    stop: async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the group has ended already
      }
      const code = await exited;
      await closed;
      return code;
    },
  };
}

/** A request to the server running on `dataDir` as the local command line does it (its token beside the directory). */
export function localFetch(dataDir: string, url: string, init: RequestInit = {}): Promise<Response> {
  const { token } = JSON.parse(fs.readFileSync(`${dataDir}.server.json`, 'utf8')) as { token: string };
  return fetch(url, { ...init, headers: { ...(init.headers ?? {}), 'x-lagesbild-local-token': token } });
}

/**
 * Runs the command line's `main` in this process, with the environment `runCli` would give the
 * child (restored afterwards) and `secret` as the password a command reads. For tests of what a
 * command does, where starting node, tsx and the whole CLI again for each command only costs
 * time; the process itself (standard input, exit code) is tested through `runCli`.
 */
export async function runMain(args: string[], dataDir: string, extraEnv: Record<string, string> = {}, secret?: string): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.ts');
  const env = cliEnv(dataDir, extraEnv);
  const keys = ['DATABASE_URL', 'PORT', 'LAGESBILD_LANG', 'LAGESBILD_DATA_DIR', ...Object.keys(extraEnv)];
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  const set = (k: string, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
  for (const k of keys) set(k, env[k]);
  let stdout = '';
  let stderr = '';
  const io = {
    out: (s: string) => void (stdout += s),
    err: (s: string) => void (stderr += s),
    bytes: (b: Uint8Array) => void (stdout += Buffer.from(b).toString('latin1')),
    readSecret: async () => secret ?? '',
  };
  try {
    return { code: await main(args, io), stdout, stderr };
  } finally {
    for (const [k, v] of saved) set(k, v);
  }
}

export type InProcessServer = { url: string; close: () => Promise<void> };

/**
 * A server on `dataDir` in this process, as `lagesbild start` runs it: it holds the directory's
 * lock and leaves its address and local token beside it, so a command run with runMain finds the
 * directory held and goes through this server.
 */
export async function serveInProcess(dataDir: string, opts: { demo?: boolean } = {}): Promise<InProcessServer> {
  const { openDatabase } = await import('../../src/store/db.ts');
  const { buildApp } = await import('../../src/http/app.ts');
  const { writeServerInfo, removeServerInfo } = await import('../../src/cli/context.ts');
  const database = await openDatabase({ dataDir });
  const token = crypto.randomBytes(24).toString('base64url');
  const app = await buildApp({ database, demo: opts.demo ?? false, localToken: token, oidc: null, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  writeServerInfo(dataDir, { pid: process.pid, url: address, token });
  return {
    url: address,
    async close() {
      removeServerInfo(dataDir);
      await app.close();
      await database.close();
    },
  };
}
