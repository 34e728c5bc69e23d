// The CTDC export's mapping (data standard section 7) and its k-anonymisation: every combination of
// quasi-identifiers written is shared by at least k = 11 rows, no row carries a value its record
// did not have, citizenship and country of exploitation are blanked before age, and rows already
// in combinations of 11 or more pass unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CTDC_K,
  ageBroad,
  combinationOf,
  ctdcColumns,
  ctdcCsv,
  ctdcRow,
  kAnonymise,
  quasiIdentifiers,
  type CtdcRow,
  type CtdcSource,
} from '../../src/stats/ctdc.ts';
import * as c from '../../src/standard/codes.ts';

const base: CtdcSource = {
  identified_on: '2025-03-14',
  sex: 'female',
  age: 24,
  nationality: 'RO',
  exploitation_forms: ['sexual'],
  industries: [],
  exploited_in_sweden: null,
  exploitation_countries: [],
};

describe('a case in CTDC’s columns', () => {
  it('maps every field as data standard section 7 says', () => {
    expect(ctdcRow(base)).toEqual({
      yearOfRegistration: '2025',
      gender: 'Woman',
      ageBroad: '24--26',
      citizenship: 'ROU',
      isForcedLabour: '',
      isSexualExploit: '1',
      isOtherExploit: '',
      typeOfLabourAgriculture: '',
      typeOfLabourConstruction: '',
      typeOfLabourDomesticWork: '',
      typeOfLabourHospitality: '',
      CountryOfExploitation: '',
    });
    const labour = ctdcRow({
      ...base,
      sex: 'male',
      age: null,
      nationality: null,
      exploitation_forms: ['labour', 'begging'],
      industries: ['berry_picking', 'construction', 'hotel_restaurant', 'au_pair'],
      exploited_in_sweden: 'yes',
    });
    expect(labour).toMatchObject({
      gender: 'Man',
      ageBroad: '',
      citizenship: '',
      isForcedLabour: '1',
      isSexualExploit: '',
      isOtherExploit: '1',
      typeOfLabourAgriculture: '1',
      typeOfLabourConstruction: '1',
      typeOfLabourDomesticWork: '1',
      typeOfLabourHospitality: '1',
      CountryOfExploitation: 'SWE',
    });
    expect(ctdcRow({ ...base, sex: 'other' }).gender).toBe('Trans-NonConforming');
    expect(ctdcRow({ ...base, sex: 'unknown' }).gender).toBe('');
    expect(ctdcRow({ ...base, exploitation_forms: ['domestic_work'] })).toMatchObject({ typeOfLabourDomesticWork: '1', isOtherExploit: '1', isSexualExploit: '' });
    // never 0: a no is empty
    expect(Object.values(ctdcRow(base))).not.toContain('0');
  });

  it('names one country of exploitation, or none when the record names several', () => {
    expect(ctdcRow({ ...base, exploitation_countries: ['DE'] }).CountryOfExploitation).toBe('DEU');
    expect(ctdcRow({ ...base, exploitation_countries: ['SE'], exploited_in_sweden: 'yes' }).CountryOfExploitation).toBe('SWE');
    expect(ctdcRow({ ...base, exploitation_countries: ['DE'], exploited_in_sweden: 'yes' }).CountryOfExploitation).toBe('');
    expect(ctdcRow({ ...base, exploitation_countries: ['DE', 'PL'] }).CountryOfExploitation).toBe('');
    expect(ctdcRow({ ...base, exploited_in_sweden: 'no' }).CountryOfExploitation).toBe('');
  });

  it('bands ages at CTDC’s bounds', () => {
    const cases: [number, string][] = [
      [0, '0--8'], [8, '0--8'], [9, '9--17'], [17, '9--17'], [18, '18--20'], [20, '18--20'], [21, '21--23'], [23, '21--23'],
      [24, '24--26'], [26, '24--26'], [27, '27--29'], [29, '27--29'], [30, '30--38'], [38, '30--38'], [39, '39--47'], [47, '39--47'],
      [48, '48+'], [120, '48+'],
    ];
    for (const [age, band] of cases) expect(ageBroad(age), String(age)).toBe(band);
    expect(ageBroad(null)).toBe('');
  });

  it('writes CTDC’s header and the rows sorted by value, a blank as an empty cell, nothing quoted', () => {
    const rows = [ctdcRow({ ...base, age: 50 }), ctdcRow({ ...base, nationality: null })];
    const csv = ctdcCsv(rows);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,CountryOfExploitation',
    );
    expect(lines.slice(1)).toEqual(['2025,Woman,24--26,,,1,,,,,,', '2025,Woman,48+,ROU,,1,,,,,,', '']);
    expect(csv).not.toContain('"');
  });
});

// Small domains, so that records meet in combinations; every field of the mapping drawn.
const source: fc.Arbitrary<CtdcSource> = fc.record({
  identified_on: fc.constantFrom('2024-02-03', '2025-06-30', '2025-11-11'),
  sex: fc.constantFrom(...c.sex.codes),
  age: fc.option(fc.constantFrom(5, 15, 19, 25, 33, 45, 60), { nil: null }),
  nationality: fc.option(fc.constantFrom('RO', 'NG', 'SE', 'TH', 'UA'), { nil: null }),
  exploitation_forms: fc.uniqueArray(fc.constantFrom(...c.exploitationForm.codes), { maxLength: 3 }),
  industries: fc.uniqueArray(fc.constantFrom(...c.industry.codes), { maxLength: 2 }),
  exploited_in_sweden: fc.constantFrom('yes' as const, 'no' as const, null),
  exploitation_countries: fc.uniqueArray(fc.constantFrom('DE', 'PL', 'SE'), { maxLength: 2 }),
}) as fc.Arbitrary<CtdcSource>;

