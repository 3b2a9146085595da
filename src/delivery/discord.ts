/**
 * The Discord bot-channel adapter: posts a brief's embeds to a channel over REST (no
 * gateway; discord-rest.ts) and says what an error means for the engine (wait, retry, drop
 * the channel).
 *
 * Rate limits: the engine's limiter paces the global 50 requests/s over a sliding window and
 * one channel's sends; the poster keeps each channel's route bucket from the X-RateLimit-*
 * headers and fails a post to an empty bucket at once with Discord's wait. Every 429, real or
 * announced, reaches the engine: a wait never hides inside a send holding a worker slot, and
 * the outbox records it. No retries inside: the engine owns 5xx backoff and its attempt count.
 * Channels answering 403/404 are dropped at the first answer: Discord bans a bot that keeps
 * sending invalid requests (10,000 in 10 minutes).
 */
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { describeError } from '../errors.ts';
import { DISCORD_LIMITS, renderDiscord, renderDiscordText, type DiscordLimits, type DiscordMessagePayload } from '../render/discord-embed.ts';

import type { Subscriber } from '../store/subscribers.ts';
import { cardBody, type DiscordCardSource } from './discord-card.ts';
import { createDiscordPoster, DiscordRestError, type DiscordPoster } from './discord-rest.ts';
import type { LimiterRules } from './limiter.ts';
import type { DeliveryAdapter, ErrorClass, SendContext } from './types.ts';

/** Discord JSON error codes that mean "this channel will never take our messages". */
export const GONE_CODES: Readonly<Record<number, string>> = Object.freeze({
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  50001: 'Missing Access',
  50013: 'Missing Permissions',
});

/** A Discord id (snowflake): 17-20 digits. A channel subscriber's chat id is one. */
export function isDiscordSnowflake(id: string): boolean {
  return /^\d{17,20}$/.test(id);
}

/** Invalid Form Body: the payload broke a limit Discord enforces and we did not expect. */
const INVALID_FORM_BODY = 50035;

export interface DiscordChannelAdapterOptions {
  token: string;
  /** Base URL without version, e.g. https://discord.com/api (config.discord.apiRoot). */
  apiRoot: string;
  timeoutMs?: number;
  /** The limiter's rules; default `discordChannelLimits(40)`. */
  rules?: LimiterRules;
  limits?: DiscordLimits;
  /** A ready poster (tests); otherwise one is built from token and apiRoot. */
  poster?: DiscordPoster;
  /** The market card of a brief: the archive's URL (PUBLIC_URL) or the PNG as an attachment. */
  cardFor?: DiscordCardSource;
}

export interface DiscordChannelAdapter extends DeliveryAdapter {
  close(): void;
}

/**
 * What an error from the Discord poster means for delivery.
 * @example classifyDiscordError(err) // { kind: 'gone', reason: 'Missing Access (50001)' }
 */
export function classifyDiscordError(error: unknown): ErrorClass {
  if (error instanceof DiscordRestError) {
    if (error.status === 429) return { kind: 'rate_limited', afterMs: Math.max(0, error.retryAfterMs ?? 1000), global: error.global };
    const gone = error.code !== null ? GONE_CODES[error.code] : undefined;
    if (gone && (error.status === 403 || error.status === 404)) return { kind: 'gone', reason: `${gone} (${error.code})` };
    // A rejected token fails every channel alike: stop the whole drain, not just this row.
    if (error.status === 401) return { kind: 'fatal', reason: 'Discord rejected the bot token (401)', global: true };
    if (error.status >= 500 || error.status === 408) return { kind: 'retry', afterMs: 1000 };
    // A 2xx whose body is not a message: Discord (or a proxy) answered something unexpected.
    // It may have posted the message, so it is not retried; the token is not the problem.
    if (error.status >= 200 && error.status < 300) return { kind: 'fatal', reason: `unexpected answer from Discord: ${error.discordMessage}` };
    // 400 (our payload), a 403/404 without a known code, and the rest: retrying will not help.
    return { kind: 'fatal', reason: describeError(error) };
  }
  // Timeouts (AbortError), refused or reset connections: the network, not Discord's answer.
  return { kind: 'retry', afterMs: 1000 };
}

