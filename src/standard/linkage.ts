// The linkage key of data standard section 5 (docs/linkage-key.md), specified once: the browser
// that registers a case and the command line's import both compute it with this module. Pure and
// free of Node-only APIs: HMAC-SHA-256 through the Web Crypto API (globalThis.crypto.subtle), which
// browsers and Node 20 both have. Nothing here is sent anywhere; errors never repeat their input.

/** A well-formed linkage key: 64 lower-case hexadecimal characters (an HMAC-SHA-256, hex). */
export const LINKAGE_KEY_PATTERN = /^[0-9a-f]{64}$/;

/** The version tag that opens every message hashed, so a later normalisation can never collide with this one. */
export const LINKAGE_VERSION = 'lagesbild-linkage-v1';

/** The sex codes of data standard 3.3, as the key hashes them. */
const SEX_CODES = new Set(['female', 'male', 'other', 'unknown']);

/** The particulars of a person the key is computed from. Only `sex` and `nationality` are also fields of the record. */
export type LinkageParticulars = {
  /** Date of birth, year first: YYYY-MM-DD, YYYYMMDD, or with `/`, `.` or a space as separator. */
  birth_date: string;
  /** The given name, or its first letters (at least the first two, when it has two). */
  given_name: string;
  /** The family name, or its first letters. */
  family_name: string;
  /** Sex code of data standard 3.3. */
  sex: string;
  /** ISO 3166-1 alpha-2, or null / empty when unknown. */
  nationality: string | null;
};

export type LinkageField = keyof LinkageParticulars | 'year_key';
export type LinkageProblem = 'format' | 'not_a_date' | 'no_letters' | 'unsupported_script' | 'code';

/** A particular that cannot be normalised. Its message names the field and the rule, never the value. */
export class LinkageInputError extends Error {
  constructor(readonly field: LinkageField, readonly problem: LinkageProblem) {
    super(`${field}: ${problem}`);
    this.name = 'LinkageInputError';
  }
}

/**
 * Letters that Unicode's compatibility decomposition (NFKD) does not reduce to a Latin letter with
 * marks, written as Latin capitals. Keys are upper case: lower case is upper-cased before the look-up.
 * An empty string drops the letter (signs without a sound of their own: hard and soft sign, hamza, ayn).
 */
export const TRANSLITERATION: Readonly<Record<string, string>> = Object.freeze({
  // Latin letters without a decomposition
  Æ: 'AE', Ø: 'O', Œ: 'OE', ẞ: 'SS', Ð: 'D', Đ: 'D', Þ: 'TH', Ł: 'L', Ħ: 'H', Ŋ: 'NG', Ə: 'E', Ŧ: 'T',
  // Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian); Ё Й Ї Ў Ѓ Ќ decompose to Е И І У Г К
  А: 'A', Б: 'B', В: 'V', Г: 'G', Ґ: 'G', Д: 'D', Ђ: 'DJ', Е: 'E', Є: 'IE', Ж: 'ZH', З: 'Z', Ѕ: 'DZ',
  И: 'I', І: 'I', Ј: 'J', К: 'K', Л: 'L', Љ: 'LJ', М: 'M', Н: 'N', Њ: 'NJ', О: 'O', П: 'P', Р: 'R',
  С: 'S', Т: 'T', Ћ: 'C', У: 'U', Ф: 'F', Х: 'KH', Ц: 'TS', Ч: 'CH', Џ: 'DZ', Ш: 'SH', Щ: 'SHCH', Ъ: '',
  Ы: 'Y', Ь: '', Э: 'E', Ю: 'IU', Я: 'IA',
  // Greek (modern); accented vowels decompose to their plain letter
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'TH', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N',
  Ξ: 'X', Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'CH', Ψ: 'PS', Ω: 'O',
  // Arabic script (Arabic, Persian, Dari, Pashto's common letters): consonants and long vowels as
  // written; short vowels are not written and so not hashed. أ إ آ ؤ ئ decompose to ا و ي.
  'ا': 'A', 'ب': 'B', 'پ': 'P', 'ت': 'T', 'ث': 'TH', 'ج': 'J', 'چ': 'CH', 'ح': 'H', 'خ': 'KH', 'د': 'D',
  'ذ': 'DH', 'ر': 'R', 'ز': 'Z', 'ژ': 'ZH', 'س': 'S', 'ش': 'SH', 'ص': 'S', 'ض': 'D', 'ط': 'T', 'ظ': 'Z',
  'ع': '', 'غ': 'GH', 'ف': 'F', 'ق': 'Q', 'ك': 'K', 'ک': 'K', 'گ': 'G', 'ل': 'L', 'م': 'M', 'ن': 'N',
  'ه': 'H', 'ة': 'H', 'و': 'W', 'ي': 'Y', 'ی': 'Y', 'ى': 'A', 'ء': '',
});

const MARK = /\p{M}/u;
/** Modifier letters (the Ukrainian apostrophe ʼ, the Arabic tatweel ـ) carry no sound of their own: skipped. */
const MODIFIER = /\p{Lm}/u;
const LETTER = /\p{L}/u;
const LATIN_CAPITAL = /^[A-Z]$/;

