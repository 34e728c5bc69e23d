// The bounds of an import: spreadsheets that describe a million rows or a cell at column XFD in a
// few kilobytes, zip bombs and broken zips are refused with a 400 naming the limit, before the
// server's memory grows with them; CSV is read as a stream, in any chunking, with its quoted line
// breaks, byte-order mark and CRLF, and gives back exactly the cases that were written.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/access/actor.ts';
import { ImportLimitError, importLimits } from '../../src/registry/limits.ts';
import { importCases } from '../../src/registry/transfer.ts';
import { SpreadsheetError, XLSX_CONTENT_TYPE, xlsxRecords, xlsxToCsv } from '../../src/registry/xlsx.ts';
import { CaseTableReader, casesToCsv, csvColumns, csvRecords, type CsvRecord } from '../../src/standard/csv.ts';
import type { Database } from '../../src/store/db.ts';
import { arbCaseData } from '../support/arbitraries.ts';
import { cell, deflated, deflatedBomb, relsXml, sheetEntry, sheetXml, workbook, workbookXml, zip } from '../support/xlsx-files.ts';
import { dbTargets, openTestDatabase } from '../support/db.ts';
import { importableCases, json, openTestApp, type ApiErrorBody, type TestApp } from '../support/http.ts';

async function records(file: Buffer): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of xlsxRecords(file)) out.push(r);
  return out;
}
const refusal = (file: Buffer) => records(file).then(() => null, (e: unknown) => e);
const rss = () => process.memoryUsage().rss;
const MB = 1024 * 1024;

// ---- spreadsheets --------------------------------------------------------------------------------

