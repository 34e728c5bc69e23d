// Where the CLI's database is, and how to reach a server that already holds it.
import fs from 'node:fs';
import path from 'node:path';
import { DataDirLockedError, openDatabase, type Database } from '../store/index.ts';
import { openDataDirChecked } from '../store/recovery.ts';

export type Target = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** DATABASE_URL wins; otherwise the embedded database in LAGESBILD_DATA_DIR or ./data. */
export function resolveTarget(env = process.env): Target {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: path.resolve(env.LAGESBILD_DATA_DIR || 'data') };
}

export function describeTarget(t: Target): string {
  return t.kind === 'pglite' ? `inbäddad databas i ${t.dataDir}` : 'PostgreSQL (DATABASE_URL)';
}

export async function open(target: Target, migrate = true): Promise<Database> {
  // A damaged embedded directory is named, with the way back, instead of PGlite's bare abort.
  return target.kind === 'pglite'
    ? openDataDirChecked(target.dataDir, () => openDatabase({ dataDir: target.dataDir, migrate }))
    : openDatabase({ url: target.url, migrate });
}

/** The file a running server leaves beside its data directory so the CLI can go through it. */
export function serverInfoPath(dataDir: string): string {
  return `${dataDir}.server.json`;
}

export type ServerInfo = { pid: number; url: string; token: string };

export function writeServerInfo(dataDir: string, info: ServerInfo) {
  fs.writeFileSync(serverInfoPath(dataDir), JSON.stringify(info), { mode: 0o600 });
}

export function removeServerInfo(dataDir: string) {
  fs.rmSync(serverInfoPath(dataDir), { force: true });
}

export function readServerInfo(dataDir: string): ServerInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(serverInfoPath(dataDir), 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}

export { DataDirLockedError };
