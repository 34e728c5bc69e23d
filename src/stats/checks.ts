// Consistency checks over a report's tables (every margin agrees with its total), and
// data-quality notes over the counted cases. Checks read the finished rows, not the counts
// they came from, so they also catch a table assembled wrongly.
import { personGroup } from '../standard/codes.ts';
import type { QualityNote, ReportCheck, ReportRow, ReportSettings, ReportTable, TableId } from './report-types.ts';
import { percentOf, type Aggregates, margins } from './tables.ts';
import {
  AGE_GROUPS,
  CATEGORIES,
  CAT_UNKNOWN,
  CRIME_TYPES,
  CRIME_UNKNOWN,
  FORMS,
  FORM_MASKS,
  REFERRER_UNKNOWN,
  REGION_UNKNOWN,
  SEXES,
} from './cube.ts';

type Sums = Map<string, number>;

function sumBy(rows: readonly ReportRow[], key: string, where: (r: ReportRow) => boolean = () => true): Sums {
  const out: Sums = new Map();
  for (const r of rows) if (where(r)) out.set(String(r[key]), (out.get(String(r[key])) ?? 0) + r.count);
  return out;
}
const total = (rows: readonly ReportRow[]) => rows.reduce((t, r) => t + r.count, 0);

/** Compares two keyed sums; codes absent on one side count as 0. */
function sameSums(a: Sums, b: Sums): string[] {
  const diffs: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) if ((a.get(k) ?? 0) !== (b.get(k) ?? 0)) diffs.push(`${k}: ${a.get(k) ?? 0} ≠ ${b.get(k) ?? 0}`);
  return diffs;
}

