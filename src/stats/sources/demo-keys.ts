// Linkage keys of the demo's synthetic persons. The demo has no dates of birth or names to hash,
// so each demo person gets a fixed key of the same form as a real one (64 lowercase hex
// characters): the n-th person's key is SHA-256 of a fixed text and n. A coordinator case and a
// civil-society or programme record with the same n are the same person in the national overview.
import { createHash } from 'node:crypto';

export function demoPersonKey(n: number): string {
  return createHash('sha256').update(`lagesbild-demo-person:${n}`).digest('hex');
}
