// Countries (ISO 3166-1 alpha-2) with Swedish and English names, from a maintained package.
import countries from 'i18n-iso-countries';
import { createRequire } from 'node:module';
import type { Lang } from './codes.ts';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/sv.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

export type Country = { code: string; sv: string; en: string; alpha3: string };

/** All countries, sorted by Swedish name. */
export const countryList: Country[] = Object.keys(countries.getAlpha2Codes())
  .map((code) => ({
    code,
    sv: countries.getName(code, 'sv') ?? code,
    en: countries.getName(code, 'en') ?? code,
    alpha3: countries.alpha2ToAlpha3(code) ?? code,
  }))
  .sort((a, b) => a.sv.localeCompare(b.sv, 'sv'));

const byCode = new Map(countryList.map((c) => [c.code, c]));

/** True when the string is an assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

/** The country's name in a language; the code itself when unknown. */
export function countryName(code: string, lang: Lang = 'sv'): string {
  return byCode.get(code)?.[lang] ?? code;
}

/** Alpha-3 code for the CTDC export. */
export function countryAlpha3(code: string): string | undefined {
  return byCode.get(code)?.alpha3;
}

/** Finds a country by code or by its Swedish or English name (case-insensitive, any official alias). */
export function findCountry(text: string): string | undefined {
  const t = text.trim();
  if (byCode.has(t.toUpperCase()) && t.length === 2) return t.toUpperCase();
  return countries.getAlpha2Code(t, 'sv') ?? countries.getAlpha2Code(t, 'en') ?? undefined;
}
