/** The market card on Telegram: sendPhoto first, one multipart upload per brief, its file_id for every other chat, then the brief. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCardStore } from '../../src/card/store.ts';
import { pngHeader } from '../../src/card/png.ts';
import { SnapshotSchema } from '../../src/domain.ts';
import { createBotApiClient } from '../../src/delivery/bot-api-client.ts';
import { Limiter } from '../../src/delivery/limiter.ts';
import { createTelegramAdapter } from '../../src/delivery/telegram.ts';
import { CAPTION_LIMIT, cardCaption } from '../../src/delivery/telegram-card.ts';
import { broadcastBrief } from '../../src/delivery/worker.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import type { Db } from '../../src/store/db.ts';
import { outboxRowsForBrief } from '../../src/store/outbox.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { realSleep } from '../../src/util/http.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';
import { addSubscribers, memoryDb, range, storeBrief, T0 } from '../delivery/helpers.ts';

let tg: FakeTelegram | null = null;
let db: Db | null = null;
afterEach(async () => {
  await tg?.close();
  db?.close();
  tg = null;
  db = null;
});

const bundled = () => SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));

function storeBriefWithHistory(database: Db): number {
  const runId = insertRun(database, bundled(), 'test', T0);
  return insertBrief(database, runId, sampleBrief(), []);
}

function send(database: Db, server: FakeTelegram, briefId: number) {
  const cards = createCardStore({ db: database });
  const adapter = createTelegramAdapter({
    telegram: createBotApiClient({ token: server.token, apiRoot: server.url }),
    limits: { globalPerSecond: 100, perChatPerSecond: 2, perGroupPerMinute: 20, headroom: 0.9 },
    requestTimeoutMs: 10_000,
    cardPng: (id) => cards.png(id),
  });
  const limiter = new Limiter({ globalPerSecond: 100, perChatPerSecond: 2, perGroupPerMinute: 20, headroom: 0.9 }, { now: Date.now, sleep: realSleep });
  return broadcastBrief(database, briefId, { adapters: [adapter], maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 }, limiters: new Map([['telegram', limiter]]) });
}

describe('market card on Telegram', () => {
  it('uploads the card once, reuses its file_id for every other chat, and sends the brief after it', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, perChatPerSecond: 2, latencyMs: 5 });
    db = memoryDb();
    const briefId = storeBriefWithHistory(db);
    addSubscribers(db, range(6));
    const report = await send(db, tg, briefId);
    expect(report).toMatchObject({ sent: 6, failed: 0 });

    const uploads = tg.photos.filter((p) => p.uploaded);
    expect(uploads).toHaveLength(1);
    expect(pngHeader(uploads[0]!.uploaded!)).toMatchObject({ width: 1200, height: 675 });
    expect(tg.photos).toHaveLength(6);
    expect(tg.photos.every((p) => p.fileId === uploads[0]!.fileId)).toBe(true);
    for (const chat of range(6)) {
      const photo = tg.photos.find((p) => p.chatId === String(chat))!;
      expect(photo.caption).toBe(sampleBrief().title);
      const text = tg.messagesTo(chat);
      expect(text.map((m) => m.text)).toEqual(renderTelegram(sampleBrief()));
      // The picture first, then the brief.
      expect(photo.messageId).toBeLessThan(text[0]!.messageId);
    }
    // The outbox records the photo too (marked), so a resumed send does not send it twice.
    const rows = outboxRowsForBrief(db, briefId);
    expect(rows.every((r) => r.state === 'sent' && r.messageIds[0]!.startsWith('card:') && r.messageIds.length === 2)).toBe(true);

    // Broadcasting the same brief again sends nothing: exactly once, photo included.
    await send(db, tg, briefId);
    expect(tg.photos).toHaveLength(6);
  });

  it('sends the brief alone when its snapshot has no history (no card)', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 5 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(2));
    const report = await send(db, tg, briefId);
    expect(report).toMatchObject({ sent: 2, failed: 0 });
    expect(tg.photos).toHaveLength(0);
    expect(tg.messagesTo(1001).map((m) => m.text)).toEqual(renderTelegram(sampleBrief()));
  });

  it('sends the brief as text when Telegram refuses the picture (400 IMAGE_PROCESS_FAILED)', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100, latencyMs: 5 });
    db = memoryDb();
    const briefId = storeBriefWithHistory(db);
    addSubscribers(db, range(2));
    const adapter = createTelegramAdapter({
      telegram: createBotApiClient({ token: tg.token, apiRoot: tg.url }),
      requestTimeoutMs: 10_000,
      // Not a PNG: the fake answers as Telegram does.
      cardPng: async () => new TextEncoder().encode('not a picture'),
    });
    const report = await broadcastBrief(db, briefId, { adapters: [adapter], maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 } });
    expect(report).toMatchObject({ sent: 2, failed: 0 });
    expect(tg.photos).toHaveLength(0);
    for (const chat of range(2)) expect(tg.messagesTo(chat).map((m) => m.text)).toEqual(renderTelegram(sampleBrief()));
  });

  it('cuts a caption to 1024 characters', () => {
    const caption = cardCaption('x'.repeat(2000));
    expect([...caption]).toHaveLength(CAPTION_LIMIT);
    expect(cardCaption('Morning Brief | short')).toBe('Morning Brief | short');
  });
});
