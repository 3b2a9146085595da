/**
 * Delivery lag: rows a scheduler tick enqueued remember their subscriber's due time; after the
 * drain the sent ones become lag observations (sent_at minus due time) per platform.
 */
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createLagTracker, lastDueAt } from '../../src/delivery/delivery-lag.ts';
import { Limiter, type LimiterRules } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import type { DeliveryAdapter } from '../../src/delivery/types.ts';
import { deliverPending } from '../../src/delivery/worker.ts';
import { createMetrics, METRIC_NAMES, recordDelivery } from '../../src/metrics.ts';
import type { Db } from '../../src/store/db.ts';
import { enqueue } from '../../src/store/outbox.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { memoryDb, storeBrief, T0 } from './helpers.ts';

let tg: FakeTelegram | null = null;
let db: Db | null = null;
afterEach(async () => {
  await tg?.close();
  db?.close();
  tg = db = null;
});

describe('lastDueAt', () => {
  it("is today's local delivery time once it has passed, else yesterday's", () => {
    // 2026-03-10 06:05 UTC is 07:05 in Berlin and 11:35 in Kolkata.
    const now = new Date('2026-03-10T06:05:00.000Z');
    expect(lastDueAt(now, '07:00', 'Europe/Berlin').toISOString()).toBe('2026-03-10T06:00:00.000Z');
    expect(lastDueAt(now, '07:30', 'Europe/Berlin').toISOString()).toBe('2026-03-09T06:30:00.000Z');
    expect(lastDueAt(now, '11:30', 'Asia/Kolkata').toISOString()).toBe('2026-03-10T06:00:00.000Z');
  });
});

describe('createLagTracker', () => {
  it('turns the sent rows of a drain into lag per platform; failed rows are forgotten, retries wait', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    const subs = [
      upsertSubscriber(db, { platform: 'telegram', chatId: '3001', kind: 'private', deliveryTime: '07:00', timezone: 'Europe/Berlin' }, T0).subscriber,
      upsertSubscriber(db, { platform: 'telegram', chatId: '3002', kind: 'private', deliveryTime: '11:30', timezone: 'Asia/Kolkata' }, T0).subscriber,
      upsertSubscriber(db, { platform: 'telegram', chatId: '3003', kind: 'private', deliveryTime: '06:00', timezone: 'UTC' }, T0).subscriber,
      upsertSubscriber(db, { platform: 'telegram', chatId: '3004', kind: 'private', deliveryTime: '06:00', timezone: 'UTC' }, T0).subscriber,
    ];
    tg.failFor(3003, { kind: 'blocked' });
    tg.failFor(3004, { kind: 'server_error', times: 1 });

    // The tick at 06:02 UTC enqueues all four; the drain sends at 06:02:30.
    const tickAt = new Date('2026-03-10T06:02:00.000Z');
    const sentAt = new Date('2026-03-10T06:02:30.000Z');
    const lag = createLagTracker(db);
    const ids = subs.map((s) => s.id);
    enqueue(db, briefId, ids, tickAt);
    lag.track(briefId, ids, tickAt);
    expect(lag.pending).toBe(4);

    const adapters: DeliveryAdapter[] = [
      createTelegramAdapter({ telegram: createBotApiClient({ token: tg.token, apiRoot: tg.url }), limits: { globalPerSecond: 100, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 0.9 }, requestTimeoutMs: 2000 }),
    ];
    const limiters = new Map(adapters.map((a) => [a.platform, new Limiter(a.limits as LimiterRules, { now: Date.now, sleep: async () => undefined })]));
    // The retry is a minute away: instead of waiting for it, stop the drain (as a shutdown would).
    const stop = new AbortController();
    const sleep = async () => {
      stop.abort();
      throw new Error('stopped');
    };
    await deliverPending({ db, adapters, maxAttempts: 3, limiters, now: () => sentAt, sleep, signal: stop.signal, backoff: { baseMs: 60_000, maxMs: 60_000 } });

    const sends = lag.collect();
    expect(sends.map((s) => [s.platform, new Date(s.dueAt!).toISOString(), s.sentAt]).sort()).toEqual([
      ['telegram', '2026-03-10T06:00:00.000Z', sentAt.toISOString()],
      ['telegram', '2026-03-10T06:00:00.000Z', sentAt.toISOString()],
    ]);
    // The blocked chat is forgotten; the one waiting for a retry is still tracked.
    expect(lag.pending).toBe(1);
    expect(lag.collect()).toEqual([]);

    const metrics = createMetrics({ defaultMetrics: false });
    recordDelivery(metrics, { sends });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`${METRIC_NAMES.deliveryLagSeconds}_count{platform="telegram"} 2`);
    expect(text).toContain(`${METRIC_NAMES.deliveryLagSeconds}_sum{platform="telegram"} 300`);
  });
});
