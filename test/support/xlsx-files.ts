// Workbooks written by hand, zip byte by byte, so that a file can say anything: a range that
// claims a million rows, a cell at column XFD, an entry whose directory lies about its size, a
// sheet that inflates a thousandfold. Used by the import-bounds tests and bench/hostile.ts.
import { createDeflateRaw, deflateRawSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One entry: its stored bytes and what the directory declares about them. */
export type Entry = { name: string; data: Buffer; method?: number; size?: number; crc?: number; flags?: number };

/** A deflated entry; `size` may be given to make the directory lie about it. */
export const deflated = (name: string, text: string | Buffer, size?: number): Entry => {
  const raw = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { name, data: deflateRawSync(raw), method: 8, size: size ?? raw.length, crc: crc32(raw) };
};

export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.method ?? 0;
    const size = e.size ?? e.data.length;
    const crc = e.crc ?? crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.flags ?? 0, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const workbookXml =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ärenden" sheetId="1" r:id="rId1"/></sheets></workbook>';
export const relsXml =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
export const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** A workbook whose first sheet is `sheet` (an entry, so that it may lie or be a bomb). */
export const workbook = (sheet: Entry, extra: Entry[] = []) =>
  zip([deflated('xl/workbook.xml', workbookXml), deflated('xl/_rels/workbook.xml.rels', relsXml), sheet, ...extra]);
export const sheetEntry = (rows: string) => deflated('xl/worksheets/sheet1.xml', sheetXml(rows));
export const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A deflated entry of `repeat` copies of `unit` between `head` and `tail`, compressed as a stream (memory stays small). */
export async function deflatedBomb(name: string, head: string, unit: string, repeat: number, tail: string, declaredSize?: number): Promise<Entry> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))));
  const perBlock = block.length / Buffer.byteLength(unit);
  deflate.write(head);
  let left = repeat;
  while (left >= perBlock) {
    if (!deflate.write(block)) await new Promise((r) => deflate.once('drain', r));
    left -= perBlock;
  }
  deflate.write(unit.repeat(left));
  deflate.end(tail);
  await done;
  const size = Buffer.byteLength(head) + Buffer.byteLength(unit) * repeat + Buffer.byteLength(tail);
  return { name, data: Buffer.concat(out), method: 8, size: declaredSize ?? Math.min(size, 0xfffffffe), crc: 0 };
}

/** A sheet of 1,048,576 rows × 4 numeric cells: about 75 MB of XML in a workbook of a few hundred KB. */
export async function millionRowWorkbook(): Promise<Buffer> {
  const row = '<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>';
  return workbook(await deflatedBomb('xl/worksheets/sheet1.xml', sheetXml('').replace('</sheetData></worksheet>', ''), row, 1_048_576, '</sheetData></worksheet>'));
}

/** Cells at A1, XFD1 and A1048576: the widest and tallest used range in under a kilobyte. */
export function farCornersWorkbook(): Buffer {
  return workbook(sheetEntry(`<row r="1">${cell('A1', 'source')}${cell('XFD1', 'x')}</row><row r="1048576">${cell('A1048576', 'y')}</row>`));
}
