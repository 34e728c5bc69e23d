// The report's running text, its sentences filled from the computed tables.
import { industryParent, labelOf, type IndustryCode } from '../standard/codes.ts';
import { tableWith, type Role } from '../stats/catalogue.ts';
import type { PublishedReport, PublishedRow } from '../stats/report-types.ts';
import { percentOf } from '../stats/tables.ts';
import { codeLabel, type Lang } from './labels.ts';

const svWords = ['noll', 'en', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio', 'elva', 'tolv'];

/** A number as Swedish print writes it in running text: words up to twelve, then digits with a space for thousands. */
export function svNumber(n: number, neuter = false): string {
  if (Number.isInteger(n) && n >= 0 && n <= 12) return n === 1 && neuter ? 'ett' : svWords[n];
  return n.toLocaleString('sv-SE');
}

/** "68 procent" / "68 per cent". */
export function percentText(p: number, lang: Lang): string {
  return lang === 'sv' ? `${svNumber(p)} procent` : `${p} per cent`;
}

function num(n: number, lang: Lang, neuter = false): string {
  return lang === 'sv' ? svNumber(n, neuter) : n.toLocaleString('en-GB');
}

/** "a, b och c" / "a, b and c". */
export function listText(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'sv' ? 'och' : 'and'} ${items.at(-1)}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase('sv') + s.slice(1);
}

// Referring actors named as organisations keep their capital letter in running text.
const properReferrers = new Set(['migration_agency', 'migration_detention', 'mika_evonhuset']);

function referrerName(code: string, lang: Lang): string {
  const label = codeLabel('referred_by', code, lang);
  return properReferrers.has(code) ? label : lowerFirst(label);
}

/** The rows of the table that plays `role` (the catalogue knows which). */
function rows(report: PublishedReport, role: Role): PublishedRow[] {
  const id = tableWith(role);
  return report.tables.find((t) => t.id === id)?.rows ?? [];
}

/**
 * The sum of the matching rows; null when one of them is suppressed (the protected form). A
 * sentence that needs a null figure is left out rather than printed with a guess.
 */
function count(report: PublishedReport, role: Role, match: Record<string, string>): number | null {
  return sumOf(rows(report, role).filter((r) => Object.entries(match).every(([k, v]) => String(r[k]) === v)));
}

function sumOf(rs: readonly PublishedRow[]): number | null {
  let total = 0;
  for (const r of rs) {
    if (r.count === null) return null;
    total += r.count;
  }
  return total;
}

/** The rows published with a count, the suppressed left out: rankings are of what is printed. */
const published = (rs: readonly PublishedRow[]) => rs.filter((r): r is PublishedRow & { count: number } => r.count !== null);

/** The values when every one is known, for a sentence that needs them all. */
function known<T extends readonly (number | null | undefined)[]>(...values: T): { [K in keyof T]: number } | null {
  return values.every((v) => typeof v === 'number') ? (values as unknown as { [K in keyof T]: number }) : null;
}

const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);

const nouns: Record<string, { sv: [string, string]; en: [string, string] }> = {
  woman: { sv: ['kvinna', 'kvinnor'], en: ['woman', 'women'] },
  man: { sv: ['man', 'män'], en: ['man', 'men'] },
  girl: { sv: ['flicka', 'flickor'], en: ['girl', 'girls'] },
  boy: { sv: ['pojke', 'pojkar'], en: ['boy', 'boys'] },
  person: { sv: ['person', 'personer'], en: ['person', 'persons'] },
  child: { sv: ['barn', 'barn'], en: ['child', 'children'] },
  case: { sv: ['ärende', 'ärenden'], en: ['case', 'cases'] },
  instance: { sv: ['fall', 'fall'], en: ['case', 'cases'] },
};

