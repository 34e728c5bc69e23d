// Where the sign-in page sends the user afterwards. `next` comes from the address bar, so anyone
// can write it: only a path on this site is followed. Browsers read `/\host` and `/\t/host`
// as `//host`, and history.replaceState throws on another origin, so those are refused too.

const BASE = 'https://same-origin.invalid';

/** `next` when it is a path on this site, else `fallback`; never throws. */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  // Tabs and line breaks are dropped by URL parsers ("/\t/evil" becomes "//evil"); no path has them.
  if (/[\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}

/** Where a role starts when the sign-in names no page: the administrator has no case list to see. */
export function homePath(role: string | undefined): string {
  return role === 'admin' ? '/admin/anvandare' : '/oversikt';
}
