// The modules of src/ (its top-level folders) import each other one way only (ARCHITECTURE.md):
// a two-way arrow, however indirect (a → b → c → a), fails here with the import lines that make it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, parse, sourceFiles } from '../support/source-files.ts';

type Edge = { from: string; to: string; where: string };

/** The folder of src/ a root-relative path lies in (`src/stats/x.ts` → `stats`), or null outside src/. */
const moduleOf = (file: string): string | null => {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : null;
};

/** The arrows between modules, each with one import that draws it. */
function moduleEdges(files: { file: string; text?: string }[]): Edge[] {
  const edges = new Map<string, Edge>();
  for (const { file, text } of files) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const { specifier, line } of importsOf(parse(file, text))) {
      if (!specifier.startsWith('.')) continue; // packages and node: builtins
      const to = moduleOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
      if (to && to !== from && !edges.has(`${from}>${to}`)) edges.set(`${from}>${to}`, { from, to, where: `${file}:${line} imports ${specifier}` });
    }
  }
  return [...edges.values()];
}

/** The groups of two or more modules that reach each other (strongly connected components, Tarjan). */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(v)) visit(v);
  return out;
}

describe('the module graph of src/', () => {
  it('has no cycle between top-level folders', () => {
    const edges = moduleEdges(sourceFiles('src').map((file) => ({ file })));
    const found = cycles(edges).map((group) => ({
      modules: group,
      imports: edges.filter((e) => group.includes(e.from) && group.includes(e.to)).map((e) => e.where),
    }));
    expect(found).toEqual([]);
    // The arrows ARCHITECTURE.md draws are there to be checked: the graph is not empty.
    expect(edges.some((e) => e.from === 'stats' && e.to === 'standard')).toBe(true);
  });

  it('finds a cycle through several folders and names the imports that close it', () => {
    const edges = moduleEdges([
      { file: 'src/a/x.ts', text: "import { y } from '../b/y.ts';" },
      { file: 'src/b/y.ts', text: "export { z } from '../c/z.ts';\nimport fs from 'node:fs';" },
      { file: 'src/c/z.ts', text: "const later = () => import('../a/x.ts');\nimport type { w } from './w.ts';" },
      { file: 'src/d/w.ts', text: "import { x } from '../a/x.ts';" },
    ]);
    expect(cycles(edges)).toEqual([['a', 'b', 'c']]);
    expect(edges.find((e) => e.from === 'c')?.where).toBe("src/c/z.ts:1 imports ../a/x.ts");
    expect(cycles(edges.filter((e) => e.from !== 'c'))).toEqual([]);
  });
});
