// Organisations: the seven regional coordinator offices (fixed, created by the first migration)
// and the civil-society member organisations and support programmes the administrator adds,
// renames and deactivates. A deactivated organisation keeps its cases; its users can no longer
// sign in or act (sessions.ts checks the organisation with the user).
import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import { programme as programmeList, type Label, type ProgrammeCode } from '../standard/codes.ts';
import { DomainError } from '../standard/domain-error.ts';
import type { Executor } from '../store/db.ts';
import { organisations } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { authorize } from './policy.ts';
import { sessions, users } from './schema.ts';
import { UserInputError } from './users.ts';

export const organisationKinds = ['coordinator_office', 'civil_society', 'support_programme'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];
/** The kinds the administrator may add: the coordinator offices are one per region, and the regions are fixed. */
export const addableKinds = ['civil_society', 'support_programme'] as const satisfies readonly OrganisationKind[];
/** A support programme's programme: NSP or ÅMP (the code list of the records' `programme`). */
export const organisationProgrammes = programmeList.codes;
export type OrganisationProgramme = ProgrammeCode;

export type OrganisationRow = typeof organisations.$inferSelect;
export type OrganisationView = {
  id: string;
  kind: OrganisationKind;
  name_sv: string;
  name_en: string;
  region: string | null;
  /** a support programme's programme (its officers' records take it); null for every other kind */
  programme: OrganisationProgramme | null;
  active: boolean;
  /** a regional coordinator office: never renamed or deactivated */
  fixed: boolean;
  /** its users, active or not */
  users: number;
};

export const isFixed = (o: Pick<OrganisationRow, 'kind'>) => o.kind === 'coordinator_office';

const idPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const MAX_NAME_LENGTH = 120;

export class OrganisationNotFoundError extends DomainError {
  constructor() {
    super('not_found', 'not_found', { sv: 'Organisationen finns inte.', en: 'The organisation does not exist.' });
  }
}

/** A name or short name another organisation already has (409). */
export class OrganisationTakenError extends DomainError {
  constructor(field: 'id' | 'name_sv' | 'name_en') {
    const text: Label =
      field === 'id'
        ? { sv: 'Kortnamnet används redan av en annan organisation.', en: 'The short name is already used by another organisation.' }
        : { sv: 'Namnet används redan av en annan organisation.', en: 'The name is already used by another organisation.' };
    super('organisation_taken', 'conflict', text, [{ path: field, rule: 'taken', message: text }]);
  }
}

export class FixedOrganisationError extends DomainError {
  constructor() {
    super('fixed_organisation', 'conflict', {
      sv: 'De regionala samordnarkontoren är fasta: de kan inte byta namn eller inaktiveras.',
      en: 'The regional coordinator offices are fixed: they cannot be renamed or deactivated.',
    });
  }
}

/** Letters without diacritics, lower case, words joined by hyphens: "Föreningen Ängen" → "foreningen-angen". */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** A name as stored: spaces trimmed and runs of whitespace made one; refused when empty, too long or with control characters. */
function cleanName(value: unknown, field: 'name_sv' | 'name_en'): string {
  const name = typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  if (!name) throw new UserInputError(field, 'required', { sv: 'Ange organisationens namn.', en: 'Give the organisation’s name.' });
  if ([...name].length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    throw new UserInputError(field, 'length', {
      sv: `Namnet får ha högst ${MAX_NAME_LENGTH} tecken.`,
      en: `The name may have at most ${MAX_NAME_LENGTH} characters.`,
    });
  }
  return name;
}

/** Another organisation with this name in either language, case-insensitively (names must tell organisations apart). */
async function assertNamesFree(ex: Executor, names: { name_sv: string; name_en: string }, exceptId?: string) {
  const lower = (s: string) => s.toLowerCase();
  const clash = await ex
    .select({ name_sv: organisations.name_sv, name_en: organisations.name_en })
    .from(organisations)
    .where(
      and(
        exceptId ? ne(organisations.id, exceptId) : undefined,
        or(
          sql`lower(${organisations.name_sv}) in (${lower(names.name_sv)}, ${lower(names.name_en)})`,
          sql`lower(${organisations.name_en}) in (${lower(names.name_sv)}, ${lower(names.name_en)})`,
        ),
      ),
    );
  if (clash.length) {
    const svTaken = clash.some((c) => [c.name_sv, c.name_en].some((n) => lower(n) === lower(names.name_sv)));
    throw new OrganisationTakenError(svTaken ? 'name_sv' : 'name_en');
  }
}

export async function listOrganisations(ex: Executor, actor: Actor): Promise<OrganisationView[]> {
  authorize(actor, 'organisations.manage');
  const found = await ex
    .select({ o: organisations, users: sql<number>`(select count(*) from ${users} u where u.organisation_id = ${organisations.id})::int` })
    .from(organisations)
    .orderBy(asc(organisations.kind), asc(organisations.name_sv));
  return found.map(({ o, users: n }) => presentOrganisation(o, Number(n)));
}

export function presentOrganisation(o: OrganisationRow, userCount = 0): OrganisationView {
  return {
    id: o.id,
    kind: o.kind as OrganisationKind,
    name_sv: o.name_sv,
    name_en: o.name_en,
    region: o.region,
    programme: (o.programme as OrganisationProgramme | null) ?? null,
    active: o.active,
    fixed: isFixed(o),
    users: userCount,
  };
}

export type NewOrganisation = { kind: string; name_sv: string; name_en?: string | null; id?: string | null; programme?: string | null };

