// Hostile files against a real server: how long each takes to be refused, how large the answer is,
// and how far the server's resident memory (RSS) climbs while it reads it.
//
//   npm run bench:hostile
//
// Starts `bin/lagesbild start --no-demo` on a fresh embedded data directory and sends, through
// the command line's local token: a workbook with cells at A1, XFD1 and A1048576 (under 1 KB), a
// workbook of 1,048,576 rows × 4 cells (a few hundred KB, about 75 MB of sheet XML), and CSV files
// of 8.7 MB and 26 MB whose every row is invalid. The server's RSS is read from /proc every 50 ms.
// After each file the health check must answer. Baseline: the server's RSS when started and idle.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { casesToCsv } from '../src/standard/csv.ts';
import type { CaseData } from '../src/standard/case.ts';
import { XLSX_CONTENT_TYPE } from '../src/registry/xlsx.ts';
import { importableCases } from '../test/support/http.ts';
import { farCornersWorkbook, millionRowWorkbook } from '../test/support/xlsx-files.ts';

const MB = 1024 * 1024;
const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A CSV of `bytes` whose data rows all carry an invalid sex code (every row an error). */
function badCsv(bytes: number): Buffer {
  const base = importableCases(20, 5).filter((c) => c.source === 'coordinator');
  const csv = casesToCsv(base.slice(0, 2).map((c) => ({ ...c, sex: 'zz' }) as unknown as CaseData)).replace(/^\ufeff/, '');
  const [header, row] = csv.split('\r\n');
  const line = `${row}\r\n`;
  return Buffer.from(`${header}\r\n${line.repeat(Math.ceil((bytes - header.length) / line.length))}`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-hostile-'));
const dataDir = path.join(dir, 'data');
const port = await freePort();
const child = spawn(process.execPath, ['bin/lagesbild', 'start', '--no-demo', '--port', String(port)], {
  cwd: root,
  env: { ...process.env, LAGESBILD_DATA_DIR: dataDir, DATABASE_URL: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
const base = `http://127.0.0.1:${port}`;

try {
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error('the server did not start');
    const up = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (up && fs.existsSync(`${dataDir}.server.json`)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const token = JSON.parse(fs.readFileSync(`${dataDir}.server.json`, 'utf8')).token as string;
  await new Promise((r) => setTimeout(r, 3000));
  const idle = rssMb();
  console.log(`Hostile files against bin/lagesbild start (embedded database), node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(`server RSS when idle (baseline): ${idle.toFixed(0)} MB\n`);
  console.log('| file | size | answer | rule | time | answer body | peak RSS | above idle | health after |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const files: [string, Buffer, string][] = [
    ['workbook, cells at A1, XFD1, A1048576', farCornersWorkbook(), XLSX_CONTENT_TYPE],
    ['workbook, 1,048,576 rows × 4 cells', await millionRowWorkbook(), XLSX_CONTENT_TYPE],
    ['CSV, every row invalid', badCsv(8.7 * MB), 'text/csv'],
    ['CSV, every row invalid', badCsv(26 * MB), 'text/csv'],
  ];
  for (const [name, body, type] of files) {
    let peak = rssMb();
    const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 50);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/import`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': type, 'x-lagesbild-local-token': token, 'accept-language': 'en' } });
    const text = await res.text();
    const ms = performance.now() - t0;
    clearInterval(timer);
    const answer = JSON.parse(text) as { errors?: { rule: string }[]; errorCount?: number };
    const health = await fetch(`${base}/api/health`).then((r) => r.status, () => 'no answer');
    const size = body.length >= MB ? `${(body.length / MB).toFixed(1)} MB` : `${(body.length / 1024).toFixed(1)} KB`;
    const rule = answer.errorCount !== undefined ? `${answer.errors?.length} of ${answer.errorCount} errors listed` : (answer.errors?.[0]?.rule ?? '');
    console.log(
      `| ${name} | ${size} | ${res.status} | ${rule} | ${(ms / 1000).toFixed(2)} s | ${(text.length / 1024).toFixed(0)} KB | ${peak.toFixed(0)} MB | ${(peak - idle).toFixed(0)} MB | ${health} |`,
    );
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
}
