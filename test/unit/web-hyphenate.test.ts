// The joints of the headings' long compounds: a soft hyphen only inside a listed word, at its joints.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hyphenate, hyphenatedWords, SHY } from '../../src/publish/hyphenate.ts';

describe('hyphenate', () => {
  it('breaks the listed compounds at their joints, in any case', () => {
    expect(hyphenate('Statistik om människohandel och Människoexploatering 2025')).toBe(`Statistik om människo${SHY}handel och Människo${SHY}exploatering 2025`);
    expect(hyphenate('ARBETSPLATSINSPEKTIONER')).toBe(`ARBETS${SHY}PLATS${SHY}INSPEKTIONER`);
    // A word that only begins with a listed one is not in the list.
    expect(hyphenate('människohandelns')).toBe('människohandelns');
  });

  it('gives back its input without the soft hyphens, and touches no word outside the list', () => {
    const listed = fc.constantFrom(...hyphenatedWords);
    const other = fc.stringMatching(/^[a-zåäöA-ZÅÄÖ]{1,24}$/).filter((w) => !hyphenatedWords.includes(w.toLocaleLowerCase('sv')));
    const sep = fc.constantFrom(' ', ', ', '. ', ' – ', '\u00a0');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(listed, other), sep), { maxLength: 8 }), (words) => {
        const text = words.map(([w, s]) => w + s).join('');
        const out = hyphenate(text);
        expect(out.replaceAll(SHY, '')).toBe(text);
        const outWords = out.split(/[^\p{L}\u00ad]+/u).filter(Boolean);
        for (const w of outWords) {
          const plain = w.replaceAll(SHY, '');
          if (!hyphenatedWords.includes(plain.toLocaleLowerCase('sv'))) expect(w).toBe(plain);
          else expect(w).not.toBe(plain);
          expect(w.startsWith(SHY) || w.endsWith(SHY)).toBe(false);
        }
      }),
    );
  });
});