/** Runs every consistency check that applies to the tables present. */
export function runChecks(tables: readonly ReportTable[]): ReportCheck[] {
  const t = new Map<TableId, ReportTable>(tables.map((x) => [x.id, x]));
  const checks: ReportCheck[] = [];
  const check = (id: string, diffs: string[], what: string) =>
    checks.push({ id, ok: diffs.length === 0, detail: diffs.length === 0 ? what : `${what}: ${diffs.slice(0, 5).join('; ')}` });
  const eq = (a: number, b: number, label: string) => (a === b ? [] : [`${label}: ${a} ≠ ${b}`]);

  const totals = t.get('totals');
  if (!totals) return checks;
  const all = totals.rows.find((r) => r.dimension === 'all')?.count ?? 0;
  const dim = (d: string) => sumBy(totals.rows, 'code', (r) => r.dimension === d);
  const sumOfSums = (s: Sums) => [...s.values()].reduce((a, b) => a + b, 0);
  for (const d of ['crime_type', 'group', 'age_group']) check(`totals_${d}`, eq(sumOfSums(dim(d)), all, d), `totals ${d} = all (${all})`);

  const category = t.get('category');
  const byCategory = category ? sumBy(category.rows, 'category') : new Map<string, number>();
  if (category) {
    check('category_sum', eq(total(category.rows), all, 'category'), `category = all (${all})`);
    check(
      'category_percent',
      category.rows.filter((r) => r.percent !== percentOf(r.count, all)).map((r) => `${r.category}: ${r.percent}`),
      'category percent = count / all, half-up',
    );
  }
  const twoWay = (id: TableId, a: string, aTotals: Sums, b: string, bTotals: Sums) => {
    const x = t.get(id);
    if (!x) return;
    check(`${id}_${a}`, sameSums(sumBy(x.rows, a), aTotals), `${id} by ${a} = ${a} totals`);
    check(`${id}_${b}`, sameSums(sumBy(x.rows, b), bTotals), `${id} by ${b} = ${b} totals`);
  };
  twoWay('form_by_group', 'category', byCategory, 'group', dim('group'));
  twoWay('crime_by_group', 'crime_type', dim('crime_type'), 'group', dim('group'));
  twoWay('form_by_crime', 'category', byCategory, 'crime_type', dim('crime_type'));

  const combos = t.get('multiple_combinations');
  if (combos) {
    check('multiple_combinations_sum', eq(total(combos.rows), byCategory.get('multiple') ?? 0, 'multiple'), 'multiple_combinations = category multiple');
    check(
      'multiple_combinations_forms',
      combos.rows.filter((r) => String(r.combination).split('+').length < 2).map((r) => String(r.combination)),
      'every combination has two or more forms',
    );
  }

  const children = t.get('children_by_form');
  if (children) {
    const groups = dim('group');
    const bySex = sumBy(children.rows, 'sex');
    check('children_by_form_sum', eq(total(children.rows), dim('age_group').get('child') ?? 0, 'children'), 'children_by_form = age_group child');
    check(
      'children_by_form_sex',
      [...eq(bySex.get('female') ?? 0, groups.get('girl') ?? 0, 'female/girl'), ...eq(bySex.get('male') ?? 0, groups.get('boy') ?? 0, 'male/boy')],
      'children_by_form female = girls, male = boys',
    );
  }

  const industry = t.get('industry_by_sex');
  if (industry) {
    const labourCases = (byCategory.get('labour') ?? 0) + (combos ? total(combos.rows.filter((r) => String(r.combination).split('+').includes('labour'))) : 0);
    check('industry_by_sex_cases', eq(industry.n_answered + industry.n_missing, labourCases, 'labour cases'), 'industry_by_sex covers every case with labour');
    check('industry_by_sex_rows', total(industry.rows) >= labourCases ? [] : [`${total(industry.rows)} < ${labourCases}`], 'every case with labour has an industry row');
    const multiple = t.get('multiple_industry_by_sex');
    if (multiple) {
      const cell = (r: ReportRow) => `${r.industry}/${r.sex}`;
      const whole = new Map(industry.rows.map((r) => [cell(r), r.count]));
      check(
        'multiple_industry_within_industry',
        multiple.rows.filter((r) => r.count > (whole.get(cell(r)) ?? 0)).map(cell),
        'multiple_industry_by_sex ≤ industry_by_sex cell by cell',
      );
    }
  }

  const referrer = t.get('referrer');
  if (referrer) {
    check('referrer_sum', eq(total(referrer.rows), all, 'referrer'), `referrer = all (${all})`);
    check(
      'referrer_percent',
      referrer.rows.filter((r) => r.percent !== percentOf(r.count, all)).map((r) => `${r.referred_by}: ${r.percent}`),
      'referrer percent = count / all, half-up',
    );
  }

  const nationality = t.get('nationality');
  if (nationality) {
    check('nationality_sum', eq(total(nationality.rows), all, 'nationality'), `nationality = all (${all})`);
    const byNat = new Map(nationality.rows.map((r) => [String(r.nationality), r.count]));
    const known = nationality.rows.filter((r) => r.nationality !== 'unknown').map((r) => r.count);
    const top = t.get('nationality_top');
    if (top) {
      const cut = top.rows.length ? Math.min(...top.rows.map((r) => r.count)) : Infinity;
      check(
        'nationality_top',
        [
          ...top.rows.filter((r) => r.nationality === 'unknown' || byNat.get(String(r.nationality)) !== r.count).map((r) => `${r.nationality}`),
          ...eq(top.rows.length, known.filter((k) => k >= cut).length, 'rows with count ≥ cut'),
          ...(top.rows.length < Math.min(10, known.length) ? [`${top.rows.length} rows`] : []),
        ],
        'nationality_top = the 10 most common known nationalities, ties at 10th kept',
      );
    }
    const top3 = t.get('nationality_top3_by_form');
    if (top3) {
      const sums = sumBy(top3.rows, 'nationality');
      check(
        'nationality_top3_by_form',
        [...sums].filter(([k, v]) => byNat.get(k) !== v).map(([k, v]) => `${k}: ${v} ≠ ${byNat.get(k)}`),
        'nationality_top3_by_form by nationality = nationality',
      );
    }
  }

  const wp = t.get('workplace_inspection');
  if (wp) check('workplace_inspection', total(wp.rows) <= wp.n_answered && wp.n_answered + wp.n_missing === all ? [] : [`${total(wp.rows)}/${wp.n_answered}/${wp.n_missing}`], 'workplace_inspection ≤ answered, answered + missing = all');

  const region = t.get('region');
  if (region) {
    check('region_category', sameSums(sumBy(region.rows, 'category'), byCategory), 'region by category = category totals');
    check('region_sum', eq(total(region.rows), all, 'region'), `region = all (${all})`);
  }

  const related = t.get('related_children');
  if (related) check('related_children', eq(total(related.rows), related.n_answered + related.n_missing, 'children'), 'related_children = answered + missing');

  const ofAll: TableId[] = ['category', 'form_by_group', 'crime_by_group', 'form_by_crime', 'referrer', 'nationality', 'nationality_top', 'region'];
  check(
    'answered_plus_missing',
    ofAll.filter((id) => t.has(id) && t.get(id)!.n_answered + t.get(id)!.n_missing !== all).map((id) => id),
    'n_answered + n_missing = all persons',
  );
  const negative = tables.filter((x) => x.n_answered < 0 || x.n_missing < 0 || (x.id !== 'trend' && x.rows.some((r) => !(r.count > 0) && r.dimension !== 'all'))).map((x) => x.id);
  check('counts_positive', negative, 'every cell count > 0 (zero cells left out), n_answered and n_missing ≥ 0');
  return checks;
}

