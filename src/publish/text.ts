// The report's running text, its sentences filled from the computed tables.
import { industryParent, labelOf, type IndustryCode } from '../standard/codes.ts';
import { tableWith, type Role } from '../stats/catalogue.ts';
import type { Report, ReportRow } from '../stats/report-types.ts';
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
function rows(report: Report, role: Role): ReportRow[] {
  const id = tableWith(role);
  return report.tables.find((t) => t.id === id)?.rows ?? [];
}

function count(report: Report, role: Role, match: Record<string, string>): number {
  return rows(report, role)
    .filter((r) => Object.entries(match).every(([k, v]) => String(r[k]) === v))
    .reduce((s, r) => s + r.count, 0);
}

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
function facts(report: Report) {
  const total = count(report, 'persons', { dimension: 'all' });
  const group = (g: string) => count(report, 'persons', { dimension: 'group', code: g });
  const categories = rows(report, 'forms')
    .filter((r) => r.category !== 'unknown')
    .sort((a, b) => b.count - a.count);
  const industryTable = report.tables.find((t) => t.id === tableWith('industries'));
  const industryTotals = new Map<string, number>();
  for (const r of industryTable?.rows ?? []) {
    if (r.industry === 'unknown') continue;
    const key = industryParent[r.industry as IndustryCode] ?? String(r.industry);
    industryTotals.set(key, (industryTotals.get(key) ?? 0) + r.count);
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
    nationalities: rows(report, 'top_nationalities'),
    referrers: [...rows(report, 'referrers')].filter((r) => r.referred_by !== 'unknown').sort((a, b) => b.count - a.count),
    selfReferral: rows(report, 'referrers').find((r) => r.referred_by === 'self_referral'),
    relatedInSweden: count(report, 'relatives', { location: 'in_sweden' }),
    relatedAbroad: count(report, 'relatives', { location: 'abroad' }),
    inspections: rows(report, 'inspections'),
    industries: new Set((industryTable?.rows ?? []).map((r) => String(r.industry)).filter((c) => c !== 'unknown')).size,
    industryGroups: [...industryTotals.entries()].sort((a, b) => b[1] - a[1]),
    industryPersons: industryTable ? industryTable.n_answered + industryTable.n_missing : 0,
  };
}

/** One category with its count and percent: "arbetskraft (325 personer, 68 procent)". */
function categoryPhrase(r: ReportRow, lang: Lang): string {
  const name = lowerFirst(codeLabel('category', r.category, lang));
  return `${name} (${counted(r.count, 'person', lang)}, ${percentText(r.percent ?? 0, lang)})`;
}

export type Summary = { overview: string; forms: string; nationality: string; referrer: string };

