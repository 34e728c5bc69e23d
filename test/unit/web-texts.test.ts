// Texts people read that are computed: who acted and what happened in a case's history, in both languages.
import { describe, expect, it } from 'vitest';
import { describeActor, roles } from '../../src/access/actor.ts';
import { CaseEvent } from '../../src/contract/cases.ts';
import { eventName } from '../../web/src/pages/caseText.ts';
import { resources } from '../../web/src/i18n.ts';

/** `t` over the app's own resources, without starting i18next. */
const tIn = (lang: 'sv' | 'en') => (key: string) => {
  const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], resources[lang].translation);
  if (typeof value !== 'string') throw new Error(`no text ${key} in ${lang}`);
  return value;
};

describe('case history texts', () => {
  it('names every event the contract allows, differently, in both languages, never as its code', () => {
    for (const lang of ['sv', 'en'] as const) {
      const names = CaseEvent.options.map((e) => eventName(e, tIn(lang)));
      expect(new Set(names).size).toBe(CaseEvent.options.length);
      for (const [i, e] of CaseEvent.options.entries()) expect(names[i]).not.toBe(e);
    }
    expect(eventName('close', tIn('sv'))).toBe('Avslutat');
    expect(eventName('reopen', tIn('en'))).toBe('Reopened');
    // An event a newer server sends is shown as it comes, not as an empty cell.
    expect(eventName('merge', tIn('sv'))).toBe('merge');
  });

  it('describes an actor by username and role with region or organisation, never by id', () => {
    const coordinator = { id: '01M8RA1CQ8092S3ACKN7YN72MD', role: 'coordinator', username: 'demo-koordinator', region: 'stockholm', organisation: { sv: 'Regionkoordinator Stockholm', en: 'Regional coordinator Stockholm' } };
    expect(describeActor(coordinator, 'sv')).toBe('demo-koordinator (regionkoordinator, Stockholm)');
    expect(describeActor({ ...coordinator, region: 'nord' }, 'en')).toBe('demo-koordinator (regional coordinator, North)');
    const reporter = { id: 'u2', role: 'organisation_reporter', username: 'rapportor', region: null, organisation: { sv: 'Stadsmissionen', en: 'City Mission' } };
    expect(describeActor(reporter, 'sv')).toBe('rapportor (rapportör för organisation, Stadsmissionen)');
    expect(describeActor({ id: 'u3', role: 'statistician', username: null, region: null, organisation: null }, 'sv')).toBe('Statistiker');
    expect(describeActor({ id: 'system:cli', role: 'system', username: null, region: null, organisation: null }, 'sv')).toBe('Systemet (kommandoraden)');
    expect(describeActor({ id: 'system:demo', role: 'system', username: null, region: null, organisation: null }, 'en')).toBe('The system (demo data)');
    for (const role of roles) {
      for (const lang of ['sv', 'en'] as const) {
        const text = describeActor({ id: '01M8RA1CQ8092S3ACKN7YN72MD', role, username: null, region: null, organisation: null }, lang);
        expect(text).not.toContain('01M8');
        expect(text).not.toContain('_');
      }
    }
  });
});

describe('the server and the app agree on addresses', () => {
  it('every address the server answers with the app is a page of the app, not its 404', async () => {
    const { appPaths } = await import('../../src/http/web.ts');
    const { matchRoute } = await import('../../web/src/router.tsx');
    for (const p of appPaths) expect(matchRoute(p.replace(/:\w+/g, 'SYD-2025-0001')).page, p).not.toBe('notFound');
  });
});