/** The programme of a new organisation: required (nsp or amp) for a support programme, refused for any other kind. */
function programmeOf(kind: string, value: string | null | undefined): OrganisationProgramme | null {
  const given = value == null || value === '' ? null : value.trim().toLowerCase();
  if (kind !== 'support_programme') {
    if (given !== null) {
      throw new UserInputError('programme', 'kind', {
        sv: 'Bara ett stödprogram har ett program (NSP eller ÅMP).',
        en: 'Only a support programme has a programme (NSP or AVRR).',
      });
    }
    return null;
  }
  if (given === null) {
    throw new UserInputError('programme', 'required', {
      sv: `Ange stödprogrammets program: ${organisationProgrammes.join(' eller ')} (NSP eller ÅMP).`,
      en: `Give the support programme’s programme: ${organisationProgrammes.join(' or ')} (NSP or AVRR).`,
    });
  }
  if (!(organisationProgrammes as readonly string[]).includes(given)) {
    throw new UserInputError('programme', 'code', {
      sv: `Okänt program. Välj bland: ${organisationProgrammes.join(', ')} (NSP, ÅMP).`,
      en: `Unknown programme. Choose from: ${organisationProgrammes.join(', ')} (NSP, AVRR).`,
    });
  }
  return given as OrganisationProgramme;
}

/** Adds a civil-society organisation or a support programme; the short name (id) is made from the Swedish name unless given. */
export async function createOrganisation(ex: Executor, actor: Actor, input: NewOrganisation): Promise<OrganisationView> {
  authorize(actor, 'organisations.manage');
  if (!(addableKinds as readonly string[]).includes(input.kind)) {
    const fixed = input.kind === 'coordinator_office';
    throw new UserInputError(
      'kind',
      fixed ? 'fixed' : 'code',
      fixed
        ? { sv: 'Regionkontoren är fasta (ett per region) och kan inte läggas till.', en: 'The regional offices are fixed (one per region) and cannot be added.' }
        : { sv: `Okänd sort. Välj bland: ${addableKinds.join(', ')}.`, en: `Unknown kind. Choose from: ${addableKinds.join(', ')}.` },
    );
  }
  const programme = programmeOf(input.kind, input.programme);
  const name_sv = cleanName(input.name_sv, 'name_sv');
  const name_en = input.name_en == null || input.name_en === '' ? name_sv : cleanName(input.name_en, 'name_en');
  const id = input.id == null || input.id === '' ? slugOf(name_sv) : input.id.trim().toLowerCase();
  if (!idPattern.test(id)) {
    throw new UserInputError('id', 'format', {
      sv: 'Kortnamnet ska ha 2–63 tecken: a–z, 0–9 och bindestreck, och börja med en bokstav eller siffra.',
      en: 'The short name must have 2–63 characters: a–z, 0–9 and hyphens, starting with a letter or digit.',
    });
  }
  return ex.transaction(async (tx) => {
    const [taken] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, id));
    if (taken) throw new OrganisationTakenError('id');
    await assertNamesFree(tx, { name_sv, name_en });
    const [row] = await tx.insert(organisations).values({ id, kind: input.kind, name_sv, name_en, region: null, programme }).returning();
    await writeAudit(tx, { actor, operation: 'organisations.create', details: { organisation_id: id, kind: input.kind, programme } });
    return presentOrganisation(row);
  });
}

export type OrganisationChange = { name_sv?: string; name_en?: string; active?: boolean };

/**
 * Renames and/or (de)activates an organisation. Deactivation ends its users' sessions in the same
 * transaction, so none of them acts again. The regional offices are refused (409).
 */
export async function updateOrganisation(ex: Executor, actor: Actor, id: string, change: OrganisationChange): Promise<OrganisationView> {
  authorize(actor, 'organisations.manage');
  const renaming = change.name_sv !== undefined || change.name_en !== undefined;
  if (!renaming && change.active === undefined) {
    throw new UserInputError('(body)', 'empty', { sv: 'Ange ett nytt namn eller om organisationen är aktiv.', en: 'Give a new name or whether the organisation is active.' });
  }
  return ex.transaction(async (tx) => {
    const [current] = await tx.select().from(organisations).where(eq(organisations.id, id)).for('update');
    if (!current) throw new OrganisationNotFoundError();
    if (isFixed(current)) throw new FixedOrganisationError();
    const name_sv = change.name_sv === undefined ? current.name_sv : cleanName(change.name_sv, 'name_sv');
    const name_en = change.name_en === undefined ? current.name_en : cleanName(change.name_en, 'name_en');
    if (renaming) await assertNamesFree(tx, { name_sv, name_en }, id);
    const active = change.active ?? current.active;
    const [row] = await tx.update(organisations).set({ name_sv, name_en, active }).where(eq(organisations.id, id)).returning();
    if (!active && current.active) {
      await tx.delete(sessions).where(sql`${sessions.user_id} in (select id from ${users} where ${users.organisation_id} = ${id})`);
    }
    const changed = {
      ...(name_sv !== current.name_sv || name_en !== current.name_en ? { renamed: true } : {}),
      ...(active !== current.active ? { active } : {}),
    };
    await writeAudit(tx, { actor, operation: 'organisations.update', details: { organisation_id: id, ...changed } });
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.organisation_id, id));
    return presentOrganisation(row, Number(n));
  });
}

/** Whether an organisation may act through its users: unknown (none) counts as active. */
export async function organisationActive(ex: Executor, id: string | null): Promise<boolean> {
  if (!id) return true;
  const [row] = await ex.select({ active: organisations.active }).from(organisations).where(eq(organisations.id, id));
  return row?.active ?? true;
}
