// `lagesbild organisations …`: list, add, rename and deactivate organisations, on the database
// opened here or through the server that holds it (the same routes the administrator's pages use).
import { addableKinds, type OrganisationView } from '../access/organisations.ts';
import type { Lang } from '../standard/codes.ts';
import { withBackend, type UseBackend } from './backend.ts';
import { parseOptions, usage as usageError, type Cx } from './problems.ts';

const usage = `Användning:
  lagesbild organisations list
  lagesbild organisations add --kind ${addableKinds.join('|')} --name NAMN [--name-en NAME] [--id KORTNAMN] [--programme nsp|amp]
  lagesbild organisations rename ID [--name NAMN] [--name-en NAME]
  lagesbild organisations deactivate ID | activate ID
Ett stödprogram (support_programme) behöver --programme: nsp (NSP) eller amp (ÅMP).
De sju regionkontoren (rk-…) är fasta.
`;

const options = { kind: { type: 'string' }, name: { type: 'string' }, 'name-en': { type: 'string' }, id: { type: 'string' }, programme: { type: 'string' } } as const;

const kindLabels: Record<OrganisationView['kind'], Record<Lang, string>> = {
  coordinator_office: { sv: 'regionkontor', en: 'regional office' },
  civil_society: { sv: 'civilsamhälle', en: 'civil society' },
  support_programme: { sv: 'stödprogram', en: 'support programme' },
};

const programmeLabels: Record<NonNullable<OrganisationView['programme']>, Record<Lang, string>> = {
  nsp: { sv: 'NSP', en: 'NSP' },
  amp: { sv: 'ÅMP', en: 'AVRR' },
};

/** One line per organisation: id, kind (a support programme's with its programme), Swedish name, English name, active, users. */
export function organisationLine(o: OrganisationView, lang: Lang): string {
  const state = o.active ? (lang === 'sv' ? 'aktiv' : 'active') : lang === 'sv' ? 'inaktiv' : 'inactive';
  const kind = kindLabels[o.kind][lang] + (o.programme ? ` ${programmeLabels[o.programme][lang]}` : '');
  return `${o.id}\t${kind}\t${o.name_sv}\t${o.name_en}\t${state}\t${o.users}${o.fixed ? (lang === 'sv' ? '\tfast' : '\tfixed') : ''}\n`;
}

export async function organisationsCommand(args: string[], cx: Cx, use: UseBackend = withBackend): Promise<number> {
  const { io, lang } = cx;
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    io.out(usage);
    return args.length ? 0 : 2;
  }
  const [sub, ...rest] = args;
  if (!['list', 'add', 'rename', 'deactivate', 'activate'].includes(sub)) {
    throw usageError({ sv: `Okänt underkommando: ${sub}\n\n${usage}`, en: `Unknown subcommand: ${sub}\n\n${usage}` });
  }
  const { values, positionals } = parseOptions(rest, options, lang, sub === 'list' || sub === 'add' ? 0 : 1);
  if (sub === 'list') {
    const items = await use(lang, (backend) => backend.organisations());
    for (const o of items) io.out(organisationLine(o, lang));
    return 0;
  }
  if (sub === 'add') {
    if (!values.kind || !values.name) throw usageError({ sv: 'Ange --kind och --name.', en: 'Give --kind and --name.' });
    const input = { kind: values.kind, name_sv: values.name, name_en: values['name-en'] ?? null, id: values.id ?? null, programme: values.programme ?? null };
    const made = await use(lang, (backend) => backend.addOrganisation(input));
    io.out(`${lang === 'sv' ? 'Lade till' : 'Added'} ${organisationLine(made, lang)}`);
    return 0;
  }
  const id = positionals[0];
  if (!id) throw usageError({ sv: `Ange organisationens kortnamn: lagesbild organisations ${sub} ID`, en: `Give the organisation’s short name: lagesbild organisations ${sub} ID` });
  const change =
    sub === 'rename'
      ? { ...(values.name !== undefined ? { name_sv: values.name } : {}), ...(values['name-en'] !== undefined ? { name_en: values['name-en'] } : {}) }
      : { active: sub === 'activate' };
  if (sub === 'rename' && !Object.keys(change).length) throw usageError({ sv: 'Ange --name eller --name-en.', en: 'Give --name or --name-en.' });
  const changed = await use(lang, (backend) => backend.changeOrganisation(id, change));
  io.out(`${lang === 'sv' ? 'Ändrade' : 'Changed'} ${organisationLine(changed, lang)}`);
  if (sub === 'deactivate') {
    io.out(lang === 'sv' ? 'Organisationens användare kan inte längre logga in; deras sessioner är avslutade.\n' : 'The organisation’s users can no longer sign in; their sessions were ended.\n');
  }
  return 0;
}
