// The support programmes' annual report: the people granted support by the assisted return
// programme (ÅMP, run by IOM) and the national support programme (NSP, run by the civil-society
// platform), year by year over the report's year and the two before it, as the programmes'
// figures are printed in the annual report of the authority that finances them.
//
// A record counts in the year of its `identified_on` (a programme record's date is the date the
// programme learnt of the person) and only when its application is granted. Every figure is a
// count of persons (no percentages: the tables are small and read across years).
//
// How the printed tables are modelled:
// - ÅMP by person group (women, men, girls, boys) × year; ÅMP by exploitation form × year, where
//   the family members and children granted support with an exposed person are rows of their own
//   (their `programme_role`), and a person with no form given is the row "Ej redovisat", as printed:
//   every person of the year is in one row, so the columns add to those granted.
// - NSP by women, men and children × year: the programme does not report children by sex.
// - NSP by exploitation form: the programme reports the forms of the adults exposed only (children,
//   and adults granted support as family members, are outside the table's base). The printed table
//   gives each form's total per year and, for the report's year only, each form's women and men as
//   sub-rows. The spec has one row and one column axis, and sub-rows under each form would make the
//   rows add to more than those who answered, so the sex split is a table of its own: form × sex of
//   the report's year (its rows add to the first table's column of that year, less the adults of
//   another or unknown sex).
import type { CaseData } from '../../standard/case.ts';
import { exploitationCategory, statisticsYear } from '../../standard/derive.ts';
import type { Label } from '../../standard/codes.ts';
import type { AxisCode, SourceRecord, SourceReportSpec, SourceRow, SourceTableBody, SourceTableSpec } from './types.ts';

/** The three years a report of `year` shows, oldest first. */
export const reportYears = (year: number): number[] => [year - 2, year - 1, year];

const yearAxis = {
  heading: { sv: 'År', en: 'Year' },
  codes: (year: number): AxisCode[] => reportYears(year).map((y) => ({ code: String(y), label: { sv: String(y), en: String(y) } })),
};

const granted: Label = { sv: 'Personer som beviljats stöd', en: 'Persons granted support' };

/** ÅMP's person groups (printed as Kvinnor, Män, Flickor, Pojkar). */
const ampGroups: AxisCode[] = [
  { code: 'woman', label: { sv: 'Kvinnor', en: 'Women' } },
  { code: 'man', label: { sv: 'Män', en: 'Men' } },
  { code: 'girl', label: { sv: 'Flickor', en: 'Girls' } },
  { code: 'boy', label: { sv: 'Pojkar', en: 'Boys' } },
];

/** NSP's person groups: the programme does not report children by sex. */
const nspGroups: AxisCode[] = [
  { code: 'woman', label: { sv: 'Kvinnor', en: 'Women' } },
  { code: 'man', label: { sv: 'Män', en: 'Men' } },
  { code: 'child', label: { sv: 'Barn', en: 'Children' } },
];

const formLabels = {
  sexual: { sv: 'Sexuella ändamål', en: 'Sexual exploitation' },
  labour: { sv: 'Arbetskraft', en: 'Labour exploitation' },
  criminality: { sv: 'Kriminella ändamål', en: 'Forced criminality' },
  begging: { sv: 'Tiggeri', en: 'Begging' },
  domestic_work: { sv: 'Hushållsarbete', en: 'Domestic work' },
  other: { sv: 'Annan exploateringsform', en: 'Other form of exploitation' },
  multiple: { sv: 'Multipel exploatering', en: 'Multiple exploitation' },
  accompanying_family: { sv: 'Medföljande familjemedlem', en: 'Accompanying family member' },
  accompanying_child: { sv: 'Medföljande barn', en: 'Accompanying child' },
  unknown: { sv: 'Ej redovisat', en: 'Not reported' },
} as const satisfies Record<string, Label>;
type FormRow = keyof typeof formLabels;

const axisOf = (codes: readonly FormRow[]): AxisCode[] => codes.map((code) => ({ code, label: formLabels[code] }));

/** The forms printed on their own; every other single form is `other`. */
const printedForms = ['sexual', 'labour', 'criminality', 'begging', 'domestic_work'] as const;
const ampFormRows = axisOf([...printedForms, 'other', 'multiple', 'accompanying_family', 'accompanying_child', 'unknown']);
const nspFormRows = axisOf([...printedForms, 'other', 'multiple']);

/** A person's form row: the single printed form, `other`, `multiple`, or `unknown` when no form is given. */
export function formRowOf(forms: CaseData['exploitation_forms']): FormRow {
  const category = exploitationCategory(forms);
  if (category === 'unknown' || category === 'multiple') return category;
  return (printedForms as readonly string[]).includes(category) ? (category as FormRow) : 'other';
}

/** ÅMP's row of a record: the family member's or child's role, else the exploitation form. */
export function ampFormRowOf(r: Pick<CaseData, 'programme_role' | 'exploitation_forms'>): FormRow {
  if (r.programme_role === 'accompanying_family' || r.programme_role === 'accompanying_child') return r.programme_role;
  return formRowOf(r.exploitation_forms);
}

