// `lagesbild report --format ctdc`: a published release's records in CTDC's columns, k-anonymised,
// the same bytes on the database the command opens and through the server that holds it; written
// to --out; an unpublished or unknown release refused with exit 2; each export in the audit trail.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { auditLog } from '../../src/access/schema.ts';
import { createCase } from '../../src/registry/cases.ts';
import { CTDC_K, ctdcColumns, quasiIdentifiers } from '../../src/stats/ctdc.ts';
import { freezeRelease, publishRelease } from '../../src/stats/releases.ts';
import { openDatabase } from '../../src/store/db.ts';
import { coordinatorCase } from '../support/case-fixtures.ts';
import { runMain, serveInProcess, tempDataDir, type InProcessServer } from '../support/cli.ts';

describe('report --format ctdc', { timeout: 300_000 }, () => {
  const tmp = tempDataDir();
  let server: InProcessServer | undefined;

  beforeAll(async () => {
    const database = await openDatabase({ dataDir: tmp.dataDir });
    const system = systemActor('test');
    // 12 women of 19 from Ukraine; 12 men of 40 from Romania; 2 others, too rare to be written
    for (let i = 0; i < 12; i++) await createCase(database.db, system, coordinatorCase({ age: 19, nationality: 'UA', exploitation_countries: ['SE'] }));
    for (let i = 0; i < 12; i++) {
      await createCase(database.db, system, coordinatorCase({ sex: 'male', age: 40, nationality: 'RO', exploitation_forms: ['begging'], region: 'syd' }));
    }
    await createCase(database.db, system, coordinatorCase({ sex: 'other', age: 60, nationality: 'BR' }));
    await createCase(database.db, system, coordinatorCase({ age: 16, age_group: 'child', nationality: 'VN' }));
    await publishRelease(database.db, system, (await freezeRelease(database.db, system, { year: 2025, kind: 'final' })).id);
    await freezeRelease(database.db, system, { year: 2025, kind: 'preliminary' });
    await database.close();
  });
  afterAll(async () => {
    await server?.close();
    tmp.remove();
  });

  const exportRows = async () => {
    const database = await openDatabase({ dataDir: tmp.dataDir });
    try {
      return await database.db.select().from(auditLog).where(eq(auditLog.operation, 'cases.export'));
    } finally {
      await database.close();
    }
  };

  let local = '';

  it('on the database it opens: CTDC’s header, every combination at least 11 times, written to --out, audited', async () => {
    const res = await runMain(['report', '--year', '2025', '--format', 'ctdc'], tmp.dataDir);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    local = res.stdout;
    expect(local.split('\r\n')[0]).toBe(ctdcColumns.join(','));
    const rows = parse(local, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows).toHaveLength(24);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(quasiIdentifiers.map((q) => r[q]).join('|'), (counts.get(quasiIdentifiers.map((q) => r[q]).join('|')) ?? 0) + 1);
    expect([...counts.values()].every((n) => n >= CTDC_K)).toBe(true);
    expect(rows.filter((r) => r.gender === 'Woman').every((r) => r.citizenship === 'UKR' && r.ageBroad === '18--20' && r.CountryOfExploitation === 'SWE')).toBe(true);
    expect(rows.filter((r) => r.gender === 'Man').every((r) => r.citizenship === 'ROU' && r.ageBroad === '39--47' && r.isOtherExploit === '1')).toBe(true);

    const out = path.join(tmp.dir, 'ctdc.csv');
    const written = await runMain(['report', '--year', '2025', '--release', '2025-1', '--format', 'ctdc', '--out', out], tmp.dataDir);
    expect(written).toEqual({ code: 0, stdout: '', stderr: `Skrev ${out}.\n` });
    // the file's own bytes: CRLF line ends, no byte-order mark
    expect(fs.readFileSync(out, 'utf8')).toBe(local.endsWith('\n') ? local : `${local}\n`);
    expect(fs.readFileSync(out)[0]).toBe('y'.charCodeAt(0));

    const trail = await exportRows();
    expect(trail).toHaveLength(2);
    expect(trail.every((r) => r.actor_id === 'system:cli' && (r.details as { format: string }).format === 'ctdc' && r.case_ids.length === 24)).toBe(true);
  });

  it('refuses an unpublished release, an unknown one and a year without one with exit 2', async () => {
    expect(await runMain(['report', '--year', '2025', '--release', '2025-2', '--format', 'ctdc'], tmp.dataDir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Bara en publicerad utgåva kan exporteras till CTDC.\n',
    });
    expect(await runMain(['report', '--year', '2025', '--release', '2025-9', '--format', 'ctdc'], tmp.dataDir, { LAGESBILD_LANG: 'en' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'The release was not found.\n',
    });
    expect((await runMain(['report', '--year', '2024', '--format', 'ctdc'], tmp.dataDir)).code).toBe(2);
    expect((await runMain(['report', '--year', '2025', '--format', 'ctdcx'], tmp.dataDir)).stderr).toMatch(/^Okänt format: ctdcx \(json, csv, xlsx, pdf, html eller ctdc\)/);
  });

  it('through the server that holds the directory: the same bytes, audited as the command line', async () => {
    server = await serveInProcess(tmp.dataDir);
    const res = await runMain(['report', '--year', '2025', '--format', 'ctdc'], tmp.dataDir);
    expect(res).toEqual({ code: 0, stdout: local, stderr: '' });
    const refused = await runMain(['report', '--year', '2025', '--release', '2025-2', '--format', 'ctdc'], tmp.dataDir);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'Bara en publicerad utgåva kan exporteras till CTDC.\n' });
    await server.close();
    server = undefined;
    const trail = await exportRows();
    expect(trail).toHaveLength(3);
    expect(trail[2].actor_id).toBe('system:cli');
  });
});
