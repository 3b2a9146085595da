/** `serve` (src/commands/serve.ts): the bot answers, and the outbox a killed process left is finished at start. */
import { afterEach, describe, expect, it } from 'vitest';
import { runServe, type Serving } from '../../src/commands/serve.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { claim, enqueue, markSending, outboxCounts } from '../../src/store/outbox.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { getSubscriber, listSubscribers, upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { startGateProxy } from '../helpers/gate-proxy.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

let tg: FakeTelegram;
let db: Db;
let serving: Serving | null = null;
afterEach(async () => {
  await serving?.stop();
  serving = null;
  await tg.close();
  db.close();
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('serve', () => {
  it('finishes a dead process’s broadcast at start and answers commands', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, perChatPerSecond: 20, maxPollMs: 300 });
    db = openDb(':memory:');
    const now = new Date();
    const briefId = insertBrief(db, insertRun(db, sampleSnapshot(), 'test', now), sampleBrief(), []);
    for (const id of ['1', '2', '3']) upsertSubscriber(db, { platform: 'telegram', chatId: id }, now);
    enqueue(db, briefId, listSubscribers(db).map((s) => s.id), now);
    // pid 999999 claimed everything and died while sending to the first chat.
    const [first] = claim(db, '999999:gone', 10, now);
    markSending(db, first!.id, now);

    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    serving = await runServe(config, { db, log: silentLogger() });
    await waitFor(() => outboxCounts(db, briefId).sent === 3, 'the outbox to drain');
    for (const id of ['1', '2', '3']) expect(tg.messagesTo(id)).toHaveLength(1);

    tg.userSays('/start', { id: 77, first_name: 'Zed' });
    await waitFor(() => tg.messagesTo(77).length === 1, 'the /start reply');
    expect(getSubscriber(db, 'telegram', '77')?.active).toBe(true);
  });

  it('stays up when Telegram is unreachable at start: the outbox still drains for Discord webhooks, telegram is retried', async () => {
    tg = await startFakeTelegram();
    db = openDb(':memory:');
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: 'http://127.0.0.1:1' } });
    const waits: number[] = [];
    serving = await runServe(config, { db, log: silentLogger(), sleep: (ms, signal) => new Promise((_, reject) => { waits.push(ms); signal?.addEventListener('abort', () => reject(signal.reason)); }) });
    expect(serving.platforms.get('telegram')).toMatchObject({ state: 'down', failures: 1 });
    expect(serving.platforms.get('telegram')!.error).not.toContain(tg.token);
    await waitFor(() => waits.length === 1, 'the retry to be scheduled');
    expect(waits).toEqual([5_000]);
  });

  it('does not wait for a Telegram that never answers: serve goes on, the attempt continues in the background', async () => {
    tg = await startFakeTelegram();
    db = openDb(':memory:');
    const gate = await startGateProxy(tg.url);
    let release: () => void = () => undefined;
    const answered = new Promise<void>((r) => (release = r));
    gate.intercept = async () => {
      await answered;
      return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    };
    try {
      const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: gate.url } });
      serving = await runServe(config, { db, log: silentLogger(), startRetry: { firstAttemptWaitMs: 50 }, sleep: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) });
      expect(serving.platforms.get('telegram')?.state).toBe('starting');
      release();
      await waitFor(() => serving!.platforms.get('telegram')?.state === 'down', 'the hung attempt to fail');
    } finally {
      release();
      await gate.close();
    }
  });
});
