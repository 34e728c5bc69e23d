// Disclosure control of a source's report (src/stats/sources/protection.ts), on a small report of
// its own (a table each person is in one row of, a list question, a cross table by year): the
// problem's relations hold on the counts, and the protected form prints no unsafe count, hides a
// suppressed cell's percent, keeps every code in order, and its audit gives every suppressed unsafe
// cell an interval at least the policy's width. Across a sensitive axis of a cross table, the one
// cell holding all of a group's persons is never printed (group disclosure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyDocument } from '../../src/stats/protection.ts';
import { computeSourceReport } from '../../src/stats/sources/report.ts';
import { computeSourceProtection, exactSourceReport, protectedSourceReport, sourceProblem } from '../../src/stats/sources/protection.ts';
import type { SourceRecord, SourceReportSpec, SourceRow, SourceTableSpec } from '../../src/stats/sources/types.ts';

type Person = { sex: 'female' | 'male' | 'other' | null; forms: ('labour' | 'sexual' | 'other')[]; year: number };
const YEAR = 2024;
const l = (x: string) => ({ sv: x, en: x });
const sexes = ['female', 'male', 'other'] as const;
const forms = ['labour', 'sexual', 'other'] as const;
const yearOf = (r: SourceRecord) => Number(r.identified_on.slice(0, 4));
const sexOf = (r: SourceRecord) => (r as unknown as { sex: Person['sex'] }).sex;
const formsOf = (r: SourceRecord) => (r as unknown as { forms: Person['forms'] }).forms;
const pct = (n: number, of: number) => (of ? Math.round((1000 * n) / of) / 10 : null);

const table = (t: Omit<SourceTableSpec, 'section' | 'title' | 'unit' | 'base' | 'percent'>): SourceTableSpec => ({
  section: l('s'),
  title: l(t.id),
  unit: 'person',
  base: l('b'),
  percent: true,
  ...t,
});

const spec: SourceReportSpec = {
  source: 'civil_society',
  title: l('test'),
  reporter: l('test'),
  years: (y) => ({ from: y - 2, to: y }),
  includes: () => true,
  tables: [
    table({
      id: 'sex',
      number: 1,
      rows: { heading: l('sex'), codes: () => sexes.map((code) => ({ code, label: l(code) })) },
      multi: false,
      read(records, year) {
        const of = records.filter((r) => yearOf(r) === year);
        const answered = of.filter((r) => sexOf(r) !== null);
        return {
          rows: sexes.map((code) => {
            const count = answered.filter((r) => sexOf(r) === code).length;
            return { code, count, percent: pct(count, answered.length) };
          }),
          n_answered: answered.length,
          n_missing: of.length - answered.length,
        };
      },
    }),
    table({
      id: 'forms',
      number: 2,
      rows: { heading: l('form'), codes: () => forms.map((code) => ({ code, label: l(code) })) },
      multi: true,
      read(records, year) {
        const of = records.filter((r) => yearOf(r) === year);
        const answered = of.filter((r) => formsOf(r).length > 0);
        return {
          rows: forms.map((code) => {
            const count = answered.filter((r) => formsOf(r).includes(code)).length;
            return { code, count, percent: pct(count, answered.length) };
          }),
          n_answered: answered.length,
          n_missing: of.length - answered.length,
        };
      },
    }),
    table({
      id: 'sex_by_year',
      number: 3,
      rows: { heading: l('sex'), codes: () => sexes.map((code) => ({ code, label: l(code) })) },
      column: { heading: l('year'), codes: (y) => [y - 2, y - 1, y].map((x) => ({ code: String(x), label: l(String(x)) })) },
      multi: false,
      read(records, year) {
        const answered = records.filter((r) => sexOf(r) !== null && yearOf(r) >= year - 2);
        const rows: SourceRow[] = [];
        for (const code of sexes)
          for (const y of [year - 2, year - 1, year]) {
            const inYear = answered.filter((r) => yearOf(r) === y);
            const count = inYear.filter((r) => sexOf(r) === code).length;
            rows.push({ code, column: String(y), count, percent: pct(count, inYear.length) });
          }
        return { rows, n_answered: answered.length, n_missing: records.length - answered.length };
      },
    }),
  ],
};

