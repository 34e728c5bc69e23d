// Before `npm start`: build the web app when dist/web/index.html is missing or older than its sources,
// so a fresh checkout serves the app after `npm install && npm start`.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/web/index.html');
const sources = [path.join(root, 'web'), path.join(root, 'package-lock.json')];

function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

const fresh = () => (fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0) >= Math.max(...sources.map(newest));
if (fresh()) process.exit(0);

// One build at a time: test files and `npm start` may all ask at once.
const lock = path.join(root, 'dist/.web-build.lock');
fs.mkdirSync(path.dirname(lock), { recursive: true });
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (;;) {
  try {
    fs.mkdirSync(lock);
    break;
  } catch {
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    sleep(500);
  }
}
let status = 0;
try {
  if (!fresh()) {
    console.error(fs.existsSync(built) ? 'Webbgränssnittet är äldre än källkoden; bygger om …' : 'Bygger webbgränssnittet …');
    const vite = path.join(root, 'node_modules/vite/bin/vite.js');
    status = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
} finally {
  fs.rmSync(lock, { recursive: true, force: true });
}
process.exit(status);
