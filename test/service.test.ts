/**
 * The service's shutdown as an operator sees it: SIGTERM while a manual broadcast (POST
 * /trigger, /broadcast) is sending. The broadcast must stop claiming, finish what is on the
 * wire, record it, and leave the rest queued, all before the database closes, so the next
 * start sends each remaining subscriber exactly one copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { openDb } from '../src/store/db.ts';
import { upsertSubscriber } from '../src/store/subscribers.ts';
import { configFor, startSourcesServer } from './fakes/sources-server.ts';
import { startFakeTelegram } from './fakes/telegram-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('service shutdown', () => {
  it('stops a manual broadcast on SIGTERM before closing the database: what went out is recorded, the rest stays queued', async () => {
    const sources = await startSourcesServer();
    const tg = await startFakeTelegram({ globalPerSecond: 1000, maxPollMs: 200 });
    // After the 5th message the fake holds every send on the wire: the stop comes mid-broadcast
    // however fast or slow the machine is.
    let accepted5 = 0;
    tg.onAccepted(() => {
      if (++accepted5 === 5) tg.hold();
    });
    const dir = mkdtempSync(join(tmpdir(), 'mb-service-'));
    cleanups.push(() => sources.close(), () => tg.close(), () => rmSync(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'brief.db');
    const seed = openDb(dbFile);
    // Their morning is 12 hours away, so the scheduler (3 h catch-up grace) never queues it
    // beside the manual broadcast, whatever time of day the test runs (at 23:59 it did).
    const farFromNow = new Date(Date.now() + 12 * 3_600_000).toISOString().slice(11, 16);
    for (let i = 0; i < 60; i++) upsertSubscriber(seed, { platform: 'telegram', chatId: String(7000 + i), deliveryTime: farFromNow, timezone: 'UTC' }, new Date());
    seed.close();

    const config = configFor(sources, {
      db: dbFile,
      stories: { maxAgeHours: 24 * 365 * 20 },
      telegram: { botToken: tg.token, apiRoot: tg.url, messagesPerSecond: 100 },
      server: { port: 0, host: '127.0.0.1' },
    });
    const logs: string[] = [];
    const app = { ...createApp(config), log: createLogger('info', { write: (line: string) => void logs.push(line) }) };
    const service = await startService(app);

    const broadcast = service.postNow('http');
    broadcast.catch(() => undefined);
    await waitFor(() => accepted5 >= 5 && tg.heldCount() > 0, 'the broadcast to be under way, a send held on the wire');
    // SIGTERM, then the held sends come back: they are recorded as sent, nothing more is claimed.
    const stopped = service.stop('SIGTERM');
    tg.release();
    await stopped;

    await expect(broadcast).rejects.toThrow(/stopped by shutdown after \d+ sent; the rest stay queued/);
    expect(logs.filter((l) => l.includes('database connection is not open'))).toEqual([]);
    const db = openDb(dbFile);
    cleanups.push(() => void db.close());
    const states = Object.fromEntries(
      (db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]),
    );
    // Every message Telegram accepted is recorded as sent; nothing is left mid-send; the rest waits.
    const accepted = new Set(tg.messages.map((m) => m.chatId)).size;
    expect(tg.messages).toHaveLength(accepted);
    expect(states).toEqual({ sent: accepted, pending: 60 - accepted });
    expect(accepted).toBeLessThan(60);
  });
});
