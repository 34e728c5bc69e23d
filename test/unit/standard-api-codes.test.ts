import { describe, expect, it } from 'vitest';
import { codesDocument } from '../../src/standard/api-codes.ts';
import { codeLists, industry, industryGroup } from '../../src/standard/codes.ts';
import { countryList } from '../../src/standard/countries.ts';

describe('codesDocument', () => {
  const doc = codesDocument();

  it('serves every code list with its codes in order and both labels', () => {
    expect(Object.keys(doc.lists)).toEqual(Object.keys(codeLists));
    for (const [name, list] of Object.entries(codeLists)) {
      expect(doc.lists[name as keyof typeof codeLists].map((i) => i.code), name).toEqual(list.codes);
      for (const item of doc.lists[name as keyof typeof codeLists]) {
        expect(item.sv, `${name}.${item.code}`).toBeTruthy();
        expect(item.en, `${name}.${item.code}`).toBeTruthy();
      }
    }
    expect(doc.lists.exploitation_form.find((i) => i.code === 'labour')).toEqual({ code: 'labour', sv: 'Arbetskraft', en: 'Labour exploitation' });
  });

  it('gives the industry hierarchy: green with its six leaves, every leaf in exactly one group', () => {
    const green = doc.industry_hierarchy.find((g) => g.code === 'green')!;
    expect(green.sv).toBe(industryGroup.items[0].sv);
    expect(green.leaves).toEqual(['berry_picking', 'forestry', 'agriculture', 'gardening', 'animal_husbandry', 'fishing']);
    expect(doc.industry_hierarchy.flatMap((g) => g.leaves).sort()).toEqual([...industry.codes].sort());
    expect(doc.industry_hierarchy.find((g) => g.code === 'construction')?.leaves).toEqual(['construction']);
  });

  it('lists the countries with Swedish and English names', () => {
    expect(doc.countries).toHaveLength(countryList.length);
    expect(doc.countries.find((c) => c.code === 'SE')).toEqual({ code: 'SE', sv: 'Sverige', en: 'Sweden' });
    expect(doc.countries.every((c) => /^[A-Z]{2}$/.test(c.code) && c.sv && c.en)).toBe(true);
  });

  it('names the form fields in both languages, and cannot be changed by a caller', () => {
    expect(doc.fields.referred_by).toEqual({ sv: 'Hänvisande aktör', en: 'Referring actor' });
    expect(doc.fields['support.nsp.start_date'].sv).toBe('NSP: startdatum');
    expect(() => {
      (doc.lists.region as unknown as { code: string }[]).push({ code: 'x' });
    }).toThrow();
    expect(codesDocument().lists.region).toHaveLength(7);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