/**
 * A name's letters as the key reads them: NFKD, marks removed, upper case (locale-independent),
 * the transliteration table, then only the letters A–Z. Spaces, hyphens, apostrophes, digits,
 * modifier letters and other non-letters are skipped; a letter of a script outside the table is refused
 * (`unsupported_script`), never silently dropped.
 */
export function normaliseNameLetters(name: string, field: LinkageField = 'given_name'): string {
  let out = '';
  for (const ch of name.normalize('NFKD')) {
    if (MARK.test(ch) || MODIFIER.test(ch) || !LETTER.test(ch)) continue;
    // Upper-casing may give more than one letter (ß → SS) or a letter with a mark (ǰ → J̌).
    for (const u of ch.toUpperCase().normalize('NFKD')) {
      if (MARK.test(u) || MODIFIER.test(u) || !LETTER.test(u)) continue;
      if (LATIN_CAPITAL.test(u)) out += u;
      else if (u in TRANSLITERATION) out += TRANSLITERATION[u];
      else throw new LinkageInputError(field, 'unsupported_script');
    }
  }
  return out;
}

/** The first two letters of a name after normalisation; refused when the name has none. */
export function nameLetters(name: string, field: LinkageField = 'given_name'): string {
  const letters = normaliseNameLetters(name, field);
  if (letters === '') throw new LinkageInputError(field, 'no_letters');
  return letters.slice(0, 2);
}

const BIRTH_DATE = /^(\d{4})[-/. ]?(\d{2})[-/. ]?(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A date of birth, year first, as YYYYMMDD: a day that exists, years 1900–2099. */
export function normaliseBirthDate(text: string): string {
  const m = BIRTH_DATE.exec(text.trim());
  if (!m) throw new LinkageInputError('birth_date', 'format');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1];
  if (y < 1900 || y > 2099 || days === undefined || d < 1 || d > days) throw new LinkageInputError('birth_date', 'not_a_date');
  return `${m[1]}${m[2]}${m[3]}`;
}

function normaliseSex(code: string): string {
  const s = code.trim().toLowerCase();
  if (!SEX_CODES.has(s)) throw new LinkageInputError('sex', 'code');
  return s;
}

function normaliseNationality(code: string | null): string {
  const n = (code ?? '').trim().toUpperCase();
  if (n !== '' && !/^[A-Z]{2}$/.test(n)) throw new LinkageInputError('nationality', 'code');
  return n;
}

/**
 * The message the key hashes (UTF-8, all ASCII):
 * `lagesbild-linkage-v1|YYYYMMDD|sex|GG|FF|NN` — date of birth, sex code, the first two letters of
 * the given and the family name, nationality (empty when unknown).
 */
export function linkageMessage(p: LinkageParticulars): string {
  return [
    LINKAGE_VERSION,
    normaliseBirthDate(p.birth_date),
    normaliseSex(p.sex),
    nameLetters(p.given_name, 'given_name'),
    nameLetters(p.family_name, 'family_name'),
    normaliseNationality(p.nationality),
  ].join('|');
}

/** The year's key from its file: 64 hexadecimal characters (either case), surrounding white space ignored. */
export function parseYearKey(text: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new LinkageInputError('year_key', 'format');
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Web Crypto (crypto.subtle) is not available here');
  return s;
}

/** Imports the year's key once for signing; the CryptoKey cannot be exported again. */
export async function importYearKey(yearKey: string | Uint8Array): Promise<CryptoKey> {
  const bytes = typeof yearKey === 'string' ? parseYearKey(yearKey) : yearKey;
  if (bytes.length !== 32) throw new LinkageInputError('year_key', 'format');
  return subtle().importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** HMAC-SHA-256 of a message under a key, as 64 lower-case hex characters. */
export async function hmacHex(key: CryptoKey, message: string): Promise<string> {
  const mac = new Uint8Array(await subtle().sign('HMAC', key, new TextEncoder().encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The linkage key of a person under the year's key (64 hex characters, a `CryptoKey`, or its 32 bytes). */
export async function linkageKey(yearKey: string | Uint8Array | CryptoKey, p: LinkageParticulars): Promise<string> {
  const message = linkageMessage(p);
  const key = typeof yearKey === 'string' || yearKey instanceof Uint8Array ? await importYearKey(yearKey) : yearKey;
  return hmacHex(key, message);
}

/**
 * The columns of a file that hold the particulars, by their name in the header (either language).
 * They are never imported: the command line computes the key from them and drops them, and the web
 * app refuses a file that has them before anything is sent.
 */
export const particularColumns: Record<string, 'birth_date' | 'given_name' | 'family_name'> = {
  birth_date: 'birth_date', födelsedatum: 'birth_date', date_of_birth: 'birth_date',
  given_name: 'given_name', förnamn: 'given_name',
  family_name: 'family_name', efternamn: 'family_name',
};
