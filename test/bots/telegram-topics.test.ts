/**
 * Telegram forum topics through the fake Bot API: /start in a topic subscribes that topic, the
 * brief and replies go into it, /stop there stops only it, and a closed or deleted topic is
 * marked gone like a gone chat while the chat's other topics keep their briefs.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/bots/telegram-bot.ts';
import { runSubscribersCommand } from '../../src/commands/subscribers.ts';
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { Limiter } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import { broadcastBrief } from '../../src/delivery/worker.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { Db } from '../../src/store/db.ts';
import { latestBrief } from '../../src/store/runs.ts';
import { getSubscriber, listSubscribers, upsertSubscriber } from '../../src/store/subscribers.ts';
import { realSleep } from '../../src/util/http.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { memoryDb, storeBrief } from '../delivery/helpers.ts';

const FORUM = { id: -100777, type: 'supergroup' as const, title: 'Desk', is_forum: true };
const ADMIN = { id: 111, is_bot: false, first_name: 'Alice' };

let tg: FakeTelegram | null = null;
let db: Db | null = null;
let bot: TelegramBot | null = null;
afterEach(async () => {
  await bot?.stop('test over');
  await tg?.close();
  db?.close();
  bot = null;
  tg = null;
  db = null;
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let messageId = 5000;
/** A command typed by the admin inside forum topic `threadId`; resolves with the bot's reply. */
async function sayInTopic(fake: FakeTelegram, text: string, threadId: number) {
  const before = fake.messagesTo(FORUM.id).length;
  const command = /^\/\S+/.exec(text)![0];
  fake.pushUpdate({
    message: {
      message_id: ++messageId,
      message_thread_id: threadId,
      is_topic_message: true,
      date: Math.floor(Date.now() / 1000),
      chat: FORUM,
      from: ADMIN,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: command.length }],
    },
  } as never);
  await waitFor(() => fake.messagesTo(FORUM.id).length > before, `a reply to ${text}`);
  return fake.messagesTo(FORUM.id)[before]!;
}

/** A PNG signature is all the fake checks of a card. */
const TINY_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function adapterFor(fake: FakeTelegram, withCard: boolean) {
  return createTelegramAdapter({
    telegram: createBotApiClient({ token: fake.token, apiRoot: fake.url }),
    limits: { globalPerSecond: 100, perChatPerSecond: 50, perGroupPerMinute: 1000 },
    requestTimeoutMs: 2_000,
    ...(withCard ? { cardPng: async () => TINY_PNG } : {}),
  });
}

async function deliver(database: Db, fake: FakeTelegram, briefId: number, withCard = false) {
  const adapter = adapterFor(fake, withCard);
  const limiter = new Limiter({ globalPerSecond: 100, perChatPerSecond: 50, perGroupPerMinute: 1000, headroom: 1 }, { now: Date.now, sleep: realSleep });
  const deps = { adapters: [adapter], maxAttempts: 2, backoff: { baseMs: 10, maxMs: 20 }, limiters: new Map([['telegram', limiter]]) };
  return broadcastBrief(database, briefId, deps);
}