/** Person group of ÅMP's table: null for another or unknown sex or an unknown age (not in a row). */
export function ampGroupOf(r: Pick<CaseData, 'sex' | 'age_group'>): string | null {
  if ((r.sex !== 'female' && r.sex !== 'male') || r.age_group === 'unknown') return null;
  if (r.age_group === 'child') return r.sex === 'female' ? 'girl' : 'boy';
  return r.sex === 'female' ? 'woman' : 'man';
}

/** Person group of NSP's table: children whatever their sex; null for an adult of another or unknown sex or an unknown age. */
export function nspGroupOf(r: Pick<CaseData, 'sex' | 'age_group'>): string | null {
  if (r.age_group === 'child') return 'child';
  if (r.age_group !== 'adult' || (r.sex !== 'female' && r.sex !== 'male')) return null;
  return r.sex === 'female' ? 'woman' : 'man';
}

/** An adult granted NSP support as the exposed person (a role left empty is the exposed person). */
const nspAdultExposed = (r: SourceRecord) => r.age_group === 'adult' && (r.programme_role === null || r.programme_role === 'exposed');

/**
 * A cross table of rows × the report's years: `base` picks the programme's records in the table's
 * base, `row` places a record in a row (null: in the base but not answered). Records of years the
 * report does not show are outside the base (neither counted nor missing).
 */
function readByYear(
  records: readonly SourceRecord[],
  year: number,
  rows: readonly AxisCode[],
  base: (r: SourceRecord) => boolean,
  row: (r: SourceRecord) => string | null,
): SourceTableBody {
  const shown = new Set(reportYears(year));
  const inBase = (r: SourceRecord) => shown.has(statisticsYear(r.identified_on)) && base(r);
  return readCross(records, rows, yearAxis.codes(year), inBase, row, (r) => String(statisticsYear(r.identified_on)));
}

/** A cross table: each record of the base in one cell, or missing when it has no row or column code of the table. */
function readCross(
  records: readonly SourceRecord[],
  rows: readonly AxisCode[],
  columns: readonly AxisCode[],
  base: (r: SourceRecord) => boolean,
  row: (r: SourceRecord) => string | null,
  column: (r: SourceRecord) => string | null,
): SourceTableBody {
  const key = (r: string, c: string) => `${r}\n${c}`;
  const counts = new Map<string, number>();
  for (const r of rows) for (const c of columns) counts.set(key(r.code, c.code), 0);
  let answered = 0;
  let missing = 0;
  for (const rec of records) {
    if (!base(rec)) continue;
    const c = column(rec);
    const r = row(rec);
    const k = r === null || c === null ? null : key(r, c);
    if (k !== null && counts.has(k)) {
      counts.set(k, counts.get(k)! + 1);
      answered++;
    } else missing++;
  }
  return {
    rows: rows.flatMap((r) => columns.map((c): SourceRow => ({ code: r.code, column: c.code, count: counts.get(key(r.code, c.code))!, percent: null }))),
    n_answered: answered,
    n_missing: missing,
  };
}

const isProgramme = (p: 'nsp' | 'amp') => (r: SourceRecord) => r.source === 'support_programme' && r.programme === p && r.programme_status === 'granted';

const S = {
  amp: { sv: 'Återvändandeprogrammet för offer för människohandel (ÅMP)', en: 'The assisted return programme for victims of trafficking (AVRR)' },
  nsp: { sv: 'Det nationella stödprogrammet (NSP)', en: 'The national support programme (NSP)' },
} as const satisfies Record<string, Label>;