describe('the form speaks of what is on the screen', () => {
  it('says no country matches only when none starts with or contains the text', async () => {
    const { someCountryMatches, resolveCountry } = await import('../../web/src/caseModel.ts');
    const { countryList } = await import('../../src/standard/countries.ts');
    const list = countryList.map((c) => ({ code: c.code, sv: c.sv, en: c.en }));
    for (const typing of ['R', 'Rum', 'Rumän', 'rumänien', 'Roman', 'änien', 'RO', 'Rumänien – Rom', 'Rumänien – Romania (R']) {
      expect(someCountryMatches(typing, list), typing).toBe(true);
    }
    expect(resolveCountry('Rumän', list)).toBeNull();
    for (const nothing of ['Rumänx', 'Atlantis', 'qq']) expect(someCountryMatches(nothing, list), nothing).toBe(false);
  });

  it('the required message names the unknown option as the list labels it', async () => {
    const { validateCase } = await import('../../src/standard/validate.ts');
    const { ageGroup, sex } = await import('../../src/standard/codes.ts');
    const result = validateCase({ source: 'coordinator', region: 'syd', identified_on: '2025-03-01', sex: null, age_group: null, exploitation_forms: [] });
    if (result.ok) throw new Error('an empty sex and age group must be refused');
    const message = (path: string, lang: 'sv' | 'en') => result.errors.find((e) => e.path === path)?.message[lang];
    const unknownOf = (items: readonly { code: string; sv: string; en: string }[]) => items.find((i) => i.code === 'unknown')!;
    expect(message('age_group', 'sv')).toContain(`Välj ”${unknownOf(ageGroup.items).sv}”`);
    expect(message('age_group', 'sv')).toContain('Okänd ålder');
    expect(message('age_group', 'en')).toContain(`Choose “${unknownOf(ageGroup.items).en}”`);
    expect(message('sex', 'sv')).toContain(`Välj ”${unknownOf(sex.items).sv}”`);
  });

  it('one name for a field: citizenship in the standard, the form and the statistics; AKC one name', async () => {
    const { fieldLabels } = await import('../../src/standard/messages.ts');
    const { catalogue, dimensions } = await import('../../src/stats/catalogue.ts');
    const name = { sv: 'Medborgarskap', en: 'Citizenship' };
    expect(fieldLabels.nationality).toEqual(name);
    for (const lang of ['sv', 'en'] as const) {
      expect((resources[lang].translation as { form: { fields: Record<string, string> } }).form.fields.nationality).toBe(name[lang]);
    }
    const table = catalogue.find((t) => t.id === 'nationality')!;
    expect(dimensions.nationality.heading).toEqual(name);
    expect(table.short).toEqual(name);
    const all = JSON.stringify([resources, fieldLabels, table.title]);
    for (const other of ['Nationalitet', 'Ursprungsland', 'Country of origin', 'arbetsplatsinspektion']) expect(all).not.toContain(other);
    // The quality page's note on AKC names it as the form does.
    const { fieldLabels: labels } = await import('../../src/standard/messages.ts');
    const checks = (await import('node:fs')).readFileSync(new URL('../../src/stats/checks.ts', import.meta.url), 'utf8');
    expect(labels.workplace_inspection.sv).toContain('myndighetsgemensam kontroll (AKC)');
    expect(checks).toContain('myndighetsgemensam kontroll (AKC)');
    expect(checks).not.toMatch(/arbetsplatsinspektion/i);
  });
});

describe('the chosen language', () => {
  it('starts in the path\'s language, else the stored choice, else the page\'s; survives broken storage', async () => {
    const { initialLang, storeLang, storedLang } = await import('../../web/src/language.ts');
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedLang(storage)).toBeNull();
    storeLang('en', storage);
    expect(storedLang(storage)).toBe('en');
    expect(initialLang(undefined, storedLang(storage), 'sv')).toBe('en');
    expect(initialLang('sv', 'en', 'sv')).toBe('sv');
    expect(initialLang(undefined, null, 'en')).toBe('en');
    store.set('lagesbild.lang', 'de');
    expect(storedLang(storage)).toBeNull();
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(storedLang(broken)).toBeNull();
    expect(() => storeLang('sv', broken)).not.toThrow();
  });
});
