// Checks of the demo dataset against the published 2025 figures, tallied directly from the case
// rows (independent of the statistics engine). Shared by the demo tests. The figures are those
// printed in the 2025 annual report, carried in test/fixtures/rk-2025-printed.json (its `source`
// names the report).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CaseData } from '../src/standard/case.ts';
import { category as categoryList, region as regionList } from '../src/standard/codes.ts';
import { validateCase } from '../src/standard/validate.ts';

export type Counts = Record<string, number>;

export const published = JSON.parse(
  readFileSync(new URL('./fixtures/rk-2025-printed.json', import.meta.url), 'utf8'),
);

const roundPercent = (n: number, total: number) => Math.floor((100 * n) / total + 0.5);

function tally<T>(items: readonly T[], key: (item: T) => string | null | undefined): Counts {
  const out: Counts = {};
  for (const item of items) {
    const k = key(item);
    if (k != null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function crossTally<T>(items: readonly T[], row: (item: T) => string, col: (item: T) => string): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const item of items) {
    const cells = (out[row(item)] ??= {});
    cells[col(item)] = (cells[col(item)] ?? 0) + 1;
  }
  return out;
}

export function categoryOf(c: CaseData): string {
  const forms = new Set(c.exploitation_forms);
  if (forms.size === 0) return 'unknown';
  return forms.size === 1 ? c.exploitation_forms[0] : 'multiple';
}

/** Person group with unknown age counted among adults (the report's default). */
export function groupOf(c: CaseData): string {
  if (c.sex === 'unknown' || c.sex === 'other') return c.sex;
  const child = c.age_group === 'child';
  if (c.sex === 'female') return child ? 'girl' : 'woman';
  return child ? 'boy' : 'man';
}

const bySex = (cases: CaseData[], cat: string) => tally(cases.filter((c) => categoryOf(c) === cat), (c) => c.sex);

/** Every figure of `hard`, computed from the rows in the same shape. */
export function hardFigures(cases: CaseData[]) {
  const n = cases.length;
  const nationality = tally(cases, (c) => c.nationality);
  const ranked = Object.entries(nationality).sort((a, b) => b[1] - a[1]);
  const tenth = ranked[9][1];
  const referrer = tally(cases, (c) => c.referred_by);
  const children = cases.flatMap((c) => c.related_children);
  const inspected = cases.filter((c) => c.workplace_inspection === true);
  const categories = tally(cases, categoryOf);
  return {
    total: n,
    crime_type: tally(cases, (c) => c.crime_type),
    group: tally(cases, groupOf),
    children: cases.filter((c) => c.age_group === 'child').length,
    female_incl_girls: cases.filter((c) => c.sex === 'female').length,
    male_incl_boys: cases.filter((c) => c.sex === 'male').length,
    category_totals: categories,
    form_by_group: crossTally(cases, categoryOf, groupOf),
    labour_by_sex_incl_children: bySex(cases, 'labour'),
    sexual_by_sex_incl_children: bySex(cases, 'sexual'),
    multiple_by_sex_incl_children: bySex(cases, 'multiple'),
    multiple_labour_sexual: cases.filter((c) => [...new Set(c.exploitation_forms)].sort().join('+') === 'labour+sexual').length,
    referrer,
    referrer_percent: Object.fromEntries(Object.entries(referrer).map(([k, v]) => [k, roundPercent(v, n)])),
    nationality_top: Object.fromEntries(ranked.filter(([, v]) => v >= tenth)),
    nationality_SE: nationality.SE ?? 0,
    related_children: { total: children.length, ...tally(children, (ch) => ch.location) },
    workplace_inspection: { total: inspected.length, ...tally(inspected, categoryOf) },
    labour_percent_of_total: roundPercent(categories.labour ?? 0, n),
    sexual_percent_of_total: roundPercent(categories.sexual ?? 0, n),
  };
}

/** The part of `actual` that `expected` has keys for (recursively). */
export function restrictTo(actual: unknown, expected: unknown): unknown {
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) return actual;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, restrictTo((actual as Counts)[k], (expected as Counts)[k])]));
}