/** "åtta flickor", "en pojke", "1 girl". */
function counted(n: number, noun: keyof typeof nouns, lang: Lang): string {
  const neuter = noun === 'child' || noun === 'case' || noun === 'instance';
  return `${num(n, lang, neuter)} ${nouns[noun][lang][n === 1 ? 0 : 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase('sv') + s.slice(1);
}

/** Facts the text needs, computed once from the tables. */
function facts(report: PublishedReport) {
  const total = count(report, 'persons', { dimension: 'all' });
  const group = (g: string) => count(report, 'persons', { dimension: 'group', code: g });
  const categories = published(rows(report, 'forms'))
    .filter((r) => r.category !== 'unknown' && r.count > 0)
    .sort((a, b) => b.count - a.count);
  const industryTable = report.tables.find((t) => t.id === tableWith('industries'));
  // An industry group's total is known only when none of its industries is suppressed.
  const industryTotals = new Map<string, number | null>();
  for (const r of industryTable?.rows ?? []) {
    if (r.industry === 'unknown') continue;
    const key = industryParent[r.industry as IndustryCode] ?? String(r.industry);
    industryTotals.set(key, add(industryTotals.get(key) ?? 0, r.count));
  }
  return {
    total,
    trafficking: count(report, 'persons', { dimension: 'crime_type', code: 'trafficking' }),
    exploitation: count(report, 'persons', { dimension: 'crime_type', code: 'exploitation' }),
    woman: group('woman'),
    man: group('man'),
    girl: group('girl'),
    boy: group('boy'),
    other: group('other'),
    sexUnknown: group('unknown'),
    ageUnknown: group('age_unknown'),
    children: count(report, 'persons', { dimension: 'age_group', code: 'child' }),
    categories,
    nationalities: published(rows(report, 'top_nationalities'))
      .filter((r) => r.count > 0)
      .sort((a, b) => b.count - a.count),
    referrers: published(rows(report, 'referrers'))
      .filter((r) => r.referred_by !== 'unknown' && r.count > 0)
      .sort((a, b) => b.count - a.count),
    selfReferral: published(rows(report, 'referrers')).find((r) => r.referred_by === 'self_referral' && r.percent != null),
    relatedInSweden: count(report, 'relatives', { location: 'in_sweden' }),
    relatedAbroad: count(report, 'relatives', { location: 'abroad' }),
    inspections: rows(report, 'inspections'),
    // Industries with anyone in them: a suppressed cell may hold someone, so the number is unknown then.
    industries: (industryTable?.rows ?? []).some((r) => r.count === null)
      ? null
      : new Set((industryTable?.rows ?? []).filter((r) => r.count !== 0).map((r) => String(r.industry)).filter((c) => c !== 'unknown')).size,
    industryGroups: [...industryTotals.entries()].filter((e): e is [string, number] => e[1] !== null && e[1] > 0).sort((a, b) => b[1] - a[1]),
    industryComplete: ![...industryTotals.values()].includes(null),
    industryPersons: industryTable ? add(industryTable.n_answered, industryTable.n_missing) : 0,
  };
}

/** One category with its count and percent: "arbetskraft (325 personer, 68 procent)". */
function categoryPhrase(r: PublishedRow & { count: number }, lang: Lang): string {
  const name = lowerFirst(codeLabel('category', r.category, lang));
  return `${name} (${counted(r.count, 'person', lang)}, ${percentText(r.percent ?? 0, lang)})`;
}

export type Summary = { overview: string; forms: string; nationality: string; referrer: string };

/** The summary ("Sammanfattning") in paragraphs; a paragraph whose table has no data is empty. */
export function summaryParts(report: PublishedReport, lang: Lang = 'sv'): Summary {
  const f = facts(report);
  const sv = lang === 'sv';
  const out: Summary = { overview: '', forms: '', nationality: '', referrer: '' };
  const all = known(f.total, f.exploitation, f.trafficking, f.woman, f.man, f.girl, f.boy);
  const groups = all ? [counted(all[3], 'woman', lang), counted(all[4], 'man', lang)] : [];
  const kids = all ? [counted(all[5], 'girl', lang), counted(all[6], 'boy', lang)] : [];
  out.overview = !all
    ? ''
    : (
    sv
      ? `Under ${report.year} fick regionkoordinatorerna kännedom om ${counted(all[0], 'person', lang)}. ` +
          `I ${counted(all[1], 'case', lang)} bedömdes misstanke om människoexploatering och i ${svNumber(all[2])} misstanke om människohandel. ` +
          `Totalt identifierades ${groups.join(', ')} samt ${listText(kids, lang)}.` +
          (f.sexUnknown ? ` I ${counted(f.sexUnknown, 'instance', lang)} var könstillhörigheten okänd.` : '') +
          (f.other ? ` ${capitalise(counted(f.other, 'person', lang))} hade en annan könsidentitet.` : '') +
          (f.ageUnknown ? ` För ${counted(f.ageUnknown, 'person', lang)} var åldern okänd.` : '')
      : `In ${report.year} the regional coordinators learned of ${counted(all[0], 'person', lang)}. ` +
          `${capitalise(counted(all[1], 'case', lang))} were assessed as suspected human exploitation and ${all[2]} as suspected human trafficking. ` +
          `In all, ${groups.join(', ')}, ${listText(kids, lang)} were identified.` +
          (f.sexUnknown ? ` In ${counted(f.sexUnknown, 'case', lang)} the sex was unknown.` : '') +
          (f.other ? ` ${capitalise(counted(f.other, 'person', lang))} had another gender identity.` : '') +
          (f.ageUnknown ? ` The age of ${counted(f.ageUnknown, 'person', lang)} was unknown.` : '')
  );
  const [first, ...next] = f.categories;
  if (first) {
    const rest = next.slice(0, 2).map((r) => categoryPhrase(r, lang));
    out.forms = (
      sv
        ? `Den vanligaste exploateringsformen var ${lowerFirst(codeLabel('category', first.category, lang))}: ${counted(first.count, 'person', lang)}, vilket utgör ${percentText(first.percent ?? 0, lang)} av ärendena.` +
            (rest.length ? ` Därefter följde ${listText(rest, lang)}.` : '')
        : `The most common form of exploitation was ${lowerFirst(codeLabel('category', first.category, lang))}: ${counted(first.count, 'person', lang)}, or ${percentText(first.percent ?? 0, lang)} of the cases.` +
            (rest.length ? ` It was followed by ${listText(rest, lang)}.` : '')
    );
  }
  if (f.nationalities.length) {
    const top = f.nationalities.slice(0, 3).map((r) => `${codeLabel('nationality', r.nationality, lang)} (${r.count})`);
    out.nationality = sv
      ? `De vanligast förekommande ursprungsländerna var ${listText(top, lang)}.`
      : `The most common countries of origin were ${listText(top, lang)}.`;
  }
  if (f.referrers.length) {
    const top = f.referrers.slice(0, 2).map((r) => `${referrerName(String(r.referred_by), lang)} (${percentText(r.percent ?? 0, lang)})`);
    const self = f.selfReferral;
    out.referrer =
      (sv
        ? `Ärenden kom till regionkoordinatorerna främst genom ${listText(top, lang)}.`
        : `Cases reached the regional coordinators mainly through ${listText(top, lang)}.`) +
        (self
          ? sv
            ? ` I ${percentText(self.percent ?? 0, lang)} av ärendena tog den utsatta personen själv kontakt.`
            : ` In ${percentText(self.percent ?? 0, lang)} of the cases the person made contact themselves.`
          : '');
  }
  return out;
}

/** The summary's paragraphs in reading order. */
export function summaryParagraphs(report: PublishedReport, lang: Lang = 'sv'): string[] {
  return Object.values(summaryParts(report, lang)).filter(Boolean);
}

/** Paragraphs of the report's sections, keyed by section; a paragraph needing a suppressed figure is empty. */
export function sectionText(report: PublishedReport, lang: Lang = 'sv') {
  const f = facts(report);
  const sv = lang === 'sv';
  const inspectionTotal = sumOf(f.inspections);
  const inspectionParts = published(f.inspections)
    .filter((r) => r.category !== 'unknown' && r.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((r) => `${num(r.count, lang)} ${lowerFirst(codeLabel('category', r.category, lang))}`);
  const [top1, top2, top3] = f.industryGroups;
  const topThree = [top1, top2, top3].filter(Boolean);
  const industryName = (code: string) => lowerFirst(code === 'green' ? labelOf('industry_group', code, lang) : codeLabel('industry', code, lang));
  const previous = rows(report, 'years').filter((r) => Number(r.year) === report.year - 1);
  const prevOf = (m: string) => previous.find((r) => r.measure === m)?.count;
  const prev = known(prevOf('labour'), prevOf('sexual'));
  const sexes = known(f.woman, f.girl, f.man, f.boy, f.total);
  const kids = known(f.children, f.girl, f.boy);
  const related = known(f.relatedInSweden, f.relatedAbroad);
  const industry = f.industryComplete ? known(f.industries, f.industryPersons) : null;
  const inspection = known(inspectionTotal, f.total);
  let sex = '';
  if (sexes) {
    const [woman, girl, man, boy, total] = sexes;
    const [female, male] = [woman + girl, man + boy];
    sex = sv
      ? `Totalt identifierades ${num(female, lang)} (${percentText(percentOf(female, total), lang)}) kvinnor och flickor och ${num(male, lang)} (${percentText(percentOf(male, total), lang)}) män och pojkar.`
      : `In all, ${female} (${percentText(percentOf(female, total), lang)}) women and girls and ${male} (${percentText(percentOf(male, total), lang)}) men and boys were identified.`;
  }
  let industryText = '';
  if (industry && topThree.length) {
    const [industries, persons] = industry;
    const share = percentText(percentOf(topThree.reduce((s, [, n]) => s + n, 0), persons), lang);
    const first = percentText(percentOf(top1[1], persons), lang);
    const names = listText(topThree.map(([c]) => industryName(c)), lang);
    industryText = sv
      ? `Personer utsatta i arbetskraftsexploatering identifierades inom ${svNumber(industries)} olika branscher. Vanligast var ${names}, som tillsammans utgjorde ${share}. ${capitalise(industryName(top1[0]))} utgjorde ${first}.`
      : `Persons exposed to labour exploitation were identified in ${industries} industries. The most common were ${names}, together ${share}. ${capitalise(industryName(top1[0]))} made up ${first}.`;
  }
  return {
    previousYear: prev
      ? sv
        ? `${report.year - 1} var siffrorna ${num(prev[0], lang)} i arbetskraftsexploatering och ${num(prev[1], lang)} för sexuella ändamål.`
        : `In ${report.year - 1} the figures were ${prev[0]} in labour exploitation and ${prev[1]} in sexual exploitation.`
      : '',
    sex,
    children: kids
      ? sv
        ? `Under ${report.year} identifierades ${counted(kids[0], 'child', lang)}, varav ${listText([counted(kids[1], 'girl', lang), counted(kids[2], 'boy', lang)], lang)}.`
        : `In ${report.year}, ${counted(kids[0], 'child', lang)} were identified: ${listText([counted(kids[1], 'girl', lang), counted(kids[2], 'boy', lang)], lang)}.`
      : '',
    related: related
      ? sv
        ? `Regionkoordinatorerna noterade ${counted(related[0] + related[1], 'child', lang)} till utsatta vuxna, varav ${num(related[0], lang, true)} var medföljande och befann sig i Sverige och ${num(related[1], lang, true)} befann sig i ett annat land.`
        : `The regional coordinators noted ${counted(related[0] + related[1], 'child', lang)} of exploited adults: ${related[0]} with the adult in Sweden and ${related[1]} in another country.`
      : '',
    industry: industryText,
    inspection:
      inspection && inspection[0]
        ? sv
          ? `${capitalise(num(inspection[0], lang))} av de totalt ${num(inspection[1], lang)} ärendena upptäcktes genom den myndighetsgemensamma samverkan mot arbetslivskriminalitet. Av dessa gällde ${listText(inspectionParts, lang)}.`
          : `${inspection[0]} of the ${inspection[1]} cases were found through the joint inter-agency work against work-related crime, concerning ${listText(inspectionParts, lang)}.`
        : '',
  };
}
