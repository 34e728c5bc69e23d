// Passwords: argon2id hashes, and the rule for new passwords: long, not a known common one or
// a famous passphrase, and hard to guess by zxcvbn's estimate (at least 10^12 guesses).
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { Label } from '../standard/codes.ts';

export const MIN_PASSWORD_LENGTH = 15;
// Long enough for any passphrase; bounds the work an attacker can make argon2 do.
export const MAX_PASSWORD_LENGTH = 256;

// argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane). `Algorithm` is a const enum.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the time of a real check when there is no user, so timing does not tell. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('lagesbild-no-such-user-placeholder');
  await verifyPassword(await dummy, password);
  return false;
}

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

// 10^12 guesses: decades for an online attacker, and beyond a small offline attack on argon2id.
export const MIN_GUESSES_LOG10 = 12;
// zxcvbn's matching grows fast with length; past this the prefix's estimate already decides.
const SCORED_LENGTH = 100;

export type PasswordProblem = { rule: 'too_short' | 'too_long' | 'common' | 'contains_username' | 'known_passphrase' | 'guessable'; message: Label };

const problems: Record<PasswordProblem['rule'], Label> = {
  too_short: {
    sv: `Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken. En mening av flera ord är lätt att minnas.`,
    en: `The password must have at least ${MIN_PASSWORD_LENGTH} characters. A sentence of several words is easy to remember.`,
  },
  too_long: { sv: `Lösenordet får ha högst ${MAX_PASSWORD_LENGTH} tecken.`, en: `The password may have at most ${MAX_PASSWORD_LENGTH} characters.` },
  common: {
    sv: 'Lösenordet är för vanligt eller för lätt att gissa. Välj ett annat.',
    en: 'The password is too common or too easy to guess. Choose another.',
  },
  contains_username: { sv: 'Lösenordet får inte innehålla användarnamnet.', en: 'The password must not contain the username.' },
  known_passphrase: {
    sv: 'Lösenordet är en känd lösenfras som finns i alla listor angripare prövar. Hitta på en egen mening.',
    en: 'The password is a well-known passphrase that is on every list attackers try. Make up a sentence of your own.',
  },
  guessable: {
    sv: 'Lösenordet är för lätt att gissa (till exempel en tangentbordsrad, en talföljd eller vanliga ord). Lägg till fler ovanliga ord.',
    en: 'The password is too easy to guess (for example a keyboard row, a run of digits or common words). Add more unusual words.',
  },
};

// Passphrases famous enough to be in every cracking list, however they are spaced or cased.
// zxcvbn alone rates several of them strong (correcthorsebatterystaple: 10^14 guesses).
const knownPassphrases = [
  'correcthorsebatterystaple',
  'thequickbrownfoxjumpsoverthelazydog',
  'maytheforcebewithyou',
  'allyourbasearebelongtous',
  'tobeornottobethatisthequestion',
  'alongtimeagoinagalaxyfarfaraway',
  'iamthewalrusgoogoogjoob',
  'onefishtwofishredfishbluefish',
  'loremipsumdolorsitamet',
  'nevergonnagiveyouup',
  'youshallnotpass',
  'openthepodbaydoorshal',
  'winteriscoming',
  'iwantitthatway',
];

/** The letters of a text, lower case: spacing, digits and symbols do not make a passphrase new. */
const lettersOf = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}]/gu, '');

/** Is the password a famous passphrase, with at most a few letters added? */
function isKnownPassphrase(password: string): boolean {
  const letters = lettersOf(password);
  return knownPassphrases.some((phrase) => letters.includes(phrase) && letters.length - phrase.length < 6);
}

let zxcvbn: ZxcvbnFactory | null = null;
/** zxcvbn with the common dictionaries, built at the first check (its dictionaries take a moment). */
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return zxcvbn;
}

/** zxcvbn's estimate of the guesses needed, as log10. */
export function guessesLog10(password: string, userInputs: string[] = []): number {
  return estimator().check([...password].slice(0, SCORED_LENGTH).join(''), userInputs).guessesLog10;
}

/** Is the password a common one, possibly repeated or with digits and symbols around it? */
function isCommon(password: string): boolean {
  const lower = password.toLowerCase().normalize('NFKC');
  const list = commonPasswords();
  if (list.has(lower)) return true;
  if (new Set(lower).size < 5) return true;
  const bare = lower.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const withoutTail = bare.replace(/[^\p{L}]+$/u, '');
  if (list.has(bare) || (withoutTail.length >= 4 && list.has(withoutTail))) return true;
  // The same short piece over and over: "passwordpassword", "abcabcabcabcabc".
  for (let size = 1; size <= lower.length / 2; size++) {
    if (lower.length % size === 0 && lower.slice(0, size).repeat(lower.length / size) === lower) return true;
  }
  return lower.includes('lagesbild') || lower.includes('lägesbild');
}

/** The first rule a new password breaks, or null when it is acceptable. */
export function checkPassword(password: string, username?: string): PasswordProblem | null {
  const length = [...password].length;
  const fail = (rule: PasswordProblem['rule']): PasswordProblem => ({ rule, message: problems[rule] });
  if (length < MIN_PASSWORD_LENGTH) return fail('too_short');
  if (length > MAX_PASSWORD_LENGTH) return fail('too_long');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return fail('contains_username');
  if (isCommon(password)) return fail('common');
  if (isKnownPassphrase(password)) return fail('known_passphrase');
  if (guessesLog10(password, username ? [username] : []) < MIN_GUESSES_LOG10) return fail('guessable');
  return null;
}

/**
 * A password for a new user or a reset, shown once to the administrator who hands it over: six
 * groups of five random letters and digits (about 180 bits), far past every rule above.
 */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 30 }, () => alphabet[randomInt(alphabet.length)]);
  return Array.from({ length: 6 }, (_, i) => chars.slice(i * 5, i * 5 + 5).join('')).join('-');
}
