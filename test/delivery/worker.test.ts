import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Limiter } from '../../src/delivery/limiter.ts';
import { realSleep } from '../../src/util/http.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import type { DeliveryAdapter } from '../../src/delivery/types.ts';
import { broadcastBrief, deliverPending, type DeliverDeps } from '../../src/delivery/worker.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import type { Db } from '../../src/store/db.ts';
import { claim, enqueue, getOutboxRow, markSending, outboxCounts, outboxRowsForBrief } from '../../src/store/outbox.ts';
import { getSubscriber, getSubscriberById, listSubscribers } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';
import { addSubscribers, longBrief, memoryDb, range, storeBrief } from './helpers.ts';

let tg: FakeTelegram | null = null;
let db: Db | null = null;
afterEach(async () => {
  await tg?.close();
  db?.close();
  tg = null;
  db = null;
});

function adapterFor(server: FakeTelegram, token = server.token, perChatPerSecond = 1): DeliveryAdapter {
  return createTelegramAdapter({
    telegram: createBotApiClient({ token: token, apiRoot: server.url }),
    limits: { globalPerSecond: 100, perChatPerSecond, perGroupPerMinute: 20, headroom: 0.9 },
    requestTimeoutMs: 2_000,
  });
}

function deps(database: Db, adapter: DeliveryAdapter, extra: Partial<DeliverDeps> = {}): DeliverDeps {
  // A fresh limiter per test: the shared per-adapter limiter would carry pauses between tests.
  const limiter = new Limiter({ globalPerSecond: 100, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 0.9, ...adapter.limits }, {
    now: Date.now,
    sleep: realSleep,
  });
  return { db: database, adapters: [adapter], maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 }, limiters: new Map([['telegram', limiter]]), ...extra };
}

