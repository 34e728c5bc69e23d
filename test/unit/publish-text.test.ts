import { describe, expect, it } from 'vitest';
import { listText, percentText, sectionText, summaryParagraphs, svNumber } from '../../src/publish/text.ts';
import { fixtureReport } from '../publish-fixture.ts';

const report = fixtureReport();

describe('Swedish numbers', () => {
  it('writes small numbers as words and large ones with a space for thousands', () => {
    expect(svNumber(8)).toBe('åtta');
    expect(svNumber(1)).toBe('en');
    expect(svNumber(1, true)).toBe('ett');
    expect(svNumber(12)).toBe('tolv');
    expect(svNumber(13)).toBe('13');
    expect(svNumber(1234)).toBe('1\u00a0234');
    expect(percentText(68, 'sv')).toBe('68 procent');
    expect(percentText(5, 'sv')).toBe('fem procent');
    expect(listText(['a', 'b', 'c'], 'sv')).toBe('a, b och c');
  });
});

describe('summary', () => {
  it('fills the sentences of the printed Sammanfattning from the tables', () => {
    const text = summaryParagraphs(report).join('\n');
    expect(text).toContain('Under 2025 fick regionkoordinatorerna kännedom om 481 personer.');
    expect(text).toContain('I 319 ärenden bedömdes misstanke om människoexploatering och i 162 misstanke om människohandel.');
    expect(text).toContain('Totalt identifierades 212 kvinnor, 251 män samt åtta flickor och nio pojkar.');
    expect(text).toContain('I ett fall var könstillhörigheten okänd.');
    expect(text).toContain('325 personer, vilket utgör 68 procent av ärendena');
    expect(text).toContain('Thailand (85), Rumänien (36) och Turkiet (28)');
    expect(text).toContain('I två procent av ärendena tog den utsatta personen själv kontakt.');
  });

  it('follows the figures, not fixed text', () => {
    const changed = structuredClone(report);
    const all = changed.tables.find((t) => t.id === 'totals')!.rows.find((r) => r.dimension === 'all')!;
    all.count = 500;
    changed.tables = changed.tables.filter((t) => t.id !== 'nationality_top');
    const text = summaryParagraphs(changed).join('\n');
    expect(text).toContain('kännedom om 500 personer');
    expect(text).not.toContain('ursprungsländerna');
  });

  it('computes the section sentences: sex shares, children, industries, inspections', () => {
    const s = sectionText(report);
    expect(s.sex).toContain('220 (46 procent) kvinnor och flickor och 260 (54 procent) män och pojkar');
    expect(s.children).toBe('Under 2025 identifierades 17 barn, varav åtta flickor och nio pojkar.');
    expect(s.related).toContain('134 barn');
    expect(s.industry).toContain('elva olika branscher');
    expect(s.industry).toContain('Grön näring utgjorde 26 procent');
    expect(s.industry).toContain('tillsammans utgjorde 67 procent');
    expect(s.inspection).toContain('154 av de totalt 481 ärendena');
  });

  it('has an English version', () => {
    expect(summaryParagraphs(report, 'en')[0]).toContain('In 2025 the regional coordinators learned of 481 persons.');
  });
});
