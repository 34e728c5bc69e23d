// The support programmes' demo records: the persons granted support by ÅMP (organisation
// `demo-amp`) and NSP (`demo-nsp`). 2021–2023 are laid out group by group so the report of 2023
// reproduces the programmes' printed figures of those years (test/fixtures/
// support-programmes-2021-2023.json, with the printed inconsistencies resolved as it lists);
// 2025 follows the same shapes and carries the demo's linkage keys (demo-keys.ts): persons 0..9
// and 60..89 are the coordinators' 2025 demo persons of those numbers, 300000..300019 the
// civil-society persons granted NSP support, 200000.. the programmes' own.
import type { CaseData } from '../../standard/case.ts';
import { noSourceFields } from '../../standard/case.ts';
import type { AgeGroupCode, ExploitationFormCode, IndustryCode, ProgrammeCode, ProgrammeRoleCode, SexCode } from '../../standard/codes.ts';
import { generateDemoCases } from '../demo.ts';
import { Random } from '../demo-random.ts';
import { civilSocietyDemoYears } from './demo-civil-society.ts';
import { demoPersonKey } from './demo-keys.ts';

/** One kind of person of a year: how many, and who they are. */
type Group = {
  n: number;
  sex: SexCode;
  age: AgeGroupCode;
  role: ProgrammeRoleCode;
  forms?: ExploitationFormCode[];
  industries?: IndustryCode[];
};

const W = (n: number, forms: ExploitationFormCode[] = [], role: ProgrammeRoleCode = 'exposed'): Group => ({ n, sex: 'female', age: 'adult', role, forms });
const M = (n: number, forms: ExploitationFormCode[] = [], role: ProgrammeRoleCode = 'exposed'): Group => ({ n, sex: 'male', age: 'adult', role, forms });
const G = (n: number, forms: ExploitationFormCode[] = [], role: ProgrammeRoleCode = 'exposed'): Group => ({ n, sex: 'female', age: 'child', role, forms });
const B = (n: number, forms: ExploitationFormCode[] = [], role: ProgrammeRoleCode = 'exposed'): Group => ({ n, sex: 'male', age: 'child', role, forms });
const family = 'accompanying_family';
const child = 'accompanying_child';
/** Accompanying children whose sex the programme does not report: girls and boys alternately. */
const children = (n: number): Group[] => [G(Math.ceil(n / 2), [], child), B(Math.floor(n / 2), [], child)];

/**
 * ÅMP per year. 2021: the printed women and men include the children (not broken down), so every
 * person is laid out as an adult; 2022: 30 persons as the text and the forms' table say (13 women,
 * 13 men, 2 girls and 2 boys: the printed 2 girls and 5 boys repeat 2023's); 2023: 61.
 */
const amp: Record<number, Group[]> = {
  2021: [
    W(15, ['sexual']), W(14, ['labour']), W(2, ['begging']), W(2, ['sexual', 'labour']), W(4),
    M(18, ['labour']), M(1, ['criminality']), M(2, ['begging']), M(3),
  ],
  2022: [
    W(5, ['sexual']), W(2, ['domestic_work']), W(4, ['sexual', 'labour']), W(2, ['begging']),
    M(1, [], family), M(7, ['labour']), M(1, ['criminality']), M(2, ['begging']), M(2, ['labour', 'criminality']),
    G(1, ['sexual']), G(1, [], child), B(2, [], child),
  ],
  2023: [
    // Labour first: the nationalities below give the first 34 Thailand (berry picking and forestry).
    { ...M(30, ['labour']), industries: ['berry_picking'] },
    { ...B(2, ['labour']), industries: ['berry_picking'] },
    { ...W(5, ['labour']), industries: ['forestry'] },
    { ...W(1, ['labour']), industries: ['agriculture'] },
    { ...W(1, ['labour']), industries: ['fishing'] },
    W(11, ['sexual']), W(1, ['domestic_work']), W(1, ['domestic_work', 'sexual']), W(1, [], family),
    M(2, ['criminality']), M(1, [], family),
    G(1, ['sexual']), G(1, [], child), B(3, [], child),
  ],
};

