/**
 * A fake Telegram Bot API on 127.0.0.1, real HTTP at `/bot<token>/<method>`, for telegraf
 * pointed at it with `apiRoot`. It behaves like the real one where a bot can notice:
 *
 * - enforces the limits (overall messages/s, 1/s per chat, 20/min per group) by answering
 *   429 with `parameters.retry_after`, and records "violations" (requests that came back
 *   before the retry_after they were given ran out);
 * - answers 403 blocked/deactivated/kicked, 400 chat not found, 400 with
 *   `migrate_to_chat_id`, 500, or a malformed body for chats it is told to;
 * - rejects HTML that Telegram would not parse and texts over 4096 characters;
 * - records every message it accepted (chat id, text, message_id);
 * - answers getMe, setMyCommands, getChatMember, getChatAdministrators, webhooks, and feeds
 *   getUpdates (long polling) from a queue, so tests "send" commands as a user would.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer } from './http-server.ts';

export const FAKE_TOKEN = '123456789:AAFakeTokenForTests_abcdefghijklmnop';
export const BOT_USER = { id: 123456789, is_bot: true, first_name: 'Morning Brief', username: 'morning_brief_bot' };

export type ChatFailure =
  | { kind: 'blocked' | 'deactivated' | 'kicked' | 'not_found' }
  | { kind: 'migrate'; newChatId: number }
  | { kind: 'server_error'; times?: number }
  | { kind: 'malformed'; times?: number };

export interface FakeTelegramOptions {
  token?: string;
  /** Accepted messages per rolling second across all chats before 429. */
  globalPerSecond?: number;
  /** Accepted messages per rolling second to one chat. */
  perChatPerSecond?: number;
  /** Accepted messages per rolling minute to one group (negative chat id). */
  perGroupPerMinute?: number;
  /** Delay before every call is processed (getUpdates excepted). */
  latencyMs?: number;
  /** Longest a getUpdates long poll is held open (the client asks 50 s). */
  maxPollMs?: number;
  /** Requests this soon after a 429 count as in flight, not as ignoring retry_after. */
  violationGraceMs?: number;
  now?: () => number;
}

export interface AcceptedMessage {
  chatId: string;
  messageId: number;
  /** The text as sent (HTML when parse_mode is HTML). */
  text: string;
  /** What the user sees: tags removed, entities decoded. */
  plain: string;
  params: Record<string, unknown>;
  at: number;
}

/** A sendPhoto the fake accepted: a multipart upload (a new file_id) or a file_id sent again. */
export interface AcceptedPhoto {
  chatId: string;
  messageId: number;
  caption: string;
  fileId: string;
  /** The PNG's bytes when this send uploaded it; null when it reused a file_id. */
  uploaded: Buffer | null;
  /** The forum topic it was posted in (message_thread_id), null for the chat itself. */
  threadId: number | null;
  at: number;
}

export interface FakeTelegramStats {
  requests: number;
  byMethod: Record<string, number>;
  accepted: number;
  rateLimited: number;
  /** Requests that arrived while a retry_after they had been given was still running. */
  violations: number;
  rejected: number;
}

interface ChatRef {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
}

interface UserRef {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  username?: string;
}

type Update = Record<string, unknown> & { update_id: number };

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'tg-spoiler', 'span', 'tg-emoji']);

