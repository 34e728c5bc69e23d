// The attacker's audit across publications of the same persons (e.g. a preliminary and a final
// release of one year). Each publication is a problem of its own with its own suppression; what
// links them is that a cell of one and the same cell of the other differ by at most the number of
// records that differ between the two (a record added, removed or changed moves a count by at most
// one). The attacker is assumed to know that number. Everything published by any of them is known
// at once, so an unsafe cell must keep its width against all of them together.
import { intervals } from './audit.ts';
import { highs } from './lp.ts';
import { indexProblem, type Cell, type Problem, type Relation } from './problem.ts';

export type LinkedPublication = {
  name: string;
  problem: Problem;
  /** Cells it does not publish. */
  suppressed: Iterable<string>;
  /** Cells that must keep an interval of at least `width`. */
  unsafe: Iterable<string>;
  width: number;
};

/** Two publications and the cells they both print (`[cell of a, cell of b]`), at most `distance` apart. */
export type Link = { a: string; b: string; distance: number; cells: readonly (readonly [string, string])[] };

export type LinkedAuditCell = { publication: string; id: string; count: number; lo: number; hi: number; exact: boolean; ok: boolean };
export type LinkedAudit = { passed: boolean; cells: LinkedAuditCell[]; failing: { publication: string; id: string }[] };

const SEP = '\u241f'; // a separator no cell id holds
const joint = (publication: string, id: string) => `${publication}${SEP}${id}`;

/**
 * The interval of every unsafe suppressed cell of every publication, from everything any of them
 * publishes and the links between them. A publication that prints an unsafe cell fails outright.
 */
export async function linkedAudit(publications: readonly LinkedPublication[], links: readonly Link[]): Promise<LinkedAudit> {
  const byName = new Map(publications.map((p) => [p.name, p]));
  if (byName.size !== publications.length) throw new RangeError('two publications share a name');
  const cells: Cell[] = [];
  const relations: Relation[] = [];
  const suppressed = new Set<string>();
  const unsafe = new Map<string, { publication: string; id: string; width: number }>();
  const failing: LinkedAudit['failing'] = [];
  for (const p of publications) {
    const ids = new Set(p.problem.cells.map((c) => c.id));
    for (const c of p.problem.cells) cells.push({ ...c, id: joint(p.name, c.id) });
    for (const r of p.problem.relations) relations.push({ kind: r.kind, total: joint(p.name, r.total), parts: r.parts.map((q) => joint(p.name, q)) });
    const hidden = new Set(p.suppressed);
    for (const id of hidden) {
      if (!ids.has(id)) throw new RangeError(`${p.name}: unknown cell ${id}`);
      suppressed.add(joint(p.name, id));
    }
    for (const id of p.unsafe) {
      if (!ids.has(id)) throw new RangeError(`${p.name}: unknown cell ${id}`);
      if (!hidden.has(id)) failing.push({ publication: p.name, id });
      else unsafe.set(joint(p.name, id), { publication: p.name, id, width: p.width });
    }
  }
  for (const [k, link] of links.entries()) {
    if (!byName.has(link.a) || !byName.has(link.b)) throw new RangeError(`a link names an unknown publication`);
    if (!Number.isInteger(link.distance) || link.distance < 0) throw new RangeError('a link distance must be a non-negative integer');
    // The distance is a published constant: a cell of its own that is never suppressed.
    const d = `${SEP}distance${SEP}${k}`;
    cells.push({ id: d, count: link.distance, persons: 0 });
    for (const [ca, cb] of link.cells) {
      const a = joint(link.a, ca);
      const b = joint(link.b, cb);
      if (!suppressed.has(a) && !suppressed.has(b)) continue; // two printed figures: nothing to learn
      relations.push({ kind: 'at_least', total: b, parts: [a, d] }, { kind: 'at_least', total: a, parts: [b, d] });
    }
  }
  // indexProblem also proves every link true on the counts (a distance too small is the caller's bug).
  const x = indexProblem({ cells, relations });
  const hidden = new Uint8Array(x.n);
  for (const id of suppressed) hidden[x.index.get(id)!] = 1;
  const targets = [...unsafe.keys()].map((id) => x.index.get(id)!);
  const widest = Math.max(0, ...[...unsafe.values()].map((u) => u.width));
  const iv = intervals(await highs(), x, hidden, targets, widest);
  const out: LinkedAuditCell[] = [];
  for (const [jid, u] of unsafe) {
    const i = x.index.get(jid)!;
    const { lo, hi, exact } = iv.get(i)!;
    const ok = hi - lo >= u.width;
    out.push({ publication: u.publication, id: u.id, count: x.count[i], lo, hi, exact, ok });
    if (!ok) failing.push({ publication: u.publication, id: u.id });
  }
  return { passed: failing.length === 0, cells: out, failing };
}
