// The user's language from Accept-Language: Swedish unless English is preferred.
import type { FastifyRequest } from 'fastify';
import type { Lang } from '../standard/codes.ts';

/** Picks `en` when the highest-weighted supported language is English, else `sv`. */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return 'sv';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Lang | null = tag.startsWith('sv') ? 'sv' : tag.startsWith('en') ? 'en' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'sv';
}

export function langOf(request: FastifyRequest): Lang {
  return langFromHeader(request.headers['accept-language']);
}
