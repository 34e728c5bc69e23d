// The import page refuses, in the browser, a CSV whose header names the particulars a linkage key
// is computed from (date of birth, names): they may never be sent to the server.
import { describe, expect, it } from 'vitest';
import { particularsIn } from '../../web/src/pages/Import.tsx';

const csv = (text: string) => new Blob([text], { type: 'text/csv' });

describe('particularsIn', () => {
  it('finds the particular columns by their name in either language, quoted, with a BOM or semicolons', async () => {
    expect(await particularsIn(csv('source,region,birth_date,given_name\ncoordinator,syd,1990-01-02,Ana\n'))).toEqual(['birth_date', 'given_name']);
    expect(await particularsIn(csv('\ufeff"source";"Födelsedatum";"efternamn"\r\nx;y;z'))).toEqual(['Födelsedatum', 'efternamn']);
    expect(await particularsIn(csv('source,region,identified_on,linkage_key\n'))).toEqual([]);
    // A value in a later row is not a column.
    expect(await particularsIn(csv('source,region\nbirth_date,given_name\n'))).toEqual([]);
  });
});
