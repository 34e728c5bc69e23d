// The command line's one error mapping: a DomainError becomes lines and an exit code, the server's
// problem JSON becomes the same DomainError again, and the option parser refuses in both languages.
import { describe, expect, it } from 'vitest';
import { parseOptions, problemOf, reportProblem } from '../../src/cli/problems.ts';
import { apiError, kindOfStatus, statusOfKind } from '../../src/http/errors.ts';
import { DomainError, problemKinds } from '../../src/standard/domain-error.ts';

const capture = () => {
  let err = '';
  return { io: { out: () => {}, err: (s: string) => void (err += s) }, err: () => err };
};

describe('the command line error mapping', () => {
  it('gives each kind one status, read back to the same kind', () => {
    for (const kind of problemKinds) expect(kindOfStatus(statusOfKind[kind])).toBe(kind);
    expect(new Set(Object.values(statusOfKind)).size).toBe(problemKinds.length);
    expect([kindOfStatus(418), kindOfStatus(502)]).toEqual(['invalid', 'internal']);
  });

  it('exits 2 for what the person can correct and 1 for the rest', () => {
    const exits = Object.fromEntries(problemKinds.map((kind) => [kind, reportProblem(new DomainError('x', kind, { sv: 's', en: 'e' }), capture().io, 'sv')]));
    expect(exits).toEqual({
      invalid: 2,
      not_found: 2,
      conflict: 2,
      precondition: 2,
      too_large: 2,
      unsupported: 2,
      unauthenticated: 1,
      forbidden: 1,
      throttled: 1,
      unavailable: 1,
      internal: 1,
    });
  });

  it('prints the text and each field in the language asked; a field that repeats the text stands in for it', () => {
    const text = { sv: 'Uppgifterna innehåller fel.', en: 'The submitted data has errors.' };
    const error = new DomainError('validation', 'invalid', text, [{ path: 'year', rule: 'range', message: { sv: 'Året är fel.', en: 'The year is wrong.' } }]);
    for (const lang of ['sv', 'en'] as const) {
      const c = capture();
      expect(reportProblem(error, c.io, lang)).toBe(2);
      expect(c.err()).toBe(`${text[lang]}\nyear: ${error.violations[0].message[lang]}\n`);
    }
    const role = { sv: 'Okänd roll.', en: 'Unknown role.' };
    const c = capture();
    reportProblem(new DomainError('validation', 'invalid', role, [{ path: 'role', rule: 'code', message: role }]), c.io, 'en');
    expect(c.err()).toBe('role: Unknown role.\n');
  });

  it('reads the server’s problem JSON back into the DomainError it was, printed the same', () => {
    const error = new DomainError('not_found', 'not_found', { sv: 'Utgåvan hittades inte.', en: 'The release was not found.' }, [
      { path: 'id', rule: 'exists', message: { sv: 'Finns inte.', en: 'Does not exist.' } },
    ]);
    for (const lang of ['sv', 'en'] as const) {
      const back = problemOf(statusOfKind[error.kind], JSON.parse(JSON.stringify(apiError(lang, error.code, error.violations, error.text))));
      expect([back.code, back.kind]).toEqual([error.code, error.kind]);
      const [here, there] = [capture(), capture()];
      expect(reportProblem(back, there.io, lang)).toBe(reportProblem(error, here.io, lang));
      expect(there.err()).toBe(here.err());
    }
    expect(problemOf(502, null)).toMatchObject({ code: 'internal', kind: 'internal', text: { sv: 'Servern svarade med status 502.' } });
  });

  it('refuses bad options in Swedish and English', () => {
    const options = { year: { type: 'string' }, demo: { type: 'boolean' } } as const;
    const refusal = (args: string[], lang: 'sv' | 'en') => {
      try {
        parseOptions(args, options, lang);
      } catch (e) {
        return (e as DomainError).text[lang];
      }
      return null;
    };
    const cases: [string[], string, string][] = [
      [['--bogus'], 'Okänd flagga: --bogus', 'Unknown option: --bogus'],
      [['-x'], 'Okänd flagga: -x', 'Unknown option: -x'],
      [['--year'], 'Flaggan --year behöver ett värde.', 'The option --year needs a value.'],
      [['--demo=ja'], 'Flaggan --demo tar inget värde.', 'The option --demo takes no value.'],
      [['extra'], 'Okänt argument: extra', 'Unknown argument: extra'],
    ];
    for (const [args, sv, en] of cases) expect([refusal(args, 'sv'), refusal(args, 'en')], args.join(' ')).toEqual([sv, en]);
    expect(parseOptions(['--year', '2025', 'FILE'], options, 'sv', 1)).toMatchObject({ values: { year: '2025' }, positionals: ['FILE'] });
  });
});
