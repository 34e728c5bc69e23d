import { describe, expect, it } from 'vitest';
import { generateDemoCases } from '../../src/stats/demo.ts';
import {
  cellsOf,
  expectCaseLevel,
  expectHard,
  expectSoft,
  expectWellFormed,
  extrasOf,
  published,
  restrictTo,
} from '../demo-checks.ts';

const cases = generateDemoCases();

describe('demo dataset (default seed) against the published 2025 figures', () => {
  it('reproduces every hard figure; outside the printed cells only what the resolved readings state', () => {
    expectHard(cases);
  });

  it('satisfies the soft constraints', () => {
    expectSoft(cases);
  });

  it('satisfies the case-level facts', () => {
    expectCaseLevel(cases);
  });

  it('consists of valid 2025 coordinator cases with no data-quality warnings', () => {
    expectWellFormed(cases);
  });
});

describe('the demo checks themselves', () => {
  it('catch a single moved case', () => {
    const broken = cases.map((c) => ({ ...c }));
    const i = broken.findIndex((c) => c.exploitation_forms.length === 1 && c.exploitation_forms[0] === 'labour');
    broken[i] = { ...broken[i], exploitation_forms: ['sexual'], industries: [] };
    expect(() => expectHard(broken)).toThrow();
  });

  it('catch a changed referrer or nationality', () => {
    const j = cases.findIndex((c) => c.referred_by === 'police');
    expect(() => expectHard(cases.map((c, k) => (k === j ? { ...c, referred_by: 'public' as const } : c)))).toThrow();
    const t = cases.findIndex((c) => c.nationality === 'TH');
    expect(() => expectHard(cases.map((c, k) => (k === t ? { ...c, nationality: 'VE' } : c)))).toThrow();
  });

  it('parse the resolved readings and restrict to printed keys', () => {
    expect(cellsOf('forced_marriage: woman 5, girl 4, boy 1')).toEqual({ woman: 5, girl: 4, boy: 1 });
    expect(restrictTo({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 0 } })).toEqual({ b: { c: 2 } });
    expect(extrasOf({ a: 1, b: { c: 2, d: 3 }, e: { f: 4 } }, { b: { c: 0 } })).toEqual({ a: 1, 'b.d': 3, 'e.f': 4 });
    expect(published.hard.total).toBe(481);
  });
});
