/**
 * The delivery report splits its counts by platform, so /metrics can say which platform
 * is failing or rate limiting: a mixed drain with trouble on each platform.
 */
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordChannelAdapter, discordChannelLimits, type DiscordChannelAdapter } from '../../src/delivery/discord.ts';
import { createDiscordWebhookAdapter, discordWebhookLimits } from '../../src/delivery/discord-webhook.ts';
import { Limiter, type LimiterRules } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import type { DeliveryAdapter } from '../../src/delivery/types.ts';
import { broadcastBrief, deliverPending } from '../../src/delivery/worker.ts';
import { createMetrics, METRIC_NAMES, recordDelivery } from '../../src/metrics.ts';
import type { Db } from '../../src/store/db.ts';
import { enqueue } from '../../src/store/outbox.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
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

function adaptersFor(fakeTg: FakeTelegram, fakeDiscord: FakeDiscord): DeliveryAdapter[] {
  channelAdapter = createDiscordChannelAdapter({ token: fakeDiscord.token, apiRoot: fakeDiscord.api, timeoutMs: 2000, rules: discordChannelLimits(40) });
  return [
    createTelegramAdapter({
      telegram: createBotApiClient({ token: fakeTg.token, apiRoot: fakeTg.url }),
      limits: { globalPerSecond: 100, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 0.9 },
      requestTimeoutMs: 2_000,
    }),
    channelAdapter,
    createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 2000, rules: discordWebhookLimits() }),
  ];
}

function limiters(adapters: DeliveryAdapter[]): Map<string, Limiter> {
  return new Map(adapters.map((a) => [a.platform, new Limiter(a.limits as LimiterRules, { now: Date.now, sleep })]));
}

describe('DeliveryReport.byPlatform', () => {
  it('counts sent, failed, dropped, retried and 429s per platform, adding up to the totals', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 2 });
    discord = await startFakeDiscord({ latencyMs: 2 });
    db = memoryDb();
    const briefId = storeBrief(db);
    const adapters = adaptersFor(tg, discord);

    // Telegram: 4 chats; one blocked us (dropped), one answers 500 once (retried, then sent).
    addSubscribers(db, range(4));
    tg.failFor(1001, { kind: 'blocked' });
    tg.failFor(1002, { kind: 'server_error', times: 1 });
    // Discord channels: 3; one 429 (waited out), one always 500 (failed after 2 attempts).
    const channels = ['310000000000000001', '310000000000000002', '310000000000000003'];
    for (const c of channels) upsertSubscriber(db, { platform: 'discord', chatId: c, kind: 'channel' }, T0);
    discord.rateLimitNext(channels[0]!, { retryAfter: 0.1 });
    discord.failNext(channels[1]!, 500, 10);
    // Discord webhooks: 2, both fine.
    for (const h of [discord.addWebhook(), discord.addWebhook()]) upsertSubscriber(db, { platform: 'discord-webhook', chatId: h.url, kind: 'webhook' }, T0);

    const report = await broadcastBrief(db, briefId, { adapters, maxAttempts: 2, backoff: { baseMs: 20, maxMs: 50 }, limiters: limiters(adapters), sleep });

    expect(report.byPlatform).toEqual({
      telegram: { sent: 3, failed: 0, dropped: 1, retried: 1, rateLimited: 0 },
      discord: { sent: 2, failed: 1, dropped: 0, retried: 1, rateLimited: 1 },
      'discord-webhook': { sent: 2, failed: 0, dropped: 0, retried: 0, rateLimited: 0 },
    });
    const platforms = Object.values(report.byPlatform);
    for (const key of ['sent', 'failed', 'dropped', 'retried', 'rateLimited'] as const) {
      expect(platforms.reduce((n, c) => n + c[key], 0), key).toBe(report[key]);
    }

    // What the service does with it: /metrics shows the split.
    const metrics = createMetrics({ defaultMetrics: false });
    recordDelivery(metrics, {
      byPlatform: Object.fromEntries(Object.entries(report.byPlatform).map(([p, c]) => [p, { ...c, failed: c.failed + c.dropped }])),
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`${METRIC_NAMES.messagesSentTotal}{platform="telegram"} 3`);
    expect(text).toContain(`${METRIC_NAMES.messagesSentTotal}{platform="discord-webhook"} 2`);
    expect(text).toContain(`${METRIC_NAMES.messagesFailedTotal}{platform="telegram"} 1`);
    expect(text).toContain(`${METRIC_NAMES.rateLimitedTotal}{platform="discord"} 1`);
  });

  it('is empty for a drain with nothing to send, and names the platform of a row whose subscriber left', async () => {
    tg = await startFakeTelegram();
    discord = await startFakeDiscord();
    db = memoryDb();
    const adapters = adaptersFor(tg, discord);
    expect((await deliverPending({ db, adapters, maxAttempts: 2, limiters: limiters(adapters), sleep })).byPlatform).toEqual({});

    const briefId = storeBrief(db);
    const [sub] = addSubscribers(db, [2001]);
    enqueue(db, briefId, [sub!.id], T0);
    db.prepare('UPDATE subscribers SET active = 0 WHERE id = ?').run(sub!.id);
    const report = await deliverPending({ db, adapters, maxAttempts: 2, limiters: limiters(adapters), sleep });
    expect(report.byPlatform).toEqual({ telegram: { sent: 0, failed: 0, dropped: 1, retried: 0, rateLimited: 0 } });
    expect(tg.messages).toHaveLength(0);
  });
});
