// Runs once before the suite: one migrated PGlite data directory, dumped to a tarball that
// every test file clones (test/support/db.ts). Cached by the migrations' content.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openDatabase } from '../src/store/db.ts';
import { dropLeftoverDatabases } from './support/db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

function migrationsHash(): string {
  const hash = crypto.createHash('sha256');
  const pgliteVersion = JSON.parse(fs.readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')).version;
  hash.update(pgliteVersion);
  for (const file of fs.readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(migrationsFolder, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject) {
  const file = path.resolve('.tmp', `pglite-template-${migrationsHash()}.tar`);
  if (!fs.existsSync(file)) {
    const database = await openDatabase({ memory: true });
    const dump = await database.pglite!.dumpDataDir('none');
    await database.close();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file); // atomic: parallel runs never read half a file
  }
  project.provide('pgliteTemplate', file);
  if (process.env.TEST_DATABASE_URL) await dropLeftoverDatabases(process.env.TEST_DATABASE_URL);
  // The server serves the built web app; on a fresh checkout it is built once here, as `npm start` would.
  const build = spawnSync(process.execPath, ['scripts/ensure-web-build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the web app failed (npm run build:web)');
}
