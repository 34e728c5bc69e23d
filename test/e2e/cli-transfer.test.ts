// The command line as a user runs it: migrate, import and export of an 800-row file, a file with
// five bad rows, and import/export/freeze/releases through a running server process. The commands
// run in this process (runMain); bin/lagesbild itself is started where the process is what is
// tested: its exit codes, and the server it starts and stops.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { freePort, localFetch, runCli, runMain, startServer, tempDataDir, type RunningServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';

const dataOf = (csv: string) => parseCasesCsv(csv).rows.map((r) => r.data);

describe('the command line', { timeout: 180_000 }, () => {
  const tmp = tempDataDir();
  const file = (name: string) => path.join(tmp.dir, name);
  const cli = (...args: string[]) => runMain(args, tmp.dataDir);
  const cliEn = (...args: string[]) => runMain(args, tmp.dataDir, { LAGESBILD_LANG: 'en' });
  let original: CaseData[];
  let server: RunningServer | undefined;

  beforeAll(() => {
    original = importableCases(800, 21);
    fs.writeFileSync(file('valid.csv'), casesToCsv(original));
    // five bad rows among valid ones: lines 3, 6, 9, 12 and 15 (the header is line 1)
    const rows: unknown[] = importableCases(15, 22);
    const bad: [number, Record<string, unknown>][] = [
      [1, { age: 12, age_group: 'adult' }],
      [4, { sex: 'zz' }],
      [7, { identified_on: '2017-05-05' }],
      [10, { nationality: 'XX' }],
      [13, { source: 'nobody' }],
    ];
    for (const [i, patch] of bad) rows[i] = { ...(rows[i] as object), ...patch };
    fs.writeFileSync(file('bad.csv'), casesToCsv(rows as CaseData[]));
    fs.writeFileSync(file('three.csv'), casesToCsv(importableCases(3, 23)));
  });
  afterAll(async () => {
    await server?.stop();
    tmp.remove();
  });

  it('bin/lagesbild exits 2 on bad usage and 0 on help, naming the problem', async () => {
    const none = await runCli([], tmp.dataDir);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^Användning: lagesbild <kommando>/);
    const help = await runCli(['--help'], tmp.dataDir);
    expect(help.code).toBe(0);
    const unknown = await runCli(['frobnicate'], tmp.dataDir, { LAGESBILD_LANG: 'en' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`Unknown command: frobnicate\n\n${help.stdout}`);
    expect(await runCli(['export', '--bogus'], tmp.dataDir)).toEqual({ code: 2, stdout: '', stderr: 'Okänd flagga: --bogus\n' });
    expect(fs.existsSync(tmp.dataDir)).toBe(false);
  });

  it('refuses bad usage with exit 2 and the message of each, in Swedish and English, before opening a database', async () => {
    const bad: { args: string[]; sv: string; en: string }[] = [
      { args: ['import'], sv: 'Ange en fil: lagesbild import FIL', en: 'Give a file: lagesbild import FILE' },
      { args: ['import', file('no-such-file.csv')], sv: `Filen finns inte: ${file('no-such-file.csv')}`, en: `No such file: ${file('no-such-file.csv')}` },
      { args: ['export', '--bogus'], sv: 'Okänd flagga: --bogus', en: 'Unknown option: --bogus' },
      { args: ['export', '--year'], sv: 'Flaggan --year behöver ett värde.', en: 'The option --year needs a value.' },
      { args: ['export', '--format', 'xml'], sv: 'Okänt format: xml (export stöder csv)', en: 'Unknown format: xml (export supports csv)' },
      { args: ['export', '--year', '1900'], sv: 'Ogiltigt år: 1900', en: 'Invalid year: 1900' },
      { args: ['import', file('valid.csv'), '--lang', 'de'], sv: 'Okänt språk: de', en: 'Unknown language: de' },
      { args: ['freeze', '--year', '2025'], sv: 'Ange --kind final eller --kind preliminary.', en: 'Give --kind final or --kind preliminary.' },
      { args: ['freeze', '--kind', 'final'], sv: 'Ange --year ÅR.', en: 'Give --year YEAR.' },
      { args: ['seed', '--demo=yes'], sv: 'Flaggan --demo tar inget värde.', en: 'The option --demo takes no value.' },
      { args: ['migrate', 'extra'], sv: 'Okänt argument: extra', en: 'Unknown argument: extra' },
      { args: ['start', '--port', 'many'], sv: 'Ogiltig port: many', en: 'Invalid port: many' },
    ];
    for (const { args, sv, en } of bad) {
      expect(await cli(...args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: `${sv}\n` });
      expect(await cliEn(...args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: `${en}\n` });
    }
    // none of that created a database
    expect(fs.existsSync(tmp.dataDir)).toBe(false);
  });

  it('migrate creates and migrates the embedded database', async () => {
    const r = await cli('migrate');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(tmp.dataDir);
    expect(fs.existsSync(tmp.dataDir)).toBe(true);
  });

  it('imports an 800-row file and exports exactly those rows', async () => {
    const r = await cli('import', file('valid.csv'));
    expect(r.stderr.split('\n').filter((l) => l && !l.includes('warning'))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Importerade 800 ärenden.\n');
    const out = await cli('export', '--format', 'csv', '--out', file('export.csv'));
    expect(out.code).toBe(0);
    expect(dataOf(fs.readFileSync(file('export.csv'), 'utf8'))).toEqual(original);
    // to standard output without --out
    const stdout = await cli('export');
    expect(stdout.code).toBe(0);
    expect(dataOf(stdout.stdout)).toEqual(original);
  });

  it('rejects a file with five bad rows, naming each line, and writes nothing from it', async () => {
    const r = await cli('import', file('bad.csv'));
    expect(r.code).toBe(2);
    const problems = r.stderr.split('\n').filter((l) => /^line \d+: /.test(l) && !l.includes('warning:'));
    expect(problems.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      'line 3: age_group',
      'line 6: sex',
      'line 9: identified_on',
      'line 12: nationality',
      'line 15: source',
    ]);
    expect(r.stderr).toContain('Filen importerades inte: 5 fel. Inget har sparats.');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('zz');
    const en = await cliEn('import', file('bad.csv'));
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('The file was not imported: 5 errors. Nothing was saved.');
    const after = await cli('export', '--out', file('after.csv'));
    expect(after.code).toBe(0);
    expect(dataOf(fs.readFileSync(file('after.csv'), 'utf8'))).toEqual(original);
  });

  it('while the server holds the directory, import, export, freeze and releases go through it', async () => {
    const port = await freePort();
    server = await startServer([process.execPath, 'bin/lagesbild', 'start', '--port', String(port), '--no-demo'], tmp.dataDir, port);
    expect(server.output()).toContain(`http://localhost:${port}`);
    expect(server.output()).not.toContain('DEMO');
    expect(fs.existsSync(`${tmp.dataDir}.server.json`)).toBe(true);

    const imported = await cli('import', file('three.csv'));
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('Importerade 3 ärenden.\n');
    const bad = await cli('import', file('bad.csv'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').filter((l) => /^line \d+: /.test(l) && !l.includes('warning:'))).toHaveLength(5);
    expect(bad.stderr).toMatch(/Filen importerades inte: 5 fel\. Inget har sparats\.\n$/);

    const out = await cli('export', '--format', 'csv', '--out', file('through-server.csv'));
    expect(out.code).toBe(0);
    const exported = dataOf(fs.readFileSync(file('through-server.csv'), 'utf8'));
    expect(exported).toHaveLength(803);
    expect(exported.slice(0, 800)).toEqual(original);
    // the same through the API
    const api = await localFetch(tmp.dataDir, `${server.url}/api/cases?pageSize=1`).then((r) => r.json());
    expect(api.total).toBe(803);

    const frozen = await cli('freeze', '--year', '2025', '--kind', 'preliminary');
    expect(frozen.code).toBe(0);
    expect(frozen.stdout).toMatch(/^Fryst: 2025-1\t2025\tpreliminär\t\d+ ärenden\tintern/);
    const releases = await cli('releases');
    expect(releases.code).toBe(0);
    expect(releases.stdout).toMatch(/^2025-1\t2025\tpreliminär/);
    const report = await cli('report', '--year', '2025', '--format', 'json', '--out', file('report.json'));
    expect(report.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file('report.json'), 'utf8')).release).toMatchObject({ id: '2025-1', kind: 'preliminary' });
    // errors of the server exit like the same errors locally: bad input is 2
    expect(await cli('publish', '2099-1')).toEqual({ code: 2, stdout: '', stderr: 'Utgåvan hittades inte.\n' });
    expect(await cli('report', '--year', '2025', '--release', '2025-7', '--format', 'json')).toEqual({ code: 2, stdout: '', stderr: 'Utgåvan hittades inte.\n' });
    expect(await cli('seed', '--demo')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Servern kör på den här datakatalogen. Stoppa den först, eller använd en tom datakatalog för demon.\n',
    });
    // exit 2 from the process too
    expect((await runCli(['publish', '2099-1'], tmp.dataDir)).code).toBe(2);
  });

  it('releases the directory when the server gets SIGTERM', async () => {
    const code = await server!.stop();
    server = undefined;
    expect(code).toBe(0);
    expect(fs.existsSync(`${tmp.dataDir}.server.json`)).toBe(false);
    // the next command opens the database itself
    const releases = await cli('releases');
    expect(releases.code).toBe(0);
    expect(releases.stdout).toMatch(/^2025-1\t/);
    const published = await cli('publish', '2025-1');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^Publicerad: 2025-1/);
    expect(await cli('publish', '2025-1')).toEqual({ code: 2, stdout: '', stderr: 'Utgåvan är redan publicerad.\n' });
  });

  it('series import adds a valid file and names the row and field of an invalid one', async () => {
    const row = { year: 2016, measure: 'total', value: 250, source_document: 'rapport-2017.pdf', source_table: 'Tabell 1' };
    fs.writeFileSync(file('series.json'), JSON.stringify({ format: 'lagesbild-series/1', rows: [row] }));
    fs.writeFileSync(file('series-bad.json'), JSON.stringify({ format: 'lagesbild-series/1', rows: [row, { ...row, year: 2017, measure: 'persons' }] }));
    const ok = await cli('series', 'import', file('series.json'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('Importerade 1 tryckta värden.\n');
    const bad = await cli('series', 'import', file('series-bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Serien kunde inte läsas\.\nrows\.1\.measure: .+\n$/);
    expect(await cli('series', 'import', file('none.json'))).toEqual({ code: 2, stdout: '', stderr: `Filen finns inte: ${file('none.json')}\n` });
  });

  it('npm start -- --port N passes the port', async () => {
    const port = await freePort();
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    server = await startServer([npm, 'start', '--', '--port', String(port), '--no-demo'], tmp.dataDir, port);
    const health = await fetch(`${server.url}/api/health`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, demo: false });
    // the series imported before the start is served
    const series = await fetch(`${server.url}/api/stats/series`).then((r) => r.json());
    expect(series.items).toContainEqual({ year: 2016, measure: 'total', value: 250, source_document: 'rapport-2017.pdf', source_table: 'Tabell 1' });
    await server.stop();
    server = undefined;
    // the server let go of the directory: the next command opens it itself
    expect(fs.existsSync(`${tmp.dataDir}.server.json`)).toBe(false);
    const releases = await cli('releases');
    expect(releases.code).toBe(0);
  });
});
