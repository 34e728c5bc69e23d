// Disclosure-control benchmark: protect (primary rules, secondary suppression) and audit
// (the attacker's intervals of every suppressed cell) on the report's own table set and on
// generated table sets:
// - the whole demo release: the demo's 2025 cases (src/stats/demo.ts), the report the release
//   computes from them, its disclosure problem over the default public tables (releaseProblem in
//   src/stats/protection.ts) under the default policy; exact (with its deadline) and fast;
// - a generated release of 100,000 cases, the same way (the report's table set), fast, and exact
//   (with its deadline) when it has at most twice EXACT_LIMIT cells;
// - a set of linked tables shaped like the report's (about 300 cells, shared margins), exact and fast;
// - a 3-dimension table with every margin (about 14,000 cells, 100,000 persons), fast;
// - small linked sets where both methods run, for the fast method's loss over the exact optimum.
// BENCH_BIG=0 skips the large table; BENCH_SMALL changes the number of small sets; BENCH_CASES
// the number of generated cases. The load average (1 minute) is printed before and after each set.
import os from 'node:os';
import { EXACT_LIMIT, protect, type Protection } from '../src/disclosure/index.ts';
import type { Problem } from '../src/disclosure/problem.ts';
import { seededRandom } from '../test/support/case-fixtures.ts';
import { crossTables, tableWithMargins } from '../test/support/sdc-tables.ts';
import { randomCases } from '../test/support/random-cases.ts';
import { generateDemoCases } from '../src/stats/demo.ts';
import { computeReport } from '../src/stats/engine.ts';
import { corePolicy, defaultPolicyDocument, releaseProblem } from '../src/stats/protection.ts';
import type { CaseData } from '../src/standard/case.ts';

const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
/** A skewed choice among n codes (weights 1/(k+1)), as real categories are. */
function skewed(rand: () => number, n: number) {
  const w = Array.from({ length: n }, (_, k) => 1 / (k + 1));
  const total = w.reduce((a, b) => a + b, 0);
  return () => {
    let u = rand() * total;
    for (let k = 0; k < n; k++) if ((u -= w[k]) < 0) return k;
    return n - 1;
  };
}
function persons(seed: number, n: number, dims: Record<string, number>) {
  const rand = seededRandom(seed);
  const pickers = Object.entries(dims).map(([d, k]) => [d, skewed(rand, k)] as const);
  return Array.from({ length: n }, () => Object.fromEntries(pickers.map(([d, pick]) => [d, `${d}${pick()}`])));
}
const codesOf = (dims: Record<string, number>) => Object.fromEntries(Object.entries(dims).map(([d, k]) => [d, codes(d, k)]));

/** The report's shape: forms, sex and age groups, crime types, sex, nationalities, referrers. */
function reportLike(seed: number, n: number): Problem {
  const dims = { cat: 8, grp: 6, crime: 5, sex: 4, nat: 12, ref: 8 };
  const tables = { category: ['cat'], form_by_group: ['cat', 'grp'], crime_by_group: ['crime', 'grp'], form_by_crime: ['cat', 'crime'], children_by_form: ['cat', 'sex'], nationality: ['nat'], referrer: ['ref'], nationality_by_form: ['nat', 'cat'] };
  const t = crossTables(persons(seed, n, dims), codesOf(dims), tables);
  // Rows over nationality and groups are published rows over the sensitive form dimension.
  const groups = [...codes('nat', 12).map((v) => ({ cells: codes('cat', 8).map((c) => `cat=${c},nat=${v}`) })), ...codes('grp', 6).map((g) => ({ cells: codes('cat', 8).map((c) => `cat=${c},grp=${g}`) }))];
  return { ...t, groups };
}

function bigCube(seed: number, n: number, sizes: [number, number, number]): Problem {
  const rand = seededRandom(seed);
  const picks = sizes.map((k) => skewed(rand, k));
  const counts = new Int32Array(sizes[0] * sizes[1] * sizes[2]);
  for (let i = 0; i < n; i++) counts[(picks[0]() * sizes[1] + picks[1]()) * sizes[2] + picks[2]()]++;
  const dims = sizes.map((k, d) => codes(['a', 'b', 'c'][d], k));
  return tableWithMargins('cube', dims, ([a, b, c]) => counts[(dims[0].indexOf(a) * sizes[1] + dims[1].indexOf(b)) * sizes[2] + dims[2].indexOf(c)]);
}

const s = (x: number) => x.toFixed(x < 10 ? 2 : 1) + ' s';
const line = (name: string, problem: Problem, p: Protection) =>
  console.log(
    `${name.padEnd(34)} ${(p.detail.rounds !== undefined && p.method === 'fast' ? 'exact→fast' : p.method).padEnd(5)} cells ${String(problem.cells.length).padStart(6)}  protect ${s(p.seconds.protect).padStart(8)}  audit ${s(p.seconds.audit).padStart(8)}  ` +
      `primary ${String(p.loss.primary).padStart(5)}  secondary ${String(p.loss.secondary).padStart(5)}  persons suppressed ${String(p.loss.persons).padStart(7)}  audit ${p.audit.passed ? 'passed' : 'FAILED'}${p.detail.rounds !== undefined ? (p.optimal ? ' (optimal)' : ` (not proven optimal${p.detail.deadline ? ', deadline reached' : ''})`) : ''}` +
      `\n    ${Object.entries(p.detail).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join(', ')}; intervals solved exactly ${p.audit.cells.filter((c) => c.exact).length} of ${p.audit.cells.length}; process CPU so far ${(process.cpuUsage().user / 1e6).toFixed(0)} s`,
  );

