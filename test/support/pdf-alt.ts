// Reading a rendered PDF in tests: its pages' text (poppler's pdftotext), the alternative texts of its
// Figure elements read off its own bytes (pdfinfo prints no /Alt), and the ink of a rasterised page.
import { execFileSync } from 'node:child_process';

/** The text of each page of a PDF file, whitespace collapsed. */
export function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p) => p.trim()).map((p) => p.replace(/\s+/g, ' '));
}

/** The value of a PDF literal string ( … ): escapes undone, UTF-16BE with its byte order mark decoded. */
export function pdfString(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\') {
      bytes.push(raw.charCodeAt(i) & 0xff);
      continue;
    }
    const next = raw[++i];
    const octal = raw.slice(i).match(/^[0-7]{1,3}/);
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += octal[0].length - 1;
    } else bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.slice(2)).swap16().toString('utf16le');
  return Buffer.from(bytes).toString('latin1');
}

/** The alternative texts of the Figure elements of the structure tree, in file order. */
export function figureAlts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/\/S \/Figure\s*\/Alt \(((?:\\[\s\S]|[^\\)])*)\)/g)].map((m) => pdfString(m[1]));
}

/** Share of non-white pixels of a binary greyscale PGM (P5, 8 bit), as pdftoppm -gray writes it. */
export function inkShare(pgm: Buffer): number {
  const header = pgm.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (let i = 0; i < width * height; i++) if (pixels[i] < 200) ink++;
  return ink / (width * height);
}