const tables: SourceTableSpec[] = [
  {
    id: 'amp_granted',
    number: 1,
    section: S.amp,
    title: { sv: 'Antal som beviljats stöd i ÅMP', en: 'Persons granted support by AVRR' },
    rows: { heading: { sv: 'Kön och ålder', en: 'Sex and age' }, codes: () => ampGroups },
    column: yearAxis,
    multi: false,
    unit: 'person',
    base: { sv: 'Personer som beviljats stöd i ÅMP, efter kön och ålder', en: 'Persons granted support by AVRR, by sex and age' },
    percent: false,
    figure: { title: { sv: 'Antal som beviljats stöd i ÅMP', en: 'Persons granted support by AVRR' } },
    note: {
      sv: 'Personer av annan eller okänd könsidentitet och personer med okänd ålder räknas bland dem som saknar uppgift.',
      en: 'Persons of another or unknown gender identity and persons of unknown age are counted among those not answered.',
    },
    read: (records, year) => {
      const amp = isProgramme('amp');
      return readByYear(records, year, ampGroups, amp, ampGroupOf);
    },
  },
  {
    id: 'amp_forms',
    number: 2,
    section: S.amp,
    title: { sv: 'Exploateringsform, ÅMP', en: 'Form of exploitation, AVRR' },
    rows: { heading: { sv: 'Exploateringsform', en: 'Form of exploitation' }, codes: () => ampFormRows, sensitive: true },
    column: yearAxis,
    multi: false,
    unit: 'person',
    base: granted,
    percent: false,
    figure: { title: { sv: 'Exploateringsform, ÅMP', en: 'Form of exploitation, AVRR' } },
    note: {
      sv: 'Medföljande familjemedlemmar och barn som beviljats stöd tillsammans med en utsatt person redovisas på egna rader. Personer vars exploateringsform inte redovisats står under Ej redovisat.',
      en: 'Family members and children granted support together with an exposed person are shown on rows of their own. Persons whose form of exploitation was not reported are shown as Not reported.',
    },
    read: (records, year) => readByYear(records, year, ampFormRows, isProgramme('amp'), ampFormRowOf),
  },
  {
    id: 'nsp_granted',
    number: 3,
    section: S.nsp,
    title: { sv: 'Antal som beviljats stöd i NSP', en: 'Persons granted support by NSP' },
    rows: { heading: { sv: 'Kön och ålder', en: 'Sex and age' }, codes: () => nspGroups },
    column: yearAxis,
    multi: false,
    unit: 'person',
    base: { sv: 'Personer som beviljats stöd i NSP, efter kön och ålder', en: 'Persons granted support by NSP, by sex and age' },
    percent: false,
    figure: { title: { sv: 'Antal som beviljats stöd i NSP', en: 'Persons granted support by NSP' } },
    note: {
      sv: 'Barn redovisas inte efter kön. Vuxna av annan eller okänd könsidentitet och personer med okänd ålder räknas bland dem som saknar uppgift.',
      en: 'Children are not reported by sex. Adults of another or unknown gender identity and persons of unknown age are counted among those not answered.',
    },
    read: (records, year) => readByYear(records, year, nspGroups, isProgramme('nsp'), nspGroupOf),
  },
  {
    id: 'nsp_forms',
    number: 4,
    section: S.nsp,
    title: { sv: 'Exploateringsform, NSP', en: 'Form of exploitation, NSP' },
    rows: { heading: { sv: 'Exploateringsform', en: 'Form of exploitation' }, codes: () => nspFormRows, sensitive: true },
    column: yearAxis,
    multi: false,
    unit: 'person',
    base: { sv: 'Vuxna utsatta som beviljats stöd i NSP', en: 'Exposed adults granted support by NSP' },
    percent: false,
    note: {
      sv: 'Barnens exploateringsform redovisas inte; vuxna som beviljats stöd som medföljande familjemedlemmar ingår inte.',
      en: 'The form of exploitation of children is not reported; adults granted support as accompanying family members are not included.',
    },
    read: (records, year) => {
      const nsp = isProgramme('nsp');
      return readByYear(records, year, nspFormRows, (r) => nsp(r) && nspAdultExposed(r), (r) => {
        const f = formRowOf(r.exploitation_forms);
        return f === 'unknown' ? null : f;
      });
    },
  },
  {
    id: 'nsp_forms_sex',
    number: 5,
    section: S.nsp,
    title: { sv: 'Exploateringsform efter kön, NSP', en: 'Form of exploitation by sex, NSP' },
    rows: { heading: { sv: 'Exploateringsform', en: 'Form of exploitation' }, codes: () => nspFormRows, sensitive: true },
    column: { heading: { sv: 'Kön', en: 'Sex' }, codes: () => nspGroups.slice(0, 2) },
    multi: false,
    unit: 'person',
    base: { sv: 'Vuxna utsatta som beviljats stöd i NSP under året', en: 'Exposed adults granted support by NSP during the year' },
    percent: false,
    note: {
      sv: 'Endast rapportåret. Vuxna av annan eller okänd könsidentitet och de vars exploateringsform inte redovisats räknas bland dem som saknar uppgift.',
      en: 'The report’s year only. Adults of another or unknown gender identity and those whose form of exploitation was not reported are counted among those not answered.',
    },
    read: (records, year) => {
      const nsp = isProgramme('nsp');
      return readCross(
        records,
        nspFormRows,
        nspGroups.slice(0, 2),
        (r) => nsp(r) && nspAdultExposed(r) && statisticsYear(r.identified_on) === year,
        (r) => {
          const f = formRowOf(r.exploitation_forms);
          return f === 'unknown' ? null : f;
        },
        nspGroupOf,
      );
    },
  },
];

export const supportProgrammeReport: SourceReportSpec = {
  source: 'support_programme',
  title: { sv: 'Stödprogrammen för utsatta för människohandel', en: 'The support programmes for people exposed to human trafficking' },
  reporter: {
    sv: 'Jämställdhetsmyndigheten, med uppgifter från IOM (ÅMP) och Plattformen Civila Sverige mot Människohandel (NSP)',
    en: 'The Swedish Gender Equality Agency, with figures from IOM (AVRR) and the Swedish Civil Society Platform against Human Trafficking (NSP)',
  },
  years: (y) => ({ from: y - 2, to: y }),
  includes: (r) => r.source === 'support_programme' && r.status !== 'withdrawn' && r.programme_status === 'granted',
  tables,
};
