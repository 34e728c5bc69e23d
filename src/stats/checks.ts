// Consistency checks over a report's tables (the catalogue's relations between them), and
// data-quality notes over the counted cases. Checks read the finished rows, not the counts
// they came from, so they also catch a table assembled wrongly.
import { personGroup } from '../standard/codes.ts';
import type { QualityNote, ReportCheck, ReportRow, ReportSettings, ReportTable, TableId } from './report-types.ts';
import { catalogue, tableWith, type Margin, type Relation, type TableSpec } from './catalogue.ts';
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

/** The cells of `rows` that match `margin.where`, summed by `margin.by` (one sum under '' when it has none). */
function sumsOf(rows: readonly ReportRow[], margin: Margin): Sums {
  const out: Sums = new Map();
  const where = Object.entries(margin.where ?? {});
  for (const r of rows) {
    if (!where.every(([k, v]) => String(r[k]) === v)) continue;
    const key = margin.by ? String(r[margin.by]) : '';
    out.set(key, (out.get(key) ?? 0) + r.count);
  }
  if (!margin.by && !out.size) out.set('', 0);
  return out;
}

/** Compares keyed sums over `keys` (every key of either side when left out); absent codes count as 0. */
function sameSums(a: Sums, b: Sums, keys: Iterable<string> = new Set([...a.keys(), ...b.keys()])): string[] {
  const diffs: string[] = [];
  for (const k of keys) if ((a.get(k) ?? 0) !== (b.get(k) ?? 0)) diffs.push(`${k || 'sum'}: ${a.get(k) ?? 0} ≠ ${b.get(k) ?? 0}`);
  return diffs;
}

const total = (rows: readonly ReportRow[]) => rows.reduce((t, r) => t + r.count, 0);
const cellKey = (r: ReportRow) => dimensionKeysOf(r).map((k) => `${r[k]}`).join('/');
const dimensionKeysOf = (r: ReportRow) => Object.keys(r).filter((k) => k !== 'count' && k !== 'percent' && k !== 'status');
const marginText = (table: string, m: Margin) =>
  `${table}${m.where ? ` where ${Object.entries(m.where).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}${m.by ? ` by ${m.by}` : ''}`;

/** What one relation of the catalogue says about the tables present: its check, or none when a table is absent. */
function relationCheck(spec: TableSpec, x: ReportTable, relation: Relation, other: ReportTable): ReportCheck {
  const result = (id: string, diffs: string[], what: string): ReportCheck => ({ id, ok: diffs.length === 0, detail: diffs.length ? `${what}: ${diffs.slice(0, 5).join('; ')}` : what });
  if (relation.kind === 'at_most') {
    const whole = new Map(other.rows.map((r) => [cellKey(r), r.count]));
    return result(`${spec.id}_within_${other.id}`, x.rows.filter((r) => r.count > (whole.get(cellKey(r)) ?? 0)).map(cellKey), `${spec.id} ≤ ${other.id} cell by cell`);
  }
  const mine = sumsOf(x.rows, relation.cells);
  const theirs = sumsOf(other.rows, relation.margin);
  const what = `${marginText(spec.id, relation.cells)} ${relation.kind === 'sum' ? '=' : '≥'} ${marginText(other.id, relation.margin)}`;
  const suffix = relation.cells.by ?? Object.values(relation.cells.where ?? {})[0] ?? 'sum';
  if (relation.kind === 'at_least') {
    const a = mine.get('') ?? 0;
    const b = theirs.get('') ?? 0;
    return result(`${spec.id}_at_least_${other.id}`, a >= b ? [] : [`${a} < ${b}`], what);
  }
  if (relation.map) {
    const renamed: Sums = new Map();
    for (const [k, v] of mine) if (relation.map[k] !== undefined) renamed.set(relation.map[k], v);
    return result(`${spec.id}_${suffix}`, sameSums(renamed, theirs, Object.values(relation.map)), `${what} (${Object.entries(relation.map).map(([a, b]) => `${a}→${b}`).join(', ')})`);
  }
  return result(`${spec.id}_${suffix}`, sameSums(mine, theirs, relation.subset ? mine.keys() : undefined), what);
}

/** Runs every consistency check that applies to the tables present: the catalogue's relations, percent rules and own rules. */
export function runChecks(tables: readonly ReportTable[]): ReportCheck[] {
  const t = new Map<TableId, ReportTable>(tables.map((x) => [x.id, x]));
  const checks: ReportCheck[] = [];
  const totals = t.get(tableWith('persons'));
  const all = totals ? total(totals.rows.filter((r) => r.dimension === 'all')) : 0;
  const present = catalogue.filter((spec) => t.has(spec.id));
  for (const spec of present) {
    const x = t.get(spec.id)!;
    for (const relation of spec.relations) {
      const other = t.get(relation.table);
      if (other) checks.push(relationCheck(spec, x, relation, other));
    }
    if (spec.percent === 'of_all' && totals) {
      const wrong = x.rows.filter((r) => r.percent !== percentOf(r.count, all)).map((r) => `${cellKey(r)}: ${r.percent}`);
      checks.push({ id: `${spec.id}_percent`, ok: !wrong.length, detail: `${spec.id} percent = count / all, half-up${wrong.length ? `: ${wrong.slice(0, 5).join('; ')}` : ''}` });
    }
    for (const rule of spec.rules ?? []) {
      const broken = rule.broken(x, (id) => t.get(id), all);
      checks.push({ id: `${spec.id}_${rule.id}`, ok: !broken.length, detail: broken.length ? `${rule.what}: ${broken.slice(0, 5).join('; ')}` : rule.what });
    }
  }
  if (!totals) return checks;
  const uncovered = present.filter((s) => s.coversAll && t.get(s.id)!.n_answered + t.get(s.id)!.n_missing !== all).map((s) => s.id);
  checks.push({ id: 'answered_plus_missing', ok: !uncovered.length, detail: `n_answered + n_missing = all persons${uncovered.length ? `: ${uncovered.join('; ')}` : ''}` });
  const negative = present
    .filter((s) => {
      const x = t.get(s.id)!;
      return x.n_answered < 0 || x.n_missing < 0 || (s.unit !== 'year' && x.rows.some((r) => !(r.count > 0) && r.dimension !== 'all'));
    })
    .map((s) => s.id);
  checks.push({ id: 'counts_positive', ok: !negative.length, detail: `every cell count > 0 (zero cells left out), n_answered and n_missing ≥ 0${negative.length ? `: ${negative.join('; ')}` : ''}` });
  return checks;
}

const FORMS_OF_4_1B = new Set(['labour', 'begging', 'other']);
export const EXPLOITATION = CRIME_TYPES.indexOf('exploitation');
/** Form bitmasks with a form outside what BrB 4:1b covers (data standard 3.2). */
export const outside41b = (m: number) => FORMS.some((f, i) => m & (1 << i) && !FORMS_OF_4_1B.has(f));

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
    note('workplace_inspection_unanswered', wpUnanswered, 'Ärenden där det inte är angivet om de upptäcktes vid myndighetsgemensam kontroll (AKC)', 'Cases where it is not stated whether they were found in a joint workplace inspection (AKC)'),
  ];
}
