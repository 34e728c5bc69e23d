// The attacker's audit: for every suppressed cell, the smallest and largest value that every
// published cell and every relation allow (cells non-negative, no upper bound but the relations),
// as integers rounded inward. An unsafe cell passes when its interval is at least the width.
// Suppressed cells that share no relation are independent, so the audit solves each connected
// part of the suppressed cells on its own, one LP model per part, re-solved per cell and direction.
import type { Highs } from 'highs';
import { DeviationLp, component, highs, integerInterval } from './lp.ts';
import { indexProblem, type Indexed, type Problem } from './problem.ts';

export type AuditCell = { id: string; count: number; lo: number; hi: number; unsafe: boolean; ok: boolean };
export type Audit = { width: number; passed: boolean; cells: AuditCell[]; failing: string[] };

/** Intervals of `targets` (suppressed cells), solved part by part. */
export function intervals(h: Highs, x: Indexed, suppressed: Uint8Array, targets: readonly number[]): Map<number, { lo: number; hi: number }> {
  const out = new Map<number, { lo: number; hi: number }>();
  const done = new Set<number>();
  for (const t of targets) {
    if (done.has(t)) continue;
    const comp = component(x, suppressed, [t]);
    for (const c of comp) done.add(c);
    const wanted = new Set(targets);
    const lp = new DeviationLp(
      h,
      x,
      comp,
      Float64Array.from(comp, (c) => -x.count[c]),
      Float64Array.from(comp, () => h.infinity),
    );
    try {
      for (const c of comp) {
        if (!wanted.has(c)) continue;
        const max = lp.maximise(c, 1).value;
        const min = -lp.maximise(c, -1).value;
        out.set(c, integerInterval(x.count[c], min, max));
      }
    } finally {
      lp.dispose();
    }
  }
  return out;
}

export function auditIndexed(h: Highs, x: Indexed, suppressed: Uint8Array, unsafe: ReadonlySet<number>, width: number): Audit {
  const targets: number[] = [];
  for (let i = 0; i < x.n; i++) if (suppressed[i]) targets.push(i);
  const iv = intervals(h, x, suppressed, targets);
  const cells = targets.map((i): AuditCell => {
    const { lo, hi } = iv.get(i)!;
    const isUnsafe = unsafe.has(i);
    return { id: x.ids[i], count: x.count[i], lo, hi, unsafe: isUnsafe, ok: !isUnsafe || hi - lo >= width };
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
