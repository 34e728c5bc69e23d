// Every call to the server goes through here: the UI language as Accept-Language, the CSRF token on
// state-changing requests, and one error type carrying the server's field errors.
import type { FieldMessage } from '../../src/contract/index.ts';
import { i18n } from './i18n.ts';

export type FieldError = FieldMessage;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function headers(extra: Record<string, string> = {}, method = 'GET'): Record<string, string> {
  const h: Record<string, string> = { 'accept-language': i18n.language === 'en' ? 'en' : 'sv', accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['x-csrf-token'] = csrfToken;
  return h;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const extra: Record<string, string> = { ...(init.headers ?? {}) };
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (typeof init.body === 'string') body = init.body;
    else {
      body = JSON.stringify(init.body);
      extra['content-type'] = 'application/json';
    }
  }
  const response = await fetch(path, { method, body, headers: headers(extra, method), credentials: 'same-origin', signal: init.signal });
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    // A session that ended (timeout, signed out elsewhere): the app shows the sign-in page again.
    if (response.status === 401 && path !== '/api/session') window.dispatchEvent(new Event('lagesbild:unauthenticated'));
    const d = (data && typeof data === 'object' ? data : {}) as { code?: string; message?: string; errors?: FieldError[] };
    throw new ApiError(response.status, d.code ?? `http_${response.status}`, d.message ?? response.statusText, d.errors ?? [], data);
  }
  return data as T;
}

/** GET that answers undefined when the route does not exist on this server (404), for parts still being built. */
export async function optional<T>(path: string): Promise<T | undefined> {
  try {
    return await api<T>(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}