const load = () => os.loadavg().map((v) => v.toFixed(1)).join(' ');
console.log(`Disclosure-control benchmark (node ${process.version}), default policy: threshold 3, width 3, cost persons; load average ${load()}`);

/** A release's disclosure problem as publishing builds it: the release's report (own settings, no region), the default public tables. */
function releaseSet(cases: CaseData[]) {
  const t0 = performance.now();
  const report = computeReport({ year: 2025, cases, release: { id: '2025-1', kind: 'final' }, demo: true });
  const doc = defaultPolicyDocument();
  const rp = releaseProblem(report, doc.public_tables);
  return { problem: rp.problem, policy: corePolicy(doc), seconds: (performance.now() - t0) / 1000 };
}
const releaseLosses: { name: string; exact?: Protection; fast: Protection }[] = [];
for (const [name, cases] of [
  ['demo release 2025 (481 cases)', () => generateDemoCases()],
  [`generated release, ${Number(process.env.BENCH_CASES ?? 100_000).toLocaleString('en')} cases`, () => randomCases(Number(process.env.BENCH_CASES ?? 100_000), 20251, { year: 2025, noise: 0.05 }) as CaseData[]],
] as const) {
  const set = releaseSet(cases());
  console.log(`${name}: report and problem ${s(set.seconds)}, ${set.problem.cells.length} cells, ${set.problem.relations.length} relations; load average ${load()}`);
  const fast = await protect(set.problem, set.policy, { method: 'fast' });
  line(name, set.problem, fast);
  let exact: Protection | undefined;
  // The exact method (with its deadline) also a little above the limit 'auto' uses, for its loss.
  if (set.problem.cells.length <= 2 * EXACT_LIMIT) {
    exact = await protect(set.problem, set.policy, { method: 'exact' });
    line(name, set.problem, exact);
  }
  releaseLosses.push({ name, exact, fast });
  console.log(`    load average ${load()}`);
}
for (const r of releaseLosses)
  if (r.exact)
    console.log(`${r.name}: fast/exact persons suppressed ${(r.fast.loss.persons / Math.max(r.exact.loss.persons, 1)).toFixed(3)} (${r.fast.loss.persons} / ${r.exact.loss.persons}), cells ${r.fast.loss.cells} / ${r.exact.loss.cells}`);

const report = reportLike(2025, 400);
const personsOf = (p: Protection, problem: Problem) => problem.cells.filter((c) => p.status[c.id] === 'secondary').reduce((t, c) => t + c.count, 0);
for (const method of ['exact', 'fast'] as const) {
  const p = await protect(report, {}, { method });
  line('report-like set, 400 persons', report, p);
}

if (process.env.BENCH_BIG !== '0') {
  const big = bigCube(7, 100_000, [28, 20, 22]);
  const p = await protect(big, {}, { method: 'fast' });
  line('3-dimension table, 100,000 persons', big, p);
  console.log(`    load average ${load()}`);
}

const SMALL = Number(process.env.BENCH_SMALL ?? 8);
const ratios: number[] = [];
const secRatios: number[] = [];
let exactS = 0;
let fastS = 0;
for (let k = 0; k < SMALL; k++) {
  const dims = { r: 4, f: 4, s: 3 };
  const problem = crossTables(persons(100 + k, 80, dims), codesOf(dims), { rf: ['r', 'f'], rs: ['r', 's'], fs: ['f', 's'] });
  const exact = await protect(problem, {}, { method: 'exact' });
  const fast = await protect(problem, {}, { method: 'fast' });
  exactS += exact.seconds.protect;
  fastS += fast.seconds.protect;
  ratios.push(fast.loss.persons / Math.max(exact.loss.persons, 1));
  const es = personsOf(exact, problem);
  const fs = personsOf(fast, problem);
  secRatios.push(es ? fs / es : fs ? Infinity : 1);
  console.log(
    `small set ${k + 1} (${problem.cells.length} cells): exact ${exact.loss.persons} persons in ${exact.loss.cells} cells (${es} secondary, ${s(exact.seconds.protect)}${exact.optimal ? ', optimal' : ''}), fast ${fast.loss.persons} in ${fast.loss.cells} (${fs} secondary, ${s(fast.seconds.protect)}); audits ${exact.audit.passed && fast.audit.passed ? 'passed' : 'FAILED'}`,
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `fast/exact loss (persons suppressed) over ${SMALL} small sets: mean ${mean(ratios).toFixed(3)}, worst ${Math.max(...ratios).toFixed(3)}; secondary persons only: mean ${mean(secRatios).toFixed(3)}, worst ${Math.max(...secRatios).toFixed(3)}; protect time exact ${s(exactS)}, fast ${s(fastS)} in all`,
);
console.log(`load average at the end ${load()}`);