/** Many records, often in few combinations (a bias towards the same values). */
const records = fc.oneof(
  fc.array(source, { maxLength: 400 }),
  fc.array(source, { minLength: 1, maxLength: 6 }).chain((pool) => fc.array(fc.constantFrom(...pool), { maxLength: 300 })),
  fc
    .tuple(fc.array(source, { minLength: 1, maxLength: 4 }), fc.array(source, { maxLength: 60 }))
    .chain(([pool, rare]) => fc.array(fc.constantFrom(...pool), { minLength: 20, maxLength: 200 }).map((common) => [...common, ...rare])),
);

const countsOf = (rows: readonly CtdcRow[]) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(combinationOf(r), (m.get(combinationOf(r)) ?? 0) + 1);
  return m;
};

describe('k-anonymisation (k = 11)', () => {
  it('every combination of quasi-identifiers in the output is shared by at least 11 rows', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const out = kAnonymise(rs.map(ctdcRow));
        for (const [combination, n] of countsOf(out.rows)) expect(n, combination).toBeGreaterThanOrEqual(CTDC_K);
        expect(out.rows.length + out.dropped).toBe(rs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('no row carries a value its record did not have: each field is the record’s own, or a blanked quasi-identifier', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const input = rs.map(ctdcRow);
        const out = kAnonymise(input);
        expect(new Set(out.origin).size).toBe(out.origin.length);
        out.rows.forEach((row, i) => {
          const own = input[out.origin[i]];
          for (const col of ctdcColumns) {
            if (row[col] === own[col]) continue;
            // only citizenship, country and age may change, and only to blank
            expect(['citizenship', 'CountryOfExploitation', 'ageBroad']).toContain(col);
            expect(row[col]).toBe('');
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('blanks a record’s citizenship and country of exploitation before its age', () => {
    let sawAgeBlanked = false;
    fc.assert(
      fc.property(records, (rs) => {
        const input = rs.map(ctdcRow);
        const out = kAnonymise(input);
        out.rows.forEach((row, i) => {
          const own = input[out.origin[i]];
          if (own.ageBroad !== '' && row.ageBroad === '') {
            sawAgeBlanked = true;
            expect(row.citizenship).toBe('');
            expect(row.CountryOfExploitation).toBe('');
          }
        });
      }),
      { numRuns: 300 },
    );
    // the property was exercised, not vacuously true
    expect(sawAgeBlanked).toBe(true);
  });

  it('a record already in a combination of 11 or more keeps every value', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const input = rs.map(ctdcRow);
        const before = countsOf(input);
        const out = kAnonymise(input);
        const kept = new Map(out.origin.map((o, i) => [o, out.rows[i]]));
        input.forEach((row, i) => {
          if (before.get(combinationOf(row))! >= CTDC_K) expect(kept.get(i)).toEqual(row);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('drops and blanks nothing when every combination already has 11 or more rows', () => {
    const combination = fc.record({
      yearOfRegistration: fc.constantFrom('2024', '2025'),
      gender: fc.constantFrom('Woman', 'Man', 'Trans-NonConforming', ''),
      ageBroad: fc.constantFrom('0--8', '9--17', '18--20', '48+', ''),
      citizenship: fc.constantFrom('ROU', 'NGA', 'SWE', ''),
      CountryOfExploitation: fc.constantFrom('SWE', 'DEU', ''),
    });
    const rest = fc.record({
      isForcedLabour: fc.constantFrom('1', ''),
      isSexualExploit: fc.constantFrom('1', ''),
      isOtherExploit: fc.constantFrom('1', ''),
      typeOfLabourAgriculture: fc.constantFrom('1', ''),
      typeOfLabourConstruction: fc.constantFrom('1', ''),
      typeOfLabourDomesticWork: fc.constantFrom('1', ''),
      typeOfLabourHospitality: fc.constantFrom('1', ''),
    });
    const groups = fc.uniqueArray(combination, { minLength: 1, maxLength: 8, selector: (q) => JSON.stringify(q) }).chain((qs) =>
      fc.tuple(...qs.map((q) => fc.array(rest, { minLength: CTDC_K, maxLength: 25 }).map((rs) => rs.map((r) => ({ ...q, ...r }) as CtdcRow)))),
    );
    fc.assert(
      fc.property(groups, fc.integer(), (gs, seed) => {
        // interleaved, so that the order of the input is not the order of the combinations
        const input = gs.flat().sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7));
        const out = kAnonymise(input);
        expect(out.dropped).toBe(0);
        expect(out.blankedCountries).toBe(0);
        expect(out.blankedAge).toBe(0);
        expect(out.rows).toEqual(input);
        expect(out.origin).toEqual(input.map((_, i) => i));
      }),
      { numRuns: 200 },
    );
  });

  it('a known case: ten rare rows join the blank citizenship, the eleventh needs its age blanked too, one is dropped', () => {
    const row = (over: Partial<CtdcRow>): CtdcRow => ({ ...ctdcRow(base), ...over });
    const common = Array.from({ length: 11 }, () => row({ citizenship: '' }));
    const rare = Array.from({ length: 10 }, (_, i) => row({ citizenship: i % 2 ? 'NGA' : 'THA' }));
    const other = row({ citizenship: 'UKR', ageBroad: '48+' });
    const out = kAnonymise([...common, ...rare, other]);
    // the rare ten join the eleven without citizenship; the one of another age stays alone and goes
    expect(out.blankedCountries).toBe(11);
    expect(out.blankedAge).toBe(1);
    expect(out.dropped).toBe(1);
    expect(out.rows).toHaveLength(21);
    expect(out.rows.every((r) => r.citizenship === '' && r.ageBroad === '24--26')).toBe(true);
    expect(quasiIdentifiers).toEqual(['yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation']);
  });
});