const arbPerson: fc.Arbitrary<Person> = fc.record({
  sex: fc.constantFrom(...sexes, null),
  forms: fc.subarray([...forms]),
  year: fc.integer({ min: YEAR - 2, max: YEAR }),
});
const recordsOf = (people: Person[]): SourceRecord[] =>
  people.map((p, i) => ({ id: `r${i}`, status: 'open', identified_on: `${p.year}-05-01`, sex: p.sex, forms: p.forms }) as unknown as SourceRecord);

const suppressed = (s: string) => s === 'primary' || s === 'secondary';

describe('protection of a source report', () => {
  it('builds a problem whose relations hold, and protects it so no unsafe figure is printed or derivable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbPerson, { minLength: 0, maxLength: 40 }), async (people) => {
        const exact = computeSourceReport(spec, recordsOf(people), YEAR, { id: '2024-civ-1', kind: 'final' });
        const doc = defaultPolicyDocument();
        const stored = await computeSourceProtection(spec, exact, doc, 1, { method: 'fast' });
        // every figure has a status; the audit passes with every unsafe suppressed cell at least the width wide
        expect(Object.keys(stored.status).sort()).toEqual(sourceProblem(spec, exact).problem.cells.map((c) => c.id).sort());
        expect(stored.audit.passed).toBe(true);
        for (const c of stored.audit.cells.filter((x) => x.unsafe)) expect(c.hi === null || c.hi - c.lo >= doc.width).toBe(true);

        const pub = protectedSourceReport(spec, exact, stored);
        const ex = exactSourceReport(spec, exact);
        expect(pub.form).toBe('protected');
        pub.tables.forEach((t, k) => {
          const e = ex.tables[k];
          expect(t.rows.map((r) => [r.code, r.column])).toEqual(e.rows.map((r) => [r.code, r.column]));
          for (const [i, r] of [...t.rows, ...(t.totals ?? [])].entries()) {
            expect(r.count === null).toBe(suppressed(r.status));
            if (r.count !== null) {
              expect(r.count === 0 || r.count >= doc.threshold).toBe(true);
              expect(r.count).toBe([...e.rows, ...(e.totals ?? [])][i].count);
            } else expect(r.percent).toBeNull();
            if (t.n_answered === null && i < t.rows.length) expect(r.percent).toBeNull();
          }
          for (const n of [t.n_answered, t.n_missing]) if (n !== null) expect(n === 0 || n >= doc.threshold).toBe(true);
        });
        if (pub.persons !== null) expect(pub.persons === 0 || pub.persons >= doc.threshold).toBe(true);
      }),
      { numRuns: 40, seed: 20241 },
    );
  }, 120_000);

  it('relates a cross table’s cells to its row and column totals and those who answered', () => {
    const people: Person[] = [
      ...Array.from({ length: 5 }, () => ({ sex: 'female' as const, forms: ['labour' as const], year: YEAR })),
      ...Array.from({ length: 4 }, () => ({ sex: 'male' as const, forms: [], year: YEAR - 1 })),
      { sex: null, forms: ['sexual'], year: YEAR },
    ];
    const exact = computeSourceReport(spec, recordsOf(people), YEAR, { id: '2024-civ-1', kind: 'final' });
    const { problem } = sourceProblem(spec, exact);
    const rel = (total: string) => problem.relations.filter((r) => r.total === total).map((r) => ({ kind: r.kind, parts: [...r.parts].sort() }));
    expect(rel('sex_by_year|total|2024')).toEqual([{ kind: 'sum', parts: ['sex_by_year|female|2024', 'sex_by_year|male|2024', 'sex_by_year|other|2024'] }]);
    expect(rel('sex_by_year|female|total')).toEqual([{ kind: 'sum', parts: ['sex_by_year|female|2022', 'sex_by_year|female|2023', 'sex_by_year|female|2024'] }]);
    expect(rel('sex_by_year|answered')).toContainEqual({ kind: 'sum', parts: ['sex_by_year|total|2022', 'sex_by_year|total|2023', 'sex_by_year|total|2024'] });
    // a list question: each cell at most those who answered, no sum
    expect(rel('forms|answered')).toEqual(forms.map((f) => ({ kind: 'at_most', parts: [`forms|${f}`] })));
    expect(rel('sex|answered')).toEqual([{ kind: 'sum', parts: ['sex|female', 'sex|male', 'sex|other'] }]);
    // answered and missing of a table asked of every record make the release's persons
    expect(rel('persons')).toContainEqual({ kind: 'sum', parts: ['sex_by_year|answered', 'sex_by_year|missing'] });
  });

  // The same report with sex taken as a sensitive axis of the cross table by year, as the form of
  // exploitation is in the support programmes' tables by year and by sex.
  const sensitiveSpec: SourceReportSpec = { ...spec, tables: spec.tables.map((t) => (t.id === 'sex_by_year' ? { ...t, rows: { ...t.rows, sensitive: true } } : t)) };

  it('makes each year a group across a sensitive axis, and suppresses the one cell holding all of a year', async () => {
    const people: Person[] = [
      ...Array.from({ length: 12 }, () => ({ sex: 'female' as const, forms: ['labour' as const], year: YEAR })),
      ...Array.from({ length: 6 }, () => ({ sex: 'male' as const, forms: ['sexual' as const], year: YEAR - 1 })),
      ...Array.from({ length: 6 }, () => ({ sex: 'female' as const, forms: ['sexual' as const], year: YEAR - 1 })),
    ];
    const exact = computeSourceReport(sensitiveSpec, recordsOf(people), YEAR, { id: '2024-civ-1', kind: 'final' });
    const groups = sourceProblem(sensitiveSpec, exact).problem.groups!.map((g) => [...g.cells].sort());
    expect(groups).toEqual([YEAR - 2, YEAR - 1, YEAR].map((y) => sexes.map((x) => `sex_by_year|${x}|${y}`).sort()));
    // without the axis marked sensitive there are no groups, and the figure is printed
    expect(sourceProblem(spec, exact).problem.groups).toEqual([]);
    const cell = `sex_by_year|female|${YEAR}`;
    const plain = await computeSourceProtection(spec, exact, defaultPolicyDocument(), 1, { method: 'fast' });
    expect(plain.status[cell]).toBe('safe');
    // marked sensitive: every person of 2024 is a woman, so printing 12 would tell each one's sex
    const stored = await computeSourceProtection(sensitiveSpec, exact, defaultPolicyDocument(), 1, { method: 'fast' });
    expect(stored.status[cell]).toBe('primary');
    expect(stored.reasons[cell]).toBe('group');
    expect(stored.audit.passed).toBe(true);
    const row = protectedSourceReport(sensitiveSpec, exact, stored).tables[2].rows.find((r) => r.code === 'female' && r.column === String(YEAR))!;
    expect(row.count).toBeNull();
    // 2023 is split between women and men: no group disclosure there
    expect(stored.reasons[`sex_by_year|female|${YEAR - 1}`]).toBeUndefined();
  });

  it('never prints the one cell that holds every person (two or more) of a group', async () => {
    // Random persons, and often a year of one sex only: k more persons of one sex in the report's
    // year, the random ones then kept out of it.
    const arbPeople = fc
      .tuple(fc.array(arbPerson, { maxLength: 30 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...sexes), fc.boolean())
      .map(([random, k, sex, alone]) => [
        ...random.map((p) => (alone && p.year === YEAR ? { ...p, year: YEAR - 1 } : p)),
        ...Array.from({ length: k }, (): Person => ({ sex, forms: [], year: YEAR })),
      ]);
    await fc.assert(
      fc.asyncProperty(arbPeople, async (people) => {
        const exact = computeSourceReport(sensitiveSpec, recordsOf(people), YEAR, { id: '2024-civ-1', kind: 'final' });
        const stored = await computeSourceProtection(sensitiveSpec, exact, defaultPolicyDocument(), 1, { method: 'fast' });
        const counts = new Map(sourceProblem(sensitiveSpec, exact).problem.cells.map((c) => [c.id, c.count]));
        // each year of the cross table, its cells across the sensitive axis
        for (const y of [YEAR - 2, YEAR - 1, YEAR]) {
          const cells = sexes.map((x) => `sex_by_year|${x}|${y}`);
          const nonzero = cells.filter((c) => counts.get(c)! > 0);
          const persons = cells.reduce((n, c) => n + counts.get(c)!, 0);
          if (nonzero.length === 1 && persons >= 2) expect(suppressed(stored.status[nonzero[0]]), nonzero[0]).toBe(true);
        }
        expect(stored.audit.passed).toBe(true);
      }),
      { numRuns: 40, seed: 20242 },
    );
  }, 120_000);
});
