// Disclosure control for what the public sees: a pure module (no database, nothing of the
// project but its own files). See README.md in this folder.
export type { Cell, Group, Problem, Relation } from './problem.ts';
export { ProblemError } from './problem.ts';
export { defaultPolicy, policyOf, type Policy, type PrimaryReason } from './policy.ts';
export { protect, EXACT_LIMIT, type CellStatus, type Protection, type ProtectOptions } from './protect.ts';
export { audit, type Audit, type AuditCell } from './audit.ts';
export { linkedAudit, type Link, type LinkedAudit, type LinkedAuditCell, type LinkedPublication } from './linked.ts';
export { cellKey, expectedValue, perturb, perturbationTable, recordKey, type PerturbationTable } from './cell-key.ts';
