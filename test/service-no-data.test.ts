/**
 * `serve` on a morning when every source fails: no path sends a brief written from no data
 * (issue 11, obs 2). /brief does not show the stored no-data brief, /broadcast and
 * POST /trigger's run (postNow) refuse with the reason, and nothing reaches subscribers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Snapshot } from '../src/domain.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { openDb } from '../src/store/db.ts';
import { insertBrief, insertRun } from '../src/store/runs.ts';
import { upsertSubscriber } from '../src/store/subscribers.ts';
import { configFor, startSourcesServer, type RouteName } from './fakes/sources-server.ts';
import { startFakeTelegram } from './fakes/telegram-server.ts';
import { sampleBrief } from './helpers/sample-brief.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const ALICE = { id: 4242, first_name: 'Alice' };
const TOKEN = 'no-data-trigger-token-0123456789';
const OPERATOR = { id: 99, first_name: 'Op' };
const ROUTES: RouteName[] = ['coingecko', 'binance', 'fearGreed', 'fred', 'polymarket', 'etfBtc', 'etfEth', 'feed:coindesk', 'feed:cointelegraph', 'feed:fed-monetary'];

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A delivery time half a day away, so the scheduler's catch-up never fires during the test. */
function farTime(): string {
  const d = new Date(Date.now() + 12 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

describe('serve with every source down', () => {
  it('never sends the no-data brief: /brief says none is ready, /broadcast and postNow refuse', async () => {
    const sources = await startSourcesServer();
    for (const r of ROUTES) sources.setMode(r, '500');
    const tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, maxPollMs: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'mb-svc-nodata-'));
    cleanups.push(() => sources.close(), () => tg.close(), () => rmSync(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'brief.db');
    const seed = openDb(dbFile);
    upsertSubscriber(seed, { platform: 'telegram', chatId: String(ALICE.id), deliveryTime: farTime(), timezone: 'UTC' }, new Date());
    const takenAt = new Date().toISOString();
    const noData: Snapshot = {
      takenAt,
      quotes: [],
      indicators: [],
      headlines: [],
      statuses: [{ id: 'coingecko', ok: false, error: 'HTTP 500', ms: 3, items: 0, notModified: false, fallback: null }],
    };
    insertBrief(seed, insertRun(seed, noData, 'cli', new Date()), sampleBrief({ createdAt: takenAt, title: 'Morning Brief | No market data, no news gathered' }), [], undefined, 'daily:en');
    seed.close();

    const config = configFor(sources, {
      db: dbFile,
      sources: { retries: 0 },
      telegram: { botToken: tg.token, apiRoot: tg.url, adminIds: [OPERATOR.id], briefWaitMs: 2000 },
      server: { port: 0, host: '127.0.0.1', triggerToken: TOKEN },
    });
    const app = { ...createApp(config), log: createLogger('silent') };
    const service = await startService(app);
    cleanups.push(() => service.stop('test over'));

    tg.userSays('/brief', ALICE);
    const reply = await tg.waitForMessage(ALICE.id, { timeoutMs: 30_000 });
    expect(reply.text).toContain('No brief is ready yet');

    await expect(service.postNow('http')).rejects.toThrow(/every source failed/);
    // POST /trigger: accepted, then the run is reported failed with the reason; nothing sent.
    const auth = { authorization: `Bearer ${TOKEN}` };
    const accepted = (await (await fetch(`${service.url}/trigger`, { method: 'POST', headers: auth })).json()) as { url: string };
    let run: Record<string, unknown> = { state: 'running' };
    const deadline = Date.now() + 60_000;
    while (run.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await (await fetch(`${service.url}${accepted.url}`, { headers: auth })).json()) as Record<string, unknown>;
    }
    expect(run).toMatchObject({ state: 'failed', briefId: null });
    expect(String(run.error)).toMatch(/every source failed/);

    tg.userSays('/broadcast', OPERATOR);
    await waitFor(() => tg.messagesTo(OPERATOR.id).length >= 2, 'the /broadcast report');
    expect(tg.messagesTo(OPERATOR.id)[1]!.text).toMatch(/Broadcast failed: every source failed/);

    // The subscriber got the one reply to /brief and no brief at all.
    expect(tg.messagesTo(ALICE.id)).toHaveLength(1);
    expect(tg.messages.some((m) => m.text.includes('No market data'))).toBe(false);
  });
});
