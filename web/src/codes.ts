// The code lists from GET /api/codes, and the labels of report dimensions built on them.
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import type { Lang } from './i18n.ts';

export type Code = { code: string; sv: string; en: string; group?: string };
export type Codes = {
  lists: Record<string, Code[]>;
  countries: Code[];
  /** group code → leaf codes; a leaf outside any group is its own group */
  industryGroups: { code: string; sv: string; en: string; leaves: string[] }[];
  /** field path → label */
  fields: Record<string, { sv: string; en: string }>;
};

/** The document of src/standard/api-codes.ts: `{lists, industry_hierarchy, countries, fields}`. */
export function normalizeCodes(doc: unknown): Codes {
  const d = (doc ?? {}) as Record<string, unknown>;
  const lists = (d.lists && typeof d.lists === 'object' ? d.lists : {}) as Record<string, Code[]>;
  const countries = Array.isArray(d.countries) ? (d.countries as Code[]) : [];
  const fields = (d.fields && typeof d.fields === 'object' ? d.fields : {}) as Codes['fields'];
  const industryGroups = Array.isArray(d.industry_hierarchy)
    ? (d.industry_hierarchy as Codes['industryGroups'])
    : (lists.industry ?? []).map((i) => ({ ...i, leaves: [i.code] }));
  return { lists, countries, industryGroups, fields };
}

let cache: Promise<Codes> | null = null;
export function loadCodes(): Promise<Codes> {
  cache ??= api<unknown>('/api/codes').then(normalizeCodes).catch((e) => {
    cache = null;
    throw e;
  });
  return cache;
}

export function useCodes(): Codes | null {
  const [codes, setCodes] = useState<Codes | null>(null);
  useEffect(() => {
    let live = true;
    loadCodes().then((c) => live && setCodes(c), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return codes;
}

export function codeLabel(codes: Codes | null, list: string, code: string | null | undefined, lang: Lang): string {
  if (code === null || code === undefined || code === '') return '';
  const hit = codes?.lists[list]?.find((c) => c.code === code);
  return hit ? hit[lang] : code;
}

export function countryLabel(codes: Codes | null, code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  const hit = codes?.countries.find((c) => c.code === code);
  if (hit) return hit[lang];
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Report row keys and the code list that labels them. */
const dimensionLists: Record<string, string> = {
  category: 'category',
  group: 'person_group',
  crime_type: 'crime_type',
  age_group: 'age_group',
  sex: 'sex',
  industry: 'industry',
  referred_by: 'referred_by',
  location: 'child_location',
  age_band: 'child_age_band',
  region: 'region',
};

export function dimensionLabel(codes: Codes | null, dimension: string, code: string | number, lang: Lang, own: (key: string) => string | undefined): string {
  const c = String(code);
  const mine = own(`${dimension}.${c}`);
  if (mine) return mine;
  if (dimension === 'nationality') return c === 'unknown' ? codeLabel(codes, 'sex', 'unknown', lang) || c : countryLabel(codes, c, lang);
  if (dimension === 'combination') return c.split('+').map((f) => codeLabel(codes, 'category', f, lang)).join(' + ');
  const list = dimensionLists[dimension];
  return list ? codeLabel(codes, list, c, lang) : c;
}
