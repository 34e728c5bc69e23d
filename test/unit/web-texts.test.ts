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
