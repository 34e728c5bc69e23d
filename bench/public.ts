// Public page benchmark: GET /api/stats/public at a fixed rate against the real application on a
// PGlite data directory, side by side in the same run with a bare Fastify route answering a static
// JSON body of the same size (the same bytes), both with the same compression. Once on the demo
// release (481 cases), once on a large synthetic release (85,000 cases by default), to show that
// serving does not depend on the release's size once its outputs are stored.
//
// The load comes from autocannon in a child process (so the generator does not share the servers'
// event loop), all clients asking for gzip/brotli like a browser. Environment: BENCH_RATE
// (requests/s, 200), BENCH_SECONDS (20), BENCH_WARMUP (5 s, unmeasured, on each server first), BENCH_CONNECTIONS (20), BENCH_CASES (85000), BENCH_ENCODING
// (the clients' Accept-Encoding, 'gzip, deflate, br').
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import compress from '@fastify/compress';
import { seedDemo } from '../src/cli/stats.ts';
import { buildApp } from '../src/http/app.ts';
import { releaseChecksum } from '../src/stats/releases.ts';
import { newRecordKey } from '../src/stats/record-keys.ts';
import { releaseCases, releases } from '../src/stats/schema.ts';
import { defaultSettings } from '../src/stats/tables.ts';
import { openDatabase, type Database } from '../src/store/db.ts';
import { setInstanceKind } from '../src/store/instance.ts';
import { randomCases } from '../test/support/random-cases.ts';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Seconds of unmeasured load on each server before its measured run. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const CASES = Number(process.env.BENCH_CASES ?? 85_000);
// `identity` measures without compression: the part of the time that is compressing the body.
const ENCODING = process.env.BENCH_ENCODING ?? 'gzip, deflate, br';
const HEADERS = { 'accept-encoding': ENCODING, 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' };
const run = promisify(execFile);
const autocannonBin = path.resolve(import.meta.dirname, '../node_modules/.bin/autocannon');

type Result = { label: string; requests: number; p50: number; p90: number; p99: number; max: number; errors: number; non2xx: number; rps: number };

/** autocannon at a fixed overall rate; latencies in ms. */
async function load(label: string, url: string, seconds = SECONDS): Promise<Result> {
  const args = ['-j', '-c', String(CONNECTIONS), '-R', String(RATE), '-d', String(seconds)];
  for (const [k, v] of Object.entries(HEADERS)) args.push('-H', `${k}: ${v}`);
  const { stdout } = await run(autocannonBin, [...args, url], { maxBuffer: 64 * 1024 * 1024, timeout: (seconds + 60) * 1000 });
  const r = JSON.parse(stdout);
  return {
    label,
    requests: r.requests.total,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    rps: r.requests.average,
  };
}

/** A bare Fastify server answering the same bytes as a static JSON, compressed the same way. */
async function baseline(body: Buffer) {
  const app = Fastify({ logger: false });
  await app.register(compress, { threshold: 1024 });
  app.get('/static', (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(body));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}/static` };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** A published final 2025 release of `n` synthetic counted cases, written directly (a freeze of that many imported cases takes far longer and is not what is measured). */
async function seedLarge(database: Database, n: number) {
  const records = randomCases(n, 20258, { year: 2025, noise: 0 }).map((c, i) => ({ ...c, id: `BENCH-${String(i).padStart(6, '0')}`, status: c.status ?? 'open' }));
  await setInstanceKind(database.db, 'real');
  await database.db.insert(releases).values({
    id: '2025-1',
    year: 2025,
    number: 1,
    kind: 'final',
    case_count: records.length,
    checksum: releaseChecksum(records),
    settings: defaultSettings,
    created_by: 'bench',
    published_at: new Date(),
    published_by: 'bench',
  });
  for (let i = 0; i < records.length; i += 2000) {
    await database.db.insert(releaseCases).values(records.slice(i, i + 2000).map((r) => ({ release_id: '2025-1', case_id: r.id, case_version: 1, record_key: newRecordKey(), data: r })));
  }
}

async function scenario(name: string, seed: (database: Database) => Promise<unknown>): Promise<Result[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-bench-public-'));
  const database = await openDatabase({ dataDir: path.join(dir, 'data') });
  try {
    const seeded = await timed(() => seed(database));
    const app = await buildApp({ database, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/api/stats/public`;
    // The first request computes and stores the release's public outputs; every later one reads them.
    const first = await timed(() => fetch(url, { headers: { 'accept-language': HEADERS['accept-language'] } }).then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) })));
    if (first.value.status !== 200) throw new Error(`${name}: first request answered ${first.value.status}`);
    const second = await timed(() => fetch(url).then((r) => r.arrayBuffer()));
    console.log(
      `${name}: seeded in ${(seeded.ms / 1000).toFixed(1)} s; first request (computes and stores) ${first.ms.toFixed(0)} ms; second ${second.ms.toFixed(1)} ms; body ${(first.value.body.length / 1024).toFixed(1)} KiB uncompressed`,
    );
    const bare = await baseline(first.value.body);
    try {
      // Both servers warmed up alike (JIT, connections, caches), not measured; then the baseline
      // first and the application second, each alone on the machine's share of CPU.
      if (WARMUP > 0) for (const target of [bare.url, url]) await load('warm-up', target, WARMUP);
      const b = await load(`${name}: bare Fastify, static JSON of the same bytes`, bare.url);
      const a = await load(`${name}: GET /api/stats/public`, url);
      return [b, a];
    } finally {
      await bare.app.close();
      await app.close();
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Public page benchmark: ${RATE} requests/s for ${SECONDS} s after ${WARMUP} s of warm-up, ${CONNECTIONS} connections, Accept-Encoding ${ENCODING} (node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`,
);
const results = [...(await scenario('demo release (481 cases)', (d) => seedDemo(d.db))), ...(await scenario(`large release (${CASES.toLocaleString('en')} cases)`, (d) => seedLarge(d, CASES)))];
const f = (ms: number) => `${ms.toFixed(1)} ms`;
console.log('\n| run | requests | req/s | p50 | p90 | p99 | max | errors | non-2xx |\n|---|---|---|---|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.label} | ${r.requests} | ${r.rps.toFixed(0)} | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p99)} | ${f(r.max)} | ${r.errors} | ${r.non2xx} |`);
for (let i = 0; i < results.length; i += 2) {
  const [b, a] = [results[i], results[i + 1]];
  console.log(`${a.label}: p99 ${(a.p99 / Math.max(b.p99, 0.1)).toFixed(2)}x the bare route's, p50 ${(a.p50 / Math.max(b.p50, 0.1)).toFixed(2)}x; goal p99 < 50 ms: ${a.p99 < 50 ? 'met' : 'NOT met'}`);
}
console.log(`load average after: ${os.loadavg()[0].toFixed(1)}`);
if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
