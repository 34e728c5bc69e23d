// Compressed forms of stored outputs, made once per output and coding and kept in memory. A
// published release's page never changes, so compressing it again for every request (what a
// compressing hook does) would spend the CPU that serving it from storage saved: at 140 KiB,
// brotli on each answer held a server to about 30 requests/s on two cores.
import zlib from 'node:zlib';
import { promisify } from 'node:util';

export type Coding = 'br' | 'gzip';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Quality 5: within a few per cent of brotli's best on these JSON documents at a fraction of the time; done once. */
const brotliOptions = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };

/**
 * The coding to answer with for an `Accept-Encoding` header: brotli when accepted, else gzip,
 * else none. A coding with `q=0` is refused; `*` stands for any coding not named.
 */
export function chooseCoding(header: string | string[] | undefined): Coding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (coding: Coding) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

/** Worth compressing: text formats of at least 1 KiB (PDF and XLSX are compressed inside already). */
export function compressible(contentType: string, size: number): boolean {
  return size >= 1024 && /^(application\/(json|xml)|text\/|image\/svg\+xml)/.test(contentType);
}

/**
 * A bounded cache of compressed bodies keyed by the body's strong validator and the coding.
 * Concurrent first requests share one compression; the least recently used forms go first
 * when the cache is over `maxBytes`.
 */
export function compressedForms(maxBytes = 64 * 1024 * 1024) {
  const done = new Map<string, Buffer>();
  const pending = new Map<string, Promise<Buffer>>();
  let bytes = 0;
  const stats = { compressions: 0 };

  function remember(key: string, body: Buffer) {
    if (body.length > maxBytes) return;
    done.set(key, body);
    bytes += body.length;
    for (const [k, v] of done) {
      if (bytes <= maxBytes) break;
      done.delete(k);
      bytes -= v.length;
    }
  }

  async function get(etag: string, coding: Coding, body: Buffer): Promise<Buffer> {
    const key = `${etag} ${coding}`;
    const hit = done.get(key);
    if (hit) {
      // Map order is insertion order: a hit moves to the end, so eviction takes the least recent.
      done.delete(key);
      done.set(key, hit);
      return hit;
    }
    let work = pending.get(key);
    if (!work) {
      stats.compressions++;
      work = (coding === 'br' ? brotli(body, brotliOptions) : gzip(body)).then((out) => {
        remember(key, out);
        return out;
      });
      work.finally(() => pending.delete(key)).catch(() => undefined);
      pending.set(key, work);
    }
    return work;
  }

  return { get, stats, size: () => bytes };
}
export type CompressedForms = ReturnType<typeof compressedForms>;