describe('XLSX bounds', () => {
  it('reads a small hand-written workbook', async () => {
    const file = workbook(sheetEntry(`<row r="1">${cell('A1', 'a')}${cell('C1', 'c')}</row><row r="3">${cell('B3', 'x &amp; y')}</row>`));
    expect(await records(file)).toEqual([
      { line: 1, cells: ['a', '', 'c'] },
      { line: 2, cells: [] },
      { line: 3, cells: ['', 'x & y'] },
    ]);
  });

  it('refuses cells at A1, XFD1 and A1048576 naming the limit, without expanding the range', async () => {
    const before = rss();
    const bomb = workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}${cell('XFD1', 'x')}</row><row r="1048576">${cell('A1048576', 'y')}</row>`));
    expect(bomb.length).toBeLessThan(2048);
    const e = await refusal(bomb);
    expect(e).toBeInstanceOf(ImportLimitError);
    expect((e as ImportLimitError).rule).toBe('column_limit');
    // Without the far column, the far row is what is refused.
    const tall = workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}</row><row r="1048576">${cell('A1048576', 'y')}</row>`));
    expect(((await refusal(tall)) as ImportLimitError).rule).toBe('row_limit');
    expect(rss() - before).toBeLessThan(300 * MB);
  });

  it('refuses a tiny workbook of 1,048,576 rows × 4 columns naming the row limit', async () => {
    const row = '<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>';
    const sheet = await deflatedBomb('xl/worksheets/sheet1.xml', sheetXml('').replace('</sheetData></worksheet>', ''), row, 1_048_576, '</sheetData></worksheet>');
    const file = workbook(sheet);
    expect(file.length).toBeLessThan(1 * MB);
    const before = rss();
    const e = (await refusal(file)) as ImportLimitError;
    expect(e).toBeInstanceOf(ImportLimitError);
    expect(e.rule).toBe('row_limit');
    expect(e.text.sv).toMatch(/100\s000/);
    expect(e.text.en).toContain('100,000');
    expect(rss() - before).toBeLessThan(300 * MB);
  });

  it('refuses a styled empty range past the cell limit, though no cell holds data', async () => {
    const unit = `<row>${'<c s="1"/>'.repeat(10)}</row>`;
    const sheet = await deflatedBomb('xl/worksheets/sheet1.xml', sheetXml('').replace('</sheetData></worksheet>', ''), unit, importLimits.cells / 10 + 1, '</sheetData></worksheet>');
    expect(((await refusal(workbook(sheet))) as ImportLimitError).rule).toBe('cell_limit');
  });

  it('refuses a zip-bomb cell, whether the directory tells its size or lies about it', async () => {
    const head = sheetXml('').replace('</sheetData></worksheet>', '<row r="1"><c r="A1" t="inlineStr"><is><t>');
    const tail = '</t></is></c></row></sheetData></worksheet>';
    const before = rss();
    // 300 MB of one letter: refused by the declared size before anything is inflated ...
    const honest = await deflatedBomb('xl/worksheets/sheet1.xml', head, 'a', 300 * MB, tail);
    expect(honest.data.length).toBeLessThan(1 * MB);
    expect(((await refusal(workbook(honest))) as ImportLimitError).rule).toBe('sheet_size');
    // ... and, when the directory claims 100 bytes, while inflating.
    const liar = { ...honest, size: 100 };
    expect(((await refusal(workbook(liar))) as ImportLimitError).rule).toBe('sheet_size');
    // The same bomb as shared strings.
    const strings = await deflatedBomb('xl/sharedStrings.xml', '<sst><si><t>', 'a', 300 * MB, '</t></si></sst>', 100);
    const withStrings = workbook(sheetEntry(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`), [strings]);
    expect(((await refusal(withStrings)) as ImportLimitError).rule).toBe('sheet_size');
    expect(rss() - before).toBeLessThan(300 * MB);
  });

  it('refuses malformed zips as unreadable workbooks', async () => {
    const good = workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}</row>`));
    const sheet = sheetEntry('<row r="1"></row>');
    const malformed: Record<string, Buffer> = {
      'not a zip': Buffer.from('PK but nothing else'),
      empty: Buffer.alloc(0),
      'cut in half': good.subarray(0, good.length >> 1),
      'no workbook part': zip([sheet]),
      'no sheet part': zip([deflated('xl/workbook.xml', workbookXml), deflated('xl/_rels/workbook.xml.rels', relsXml)]),
      encrypted: workbook({ ...sheet, flags: 1 }),
      'unknown compression': workbook({ ...sheet, method: 12 }),
      'broken deflate data': workbook({ ...sheet, data: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]) }),
      'directory pointing past the end': (() => {
        const z = Buffer.from(good);
        z.writeUInt32LE(z.length + 1000, z.length - 22 + 16);
        return z;
      })(),
    };
    for (const [what, file] of Object.entries(malformed)) expect(await refusal(file), what).toBeInstanceOf(SpreadsheetError);
  });

  it('any corruption of a workbook gives its rows or a named refusal, never another error', async () => {
    const good = workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}${cell('B1', 'sex')}</row><row r="2">${cell('A2', 'coordinator')}<c r="B2"><v>3</v></c></row>`));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
        const file = Buffer.from(good);
        for (const [at, byte] of edits) file[at] = byte;
        const e = await refusal(file);
        expect(e === null || e instanceof SpreadsheetError || e instanceof ImportLimitError, String(e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(dbTargets())('bombs through POST /api/import on %s', (target) => {
  let t: TestApp;
  const token = 'bounds-test-token';
  beforeAll(async () => {
    t = await openTestApp(target, { localToken: token });
  });
  afterAll(async () => t?.close());
  const post = (payload: Buffer | string, contentType = XLSX_CONTENT_TYPE) =>
    t.app.inject({ method: 'POST', url: '/api/import', payload, headers: { 'content-type': contentType, 'x-lagesbild-local-token': token, 'accept-language': 'en' } });

  it('answers the A1/XFD1/A1048576 workbook and the million-row one with a 400 naming the limit, RSS staying low', async () => {
    const before = rss();
    const far = workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}${cell('XFD1', 'x')}</row><row r="1048576">${cell('A1048576', 'y')}</row>`));
    const res = await post(far);
    expect(res.statusCode).toBe(400);
    expect(json<ApiErrorBody>(res).errors).toEqual([expect.objectContaining({ path: 'file', rule: 'column_limit', message: expect.stringContaining(String(importLimits.columns)) })]);

    const row = '<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>';
    const tall = workbook(await deflatedBomb('xl/worksheets/sheet1.xml', sheetXml('').replace('</sheetData></worksheet>', ''), row, 1_048_576, '</sheetData></worksheet>'));
    const res2 = await post(tall);
    expect(res2.statusCode).toBe(400);
    expect(json<ApiErrorBody>(res2).errors[0]).toMatchObject({ path: 'file', rule: 'row_limit' });
    expect(json<ApiErrorBody>(res2).errors[0].message).toContain('100,000');
    expect(rss() - before).toBeLessThan(300 * MB);
  });

  it('answers a malformed workbook and an oversized CSV without a 500', async () => {
    const bad = await post(Buffer.from('PK\u0003\u0004 truncated'));
    expect(bad.statusCode).toBe(400);
    expect(json<ApiErrorBody>(bad).errors[0]).toMatchObject({ path: 'file', rule: 'xlsx' });
    // A CSV past the size limit: refused as it streams in, naming the limit.
    const header = csvColumns.join(',') + '\n';
    const big = header + 'x'.repeat(1000).concat('\n').repeat(Math.ceil(importLimits.csvBytes / 1001) + 10);
    const res = await post(big, 'text/csv');
    expect(res.statusCode).toBe(413);
    expect(json<ApiErrorBody>(res).errors[0]).toMatchObject({ path: 'file', rule: 'file_size' });
  });
});

// ---- CSV through the streaming reader -------------------------------------------------------------

async function* chunked(text: string, cuts: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(bytes.length, cut);
    if (to > at) yield bytes.subarray(at, to);
    at = Math.max(at, to);
  }
  if (at < bytes.length) yield bytes.subarray(at);
}
async function collect(source: AsyncIterable<CsvRecord>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of source) out.push(r);
  return out;
}