describe('Telegram forum topics', () => {
  it('/start in a topic subscribes that topic, replies there, the brief goes there, and /stop there stops only it', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000, maxPollMs: 300 });
    tg.setAdmins(FORUM.id, [ADMIN.id]);
    db = memoryDb();
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    const database = db;
    bot = createTelegramBot({ config, db, getLatestBrief: async () => latestBrief(database)?.brief ?? null, log: silentLogger(), now: () => new Date('2026-06-10T06:00:00Z') });
    await bot.start();

    const markets = await sayInTopic(tg, '/start', 7);
    expect(markets.plain).toContain('Subscribed');
    expect(markets.params.message_thread_id).toBe(7);
    const news = await sayInTopic(tg, '/subscribe', 9);
    expect(news.params.message_thread_id).toBe(9);
    expect(getSubscriber(db, 'telegram', String(FORUM.id), 7)).toMatchObject({ threadId: 7, active: true });
    expect(getSubscriber(db, 'telegram', String(FORUM.id), 9)).toMatchObject({ threadId: 9, active: true });
    // The chat itself (its General topic) is not subscribed by a topic's /start.
    expect(getSubscriber(db, 'telegram', String(FORUM.id))).toBeNull();

    const stopped = await sayInTopic(tg, '/stop', 7);
    expect(stopped.params.message_thread_id).toBe(7);
    expect(stopped.plain).toContain('Unsubscribed');
    expect(getSubscriber(db, 'telegram', String(FORUM.id), 7)?.active).toBe(false);
    expect(getSubscriber(db, 'telegram', String(FORUM.id), 9)?.active).toBe(true);

    const briefId = storeBrief(db);
    const before = tg.messagesTo(FORUM.id).length;
    const report = await deliver(db, tg, briefId, true);
    expect(report.sent).toBe(1);
    const brief = tg.messagesTo(FORUM.id).slice(before);
    expect(brief.length).toBeGreaterThan(0);
    expect(brief.every((m) => m.params.message_thread_id === 9)).toBe(true);
    // The market card too goes into the topic.
    expect(tg.photos.map((p) => [p.chatId, p.threadId])).toEqual([[String(FORUM.id), 9]]);
  });

  it('/brief in a topic answers in that topic; the cooldown is per topic', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000, maxPollMs: 300 });
    db = memoryDb();
    storeBrief(db);
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    const database = db;
    bot = createTelegramBot({ config, db, getLatestBrief: async () => latestBrief(database)?.brief ?? null, log: silentLogger(), now: () => new Date('2026-06-10T06:00:00Z') });
    await bot.start();
    const first = await sayInTopic(tg, '/brief', 7);
    expect(first.params.message_thread_id).toBe(7);
    expect(first.plain).toContain('Morning Brief');
    const other = await sayInTopic(tg, '/brief', 9);
    expect(other.params.message_thread_id).toBe(9);
    expect(other.plain).toContain('Morning Brief');
    const again = await sayInTopic(tg, '/brief', 7);
    expect(again.plain).toContain('You just got it');
    expect(again.params.message_thread_id).toBe(7);
  });

  it('the bot removed from the forum group ends every topic subscription of it', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000, maxPollMs: 300 });
    db = memoryDb();
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    const database = db;
    const now = new Date('2026-06-10T06:00:00Z');
    for (const threadId of [null, 3, 4]) upsertSubscriber(db, { platform: 'telegram', chatId: String(FORUM.id), threadId, kind: 'supergroup' }, now);
    upsertSubscriber(db, { platform: 'telegram', chatId: '-100888', kind: 'supergroup' }, now);
    bot = createTelegramBot({ config, db, getLatestBrief: async () => null, log: silentLogger(), now: () => now });
    await bot.start();
    const me = { id: 123456789, is_bot: true, first_name: 'Morning Brief' };
    tg.pushUpdate({
      my_chat_member: { chat: FORUM, from: ADMIN, date: 0, old_chat_member: { status: 'member', user: me }, new_chat_member: { status: 'kicked', until_date: 0, user: me } },
    } as never);
    await waitFor(() => listSubscribers(database, { active: true }).length === 1, 'the removal to be noticed');
    expect(listSubscribers(database, { active: true }).map((s) => s.chatId)).toEqual(['-100888']);
  });

  it('a closed or deleted topic is marked gone; the chat and its other topics still get the brief', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000 });
    db = memoryDb();
    const now = new Date('2026-06-10T06:00:00Z');
    const chat = String(FORUM.id);
    for (const threadId of [null, 3, 4, 5]) upsertSubscriber(db, { platform: 'telegram', chatId: chat, threadId, kind: 'supergroup' }, now);
    tg.closeTopic(FORUM.id, 4, 'closed');
    tg.closeTopic(FORUM.id, 5, 'deleted');

    const report = await deliver(db, tg, storeBrief(db));
    expect(report.sent).toBe(2);
    expect(report.dropped).toBe(2);
    const threads = new Set(tg.messagesTo(FORUM.id).map((m) => m.params.message_thread_id ?? 'general'));
    expect([...threads].sort()).toEqual([3, 'general']);
    const byThread = new Map(listSubscribers(db).map((s) => [s.threadId ?? null, s]));
    expect(byThread.get(null)?.active).toBe(true);
    expect(byThread.get(3)?.active).toBe(true);
    expect(byThread.get(4)).toMatchObject({ active: false, inactiveReason: expect.stringContaining('TOPIC_CLOSED') });
    expect(byThread.get(5)).toMatchObject({ active: false, inactiveReason: expect.stringContaining('message thread not found') });
  });
});

describe('subscribers add/remove telegram <chat> --topic <id>', () => {
  function cli(database: Db) {
    const config = loadConfig({ env: {} });
    return (action: 'list' | 'add' | 'remove', ...args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = runSubscribersCommand(action, args, { db: database, stdout, stderr, config, now: () => new Date('2026-06-10T06:00:00Z') });
      return { code, out, err };
    };
  }

  it('subscribes one topic of a forum group beside the group itself, lists it, and removes only it', () => {
    db = memoryDb();
    const run = cli(db);
    expect(run('add', 'telegram', '-100777', '--topic', '42', '--time', '08:00')).toMatchObject({ code: 0, out: expect.stringContaining('-100777 topic 42: brief at 08:00') });
    expect(run('add', 'telegram', '-100777').code).toBe(0);
    expect(listSubscribers(db).map((s) => s.threadId ?? null)).toEqual([42, null]);
    expect(run('list').out).toContain('-100777 topic 42');
    expect(run('add', 'telegram', '-100777', '--topic', 'general')).toMatchObject({ code: 2, err: expect.stringContaining('--topic "general" is not valid') });
    expect(run('remove', 'telegram', '-100777', '--topic', '42').code).toBe(0);
    expect(listSubscribers(db).map((s) => s.threadId ?? null)).toEqual([null]);
  });
});
