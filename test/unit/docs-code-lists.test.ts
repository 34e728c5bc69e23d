// docs/code-lists.md is generated from src/standard: regenerated here in memory, it must equal
// the committed file, so a changed code or label without `npm run docs:codes` fails the suite.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeListsFile, renderCodeLists } from '../../scripts/gen-code-lists.ts';
import { codesDocument, type CodesDocument } from '../../src/standard/api-codes.ts';
import { codeLists, industry, industryParent } from '../../src/standard/codes.ts';

const committed = readFileSync(codeListsFile, 'utf8');
const copy = (): CodesDocument => structuredClone(codesDocument()) as CodesDocument;

describe('docs/code-lists.md', () => {
  it('is what the generator writes from the code lists today (run npm run docs:codes when this fails)', () => {
    expect(committed).toBe(renderCodeLists());
  });

  it('holds every code of every list with both labels, and every industry with its group', () => {
    for (const [name, list] of Object.entries(codeLists)) {
      expect(committed, name).toContain(`\n## ${name}\n`);
      for (const i of list.items) expect(committed, `${name}.${i.code}`).toContain(`| \`${i.code}\` | ${i.sv} | ${i.en} |`);
    }
    for (const leaf of industry.codes) {
      const group = industryParent[leaf] ?? leaf;
      expect(committed).toMatch(new RegExp(`\\| \`${group}\` \\|[^\\n]*\\|[^\\n]*\`${leaf}\``));
    }
  });

  it('no longer matches when a label, a code or the hierarchy changes', () => {
    const label = copy();
    label.lists.sex[0].sv = 'Kvinna';
    expect(renderCodeLists(label)).not.toBe(committed);

    const code = copy();
    code.lists.referred_by.push({ code: 'embassy', sv: 'Ambassad', en: 'Embassy' });
    expect(() => renderCodeLists(code)).toThrow(/referred_by/);

    const english = copy();
    english.lists.region[2].en = 'Northern';
    expect(renderCodeLists(english)).not.toBe(committed);

    const hierarchy = copy();
    hierarchy.industry_hierarchy[0].leaves.pop();
    expect(renderCodeLists(hierarchy)).not.toBe(committed);
  });

  it('the script checks the committed file (exit 0 when current)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-code-lists.ts', '--check'], {
      encoding: 'utf8',
      cwd: new URL('../..', import.meta.url),
    });
    expect(out).toContain('current');
  });
});
