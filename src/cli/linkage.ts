// `import FILE --linkage-key-file KEYFILE`: for organisations that register in their own systems.
// The CSV may carry the particulars of data standard section 5 in three columns of its own
// (birth_date, given_name, family_name; docs/linkage-key.md); each row's linkage_key is computed
// here, on the importing machine, with src/standard/linkage.ts, and the three columns are dropped
// before the file goes to the import (the database opened here, or the server). Problems name the
// line and the column, never a value.
import { stringify } from 'csv-stringify/sync';
import { csvRecords } from '../standard/csv.ts';
import { findCountry } from '../standard/countries.ts';
import { sex as sexList, type Label, type Lang } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import { LinkageInputError, importYearKey, hmacHex, linkageMessage, particularColumns, type LinkageField } from '../standard/linkage.ts';

const norm = (s: string) => s.replace(/^\ufeff/, '').trim().toLowerCase();

const problemText: Record<string, Label> = {
  format: { sv: 'har fel format (födelsedatum skrivs ÅÅÅÅ-MM-DD)', en: 'has the wrong format (a date of birth is written YYYY-MM-DD)' },
  not_a_date: { sv: 'är inget verkligt datum mellan 1900 och 2099', en: 'is not a real date between 1900 and 2099' },
  no_letters: { sv: 'innehåller inga bokstäver', en: 'holds no letters' },
  unsupported_script: {
    sv: 'har bokstäver i en skrift som nyckeln inte translittererar: skriv namnet med latinska bokstäver som i ID-handlingen',
    en: 'has letters of a script the key does not transliterate: write the name in Latin letters as in the identity document',
  },
  code: { sv: 'är ingen kod som nyckeln kan läsa', en: 'is not a code the key can read' },
  partial: { sv: 'saknas: födelsedatum, förnamn och efternamn anges alla eller inget', en: 'is missing: date of birth, given name and family name are given all or none' },
  both: { sv: 'är redan ifylld på en rad med uppgifter att beräkna den från: ange det ena eller det andra', en: 'is already filled in on a row with particulars to compute it from: give one or the other' },
  unclosed: { sv: 'ett citattecken öppnas här men stängs aldrig', en: 'a quote opens here and never closes' },
  years: { sv: 'ligger i flera år: en nyckelfil gäller ett år, dela filen per år', en: 'spans several years: a key file is one year\'s, split the file by year' },
};

export type HashedCsv = { csv: string; hashed: number; problems: string[] };

/** Reads the year's key file (64 hex characters); refuses anything else without echoing it. */
export async function readYearKey(text: string): Promise<CryptoKey> {
  try {
    return await importYearKey(text);
  } catch (e) {
    if (!(e instanceof LinkageInputError)) throw e;
    throw new DomainError('linkage_key_file', 'invalid', {
      sv: 'Nyckelfilen ska innehålla årets nyckel: 64 hexadecimala tecken (0–9, a–f) och inget annat.',
      en: 'The key file must hold the year\'s key: 64 hexadecimal characters (0–9, a–f) and nothing else.',
    });
  }
}

/** The sex column's code as the import reads it: the code or its Swedish or English label. */
function sexCode(cell: string): string {
  const c = norm(cell);
  return sexList.items.find((i) => i.code === c || norm(i.sv) === c || norm(i.en) === c)?.code ?? cell;
}

/**
 * The CSV with each row's linkage_key computed from its particulars and the particular columns
 * removed. A file without those columns comes back as it was (re-written). Rows without any
 * particulars keep the linkage_key they have (or none).
 */
export async function hashLinkageColumns(text: string, yearKey: CryptoKey, lang: Lang): Promise<HashedCsv> {
  const problems: string[] = [];
  const say = (line: number, column: string, problem: string) => problems.push(`line ${line}: ${column}: ${problemText[problem][lang]}`);
  const out: string[][] = [];
  let header: string[] | null = null;
  let particular: Map<number, 'birth_date' | 'given_name' | 'family_name'> = new Map();
  let keyAt = -1;
  let sexAt = -1;
  let nationalityAt = -1;
  let identifiedAt = -1;
  let hashed = 0;
  const years = new Set<string>();
  for await (const record of csvRecords(text)) {
    if (record.unclosed) {
      problems.push(`line ${record.line}: ${problemText.unclosed[lang]}`);
      break;
    }
    if (header === null) {
      header = record.cells;
      const names = header.map(norm);
      particular = new Map(names.flatMap((n, i) => (particularColumns[n] ? [[i, particularColumns[n]] as const] : [])));
      keyAt = names.indexOf('linkage_key');
      sexAt = names.indexOf('sex');
      nationalityAt = names.indexOf('nationality');
      identifiedAt = names.indexOf('identified_on');
      out.push([...header.filter((_, i) => !particular.has(i)), ...(keyAt < 0 ? ['linkage_key'] : [])]);
      continue;
    }
    const cells = record.cells;
    const given: Partial<Record<'birth_date' | 'given_name' | 'family_name', string>> = {};
    for (const [i, field] of particular) if ((cells[i] ?? '').trim() !== '') given[field] = cells[i];
    let key = keyAt >= 0 ? (cells[keyAt] ?? '') : '';
    const filled = Object.keys(given).length;
    if (filled > 0 && filled < 3) {
      for (const f of ['birth_date', 'given_name', 'family_name'] as const) if (!given[f]) say(record.line, f, 'partial');
    } else if (filled === 3) {
      if (key.trim() !== '') say(record.line, 'linkage_key', 'both');
      else {
        try {
          const message = linkageMessage({
            birth_date: given.birth_date!,
            given_name: given.given_name!,
            family_name: given.family_name!,
            sex: sexAt >= 0 ? sexCode(cells[sexAt] ?? '') : '',
            nationality: nationalityAt >= 0 && (cells[nationalityAt] ?? '').trim() !== '' ? (findCountry(cells[nationalityAt]) ?? cells[nationalityAt]) : null,
          });
          key = await hmacHex(yearKey, message);
          hashed++;
          if (identifiedAt >= 0) years.add((cells[identifiedAt] ?? '').trim().slice(0, 4));
        } catch (e) {
          if (!(e instanceof LinkageInputError)) throw e;
          say(record.line, e.field as LinkageField, e.problem);
        }
      }
    }
    const kept = cells.filter((_, i) => !particular.has(i));
    if (keyAt >= 0) {
      const k = keyAt - [...particular.keys()].filter((i) => i < keyAt).length;
      while (kept.length <= k) kept.push('');
      kept[k] = key;
    } else {
      while (kept.length < header.length - particular.size) kept.push('');
      kept.push(key);
    }
    out.push(kept);
  }
  if (years.size > 1) problems.push(`identified_on: ${problemText.years[lang]}`);
  return { csv: header === null ? text : stringify(out, { record_delimiter: '\n' }), hashed, problems };
}
