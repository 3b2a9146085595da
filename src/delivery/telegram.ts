/**
 * The Telegram adapter for the delivery engine: sends a brief as HTML messages through a Bot
 * API client (bot-api-client.ts, pointed anywhere with `apiRoot`; telegraf's `Telegram` fits
 * too) and says what a Bot API error means: 429 wait, 403/400 chat gone, migrate_to_chat_id,
 * 5xx/network retry.
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { describeError } from '../errors.ts';
import { renderTelegram } from '../render/telegram-html.ts';
import type { Subscriber } from '../store/subscribers.ts';
import { createBotApiClient, type BotApiCaller } from './bot-api-client.ts';
import { withTimeout } from './json-post.ts';
import type { LimiterRules } from './limiter.ts';
import { cardCaption, createTelegramCardSender, isCardMessageId } from './telegram-card.ts';
import type { DeliveryAdapter, ErrorClass, SendContext } from './types.ts';

export const TELEGRAM_PLATFORM = 'telegram';

type TelegramConfig = Config['telegram'];

/**
 * A Bot API client; the token lives only inside it (in the request path).
 * @example const telegram = createTelegramClient(config.telegram);
 */
export function createTelegramClient(config: Pick<TelegramConfig, 'botToken' | 'apiRoot'>): BotApiCaller {
  if (!config.botToken) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  return createBotApiClient({ token: config.botToken, apiRoot: config.apiRoot });
}

/** The limiter rules from config: 30/s (or the paid-broadcast rate), 1/s per chat, 20/min per group. */
export function telegramLimits(telegram: TelegramConfig, headroom = 1, marginMs?: number): LimiterRules {
  return {
    globalPerSecond: telegram.paidBroadcast ? telegram.paidMessagesPerSecond : telegram.messagesPerSecond,
    perChatPerSecond: telegram.perChatPerSecond,
    perGroupPerMinute: telegram.perGroupPerMinute,
    headroom,
    ...(marginMs !== undefined ? { marginMs } : {}),
  };
}

/** Error descriptions that mean the chat will never take our messages. */
const GONE = [
  /bot was blocked by the user/i,
  /user is deactivated/i,
  /bot was kicked/i,
  /bot is not a member/i,
  /chat not found/i,
  /group chat was deactivated/i,
  /bot can't initiate conversation/i,
  /bot can't send messages to bots/i,
  /have no rights to send/i,
  /not enough rights to send/i,
  /need administrator rights/i,
  /CHAT_WRITE_FORBIDDEN/i,
  /PEER_ID_INVALID/i,
  /CHANNEL_PRIVATE/i,
  // A forum topic that was closed or deleted: that subscription is gone, the chat's other topics are not.
  /TOPIC_CLOSED/i,
  /TOPIC_DELETED/i,
  /message thread not found/i,
];

const ParametersSchema = z
  .object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() })
  .partial()
  .passthrough();

interface ApiFailure {
  code: number;
  description: string;
  retryAfter: number | undefined;
  migrateTo: number | undefined;
}

function apiFailure(error: unknown): ApiFailure | null {
  // telegraf's TelegramError and our BotApiError both carry the answer in `.response`.
  const response = typeof error === 'object' && error !== null && 'response' in error ? (error as { response: unknown }).response : null;
  const parsed = z.object({ error_code: z.number(), description: z.string().default(''), parameters: ParametersSchema.optional() }).safeParse(response);
  if (!parsed.success) return null;
  return {
    code: parsed.data.error_code,
    description: parsed.data.description,
    retryAfter: parsed.data.parameters?.retry_after,
    migrateTo: parsed.data.parameters?.migrate_to_chat_id,
  };
}

/**
 * What a Bot API error means for delivery.
 * @example classifyTelegramError(new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }))
 * // { kind: 'gone', reason: '403: Forbidden: bot was blocked by the user' }
 */
export function classifyTelegramError(error: unknown): ErrorClass {
  const api = apiFailure(error);
  if (!api) {
    // A refused or reset connection, a body that is not the Bot API's, our timeout's AbortError: the
    // network, not Telegram's answer. Retried with backoff.
    return { kind: 'retry', afterMs: 0 };
  }
  const reason = describeError(`${api.code}: ${api.description}`);
  if (api.migrateTo !== undefined) return { kind: 'migrate', newChatId: String(api.migrateTo) };
  // Telegram's 429 does not say whether one chat or the whole bot is over: the engine guesses
  // from its own pacing (a group near its minute's limit waits alone; otherwise all wait).
  if (api.code === 429) return { kind: 'rate_limited', afterMs: Math.max(1, api.retryAfter ?? 1) * 1000, global: true, scopeKnown: false };
  if (api.code >= 500) return { kind: 'retry', afterMs: (api.retryAfter ?? 0) * 1000 };
  if (api.code === 403) return { kind: 'gone', reason };
  if (api.code === 400 && GONE.some((re) => re.test(api.description))) return { kind: 'gone', reason };
  // 401 Unauthorized / 404 Not Found: the token is wrong or revoked; no message can go out.
  if (api.code === 401 || api.code === 404) return { kind: 'fatal', reason: `${reason} (check TELEGRAM_BOT_TOKEN)`, global: true };
  // 400 "can't parse entities", "message is too long": our payload is wrong; a bug, not a retry.
  return { kind: 'fatal', reason };
}

