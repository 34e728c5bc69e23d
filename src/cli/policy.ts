// A release's disclosure policy on the command line: `publish ID --threshold N …` publishes with
// the release's policy changed in the fields given (stored only with a successful publication),
// `policy ID` shows it with the protection stored at publication. Both go through the Backend, so
// the database opened here and the running server answer alike.
import type { z } from 'zod';
import { PolicyBody, type DisclosurePolicy } from '../contract/stats.ts';
import type { Label, Lang } from '../standard/codes.ts';
import { DomainError, type DomainViolation } from '../standard/domain-error.ts';
import type { PolicyView } from '../stats/releases.ts';
import { withBackend } from './backend.ts';
import { parseOptions, usage as usageError, type Cx } from './problems.ts';
import { describeRelease } from './stats.ts';

/** The publish command's policy flags, for parseOptions. */
export const policyOptions = {
  threshold: { type: 'string' },
  width: { type: 'string' },
  'protect-zeros': { type: 'boolean' },
  exact: { type: 'string', multiple: true },
  cost: { type: 'string' },
  'exclude-pair': { type: 'string', multiple: true },
} as const;

type PolicyFlags = { threshold?: string; width?: string; 'protect-zeros'?: boolean; exact?: string[]; cost?: string; 'exclude-pair'?: string[] };

/** The flag each policy field is given with, for messages that name what the person typed. */
const flagOf: Record<string, string> = {
  threshold: '--threshold',
  width: '--width',
  protect_zeros: '--protect-zeros',
  cost: '--cost',
  exact: '--exact',
  builder_exclusions: '--exclude-pair',
};

/** The policy fields the flags change; every other field stays as the release has it. */
export type PolicyChanges = Partial<Pick<DisclosurePolicy, 'threshold' | 'width' | 'protect_zeros' | 'cost' | 'exact' | 'builder_exclusions'>>;

const invalidPolicy: Label = { sv: 'Publiceringsreglerna är ogiltiga.', en: 'The disclosure policy is invalid.' };

/**
 * The fields the flags change, or undefined when no policy flag is given: `--exact` and
 * `--exclude-pair` (each repeatable) give the whole list of their field. Checked here against the
 * contract's schema so a bad value is refused before anything changes, naming the field and the
 * rule; the whole policy is checked by the service when publishing.
 */
export function policyFromFlags(flags: PolicyFlags): PolicyChanges | undefined {
  const given =
    flags.threshold !== undefined ||
    flags.width !== undefined ||
    flags['protect-zeros'] !== undefined ||
    flags.exact !== undefined ||
    flags.cost !== undefined ||
    flags['exclude-pair'] !== undefined;
  if (!given) return undefined;
  const violations: DomainViolation[] = [];
  const exact: Record<string, string> = {};
  for (const item of flags.exact ?? []) {
    const at = item.indexOf('=');
    const table = at < 0 ? item : item.slice(0, at);
    const reason = at < 0 ? '' : item.slice(at + 1).trim();
    if (!table || !reason) {
      violations.push({
        path: `exact.${table}`,
        rule: 'reason',
        message: { sv: `--exact tar TABELL=SKÄL; ett skäl måste anges (regel reason).`, en: `--exact takes TABLE=REASON; a reason must be written (rule reason).` },
      });
    } else exact[table] = reason;
  }
  const pairs: [string, string][] = [];
  (flags['exclude-pair'] ?? []).forEach((item, i) => {
    const parts = item.split(',').map((d) => d.trim());
    if (parts.length !== 2 || parts.some((d) => !d)) {
      violations.push({
        path: `builder_exclusions.${i}`,
        rule: 'pair',
        message: { sv: `--exclude-pair tar två indelningar, INDELNING1,INDELNING2 (regel pair).`, en: `--exclude-pair takes two dimensions, DIM1,DIM2 (rule pair).` },
      });
    } else pairs.push([parts[0], parts[1]]);
  });
  const changes: PolicyChanges = {
    ...(flags.threshold !== undefined && { threshold: number(flags.threshold) }),
    ...(flags.width !== undefined && { width: number(flags.width) }),
    ...(flags['protect-zeros'] && { protect_zeros: true }),
    ...(flags.cost !== undefined && { cost: flags.cost as 'persons' | 'cells' }),
    ...(Object.keys(exact).length > 0 && { exact }),
    ...(pairs.length > 0 && { builder_exclusions: pairs }),
  };
  const parsed = PolicyBody.safeParse(changes);
  if (!parsed.success) violations.push(...parsed.error.issues.map(violationOf));
  if (violations.length) throw new DomainError('validation', 'invalid', invalidPolicy, violations);
  return changes;
}

/** The release's current policy with the flags' changes: the whole policy a publication stores. */
export const changedPolicy = (current: DisclosurePolicy, changes: PolicyChanges): PolicyBody => ({ ...current, ...changes });

/** A flag's number as typed: anything but digits is NaN, which the schema refuses as not an integer. */
const number = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN);

function violationOf(issue: z.core.$ZodIssue): DomainViolation {
  const path = issue.path.join('.');
  const flag = flagOf[String(issue.path[0])] ?? path;
  switch (issue.code) {
    case 'too_small':
      return { path, rule: 'min', message: { sv: `${flag} måste vara minst ${issue.minimum} (regel min).`, en: `${flag} must be at least ${issue.minimum} (rule min).` } };
    case 'too_big':
      return { path, rule: 'max', message: { sv: `${flag} får vara högst ${issue.maximum} (regel max).`, en: `${flag} must be at most ${issue.maximum} (rule max).` } };
    case 'invalid_value':
      return {
        path,
        rule: 'choice',
        message: { sv: `${flag} tar ${issue.values.join(' eller ')} (regel choice).`, en: `${flag} takes ${issue.values.join(' or ')} (rule choice).` },
      };
    case 'invalid_type':
      return { path, rule: 'integer', message: { sv: `${flag} måste vara ett heltal (regel integer).`, en: `${flag} must be an integer (rule integer).` } };
    default:
      return { path, rule: issue.code, message: { sv: `${flag} har ett ogiltigt värde (regel ${issue.code}).`, en: `${flag} has an invalid value (rule ${issue.code}).` } };
  }
}

