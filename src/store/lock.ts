// PGlite has no lock between processes, so a data directory is guarded by a lockfile beside it
// (`<dataDir>.lock`, holding pid and process start) that a second process finds.
import fs from 'node:fs';
import { DomainError } from '../standard/domain-error.ts';

export class DataDirLockedError extends DomainError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly startedAt: string,
  ) {
    super('data_dir_locked', 'unavailable', {
      sv: `Datakatalogen ${dataDir} används redan av process ${pid} (startad ${startedAt}). Använd den server som redan kör, eller stoppa den först.`,
      en: `The data directory ${dataDir} is in use by process ${pid} (started ${startedAt}). Use the server that is already running, or stop it first.`,
    });
  }
  /** The text (kept under this name for the callers that read it so). */
  get messages() {
    return this.text;
  }
}

type LockContent = { pid: number; proc_start: string | null; started_at: string };

/**
 * What /proc says of a process (Linux): its state letter and the kernel's start tick; null where
 * /proc is not there or the process is gone.
 */
function procStat(pid: number): { state: string; start: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields counted after the parenthesised command name (which may hold spaces and parentheses):
    // field 3 is the state, field 22 the start tick.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return null;
  }
}

function procStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

function isAlive(lock: LockContent): boolean {
  try {
    process.kill(lock.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStat(lock.pid);
  // kill(pid, 0) succeeds on a zombie: it has exited and only waits for its parent to reap it,
  // so it holds nothing any more (and its exit hooks may never have run to remove the lock).
  if (now && (now.state === 'Z' || now.state === 'X')) return false;
  // A live pid with another start tick is a reused pid, not the process that wrote the lock.
  return lock.proc_start === null || now === null || now.start === lock.proc_start;
}

function readLock(path: string): LockContent | null {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return null;
  }
}

export type DataDirLock = { path: string; release(): void };

const held = new Set<string>();
let handlersInstalled = false;

function releaseAll() {
  for (const path of held) removeIfOurs(path);
  held.clear();
}

function removeIfOurs(path: string) {
  const lock = readLock(path);
  if (lock?.pid === process.pid) fs.rmSync(path, { force: true });
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', releaseAll);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = () => {
      releaseAll();
      // With no other listener the process would now keep running: end it the default way.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** Takes the lock of a data directory, or throws DataDirLockedError naming the holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = `${dataDir.replace(/\/+$/, '')}.lock`;
  const content: LockContent = {
    pid: process.pid,
    proc_start: procStart(process.pid),
    started_at: new Date(Date.now() - process.uptime() * 1000).toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(path, JSON.stringify(content), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const other = readLock(path);
      if (other && isAlive(other)) throw new DataDirLockedError(dataDir, other.pid, other.started_at);
      if (attempt > 0) throw e;
      fs.rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  held.add(path);
  installHandlers();
  return {
    path,
    release() {
      held.delete(path);
      removeIfOurs(path);
    },
  };
}