/**
 * Posts a brief's payloads in order, resuming after the parts an earlier attempt delivered
 * (`ctx.delivered`), pacing every later part through the engine (`ctx.beforeNext`) and
 * reporting each accepted part at once (`ctx.onDelivered`). When Discord rejects the very
 * first embed message as an invalid form body (its limits changed under us), the brief goes
 * out as plain text instead.
 */
export async function sendPayloads(
  brief: Brief,
  ctx: SendContext,
  limits: DiscordLimits,
  post: (body: DiscordMessagePayload) => Promise<string>,
  isInvalidBody: (err: unknown) => boolean,
  /** Posts the first part instead of `post` (it carries the market card). */
  postFirst?: (body: DiscordMessagePayload) => Promise<string>,
): Promise<{ messageIds: string[] }> {
  let payloads = renderDiscord(brief, limits);
  const ids = [...ctx.delivered];
  let first = true;
  for (let i = ids.length; i < payloads.length; i++) {
    if (!first) await ctx.beforeNext();
    first = false;
    let id: string;
    try {
      id = await (i === 0 && postFirst ? postFirst : post)(payloads[i]!);
    } catch (err) {
      if (i === 0 && payloads[0]!.embeds.length > 0 && isInvalidBody(err)) {
        payloads = renderDiscordText(brief, limits);
        i = -1;
        continue;
      }
      throw err;
    }
    ids.push(id);
    ctx.onDelivered(id);
  }
  return { messageIds: ids };
}

/**
 * Discord's published limits for bot messages: 50 requests/s per bot (we aim at
 * `messagesPerSecond`, 40 by default, leaving room for the bot's other calls) and 5 messages
 * per 5 s per channel.
 */
export function discordChannelLimits(messagesPerSecond: number, headroom = 0.95): LimiterRules {
  return { globalPerSecond: Math.min(messagesPerSecond, 50), perChatPerSecond: 1, perGroupPerMinute: 60, headroom };
}

/**
 * @example
 * const discord = createDiscordChannelAdapter({ token, apiRoot: config.discord.apiRoot });
 * await discord.send(subscriber, brief, ctx); // { messageIds: ['...'] } (ctx comes from the worker)
 */
export function createDiscordChannelAdapter(options: DiscordChannelAdapterOptions): DiscordChannelAdapter {
  const poster = options.poster ?? createDiscordPoster({ token: options.token, apiRoot: options.apiRoot, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  const limits = options.limits ?? DISCORD_LIMITS;
  return {
    platform: 'discord',
    limits: options.rules ?? discordChannelLimits(40),
    isGroup: () => true,
    async send(subscriber: Subscriber, brief: Brief, ctx: SendContext) {
      const channelId = subscriber.chatId;
      const card = options.cardFor && ctx.briefId !== undefined && ctx.delivered.length === 0 && subscriber.card !== false ? await options.cardFor(ctx.briefId) : null;
      return sendPayloads(
        brief,
        ctx,
        limits,
        (body) => poster.post(channelId, body),
        (err) => err instanceof DiscordRestError && err.code === INVALID_FORM_BODY,
        // The archive's URL as JSON (PUBLIC_URL), else the PNG attached as multipart.
        card ? (body) => poster.post(channelId, cardBody(body, card)) : undefined,
      );
    },
    classify: classifyDiscordError,
    close() {
      // Nothing held open beyond idle keep-alive sockets, which do not keep the process alive.
    },
  };
}

/**
 * The bot-channel adapter when DISCORD_BOT_TOKEN is set, else null.
 * @example const discord = discordAdapterFromConfig(config);
 */
export function discordAdapterFromConfig(config: Readonly<Pick<Config, 'discord' | 'delivery'>>, cardFor?: DiscordCardSource): DiscordChannelAdapter | null {
  const { botToken, apiRoot, messagesPerSecond, requestTimeoutMs } = config.discord;
  if (!botToken) return null;
  return createDiscordChannelAdapter({
    token: botToken,
    apiRoot,
    timeoutMs: requestTimeoutMs,
    rules: discordChannelLimits(messagesPerSecond, config.delivery.headroom),
    ...(cardFor ? { cardFor } : {}),
  });
}