/** The summary ("Sammanfattning") in paragraphs; a paragraph whose table has no data is empty. */
export function summaryParts(report: Report, lang: Lang = 'sv'): Summary {
  const f = facts(report);
  const sv = lang === 'sv';
  const out: Summary = { overview: '', forms: '', nationality: '', referrer: '' };
  const groups = [counted(f.woman, 'woman', lang), counted(f.man, 'man', lang)];
  const kids = [counted(f.girl, 'girl', lang), counted(f.boy, 'boy', lang)];
  out.overview = (
    sv
      ? `Under ${report.year} fick regionkoordinatorerna kännedom om ${counted(f.total, 'person', lang)}. ` +
          `I ${counted(f.exploitation, 'case', lang)} bedömdes misstanke om människoexploatering och i ${svNumber(f.trafficking)} misstanke om människohandel. ` +
          `Totalt identifierades ${groups.join(', ')} samt ${listText(kids, lang)}.` +
          (f.sexUnknown ? ` I ${counted(f.sexUnknown, 'instance', lang)} var könstillhörigheten okänd.` : '') +
          (f.other ? ` ${capitalise(counted(f.other, 'person', lang))} hade en annan könsidentitet.` : '') +
          (f.ageUnknown ? ` För ${counted(f.ageUnknown, 'person', lang)} var åldern okänd.` : '')
      : `In ${report.year} the regional coordinators learned of ${counted(f.total, 'person', lang)}. ` +
          `${capitalise(counted(f.exploitation, 'case', lang))} were assessed as suspected human exploitation and ${f.trafficking} as suspected human trafficking. ` +
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
export function summaryParagraphs(report: Report, lang: Lang = 'sv'): string[] {
  return Object.values(summaryParts(report, lang)).filter(Boolean);
}

/** Paragraphs of the report's sections, keyed by section. */
export function sectionText(report: Report, lang: Lang = 'sv') {
  const f = facts(report);
  const sv = lang === 'sv';
  const female = f.woman + f.girl;
  const male = f.man + f.boy;
  const inspectionTotal = f.inspections.reduce((s, r) => s + r.count, 0);
  const inspectionParts = [...f.inspections]
    .filter((r) => r.category !== 'unknown')
    .sort((a, b) => b.count - a.count)
    .map((r) => `${num(r.count, lang)} ${lowerFirst(codeLabel('category', r.category, lang))}`);
  const [top1, top2, top3] = f.industryGroups;
  const topThree = [top1, top2, top3].filter(Boolean);
  const industryName = (code: string) => lowerFirst(code === 'green' ? labelOf('industry_group', code, lang) : codeLabel('industry', code, lang));
  const previous = rows(report, 'years').filter((r) => Number(r.year) === report.year - 1);
  const prevOf = (m: string) => previous.find((r) => r.measure === m)?.count;
  const [prevLabour, prevSexual] = [prevOf('labour'), prevOf('sexual')];
  return {
    previousYear:
      prevLabour !== undefined && prevSexual !== undefined
        ? sv
          ? `${report.year - 1} var siffrorna ${num(prevLabour, lang)} i arbetskraftsexploatering och ${num(prevSexual, lang)} för sexuella ändamål.`
          : `In ${report.year - 1} the figures were ${prevLabour} in labour exploitation and ${prevSexual} in sexual exploitation.`
        : '',
    sex: sv
      ? `Totalt identifierades ${num(female, lang)} (${percentText(percentOf(female, f.total), lang)}) kvinnor och flickor och ${num(male, lang)} (${percentText(percentOf(male, f.total), lang)}) män och pojkar.`
      : `In all, ${female} (${percentText(percentOf(female, f.total), lang)}) women and girls and ${male} (${percentText(percentOf(male, f.total), lang)}) men and boys were identified.`,
    children: sv
      ? `Under ${report.year} identifierades ${counted(f.children, 'child', lang)}, varav ${listText([counted(f.girl, 'girl', lang), counted(f.boy, 'boy', lang)], lang)}.`
      : `In ${report.year}, ${counted(f.children, 'child', lang)} were identified: ${listText([counted(f.girl, 'girl', lang), counted(f.boy, 'boy', lang)], lang)}.`,
    related: sv
      ? `Regionkoordinatorerna noterade ${counted(f.relatedInSweden + f.relatedAbroad, 'child', lang)} till utsatta vuxna, varav ${num(f.relatedInSweden, lang, true)} var medföljande och befann sig i Sverige och ${num(f.relatedAbroad, lang, true)} befann sig i ett annat land.`
      : `The regional coordinators noted ${counted(f.relatedInSweden + f.relatedAbroad, 'child', lang)} of exploited adults: ${f.relatedInSweden} with the adult in Sweden and ${f.relatedAbroad} in another country.`,
    industry: topThree.length
      ? sv
        ? `Personer utsatta i arbetskraftsexploatering identifierades inom ${svNumber(f.industries)} olika branscher. Vanligast var ${listText(topThree.map(([c]) => industryName(c)), lang)}, som tillsammans utgjorde ${percentText(percentOf(topThree.reduce((s, [, n]) => s + n, 0), f.industryPersons), lang)}. ${capitalise(industryName(top1[0]))} utgjorde ${percentText(percentOf(top1[1], f.industryPersons), lang)}.`
        : `Persons exposed to labour exploitation were identified in ${f.industries} industries. The most common were ${listText(topThree.map(([c]) => industryName(c)), lang)}, together ${percentText(percentOf(topThree.reduce((s, [, n]) => s + n, 0), f.industryPersons), lang)}. ${capitalise(industryName(top1[0]))} made up ${percentText(percentOf(top1[1], f.industryPersons), lang)}.`
      : '',
    inspection: inspectionTotal
      ? sv
        ? `${capitalise(num(inspectionTotal, lang))} av de totalt ${num(f.total, lang)} ärendena upptäcktes genom den myndighetsgemensamma samverkan mot arbetslivskriminalitet. Av dessa gällde ${listText(inspectionParts, lang)}.`
        : `${inspectionTotal} of the ${f.total} cases were found through the joint inter-agency work against work-related crime, concerning ${listText(inspectionParts, lang)}.`
      : '',
  };
}
