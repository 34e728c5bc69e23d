// The import report is bounded whatever the file: the first 1,000 errors listed, every error
// counted per field and rule, warnings grouped per rule with at most 20 lines each. Files of
// megabytes of bad rows answer with a body of a few hundred kilobytes, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLimits } from '../../src/registry/limits.ts';
import { warningLine } from '../../src/registry/transfer.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { casesToCsv } from '../../src/standard/csv.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type TestApp } from '../support/http.ts';

const token = 'report-test-token';
const KB = 1024;
const MB = 1024 * KB;

type Report = {
  code?: string;
  message?: string;
  imported?: number;
  errors: { line: number; path: string; rule: string; message: string }[];
  errorCount: number;
  errorsByRule: { field: string; rule: string; count: number; message: string }[];
  problems: string[];
  warningCount: number;
  warningGroups: { field: string; rule: string; count: number; lines: number[]; message: string }[];
  warnings: string[];
};

/** A CSV of `rows` data rows, row i (0-based) made by `make` from a valid case. */
function csvOf(rows: number, make: (c: CaseData, i: number) => CaseData): string {
  // Coordinator cases with no warning of their own, so that the warnings counted are the ones made here.
  const base = importableCases(60, 31).filter((c) => c.source === 'coordinator' && validateCase(c).warnings.length === 0);
  return casesToCsv(Array.from({ length: rows }, (_, i) => make(base[i % base.length], i)));
}
const conflict = (c: CaseData): CaseData => ({ ...c, exploited_in_sweden: 'no', exploitation_countries: ['SE'] });
const badSex = (c: CaseData) => ({ ...c, sex: 'zz' }) as unknown as CaseData;

/** Data rows repeated up to `bytes` (the header once). */
function sized(bytes: number, row: string, header: string): string {
  return header + row.repeat(Math.ceil((bytes - header.length) / row.length));
}

describe('a warning group as one line', () => {
  it('lists at most the first lines and says how many more', () => {
    const g = { field: 'industries', rule: 'unknown_with_other_codes', count: 25, lines: [11, 12, 13], message: 'M.' };
    expect(warningLine(g)).toBe('warning: unknown_with_other_codes: 25 rows: line 11, 12, 13 … and 22 more: industries: M.');
    expect(warningLine({ ...g, count: 1, lines: [4] })).toBe('warning: unknown_with_other_codes: 1 row: line 4: industries: M.');
  });
});

