/**
 * Posts messages to Discord channels over REST for delivery, and keeps Discord's per-route
 * buckets as its X-RateLimit-* headers announce them (Limit, Remaining, Reset-After, Bucket,
 * per channel, the route's major parameter). A post to a channel whose bucket is empty is not
 * sent: it fails at once with the wait the headers gave, so the engine pauses that channel
 * without spending a request. The request is written when called (no queue of its own): the
 * engine's limiter alone decides when, including the global 50 per second.
 */
import { z } from 'zod';
import { describeError } from '../errors.ts';
import { RawBody, createJsonPost, withTimeout } from './json-post.ts';

/** Discord answered with an error, or a bucket it announced is empty (`preemptive`). */
export class DiscordRestError extends Error {
  override name = 'DiscordRestError';
  constructor(
    readonly status: number,
    /** Discord's JSON error code (10003 Unknown Channel, 50001 Missing Access...), or null. */
    readonly code: number | null,
    readonly discordMessage: string,
    /** For 429 (or an empty bucket): how long to wait. */
    readonly retryAfterMs: number | null,
    readonly global: boolean,
    /** True when no request was sent because the bucket was known to be empty. */
    readonly preemptive = false,
  ) {
    super(`Discord ${status}${code !== null ? ` (${code})` : ''}: ${discordMessage}`);
  }
}

const ErrorBodySchema = z
  .object({ code: z.number().optional(), message: z.string().optional(), retry_after: z.number().nonnegative().optional(), global: z.boolean().optional() })
  .loose();
const MessageSchema = z.object({ id: z.string().min(1) });

interface Bucket {
  id: string | null;
  remaining: number;
  resetAt: number;
}

export interface DiscordPoster {
  /** Posts one message to a channel (JSON, or a FormData sent as multipart: payload_json + files[n]); resolves with its id. */
  post(channelId: string, body: unknown): Promise<string>;
}

export interface DiscordPosterOptions {
  token: string;
  /** Base URL without version, e.g. https://discord.com/api. */
  apiRoot: string;
  timeoutMs?: number;
  now?: () => number;
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** @example const discord = createDiscordPoster({ token, apiRoot }); await discord.post('2000...', { content: 'hi' }); */
export function createDiscordPoster(options: DiscordPosterOptions): DiscordPoster {
  const post = createJsonPost();
  const now = options.now ?? Date.now;
  const root = options.apiRoot.replace(/\/+$/, '');
  const buckets = new Map<string, Bucket>();
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async post(channelId, body) {
      const known = buckets.get(channelId);
      if (known && known.remaining <= 0 && known.resetAt > now()) {
        throw new DiscordRestError(429, null, `route bucket ${known.id ?? ''} is empty`.trim(), known.resetAt - now(), false, true);
      }
      const url = new URL(`${root}/v10/channels/${channelId}/messages`);
      // The market card as an attachment: the form encoded once, its boundary in the content type.
      const payload = body instanceof FormData ? await RawBody.fromForm(body) : body;
      const answer = await withTimeout(timeoutMs, (signal) => post(url, payload, { headers: { authorization: `Bot ${options.token}` }, signal }));
      const remaining = Number(header(answer.headers['x-ratelimit-remaining']));
      const resetAfter = Number(header(answer.headers['x-ratelimit-reset-after']));
      // A 429's wait travels in its error (the engine honours it); other answers update the bucket.
      if (answer.status !== 429 && Number.isFinite(remaining) && Number.isFinite(resetAfter)) {
        buckets.set(channelId, { id: header(answer.headers['x-ratelimit-bucket']) ?? null, remaining, resetAt: now() + resetAfter * 1000 });
        // Forget buckets long past their reset, so a broadcast to 100k channels keeps few.
        if (buckets.size > 10_000) for (const [k, b] of buckets) if (b.resetAt < now()) buckets.delete(k);
      }
      if (answer.status >= 200 && answer.status < 300) {
        const message = MessageSchema.safeParse(answer.json);
        if (!message.success) throw new DiscordRestError(answer.status, null, 'answer without a message id', null, false);
        return message.data.id;
      }
      const error = ErrorBodySchema.safeParse(answer.json);
      const data = error.success ? error.data : {};
      const retryHeader = Number(header(answer.headers['retry-after']));
      const retryAfterMs =
        data.retry_after !== undefined ? Math.ceil(data.retry_after * 1000) : Number.isFinite(retryHeader) ? retryHeader * 1000 : answer.status === 429 ? 1000 : null;
      const global = data.global === true || header(answer.headers['x-ratelimit-global']) === 'true';
      throw new DiscordRestError(answer.status, data.code ?? null, describeError(data.message ?? `HTTP ${answer.status}`), retryAfterMs, global);
    },
  };
}