/** ÅMP 2023's nationalities in record order, and where those who did not go home returned. */
const ampNationalities2023 = [
  ...Array<string>(34).fill('TH'), ...Array<string>(5).fill('HN'), ...Array<string>(3).fill('CO'), ...Array<string>(3).fill('MU'),
  ...Array<string>(3).fill('NG'), ...Array<string>(2).fill('UG'),
  'BY', 'BG', 'SV', 'MD', 'PE', 'PL', 'RO', 'SN', 'VN', 'VE', 'BR',
];
const returnedElsewhere: Record<string, string> = { UG: 'GR', VE: 'ES', BR: 'ES' };

/**
 * NSP per year: adults by sex and form as the printed forms' table gives them (2021 and 2022 split
 * by sex as the demo chooses: the programme printed no sex then), the rest children. 2023: 33 women,
 * 10 men and 25 children, of whom one boy was exposed (sexual exploitation) and 24 accompanied a parent.
 */
const nsp: Record<number, Group[]> = {
  2021: [W(13, ['sexual']), W(2, ['sexual', 'labour']), M(2, ['sexual']), M(2, ['labour']), ...children(17)],
  2022: [W(22, ['sexual']), W(2, ['labour']), W(2, ['sexual', 'labour']), M(1, ['sexual']), M(4, ['labour']), M(1, ['criminality']), ...children(23)],
  2023: [
    W(24, ['sexual']), W(4, ['labour']), W(5, ['sexual', 'labour']),
    M(1, ['sexual']), M(8, ['labour']), M(1, ['criminality']),
    B(1, ['sexual']), ...children(24),
  ],
};
const nspOthers2023 = ['AF', 'AL', 'BD', 'CO', 'CI', 'GH', 'KE', 'LR', 'MA', 'MD', 'NI', 'PK', 'PE', 'CH', 'SL', 'ES', 'SE', 'SY', 'TJ', 'TZ', 'UG', 'VE'];
const nspNationalities2023 = [...Array<string>(12).fill('NG'), ...Array<string>(10).fill('UA'), ...nspOthers2023];

const DAY = 86_400_000;
const isoDay = (year: number, index: number) => new Date(Date.UTC(year, 0, 1) + index * DAY).toISOString().slice(0, 10);
const addDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY).toISOString().slice(0, 10);
const daysIn = (year: number) => (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365);

type Person = Omit<Group, 'n'> & { nationality?: string | null; age_years?: number | null; linkage?: number };

/** One programme record; NSP's exposed adults get a full rest period (30 days) followed by a full integration period (90 days). */
function toRecord(programme: ProgrammeCode, p: Person, identified_on: string): CaseData {
  const forms = p.forms ?? [];
  const periods = programme === 'nsp' && p.role === 'exposed' && p.age === 'adult';
  const nationality = p.nationality ?? null;
  return {
    source: 'support_programme',
    organisation_id: programme === 'nsp' ? 'demo-nsp' : 'demo-amp',
    region: null,
    identified_on,
    crime_type: null,
    sex: p.sex,
    age: p.age_years ?? null,
    age_group: p.age,
    exploitation_forms: forms,
    industries: forms.includes('labour') ? (p.industries ?? []) : [],
    nationality,
    exploited_in_sweden: null,
    exploitation_countries: [],
    referred_by: null,
    workplace_inspection: null,
    related_children: [],
    contact_type: null,
    ...noSourceFields,
    programme,
    programme_status: 'granted',
    programme_role: p.role,
    rest_period_start: periods ? identified_on : null,
    rest_period_end: periods ? addDays(identified_on, 29) : null,
    integration_period_start: periods ? addDays(identified_on, 30) : null,
    integration_period_end: periods ? addDays(identified_on, 119) : null,
    return_country: programme === 'amp' && nationality !== null ? (returnedElsewhere[nationality] ?? nationality) : null,
    support: null,
    linkage_key: p.linkage === undefined ? null : demoPersonKey(p.linkage),
  };
}

/** Persons spread evenly over the year, in the order given. */
function dated(programme: ProgrammeCode, year: number, persons: readonly Person[]): CaseData[] {
  const span = daysIn(year);
  return persons.map((p, i) => toRecord(programme, p, isoDay(year, Math.floor(((i + 0.5) * span) / persons.length))));
}

const expandGroups = (groups: readonly Group[]): Person[] => groups.flatMap(({ n, ...p }) => Array.from({ length: n }, () => ({ ...p })));

