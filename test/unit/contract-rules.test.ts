// The form rules /api/codes serves (src/standard/rules.ts) are the rules validate.ts applies: a
// field the section marks required for a source gives `required` when left out, and no other
// field does; the codes it refuses and the industries-only-with-labour rule are refused. And the
// documents the server builds without a request (the codes, the catalogue) fit the contract.
import fc from 'fast-check';
import { expectTypeOf } from 'vitest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CodesDocument, Report as ContractReport, type Release as ContractRelease, type YearQuality as ContractQuality } from '../../src/contract/index.ts';
import { codesDocument } from '../../src/standard/api-codes.ts';
import { CaseInput, caseFieldNames } from '../../src/standard/case.ts';
import { source } from '../../src/standard/codes.ts';
import { caseRules } from '../../src/standard/rules.ts';
import { validateCase } from '../../src/standard/validate.ts';
import { catalogueDocument } from '../../src/stats/catalogue.ts';
import type { Release } from '../../src/stats/releases.ts';
import type { Report } from '../../src/stats/report-types.ts';
import type { YearQuality } from '../../src/stats/quality.ts';
import { arbValidCase } from '../support/arbitraries.ts';

const today = '2025-12-31';
const rules = caseRules();

/** The paths validation calls `required` for this input. */
const requiredPaths = (input: unknown) => {
  const r = validateCase(input, { today });
  return r.ok ? [] : r.errors.filter((e) => e.rule === 'required').map((e) => e.path);
};

describe('the rules section of /api/codes against validate.ts', () => {
  it('is the section /api/codes serves', () => {
    expect(codesDocument().rules).toEqual(rules);
  });

  for (const s of source.codes) {
    it(`${s}: a field is required exactly when the section says so`, () => {
      const required = new Set<string>(rules.required[s]);
      fc.assert(
        fc.property(arbValidCase({ source: s, today }), fc.constantFrom(...caseFieldNames), (valid, field) => {
          expect(requiredPaths(valid)).toEqual([]);
          const { [field]: _left, ...without } = valid as Record<string, unknown>;
          expect(requiredPaths(without), `${s} without ${field}`).toEqual(required.has(field) ? [field] : []);
          // null, where the schema allows it, is the same as left out
          if (CaseInput.shape[field].safeParse(null).success)
            expect(requiredPaths({ ...valid, [field]: null }), `${s} with ${field} null`).toEqual(required.has(field) ? [field] : []);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('names the schema\'s required fields and each source\'s own', () => {
    expect(rules.required.coordinator).toEqual(['source', 'identified_on', 'sex', 'age_group', 'region', 'crime_type', 'referred_by']);
    expect(rules.required.civil_society).toContain('organisation_id');
    expect(rules.required.civil_society).toContain('contact_type');
    expect(rules.required.support_programme).toContain('organisation_id');
    expect(rules.required.coordinator).not.toContain('organisation_id');
  });

  it('refuses the codes the section refuses for a source, and only those', () => {
    fc.assert(
      fc.property(arbValidCase({ today }), (valid) => {
        const s = valid.source as keyof typeof rules.refused;
        for (const [field, codes] of Object.entries(rules.refused[s])) {
          for (const code of codes!) {
            const r = validateCase({ ...valid, [field]: code }, { today });
            expect(r.ok ? [] : r.errors.map((e) => e.path), `${s} ${field}=${code}`).toContain(field);
          }
        }
      }),
      { numRuns: 100 },
    );
    // A coordinator's `unknown` crime type is refused; the others may answer it.
    expect(rules.refused.coordinator).toEqual({ crime_type: ['unknown'] });
    expect(rules.refused.civil_society).toEqual({});
  });

  it('answers a field of only_with only when the other field holds the code', () => {
    const [rule] = rules.only_with;
    expect(rule).toEqual({ field: 'industries', when: { field: 'exploitation_forms', includes: 'labour' }, rule: 'industries_without_labour' });
    fc.assert(
      fc.property(arbValidCase({ today }), fc.boolean(), (valid, withCode) => {
        const forms = ((valid[rule.when.field] as string[] | undefined) ?? []).filter((f) => f !== rule.when.includes);
        const input = { ...valid, [rule.when.field]: withCode ? [...forms, rule.when.includes] : forms, [rule.field]: ['cleaning'] };
        const r = validateCase(input, { today });
        const broken = !r.ok && r.errors.some((e) => e.path === rule.field && e.rule === rule.rule);
        expect(broken).toBe(!withCode);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the contract', () => {
  it('fits the codes document and the report catalogue exactly (a new key must be added to the contract)', () => {
    const r = z.safeEncode(CodesDocument, { ...codesDocument(), report: catalogueDocument() });
    expect(r.error?.issues ?? []).toEqual([]);
  });

  it('refuses an answer with a key it does not declare (so a new field is never dropped in silence)', () => {
    const report: Report = { year: 2025, release: { id: null, kind: 'live' }, settings: { unknown_age_as_adult: false }, tables: [], checks: [], quality: [] };
    expect(z.safeEncode(ContractReport, report).success).toBe(true);
    expect(z.safeEncode(ContractReport, { ...report, extra: 1 } as Report).success).toBe(false);
  });

  it('types the report, releases and quality as the services do', () => {
    // Checked by the type checker (npm run typecheck): the services' types are the contract's.
    expectTypeOf<Report>().toExtend<z.input<typeof ContractReport>>();
    expectTypeOf<Release>().toEqualTypeOf<ContractRelease>();
    // The quality route adds each check's text in words to what the service gives.
    expectTypeOf<Omit<YearQuality, 'checks'>>().toEqualTypeOf<Omit<ContractQuality, 'checks'>>();
    expectTypeOf<YearQuality['checks'][number]>().toEqualTypeOf<Omit<ContractQuality['checks'][number], 'text'>>();
  });
});
