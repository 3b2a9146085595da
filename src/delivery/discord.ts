/**
 * The Discord bot-channel adapter: posts a brief's embeds to a channel over REST (no
 * gateway) and says what an error means for the engine (wait, retry, drop the channel).
 *
 * 429s: @discordjs/rest would queue and wait them out itself; here `rejectOnRateLimit`
 * turns every rate limit (a 429 or a bucket it knows is empty) into a RateLimitError so the
 * shared engine sees it: its limiter stays the one place that decides when to send, a wait
 * never hides inside a send holding a worker slot, and the outbox records it. `retries: 0`
 * for the same reason: the engine owns 5xx backoff and its attempt count.
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { describeError } from '../errors.ts';
import { DISCORD_LIMITS, renderDiscord, renderDiscordText, type DiscordLimits, type DiscordMessagePayload } from '../render/discord-embed.ts';

import type { Subscriber } from '../store/subscribers.ts';
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

/**
 * Discord's route for posting to a channel (what discord.js's `Routes.channelMessages` gives):
 * spelled out, because loading discord.js for it costs a broadcast process about 35 MB.
 */
export function channelMessagesRoute(channelId: string): `/channels/${string}/messages` {
  return `/channels/${channelId}/messages`;
}

/** Invalid Form Body: the payload broke a limit Discord enforces and we did not expect. */
const INVALID_FORM_BODY = 50035;

const MessageSchema = z.object({ id: z.string().min(1) });

export interface DiscordChannelAdapterOptions {
  token: string;
  /** Base URL without version, e.g. https://discord.com/api (config.discord.apiRoot). */
  apiRoot: string;
  timeoutMs?: number;
  /** The limiter's rules; default `discordChannelLimits(40)`. */
  rules?: LimiterRules;
  limits?: DiscordLimits;
  /** A ready REST client (tests); otherwise one is built from token and apiRoot. */
  rest?: REST;
}

export interface DiscordChannelAdapter extends DeliveryAdapter {
  readonly rest: REST;
  close(): void;
}

/**
 * What an error from @discordjs/rest means for delivery.
 * @example classifyDiscordError(err) // { kind: 'gone', reason: 'Missing Access (50001)' }
 */
export function classifyDiscordError(error: unknown): ErrorClass {
  if (error instanceof RateLimitError) {
    return { kind: 'rate_limited', afterMs: Math.max(0, Math.ceil(error.retryAfter)), global: error.global };
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const gone = GONE_CODES[code];
    if (gone && (error.status === 403 || error.status === 404)) return { kind: 'gone', reason: `${gone} (${code})` };
    if (error.status === 429) return { kind: 'rate_limited', afterMs: 1000, global: false };
    if (error.status >= 500) return { kind: 'retry', afterMs: 1000 };
    // A rejected token fails every channel alike: stop the whole drain, not just this row.
    if (error.status === 401) return { kind: 'fatal', reason: 'Discord rejected the bot token (401)', global: true };
    // 400 (our payload) and the rest: retrying will not help.
    return { kind: 'fatal', reason: `Discord ${error.status}: ${describeError(error)}` };
  }
  if (error instanceof HTTPError) {
    return error.status >= 500 || error.status === 408 ? { kind: 'retry', afterMs: 1000 } : { kind: 'fatal', reason: describeError(error) };
  }
  // A 200 whose body is not JSON, or not a message: Discord (or a proxy) answered something
  // unexpected. It may have posted the message, so it is not retried; the token is not the problem.
  if (error instanceof SyntaxError || error instanceof z.ZodError) {
    return { kind: 'fatal', reason: `unexpected answer from Discord: ${error instanceof z.ZodError ? 'not a message object' : 'not JSON'}` };
  }
  if (error instanceof Error && /^Expected token to be set/i.test(error.message)) {
    // REST drops the token after a 401 and then refuses every request.
    return { kind: 'fatal', reason: 'Discord bot token rejected or missing', global: true };
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
): Promise<{ messageIds: string[] }> {
  let payloads = renderDiscord(brief, limits);
  const ids = [...ctx.delivered];
  let first = true;
  for (let i = ids.length; i < payloads.length; i++) {
    if (!first) await ctx.beforeNext();
    first = false;
    let id: string;
    try {
      id = await post(payloads[i]!);
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
  const rest =
    options.rest ??
    new REST({
      version: '10',
      api: options.apiRoot,
      rejectOnRateLimit: () => true,
      retries: 0,
      timeout: options.timeoutMs ?? 15_000,
    }).setToken(options.token);
  const limits = options.limits ?? DISCORD_LIMITS;
  return {
    platform: 'discord',
    limits: options.rules ?? discordChannelLimits(40),
    isGroup: () => true,
    rest,
    send(subscriber: Subscriber, brief: Brief, ctx: SendContext) {
      const channelId = subscriber.chatId;
      return sendPayloads(
        brief,
        ctx,
        limits,
        async (body) => MessageSchema.parse(await rest.post(channelMessagesRoute(channelId), { body })).id,
        (err) => err instanceof DiscordAPIError && Number(err.code) === INVALID_FORM_BODY,
      );
    },
    classify: classifyDiscordError,
    close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}

/**
 * The bot-channel adapter when DISCORD_BOT_TOKEN is set, else null.
 * @example const discord = discordAdapterFromConfig(config);
 */
export function discordAdapterFromConfig(config: Readonly<Pick<Config, 'discord' | 'delivery'>>): DiscordChannelAdapter | null {
  const { botToken, apiRoot, messagesPerSecond, requestTimeoutMs } = config.discord;
  if (!botToken) return null;
  return createDiscordChannelAdapter({
    token: botToken,
    apiRoot,
    timeoutMs: requestTimeoutMs,
    rules: discordChannelLimits(messagesPerSecond, config.delivery.headroom),
  });
}
