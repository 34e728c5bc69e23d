// The data directory's lock against processes that look alive to kill(pid, 0) but hold nothing:
// a zombie (exited, not yet reaped by its parent) and a pid the kernel has handed to another process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/store/lock.ts';
import { openDatabase } from '../../src/store/db.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lagesbild-lock-'));
const template = () => new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
const parents: ChildProcess[] = [];
const pids: number[] = [];

afterAll(() => {
  // Killing the non-reaping parent hands its zombie to init, which reaps it.
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const p of parents) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const state = (pid: number): string | null => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
};

async function until(what: string, check: () => boolean, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * Starts the data-directory holder under a parent that never reaps it: `sh` starts the holder in
 * the background and then replaces itself with `sleep`, which never calls wait(). When the holder
 * dies it stays a zombie for as long as `sleep` lives.
 */
async function holderUnderNonReapingParent(dataDir: string): Promise<{ parent: ChildProcess; holder: number }> {
  const holderScript = path.resolve('test/support/hold-data-dir.ts');
  const parent = spawn('sh', ['-c', `"$0" --import tsx "$1" "$2" & echo "pid $!"; exec sleep 120`, process.execPath, holderScript, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  parents.push(parent);
  pids.push(parent.pid!);
  let out = '';
  parent.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await until('the holder to open the directory', () => out.includes('ready'), 1200);
  const holder = Number(/pid (\d+)/.exec(out)![1]);
  pids.push(holder);
  return { parent, holder };
}

describe('data directory lock', () => {
  it('refuses a live holder, and takes the lock of a holder that is now a zombie', async () => {
    const dataDir = path.join(root, 'zombie');
    await (await openDatabase({ dataDir, loadDataDir: template() })).close();

    const { holder } = await holderUnderNonReapingParent(dataDir);
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(holder);
    // While it lives, the lock is its own.
    const refused = (() => {
      try {
        lockDataDir(dataDir).release();
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).pid).toBe(holder);

    // SIGKILL: no exit hook runs, the lockfile stays, and the parent leaves the holder a zombie.
    process.kill(holder, 'SIGKILL');
    await until('the holder to become a zombie', () => state(holder) === 'Z');
    // kill(pid, 0) still succeeds on it: it is exactly what a naive liveness check takes for alive.
    expect(() => process.kill(holder, 0)).not.toThrow();
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(holder);

    const database = await openDatabase({ dataDir, migrate: false });
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    expect(state(holder)).toBe('Z'); // still the zombie: the lock was taken while it existed
    await database.close();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('takes the lock of a pid that now belongs to another process (other start tick)', () => {
    const dataDir = path.join(root, 'reused');
    // A live process (this one) with a start tick that is not its own: the writer is gone and its pid reused.
    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, proc_start: '1', started_at: '2020-01-01T00:00:00.000Z' }));
    const lock = lockDataDir(dataDir);
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).proc_start).not.toBe('1');
    lock.release();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('refuses a live holder with its own start tick, naming it in Swedish and English', () => {
    const dataDir = path.join(root, 'live');
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    parents.push(sleeper);
    const start = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    const tick = start.slice(start.lastIndexOf(')') + 2).split(' ')[19];
    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: sleeper.pid, proc_start: tick, started_at: '2026-01-01T00:00:00.000Z' }));
    let error: unknown;
    try {
      lockDataDir(dataDir).release();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).messages.sv).toContain(String(sleeper.pid));
    expect((error as DataDirLockedError).messages.en).toContain(String(sleeper.pid));
    expect(JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(sleeper.pid); // left alone
    sleeper.kill('SIGKILL');
  });
});
