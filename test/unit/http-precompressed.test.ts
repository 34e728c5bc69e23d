// Compressed forms of stored outputs: the coding chosen from Accept-Encoding, one compression per
// output and coding however many ask at once, the bytes decode to the output, and the cache
// stays within its bound.
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseCoding, compressedForms, compressible } from '../../src/http/precompressed.ts';

describe('chooseCoding', () => {
  it('prefers brotli, then gzip, and never a coding the client refuses', () => {
    expect(chooseCoding('gzip, deflate, br')).toBe('br');
    expect(chooseCoding('gzip')).toBe('gzip');
    expect(chooseCoding('x-gzip')).toBe('gzip');
    expect(chooseCoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseCoding('*')).toBe('br');
    expect(chooseCoding('*;q=0')).toBeNull();
    expect(chooseCoding('*, br;q=0')).toBe('gzip');
    expect(chooseCoding('identity')).toBeNull();
    expect(chooseCoding('deflate')).toBeNull();
    expect(chooseCoding(undefined)).toBeNull();
    expect(chooseCoding('')).toBeNull();
  });

  it('for any header: the answer is a coding the header accepts with q > 0', () => {
    const coding = fc.constantFrom('br', 'gzip', 'deflate', 'identity', '*', 'x-gzip', 'zstd');
    const q = fc.option(fc.constantFrom('0', '0.0', '0.5', '1', 'abc', '-1'), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.tuple(coding, q), { maxLength: 6 }), (parts) => {
        const header = parts.map(([c, v]) => (v === undefined ? c : `${c};q=${v}`)).join(', ');
        const chosen = chooseCoding(header);
        const qOf = (name: string) => {
          // The last mention of a coding wins, as the parser keeps the last.
          const hit = [...parts].reverse().find(([c]) => (c === 'x-gzip' ? 'gzip' : c) === name);
          if (!hit) return undefined;
          const v = hit[1] === undefined ? 1 : Number(hit[1]);
          return Number.isFinite(v) ? v : 0;
        };
        const accepted = (name: string) => (qOf(name) ?? qOf('*') ?? 0) > 0;
        if (chosen === null) expect(accepted('br') || accepted('gzip')).toBe(false);
        else {
          expect(accepted(chosen)).toBe(true);
          if (chosen === 'gzip') expect(accepted('br')).toBe(false);
        }
      }),
    );
  });
});

describe('compressible', () => {
  it('text formats from 1 KiB; never PDF or XLSX', () => {
    expect(compressible('application/json; charset=utf-8', 4096)).toBe(true);
    expect(compressible('text/csv; charset=utf-8', 4096)).toBe(true);
    expect(compressible('application/json', 1000)).toBe(false);
    expect(compressible('application/pdf', 1 << 20)).toBe(false);
    expect(compressible('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 1 << 20)).toBe(false);
  });
});

describe('compressedForms', () => {
  const body = Buffer.from(JSON.stringify({ rows: Array.from({ length: 2000 }, (_, i) => ({ i, label: `rad ${i}` })) }));

  it('compresses once for many concurrent requests, and the bytes decode to the body', async () => {
    const forms = compressedForms();
    const [first, ...rest] = await Promise.all(Array.from({ length: 20 }, () => forms.get('"a"', 'br', body)));
    expect(forms.stats.compressions).toBe(1);
    for (const r of rest) expect(r).toBe(first);
    expect(zlib.brotliDecompressSync(first).equals(body)).toBe(true);
    const gz = await forms.get('"a"', 'gzip', body);
    expect(zlib.gunzipSync(gz).equals(body)).toBe(true);
    expect(forms.stats.compressions).toBe(2);
    await forms.get('"a"', 'br', body);
    expect(forms.stats.compressions).toBe(2);
    expect(first.length).toBeLessThan(body.length / 5);
  });

  it('keeps within its bound, dropping the least recently used form', async () => {
    const one = (await compressedForms().get('"x"', 'gzip', body)).length;
    const forms = compressedForms(one * 2 + 10);
    await forms.get('"a"', 'gzip', body);
    await forms.get('"b"', 'gzip', body);
    await forms.get('"a"', 'gzip', body); // a is now the most recent
    await forms.get('"c"', 'gzip', body); // b goes
    expect(forms.size()).toBeLessThanOrEqual(one * 2 + 10);
    const before = forms.stats.compressions;
    await forms.get('"a"', 'gzip', body);
    expect(forms.stats.compressions).toBe(before);
    await forms.get('"b"', 'gzip', body);
    expect(forms.stats.compressions).toBe(before + 1);
  });
});
