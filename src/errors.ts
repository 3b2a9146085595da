/**
 * A small error family: the server said no (HttpStatusError), the network failed
 * (NetworkError, TimeoutError), or the request worked and the data was wrong (SchemaError).
 * Messages never carry secrets: URLs are passed through `redactUrl` first.
 */
import { stripControls } from './util/clean-text.ts';

/** Hides tokens that live in URLs (Telegram's /bot<token>/, Discord webhook tokens, key params). */
export function redactUrl(raw: string): string {
  return raw
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot<redacted>')
    .replace(/(\/webhooks\/\d+\/)[A-Za-z0-9_.-]+/g, '$1<redacted>')
    .replace(/([?&](?:api_?key|key|token|access_token)=)[^&#]+/gi, '$1<redacted>')
    // https://user:password@host/ (a private feed's basic auth)
    .replace(/(\/\/[^/?#@\s:]*:)[^/?#@\s]+@/g, '$1<redacted>@');
}

export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
    readonly retryAfterMs: number | null = null,
  ) {
    // The body is the server's text: no escape sequence or control from it reaches a terminal.
    const shown = stripControls(body.slice(0, 160), { singleLine: true }).replace(/\s+/g, ' ');
    super(`HTTP ${status} from ${redactUrl(url)}${shown ? `: ${shown}` : ''}`);
  }
}

export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(readonly url: string, cause: unknown) {
    const detail = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`network error for ${redactUrl(url)}: ${redactUrl(detail)}`, { cause });
  }
}

/** 10000 -> "10 s", 250 -> "250 ms". */
function shortDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

/** How a request with retries ended: attempts made, how many timed out, total time spent. */
export interface GaveUp {
  attempts: number;
  timeouts: number;
  elapsedMs: number;
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(readonly url: string, readonly ms: number, readonly gaveUp: GaveUp | null = null) {
    // After retries, the total time is what the user waited: say it, not just one attempt's limit.
    super(
      gaveUp && gaveUp.attempts > 1
        ? `gave up after ${(gaveUp.elapsedMs / 1000).toFixed(1)} s: ${gaveUp.attempts} attempts, ${gaveUp.timeouts === gaveUp.attempts ? 'each' : `${gaveUp.timeouts} of them`} timed out after ${shortDuration(ms)}: ${redactUrl(url)}`
        : `timed out after ${ms} ms: ${redactUrl(url)}`,
    );
  }
}

/** A body that kept coming past the limit: reading stopped there. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly url: string, readonly maxBytes: number) {
    super(`response${url ? ` from ${redactUrl(url)}` : ''} is larger than ${(maxBytes / 1_000_000).toFixed(1)} MB: stopped reading`);
  }
}

/** The request succeeded; the data was not what the source promises. */
export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(readonly what: string, detail: string) {
    super(`unexpected data from ${what}: ${detail}`);
  }
}

/** A short, secret-free line for statuses and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return redactUrl(err.message);
  return redactUrl(String(err));
}
