// `lagesbild organisations …` on the database it opens and through the server that holds the data
// directory (the administrator's routes with the local token): the same lines and exit codes for
// adding, a taken name (exit 2), a fixed regional office (exit 2), renaming, deactivating and the
// list, in Swedish and English; `users add` then refuses the deactivated organisation.
import { afterAll, describe, expect, it } from 'vitest';
import { runMain, serveInProcess, tempDataDir, type CliResult, type InProcessServer } from '../support/cli.ts';
import { TEST_PASSWORD } from '../support/http.ts';

const en = { LAGESBILD_LANG: 'en' };

/** The same steps on two data directories; the second is served, so its commands go through the server. */
const steps = (n: number): { args: string[]; env?: Record<string, string> }[] => [
  { args: ['organisations', 'add', '--kind', 'civil_society', '--name', `Föreningen Ängsbacken ${n}`, '--name-en', `Meadow ${n}`] },
  { args: ['organisations', 'add', '--kind', 'support_programme', '--programme', 'amp', '--name', `föreningen ängsbacken ${n}`, '--id', 'annan'] },
  { args: ['organisations', 'add', '--kind', 'support_programme', '--programme', 'amp', '--name', `föreningen ängsbacken ${n}`, '--id', 'annan'], env: en },
  { args: ['organisations', 'add', '--kind', 'coordinator_office', '--name', 'Regionkoordinator Gotland'] },
  { args: ['organisations', 'rename', 'rk-syd', '--name', 'Syd'] },
  { args: ['organisations', 'deactivate', 'rk-syd'], env: en },
  { args: ['organisations', 'rename', `foreningen-angsbacken-${n}`, '--name', `Ängsbacken ${n}`] },
  { args: ['organisations', 'deactivate', `foreningen-angsbacken-${n}`] },
  { args: ['organisations', 'activate', 'finns-inte'] },
  { args: ['organisations', 'list'] },
  { args: ['organisations', 'list'], env: en },
  { args: ['organisations', 'rename', 'rk-syd'] },
  // a support programme names its programme: NSP or ÅMP
  { args: ['organisations', 'add', '--kind', 'support_programme', '--name', `Stödprogrammet ${n}`] },
  { args: ['organisations', 'add', '--kind', 'support_programme', '--name', `Stödprogrammet ${n}`, '--programme', 'xyz'], env: en },
  { args: ['organisations', 'add', '--kind', 'civil_society', '--name', `Stödprogrammet ${n}`, '--programme', 'nsp'] },
  { args: ['organisations', 'add', '--kind', 'support_programme', '--name', `Stödprogrammet ${n}`, '--name-en', `Support ${n}`, '--programme', 'amp'] },
  { args: ['organisations', 'list'], env: en },
];

/** The per-directory number in the output, so the two runs compare line by line. */
const same = (r: CliResult, n: number) => ({ ...r, stdout: r.stdout.replaceAll(`-${n}`, '-N').replaceAll(` ${n}`, ' N') });

describe('lagesbild organisations', { timeout: 300_000 }, () => {
  const local = tempDataDir();
  const served = tempDataDir();
  let server: InProcessServer | undefined;
  afterAll(async () => {
    await server?.close();
    local.remove();
    served.remove();
  });

  it('adds, refuses, renames, deactivates and lists with the same output and exit codes through either backend', async () => {
    const here: CliResult[] = [];
    for (const { args, env } of steps(1)) here.push(await runMain(args, local.dataDir, env));
    const [added, taken, takenEn, office, renameOffice, deactivateOffice, renamed, deactivated, unknown, list, listEn, noName] = here;
    expect(added).toEqual({ code: 0, stdout: 'Lade till foreningen-angsbacken-1\tcivilsamhälle\tFöreningen Ängsbacken 1\tMeadow 1\taktiv\t0\n', stderr: '' });
    expect(taken).toEqual({ code: 2, stdout: '', stderr: 'name_sv: Namnet används redan av en annan organisation.\n' });
    expect(takenEn).toEqual({ code: 2, stdout: '', stderr: 'name_sv: The name is already used by another organisation.\n' });
    expect(office).toEqual({ code: 2, stdout: '', stderr: 'kind: Regionkontoren är fasta (ett per region) och kan inte läggas till.\n' });
    expect(renameOffice).toEqual({ code: 2, stdout: '', stderr: 'De regionala samordnarkontoren är fasta: de kan inte byta namn eller inaktiveras.\n' });
    expect(deactivateOffice).toEqual({ code: 2, stdout: '', stderr: 'The regional coordinator offices are fixed: they cannot be renamed or deactivated.\n' });
    expect(renamed.stdout).toBe('Ändrade foreningen-angsbacken-1\tcivilsamhälle\tÄngsbacken 1\tMeadow 1\taktiv\t0\n');
    expect(deactivated.stdout).toBe(
      'Ändrade foreningen-angsbacken-1\tcivilsamhälle\tÄngsbacken 1\tMeadow 1\tinaktiv\t0\nOrganisationens användare kan inte längre logga in; deras sessioner är avslutade.\n',
    );
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: 'Organisationen finns inte.\n' });
    expect(list.stdout.split('\n')).toContain('rk-syd\tregionkontor\tRegionkoordinator Syd\tRegional coordinator South\taktiv\t0\tfast');
    expect(list.stdout.split('\n').filter(Boolean)).toHaveLength(8);
    expect(listEn.stdout).toContain('foreningen-angsbacken-1\tcivil society\tÄngsbacken 1\tMeadow 1\tinactive\t0\n');
    expect(noName).toEqual({ code: 2, stdout: '', stderr: 'Ange --name eller --name-en.\n' });
    const [noProgramme, badProgramme, civilProgramme, programmeAdded, programmeListEn] = here.slice(12);
    expect(noProgramme).toEqual({ code: 2, stdout: '', stderr: 'programme: Ange stödprogrammets program: nsp eller amp (NSP eller ÅMP).\n' });
    expect(badProgramme).toEqual({ code: 2, stdout: '', stderr: 'programme: Unknown programme. Choose from: nsp, amp (NSP, AVRR).\n' });
    expect(civilProgramme).toEqual({ code: 2, stdout: '', stderr: 'programme: Bara ett stödprogram har ett program (NSP eller ÅMP).\n' });
    expect(programmeAdded).toEqual({ code: 0, stdout: 'Lade till stodprogrammet-1\tstödprogram ÅMP\tStödprogrammet 1\tSupport 1\taktiv\t0\n', stderr: '' });
    expect(programmeListEn.stdout).toContain('stodprogrammet-1\tsupport programme AVRR\tStödprogrammet 1\tSupport 1\tactive\t0\n');
    // the deactivated organisation takes no new users
    const user = await runMain(['users', 'add', '--username', 'ny-rapportor', '--role', 'organisation_reporter', '--organisation', 'foreningen-angsbacken-1'], local.dataDir, {}, TEST_PASSWORD);
    expect(user).toEqual({ code: 2, stdout: '', stderr: 'organisation_id: Organisationen är inaktiverad.\n' });

    server = await serveInProcess(served.dataDir);
    const through: CliResult[] = [];
    for (const { args, env } of steps(2)) through.push(await runMain(args, served.dataDir, env));
    expect(through.map((r) => same(r, 2))).toEqual(here.map((r) => same(r, 1)));
    // the server really did it: the list through it shows the organisation, deactivated
    expect((await runMain(['organisations', 'list'], served.dataDir)).stdout).toContain('foreningen-angsbacken-2\tcivilsamhälle\tÄngsbacken 2\tMeadow 2\tinaktiv');
  });
});
