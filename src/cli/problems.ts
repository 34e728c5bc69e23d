// How the command line tells a refusal: the one place that turns an error into lines on standard
// error and an exit code (0 ok, 2 bad input, 1 anything else). A DomainError reads the same whether
// the service raised it here or the running server answered with it (src/cli/backend.ts turns the
// server's problem JSON back into the DomainError).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Label, Lang } from '../standard/codes.ts';
import { kindOfStatus } from '../http/errors.ts';
import { DomainError, type ProblemKind } from '../standard/domain-error.ts';

export type Io = {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Bytes for standard output (a PDF or a workbook); process.stdout when not given. */
  bytes?: (b: Uint8Array) => void;
};

/** What a command is run with: where it writes, and the language it speaks (a command's --lang changes it). */
export type Cx = { io: Io; lang: Lang };

/** The exit code of each kind: what the person can correct (their input, the state they asked of) is 2. */
const exitOfKind: Record<ProblemKind, 1 | 2> = {
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
};

export function exitCodeOf(kind: ProblemKind): 1 | 2 {
  return exitOfKind[kind];
}

/** Bad usage of a command, in both languages (exit 2). */
export function usage(text: Label): DomainError {
  return new DomainError('usage', 'invalid', text);
}

/** The server's problem JSON `{code, message, errors}` as the DomainError it was; its texts are in the one language asked for. */
export function problemOf(status: number, body: unknown): DomainError {
  const b = (body ?? {}) as { code?: unknown; message?: unknown; errors?: unknown };
  const same = (s: string): Label => ({ sv: s, en: s });
  const text =
    typeof b.message === 'string' ? same(b.message) : { sv: `Servern svarade med status ${status}.`, en: `The server answered with status ${status}.` };
  const errors = Array.isArray(b.errors) ? (b.errors as { path?: unknown; rule?: unknown; message?: unknown }[]) : [];
  const violations = errors.map((v) => ({ path: String(v.path ?? ''), rule: String(v.rule ?? ''), message: same(String(v.message ?? '')) }));
  return new DomainError(typeof b.code === 'string' ? b.code : 'internal', kindOfStatus(status), text, violations);
}

/** Prints `e` in the command's language and returns the exit code. */
export function reportProblem(e: unknown, io: Io, lang: Lang): number {
  if (e instanceof DomainError) {
    // A violation that only repeats the headline with its field's name stands in for it.
    if (!e.violations.some((v) => v.message[lang] === e.text[lang])) io.err(`${e.text[lang]}\n`);
    for (const v of e.violations) io.err(`${v.path}: ${v.message[lang]}\n`);
    return exitCodeOf(e.kind);
  }
  const err = e as { code?: unknown; path?: unknown } | null;
  if (err && typeof err === 'object' && err.code === 'ENOENT') {
    const file = typeof err.path === 'string' ? err.path : '';
    io.err(lang === 'sv' ? `Filen finns inte: ${file}\n` : `No such file: ${file}\n`);
    return 2;
  }
  io.err(`${lang === 'sv' ? 'Fel' : 'Error'}: ${unexpectedMessage(e, lang)}\n`);
  return 1;
}

/**
 * What an unexpected error may show: a database error names its class and SQLSTATE only, since its
 * message quotes the query's parameters or values, i.e. case contents.
 */
function unexpectedMessage(e: unknown, lang: Lang): string {
  const err = e as { message?: unknown; params?: unknown; severity?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (err && typeof err === 'object' && ('params' in err || 'severity' in err)) {
    const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : lang === 'sv' ? 'okänd' : 'unknown';
    return lang === 'sv' ? `databasfel (SQLSTATE ${code}).` : `database error (SQLSTATE ${code}).`;
  }
  return String(err?.message ?? e);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util's parseArgs with its refusals in the person's language (its own messages are English
 * only). `positionals`: how many the command takes at most (none by default).
 */
export function parseOptions<O extends Options>(args: string[], options: O, lang: Lang, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage(optionProblem(e as Error & { code?: string }, options));
  }
  if (parsed.positionals.length > positionals) {
    const extra = parsed.positionals[positionals];
    throw usage({ sv: `Okänt argument: ${extra}`, en: `Unknown argument: ${extra}` });
  }
  return parsed;
}

function optionProblem(e: Error & { code?: string }, options: Options): Label {
  // parseArgs names the option in quotes: '--year <value>', '--demo', '-x'.
  const quoted = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1] ?? '';
  const name = quoted.replace(/^-+/, '');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return { sv: `Okänd flagga: ${quoted}`, en: `Unknown option: ${quoted}` };
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return options[name]?.type === 'boolean'
        ? { sv: `Flaggan ${quoted} tar inget värde.`, en: `The option ${quoted} takes no value.` }
        : { sv: `Flaggan ${quoted} behöver ett värde.`, en: `The option ${quoted} needs a value.` };
    default:
      return { sv: `Felaktiga flaggor: ${e.message}`, en: `Bad options: ${e.message}` };
  }
}
