// The world region of every country: each country of the project's list maps to exactly one region
// of the code list, the EU's members (Sweden among them) to `eu`, and a record's origin is its
// origin_region, or its nationality's region when that is empty.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { worldRegion } from '../../src/standard/codes.ts';
import { countryList } from '../../src/standard/countries.ts';
import { euMemberStates, originRegion, worldRegionOf, worldRegionOfCountry } from '../../src/standard/world-regions.ts';

const EU27 = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'];

describe('world regions', () => {
  it('maps every country of the list to a region of the code list, and nothing else', () => {
    const regions = new Set<string>(worldRegion.codes);
    const missing = countryList.filter((c) => worldRegionOf(c.code) === null).map((c) => c.code);
    expect(missing).toEqual([]);
    for (const c of countryList) expect(regions.has(worldRegionOf(c.code)!)).toBe(true);
    const listed = new Set(countryList.map((c) => c.code));
    expect(Object.keys(worldRegionOfCountry).filter((code) => !listed.has(code))).toEqual([]);
    expect(Object.keys(worldRegionOfCountry)).toHaveLength(countryList.length);
  });

  it('maps the 27 EU members, Sweden included, to eu and no other sovereign state of Europe', () => {
    expect([...euMemberStates].sort()).toEqual([...EU27].sort());
    for (const code of EU27) expect(worldRegionOf(code)).toBe('eu');
    for (const code of ['NO', 'GB', 'CH', 'IS', 'UA', 'RS', 'MD', 'RU']) expect(worldRegionOf(code)).toBe('other_europe');
  });

  it('places named countries as the platform groups them', () => {
    const expected: Record<string, string> = {
      NG: 'africa', EG: 'africa', MA: 'africa', TH: 'asia', VN: 'asia', AF: 'asia', CN: 'asia', SY: 'middle_east',
      IQ: 'middle_east', IR: 'middle_east', TR: 'middle_east', US: 'north_america', CA: 'north_america', MX: 'central_america',
      DO: 'central_america', BR: 'south_america', CO: 'south_america', AU: 'oceania', NZ: 'oceania',
    };
    for (const [code, region] of Object.entries(expected)) expect([code, worldRegionOf(code)]).toEqual([code, region]);
    expect(worldRegionOf('XX')).toBeNull();
    expect(worldRegionOf('se')).toBeNull();
    expect(worldRegionOf('toString')).toBeNull();
  });

  it('takes origin_region first, then the nationality’s region, else null', () => {
    const codes = countryList.map((c) => c.code);
    fc.assert(
      fc.property(fc.option(fc.constantFrom(...worldRegion.codes)), fc.option(fc.constantFrom(...codes)), (origin, nationality) => {
        const got = originRegion({ origin_region: origin, nationality });
        expect(got).toBe(origin ?? (nationality === null ? null : worldRegionOfCountry[nationality]));
      }),
    );
    expect(originRegion({ origin_region: 'asia', nationality: 'SE' })).toBe('asia');
    expect(originRegion({ origin_region: null, nationality: 'SE' })).toBe('eu');
    expect(originRegion({ origin_region: null, nationality: null })).toBeNull();
  });
});
