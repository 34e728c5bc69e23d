// The linkage key (docs/linkage-key.md): the test vectors, checked against Node's own HMAC as an
// independent second implementation, and properties of the normalisation.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LINKAGE_KEY_PATTERN,
  LinkageInputError,
  TRANSLITERATION,
  linkageKey,
  linkageMessage,
  nameLetters,
  normaliseBirthDate,
  normaliseNameLetters,
  parseYearKey,
  type LinkageParticulars,
} from '../../src/standard/linkage.ts';
import { validateCase } from '../../src/standard/validate.ts';
import vectorsFile from '../fixtures/linkage-vectors.json' with { type: 'json' };

type Vectors = {
  year_keys: Record<string, string>;
  vectors: { note: string; year: string; input: LinkageParticulars; normalised: string; key: string }[];
  invalid: { note: string; input: LinkageParticulars; field: string; problem: string }[];
};
const file = vectorsFile as Vectors;

describe('linkage key: the test vectors', () => {
  it.each(file.vectors.map((v) => [v.note, v] as const))('%s', async (_note, v) => {
    expect(linkageMessage(v.input)).toBe(v.normalised);
    // an independent HMAC-SHA-256 over the normalised string gives the vector's key
    const independent = createHmac('sha256', Buffer.from(file.year_keys[v.year], 'hex')).update(v.normalised, 'utf8').digest('hex');
    expect(independent).toBe(v.key);
    expect(await linkageKey(file.year_keys[v.year], v.input)).toBe(v.key);
    expect(v.key).toMatch(LINKAGE_KEY_PATTERN);
  });

  it('the vectors show what the normalisation is for: the same person written differently, one key; another year, another key', () => {
    const byNote = (start: string) => file.vectors.find((v) => v.note.startsWith(start))!;
    expect(byNote('the same person written differently').key).toBe(byNote('plain ISO date').key);
    expect(byNote('the same letters without diacritics').key).toBe(byNote('Swedish diacritics').key);
    expect(byNote('the first vector under another year').key).not.toBe(byNote('plain ISO date').key);
    expect(new Set(file.vectors.map((v) => v.key)).size).toBe(file.vectors.length - 2);
  });

  it.each(file.invalid.map((v) => [v.note, v] as const))('refuses %s, naming the field and not the value', async (_note, v) => {
    const err = await linkageKey(file.year_keys['2025'], v.input).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(LinkageInputError);
    expect(err).toMatchObject({ field: v.field, problem: v.problem });
    const message = (err as Error).message;
    for (const value of Object.values(v.input)) if (typeof value === 'string' && value.trim().length > 2) expect(message).not.toContain(value);
  });
});

describe('linkage key: the year key file', () => {
  it('reads 64 hex characters of either case with white space around, and nothing else', () => {
    expect(Array.from(parseYearKey(`  ${file.year_keys['2025'].toUpperCase()}\n`))).toEqual(Array.from({ length: 32 }, (_, i) => i));
    for (const bad of ['', 'abc', file.year_keys['2025'].slice(1), `${file.year_keys['2025']}00`, `${file.year_keys['2025'].slice(2)}zz`])
      expect(() => parseYearKey(bad)).toThrow(LinkageInputError);
  });
});

