/**
 * The Discord webhook adapter: a server that prefers not to invite the bot pastes a channel
 * webhook URL; the brief is POSTed there with `?wait=true` so Discord answers with the
 * message (and its id). The URL carries the webhook's token: it never appears in an error
 * or a log line unredacted.
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { NetworkError, redactUrl, TimeoutError } from '../errors.ts';
import { DISCORD_LIMITS, type DiscordLimits } from '../render/discord-embed.ts';
import type { FetchFn } from '../util/http.ts';
import { parseRetryAfter } from '../util/http.ts';
import type { Db } from '../store/db.ts';
import { getSubscriber, upsertSubscriber, type Subscriber } from '../store/subscribers.ts';
import { sendPayloads } from './discord.ts';
import { cardBody, type DiscordCardSource } from './discord-card.ts';
import type { LimiterRules } from './limiter.ts';
import type { DeliveryAdapter, ErrorClass, SendContext } from './types.ts';

/**
 * Webhooks have their own limits, apart from the bot's: about 5 requests per 2 s per webhook
 * and 30 messages a minute per channel.
 */
export function discordWebhookLimits(headroom = 0.95): LimiterRules {
  return { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 30, headroom };
}

const ErrorBodySchema = z
  .object({
    code: z.number().optional(),
    message: z.string().optional(),
    retry_after: z.number().nonnegative().optional(),
    global: z.boolean().optional(),
  })
  .loose();

const MessageSchema = z.object({ id: z.string().min(1) });

/** Discord answered a webhook post with an error status. */
export class DiscordWebhookError extends Error {
  override name = 'DiscordWebhookError';
  constructor(
    readonly status: number,
    /** Discord's JSON error code (10015 Unknown Webhook, 50027 Invalid Webhook Token...), or null. */
    readonly code: number | null,
    readonly discordMessage: string,
    readonly retryAfterMs: number | null,
    readonly global: boolean,
    url: string,
  ) {
    super(`Discord webhook ${redactUrl(url)} answered ${status}${code !== null ? ` (${code})` : ''}: ${discordMessage}`);
  }
}

/** A channel webhook URL: http(s) and a path ending in /webhooks/<id>/<token>. */
export function isDiscordWebhookUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && /\/api(?:\/v\d+)?\/webhooks\/\d+\/[\w.-]+\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** The URL to post to: the user's URL with `wait=true` added (a `thread_id` is kept). */
export function webhookPostUrl(raw: string): string {
  const url = new URL(raw);
  url.searchParams.set('wait', 'true');
  return url.href;
}

/**
 * @example classifyWebhookError(err) // { kind: 'gone', reason: 'Unknown Webhook (10015)' }
 */
export function classifyWebhookError(error: unknown): ErrorClass {
  if (error instanceof DiscordWebhookError) {
    const what = `${error.discordMessage}${error.code !== null ? ` (${error.code})` : ''}`;
    // 404: deleted; 401: its token was reset. Either way this URL will never work again.
    if (error.status === 404 || error.status === 401) return { kind: 'gone', reason: what };
    if (error.status === 429) return { kind: 'rate_limited', afterMs: error.retryAfterMs ?? 1000, global: error.global };
    if (error.status >= 500 || error.status === 408) return { kind: 'retry', afterMs: 1000 };
    return { kind: 'fatal', reason: `Discord webhook ${error.status}: ${what}` };
  }
  if (error instanceof NetworkError || error instanceof TimeoutError) return { kind: 'retry', afterMs: 1000 };
  return { kind: 'fatal', reason: error instanceof Error ? redactUrl(error.message) : redactUrl(String(error)) };
}

export interface DiscordWebhookAdapterOptions {
  fetch: FetchFn;
  timeoutMs?: number;
  rules?: LimiterRules;
  limits?: DiscordLimits;
  /** The market card of a brief: its URL, or the PNG as an attachment. */
  cardFor?: DiscordCardSource;
}