const SentMessageSchema = z.object({ message_id: z.number().int() }).passthrough();

export interface TelegramAdapterOptions {
  telegram: BotApiCaller;
  /** Sends with `allow_paid_broadcast: true` (and the paid rate in `limits`). */
  paidBroadcast?: boolean;
  limits?: Partial<LimiterRules>;
  /** One sendMessage may take this long before it counts as a network failure. */
  requestTimeoutMs?: number;
  render?: (brief: Brief) => string[];
  /** The brief's market card PNG (sent first, as a photo), or null: no card. Unset: never a card. */
  cardPng?: (briefId: number) => Promise<Uint8Array | null>;
}

/**
 * @example
 * const telegram = createTelegramAdapter({ telegram: createTelegramClient(config.telegram), limits: telegramLimits(config.telegram) });
 * await deliverPending({ db, adapters: [telegram], maxAttempts: 5 });
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): DeliveryAdapter {
  const render = options.render ?? ((brief: Brief) => renderTelegram(brief));
  const rendered = new WeakMap<Brief, string[]>();
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const cards = options.cardPng
    ? createTelegramCardSender({ telegram: options.telegram, png: options.cardPng, timeoutMs, ...(options.paidBroadcast ? { paidBroadcast: true } : {}) })
    : null;
  const messagesOf = (brief: Brief): string[] => {
    let parts = rendered.get(brief);
    if (!parts) {
      parts = render(brief);
      rendered.set(brief, parts);
    }
    return parts;
  };

  async function sendOne(chatId: string, text: string, threadId?: number | null): Promise<string> {
    const payload = {
      chat_id: chatId,
      // A forum topic's subscription posts into that topic.
      ...(threadId ? { message_thread_id: threadId } : {}),
      text,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      // Not in telegraf 4.16's types; the Bot API reads it from the JSON body.
      ...(options.paidBroadcast ? { allow_paid_broadcast: true } : {}),
    };
    const result: unknown = await withTimeout(timeoutMs, (signal) => options.telegram.callApi('sendMessage', payload, { signal }));
    return String(SentMessageSchema.parse(result).message_id);
  }

  return {
    platform: TELEGRAM_PLATFORM,
    limits: options.limits ?? {},
    isGroup: (subscriber: Subscriber) => subscriber.kind !== 'private' || subscriber.chatId.startsWith('-'),
    async send(subscriber: Subscriber, brief: Brief, ctx?: SendContext) {
      const parts = messagesOf(brief);
      const ids = [...(ctx?.delivered ?? [])];
      // The card photo first, unless an earlier attempt sent it (its id is marked) or the subscriber said /card off.
      let sentNow = false;
      if (cards && ctx?.briefId !== undefined && subscriber.card !== false && !ids.some(isCardMessageId)) {
        const id = await cards.send(subscriber.chatId, ctx.briefId, cardCaption(brief.title), subscriber.threadId).catch((err: unknown) => {
          // Telegram refused the picture itself (400 IMAGE_PROCESS_FAILED, a bad caption): the brief still goes, as text.
          const meaning = classifyTelegramError(err);
          if (meaning.kind === 'fatal' && !meaning.global) return null;
          throw err;
        });
        if (id !== null) {
          ids.push(id);
          ctx.onDelivered(id);
          sentNow = true;
        }
      }
      const first = ids.filter((id) => !isCardMessageId(id)).length;
      for (let i = first; i < parts.length; i++) {
        if (i > first || sentNow) await ctx?.beforeNext();
        const id = await sendOne(subscriber.chatId, parts[i]!, subscriber.threadId);
        ids.push(id);
        ctx?.onDelivered(id);
      }
      return { messageIds: ids };
    },
    classify: classifyTelegramError,
  };
}

/** A secret-free one-liner for any error from the Bot API client. */
export function describeTelegramError(error: unknown, token?: string): string {
  const text = describeError(error);
  return token ? text.split(token).join('<redacted>') : text;
}
