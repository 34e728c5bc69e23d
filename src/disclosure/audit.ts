// The attacker's audit: for every suppressed cell, the smallest and largest value that every
// published cell and every relation allow (cells non-negative, no upper bound but the relations),
// as integers rounded inward. An unsafe cell passes when its interval is at least the width.
// Suppressed cells that share no relation are independent, so the audit solves each connected
// part of the suppressed cells on its own, one LP model per part, re-solved per cell and direction.
import type { Highs } from 'highs';
import { DeviationLp, component, highs, integerInterval } from './lp.ts';
import { indexProblem, type Indexed, type Problem } from './problem.ts';

/** `exact`: lo and hi are the attacker's bounds; otherwise the attacker can reach at least lo and hi (see `intervals`). */
export type AuditCell = { id: string; count: number; lo: number; hi: number; exact: boolean; unsafe: boolean; ok: boolean };
export type Audit = { width: number; passed: boolean; cells: AuditCell[]; failing: string[] };
export type CellInterval = { lo: number; hi: number; exact: boolean };

/** Above this many cells in one connected part, the audit certifies widths instead of solving every cell. */
export const EXACT_PART_LIMIT = 600;

/**
 * Intervals of `targets` (suppressed cells), solved part by part. In a part of more than
 * EXACT_PART_LIMIT cells, when a width is given, each cell first gets the range spanned by the
 * attacker's solutions found so far (a few random directions, then every cell solved): the true
 * interval contains it, so a cell whose range already reaches the width is certified without its
 * own two LPs, and only the others are solved exactly. A certified interval is marked `exact: false`.
 */
export function intervals(h: Highs, x: Indexed, suppressed: Uint8Array, targets: readonly number[], width?: number, partLimit = EXACT_PART_LIMIT): Map<number, CellInterval> {
  const out = new Map<number, CellInterval>();
  const done = new Set<number>();
  const wanted = new Set(targets);
  for (const t of targets) {
    if (done.has(t)) continue;
    const comp = component(x, suppressed, [t]);
    for (const c of comp) done.add(c);
    const lp = new DeviationLp(
      h,
      x,
      comp,
      Float64Array.from(comp, (c) => -x.count[c]),
      Float64Array.from(comp, () => h.infinity),
    );
    try {
      const certify = width !== undefined && comp.length > partLimit;
      // The smallest and largest deviation of each cell among the solutions seen (the truth is one: 0).
      const seenMin = new Float64Array(comp.length);
      const seenMax = new Float64Array(comp.length);
      const see = (primal?: Float64Array) => {
        if (primal)
          for (let k = 0; k < comp.length; k++) {
            if (primal[k] < seenMin[k]) seenMin[k] = primal[k];
            if (primal[k] > seenMax[k]) seenMax[k] = primal[k];
          }
      };
      if (certify) {
        let seed = 1;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        for (let k = 0; k < 12; k++) see(lp.maximiseDirection(Float64Array.from(comp, () => (random() < 0.5 ? -1 : 1))).primal);
      }
      comp.forEach((c, k) => {
        if (!wanted.has(c)) return;
        if (certify) {
          const seen = integerInterval(x.count[c], seenMin[k], seenMax[k]);
          if (seen.hi - seen.lo >= width!) return out.set(c, { ...seen, exact: false });
        }
        const max = lp.maximise(c, 1);
        see(max.primal);
        const min = lp.maximise(c, -1);
        see(min.primal);
        out.set(c, { ...integerInterval(x.count[c], -min.value, max.value), exact: true });
      });
    } finally {
      lp.dispose();
    }
  }
  return out;
}

export function auditIndexed(h: Highs, x: Indexed, suppressed: Uint8Array, unsafe: ReadonlySet<number>, width: number): Audit {
  const targets: number[] = [];
  for (let i = 0; i < x.n; i++) if (suppressed[i]) targets.push(i);
  const iv = intervals(h, x, suppressed, targets, width);
  const cells = targets.map((i): AuditCell => {
    const { lo, hi, exact } = iv.get(i)!;
    const isUnsafe = unsafe.has(i);
    return { id: x.ids[i], count: x.count[i], lo, hi, exact, unsafe: isUnsafe, ok: !isUnsafe || hi - lo >= width };
  });
  // An unsafe cell left published is disclosed outright.
  const published = [...unsafe].filter((i) => !suppressed[i]).map((i) => x.ids[i]);
  const failing = [...published, ...cells.filter((c) => !c.ok).map((c) => c.id)];
  return { width, passed: failing.length === 0, cells, failing };
}

/**
 * Audits a suppression: `suppressed` are the cells not published, `unsafe` those that must keep an
 * interval of at least `width` (every unsafe cell must be among the suppressed).
 */
export async function audit(problem: Problem, suppressed: Iterable<string>, options: { width: number; unsafe?: Iterable<string> }): Promise<Audit> {
  const x = indexProblem(problem);
  const at = (id: string) => {
    const i = x.index.get(id);
    if (i === undefined) throw new RangeError(`unknown cell ${id}`);
    return i;
  };
  const s = new Uint8Array(x.n);
  for (const id of suppressed) s[at(id)] = 1;
  return auditIndexed(await highs(), x, s, new Set([...(options.unsafe ?? [])].map(at)), options.width);
}
