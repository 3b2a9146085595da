/** `/card off|on` per subscriber: said to the bot through the fake Bot API, stored, and obeyed by the next broadcast. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/bots/telegram-bot.ts';
import { loadConfig } from '../../src/config.ts';
import { SnapshotSchema } from '../../src/domain.ts';
import { createLogger } from '../../src/log.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { insertBrief, insertRun, latestBrief } from '../../src/store/runs.ts';
import { getSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';

const ALICE = { id: 111, first_name: 'Alice' };
const BOB = { id: 222, first_name: 'Bob' };
const CAROL = { id: 333, first_name: 'Carol' };
const OPERATOR = { id: 99, first_name: 'Op' };

let tg: FakeTelegram;
let db: Db;
let bot: TelegramBot | null = null;

afterEach(async () => {
  await bot?.stop('test over');
  bot = null;
  await tg.close();
  db.close();
});

const bundled = () => SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));

async function setup(cardEnabled: boolean): Promise<void> {
  tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000, maxPollMs: 300 });
  db = openDb(':memory:');
  const config = loadConfig({
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_ADMIN_IDS: String(OPERATOR.id), CARD_ENABLED: String(cardEnabled) },
  });
  const clock = new Date('2026-06-10T06:00:00Z');
  bot = createTelegramBot({
    config,
    db,
    getLatestBrief: async () => latestBrief(db)?.brief ?? null,
    log: createLogger('error', { write: () => undefined }),
    now: () => clock,
  });
  await bot.start();
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function say(text: string, from: { id: number; first_name: string }): Promise<string> {
  const before = tg.messagesTo(from.id).length;
  tg.userSays(text, from);
  await waitFor(() => tg.messagesTo(from.id).length > before, `a reply to ${text}`);
  return tg.messagesTo(from.id)[before]!.plain;
}

describe('/card off|on', () => {
  it('a subscriber who says /card off gets the brief without the photo; the others still get the card first', async () => {
    await setup(true);
    for (const who of [ALICE, BOB, CAROL]) await say('/start', who);

    expect(await say('/card', ALICE)).toBe('Send /card off (the brief without the market card picture) or /card on. Nothing was changed.');
    expect(await say('/card maybe', ALICE)).toContain('Nothing was changed.');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.card).toBe(true);
    expect(await say('/card off', ALICE)).toBe('Market card off: the brief comes without the picture. /card on brings it back.');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.card).toBe(false);
    expect(await say('/settings', ALICE)).toContain('Market card: off (/card on to get it)');
    expect(await say('/settings', BOB)).toContain('Market card: on');
    // Carol turns it off and on again: on is stored too.
    await say('/card off', CAROL);
    expect(await say('/card ON', CAROL)).toBe('Market card on: the picture comes before the brief.');

    // The operator's /broadcast goes the way every delivery goes (outbox, limiter, adapters from config).
    insertBrief(db, insertRun(db, bundled(), 'test', new Date('2026-06-10T06:00:00Z')), sampleBrief(), []);
    const reportAt = tg.messagesTo(OPERATOR.id).length + 1;
    await say('/broadcast', OPERATOR);
    await waitFor(() => tg.messagesTo(OPERATOR.id).length > reportAt, 'the broadcast report');
    expect(tg.messagesTo(OPERATOR.id)[reportAt]!.plain).toMatch(/to 3: 3 sent/);

    expect(tg.photos.map((p) => p.chatId).sort()).toEqual([String(BOB.id), String(CAROL.id)]);
    expect(tg.photos.filter((p) => p.uploaded)).toHaveLength(1);
    const briefText = renderTelegram(sampleBrief());
    for (const who of [ALICE, BOB, CAROL]) {
      // Each chat: its command replies, then the brief's text (Alice's without a photo before it).
      expect(tg.messagesTo(who.id).slice(-briefText.length).map((m) => m.text)).toEqual(briefText);
    }
  });

  it('with CARD_ENABLED off, /card on is stored but the reply says cards are off', async () => {
    await setup(false);
    await say('/start', ALICE);
    expect(await say('/card on', ALICE)).toBe('Market card on for this chat; the operator has cards turned off for now, so briefs come as text.');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.card).toBe(true);
  });

  it('asks for /start first in a chat that is not subscribed', async () => {
    await setup(true);
    expect(await say('/card off', ALICE)).toBe('This chat is not subscribed yet: send /start first.');
  });
});