/** One POST; resolves with the new message's id or throws a redacted, typed error. */
export async function postWebhookMessage(fetchFn: FetchFn, webhookUrl: string, body: unknown, timeoutMs: number): Promise<string> {
  const url = webhookPostUrl(webhookUrl);
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: 'POST',
      // A card attachment goes as multipart (fetch writes its boundary), everything else as JSON.
      ...(body instanceof FormData ? { body } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) throw new TimeoutError(url, timeoutMs);
    throw new NetworkError(url, err);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const parsed = ErrorBodySchema.safeParse(json);
    const data = parsed.success ? parsed.data : {};
    const header = parseRetryAfter(res.headers.get('retry-after'));
    // The body's float seconds are precise; the header is rounded up to whole seconds.
    const retryAfterMs = data.retry_after !== undefined ? Math.ceil(data.retry_after * 1000) : header;
    const global = data.global ?? res.headers.get('x-ratelimit-global') === 'true';
    throw new DiscordWebhookError(res.status, data.code ?? null, data.message ?? res.statusText, retryAfterMs, global, url);
  }
  const message = MessageSchema.safeParse(json);
  if (!message.success) throw new DiscordWebhookError(res.status, null, 'answer without a message id', null, false, url);
  return message.data.id;
}

/**
 * @example
 * const hooks = createDiscordWebhookAdapter({ fetch });
 * await hooks.send(subscriber, brief, ctx); // subscriber.chatId is the webhook URL
 */
export function createDiscordWebhookAdapter(options: DiscordWebhookAdapterOptions): DeliveryAdapter {
  const limits = options.limits ?? DISCORD_LIMITS;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    platform: 'discord-webhook',
    limits: options.rules ?? discordWebhookLimits(),
    isGroup: () => true,
    async send(subscriber: Subscriber, brief: Brief, ctx: SendContext) {
      const webhookUrl = subscriber.chatId;
      const card = options.cardFor && ctx.briefId !== undefined && ctx.delivered.length === 0 && subscriber.card !== false ? await options.cardFor(ctx.briefId) : null;
      return sendPayloads(
        brief,
        ctx,
        limits,
        (body) => postWebhookMessage(options.fetch, webhookUrl, body, timeoutMs),
        (err) => err instanceof DiscordWebhookError && err.code === 50035,
        card ? (body) => postWebhookMessage(options.fetch, webhookUrl, cardBody(body, card), timeoutMs) : undefined,
      );
    },
    classify: classifyWebhookError,
  };
}

/** The `subscribers.platform` of webhook subscribers (chat_id = the webhook URL). */
export const DISCORD_WEBHOOK_PLATFORM = 'discord-webhook';

/**
 * The webhook adapter; it needs no credentials, so it is always there for webhook subscribers.
 * @example const hooks = discordWebhookAdapterFromConfig(config, globalThis.fetch);
 */
export function discordWebhookAdapterFromConfig(
  config: Readonly<Pick<Config, 'discord' | 'delivery'>>,
  fetchFn: FetchFn = globalThis.fetch,
  cardFor?: DiscordCardSource,
): DeliveryAdapter {
  return createDiscordWebhookAdapter({
    ...(cardFor ? { cardFor } : {}),
    fetch: fetchFn,
    timeoutMs: config.discord.requestTimeoutMs,
    rules: discordWebhookLimits(config.delivery.headroom),
  });
}

/**
 * Makes every URL in `config.discord.webhooks` a subscriber, once: a URL already there keeps
 * its row as it is, so a webhook Discord answered 404 for stays inactive instead of being
 * revived on every run. @returns how many were added.
 * @example syncConfigWebhooks(db, config, new Date())
 */
export function syncConfigWebhooks(db: Db, config: Readonly<Pick<Config, 'discord' | 'delivery' | 'language'>>, now: Date): number {
  let added = 0;
  for (const url of config.discord.webhooks) {
    if (getSubscriber(db, DISCORD_WEBHOOK_PLATFORM, url)) continue;
    upsertSubscriber(
      db,
      {
        platform: DISCORD_WEBHOOK_PLATFORM,
        chatId: url,
        kind: 'webhook',
        title: 'from config',
        language: config.language,
        deliveryTime: config.delivery.defaultTime,
        timezone: config.delivery.defaultTimezone,
      },
      now,
    );
    added++;
  }
  return added;
}
