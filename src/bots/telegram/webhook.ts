/**
 * Telegram webhook mode's guard: always a secret (the configured one or a random one made at
 * start, given to setWebhook), checked in constant time before telegraf sees the update, and
 * a path that cannot be guessed from the bot's name.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';

export interface TelegramWebhook {
  /** Where the HTTP server mounts `handler`. */
  path: string;
  /** Given to setWebhook as secret_token; Telegram sends it back in every update. */
  secret: string;
  /** The full URL for setWebhook. */
  url: string;
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** The X-Telegram-Bot-Api-Secret-Token check, in constant time (hashes make the lengths equal). */
export function secretMatches(header: string | string[] | undefined, expected: string): boolean {
  const given = typeof header === 'string' ? header : '';
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}

/**
 * Null when no TELEGRAM_WEBHOOK_URL is set (long polling). Without a path in the URL, the path
 * ends in a value derived from the token: stable across restarts, unknown without the token.
 * @example const hook = telegramWebhook(bot, config.telegram, token, log); if (hook) mount(hook.path, hook.handler);
 */
export function telegramWebhook(bot: Telegraf, telegram: Readonly<Config['telegram']>, token: string, log: Logger): TelegramWebhook | null {
  if (!telegram.webhookUrl) return null;
  const url = new URL(telegram.webhookUrl);
  const secret = telegram.webhookSecret ?? randomBytes(32).toString('hex');
  if (url.pathname === '/') {
    const tail = createHmac('sha256', token).update('morning-brief webhook path').digest('hex').slice(0, 32);
    url.pathname = `${telegram.webhookPath.replace(/\/+$/, '')}/${tail}`;
  }
  const path = url.pathname;
  const telegrafHandler = bot.webhookCallback(path, { secretToken: secret }) as unknown as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  return {
    path,
    secret,
    url: url.href,
    async handler(req, res) {
      if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], secret)) {
        log.warn({ remote: req.socket.remoteAddress }, 'telegram webhook: update without the right secret token refused');
        req.resume();
        res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
        return;
      }
      await telegrafHandler(req, res);
    },
  };
}
