// No field of the data standard is free text, so no string in a case may hold a control
// character (C0 or DEL), wherever it comes from: the API's JSON or a CSV cell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { casesToCsv, parseCasesCsv } from '../../src/standard/csv.ts';
import { CONTROL_CHARACTERS, validateCase } from '../../src/standard/validate.ts';
import { arbValidCase } from '../support/arbitraries.ts';

const today = '2026-06-15';
const arbControl = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCharCode(c));

/** Every string in a value with its dotted path (the case is small and flat enough for recursion). */
function stringPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringPaths(v, path ? `${path}.${k}` : k));
}

function setAt(root: Record<string, unknown>, path: string, f: (s: string) => string) {
  const keys = path.split('.');
  let o = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  o[last] = f(o[last] as string);
}

/** A valid case with a control character put into one of its strings (`inside`: never first or last). */
const arbTainted = (inside: boolean) =>
  arbValidCase({ today })
    .chain((input) => {
      const paths = stringPaths(input);
      return fc.record({ input: fc.constant(input), path: fc.constantFrom(...paths), control: arbControl, at: fc.nat() });
    })
    .map(({ input, path, control, at }) => {
      const copy = structuredClone(input) as Record<string, unknown>;
      setAt(copy, path, (s) => {
        const i = inside ? 1 + (at % Math.max(1, s.length - 1)) : at % (s.length + 1);
        return s.slice(0, i) + control + s.slice(i);
      });
      return { original: input, input: copy, path };
    });

const at = (root: unknown, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], root);

describe('the control-character rule of the standard', () => {
  it('the rule covers exactly C0 and DEL', () => {
    for (let c = 0; c < 0x250; c++) expect(CONTROL_CHARACTERS.test(String.fromCharCode(c)), `U+${c.toString(16)}`).toBe(c < 0x20 || c === 0x7f);
  });

  it('a control character anywhere in any string of a valid case is one error: that path, rule control_characters', () => {
    fc.assert(
      fc.property(arbTainted(false), ({ input, path }) => {
        const r = validateCase(input, { today });
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.errors.map((e) => [e.path, e.rule])).toEqual([[path, 'control_characters']]);
        expect(r.errors[0].message.sv).toMatch(/styrtecken/);
        expect(r.errors[0].message.en).toMatch(/control characters/);
      }),
      { numRuns: 300 },
    );
  });

  it('a CSV cell with a control character inside a value is refused under the same rule and column', () => {
    fc.assert(
      fc.property(
        // Export writes a value of one character as it is, and trimming would take a control at its end.
        arbTainted(true).filter(({ original, path }) => (at(original, path) as string).length >= 2),
        ({ original, input, path }) => {
          const valid = validateCase(original, { today });
          if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
          const tainted = structuredClone(valid.data) as Record<string, unknown>;
          setAt(tainted, path, () => at(input, path) as string);
          const { headerErrors, rows } = parseCasesCsv(casesToCsv([tainted as never]), { today });
          expect(headerErrors).toEqual([]);
          expect(rows).toHaveLength(1);
          const column = path.split('.').filter((p) => !/^\d+$/.test(p))[0];
          expect(rows[0].errors.map((e) => e.rule)).toContain('control_characters');
          expect(rows[0].errors.every((e) => e.rule === 'control_characters' && e.path.startsWith(column))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
