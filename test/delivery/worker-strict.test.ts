/**
 * The worker against the bench's strict fakes (sliding windows, a 429 for any excess, jitter,
 * blocked/missing chats, 403/404 channels): what a user notices is checked, not timing. Every
 * reachable chat gets exactly one copy, a gone chat is asked once and unsubscribed, and a 429
 * (which the jitter may cause on a busy machine) is waited out, never a lost or doubled message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { createDiscordChannelAdapter, discordChannelLimits } from '../../src/delivery/discord.ts';
import { Limiter } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import { broadcastBrief } from '../../src/delivery/worker.ts';
import type { Db } from '../../src/store/db.ts';
import { getSubscriber, upsertSubscriber } from '../../src/store/subscribers.ts';
import { realSleep } from '../../src/util/http.ts';
import { startStrictDiscord } from '../../bench/fakes/strict-discord.ts';
import { startStrictTelegram } from '../../bench/fakes/strict-telegram.ts';
import { memoryDb, storeBrief, T0 } from './helpers.ts';

let close: (() => Promise<void>) | null = null;
let db: Db | null = null;
afterEach(async () => {
  await close?.();
  db?.close();
  close = db = null;
});

describe('the worker against strict fakes', () => {
  it('Telegram: one copy per reachable chat, blocked and missing chats asked once and unsubscribed', async () => {
    const privates = Array.from({ length: 120 }, (_, i) => String(5000 + i));
    const groups = ['-100777', '-100778'];
    const blocked = new Set(privates.slice(0, 3));
    const missing = new Set(privates.slice(3, 5));
    const tg = await startStrictTelegram({
      token: '42:strict',
      freePerSecond: 200,
      paidPerSecond: 1000,
      perChatPerSecond: 1,
      perGroupPerMinute: 20,
      latencyMs: 10,
      jitterMs: 3,
      blocked,
      missing,
    });
    close = tg.close;
    db = memoryDb();
    const briefId = storeBrief(db);
    for (const chatId of privates) upsertSubscriber(db, { platform: 'telegram', chatId, kind: 'private' }, T0);
    for (const chatId of groups) upsertSubscriber(db, { platform: 'telegram', chatId, kind: 'supergroup' }, T0);
    const rules = { globalPerSecond: 200, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 1 };
    const adapter = createTelegramAdapter({ telegram: createBotApiClient({ token: tg.token, apiRoot: tg.url }), limits: rules, requestTimeoutMs: 5_000 });
    const limiter = new Limiter(rules, { now: Date.now, sleep: realSleep });
    const report = await broadcastBrief(db, briefId, { adapters: [adapter], maxAttempts: 5, limiters: new Map([['telegram', limiter]]) });

    const server = tg.report();
    expect(report).toMatchObject({ subscribers: 122, sent: 117, dropped: 5, failed: 0 });
    for (const chat of [...privates, ...groups]) {
      expect(server.perChat[chat] ?? 0, `chat ${chat}`).toBe(blocked.has(chat) || missing.has(chat) ? 0 : 1);
    }
    expect(Object.values(server.goneRequests)).toEqual([1, 1, 1, 1, 1]);
    for (const chat of [...blocked, ...missing]) expect(getSubscriber(db, 'telegram', chat)!.active).toBe(false);
    // Whatever the jitter did, the report saw the same 429s the server gave.
    expect(report.rateLimited).toBe(server.rateLimited);
  });

  it('Discord: one copy per channel; 403 and 404 channels asked once, dropped, never retried', async () => {
    const channels = Array.from({ length: 60 }, (_, i) => String(300000000000000000n + BigInt(i)));
    const forbidden = new Set(channels.slice(0, 2));
    const unknown = new Set(channels.slice(2, 4));
    const discord = await startStrictDiscord({
      token: 'strict-discord',
      globalPerSecond: 50,
      channelPer5s: 5,
      webhookPer2s: 5,
      webhookChannelPerMinute: 30,
      webhookChannels: {},
      latencyMs: 10,
      jitterMs: 3,
      forbidden,
      unknown,
    });
    close = discord.close;
    db = memoryDb();
    const briefId = storeBrief(db);
    for (const chatId of channels) upsertSubscriber(db, { platform: 'discord', chatId, kind: 'channel' }, T0);
    const rules = discordChannelLimits(50);
    const adapter = createDiscordChannelAdapter({ token: discord.token, apiRoot: `${discord.url}/api`, timeoutMs: 5_000, rules });
    const limiter = new Limiter(rules, { now: Date.now, sleep: realSleep });
    const report = await broadcastBrief(db, briefId, { adapters: [adapter], maxAttempts: 5, limiters: new Map([['discord', limiter]]) });

    const server = discord.report();
    expect(report).toMatchObject({ subscribers: 60, sent: 56, dropped: 4, failed: 0 });
    for (const channel of channels) expect(server.perTarget[channel] ?? 0, `channel ${channel}`).toBe(forbidden.has(channel) || unknown.has(channel) ? 0 : 1);
    expect(Object.values(server.goneRequests)).toEqual([1, 1, 1, 1]);
    expect(report.rateLimited).toBe(server.rateLimited);
  });
});
