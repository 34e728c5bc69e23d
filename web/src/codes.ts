// The code lists from GET /api/codes, the form rules, and the labels of report dimensions built on them.
import { useEffect, useState } from 'react';
import type { CaseRules, CodesDocument, ReportCatalogue } from '../../src/contract/index.ts';
import { api } from './api.ts';
import type { Lang } from './i18n.ts';
import type { Role } from './report.ts';

export type { CaseRules, ReportCatalogue };
export type Code = { code: string; sv: string; en: string; group?: string };
export type Codes = {
  lists: Record<string, Code[]>;
  countries: Code[];
  /** group code → leaf codes; a leaf outside any group is its own group */
  industryGroups: CodesDocument['industry_hierarchy'];
  /** field path → label */
  fields: CodesDocument['fields'];
  /** The form rules (required fields per source, refused codes, fields only with another's code); null until served. */
  rules: CaseRules | null;
  /** The report's table catalogue (the `report` section of /api/codes); null until served. */
  report: ReportCatalogue | null;
};
export type ReportTableSpec = ReportCatalogue['tables'][number];

/** The document of GET /api/codes (src/contract/codes.ts), read defensively: a part missing is empty. */
export function normalizeCodes(doc: unknown): Codes {
  const d = (doc ?? {}) as Partial<CodesDocument>;
  const lists = (d.lists && typeof d.lists === 'object' ? d.lists : {}) as Record<string, Code[]>;
  const countries = Array.isArray(d.countries) ? d.countries : [];
  const fields = d.fields && typeof d.fields === 'object' ? d.fields : {};
  const industryGroups = Array.isArray(d.industry_hierarchy) ? d.industry_hierarchy : (lists.industry ?? []).map((i) => ({ ...i, leaves: [i.code] }));
  const rules = d.rules && typeof d.rules === 'object' && d.rules.required ? d.rules : null;
  const report = d.report && typeof d.report === 'object' && Array.isArray(d.report.tables) ? d.report : null;
  return { lists, countries, industryGroups, fields, rules, report };
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

/** The catalogue's entry of a report table, when the catalogue has been served. */
export function tableSpec(codes: Codes | null, id: string): ReportTableSpec | undefined {
  return codes?.report?.tables.find((t) => t.id === id);
}

/** The id of the table that plays `role` in the catalogue (undefined until the catalogue is loaded). */
export function tableWith(codes: Codes | null, role: Role): string | undefined {
  return codes?.report?.tables.find((t) => t.role === role)?.id;
}

/** A report table's title (its id until the catalogue is loaded). */
export function tableTitle(codes: Codes | null, id: string, lang: Lang): string {
  return tableSpec(codes, id)?.title[lang] ?? id;
}

/** The heading of a row key or value column of the report tables. */
export function reportHeading(codes: Codes | null, key: string, lang: Lang): string {
  const report = codes?.report;
  return (report?.dimensions[key]?.heading ?? report?.values[key as keyof ReportCatalogue['values']])?.[lang] ?? key;
}

/** The label of a code of one report dimension (a row key, or the dimension a `totals` row names). */
export function dimensionLabel(codes: Codes | null, dimension: string, code: string | number, lang: Lang): string {
  const c = String(code);
  const dims = codes?.report?.dimensions;
  // A `totals` row of every person names the dimension `all` and the code `all`.
  const own = dimension === 'all' ? dims?.dimension?.codes.all : dims?.[dimension]?.codes[c];
  if (own) return own[lang];
  if (dimension === 'nationality') return countryLabel(codes, c, lang);
  if (dimension === 'combination') return c.split('+').map((f) => codeLabel(codes, 'category', f, lang)).join(' + ');
  const list = dims?.[dimension]?.list;
  return list ? codeLabel(codes, list, c, lang) : c;
}

/** Codes in the order of the dimension's code list (or of its own codes); others last. */
export function inDimensionOrder(codes: Codes | null, dimension: string, values: string[]): string[] {
  const dim = codes?.report?.dimensions[dimension];
  const order = dim?.list ? (codes?.lists[dim.list] ?? []).map((x) => x.code) : Object.keys(dim?.codes ?? {});
  const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
  return [...values].sort((a, b) => rank(a) - rank(b));
}
