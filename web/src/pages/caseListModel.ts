// The case list's pure parts: the sort in the address and which page numbers to offer.

export type SortKey = 'reference' | 'identified_on' | 'updated_at' | 'status';
const keys: readonly SortKey[] = ['reference', 'identified_on', 'updated_at', 'status'];

/** `?sort=identified_on` or `?sort=-identified_on`; anything else is no sort (newest first). */
export function parseSort(value: string | null): { key: SortKey; dir: 'asc' | 'desc' } | null {
  if (!value) return null;
  const key = value.replace(/^-/, '') as SortKey;
  return keys.includes(key) ? { key, dir: value.startsWith('-') ? 'desc' : 'asc' } : null;
}

/**
 * The page numbers to show: the first, the last and two either side of the current one, with null
 * where numbers are left out (shown as "…"); a gap of one page shows that page instead.
 */
export function pageWindow(page: number, pages: number, around = 2): (number | null)[] {
  const shown = new Set<number>([1, pages]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const p of sorted) {
    const prev = out.at(-1);
    if (typeof prev === 'number' && p - prev === 2) out.push(p - 1);
    else if (typeof prev === 'number' && p - prev > 2) out.push(null);
    out.push(p);
  }
  return out;
}
