/**
 * A strict fake Bot API for the fan-out bench, written to count the way Telegram does and to
 * forgive nothing: a sliding one-second window per bot (30, or 1000 for a request with
 * `allow_paid_broadcast`), one message per sliding second per chat, 20 per sliding minute per
 * group (negative chat id), and a 429 with `retry_after` for ANY request beyond one of them.
 * A request counts when it reaches the server, after a one-way network delay with jitter
 * (so two requests sent 1000 ms apart may arrive 980 ms apart); the answer takes the same
 * again. Some chats are blocked (403) and some missing (400 chat not found).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer } from '../../test/fakes/http-server.ts';
import { TimeLog } from '../../src/delivery/time-log.ts';

export interface StrictTelegramOptions {
  token: string;
  freePerSecond: number;
  paidPerSecond: number;
  perChatPerSecond: number;
  perGroupPerMinute: number;
  /** Round trip (ms) before jitter: half on the way in, half on the way back. */
  latencyMs: number;
  /** Each way's delay varies by up to ± this (ms). */
  jitterMs: number;
  blocked: ReadonlySet<string>;
  missing: ReadonlySet<string>;
  random?: () => number;
}

export interface StrictTelegramReport {
  /** Every sendMessage the server counted, in arrival order (ms on the server's clock). */
  seen: number[];
  accepted: number;
  rateLimited: number;
  /** 429s by the limit that was exceeded. */
  rateLimitedBy: { bot: number; chat: number; group: number };
  /** Accepted messages per chat id. */
  perChat: Record<string, number>;
  /** Requests per blocked or missing chat (1 each when the sender never retries them). */
  goneRequests: Record<string, number>;
}

const SECOND = 1000;
const MINUTE = 60_000;

/** @example const tg = await startStrictTelegram({ ...options }); ... tg.report(); await tg.close(); */
export async function startStrictTelegram(options: StrictTelegramOptions) {
  const random = options.random ?? Math.random;
  const bot = new TimeLog();
  const paidBot = new TimeLog();
  const lastToChat = new Map<string, number>();
  const groups = new Map<string, TimeLog>();
  const report: StrictTelegramReport = {
    seen: [],
    accepted: 0,
    rateLimited: 0,
    rateLimitedBy: { bot: 0, chat: 0, group: 0 },
    perChat: {},
    goneRequests: {},
  };
  let nextMessageId = 1;
  const oneWay = () => Math.max(0, options.latencyMs / 2 + (random() * 2 - 1) * options.jitterMs);
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const answer = async (res: ServerResponse, status: number, body: unknown) => {
    await delay(oneWay());
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const tooMany = (res: ServerResponse, retryAfterMs: number, by: keyof StrictTelegramReport['rateLimitedBy']) => {
    report.rateLimited++;
    report.rateLimitedBy[by]++;
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / SECOND));
    return answer(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
  };

  const server = await startServer(async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match || match[1] !== options.token) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[2] !== 'sendMessage') return answer(res, 200, { ok: true, result: true });
    const body = JSON.parse(raw || '{}') as { chat_id?: string | number; text?: string; allow_paid_broadcast?: boolean };
    // The request reaches the server after its way in; that is when it counts.
    await delay(oneWay());
    const now = performance.now();
    const chat = String(body.chat_id);
    report.seen.push(now);
    const paid = body.allow_paid_broadcast === true;
    const log = paid ? paidBot : bot;
    const limit = paid ? options.paidPerSecond : options.freePerSecond;
    // Paid requests count toward the free window too (they are the bot's messages).
    bot.dropUpTo(now - SECOND);
    paidBot.dropUpTo(now - SECOND);
    if (log.size() >= limit) return tooMany(res, log.at(log.size() - limit) + SECOND - now, 'bot');
    const last = lastToChat.get(chat);
    const chatGap = SECOND / options.perChatPerSecond;
    if (last !== undefined && now - last < chatGap) return tooMany(res, last + chatGap - now, 'chat');
    const isGroup = chat.startsWith('-');
    const group = isGroup ? (groups.get(chat) ?? new TimeLog()) : null;
    if (group) {
      groups.set(chat, group);
      group.dropUpTo(now - MINUTE);
      if (group.size() >= options.perGroupPerMinute) return tooMany(res, group.at(group.size() - options.perGroupPerMinute) + MINUTE - now, 'group');
    }
    // Counted from here on, answered with an error or not.
    bot.push(now);
    if (paid) paidBot.push(now);
    lastToChat.set(chat, now);
    group?.push(now);
    if (options.blocked.has(chat) || options.missing.has(chat)) {
      report.goneRequests[chat] = (report.goneRequests[chat] ?? 0) + 1;
      return options.blocked.has(chat)
        ? answer(res, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' })
        : answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    }
    report.accepted++;
    report.perChat[chat] = (report.perChat[chat] ?? 0) + 1;
    const message = { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: isGroup ? 'supergroup' : 'private' }, text: body.text ?? '' };
    return answer(res, 200, { ok: true, result: message });
  });
  return { url: server.url, token: options.token, report: () => report, close: () => server.close() };
}
