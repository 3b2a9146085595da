/**
 * The Telegram bot (telegraf): subscribe with /start, pick a time and zone, get the latest
 * brief with /brief; group admins and channel admins subscribe their chats; operators
 * broadcast and see stats. Long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is
 * set. Every setting is validated: a bad argument gets a reply saying what is accepted and
 * nothing changes. The token never reaches a log line or a reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { deliveryAdapters, deliverySettings } from '../delivery/adapters.ts';
import { broadcastLatest } from '../delivery/broadcast-latest.ts';
import { nextBriefAt, parseLanguage, parseTime, parseTimeZone, parseTopics, describeZone, languageName } from '../delivery/subscriber-settings.ts';
import type { DeliveryAdapter } from '../delivery/types.ts';
import { redactUrl } from '../errors.ts';
import type { Logger } from '../log.ts';
import { renderTelegram } from '../render/telegram-html.ts';
import { escapeHtml } from '../render/escape.ts';
import type { Db } from '../store/db.ts';
import { wasDelivered } from '../store/deliveries.ts';
import { outboxCounts } from '../store/outbox.ts';
import { latestBrief } from '../store/runs.ts';
import {
  countSubscribers,
  getSubscriber,
  setActive,
  subscriptionsOfChat,
  updateChatId,
  updateSettings,
  upsertSubscriber,
  type Subscriber,
} from '../store/subscribers.ts';
import { parseCommand } from './telegram/parse-command.ts';
import { telegramWebhook } from './telegram/webhook.ts';
import {
  ADMINS_ONLY,
  HELP_TEXT,
  NOT_SUBSCRIBED,
  OPERATORS_ONLY,
  PUBLIC_COMMANDS,
  describeDelivery,
  nextBriefLine,
  settingsText,
  statsText,
  usage,
} from './telegram/replies.ts';

export interface TelegramBotDeps {
  config: Readonly<Config>;
  db: Db;
  /** The newest stored brief in a language (fall back as you see fit); null when none. */
  getLatestBrief: (language: string) => Promise<Brief | null>;
  log: Logger;
  now: () => Date;
  /** In `serve`: writes a fresh brief and delivers it to everyone, the same path as POST /trigger. */
  broadcastNow?: () => Promise<string>;
  /** The engine's adapters for /broadcast; share them with the delivery loop so one limiter paces both. */
  adapters?: readonly DeliveryAdapter[];
  /** Waits out a reply's 429 (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

export interface TelegramBot {
  readonly bot: Telegraf;
  /** Registers commands, then starts long polling (not awaited: it runs until stop) or sets the webhook. */
  start(): Promise<void>;
  stop(reason?: string): Promise<void>;
  /** Webhook mode: mount `handler` at `path` on the HTTP server; null when polling. */
  readonly webhook: { path: string; handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> } | null;
}

const PLATFORM = 'telegram';
/** A reply waits out at most this long a 429 (Telegram allows about one message a second per chat). */
const REPLY_MAX_WAIT_S = 10;
const REPLY_ATTEMPTS = 3;
/** Commands that change a chat's subscription; in groups only admins may use them. */
const SETTING_COMMANDS = new Set(['start', 'subscribe', 'stop', 'unsubscribe', 'time', 'timezone', 'lang', 'topics', 'card']);

interface Chat {
  id: number;
  type: string;
  title?: string;
  username?: string;
  first_name?: string;
}

interface Incoming {
  chat: Chat;
  fromId: number | null;
  senderChatId: number | null;
  text: string;
  channelPost: boolean;
  /** The forum topic the command was sent in (message_thread_id of a topic message), else null. */
  threadId: number | null;
}

