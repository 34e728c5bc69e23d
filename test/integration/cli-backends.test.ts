// Each command is written once against a Backend: run on the database it opens, or through the
// server that holds the data directory, it prints the same lines and exits with the same code —
// an import, a refused file, an export, the releases, a report, an unknown release, the demo's
// refusal, an audit search, publishing with policy flags (a bad flag, a publication the audit
// refuses) and a release's policy. Both run in this process (runMain; the server on its own port).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { seedDemo } from '../../src/cli/stats.ts';
import { systemActor } from '../../src/access/actor.ts';
import { defaultPolicyDocument } from '../../src/stats/protection.ts';
import { setReleasePolicy } from '../../src/stats/releases.ts';
import { openDatabase } from '../../src/store/db.ts';
import { setInstanceKind } from '../../src/store/instance.ts';
import { runMain, serveInProcess, tempDataDir, type CliResult, type InProcessServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

const demoText = {
  sv: 'Det här är demoinstansen med syntetiska uppgifter; den tar inte emot riktiga uppgifter. Starta en riktig instans med en egen datakatalog och --no-demo (eller DATABASE_URL).\n',
  en: 'This is the demo instance with synthetic data; it does not accept real data. Start a real instance with its own data directory and --no-demo (or DATABASE_URL).\n',
};

describe('a command through either backend', { timeout: 600_000 }, () => {
  const tmp = tempDataDir();
  const file = (name: string) => path.join(tmp.dir, name);
  const en = { LAGESBILD_LANG: 'en' };
  let server: InProcessServer | undefined;

  /** The commands compared, each with its environment; their results on the local backend. */
  const compared: { args: string[]; env?: Record<string, string> }[] = [
    { args: ['import', file('bad.csv')] },
    { args: ['import', file('bad.csv')], env: en },
    { args: ['export'] },
    { args: ['export', '--year', '2025'] },
    { args: ['releases'] },
    { args: ['releases'], env: en },
    { args: ['report', '--year', '2025', '--format', 'csv'] },
    { args: ['report', '--year', '2025', '--format', 'json', '--lang', 'en'] },
    { args: ['publish', '2099-1'] },
    { args: ['publish', '2099-1'], env: en },
    { args: ['report', '--year', '2025', '--release', '2025-7'] },
    { args: ['freeze', '--year', '2025', '--kind', 'weekly'] },
    { args: ['export', '--bogus'], env: en },
    { args: ['audit', 'search', '--operation', 'cases.import'] },
  ];
  const local: CliResult[] = [];

  beforeAll(async () => {
    fs.writeFileSync(file('three.csv'), casesToCsv(importableCases(3, 71)));
    // five bad rows among valid ones: lines 3, 6, 9, 12 and 15 (the header is line 1)
    const rows: unknown[] = importableCases(15, 72);
    const bad: [number, Record<string, unknown>][] = [
      [1, { age: 12, age_group: 'adult' }],
      [4, { sex: 'zz' }],
      [7, { identified_on: '2017-05-05' }],
      [10, { nationality: 'XX' }],
      [13, { source: 'nobody' }],
    ];
    for (const [i, patch] of bad) rows[i] = { ...(rows[i] as object), ...patch };
    fs.writeFileSync(file('bad.csv'), casesToCsv(rows as CaseData[]));
  });
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  it('on the database it opens: imports, refuses a bad file by line, freezes, and refuses bad input with exit 2', async () => {
    const imported = await runMain(['import', file('three.csv')], tmp.dataDir);
    expect(imported).toEqual({ code: 0, stdout: 'Importerade 3 ärenden.\n', stderr: expect.any(String) });
    // The same file again is refused, naming when it was imported, until the operator confirms it.
    const again = await runMain(['import', file('three.csv')], tmp.dataDir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^Samma fil importerades redan \d{4}-\d\d-\d\d kl\. \d\d:\d\d\. /);
    const confirmed = await runMain(['import', '--confirm-duplicate', file('three.csv')], tmp.dataDir);
    expect(confirmed).toEqual({ code: 0, stdout: 'Importerade 3 ärenden.\n', stderr: expect.any(String) });
    const frozen = await runMain(['freeze', '--year', '2025', '--kind', 'preliminary'], tmp.dataDir);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stdout).toMatch(/^Fryst: 2025-1\t2025\tpreliminär\t\d+ ärenden\tintern\t[0-9a-f]{12}\n$/);
    for (const { args, env } of compared) local.push(await runMain(args, tmp.dataDir, env));

    const [badSv, badEn, exported] = local;
    expect(badSv.code).toBe(2);
    expect(badSv.stdout).toBe('');
    expect(badSv.stderr.split('\n').filter((l) => /^line \d+: /.test(l)).map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      'line 3: age_group',
      'line 6: sex',
      'line 9: identified_on',
      'line 12: nationality',
      'line 15: source',
    ]);
    expect(badSv.stderr).toMatch(/Filen importerades inte: 5 fel\. Inget har sparats\.\n$/);
    expect(badEn.stderr).toMatch(/The file was not imported: 5 errors\. Nothing was saved\.\n$/);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(7);
    const byArgs = (args: string[], env?: object) => local[compared.findIndex((c) => c.args.join(' ') === args.join(' ') && c.env === env)];
    expect(byArgs(['releases'])).toEqual({ code: 0, stdout: frozen.stdout.replace('Fryst: ', ''), stderr: '' });
    expect(byArgs(['releases'], en).stdout).toMatch(/^2025-1\t2025\tpreliminary\t\d+ cases\tinternal\t[0-9a-f]{12}\n$/);
    expect(byArgs(['publish', '2099-1'])).toEqual({ code: 2, stdout: '', stderr: 'Utgåvan hittades inte.\n' });
    expect(byArgs(['publish', '2099-1'], en)).toEqual({ code: 2, stdout: '', stderr: 'The release was not found.\n' });
    expect(byArgs(['report', '--year', '2025', '--release', '2025-7'])).toEqual({ code: 2, stdout: '', stderr: 'Utgåvan hittades inte.\n' });
    expect(byArgs(['freeze', '--year', '2025', '--kind', 'weekly'])).toEqual({ code: 2, stdout: '', stderr: 'Ange --kind final eller --kind preliminary.\n' });
    expect(byArgs(['export', '--bogus'], en)).toEqual({ code: 2, stdout: '', stderr: 'Unknown option: --bogus\n' });
    const search = byArgs(['audit', 'search', '--operation', 'cases.import']);
    expect(search.code).toBe(0);
    expect(search.stdout.trim().split('\n').map((l) => JSON.parse(l))).toMatchObject([
      { operation: 'cases.import', actor_id: 'system:cli' },
      { operation: 'cases.import', actor_id: 'system:cli' },
    ]);
    expect(search.stderr).toBe('2 av 2 rader.\n');
    expect(byArgs(['report', '--year', '2025', '--format', 'json', '--lang', 'en']).code).toBe(0);
  });

  it('through the server that holds the directory: the same output and exit code for every command', async () => {
    server = await serveInProcess(tmp.dataDir);
    // the directory is held: a command that needs the database itself says so
    const seed = await runMain(['seed', '--demo'], tmp.dataDir);
    expect(seed).toEqual({ code: 2, stdout: '', stderr: 'Servern kör på den här datakatalogen. Stoppa den först, eller använd en tom datakatalog för demon.\n' });
    for (const [i, { args, env }] of compared.entries()) {
      expect(await runMain(args, tmp.dataDir, env), `${args.join(' ')} ${env ? 'en' : ''}`).toEqual(local[i]);
    }
    const again = await runMain(['import', file('three.csv')], tmp.dataDir, en);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^The same file was already imported on \d{4}-\d\d-\d\d at \d\d:\d\d\. /);
    const imported = await runMain(['import', '--confirm-duplicate', file('three.csv')], tmp.dataDir);
    expect(imported.stdout).toBe('Importerade 3 ärenden.\n');
    expect(imported.code).toBe(0);
    const exported = await runMain(['export'], tmp.dataDir);
    expect(exported.stdout.trim().split('\n')).toHaveLength(10);
    await server.close();
    server = undefined;
  });

  it('publish with policy flags, a bad flag, a refused publication and policy: the same through either backend', async () => {
    // The demo's 481 cases frozen twice: one release published on the database opened here, one through the server.
    const dir = path.join(tmp.dir, 'policy');
    const database = await openDatabase({ dataDir: dir });
    await seedDemo(database.db);
    await database.close();
    for (const id of ['2025-2', '2025-3']) {
      const frozen = await runMain(['freeze', '--year', '2025', '--kind', 'preliminary'], dir);
      expect(frozen.stdout).toMatch(new RegExp(`^Fryst: ${id}\t`));
    }
    // Each release's policy set before (version 2): the flags change only the fields they name.
    const opened = await openDatabase({ dataDir: dir });
    for (const id of ['2025-2', '2025-3']) await setReleasePolicy(opened.db, systemActor('test'), id, { ...defaultPolicyDocument(), builder_exclusions: [['sex', 'category']] });
    await opened.close();
    const steps = (id: string): { args: string[]; env?: Record<string, string> }[] => [
      { args: ['publish', id, '--threshold', '0'] },
      { args: ['publish', id, '--threshold', '0'], env: en },
      { args: ['publish', id, '--exclude-pair', 'sex'], env: en },
      // a pair the table builder cannot have: refused by the service, nothing stored
      { args: ['publish', id, '--exclude-pair', 'sex,region', '--exclude-pair', 'sex,sex'], env: en },
      // the exact table gives away cells of the tables that share its margins: the audit fails
      { args: ['publish', id, '--exact', 'form_by_group=Känd sedan tidigare', '--exclude-pair', 'age_group,sex'] },
      { args: ['policy', id] },
      // (a table published exactly would give away cells 2025-1 suppresses: the year's releases are audited together)
      { args: ['publish', id, '--threshold', '3', '--cost', 'persons'] },
      { args: ['policy', id], env: en },
      { args: ['report', '--year', '2025', '--release', id, '--form', 'protected', '--format', 'json'] },
    ];
    const run = async (id: string) => {
      const out: CliResult[] = [];
      for (const { args, env } of steps(id)) out.push(await runMain(args, dir, env));
      return out;
    };
    const locally = await run('2025-2');
    const [badSv, badEn, badPair, badDimensions, refused, pending, published, shown, report] = locally;
    expect(badSv).toEqual({ code: 2, stdout: '', stderr: 'Publiceringsreglerna är ogiltiga.\nthreshold: --threshold måste vara minst 1 (regel min).\n' });
    expect(badEn).toEqual({ code: 2, stdout: '', stderr: 'The disclosure policy is invalid.\nthreshold: --threshold must be at least 1 (rule min).\n' });
    expect(badPair).toEqual({ code: 2, stdout: '', stderr: 'The disclosure policy is invalid.\nbuilder_exclusions.0: --exclude-pair takes two dimensions, DIM1,DIM2 (rule pair).\n' });
    expect(badDimensions.code).toBe(2);
    expect(badDimensions.stdout).toBe('');
    expect(badDimensions.stderr).toMatch(/^The disclosure policy is invalid\.\nbuilder_exclusions\.0\.1: The table builder has no such dimension; choose among sex, age_group, .+\.\nbuilder_exclusions\.1: An excluded pair is two different dimensions\.\n$/);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^Utgåvan kan inte publiceras: de exakt publicerade tabellerna röjer celler som måste skyddas \(.+\)\.\n/);
    expect(refused.stderr).toMatch(/\nexact\.\w+: Intervallet för .+ är smalare än 3\.\n/);
    // a refused publication stores nothing of its policy: the version and every field as before
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('Utgåva 2025-2 (regler version 2, intern)\nTröskel: 3\nIntervallbredd: 3\n');
    expect(pending.stdout).toContain('Exakt publicerade: inga\nTabellverktyget korsar aldrig: sex × category\n');
    expect(pending.stdout).toMatch(/Skydd: inte beräknat \(utgåvan är inte publicerad\)\.\n$/);
    expect(published.code, published.stderr).toBe(0);
    const line = /^Publicerad: 2025-2\t2025\tpreliminär\t481 ärenden\tpublicerad [\d-]+\t[0-9a-f]{12}\tDEMO\nRöjandeskydd: (\d+) celler undertryckta \((\d+) personer\), granskningen godkänd\.\n$/.exec(published.stdout);
    expect(line, published.stdout).not.toBeNull();
    const suppressed = Number(line![1]);
    expect(suppressed).toBeGreaterThan(0);
    // published with the fields the flags name changed and the rest as the release had them
    expect(shown.stdout).toContain('Release 2025-2 (policy version 3, published)\n');
    expect(shown.stdout).toContain('Threshold: 3\nInterval width: 3\nZeros protected: no\nCost: persons\n');
    expect(shown.stdout).toContain('Published exactly: none\nThe table builder never crosses: sex × category\n');
    expect(shown.stdout).toContain(`Cells suppressed: ${suppressed} (`);
    expect(shown.stdout).toContain(`Persons in suppressed cells: ${line![2]}\n`);
    expect(shown.stdout).toMatch(/Audit passed: yes\n$/);
    // what the public reads of it: the suppressed cells null with their status, no table exact
    const body = JSON.parse(report.stdout);
    expect(body.disclosure).toMatchObject({ suppressed, exact: {} });
    const rows = body.tables.flatMap((t: { id: string; rows: { count: number | null; status?: string }[] }) => t.rows.map((r) => ({ table: t.id, ...r })));
    expect(rows.filter((r: { count: number | null }) => r.count === null).length).toBeGreaterThan(0);
    expect(rows.filter((r: { count: number | null; status?: string }) => r.count === null).every((r: { status?: string }) => r.status === 'primary' || r.status === 'secondary')).toBe(true);

    server = await serveInProcess(dir, { demo: true });
    const through = await run('2025-3');
    await server.close();
    server = undefined;
    // the other release's id and number are the one difference
    const same = (r: CliResult) => ({
      ...r,
      stdout: r.stdout.replaceAll('2025-3', '2025-2').replace('"number": 3,', '"number": 2,'),
      stderr: r.stderr.replaceAll('2025-3', '2025-2'),
    });
    for (const [i, r] of through.entries()) expect(same(r), steps('2025-3')[i].args.join(' ')).toEqual(locally[i]);
  });

  it('the demo refuses an import with the same message through either backend', async () => {
    const demo = path.join(tmp.dir, 'demo');
    const database = await openDatabase({ dataDir: demo });
    await setInstanceKind(database.db, 'demo');
    await database.close();
    const locally = [await runMain(['import', file('three.csv')], demo), await runMain(['import', file('three.csv')], demo, en)];
    expect(locally).toEqual([
      { code: 2, stdout: '', stderr: demoText.sv },
      { code: 2, stdout: '', stderr: demoText.en },
    ]);
    server = await serveInProcess(demo, { demo: true });
    expect([await runMain(['import', file('three.csv')], demo), await runMain(['import', file('three.csv')], demo, en)]).toEqual(locally);
    await server.close();
    server = undefined;
  });
});
