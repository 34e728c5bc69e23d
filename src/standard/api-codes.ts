// The vocabulary as one document: what /api/codes serves and the web form reads, with the form
// rules that depend on other fields.
import { codeLists, industry, industryGroup, industryParent, type CodeListName, type Label } from './codes.ts';
import { countryList } from './countries.ts';
import { fieldLabels } from './messages.ts';
import { caseRules, type CaseRules } from './rules.ts';

export type CodeItem = { code: string } & Label;
export type IndustryGroupItem = CodeItem & { leaves: string[] };

export type CodesDocument = {
  /** Every code list, in the order of the data standard. */
  lists: Record<CodeListName, CodeItem[]>;
  /** Industry groups with their leaf codes; a leaf outside any group is a group of its own. */
  industry_hierarchy: IndustryGroupItem[];
  /** ISO 3166-1 alpha-2 countries, sorted by Swedish name. */
  countries: CodeItem[];
  /** Field names in words, keyed by field path (support fields as support.<name>). */
  fields: Record<string, Label>;
  /** Required fields per source, codes a source may not choose, fields answered only with another's code (rules.ts). */
  rules: CaseRules;
};

let cached: CodesDocument | undefined;

/** Every code list with sv/en labels, the industry hierarchy, the countries and the field names. */
export function codesDocument(): CodesDocument {
  cached ??= deepFreeze(build());
  return cached;
}

function build(): CodesDocument {
  const item = ({ code, sv, en }: CodeItem): CodeItem => ({ code, sv, en });
  const lists = Object.fromEntries(
    (Object.keys(codeLists) as CodeListName[]).map((name) => [name, (codeLists[name].items as CodeItem[]).map(item)]),
  ) as Record<CodeListName, CodeItem[]>;
  const hierarchy: IndustryGroupItem[] = [];
  for (const leaf of industry.items) {
    const parent = industryParent[leaf.code];
    if (!parent) {
      hierarchy.push({ ...item(leaf), leaves: [leaf.code] });
      continue;
    }
    let group = hierarchy.find((g) => g.code === parent);
    if (!group) {
      group = { ...item(industryGroup.items.find((g) => g.code === parent)!), leaves: [] };
      hierarchy.push(group);
    }
    group.leaves.push(leaf.code);
  }
  return {
    lists,
    industry_hierarchy: hierarchy,
    countries: countryList.map(item),
    fields: { ...fieldLabels },
    rules: caseRules(),
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