function incomingOf(ctx: Context): Incoming | null {
  const message = (ctx.message ?? ctx.channelPost) as
    | { chat: Chat; from?: { id: number }; sender_chat?: { id: number }; text?: string; message_thread_id?: number; is_topic_message?: boolean }
    | undefined;
  if (!message || typeof message.text !== 'string') return null;
  return {
    chat: message.chat,
    fromId: message.from?.id ?? null,
    senderChatId: message.sender_chat?.id ?? null,
    text: message.text,
    channelPost: ctx.channelPost !== undefined,
    // Only forum topics: a reply thread in an ordinary group also has a message_thread_id.
    threadId: message.is_topic_message && typeof message.message_thread_id === 'number' ? message.message_thread_id : null,
  };
}

function chatTitle(chat: Chat): string | null {
  return chat.title ?? (chat.username ? `@${chat.username}` : (chat.first_name ?? null));
}

/** Races a promise against a timer; null when the timer wins. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @example
 * const tg = createTelegramBot({ config, db, getLatestBrief, log, now: () => new Date() });
 * await tg.start(); ... await tg.stop('SIGTERM');
 */
export function createTelegramBot(deps: TelegramBotDeps): TelegramBot {
  const { config, db, log } = deps;
  const token = config.telegram.botToken;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  const secretFree = (text: string) => redactUrl(text).split(token).join('<redacted>');
  const bot = new Telegraf(token, {
    telegram: { apiRoot: config.telegram.apiRoot },
    // /brief waits at most briefWaitMs and /broadcast runs detached, so handlers end well within this.
    handlerTimeout: config.telegram.briefWaitMs + 30_000,
  });
  let adapters: readonly DeliveryAdapter[] | null = deps.adapters ?? null;
  /** Last /brief per chat and forum topic ("chat" or "chat:topic"), for the cooldown. */
  const lastBrief = new Map<string, number>();
  let broadcasting = false;

  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** Replies skip the engine's limiter, so two in a second to one chat can get a 429: wait it out, do not drop the reply. */
  async function send(chatId: number, html: string, threadId: number | null = null) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await bot.telegram.sendMessage(chatId, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(threadId !== null ? { message_thread_id: threadId } : {}),
        });
      } catch (err) {
        const retryAfter = err instanceof TelegramError && err.code === 429 ? err.parameters?.retry_after : undefined;
        if (retryAfter === undefined || retryAfter > REPLY_MAX_WAIT_S || attempt >= REPLY_ATTEMPTS) throw err;
        await sleep(retryAfter * 1000);
      }
    }
  }

  async function isChatAdmin(msg: Incoming): Promise<boolean> {
    if (msg.channelPost || msg.chat.type === 'private') return true;
    // An anonymous admin posts as the group itself.
    if (msg.senderChatId === msg.chat.id) return true;
    if (msg.fromId === null) return false;
    const member = await bot.telegram.getChatMember(msg.chat.id, msg.fromId);
    return member.status === 'creator' || member.status === 'administrator';
  }

  /** The chat's subscription, or the forum topic's one when `threadId` is given. */
  const subscriberOf = (chat: Chat, threadId: number | null = null): Subscriber | null => getSubscriber(db, PLATFORM, String(chat.id), threadId);
  /** When the scheduler really sends next: it catches up a passed time within the grace window, and sends once a day. */
  const nextOf = (sub: Subscriber): Date =>
    nextBriefAt(sub.deliveryTime, sub.timezone, deps.now(), { graceHours: config.delivery.graceHours, wasDelivered: (date) => wasDelivered(db, sub.id, date) });

  /** The subscriber to change, or a reply saying why not. */
  function activeSubscriber(msg: Incoming): Subscriber | null {
    const sub = subscriberOf(msg.chat, msg.threadId);
    return sub && sub.active ? sub : null;
  }

  const handlers: Record<string, (msg: Incoming, args: string) => Promise<string | null>> = {
    async start(msg) {
      const before = subscriberOf(msg.chat, msg.threadId);
      const { subscriber, created, reactivated } = upsertSubscriber(
        db,
        {
          platform: PLATFORM,
          chatId: String(msg.chat.id),
          threadId: msg.threadId,
          kind: msg.chat.type,
          title: chatTitle(msg.chat),
          ...(before ? {} : { language: config.language, deliveryTime: config.delivery.defaultTime, timezone: config.delivery.defaultTimezone }),
        },
        deps.now(),
      );
      const head = created || reactivated ? 'Subscribed: you will get the market brief every morning.' : 'You are already subscribed.';
      return `${head}\n${nextBriefLine(subscriber, deps.now(), nextOf(subscriber))}\n/time and /timezone change when it comes; /brief sends the latest one now.`;
    },
    async stop(msg) {
      const sub = activeSubscriber(msg);
      if (!sub) return 'This chat was not subscribed. /start subscribes it.';
      setActive(db, sub.id, false, 'stopped with /stop', deps.now());
      return 'Unsubscribed: no more briefs here. /start to resume.';
    },
    async time(msg, args) {
      const time = parseTime(args);
      if (!time) return usage.time;
      const sub = activeSubscriber(msg);
      if (!sub) return NOT_SUBSCRIBED;
      const updated = updateSettings(db, sub.id, { deliveryTime: time }, deps.now())!;
      return `Delivery time set to <b>${escapeHtml(time)}</b> ${escapeHtml(describeZone(updated.timezone))}.\n${nextBriefLine(updated, deps.now(), nextOf(updated))}`;
    },
    async timezone(msg, args) {
      const zone = parseTimeZone(args);
      if (!zone) return usage.timezone;
      const sub = activeSubscriber(msg);
      if (!sub) return NOT_SUBSCRIBED;
      const updated = updateSettings(db, sub.id, { timezone: zone }, deps.now())!;
      return `Time zone set to <b>${escapeHtml(describeZone(zone))}</b>.\n${nextBriefLine(updated, deps.now(), nextOf(updated))}`;
    },
    async lang(msg, args) {
      const language = parseLanguage(args);
      if (!language) return usage.lang;
      const sub = activeSubscriber(msg);
      if (!sub) return NOT_SUBSCRIBED;
      updateSettings(db, sub.id, { language }, deps.now());
      const set = `Brief language set to <b>${escapeHtml(languageName(language))}</b> (${escapeHtml(language)}).`;
      // The extractive writers write en and zh; other languages need the LLM writer: say so rather than let English arrive unexplained.
      return config.llm.apiKey || /^(?:en|zh)\b/i.test(language) ? set : `${set} Until the operator configures an AI writer, briefs arrive in English.`;
    },
    async topics(msg, args) {
      const parsed = parseTopics(args);
      if ('unknown' in parsed) return usage.topics(parsed.unknown);
      const sub = activeSubscriber(msg);
      if (!sub) return NOT_SUBSCRIBED;
      updateSettings(db, sub.id, { topics: parsed.topics }, deps.now());
      return `Topics: <b>${escapeHtml(parsed.topics.length ? parsed.topics.join(', ') : 'all')}</b>.`;
    },
    async card(msg, args) {
      const choice = args.trim().toLowerCase();
      if (choice !== 'on' && choice !== 'off') return usage.card;
      const sub = activeSubscriber(msg);
      if (!sub) return NOT_SUBSCRIBED;
      updateSettings(db, sub.id, { card: choice === 'on' }, deps.now());
      if (choice === 'off') return 'Market card <b>off</b>: the brief comes without the picture. /card on brings it back.';
      // The operator's switch decides whether there is a card at all: say so rather than promise one.
      return config.card.enabled ? 'Market card <b>on</b>: the picture comes before the brief.' : 'Market card <b>on</b> for this chat; the operator has cards turned off for now, so briefs come as text.';
    },
    async settings(msg) {
      const sub = subscriberOf(msg.chat, msg.threadId);
      return sub ? settingsText(sub, deps.now(), nextOf(sub)) : NOT_SUBSCRIBED;
    },
    async help() {
      return HELP_TEXT;
    },
    async brief(msg) {
      const now = deps.now().getTime();
      const cooldownKey = msg.threadId === null ? String(msg.chat.id) : `${msg.chat.id}:${msg.threadId}`;
      const last = lastBrief.get(cooldownKey);
      const cooldownMs = config.telegram.briefCooldownSeconds * 1000;
      if (last !== undefined && now - last < cooldownMs) {
        return `You just got it; ask again in ${Math.ceil((last + cooldownMs - now) / 1000)} s.`;
      }
      lastBrief.set(cooldownKey, now);
      const language = subscriberOf(msg.chat, msg.threadId)?.language ?? config.language;
      const brief = await within(
        deps.getLatestBrief(language).catch((err: unknown) => {
          log.error({ err }, '/brief could not read the latest brief');
          return null;
        }),
        config.telegram.briefWaitMs,
      );
      if (!brief) {
        lastBrief.delete(cooldownKey);
        return 'No brief is ready yet; try again in a few minutes.';
      }
      for (const part of renderTelegram(brief)) await send(msg.chat.id, part, msg.threadId);
      return null;
    },
    async broadcast(msg) {
      if (msg.fromId === null || !config.telegram.adminIds.includes(msg.fromId)) return OPERATORS_ONLY;
      if (broadcasting) return 'A broadcast is already running; its report follows when it ends.';
      const chatId = msg.chat.id;
      if (deps.broadcastNow) {
        const broadcastNow = deps.broadcastNow;
        broadcasting = true;
        // The ack first, so the report (which may be quick) cannot overtake it.
        await send(chatId, 'Writing a fresh brief and sending it to every active subscriber…').catch((err: unknown) =>
          log.warn({ err }, `/broadcast acknowledgement not sent: ${secretFree(String(err))}`),
        );
        // Detached: writing and delivering outlive any handler timeout. The report follows.
        void broadcastNow()
          .then(
            (report) => send(chatId, escapeHtml(report)).catch((err: unknown) => log.warn({ err }, `/broadcast report not sent: ${secretFree(String(err))}`)),
            (err: unknown) => {
              log.error({ err }, '/broadcast failed');
              return send(chatId, `Broadcast failed: ${escapeHtml(secretFree(err instanceof Error ? err.message : String(err)))}`);
            },
          )
          .catch(() => undefined)
          .finally(() => {
            broadcasting = false;
          });
        return null;
      }
      if (!latestBrief(db, { withData: true })) {
        return latestBrief(db)
          ? 'Every stored brief was written when every source failed (no news in it): nothing to broadcast.'
          : 'No brief has been written yet: nothing to broadcast.';
      }
      adapters ??= deliveryAdapters(config, db);
      broadcasting = true;
      const counts = countSubscribers(db);
      // Detached: a broadcast to thousands outlives any handler timeout. The report follows.
      void broadcastLatest(db, config.language, deliverySettings(config, db, adapters, log))
        .then((results) =>
          send(
            chatId,
            results.length === 0
              ? 'Nobody to send to.'
              : results.map((r) => `Brief #${r.briefId} (${escapeHtml(r.language)}) to ${r.report.subscribers}: ${describeDelivery(r.report)}.`).join('\n'),
          ),
        )
        .catch((err: unknown) => {
          log.error({ err }, '/broadcast failed');
          return send(chatId, `Broadcast failed: ${escapeHtml(secretFree(err instanceof Error ? err.message : String(err)))}`);
        })
        .catch(() => undefined)
        .finally(() => {
          broadcasting = false;
        });
      return `Broadcasting the latest brief to ${counts.active} active subscriber${counts.active === 1 ? '' : 's'}…`;
    },
    async stats(msg) {
      if (msg.fromId === null || !config.telegram.adminIds.includes(msg.fromId)) return OPERATORS_ONLY;
      const latest = latestBrief(db);
      return statsText(countSubscribers(db), latest ? { id: latest.id, createdAt: latest.brief.createdAt, outbox: outboxCounts(db, latest.id) } : null);
    },
  };
  handlers.subscribe = handlers.start!;
  handlers.unsubscribe = handlers.stop!;

  async function onText(ctx: Context): Promise<void> {
    const msg = incomingOf(ctx);
    if (!msg) return;
    const command = parseCommand(msg.text, ctx.botInfo?.username);
    if (!command) return;
    const handler = handlers[command.name];
    if (!handler) {
      if (msg.chat.type === 'private') await send(msg.chat.id, `Unknown command /${escapeHtml(command.name)}.\n\n${HELP_TEXT}`);
      return;
    }
    // Operator commands only make sense from a person, not from a channel's admins as a group.
    if (msg.channelPost && (command.name === 'broadcast' || command.name === 'stats')) return;
    if (SETTING_COMMANDS.has(command.name) && !(await isChatAdmin(msg))) {
      await send(msg.chat.id, ADMINS_ONLY, msg.threadId);
      return;
    }
    log.debug({ command: command.name, chat: msg.chat.id, kind: msg.chat.type }, 'telegram command');
    const reply = await handler(msg, command.args);
    if (reply) await send(msg.chat.id, reply, msg.threadId);
  }

  bot.on('message', async (ctx, next) => {
    const message = ctx.message as { migrate_to_chat_id?: number; chat: Chat };
    // The group became a supergroup: follow it, so the next brief goes to the new id.
    if (typeof message.migrate_to_chat_id === 'number') {
      const sub = subscriberOf(message.chat);
      if (sub) updateChatId(db, sub.id, String(message.migrate_to_chat_id), deps.now());
      return;
    }
    await onText(ctx);
    return next();
  });
  bot.on('channel_post', (ctx) => onText(ctx));
  bot.on('my_chat_member', (ctx) => {
    const update = ctx.myChatMember;
    const status = update.new_chat_member.status;
    if (status !== 'kicked' && status !== 'left') return;
    // The bot left the whole chat: its forum topics' subscriptions end with it.
    for (const sub of subscriptionsOfChat(db, PLATFORM, String(update.chat.id))) {
      if (sub.active) setActive(db, sub.id, false, status === 'kicked' ? 'bot blocked or removed' : 'bot left the chat', deps.now());
    }
  });
  bot.catch((err, ctx) => {
    log.error({ err, update: ctx.update.update_id }, `telegram handler failed: ${secretFree(err instanceof Error ? err.message : String(err))}`);
  });

  // Webhook mode always has a secret and an unguessable path (./telegram/webhook.ts).
  const hook = telegramWebhook(bot, config.telegram, token, log);
  const webhook = hook ? { path: hook.path, handler: hook.handler } : null;
  let polling: Promise<void> | null = null;

  return {
    bot,
    webhook,
    async start() {
      try {
        bot.botInfo = await bot.telegram.getMe();
      } catch (err) {
        throw new Error(`Telegram bot could not start: ${secretFree(err instanceof Error ? err.message : String(err))}`);
      }
      try {
        await bot.telegram.setMyCommands(PUBLIC_COMMANDS);
      } catch (err) {
        log.warn({ err }, `setMyCommands failed (commands still work, the menu may be stale): ${secretFree(String(err))}`);
      }
      if (hook) {
        await bot.telegram.setWebhook(hook.url, { secret_token: hook.secret });
        // Not the path: it is part of what keeps strangers from posting updates.
        log.info('telegram bot receiving updates by webhook');
        return;
      }
      // launch() does not resolve while polling: keep its promise for stop() and errors.
      polling = bot.launch().catch((err: unknown) => {
        log.error({ err }, `telegram polling stopped: ${secretFree(err instanceof Error ? err.message : String(err))}`);
      });
      log.info({ username: bot.botInfo.username }, 'telegram bot polling for updates');
    },
    async stop(reason = 'stop') {
      if (polling) {
        try {
          bot.stop(reason);
        } catch {
          // Not running (launch failed); nothing to stop.
        }
        await within(polling, 5_000);
        polling = null;
      }
    },
  };
}