/** Telegram's HTML parse mode, strictly: returns the visible text or an error description. */
export function parseTelegramHtml(html: string): { ok: true; plain: string } | { ok: false; error: string } {
  const stack: string[] = [];
  let plain = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { ok: false, error: `Can't parse entities: unclosed start tag at byte offset ${i}` };
      const inner = html.slice(i + 1, end);
      const close = /^\/([a-z-]+)\s*$/i.exec(inner);
      if (close) {
        const name = close[1]!.toLowerCase();
        if (stack.pop() !== name) return { ok: false, error: `Can't parse entities: can't find end tag corresponding to start tag "${name}"` };
      } else {
        const open = /^([a-z-]+)((?:\s+[a-z-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*$/i.exec(inner);
        if (!open || !ALLOWED_TAGS.has(open[1]!.toLowerCase())) {
          return { ok: false, error: `Can't parse entities: unsupported start tag "${inner.split(/\s/)[0]}" at byte offset ${i}` };
        }
        const name = open[1]!.toLowerCase();
        if (name === 'a' && !/\shref\s*=/.test(open[2] ?? '')) return { ok: false, error: "Can't parse entities: a tag without href" };
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === '>') return { ok: false, error: `Can't parse entities: unexpected ">" at byte offset ${i}` };
    if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i.exec(html.slice(i, i + 12));
      if (!m) return { ok: false, error: `Can't parse entities: unsupported entity at byte offset ${i}` };
      const name = m[1]!.toLowerCase();
      plain +=
        name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'amp' ? '&' : name === 'quot' ? '"' : String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      i += m[0].length;
      continue;
    }
    plain += ch;
    i++;
  }
  if (stack.length > 0) return { ok: false, error: `Can't parse entities: can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` };
  return { ok: true, plain };
}

export interface FakeTelegram {
  url: string;
  token: string;
  messages: AcceptedMessage[];
  stats: FakeTelegramStats;
  commands: unknown[];
  webhook: { url: string; secret: string | null } | null;
  /** Every sendMessage to a chat, in order. */
  messagesTo(chatId: number | string): AcceptedMessage[];
  /** Every sendPhoto accepted (not in `messages`), in order. */
  photos: AcceptedPhoto[];
  /** Resolves with the next message accepted for `chatId` (or the first already there after `after`). */
  waitForMessage(chatId: number | string, options?: { after?: number; timeoutMs?: number }): Promise<AcceptedMessage>;
  failFor(chatId: number | string, failure: ChatFailure): void;
  /** A forum topic that was closed (400 TOPIC_CLOSED) or deleted (400 message thread not found); the chat's other topics still work. */
  closeTopic(chatId: number | string, threadId: number, how?: 'closed' | 'deleted'): void;
  clearFailure(chatId: number | string): void;
  setAdmins(chatId: number | string, userIds: number[]): void;
  /** setMyCommands answers this error until cleared. */
  failSetMyCommands(on: boolean): void;
  /** A user (or channel admin) writes `text`; returns the update id. */
  userSays(text: string, from: UserRef, chat?: ChatRef): number;
  channelPost(text: string, chat: ChatRef): number;
  pushUpdate(update: Omit<Update, 'update_id'>): number;
  /** sendMessage requests wait (unprocessed, as if still on the wire) until release(). */
  hold(): void;
  release(): void;
  /** Held requests whose client is still connected. */
  heldCount(): number;
  /** Calls `fn` synchronously each time a message is accepted, before the answer is written. */
  onAccepted(fn: (m: AcceptedMessage) => void): void;
  close(): Promise<void>;
}

/**
 * @example
 * const tg = await startFakeTelegram({ globalPerSecond: 30, latencyMs: 20 });
 * const bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.url } });
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_TOKEN;
  const now = options.now ?? Date.now;
  const globalLimit = options.globalPerSecond ?? 30;
  const chatLimit = options.perChatPerSecond ?? 1;
  const groupLimit = options.perGroupPerMinute ?? 20;
  const latencyMs = options.latencyMs ?? 0;
  const maxPollMs = options.maxPollMs ?? 1_000;
  const graceMs = options.violationGraceMs ?? latencyMs + 100;

  const events = new EventEmitter();
  events.setMaxListeners(0);
  const messages: AcceptedMessage[] = [];
  const photos: AcceptedPhoto[] = [];
  const stats: FakeTelegramStats = { requests: 0, byMethod: {}, accepted: 0, rateLimited: 0, violations: 0, rejected: 0 };
  const commands: unknown[] = [];
  const failures = new Map<string, ChatFailure & { used?: number }>();
  /** "chat:thread" -> how the forum topic ended. */
  const closedTopics = new Map<string, 'closed' | 'deleted'>();
  const admins = new Map<string, number[]>();
  const nextMessageId = new Map<string, number>();
  const globalSends: number[] = [];
  const chatSends = new Map<string, number[]>();
  let globalBan = { from: 0, until: 0 };
  const chatBans = new Map<string, { from: number; until: number }>();
  let setMyCommandsFails = false;
  let held = false;
  const heldWaiters: (() => void)[] = [];
  const heldRequests = new Set<IncomingMessage>();
  const acceptedHooks: ((m: AcceptedMessage) => void)[] = [];
  const updates: Update[] = [];
  let lastUpdateId = 1000;
  let messageCounter = 500;
  let closed = false;
  const state = { webhook: null as FakeTelegram['webhook'] };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: number, description: string, parameters?: Record<string, unknown>) => {
    stats.rejected++;
    send(res, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
  };
  const ok = (res: ServerResponse, result: unknown) => send(res, 200, { ok: true, result });
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  function parseParams(req: IncomingMessage, body: string): Record<string, unknown> {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/json') && body) return JSON.parse(body) as Record<string, unknown>;
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    return Object.fromEntries(query);
  }

  function prune(list: number[], windowMs: number, t: number): number[] {
    let drop = 0;
    while (drop < list.length && list[drop]! <= t - windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    return list;
  }

  /** null when the message may be accepted now, else the 429 to answer. */
  function rateCheck(chatId: string, t: number): { retryAfter: number; scope: 'global' | 'chat' } | null {
    const isGroup = chatId.startsWith('-');
    const chatBan = chatBans.get(chatId);
    const banned = t < globalBan.until ? globalBan : chatBan && t < chatBan.until ? chatBan : null;
    if (banned) {
      if (t > banned.from + graceMs) stats.violations++;
      return { retryAfter: Math.max(1, Math.ceil((banned.until - t) / 1000)), scope: banned === globalBan ? 'global' : 'chat' };
    }
    const global = prune(globalSends, 1000, t);
    if (global.length >= globalLimit) return { retryAfter: Math.max(1, Math.ceil((global[global.length - globalLimit]! + 1000 - t) / 1000)), scope: 'global' };
    const sends = prune(chatSends.get(chatId) ?? [], 60_000, t);
    const lastSecond = sends.filter((s) => s > t - 1000);
    if (lastSecond.length >= chatLimit) return { retryAfter: Math.max(1, Math.ceil((lastSecond[lastSecond.length - chatLimit]! + 1000 - t) / 1000)), scope: 'chat' };
    if (isGroup && sends.length >= groupLimit) return { retryAfter: Math.max(1, Math.ceil((sends[sends.length - groupLimit]! + 60_000 - t) / 1000)), scope: 'chat' };
    return null;
  }

  async function sendMessage(req: IncomingMessage, res: ServerResponse, params: Record<string, unknown>) {
    if (held) {
      heldRequests.add(req);
      while (held && !closed) await new Promise<void>((r) => heldWaiters.push(r));
      heldRequests.delete(req);
    }
    // A request still "on the wire" when its client died never reached Telegram.
    if (req.socket.destroyed || closed) return;
    const chatId = params.chat_id === undefined ? '' : String(params.chat_id);
    if (!/^-?\d+$/.test(chatId)) return fail(res, 400, 'Bad Request: chat not found');
    const failure = failures.get(chatId);
    if (failure) {
      switch (failure.kind) {
        case 'blocked':
          return fail(res, 403, 'Forbidden: bot was blocked by the user');
        case 'deactivated':
          return fail(res, 403, 'Forbidden: user is deactivated');
        case 'kicked':
          return fail(res, 403, 'Forbidden: bot was kicked from the group chat');
        case 'not_found':
          return fail(res, 400, 'Bad Request: chat not found');
        case 'migrate':
          return fail(res, 400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: failure.newChatId });
        case 'server_error':
        case 'malformed': {
          failure.used = (failure.used ?? 0) + 1;
          if (failure.times !== undefined && failure.used >= failure.times) failures.delete(chatId);
          if (failure.kind === 'malformed') {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"ok":tru');
            return;
          }
          return fail(res, 500, 'Internal Server Error');
        }
      }
    }
    const topicEnd = params.message_thread_id === undefined ? undefined : closedTopics.get(`${chatId}:${String(params.message_thread_id)}`);
    if (topicEnd) return fail(res, 400, topicEnd === 'closed' ? 'Bad Request: TOPIC_CLOSED' : 'Bad Request: message thread not found');
    const text = typeof params.text === 'string' ? params.text : '';
    let plain = text;
    if (params.parse_mode === 'HTML') {
      const parsed = parseTelegramHtml(text);
      if (!parsed.ok) return fail(res, 400, `Bad Request: ${parsed.error}`);
      plain = parsed.plain;
    }
    if (plain.trim().length === 0) return fail(res, 400, 'Bad Request: message text is empty');
    if (plain.length > 4096) return fail(res, 400, 'Bad Request: message is too long');
    const t = now();
    const limited = rateCheck(chatId, t);
    if (limited) {
      stats.rateLimited++;
      const ban = { from: t, until: t + limited.retryAfter * 1000 };
      if (limited.scope === 'global') {
        if (ban.until > globalBan.until) globalBan = ban;
      } else if (ban.until > (chatBans.get(chatId)?.until ?? 0)) chatBans.set(chatId, ban);
      return fail(res, 429, `Too Many Requests: retry after ${limited.retryAfter}`, { retry_after: limited.retryAfter });
    }
    globalSends.push(t);
    const sends = chatSends.get(chatId) ?? [];
    sends.push(t);
    chatSends.set(chatId, sends);
    const messageId = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, messageId);
    const message: AcceptedMessage = { chatId, messageId, text, plain, params, at: t };
    messages.push(message);
    stats.accepted++;
    for (const hook of acceptedHooks) hook(message);
    events.emit('message', message);
    ok(res, {
      message_id: messageId,
      date: Math.floor(t / 1000),
      chat: { id: Number(chatId), type: chatId.startsWith('-100') ? 'supergroup' : chatId.startsWith('-') ? 'group' : 'private' },
      from: BOT_USER,
      text: plain,
    });
  }

  /** sendPhoto as the Bot API takes it: a multipart upload, or the file_id of an earlier one; caption <= 1024. */
  function sendPhoto(res: ServerResponse, params: Record<string, unknown>) {
    const chatId = params.chat_id === undefined ? '' : String(params.chat_id);
    if (!/^-?\d+$/.test(chatId)) return fail(res, 400, 'Bad Request: chat not found');
    const failure = failures.get(chatId);
    if (failure?.kind === 'blocked') return fail(res, 403, 'Forbidden: bot was blocked by the user');
    const threadId = params.message_thread_id === undefined ? null : Number(params.message_thread_id);
    const topicEnd = threadId === null ? undefined : closedTopics.get(`${chatId}:${threadId}`);
    if (topicEnd) return fail(res, 400, topicEnd === 'closed' ? 'Bad Request: TOPIC_CLOSED' : 'Bad Request: message thread not found');
    const caption = typeof params.caption === 'string' ? params.caption : '';
    if ([...caption].length > 1024) return fail(res, 400, 'Bad Request: message caption is too long');
    const photo = params.photo;
    let fileId: string;
    let uploaded: Buffer | null = null;
    if (Buffer.isBuffer(photo)) {
      const isPng = photo.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      if (!isPng || photo.length > 10 * 1024 * 1024) return fail(res, 400, 'Bad Request: IMAGE_PROCESS_FAILED');
      uploaded = photo;
      fileId = `AgACAgFakePhoto${photos.filter((p) => p.uploaded).length + 1}`;
    } else if (typeof photo === 'string' && photos.some((p) => p.uploaded && p.fileId === photo)) {
      fileId = photo;
    } else {
      return fail(res, 400, 'Bad Request: wrong file identifier/HTTP URL specified');
    }
    const t = now();
    const limited = rateCheck(chatId, t);
    if (limited) {
      stats.rateLimited++;
      return fail(res, 429, `Too Many Requests: retry after ${limited.retryAfter}`, { retry_after: limited.retryAfter });
    }
    globalSends.push(t);
    chatSends.set(chatId, [...(chatSends.get(chatId) ?? []), t]);
    const messageId = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, messageId);
    photos.push({ chatId, messageId, caption, fileId, uploaded, threadId, at: t });
    ok(res, {
      message_id: messageId,
      date: Math.floor(t / 1000),
      chat: { id: Number(chatId), type: chatId.startsWith('-') ? 'group' : 'private' },
      from: BOT_USER,
      photo: [
        { file_id: `${fileId}-thumb`, file_unique_id: `${fileId}u1`, width: 320, height: 180, file_size: 9000 },
        { file_id: fileId, file_unique_id: `${fileId}u2`, width: 1200, height: 675, file_size: uploaded?.length ?? 90_000 },
      ],
      caption,
    });
  }

  async function getUpdates(req: IncomingMessage, res: ServerResponse, params: Record<string, unknown>) {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Number(params.limit ?? 100) || 100);
    const timeoutMs = Math.min(maxPollMs, Number(params.timeout ?? 0) * 1000);
    if (offset > 0) while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
    const deadline = Date.now() + timeoutMs;
    while (updates.length === 0 && Date.now() < deadline && !closed && !req.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now());
        function done() {
          clearTimeout(timer);
          events.off('update', done);
          events.off('close', done);
          resolve();
        }
        events.once('update', done);
        events.once('close', done);
        req.socket.once('close', done);
      });
    }
    ok(res, updates.slice(0, limit));
  }

  const server = await startServer(async (req, res, body, raw) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? '');
    if (!match) return fail(res, 404, 'Not Found');
    stats.requests++;
    const method = match[2]!;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    if (match[1] !== token) return fail(res, 401, 'Unauthorized');
    let params: Record<string, unknown>;
    try {
      const type = req.headers['content-type'] ?? '';
      if (type.includes('multipart/form-data')) {
        // Files arrive as Buffers, other fields as strings, as the Bot API reads a form.
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
        params = {};
        for (const [k, v] of form.entries()) params[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
      } else params = parseParams(req, body);
    } catch {
      return fail(res, 400, 'Bad Request: invalid JSON');
    }
    if (method === 'getUpdates') return getUpdates(req, res, params);
    if (latencyMs > 0) await sleep(latencyMs);
    switch (method) {
      case 'getMe':
        return ok(res, { ...BOT_USER, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'sendMessage':
        return sendMessage(req, res, params);
      case 'sendPhoto':
        return sendPhoto(res, params);
      case 'setMyCommands':
        if (setMyCommandsFails) return fail(res, 500, 'Internal Server Error');
        commands.push(params.commands);
        return ok(res, true);
      case 'deleteWebhook':
        state.webhook = null;
        return ok(res, true);
      case 'setWebhook':
        state.webhook = { url: String(params.url ?? ''), secret: typeof params.secret_token === 'string' ? params.secret_token : null };
        return ok(res, true);
      case 'getChatMember': {
        const list = admins.get(String(params.chat_id)) ?? [];
        const userId = Number(params.user_id);
        const status = list[0] === userId ? 'creator' : list.includes(userId) ? 'administrator' : 'member';
        return ok(res, { status, user: { id: userId, is_bot: false, first_name: `user${userId}` } });
      }
      case 'getChatAdministrators': {
        const list = admins.get(String(params.chat_id)) ?? [];
        return ok(res, list.map((id, i) => ({ status: i === 0 ? 'creator' : 'administrator', user: { id, is_bot: false, first_name: `user${id}` } })));
      }
      default:
        return fail(res, 404, 'Not Found: method not found');
    }
  });

  const pushUpdate = (update: Omit<Update, 'update_id'>): number => {
    const full = { ...update, update_id: ++lastUpdateId } as Update;
    updates.push(full);
    events.emit('update');
    return full.update_id;
  };
  const textMessage = (text: string, chat: ChatRef, from?: UserRef) => {
    const command = /^\/\S+/.exec(text);
    return {
      message_id: ++messageCounter,
      date: Math.floor(now() / 1000),
      chat,
      ...(from ? { from: { is_bot: false, first_name: `user${from.id}`, ...from } } : {}),
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    };
  };

  return {
    url: server.url,
    token,
    messages,
    stats,
    commands,
    get webhook() {
      return state.webhook;
    },
    messagesTo: (chatId) => messages.filter((m) => m.chatId === String(chatId)),
    photos,
    waitForMessage(chatId, opts = {}) {
      const after = opts.after ?? 0;
      const existing = messages.find((m) => m.chatId === String(chatId) && m.at >= after);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('message', onMessage);
          reject(new Error(`no message to chat ${chatId} within ${opts.timeoutMs ?? 5000} ms`));
        }, opts.timeoutMs ?? 5000);
        function onMessage(m: AcceptedMessage) {
          if (m.chatId !== String(chatId)) return;
          clearTimeout(timer);
          events.off('message', onMessage);
          resolve(m);
        }
        events.on('message', onMessage);
      });
    },
    failFor: (chatId, failure) => void failures.set(String(chatId), { ...failure }),
    clearFailure: (chatId) => void failures.delete(String(chatId)),
    closeTopic: (chatId, threadId, how = 'closed') => void closedTopics.set(`${String(chatId)}:${threadId}`, how),
    setAdmins: (chatId, userIds) => void admins.set(String(chatId), userIds),
    failSetMyCommands: (on) => {
      setMyCommandsFails = on;
    },
    userSays(text, from, chat) {
      const where: ChatRef = chat ?? { id: from.id, type: 'private', first_name: from.first_name ?? `user${from.id}` };
      return pushUpdate({ message: textMessage(text, where, from) });
    },
    channelPost(text, chat) {
      return pushUpdate({ channel_post: { ...textMessage(text, chat), sender_chat: chat } });
    },
    pushUpdate,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const w of heldWaiters.splice(0)) w();
    },
    heldCount: () => [...heldRequests].filter((r) => !r.socket.destroyed).length,
    onAccepted(fn) {
      acceptedHooks.push(fn);
    },
    async close() {
      closed = true;
      events.emit('close');
      for (const w of heldWaiters.splice(0)) w();
      await server.close();
    },
  };
}
