// Measures CSV import: parse and validate 100,000 generated cases (run: node --import tsx bench/standard-csv.ts [rows]).
import fc from 'fast-check';
import { casesToCsv, parseCasesCsv } from '../src/standard/csv.ts';
import { arbCaseData } from '../test/support/arbitraries.ts';

const n = Number(process.argv[2] ?? 100_000);
const today = '2026-06-15';
const sample = fc.sample(arbCaseData({ today }), { numRuns: 2_000, seed: 7 });
const cases = Array.from({ length: n }, (_, i) => sample[i % sample.length]);

let t = performance.now();
const csv = casesToCsv(cases);
const exportMs = performance.now() - t;

t = performance.now();
const cpu = process.cpuUsage();
const { headerErrors, rows } = parseCasesCsv(csv, { today });
const importMs = performance.now() - t;
const importCpu = process.cpuUsage(cpu);

const bad = rows.filter((r) => r.errors.length > 0).length;
console.log(
  `${n} rows, ${(csv.length / 1e6).toFixed(1)} MB: export ${(exportMs / 1000).toFixed(2)} s, ` +
    `parse+validate ${(importMs / 1000).toFixed(2)} s (cpu ${((importCpu.user + importCpu.system) / 1e6).toFixed(2)} s); header errors ${headerErrors.length}, rows with errors ${bad}`,
);
