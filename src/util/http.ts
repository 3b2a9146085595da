/**
 * fetch with a timeout, retries on 429/5xx/network errors with backoff that honours
 * Retry-After, and typed errors. Side effects (fetch, sleep) come in through `HttpDeps`.
 */
import { HttpStatusError, NetworkError, TimeoutError } from '../errors.ts';

export type FetchFn = typeof fetch;
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpDeps {
  fetch: FetchFn;
  sleep: SleepFn;
}

export interface RequestOptions {
  timeoutMs: number;
  /** Retries after the first attempt for 429, 5xx and network errors. */
  retries: number;
  headers?: Record<string, string>;
  /** Aborts everything (the collection's overall deadline). */
  signal?: AbortSignal | undefined;
  /** First backoff step; doubles per retry. */
  backoffMs?: number;
  /** Longest wait we accept from a Retry-After header before giving up. */
  maxRetryAfterMs?: number;
  /** Statuses returned to the caller instead of thrown (e.g. 304 for conditional GET). */
  passStatuses?: number[];
}

export const realSleep: SleepFn = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function isRetryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * GET (or any method) with timeout and retries; resolves with a Response whose body is
 * unread, or throws HttpStatusError / NetworkError / TimeoutError.
 * @example const res = await request(deps, url, { timeoutMs: 5000, retries: 2 });
 */
export async function request(deps: HttpDeps, url: string, options: RequestOptions, init: RequestInit = {}): Promise<Response> {
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let res: Response;
    try {
      res = await deps.fetch(url, { ...init, headers: { ...options.headers, ...(init.headers as Record<string, string>) }, signal });
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new TimeoutError(url, options.timeoutMs);
      const error = timeout.aborted ? new TimeoutError(url, options.timeoutMs) : new NetworkError(url, err);
      if (attempt >= options.retries) throw error;
      await deps.sleep(backoffMs * 2 ** attempt, options.signal);
      continue;
    }
    if (res.ok || options.passStatuses?.includes(res.status)) return res;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    const body = await res.text().catch(() => '');
    const error = new HttpStatusError(res.status, url, body, retryAfterMs);
    if (!isRetryable(res.status) || attempt >= options.retries) throw error;
    if (retryAfterMs !== null && retryAfterMs > maxRetryAfterMs) throw error;
    await deps.sleep(retryAfterMs ?? backoffMs * 2 ** attempt, options.signal);
  }
}

/** Reads a body as text, bounded so a runaway response cannot eat the memory. */
export async function readText(res: Response, maxBytes = 5_000_000): Promise<string> {
  const buf = await readBytes(res, maxBytes);
  return new TextDecoder('utf-8').decode(buf);
}

/** Reads a body as bytes (already gunzipped by fetch when the server sent Content-Encoding). */
export async function readBytes(res: Response, maxBytes = 5_000_000): Promise<Uint8Array> {
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.byteLength > maxBytes) throw new Error(`response larger than ${maxBytes} bytes`);
  return buf;
}