describe('deliverPending against the fake Bot API', () => {
  it('gives every subscriber exactly one copy, as HTML without link previews, and stores the message ids', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 5 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(25));
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(report).toMatchObject({ subscribers: 25, enqueued: 25, sent: 25, failed: 0, dropped: 0, rateLimited: 0 });
    for (const chat of range(25)) {
      const got = tg.messagesTo(chat);
      expect(got).toHaveLength(1);
      expect(got[0]!.text).toBe(renderTelegram(sampleBrief())[0]);
      expect(got[0]!.params).toMatchObject({ parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      expect(got[0]!.params).not.toHaveProperty('allow_paid_broadcast');
    }
    const rows = outboxRowsForBrief(db, briefId);
    expect(rows.every((r) => r.state === 'sent' && r.messageIds.length === 1)).toBe(true);
    const sub = getSubscriber(db, 'telegram', '1001')!;
    expect(rows.find((r) => r.subscriberId === sub.id)!.messageIds).toEqual([String(tg.messagesTo(1001)[0]!.messageId)]);

    // Broadcasting the same brief again sends nothing.
    const again = await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(again).toMatchObject({ enqueued: 0, sent: 0 });
    expect(tg.messages).toHaveLength(25);
  });

  it('asks for paid broadcast when configured', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, [7]);
    const adapter = createTelegramAdapter({ telegram: createBotApiClient({ token: tg.token, apiRoot: tg.url }), paidBroadcast: true });
    await broadcastBrief(db, briefId, deps(db, adapter));
    expect(tg.messagesTo(7)[0]!.params).toMatchObject({ allow_paid_broadcast: true });
  });

  it('on 429 waits retry_after before sending again, and still delivers one copy each', async () => {
    // The server allows 4/s; the client is (mis)configured for 100/s, so it runs into 429s.
    tg = await startFakeTelegram({ globalPerSecond: 4, latencyMs: 2 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(10));
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(report.rateLimited).toBeGreaterThan(0);
    expect(tg.stats.rateLimited).toBe(report.rateLimited);
    expect(tg.stats.violations).toBe(0);
    expect(report.sent).toBe(10);
    for (const chat of range(10)) expect(tg.messagesTo(chat)).toHaveLength(1);
  });

  it.each([
    ['blocked', '403: Forbidden: bot was blocked by the user'],
    ['deactivated', '403: Forbidden: user is deactivated'],
    ['kicked', '403: Forbidden: bot was kicked from the group chat'],
    ['not_found', '400: Bad Request: chat not found'],
  ] as const)('a chat that answers %s is deactivated and never tried again', async (kind, reason) => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const first = storeBrief(db);
    addSubscribers(db, [1, 2, 3]);
    tg.failFor(2, { kind });
    // One process: one adapter and limiter for both broadcasts (the limiter remembers chats).
    const shared = deps(db, adapterFor(tg));
    const report = await broadcastBrief(db, first, shared);
    expect(report).toMatchObject({ sent: 2, dropped: 1, failed: 0, retried: 0 });
    const sub = getSubscriber(db, 'telegram', '2')!;
    expect(sub).toMatchObject({ active: false, inactiveReason: reason });
    expect(outboxRowsForBrief(db, first).find((r) => r.subscriberId === sub.id)).toMatchObject({ state: 'dropped', lastError: reason });
    const requestsBefore = tg.stats.byMethod.sendMessage;

    // The next brief skips the inactive chat entirely, even if its row was queued earlier.
    const second = storeBrief(db, sampleBrief({ title: 'Morning Brief | next, day' }));
    enqueue(db, second, [sub.id], new Date());
    const next = await broadcastBrief(db, second, shared);
    expect(next).toMatchObject({ subscribers: 2, sent: 2 });
    expect(tg.stats.byMethod.sendMessage).toBe(requestsBefore! + 2);
    expect(tg.messagesTo(2)).toHaveLength(0);
  });

  it('follows a group that became a supergroup and resends there', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    const [group] = addSubscribers(db, [-4242], 'group');
    tg.failFor(-4242, { kind: 'migrate', newChatId: -1004242 });
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(report).toMatchObject({ sent: 1, migrated: 1, failed: 0 });
    expect(tg.messagesTo(-1004242)).toHaveLength(1);
    expect(getSubscriberById(db, group!.id)).toMatchObject({ chatId: '-1004242', kind: 'supergroup', active: true });
    expect(outboxRowsForBrief(db, briefId)[0]).toMatchObject({ state: 'sent', messageIds: [String(tg.messagesTo(-1004242)[0]!.messageId)] });
  });

  it('does not subscribe a chat twice when its new id is already a subscriber', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    const [oldGroup] = addSubscribers(db, [-77], 'group');
    addSubscribers(db, [-10077], 'supergroup');
    tg.failFor(-77, { kind: 'migrate', newChatId: -10077 });
    await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(tg.messagesTo(-10077)).toHaveLength(1);
    expect(getSubscriberById(db, oldGroup!.id)).toMatchObject({ active: false });
  });

  it('retries a 500 with backoff and delivers once it recovers', async () => {
    // Failed attempts are not accepted messages, so the server's 1/s per chat does not apply to them.
    tg = await startFakeTelegram({ globalPerSecond: 100, perChatPerSecond: 20 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, [1, 2]);
    tg.failFor(1, { kind: 'server_error', times: 2 });
    tg.failFor(2, { kind: 'malformed', times: 1 });
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg, tg.token, 10)));
    expect(report).toMatchObject({ sent: 2, retried: 3, failed: 0 });
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(2)).toHaveLength(1);
    expect(outboxRowsForBrief(db, briefId).map((r) => r.attempts).sort()).toEqual([1, 2]);
  });

  it('gives up after maxAttempts 500s and records the failure', async () => {
    // Failed attempts are not accepted messages, so the server's 1/s per chat does not apply to them.
    tg = await startFakeTelegram({ globalPerSecond: 100, perChatPerSecond: 20 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, [1]);
    tg.failFor(1, { kind: 'server_error' });
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg, tg.token, 10)));
    expect(report).toMatchObject({ sent: 0, retried: 2, failed: 1 });
    expect(tg.stats.byMethod.sendMessage).toBe(3);
    const [row] = outboxRowsForBrief(db, briefId);
    expect(row).toMatchObject({ state: 'failed', attempts: 3 });
    expect(row!.lastError).toMatch(/gave up after 3 attempts: 500: Internal Server Error/);
    expect(getSubscriber(db, 'telegram', '1')!.active).toBe(true);
    // A later drain leaves the failed row alone.
    await deliverPending(deps(db, adapterFor(tg)));
    expect(tg.stats.byMethod.sendMessage).toBe(3);
  });

  it('retries a refused connection as a network error without leaking the token', async () => {
    tg = await startFakeTelegram();
    const url = tg.url;
    await tg.close();
    tg = null;
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, [1]);
    const dead = { url, token: '123456789:AAFakeTokenForTests_abcdefghijklmnop' } as FakeTelegram;
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(dead, dead.token, 10)));
    expect(report).toMatchObject({ failed: 1, retried: 2 });
    const [row] = outboxRowsForBrief(db, briefId);
    expect(row!.lastError).toMatch(/ECONNREFUSED|failed/);
    expect(row!.lastError).not.toContain('AAFakeToken');
  });

  it('sends a long brief as several messages, a second apart, in order', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, perChatPerSecond: 1 });
    db = memoryDb();
    const brief = longBrief();
    const parts = renderTelegram(brief);
    expect(parts.length).toBe(2);
    const briefId = storeBrief(db, brief);
    addSubscribers(db, [5, 6]);
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg)));
    expect(report).toMatchObject({ sent: 2, messages: 4, rateLimited: 0 });
    for (const chat of [5, 6]) expect(tg.messagesTo(chat).map((m) => m.text)).toEqual(parts);
    expect(outboxRowsForBrief(db, briefId).every((r) => r.messageIds.length === 2)).toBe(true);
  });

  it('stops everything on a rejected token and leaves the rows for later', async () => {
    tg = await startFakeTelegram();
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(5));
    const report = await broadcastBrief(db, briefId, deps(db, adapterFor(tg, '999:wrong-token')));
    expect(report.aborted).toMatch(/401: Unauthorized/);
    expect(report.aborted).not.toContain('wrong-token');
    expect(outboxCounts(db, briefId)).toMatchObject({ pending: 5, failed: 0 });
    const fixed = await deliverPending(deps(db, adapterFor(tg)));
    expect(fixed.sent).toBe(5);
  });
});