/** The publish output's second line: what the protection cost and whether the attacker's audit passed. */
export function describeProtection(view: PolicyView, lang: Lang): string {
  const p = view.protection;
  if (!p) return lang === 'sv' ? 'Röjandeskydd: inte beräknat (utgåvan är inte publicerad).' : 'Disclosure control: not computed (the release is not published).';
  const passed = p.audit.passed ? (lang === 'sv' ? 'granskningen godkänd' : 'audit passed') : lang === 'sv' ? 'granskningen underkänd' : 'audit failed';
  return lang === 'sv'
    ? `Röjandeskydd: ${p.loss.cells} celler undertryckta (${p.loss.persons} personer), ${passed}.`
    : `Disclosure control: ${p.loss.cells} cells suppressed (${p.loss.persons} persons), ${passed}.`;
}

/** `policy ID`: the release's policy and its stored protection summary. */
export function describePolicy(view: PolicyView, lang: Lang): string {
  const sv = lang === 'sv';
  const { policy } = view;
  const yesNo = (b: boolean) => (b ? (sv ? 'ja' : 'yes') : sv ? 'nej' : 'no');
  const exact = Object.entries(policy.exact);
  const lines = [
    `${sv ? 'Utgåva' : 'Release'} ${view.release_id} (${sv ? 'regler version' : 'policy version'} ${view.version}, ${view.published ? (sv ? 'publicerad' : 'published') : sv ? 'intern' : 'internal'})`,
    `${sv ? 'Tröskel' : 'Threshold'}: ${policy.threshold}`,
    `${sv ? 'Intervallbredd' : 'Interval width'}: ${policy.width}`,
    `${sv ? 'Nollor skyddas' : 'Zeros protected'}: ${yesNo(policy.protect_zeros)}`,
    `${sv ? 'Kostnad' : 'Cost'}: ${policy.cost}`,
    `${sv ? 'Publika tabeller' : 'Public tables'}: ${policy.public_tables.join(', ')}`,
    `${sv ? 'Exakt publicerade' : 'Published exactly'}: ${exact.length ? '' : sv ? 'inga' : 'none'}`,
    ...exact.map(([table, reason]) => `  ${table}: ${reason}`),
    `${sv ? 'Tabellverktyget korsar aldrig' : 'The table builder never crosses'}: ${policy.builder_exclusions.map(([a, b]) => `${a} × ${b}`).join(', ') || (sv ? 'inga' : 'none')}`,
  ];
  const p = view.protection;
  if (p) {
    lines.push(
      `${sv ? 'Undertryckta celler' : 'Cells suppressed'}: ${p.loss.cells} (${sv ? 'primära' : 'primary'} ${p.loss.primary}, ${sv ? 'sekundära' : 'secondary'} ${p.loss.secondary})`,
      `${sv ? 'Personer i undertryckta celler' : 'Persons in suppressed cells'}: ${p.loss.persons}`,
      `${sv ? 'Granskningen godkänd' : 'Audit passed'}: ${yesNo(p.audit.passed)}`,
    );
  } else {
    lines.push(sv ? 'Skydd: inte beräknat (utgåvan är inte publicerad).' : 'Protection: not computed (the release is not published).');
  }
  return `${lines.join('\n')}\n`;
}

export async function policyCommand(args: string[], cx: Cx): Promise<number> {
  const { positionals } = parseOptions(args, {}, cx.lang, 1);
  if (positionals.length !== 1) throw usageError({ sv: 'Användning: lagesbild policy UTGÅVA (t.ex. 2025-1)', en: 'Usage: lagesbild policy RELEASE (e.g. 2025-1)' });
  const view = await withBackend(cx.lang, (backend) => backend.policy(positionals[0]));
  cx.io.out(describePolicy(view, cx.lang));
  return 0;
}

/**
 * `publish ID [policy flags]`: without flags, publishes under the release's policy; with flags,
 * under the release's current policy (read through the Backend) changed in the fields given, sent
 * with the publication so that it is stored only if the publication succeeds.
 */
export async function publishCommand(args: string[], cx: Cx): Promise<number> {
  const { positionals, values } = parseOptions(args, policyOptions, cx.lang, 1);
  if (positionals.length !== 1) throw usageError({ sv: 'Användning: lagesbild publish UTGÅVA (t.ex. 2025-1)', en: 'Usage: lagesbild publish RELEASE (e.g. 2025-1)' });
  const id = positionals[0];
  // Refused here, before anything is asked of the instance, when a flag's value is bad.
  const changes = policyFromFlags(values);
  const { release, view } = await withBackend(cx.lang, async (backend) => {
    const policy = changes && changedPolicy((await backend.policy(id)).policy, changes);
    // A refusal (the attacker's audit failed, an invalid policy) is the service's own error: exit 2 with its text.
    const published = await backend.publish(id, policy);
    return { release: published, view: await backend.policy(id) };
  });
  cx.io.out(`${cx.lang === 'sv' ? 'Publicerad' : 'Published'}: ${describeRelease(release, cx.lang)}\n${describeProtection(view, cx.lang)}\n`);
  return 0;
}
