/**
 * fetch with a timeout, retries on 429/5xx/network errors with backoff that honours
 * Retry-After, and typed errors. Side effects (fetch, sleep) come in through `HttpDeps`.
 */
import { BodyTooLargeError, HttpStatusError, NetworkError, TimeoutError } from '../errors.ts';
import { timeoutSignal, type Timers } from './timers.ts';

export type FetchFn = typeof fetch;
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpDeps {
  fetch: FetchFn;
  sleep: SleepFn;
  /** Request timeouts (and the sources' and the collection's); default: real timers. */
  timers?: Timers;
  /** Milliseconds clock for the total time reported after retries (default Date.now). */
  now?: () => number;
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
  const clock = deps.now ?? Date.now;
  const startedAt = clock();
  let timeouts = 0;
  for (let attempt = 0; ; attempt++) {
    const timeout = deps.timers ? timeoutSignal(deps.timers, options.timeoutMs) : AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let res: Response;
    try {
      res = await deps.fetch(url, { ...init, headers: { ...options.headers, ...(init.headers as Record<string, string>) }, signal });
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new TimeoutError(url, options.timeoutMs);
      if (timeout.aborted) timeouts++;
      if (attempt >= options.retries) {
        throw timeout.aborted
          ? new TimeoutError(url, options.timeoutMs, { attempts: attempt + 1, timeouts, elapsedMs: clock() - startedAt })
          : new NetworkError(url, err);
      }
      await deps.sleep(backoffMs * 2 ** attempt, options.signal);
      continue;
    }
    if (res.ok || options.passStatuses?.includes(res.status)) return res;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    const body = await readErrorBody(res);
    const error = new HttpStatusError(res.status, url, body, retryAfterMs);
    if (!isRetryable(res.status) || attempt >= options.retries) throw error;
    if (retryAfterMs !== null && retryAfterMs > maxRetryAfterMs) throw error;
    await deps.sleep(retryAfterMs ?? backoffMs * 2 ** attempt, options.signal);
  }
}

/** Largest body any source or the LLM may send; a bigger one is cut off while it streams. */
export const MAX_BODY_BYTES = 5_000_000;

/** Reads a body as text, bounded so a runaway response cannot eat the memory. */
export async function readText(res: Response, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const buf = await readBytes(res, maxBytes);
  return new TextDecoder('utf-8').decode(buf);
}

/** The start of an error body (for the message); the rest is not downloaded. */
async function readErrorBody(res: Response, maxBytes = 4096): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } catch {
    // A body that breaks off still leaves the status to report.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

/**
 * Reads a body as bytes (already gunzipped by fetch when the server sent Content-Encoding),
 * chunk by chunk: past `maxBytes` (counted after decompression) the stream is cancelled,
 * so a 200 MB body costs at most `maxBytes` of memory, and BodyTooLargeError is thrown.
 */
export async function readBytes(res: Response, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(res.url, maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * A fetch whose response bodies error out past `maxBytes` while streaming, for clients that
 * read bodies themselves (the openai SDK): they see a failed read, never a huge buffer.
 * @example new OpenAI({ fetch: limitBodyFetch(globalThis.fetch, MAX_BODY_BYTES) })
 */
export function limitBodyFetch(fetchFn: FetchFn, maxBytes = MAX_BODY_BYTES): FetchFn {
  return async (input, init) => {
    const res = await fetchFn(input, init);
    if (!res.body) return res;
    const url = res.url || (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    let total = 0;
    const limiter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > maxBytes) controller.error(new BodyTooLargeError(url, maxBytes));
        else controller.enqueue(chunk);
      },
    });
    // The platform decoded any Content-Encoding already: do not let a reader decode it again.
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    const limited = new Response(res.body.pipeThrough(limiter), { status: res.status, statusText: res.statusText, headers });
    Object.defineProperty(limited, 'url', { value: url });
    return limited;
  };
}