const FORMS_OF_4_1B = new Set(['labour', 'begging', 'other']);
const EXPLOITATION = CRIME_TYPES.indexOf('exploitation');
/** Form bitmasks with a form outside what BrB 4:1b covers (data standard 3.2). */
const outside41b = (m: number) => FORMS.some((f, i) => m & (1 << i) && !FORMS_OF_4_1B.has(f));

/** Data-quality notes with their counts: what is unknown or unanswered, and the crime type vs form rule. */
export function qualityNotes(agg: Aggregates, settings: ReportSettings): QualityNote[] {
  const mg = margins(agg, settings);
  const NC = CATEGORIES.length;
  const NS = SEXES.length;
  const NA = AGE_GROUPS.length;
  let mismatch = 0;
  for (let m = 0; m < FORM_MASKS; m++) {
    if (!outside41b(m)) continue;
    const base = (m * CRIME_TYPES.length + EXPLOITATION) * NS * NA;
    for (let k = 0; k < NS * NA; k++) mismatch += agg.main[base + k];
  }
  let natUnknown = 0;
  for (let ci = 0; ci < NC; ci++) natUnknown += agg.nationality[ci];
  let regUnknown = 0;
  for (let ci = 0; ci < NC; ci++) regUnknown += agg.region[REGION_UNKNOWN * NC + ci];
  let wpUnanswered = 0;
  for (let ci = 0; ci < NC; ci++) wpUnanswered += agg.workplace[ci];
  let labourNoIndustry = 0;
  for (let s = 0; s < NS; s++) labourNoIndustry += agg.labour[s];
  const ageUnknown = mg.byAge[AGE_GROUPS.indexOf('unknown')];
  const note = (id: string, count: number, sv: string, en: string): QualityNote => ({ id, count, sv, en });
  return [
    note('form_unknown', mg.byCat[CAT_UNKNOWN], 'Ärenden utan exploateringsform (okänd / ej redovisat)', 'Cases without an exploitation form (unknown / not reported)'),
    note('crime_type_unknown', mg.byCrime[CRIME_UNKNOWN], 'Ärenden utan brottstyp', 'Cases without a crime type'),
    note('crime_type_form_mismatch', mismatch, 'Människoexploatering med annan form än arbetskraft, tiggeri eller annat (bör vara människohandel)', 'Human exploitation with a form other than labour, begging or other (should be human trafficking)'),
    note('sex_unknown', mg.byGroup[personGroup.codes.indexOf('unknown')], 'Ärenden med okänt kön', 'Cases of unknown sex'),
    note(
      'age_unknown',
      ageUnknown,
      settings.unknown_age_as_adult ? 'Ärenden med okänd ålder (räknas som vuxna)' : 'Ärenden med okänd ålder (redovisas för sig)',
      settings.unknown_age_as_adult ? 'Cases of unknown age (counted as adults)' : 'Cases of unknown age (shown on their own)',
    ),
    note('nationality_unknown', natUnknown, 'Ärenden utan nationalitet', 'Cases without a nationality'),
    note('referrer_unknown', agg.referrer[REFERRER_UNKNOWN], 'Ärenden med okänd hänvisande aktör', 'Cases with an unknown referring actor'),
    note('industry_unknown', labourNoIndustry, 'Ärenden med arbetskraftsexploatering utan känd bransch', 'Labour exploitation cases without a known industry'),
    note('region_unknown', regUnknown, 'Ärenden utan region', 'Cases without a region'),
    note('possible_duplicates', agg.repeatedKeys, 'Ärenden med samma länkningsnyckel som ett annat ärende samma år (möjliga dubbletter)', 'Cases with the same linkage key as another case of the year (possible duplicates)'),
    note('workplace_inspection_unanswered', wpUnanswered, 'Ärenden där det inte är angivet om de upptäcktes vid arbetsplatsinspektion', 'Cases where it is not stated whether they were found through a workplace inspection'),
  ];
}
