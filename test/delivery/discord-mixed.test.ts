/**
 * One engine for every platform: a brief broadcast to Telegram chats, Discord channels and
 * Discord webhooks at once goes through the same outbox and limiters, one copy each.
 */
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordChannelAdapter, discordChannelLimits, type DiscordChannelAdapter } from '../../src/delivery/discord.ts';
import { createDiscordWebhookAdapter, discordWebhookLimits, syncConfigWebhooks } from '../../src/delivery/discord-webhook.ts';
import { Limiter, type LimiterRules } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import type { DeliveryAdapter } from '../../src/delivery/types.ts';
import { broadcastBrief, type DeliverDeps } from '../../src/delivery/worker.ts';
import { loadConfig } from '../../src/config.ts';
import { renderDiscord } from '../../src/render/discord-embed.ts';
import type { Db } from '../../src/store/db.ts';
import { outboxRowsForBrief } from '../../src/store/outbox.ts';
import { getSubscriber, upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';
import { addSubscribers, memoryDb, range, storeBrief, T0 } from './helpers.ts';
import { realSleep } from '../../src/util/http.ts';

let tg: FakeTelegram | null = null;
let discord: FakeDiscord | null = null;
let db: Db | null = null;
let channelAdapter: DiscordChannelAdapter | null = null;
afterEach(async () => {
  channelAdapter?.close();
  await tg?.close();
  await discord?.close();
  db?.close();
  tg = discord = db = channelAdapter = null;
});

const sleep = realSleep;

/** Fresh limiters per test (the worker's shared ones would carry pauses between tests). */
function limiters(adapters: DeliveryAdapter[]): Map<string, Limiter> {
  return new Map(adapters.map((a) => [a.platform, new Limiter(a.limits as LimiterRules, { now: Date.now, sleep })]));
}

function setup(fakeTg: FakeTelegram, fakeDiscord: FakeDiscord): { adapters: DeliveryAdapter[]; deps: Omit<DeliverDeps, 'db' | 'briefId'> } {
  channelAdapter = createDiscordChannelAdapter({ token: fakeDiscord.token, apiRoot: fakeDiscord.api, timeoutMs: 2000, rules: discordChannelLimits(40) });
  const adapters: DeliveryAdapter[] = [
    createTelegramAdapter({
      telegram: createBotApiClient({ token: fakeTg.token, apiRoot: fakeTg.url }),
      limits: { globalPerSecond: 100, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 0.9 },
      requestTimeoutMs: 2_000,
    }),
    channelAdapter,
    createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 2000, rules: discordWebhookLimits() }),
  ];
  return { adapters, deps: { adapters, maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 }, limiters: limiters(adapters), sleep } };
}

function discordSub(database: Db, chatId: string, platform = 'discord') {
  return upsertSubscriber(database, { platform, chatId, kind: platform === 'discord' ? 'channel' : 'webhook' }, T0).subscriber;
}

describe('a mixed broadcast: Telegram + Discord channels + Discord webhooks', () => {
  it('reaches every chat exactly once through one outbox, drops the gone ones, waits out 429s', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 2 });
    discord = await startFakeDiscord({ latencyMs: 2 });
    db = memoryDb();
    const briefId = storeBrief(db);
    const { deps } = setup(tg, discord);

    addSubscribers(db, range(6));
    const channels = range(5, 1).map((i) => `30000000000000000${i}`);
    for (const c of channels) discordSub(db, c);
    const hooks = [discord.addWebhook(), discord.addWebhook(), discord.addWebhook()];
    for (const h of hooks) discordSub(db, h.url, 'discord-webhook');
    // Trouble the engine must handle per platform:
    discordSub(db, '300000000000000099');
    discord.setChannel('300000000000000099', 'missing-access');
    const deleted = discord.addWebhook();
    discordSub(db, deleted.url, 'discord-webhook');
    discord.deleteWebhook(deleted.id);
    discord.rateLimitNext(channels[0]!, { retryAfter: 0.2 });
    discord.rateLimitNext(hooks[0]!.id, { retryAfter: 0.15 });
    discord.failNext(channels[1]!, 503);

    const report = await broadcastBrief(db, briefId, deps);

    expect(report).toMatchObject({ subscribers: 16, enqueued: 16, sent: 14, dropped: 2, failed: 0 });
    expect(report.rateLimited).toBeGreaterThanOrEqual(2);
    for (const chat of range(6)) expect(tg.messagesTo(chat)).toHaveLength(1);
    const expected = renderDiscord(sampleBrief())[0]!;
    for (const c of channels) {
      const got = discord.messages.filter((m) => m.via === 'bot' && m.target === c);
      expect(got).toHaveLength(1);
      expect(got[0]!.body).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    for (const h of hooks) expect(discord.messages.filter((m) => m.via === 'webhook' && m.target === h.id)).toHaveLength(1);
    expect(discord.violations).toEqual([]);
    expect(discord.messages.every((m) => m.pings.length === 0)).toBe(true);

    // The gone ones are deactivated with Discord's reason and never asked again.
    expect(getSubscriber(db, 'discord', '300000000000000099')).toMatchObject({ active: false, inactiveReason: 'Missing Access (50001)' });
    expect(getSubscriber(db, 'discord-webhook', deleted.url)).toMatchObject({ active: false, inactiveReason: 'Unknown Webhook (10015)' });
    const rows = outboxRowsForBrief(db, briefId);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(14);
    expect(rows.filter((r) => r.state === 'dropped')).toHaveLength(2);
    // Stored ids are the platforms' message ids.
    const firstChannel = getSubscriber(db, 'discord', channels[0]!)!;
    expect(rows.find((r) => r.subscriberId === firstChannel.id)!.messageIds).toEqual([
      discord.messages.find((m) => m.target === channels[0])!.id,
    ]);

    // Again: nothing new goes out, and the dead channel is not even tried.
    const requestsBefore = discord.requests.length;
    const again = await broadcastBrief(db, briefId, setup(tg, discord).deps);
    expect(again).toMatchObject({ enqueued: 0, sent: 0 });
    expect(discord.requests.length).toBe(requestsBefore);
    expect(tg.messages).toHaveLength(6);
  });

  it('a webhook from the config list becomes a subscriber once and is not revived after a 404', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    discord = await startFakeDiscord();
    db = memoryDb();
    const hook = discord.addWebhook();
    const config = loadConfig({ env: { DISCORD_WEBHOOK_URLS: hook.url, DEFAULT_TIMEZONE: 'Europe/Berlin' } });
    expect(syncConfigWebhooks(db, config, T0)).toBe(1);
    expect(syncConfigWebhooks(db, config, T0)).toBe(0);
    expect(getSubscriber(db, 'discord-webhook', hook.url)).toMatchObject({ kind: 'webhook', timezone: 'Europe/Berlin', active: true });

    discord.deleteWebhook(hook.id);
    const first = storeBrief(db);
    expect(await broadcastBrief(db, first, setup(tg, discord).deps)).toMatchObject({ dropped: 1, sent: 0 });
    syncConfigWebhooks(db, config, T0);
    const second = storeBrief(db, sampleBrief({ createdAt: '2026-06-11T06:00:00.000Z' }));
    const before = discord.requests.length;
    expect(await broadcastBrief(db, second, setup(tg, discord).deps)).toMatchObject({ subscribers: 0, sent: 0 });
    expect(discord.requests.length).toBe(before);
  });
});