describe('stopping', () => {
  it('a stopped worker finishes what is in flight and leaves the rest pending; the next drain sends each chat one copy', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 5 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(30));
    enqueue(db, briefId, listSubscribers(db).map((s) => s.id), new Date());
    const stop = new AbortController();
    tg.onAccepted(() => {
      if (tg!.stats.accepted === 8) stop.abort(new Error('shutting down'));
    });
    const first = await deliverPending(deps(db, adapterFor(tg), { signal: stop.signal }));
    expect(first.sent).toBeGreaterThanOrEqual(8);
    expect(first.sent).toBeLessThan(30);
    const counts = outboxCounts(db, briefId);
    expect(counts).toMatchObject({ sent: first.sent, pending: 30 - first.sent, queued: 0, sending: 0, retry: 0, ambiguous: 0 });
    const rest = await deliverPending(deps(db, adapterFor(tg)));
    expect(rest.sent).toBe(30 - first.sent);
    for (const chat of range(30)) expect(tg.messagesTo(chat)).toHaveLength(1);
  });
});

describe('recovery after a crash', () => {
  it('resends rows a dead process held, and flags the one it was sending as ambiguous', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(3));
    enqueue(db, briefId, listSubscribers(db).map((s) => s.id), new Date());
    // A process (pid 999999, not running) claimed all three and was killed during the first send.
    const [a] = claim(db, '999999:dead', 10, new Date());
    markSending(db, a!.id, new Date());
    const report = await deliverPending(deps(db, adapterFor(tg), { isProcessAlive: () => false }));
    expect(report).toMatchObject({ sent: 3, ambiguous: 1 });
    expect(getOutboxRow(db, a!.id)).toMatchObject({ state: 'sent', ambiguous: 1 });
    expect(outboxCounts(db, briefId)).toMatchObject({ sent: 3, ambiguous: 1 });
  });

  it("with the 'skip' policy counts the ambiguous message as delivered instead of resending", async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(2));
    enqueue(db, briefId, listSubscribers(db).map((s) => s.id), new Date());
    const [a] = claim(db, '999999:dead', 1, new Date());
    markSending(db, a!.id, new Date());
    const report = await deliverPending(deps(db, adapterFor(tg), { isProcessAlive: () => false, ambiguousPolicy: 'skip' }));
    expect(report).toMatchObject({ sent: 2, messages: 1, ambiguous: 1 });
    expect(getOutboxRow(db, a!.id)).toMatchObject({ state: 'sent', ambiguous: 1, messageIds: ['?'] });
    expect(tg.messages).toHaveLength(1);
  });

  it('leaves rows of a live process alone until they go stale', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, [1]);
    enqueue(db, briefId, listSubscribers(db).map((s) => s.id), new Date());
    claim(db, '999998:alive', 1, new Date());
    const report = await deliverPending(deps(db, adapterFor(tg), { isProcessAlive: () => true }));
    expect(report.sent).toBe(0);
    const later = await deliverPending(deps(db, adapterFor(tg), { isProcessAlive: () => true, now: () => new Date(Date.now() + 11 * 60_000) }));
    expect(later.sent).toBe(1);
  });
});