/** The records of 2021, 2022 or 2023, reproducing the printed figures as resolved. */
export function supportProgrammeRecordsOf(year: 2021 | 2022 | 2023): CaseData[] {
  const ampPersons = expandGroups(amp[year]);
  const nspPersons = expandGroups(nsp[year]);
  if (year === 2023) {
    ampPersons.forEach((p, i) => (p.nationality = ampNationalities2023[i]));
    nspPersons.forEach((p, i) => (p.nationality = nspNationalities2023[i] ?? (i % 2 === 0 ? 'NG' : 'UA')));
  }
  const records = [...dated('amp', year, ampPersons), ...dated('nsp', year, nspPersons)];
  // One of ÅMP's three Nigerians returned to Spain.
  const nigerian = records.find((r) => r.programme === 'amp' && r.nationality === 'NG');
  if (nigerian) nigerian.return_country = 'ES';
  return records;
}

/** The demo's 2025 persons: the size and mix of 2023, with the linkage keys of demo-keys.ts. */
export const PROGRAMMES_2025 = {
  /** ÅMP: the coordinators' persons 0..4 and 60..74 first. */
  amp: { shared: [0, 1, 2, 3, 4, ...range(60, 75)], own: 38 },
  /** NSP: the coordinators' persons 5..9 and 75..89, the civil-society persons 300000..300019. */
  nsp: { shared: [5, 6, 7, 8, 9, ...range(75, 90), ...range(300000, 300020)], own: 30 },
} as const;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

const formsOfShared = (forms: readonly ExploitationFormCode[]) => [...new Set(forms)];

/** The 2025 records: shared persons copied from the source that knows them (sex, age, nationality, forms), the programmes' own drawn from 2023's shapes. */
export function generateSupportProgrammes2025(seed = 2025): CaseData[] {
  const rng = new Random(seed * 11 + 3);
  const coordinator = generateDemoCases();
  const civil = civilSocietyDemoYears.find((y) => y.year === 2025)?.records ?? [];
  const civilByKey = new Map(civil.filter((r) => r.linkage_key !== null).map((r) => [r.linkage_key!, r]));
  const shared = (n: number): Person => {
    const from = n < 300000 ? coordinator[n] : civilByKey.get(demoPersonKey(n));
    if (!from) throw new Error(`demo person ${n} is in no other source's demo`);
    return {
      sex: from.sex,
      age: from.age_group,
      age_years: from.age,
      role: 'exposed',
      forms: formsOfShared(from.exploitation_forms),
      industries: [...from.industries],
      nationality: from.nationality,
      linkage: n,
    };
  };
  let own = 200000;
  const drawn = (groups: readonly Group[], count: number): Person[] => {
    const pool = expandGroups(groups);
    return Array.from({ length: count }, () => ({ ...rng.pick(pool), nationality: null, linkage: own++ }));
  };
  // The programmes' own persons: ÅMP's mostly labour and sexual exploitation with a few family
  // members and children; NSP's mostly children accompanying a parent.
  const ampOwn = [...drawn(amp[2023].filter((g) => g.role === 'exposed'), PROGRAMMES_2025.amp.own - 6), ...expandGroups([W(1, [], family), M(1, [], family), G(2, [], child), B(2, [], child)]).map((p) => ({ ...p, linkage: own++ }))];
  const nspOwn = [...drawn(nsp[2023].filter((g) => g.role === 'exposed' && g.age === 'adult'), 6), ...expandGroups(children(PROGRAMMES_2025.nsp.own - 6)).map((p) => ({ ...p, linkage: own++ }))];
  const ampPersons = rng.shuffle([...PROGRAMMES_2025.amp.shared.map(shared), ...ampOwn]);
  const nspPersons = rng.shuffle([...PROGRAMMES_2025.nsp.shared.map(shared), ...nspOwn]);
  for (const p of [...ampOwn, ...nspOwn]) if (p.nationality === null || p.nationality === undefined) p.nationality = rng.pick(['TH', 'NG', 'UA', 'RO', 'HN', 'CO', 'BG', 'VN']);
  return [...dated('amp', 2025, ampPersons), ...dated('nsp', 2025, nspPersons)];
}

/** The demo's programme records per year: 2021–2023 reproduce the printed figures, 2025 follows their shapes. */
export const supportProgrammeDemoYears: { year: number; records: CaseData[] }[] = [
  { year: 2021, records: supportProgrammeRecordsOf(2021) },
  { year: 2022, records: supportProgrammeRecordsOf(2022) },
  { year: 2023, records: supportProgrammeRecordsOf(2023) },
  { year: 2025, records: generateSupportProgrammes2025() },
];