describe.each(dbTargets())('bounded import report on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
  });
  afterAll(async () => t?.close());
  const post = (text: string, lang = 'en') =>
    t.app.inject({ method: 'POST', url: '/api/import', payload: text, headers: { 'content-type': 'text/csv', 'x-lagesbild-local-token': token, 'accept-language': lang } });

  it('refuses a workbook over its size limit with 413 naming file_size, in the asked language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/import',
      payload: Buffer.alloc(importLimits.xlsxBytes + 1, 0x50),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'x-lagesbild-local-token': token, 'accept-language': 'sv' },
    });
    expect(res.statusCode).toBe(413);
    const body = json<Report>(res);
    expect(body.code).toBe('payload_too_large');
    expect(body.message).toMatch(/Filen är för stor/);
    expect(body.errors[0]).toMatchObject({ path: 'file', rule: 'file_size' });
  });

  it('lists the first 1,000 errors in line order and counts all of them per field and rule', async () => {
    // 1,500 rows with a bad sex code; every third of them also warns.
    const res = await post(csvOf(1500, (c, i) => badSex(i % 3 === 0 ? conflict(c) : c)));
    expect(res.statusCode).toBe(400);
    const body = json<Report>(res);
    expect(body.code).toBe('import_rejected');
    expect(body.errorCount).toBe(1500);
    expect(body.errors).toHaveLength(importLimits.errorsListed);
    expect(body.problems).toHaveLength(importLimits.errorsListed);
    expect(body.errors.map((e) => e.line)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    expect(body.errors[0]).toMatchObject({ path: 'sex', rule: 'code' });
    // Each rule is named in the request's language (its first row's message), not only by its id.
    expect(body.errorsByRule).toEqual([{ field: 'sex', rule: 'code', count: 1500, message: 'Sex has a value that is not in the code list.' }]);
    expect(body.message).toContain('1500 errors (the first 1000 are shown)');
    // Warnings of rows with errors are still reported, grouped.
    expect(body.warningCount).toBe(500);
    expect(body.warningGroups).toHaveLength(1);
    expect(body.warningGroups[0]).toMatchObject({ field: 'exploitation_countries', rule: 'exploited_in_sweden_conflict', count: 500 });
    expect(body.warningGroups[0].lines).toEqual(Array.from({ length: importLimits.warningLinesListed }, (_, i) => 2 + 3 * i));
    expect(body.warnings).toEqual([expect.stringMatching(/^warning: exploited_in_sweden_conflict: 500 rows: line 2, 5, 8, .*, 59 … and 480 more: exploitation_countries: \S/)]);
    expect(res.body).not.toContain('zz');
  });

  it('counts errors of several rules separately, most frequent first, in Swedish too', async () => {
    const res = await post(
      csvOf(30, (c, i) => (i % 3 === 0 ? badSex(c) : i % 5 === 0 ? ({ ...c, age_group: 'nonsense' } as unknown as CaseData) : c)),
      'sv',
    );
    expect(res.statusCode).toBe(400);
    const body = json<Report>(res);
    expect(body.errorsByRule).toEqual([
      { field: 'sex', rule: 'code', count: 10, message: 'Kön har ett värde som inte finns i kodlistan.' },
      { field: 'age_group', rule: 'code', count: 4, message: 'Åldersgrupp har ett värde som inte finns i kodlistan.' },
    ]);
    expect(body.errorCount).toBe(14);
    expect(body.errors).toHaveLength(14);
    expect(body.message).toMatch(/14 fel\. Inget har sparats/);
  });

  it('an import that succeeds gives its warnings grouped, one line per rule', async () => {
    const res = await post(csvOf(45, (c, i) => (i < 40 ? conflict(c) : c)));
    expect(res.statusCode).toBe(200);
    const body = json<Report>(res);
    expect(body.imported).toBe(45);
    expect(body.warningCount).toBe(40);
    expect(body.warnings).toEqual([expect.stringMatching(/^warning: exploited_in_sweden_conflict: 40 rows: line 2, 3, 4, .*, 21 … and 20 more: /)]);
  });

  // Reading 35 MB of rows can take over a minute when the machine is shared and loaded; the limit is
  // room for that, not a speed requirement (bench:hostile measures the speed).
  it('answers 8.7 MB of bad rows with a bounded body and 26 MB with a 400, never a 500', { timeout: 240_000 }, async () => {
    const csv = csvOf(2, badSex).replace(/^\ufeff/, '');
    const [header, row] = csv.split('\r\n');
    // Rows long enough that 8.7 MB stays under the row limit: every bad row carries its text.
    const longRow = `${row.replace(/,$/, '')}\r\n`;
    const before = process.memoryUsage().rss;
    const mid = await post(sized(8.7 * MB, longRow, `${header}\r\n`));
    expect([400]).toContain(mid.statusCode);
    expect(mid.body.length).toBeLessThan(512 * KB);
    const midBody = json<Report & { errors: { rule: string }[] }>(mid);
    expect(midBody.errors.length).toBeLessThanOrEqual(importLimits.errorsListed);

    const big = await post(sized(26 * MB, longRow, `${header}\r\n`));
    expect(big.statusCode).toBe(400);
    expect(big.body.length).toBeLessThan(512 * KB);
    const bigBody = json<Report>(big);
    // Either the whole file was read (a bounded report) or the row limit refused it by name.
    if (bigBody.code === 'import_rejected') expect(bigBody.errors).toHaveLength(importLimits.errorsListed);
    else expect(bigBody.errors[0]).toMatchObject({ path: 'file', rule: 'row_limit' });
    expect(process.memoryUsage().rss - before).toBeLessThan(600 * MB);
  });
});
