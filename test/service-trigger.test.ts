/**
 * POST /trigger answers 202 with the run's id at once and GET /trigger/<id> tells its progress,
 * also while Telegram is slow; and the scheduler's first tick does not wait for an old outbox
 * to drain (issue 11, obs 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { openDb } from '../src/store/db.ts';
import { enqueue } from '../src/store/outbox.ts';
import { renderTelegram } from '../src/render/telegram-html.ts';
import { getBrief, insertBrief, insertRun } from '../src/store/runs.ts';
import { listSubscribers, upsertSubscriber } from '../src/store/subscribers.ts';
import { configFor, startSourcesServer } from './fakes/sources-server.ts';
import { startFakeTelegram } from './fakes/telegram-server.ts';
import { sampleBrief, sampleSnapshot } from './helpers/sample-brief.ts';

const TOKEN = 'trigger-token-for-tests-0123456789';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function farTime(): string {
  const d = new Date(Date.now() + 12 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

describe('POST /trigger in serve', () => {
  it('answers 202 at once while delivery is stuck, shows progress at GET /trigger/<id>, and the scheduler starts before the old outbox drains', async () => {
    const sources = await startSourcesServer();
    const tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, maxPollMs: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'mb-svc-trigger-'));
    cleanups.push(() => sources.close(), () => tg.close(), () => rmSync(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'brief.db');
    const seed = openDb(dbFile);
    for (let i = 0; i < 5; i++) upsertSubscriber(seed, { platform: 'telegram', chatId: String(5000 + i), deliveryTime: farTime(), timezone: 'UTC' }, new Date());
    // A killed process's broadcast: every subscriber still owed yesterday's brief.
    const old = insertBrief(seed, insertRun(seed, sampleSnapshot(), 'schedule', new Date()), sampleBrief(), []);
    enqueue(seed, old, listSubscribers(seed).map((s) => s.id), new Date());
    seed.close();

    tg.hold(); // Telegram takes every message and answers none until release()
    const logs: string[] = [];
    const config = configFor(sources, {
      db: dbFile,
      stories: { maxAgeHours: 24 * 365 * 20 },
      telegram: { botToken: tg.token, apiRoot: tg.url },
      server: { port: 0, host: '127.0.0.1', triggerToken: TOKEN },
    });
    const app = { ...createApp(config), log: createLogger('info', { write: (line: string) => void logs.push(line) }) };
    const service = await startService(app);
    cleanups.push(() => service.stop('test over'));
    cleanups.push(() => tg.release());

    await waitFor(() => logs.some((l) => l.includes('scheduler started')), 'the scheduler to start');
    expect(tg.messages).toHaveLength(0); // the old outbox is still on the wire

    const auth = { authorization: `Bearer ${TOKEN}` };
    const accepted = await fetch(`${service.url}/trigger`, { method: 'POST', headers: auth });
    expect(accepted.status).toBe(202);
    const { id, url } = (await accepted.json()) as { id: string; url: string };
    expect(url).toBe(`/trigger/${id}`);
    expect(accepted.headers.get('location')).toBe(url);
    expect((await fetch(`${service.url}/trigger`, { method: 'POST', headers: auth })).status).toBe(409);
    expect((await fetch(`${service.url}${url}`)).status).toBe(401);

    const status = async () => (await (await fetch(`${service.url}${url}`, { headers: auth })).json()) as Record<string, any>;
    await waitFor(async () => (await status()).progress?.phase === 'delivering', 'the run to reach delivery');
    expect(await status()).toMatchObject({ id, state: 'running', finishedAt: null, progress: { phase: 'delivering', language: 'en' } });

    tg.release();
    await waitFor(async () => (await status()).state !== 'running', 'the run to finish');
    const done = await status();
    expect(done).toMatchObject({ state: 'done', error: null });
    expect(done.briefId).not.toBe(old);
    // Each subscriber: the old brief once (the outbox finished) and the fresh one once.
    const check = openDb(dbFile);
    cleanups.push(() => void check.close());
    const expected = [...renderTelegram(sampleBrief()), ...renderTelegram(getBrief(check, done.briefId as number)!.brief)];
    for (let i = 0; i < 5; i++) expect(tg.messagesTo(5000 + i).map((m) => m.text), `chat ${5000 + i}`).toEqual(expected);
    expect(done.delivered).toBeGreaterThanOrEqual(5);
    expect((await fetch(`${service.url}/trigger/nope`, { headers: auth })).status).toBe(404);
  });
});
