// `start` on an empty data directory without --no-demo seeds the demo: 481 synthetic coordinator cases (and the civil-society and programme records) and
// the published final release 2025-1; the demo instance then refuses imports with a clear message.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { freePort, localFetch, runCli, runMain, startServer, tempDataDir, type RunningServer } from '../support/cli.ts';
import { importableCases } from '../support/http.ts';
import { civilSocietyDemoYears } from '../../src/stats/sources/demo-civil-society.ts';
import { supportProgrammeDemoYears } from '../../src/stats/sources/demo-support-programmes.ts';

// Every record of the demo: the coordinators' 481 cases of 2025 and the other sources' demo years.
const demoRecords = 481 + [...civilSocietyDemoYears, ...supportProgrammeDemoYears].reduce((n, y) => n + y.records.length, 0);

const demoRefusal = {
  sv: 'Det här är demoinstansen med syntetiska uppgifter; den tar inte emot riktiga uppgifter. Starta en riktig instans med en egen datakatalog och --no-demo (eller DATABASE_URL).\n',
  en: 'This is the demo instance with synthetic data; it does not accept real data. Start a real instance with its own data directory and --no-demo (or DATABASE_URL).\n',
};

describe('the demo instance', { timeout: 180_000 }, () => {
  const tmp = tempDataDir();
  const file = (name: string) => path.join(tmp.dir, name);
  // The commands run in this process (the server is a process of its own); the exit codes of
  // bin/lagesbild itself are checked where a process is what is tested (the second start).
  const cli = (...args: string[]) => runMain(args, tmp.dataDir);
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    tmp.remove();
  });

  it('the first start on an empty directory seeds the demo and the published final release 2025-1 of 481 cases', async () => {
    fs.writeFileSync(file('real.csv'), casesToCsv(importableCases(3, 31)));
    const port = await freePort();
    server = await startServer([process.execPath, 'bin/lagesbild', 'start', '--port', String(port)], tmp.dataDir, port);
    expect(server.output()).toMatch(/Demodata inlagd: syntetiska ärenden från regionkoordinatorerna \(2025\)/);
    expect(server.output()).toMatch(/DEMO/);
    expect(await fetch(`${server.url}/api/health`).then((r) => r.json())).toMatchObject({ ok: true, demo: true });

    const pub = await fetch(`${server.url}/api/stats/public`).then((r) => r.json());
    expect(pub.releases.map((r: { id: string; kind: string; published: boolean; case_count: number; demo: boolean }) => [r.id, r.kind, r.published, r.case_count, r.demo])).toEqual([
      ['2025-1', 'final', true, 481, true],
    ]);
    expect(pub.report.release).toMatchObject({ id: '2025-1', kind: 'final', published: true });
    expect(pub.report.demo).toBe(true);
    const all = pub.report.tables.find((t: { id: string }) => t.id === 'totals').rows.find((r: { dimension: string }) => r.dimension === 'all');
    expect(all.count).toBe(481);
    expect(pub.report.tables.find((t: { id: string }) => t.id === 'region')).toBeUndefined();
    expect((await localFetch(tmp.dataDir, `${server.url}/api/cases?pageSize=1`).then((r) => r.json())).total).toBe(demoRecords);
    // not signed in: the published statistics only, no cases
    expect((await fetch(`${server.url}/api/cases?pageSize=1`)).status).toBe(401);

    // the demo's own sign-in, printed at the start, works and gives a coordinator's scope
    const login = /demo-koordinator\s+lösenord (\S+)/.exec(server.output());
    expect(login).not.toBeNull();
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-koordinator', password: login![1] }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const mine = await fetch(`${server.url}/api/cases?pageSize=500`, { headers: { cookie } }).then((r) => r.json());
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(481);
    expect(new Set(mine.items.map((c: { region: string }) => c.region))).toEqual(new Set(['stockholm']));
    expect(server.output()).toMatch(/demo-statistiker\s+lösenord \S+/);
  });

  it('refuses an import through the server with the demo message', async () => {
    expect(await cli('import', file('real.csv'))).toEqual({ code: 2, stdout: '', stderr: demoRefusal.sv });
    expect(await runMain(['import', file('real.csv')], tmp.dataDir, { LAGESBILD_LANG: 'en' })).toEqual({ code: 2, stdout: '', stderr: demoRefusal.en });
    expect((await localFetch(tmp.dataDir, `${server!.url}/api/cases?pageSize=1`).then((r) => r.json())).total).toBe(demoRecords);
    // a second server on the same directory is refused while the first holds it
    const second = await runCli(['start', '--port', String(await freePort())], tmp.dataDir);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Datakatalogen ${path.resolve(tmp.dataDir)} används redan av process ${server!.child.pid} (startad `);
    expect(second.stderr).toContain('Använd den server som redan kör, eller stoppa den först.');
    expect((await fetch(`${server!.url}/api/health`)).ok).toBe(true);
  });

  it('reports with unknown age folded into adults by default, and on its own with --unknown-age-as-adult false', async () => {
    const groups = async (...extra: string[]) => {
      const r = await cli('report', '--year', '2025', '--format', 'json', ...extra);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      const totals = report.tables.find((t: { id: string }) => t.id === 'totals').rows;
      return { settings: report.settings, group: Object.fromEntries(totals.filter((x: any) => x.dimension === 'group').map((x: any) => [x.code, x.count])) };
    };
    const folded = await groups();
    const apart = await groups('--unknown-age-as-adult', 'false');
    expect(folded.settings.unknown_age_as_adult).toBe(true);
    expect(apart.settings.unknown_age_as_adult).toBe(false);
    expect(folded.group.age_unknown).toBeUndefined();
    expect(apart.group.age_unknown).toBeGreaterThan(0);
    // the persons of unknown age move out of women and men, and nobody is lost
    expect(folded.group.woman + folded.group.man).toBe(apart.group.woman + apart.group.man + apart.group.age_unknown);
    const maybe = await cli('report', '--year', '2025', '--unknown-age-as-adult', 'maybe');
    expect(maybe.code).toBe(2);
    expect(maybe.stderr).toBe('--unknown-age-as-adult tar true eller false.\n');
  });

  it('reports the exact form by default (the statistician\'s tool) and the published one with --form protected', async () => {
    type Row = { table: string; count: number | null; status?: string };
    const rowsOf = (report: { tables: { id: string; rows: Omit<Row, 'table'>[] }[] }): Row[] => report.tables.flatMap((t) => t.rows.map((r) => ({ ...r, table: t.id })));
    const exact = await cli('report', '--year', '2025', '--format', 'json');
    expect(exact.code).toBe(0);
    const exactReport = JSON.parse(exact.stdout);
    expect(exactReport.disclosure).toBeUndefined();
    expect(rowsOf(exactReport).every((r) => typeof r.count === 'number')).toBe(true);
    // the demo has small cells, which the exact form prints
    expect(rowsOf(exactReport).some((r) => r.count === 1 || r.count === 2)).toBe(true);
    const published = await cli('report', '--year', '2025', '--format', 'json', '--form', 'protected');
    expect(published.code).toBe(0);
    const protectedReport = JSON.parse(published.stdout);
    expect(protectedReport.disclosure.suppressed).toBeGreaterThan(0);
    const rows = rowsOf(protectedReport);
    expect(rows.some((r) => r.count === null && r.status === 'primary')).toBe(true);
    expect(rows.filter((r) => r.count === 1 || r.count === 2)).toEqual([]);
    expect(await cli('report', '--year', '2025', '--form', 'public')).toEqual({ code: 2, stdout: '', stderr: '--form tar exact eller protected.\n' });
  });

  it('refuses an import without the server too, and a second start does not seed again', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    expect(await cli('import', file('real.csv'))).toEqual({ code: 2, stdout: '', stderr: demoRefusal.sv });
    const releases = await cli('releases');
    expect(releases.code).toBe(0);
    expect(releases.stdout).toMatch(/^2025-1\t2025\tslutlig\t481 ärenden\tpublicerad \d{4}-\d{2}-\d{2}\t[0-9a-f]{12}\tDEMO\n$/);
    const seedAgain = await cli('seed', '--demo');
    expect(seedAgain.code).toBe(2);
    expect(seedAgain.stderr).toBe('Demodata kan bara läggas in i en tom instans. Starta med en ny datakatalog (LAGESBILD_DATA_DIR) för demon.\n');

    const port = await freePort();
    server = await startServer([process.execPath, 'bin/lagesbild', 'start', '--port', String(port)], tmp.dataDir, port);
    expect(server.output()).not.toMatch(/Demodata inlagd/);
    expect(await fetch(`${server.url}/api/health`).then((r) => r.json())).toMatchObject({ demo: true });
    const csv = await localFetch(tmp.dataDir, `${server.url}/api/export`).then((r) => r.text());
    expect(parseCasesCsv(csv).rows).toHaveLength(demoRecords);
  });
});