describe('linkage key: the date of birth', () => {
  const date = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  it('gives YYYYMMDD for every real day in any of the accepted separators', () => {
    fc.assert(
      fc.property(date, fc.constantFrom('-', '/', '.', ' ', ''), (iso, sep) => {
        expect(normaliseBirthDate(iso.replaceAll('-', sep))).toBe(iso.replaceAll('-', ''));
      }),
    );
  });
  it('refuses days that do not exist', () => {
    for (const bad of ['2023-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '1899-12-31'])
      expect(() => normaliseBirthDate(bad), bad).toThrow(LinkageInputError);
    expect(normaliseBirthDate('2000-02-29')).toBe('20000229');
  });
});

// Names over the alphabets the table covers: Latin with and without diacritics, Cyrillic, Greek,
// Arabic script, and separators.
const latin = 'abcdefghijklmnopqrstuvwxyzåäöéèêëüïçñøæœłßđþ';
const cyrillic = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґђјљњћџ';
const greek = 'αβγδεζηθικλμνξοπρστυφχψωάέήίόύώς';
const arabic = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوييىةءپچژگکیأإآ';
const separators = " -'ʼ.";
const nameChar = fc.constantFrom(...[...latin, ...latin.toUpperCase(), ...cyrillic, ...cyrillic.toUpperCase(), ...greek, ...arabic, ...separators]);
const name = fc.array(nameChar, { maxLength: 12 }).map((cs) => cs.join(''));
const withMarks = fc.array(fc.tuple(fc.constantFrom(...latin), fc.constantFrom('', '\u0301', '\u0300', '\u0308', '\u030a', '\u0327', '\u0303')), { maxLength: 12 })
  .map((ps) => ps.map(([c, m]) => c + m).join(''));

describe('linkage key: the name letters (properties)', () => {
  it('gives only the letters A–Z', () => {
    fc.assert(fc.property(name, (n) => { expect(normaliseNameLetters(n)).toMatch(/^[A-Z]*$/); }));
  });
  it('is idempotent, and so is taking the first two letters', () => {
    fc.assert(
      fc.property(name, (n) => {
        const once = normaliseNameLetters(n);
        expect(normaliseNameLetters(once)).toBe(once);
        if (once !== '') expect(nameLetters(nameLetters(n))).toBe(nameLetters(n));
      }),
    );
  });
  it('does not depend on letter case', () => {
    fc.assert(fc.property(name, (n) => { expect(normaliseNameLetters(n.toUpperCase())).toBe(normaliseNameLetters(n.toLowerCase())); }));
  });
  it('does not depend on diacritics, nor on composed or decomposed form', () => {
    fc.assert(
      fc.property(withMarks, (n) => {
        const plain = n.normalize('NFD').replace(/\p{M}/gu, '');
        expect(normaliseNameLetters(n)).toBe(normaliseNameLetters(plain));
        expect(normaliseNameLetters(n.normalize('NFC'))).toBe(normaliseNameLetters(n.normalize('NFD')));
      }),
    );
  });
  it('skips separators wherever they stand', () => {
    fc.assert(
      fc.property(name, fc.constantFrom(...separators), fc.nat(), (n, sep, at) => {
        const i = n.length === 0 ? 0 : at % (n.length + 1);
        expect(normaliseNameLetters(n.slice(0, i) + sep + n.slice(i))).toBe(normaliseNameLetters(n));
      }),
    );
  });
  it('writes every letter of the table as Latin capitals, and refuses a script outside it', () => {
    for (const [from, to] of Object.entries(TRANSLITERATION)) {
      expect(to).toMatch(/^[A-Z]*$/);
      expect(normaliseNameLetters(from)).toBe(to);
    }
    for (const other of ['王', 'ሰላም', 'שלום', 'नमस्ते', 'ท'])
      expect(() => normaliseNameLetters(other, 'family_name')).toThrow(LinkageInputError);
  });
});

describe('linkage key: the key (properties)', () => {
  it('is 64 lower-case hex, and equal for inputs that normalise alike', async () => {
    const yearKey = file.year_keys['2025'];
    await fc.assert(
      fc.asyncProperty(withMarks.filter((n) => /[a-z]/.test(n)), withMarks.filter((n) => /[a-z]/.test(n)), async (given, family) => {
        const p = { birth_date: '1990-04-17', given_name: given, family_name: family, sex: 'female', nationality: 'se' };
        const key = await linkageKey(yearKey, p);
        expect(key).toMatch(LINKAGE_KEY_PATTERN);
        const same = { ...p, birth_date: '19900417', given_name: given.toUpperCase().normalize('NFD').replace(/\p{M}/gu, ''), nationality: 'SE' };
        expect(await linkageKey(yearKey, same)).toBe(key);
      }),
      { numRuns: 50 },
    );
  });
});

describe('the registry accepts only well-formed keys', () => {
  const base = { source: 'coordinator', region: 'syd', identified_on: '2025-03-01', crime_type: 'trafficking', sex: 'female', age_group: 'adult', referred_by: 'police' };
  const errorsOf = (linkage_key: unknown) => {
    const r = validateCase({ ...base, linkage_key }, { today: '2026-06-15' });
    return r.ok ? [] : r.errors.filter((e) => e.path === 'linkage_key');
  };
  it('accepts the key of every vector, and no key at all', () => {
    for (const v of file.vectors) expect(errorsOf(v.key)).toEqual([]);
    expect(errorsOf(null)).toEqual([]);
  });
  it('refuses anything but 64 lower-case hex characters, without repeating the value', () => {
    const k = file.vectors[0].key;
    for (const bad of [k.toUpperCase(), k.slice(1), `${k}0`, `${k.slice(1)}g`, `${k.slice(2)} 0`, 'SameKey-0123456789', '', ' '.repeat(64)]) {
      const errors = errorsOf(bad);
      expect(errors, bad).toHaveLength(1);
      expect(JSON.stringify(errors)).not.toContain(bad.trim() || '\u0000');
    }
  });
  it('refuses a generated string unless it is 64 lower-case hex', () => {
    fc.assert(fc.property(fc.string({ maxLength: 70 }), (s) => {
      expect(errorsOf(s).length === 0).toBe(LINKAGE_KEY_PATTERN.test(s));
    }));
  });
});