describe('CSV read as a stream', () => {
  it('gives back the written cases, however the bytes are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbCaseData({ today: '2026-06-30' }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(20_000), { maxLength: 12 }), async (cases, cuts) => {
        const csv = casesToCsv(cases);
        const reader = new CaseTableReader({ today: '2026-06-30' });
        const data = [];
        for await (const record of csvRecords(chunked(csv, cuts))) {
          const row = reader.read(record);
          if (row) {
            expect(row.errors).toEqual([]);
            data.push(row.data);
          }
        }
        expect(reader.finish()).toEqual([]);
        expect(data).toEqual(cases);
      }),
      { numRuns: 60 },
    );
  });

  it('counts lines as the file does: quoted line breaks, CRLF, CR and a byte-order mark', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'ö', ',', '"', '\n', '\r\n', ' ', '€') }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (rows, eol, bom, cuts) => {
          const quoteCell = (c: string) => `"${c.replace(/"/g, '""')}"`;
          const text = (bom ? '\ufeff' : '') + rows.map((r) => r.map(quoteCell).join(',')).join(eol) + eol;
          const got = await collect(csvRecords(chunked(text, cuts)));
          expect(got.map((r) => r.cells)).toEqual(rows);
          // Each record starts on the line after the previous record's last line.
          let line = 1;
          got.forEach((r, i) => {
            expect(r.line).toBe(line);
            line += 1 + (rows[i].join(',').match(/\r\n|\n/g)?.length ?? 0);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reports an unclosed quote at the line it opens, and a runaway record as the record limit', async () => {
    const got = await collect(csvRecords('a,b\n1,2\n3,"open\n4,5\n'));
    expect(got.at(-1)).toMatchObject({ line: 3, unclosed: true });
    const long = await collect(csvRecords(chunked(`a,b\n1,2\n"${'x'.repeat(importLimits.recordChars + 10)}\n`, [1000, 50_000]), { maxRecordChars: importLimits.recordChars })).catch((e) => e);
    expect(long).toMatchObject({ name: 'CsvRecordTooLong', line: 3 });
  });
});

describe.each(dbTargets())('CSV limits of an import on %s', (target) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(target);
  });
  afterAll(async () => db?.close());
  const actor = systemActor('bounds-test');
  const limitOf = (source: Parameters<typeof importCases>[2]) =>
    importCases(db.db, actor, source).then(
      () => null,
      (e: unknown) => (e instanceof ImportLimitError ? e.rule : e),
    );

  it('refuses more rows than the limit, a longer record, more columns and more bytes, writing nothing', async () => {
    const csv = casesToCsv(importableCases(1, 7));
    const [header, row] = csv.replace(/^\ufeff/, '').split('\r\n');
    async function* rows(n: number) {
      yield header + '\r\n';
      for (let i = 0; i < n; i += 1000) yield `${row}\r\n`.repeat(Math.min(1000, n - i));
    }
    expect(await limitOf({ csv: rows(importLimits.rows + 1) })).toBe('row_limit');
    expect(await limitOf({ csv: `${header}\r\n"${'x'.repeat(importLimits.recordChars + 10)}"\r\n` })).toBe('record_size');
    expect(await limitOf({ csv: `${header}\r\n${','.repeat(importLimits.columns)}x\r\n` })).toBe('column_limit');
    async function* bytes() {
      // Blank lines: no row to count or check, only bytes.
      const block = Buffer.from(`${' '.repeat(1023)}\n`.repeat(1024));
      for (let i = 0; i <= importLimits.csvBytes / MB; i++) yield block;
    }
    expect(await limitOf({ csv: bytes() })).toBe('file_size');
    // Rows within the limits are taken through the same reader.
    const atLimit = await importCases(db.db, actor, { csv: rows(3) });
    expect(atLimit).toMatchObject({ ok: true, imported: 3 });
  });

  it('reads a workbook through the same import, its rows named by sheet row', async () => {
    const csv = casesToCsv(importableCases(2, 8)).replace(/^\ufeff/, '');
    const table = csv.trim().split('\r\n').map((l) => l.split(','));
    const col = (i: number) => { let s = ''; for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s; return s; };
    const xml = table.map((cells, r) => `<row r="${r + 1}">${cells.map((c, i) => (c ? cell(`${col(i)}${r + 1}`, c) : '')).join('')}</row>`).join('');
    const file = workbook(sheetEntry(xml));
    expect((await xlsxToCsv(file)).trim().split('\n')).toHaveLength(3);
    const broken = workbook(sheetEntry(xml.replace(/<row r="3">.*?<\/row>/, (r) => r.replace(/>(female|male|other|unknown)</, '>zz<'))));
    const result = await importCases(db.db, actor, { xlsx: broken }, { lang: 'en' });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ line: 3, field: 'sex' });
  });
});
