// GET /api/codes: the code lists, the field names, the form rules and the report catalogue.
import { z } from 'zod';
import { caseFieldNames } from '../standard/case.ts';
import { codeLists, source, type CodeListName } from '../standard/codes.ts';
import { Label } from './common.ts';
import { ReportCatalogue } from './stats.ts';

export const CodeItem = z.strictObject({ code: z.string(), sv: z.string(), en: z.string() });
export type CodeItem = z.output<typeof CodeItem>;

const Source = z.enum(source.codes);
const Field = z.enum(caseFieldNames);

/** The rules of src/standard/rules.ts: what the form marks required, hides and leaves out. */
export const CaseRules = z.strictObject({
  required: z.record(Source, z.array(Field)),
  refused: z.record(Source, z.partialRecord(Field, z.array(z.string()))),
  only_with: z.array(z.strictObject({ field: Field, when: z.strictObject({ field: Field, includes: z.string() }), rule: z.string() })),
});
export type CaseRules = z.output<typeof CaseRules>;

export const CodesDocument = z.strictObject({
  /** Every code list, in the order of the data standard. */
  lists: z.record(z.enum(Object.keys(codeLists) as [CodeListName, ...CodeListName[]]), z.array(CodeItem)),
  /** Industry groups with their leaf codes; a leaf outside any group is a group of its own. */
  industry_hierarchy: z.array(CodeItem.extend({ leaves: z.array(z.string()) })),
  /** ISO 3166-1 alpha-2 countries, sorted by Swedish name. */
  countries: z.array(CodeItem),
  /** Field names in words, keyed by field path (support fields as support.<name>). */
  fields: z.record(z.string(), Label),
  rules: CaseRules,
  report: ReportCatalogue,
});
export type CodesDocument = z.output<typeof CodesDocument>;
