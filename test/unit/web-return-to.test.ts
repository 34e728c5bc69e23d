// The sign-in page's `next`: only a path on this site is followed; anything else, however it is
// disguised, falls back to the start page, and nothing throws.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { homePath, safeNext } from '../../web/src/returnTo.ts';

const START = '/oversikt';

describe('safeNext', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNext('/arenden', START)).toBe('/arenden');
    expect(safeNext('/arenden/LB-2025-0001/andra', START)).toBe('/arenden/LB-2025-0001/andra');
    expect(safeNext('/statistiker/utgavor?sida=2#topp', START)).toBe('/statistiker/utgavor?sida=2#topp');
    expect(safeNext('/arenden/%C3%A5', START)).toBe('/arenden/%C3%A5');
  });

  it('falls back for other sites, schemes and disguises', () => {
    for (const hostile of [
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      '//evil.example',
      '///evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example/',
      'http:evil.example',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' /arenden',
      'data:text/html,hi',
      'arenden',
      '',
      '/'.repeat(3000),
    ]) {
      expect(safeNext(hostile, START), JSON.stringify(hostile)).toBe(START);
    }
    expect(safeNext(null, START)).toBe(START);
    expect(safeNext(undefined, START)).toBe(START);
  });

  it('never throws, and whatever it returns resolves to this site', () => {
    const pieces = fc.constantFrom('/', '\\', '//', ':', '.', 'evil.example', 'javascript:', '%2f', '%5c', '\t', '\n', '@', '?', '#', 'a', 'https:', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 8 }).map((p) => p.join(''))), (next) => {
        const out = safeNext(next, START);
        expect(out.startsWith('/') && !out.startsWith('//') && !out.includes('\\')).toBe(true);
        expect(new URL(out, 'https://lagesbild.example').origin).toBe('https://lagesbild.example');
      }),
      { numRuns: 500 },
    );
  });
});

describe('homePath', () => {
  it('sends the administrator to the users, every other role to the overview', () => {
    expect(homePath('admin')).toBe('/admin/anvandare');
    for (const role of ['coordinator', 'statistician', 'organisation_reporter', 'programme_officer', undefined]) expect(homePath(role)).toBe('/oversikt');
  });
});
