// Which stored outputs a newly drawn one makes obsolete (supersededVariants): the same form drawn
// before renderers were versioned or by an earlier renderer, never a later renderer's, another
// form's, nor the new one itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supersededVariants } from '../../src/outputs/release-outputs.ts';

describe('supersededVariants', () => {
  it('names the unversioned and earlier renderers of the same form only', () => {
    const stored = ['protected-v1', 'protected-v1-r0', 'protected-v1-r1', 'protected-v1-r2', 'protected-v1-r10', 'protected-v2', 'protected-v2-r0', 'exact'];
    expect(supersededVariants('protected-v1-r2', stored).sort()).toEqual(['protected-v1', 'protected-v1-r0', 'protected-v1-r1']);
    // r10 is later than r2 as a number, not as text
    expect(supersededVariants('protected-v1-r10', stored).sort()).toEqual(['protected-v1', 'protected-v1-r0', 'protected-v1-r1', 'protected-v1-r2']);
    // a variant that is not drawn (the stored figures) supersedes nothing
    expect(supersededVariants('protected-v1', stored)).toEqual([]);
  });

  it('never names the new variant, a later renderer or another form', () => {
    const base = fc.constantFrom('protected-v1', 'protected-v2', 'civ-protected-v1');
    const variant = fc.oneof(base, fc.tuple(base, fc.nat(30)).map(([b, r]) => `${b}-r${r}`));
    fc.assert(
      fc.property(base, fc.nat(30), fc.array(variant, { maxLength: 12 }), (b, r, stored) => {
        const drawn = `${b}-r${r}`;
        const gone = supersededVariants(drawn, stored);
        for (const v of gone) {
          expect(v).not.toBe(drawn);
          expect(v === b || (v.startsWith(`${b}-r`) && Number(v.slice(b.length + 2)) < r)).toBe(true);
        }
        // and every such variant that is stored is named
        for (const v of stored) if (v === b || (v.startsWith(`${b}-r`) && Number(v.slice(b.length + 2)) < r)) expect(gone).toContain(v);
      }),
      { numRuns: 300, seed: 2026 },
    );
  });
});