/** Every leaf of `actual` that `expected` has no key for, as dotted path → value. */
export function extrasOf(actual: unknown, expected: unknown, path = ''): Record<string, unknown> {
  if (typeof actual !== 'object' || actual === null) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(actual)) {
    const p = path ? `${path}.${k}` : k;
    const e = (expected as Record<string, unknown>)[k];
    if (e === undefined && (typeof v !== 'object' || v === null)) out[p] = v;
    else Object.assign(out, extrasOf(v, e ?? {}, p));
  }
  return out;
}

/** "… woman 5, girl 4, boy 1" → {woman: 5, girl: 4, boy: 1}: the cells a `resolved` reading states. */
export function cellsOf(reading: string): Counts {
  const tail = reading.slice(reading.indexOf(':') + 1);
  return Object.fromEntries([...tail.matchAll(/([a-z_]+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

function resolvedReading(startsWith: RegExp): string {
  const r = published.resolved.find((x: { reading: string }) => startsWith.test(x.reading));
  if (!r) throw new Error(`no resolved reading ${startsWith}`);
  return r.reading;
}

/** The figures outside the printed cells, which are exactly what the `resolved` readings say. */
export function expectedExtras(): Record<string, unknown> {
  const fm = cellsOf(resolvedReading(/^forced_marriage:/));
  const unknownForm = cellsOf(resolvedReading(/unknown form:/));
  const hard = published.hard;
  const printedCategories = Object.values(hard.category_totals as Counts).reduce((s, v) => s + v, 0);
  const printedInspections = ['labour', 'multiple', 'sexual'].reduce((s, k) => s + hard.workplace_inspection[k], 0);
  return {
    'category_totals.unknown': hard.total - printedCategories,
    ...Object.fromEntries(Object.entries(fm).map(([g, v]) => [`form_by_group.forced_marriage.${g}`, v])),
    ...Object.fromEntries(Object.entries(unknownForm).map(([g, v]) => [`form_by_group.unknown.${g}`, v])),
    'labour_by_sex_incl_children.unknown': hard.form_by_group.labour.unknown,
    'workplace_inspection.unknown': hard.workplace_inspection.total - printedInspections,
  };
}

export function expectHard(cases: CaseData[]) {
  const mine = hardFigures(cases);
  expect(restrictTo(mine, published.hard)).toEqual(published.hard);
  expect(extrasOf(mine, published.hard)).toEqual(expectedExtras());
}

const codesIn = (text: string) => text.split(/[^a-z_]+/).filter((w) => (categoryList.codes as readonly string[]).includes(w));
const numbersIn = (text: string) => [...text.matchAll(/(\d+)/g)].map((m) => Number(m[1]));

/** Industries are counted over cases whose forms include labour, each such case having exactly one industry. */
export function expectSoft(cases: CaseData[]) {
  const soft = published.soft;
  const labour = cases.filter((c) => c.exploitation_forms.includes('labour'));
  for (const c of labour) expect(c.industries).toHaveLength(1);
  const industries = tally(labour, (c) => c.industries[0]);
  expect(Object.keys(industries)).toHaveLength(numbersIn(soft.industries_among_labour_cases)[0]);
  expect(industries.unknown).toBeUndefined();
  expect(industries.other).toBeUndefined();

  const green = ['berry_picking', 'forestry', 'agriculture', 'gardening', 'animal_husbandry', 'fishing'];
  const grouped = tally(labour, (c) => (green.includes(c.industries[0]) ? 'green' : c.industries[0]));
  const [greenShare, bigThreeShare] = numbersIn(soft.green_share);
  expect(roundPercent(grouped.green, labour.length)).toBe(greenShare);
  expect(roundPercent(grouped.green + grouped.construction + grouped.hotel_restaurant, labour.length)).toBe(bigThreeShare);
  const topThree = Object.entries(grouped).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k]) => k);
  expect(topThree.sort()).toEqual(['construction', 'green', 'hotel_restaurant']);

  for (const c of cases.filter((c) => categoryOf(c) === 'multiple')) expect(c.exploitation_forms).toContain('labour');

  const children = cases.filter((c) => c.age_group === 'child');
  const childNationalities = new Set(children.map((c) => c.nationality));
  for (const code of ['UG', 'BG']) expect(soft.children_origins).toContain(code);
  expect(childNationalities).toContain('UG');
  expect(childNationalities).toContain('BG');

  const formsOf = (sex: string) => new Set(children.filter((c) => c.sex === sex).map(categoryOf));
  expect(formsOf('female')).toEqual(new Set(codesIn(soft.girls_forms)));
  expect(formsOf('male')).toEqual(new Set(codesIn(soft.boys_forms)));
}

export function expectCaseLevel(cases: CaseData[]) {
  const facts = published.case_level;
  const byCategory = (nat: string) => tally(cases.filter((c) => c.nationality === nat), categoryOf);

  const th = byCategory('TH');
  const thFacts = facts.nationality_breakdown.TH;
  for (const k of ['labour', 'sexual', 'multiple']) expect(th[k]).toBe(thFacts[k]);
  const thRest = Object.entries(th).filter(([k]) => !['labour', 'sexual', 'multiple'].includes(k));
  expect(thRest.map(([k]) => k).sort()).toEqual([...thFacts.rest_in].sort());
  expect(thRest.reduce((s, [, v]) => s + v, 0)).toBe(thFacts.rest);

  const ro = byCategory('RO');
  const roFacts = facts.nationality_breakdown.RO;
  for (const k of ['labour', 'sexual', 'multiple']) expect(ro[k]).toBe(roFacts[k]);
  const roRest = Object.entries(ro).filter(([k]) => !['labour', 'sexual', 'multiple'].includes(k));
  expect(roRest.reduce((s, [, v]) => s + v, 0)).toBe(roFacts.rest);
  expect(roRest.length).toBeGreaterThanOrEqual(2);
  expect(ro.unknown).toBeUndefined();

  const tr = cases.filter((c) => c.nationality === 'TR');
  expect(byCategory('TR')).toEqual({ labour: facts.nationality_breakdown.TR.labour });
  expect(tr.filter((c) => c.industries.includes('construction'))).toHaveLength(facts.nationality_breakdown.TR.industry_construction);

  const thaiMultiple = cases.filter((c) => c.nationality === 'TH' && categoryOf(c) === 'multiple');
  const beauty = thaiMultiple.filter(
    (c) =>
      groupOf(c) === 'woman' &&
      [...c.exploitation_forms].sort().join('+') === 'labour+sexual' &&
      c.industries.includes('beauty_body_care'),
  );
  expect(beauty).toHaveLength(facts.thai_women_beauty_labour_sexual);
  expect(beauty).toHaveLength(thaiMultiple.length);
}

/** The brief's own rules for the demo: valid cases, 2025 only, all regions, no stray nationality. */
export function expectWellFormed(cases: CaseData[]) {
  for (const c of cases) {
    const r = validateCase(c, { today: '2026-01-15' });
    expect(r.ok ? [] : r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(c.identified_on >= '2025-01-01' && c.identified_on <= '2025-12-31').toBe(true);
    if (c.support?.nsp?.start_date) expect(c.support.nsp.start_date <= '2025-12-31').toBe(true);
    if (c.support?.nsp?.end_date) expect(c.support.nsp.end_date <= '2025-12-31').toBe(true);
    expect(c.source).toBe('coordinator');
    expect(c.organisation_id).toBe(`rk-${c.region}`);
    expect(c.linkage_key).toBeNull();
    expect(c.referred_by).not.toBe('unknown');
    expect(c.referred_by).not.toBeNull();
    if (c.crime_type === 'exploitation') for (const f of c.exploitation_forms) expect(['labour', 'begging', 'other']).toContain(f);
    if (c.related_children.length > 0) expect(['woman', 'man']).toContain(groupOf(c));
  }

  const regions = tally(cases, (c) => c.region);
  expect(Object.keys(regions).sort()).toEqual([...regionList.codes].sort());
  for (const n of Object.values(regions)) expect(n / cases.length).toBeGreaterThan(0.03);
  for (const n of Object.values(regions)) expect(n / cases.length).toBeLessThan(0.35);

  const nationality = tally(cases, (c) => c.nationality);
  const top = published.hard.nationality_top as Counts;
  const tenth = Math.min(...Object.values(top));
  for (const [nat, n] of Object.entries(nationality)) if (!(nat in top)) expect(n).toBeLessThan(tenth);
  const unknownNationality = cases.filter((c) => c.nationality === null).length;
  expect(unknownNationality).toBeLessThanOrEqual(10);
}

/** Every constraint at once, for the property test over seeds. */
export function expectDemoConstraints(cases: CaseData[]) {
  expectHard(cases);
  expectSoft(cases);
  expectCaseLevel(cases);
  expectWellFormed(cases);
}
