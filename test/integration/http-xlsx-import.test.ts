// Spreadsheets import like CSV files: the first sheet of an XLSX workbook is the table, a bad
// row is named by its sheet row, and an unreadable workbook is a clear 400, never a 500.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesToCsv } from '../../src/standard/csv.ts';
import { XLSX_CONTENT_TYPE, xlsxToCsv } from '../../src/registry/xlsx.ts';
import type { CaseData } from '../../src/standard/case.ts';
import { dbTargets } from '../support/db.ts';
import { importableCases, json, openTestApp, type TestApp } from '../support/http.ts';

const token = 'xlsx-test-token';

/** A workbook whose first sheet holds the CSV table, with dates as real dates and numbers as numbers, as a person's spreadsheet would. */
async function workbookOf(csv: string): Promise<Buffer> {
  const rows: string[][] = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true });
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Ärenden');
  const header = rows[0];
  for (const row of rows) {
    sheet.addRow(
      row.map((cell, i) => {
        if (row === header || cell === '') return cell === '' ? null : cell;
        if (header[i] === 'identified_on') return new Date(`${cell}T00:00:00Z`);
        if (header[i] === 'age') return Number(cell);
        if (header[i] === 'workplace_inspection') return cell === 'true';
        return cell;
      }),
    );
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('the first sheet as CSV', () => {
  it('gives back the same table, dates as YYYY-MM-DD and booleans as true/false', async () => {
    const cases = importableCases(25, 5);
    const csv = casesToCsv(cases);
    const back: string[][] = parse(await xlsxToCsv(await workbookOf(csv)));
    const original: string[][] = parse(csv.replace(/^\uFEFF/, ''));
    expect(back).toEqual(original);
  });

  it('refuses what is not a workbook with a named error', async () => {
    const err = await xlsxToCsv(Buffer.from('PK this is no zip')).catch((e) => e);
    expect(err.code).toBe('validation');
    expect(err.text.sv).toMatch(/XLSX/);
  });
});

describe.each(dbTargets())('XLSX import through the API on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
  });
  afterAll(async () => t?.close());

  const post = (payload: Buffer, contentType = XLSX_CONTENT_TYPE) =>
    t.app.inject({ method: 'POST', url: '/api/import', payload, headers: { 'content-type': contentType, 'x-lagesbild-local-token': token } });

  it('imports a valid workbook and rejects one with a bad row by its sheet row, writing nothing', async () => {
    const statistician = await t.as({ role: 'statistician' });
    const count = async () => json(await statistician.inject({ method: 'GET', url: '/api/cases?pageSize=1' })).total as number;
    const good = importableCases(12, 21);
    const ok = await post(await workbookOf(casesToCsv(good)));
    expect(ok.statusCode).toBe(200);
    expect(json(ok).imported).toBe(12);
    expect(await count()).toBe(12);

    const rows: unknown[] = importableCases(6, 22);
    rows[3] = { ...(rows[3] as CaseData), age: 9, age_group: 'adult' };
    const bad = await post(await workbookOf(casesToCsv(rows as CaseData[])));
    expect(bad.statusCode).toBe(400);
    // header in row 1, so the fourth case is sheet row 5
    expect(json(bad).problems).toEqual([expect.stringMatching(/^line 5: age_group: \S/)]);
    expect(await count()).toBe(12);
  });

  it('answers an unreadable workbook with 400 naming the file, never a 500', async () => {
    const res = await post(Buffer.from('not a workbook at all'));
    expect(res.statusCode).toBe(400);
    expect(json(res).errors[0]).toMatchObject({ path: 'file', rule: 'xlsx' });
  });
});
