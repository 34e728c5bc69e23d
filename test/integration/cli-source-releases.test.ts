// The command line and the civil-society and support-programme releases: `freeze --source`,
// `releases --source`, `publish` of a source release and `report --release 2024-civ-1`, on the
// database the command opens and through the server that holds the directory (the same bytes).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import type { SourceReportView } from '../../src/contract/source-reports.ts';
import { insertCases } from '../../src/registry/transfer.ts';
import { openDatabase } from '../../src/store/db.ts';
import { runMain, serveInProcess, tempDataDir, type InProcessServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

describe('source releases on the command line', { timeout: 300_000 }, () => {
  const tmp = tempDataDir();
  let server: InProcessServer | undefined;

  beforeAll(async () => {
    const database = await openDatabase({ dataDir: tmp.dataDir });
    await database.db.transaction((tx) => insertCases(tx, systemActor('test'), importableCases(300, 5, { today: '2025-12-31' })));
    await database.close();
  });
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  let exactJson = '';
  let protectedJson = '';

  it('freezes, lists, publishes and prints a civil-society release', async () => {
    const frozen = await runMain(['freeze', '--year', '2024', '--kind', 'final', '--source', 'civil_society'], tmp.dataDir);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stdout).toMatch(/^Fryst: 2024-civ-1\t2024\tslutlig/);
    // The coordinators' listing does not show it; the source's does.
    expect((await runMain(['releases'], tmp.dataDir)).stdout).toBe('Inga utgåvor.\n');
    expect((await runMain(['releases', '--source', 'civil_society'], tmp.dataDir)).stdout).toMatch(/^2024-civ-1\t2024\tslutlig\t\d+ ärenden\tintern/);
    expect((await runMain(['publish', '2024-civ-1'], tmp.dataDir)).code).toBe(0);
    expect((await runMain(['releases', '--source', 'civil_society'], tmp.dataDir)).stdout).toMatch(/^2024-civ-1\t.*publicerad/);

    const exact = await runMain(['report', '--release', '2024-civ-1', '--format', 'json', '--lang', 'en'], tmp.dataDir);
    expect(exact.code, exact.stderr).toBe(0);
    exactJson = exact.stdout;
    expect(JSON.parse(exactJson) as SourceReportView).toMatchObject({ source: 'civil_society', year: 2024, form: 'exact', lang: 'en', release: { id: '2024-civ-1' } });
    const prot = await runMain(['report', '--release', '2024-civ-1', '--format', 'json', '--lang', 'en', '--form', 'protected'], tmp.dataDir);
    protectedJson = prot.stdout;
    const view = JSON.parse(protectedJson) as SourceReportView;
    expect(view.form).toBe('protected');
    expect(view.tables.flatMap((x) => x.rows).some((r) => r.count === null)).toBe(true);

    const out = path.join(tmp.dir, 'civ.csv');
    expect(await runMain(['report', '--release', '2024-civ-1', '--format', 'csv', '--out', out], tmp.dataDir)).toEqual({ code: 0, stdout: '', stderr: `Skrev ${out}.\n` });
    expect(fs.readFileSync(out, 'utf8').length).toBeGreaterThan(0);
  });

  it('refuses an unknown source and an unknown release', async () => {
    const bad = await runMain(['freeze', '--year', '2024', '--kind', 'final', '--source', 'police'], tmp.dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Okänd källa: police/);
    const missing = await runMain(['report', '--release', '2024-stp-9', '--format', 'json'], tmp.dataDir, { LAGESBILD_LANG: 'en' });
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'The release was not found.\n' });
  });

  it('through the server that holds the directory: the same release numbering and the same report', async () => {
    server = await serveInProcess(tmp.dataDir);
    const frozen = await runMain(['freeze', '--year', '2024', '--kind', 'preliminary', '--source', 'support_programme'], tmp.dataDir);
    expect(frozen.stdout).toMatch(/^Fryst: 2024-stp-1\t/);
    expect((await runMain(['releases', '--source', 'support_programme'], tmp.dataDir)).stdout).toMatch(/^2024-stp-1\t/);
    const exact = await runMain(['report', '--release', '2024-civ-1', '--format', 'json', '--lang', 'en'], tmp.dataDir);
    expect(exact.code, exact.stderr).toBe(0);
    expect(JSON.parse(exact.stdout)).toEqual(JSON.parse(exactJson));
    const prot = await runMain(['report', '--release', '2024-civ-1', '--format', 'json', '--lang', 'en', '--form', 'protected'], tmp.dataDir);
    expect(JSON.parse(prot.stdout)).toEqual(JSON.parse(protectedJson));
    await server.close();
    server = undefined;
  });
});
