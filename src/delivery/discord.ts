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
import { Routes } from 'discord.js';
import { z } from 'zod';
import type { Brief } from '../domain.ts';
import { describeError } from '../errors.ts';
import { DISCORD_LIMITS, renderDiscord, renderDiscordText, type DiscordLimits, type DiscordMessagePayload } from '../render/discord-embed.ts';

// The engine's adapter contract (task #4); replaced by an import once src/delivery has it.
export type ErrorClass =
  | { kind: 'retry'; afterMs: number }
  | { kind: 'rate_limited'; afterMs: number; global: boolean }
  | { kind: 'gone'; reason: string }
  | { kind: 'migrate'; newChatId: string }
  | { kind: 'fatal'; reason: string };
export interface DeliveryAdapter {
  platform: string;
  send(subscriber: { chatId: string }, brief: Brief): Promise<{ messageIds: string[] }>;
  classify(error: unknown): ErrorClass;
}

/** Discord JSON error codes that mean "this channel will never take our messages". */
export const GONE_CODES: Readonly<Record<number, string>> = Object.freeze({
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  50001: 'Missing Access',
  50013: 'Missing Permissions',
});

/** Invalid Form Body: the payload broke a limit Discord enforces and we did not expect. */
const INVALID_FORM_BODY = 50035;

const MessageSchema = z.object({ id: z.string().min(1) });

export interface DiscordChannelAdapterOptions {
  token: string;
  /** Base URL without version, e.g. https://discord.com/api (config.discord.apiRoot). */
  apiRoot: string;
  timeoutMs?: number;
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
    // 401 (bad token), 400 (our payload) and the rest: retrying will not help.
    return { kind: 'fatal', reason: `Discord ${error.status}: ${describeError(error)}` };
  }
  if (error instanceof HTTPError) {
    return error.status >= 500 || error.status === 408 ? { kind: 'retry', afterMs: 1000 } : { kind: 'fatal', reason: describeError(error) };
  }
  if (error instanceof Error && /token/i.test(error.message) && /expected/i.test(error.message)) {
    // REST drops the token after a 401 and then refuses every request.
    return { kind: 'fatal', reason: 'Discord bot token rejected or missing' };
  }
  // Timeouts (AbortError), refused or reset connections: the network, not Discord's answer.
  return { kind: 'retry', afterMs: 1000 };
}

/**
 * Remembers how far a multi-message brief got, so a retry after message 2 of 3 failed
 * resumes at message 2 instead of posting message 1 again. In memory: it serves retries in
 * one process; bounded so abandoned entries cannot pile up.
 */
export class SendProgress {
  private readonly sent = new Map<string, string[]>();
  constructor(private readonly max = 1000) {}
  get(key: string): string[] {
    return [...(this.sent.get(key) ?? [])];
  }
  set(key: string, ids: string[]): void {
    this.sent.delete(key);
    this.sent.set(key, ids);
    if (this.sent.size > this.max) this.sent.delete(this.sent.keys().next().value!);
  }
  delete(key: string): void {
    this.sent.delete(key);
  }
}

export function progressKey(target: string, brief: Brief): string {
  return `${target}\u0000${brief.createdAt}\u0000${brief.title}`;
}

/**
 * Posts payloads in order through `post`, resuming after already-sent ones; falls back to
 * plain text when Discord rejects the first embed message as an invalid form body.
 */
export async function sendPayloads(
  brief: Brief,
  key: string,
  progress: SendProgress,
  limits: DiscordLimits,
  post: (body: DiscordMessagePayload) => Promise<string>,
  isInvalidBody: (err: unknown) => boolean,
): Promise<{ messageIds: string[] }> {
  let payloads = renderDiscord(brief, limits);
  const ids = progress.get(key);
  for (let i = ids.length; i < payloads.length; i++) {
    try {
      ids.push(await post(payloads[i]!));
    } catch (err) {
      if (i === 0 && ids.length === 0 && payloads[0]!.embeds.length > 0 && isInvalidBody(err)) {
        payloads = renderDiscordText(brief, limits);
        i = -1;
        continue;
      }
      progress.set(key, ids);
      throw err;
    }
  }
  progress.delete(key);
  return { messageIds: ids };
}

/**
 * @example
 * const discord = createDiscordChannelAdapter({ token, apiRoot: config.discord.apiRoot });
 * await discord.send({ chatId: '123456789012345678' }, brief); // { messageIds: ['...'] }
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
  const progress = new SendProgress();
  return {
    platform: 'discord',
    rest,
    async send(subscriber, brief) {
      const channelId = subscriber.chatId;
      return sendPayloads(
        brief,
        progressKey(channelId, brief),
        progress,
        limits,
        async (body) => MessageSchema.parse(await rest.post(Routes.channelMessages(channelId), { body })).id,
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
