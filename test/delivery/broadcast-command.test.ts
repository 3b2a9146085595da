/** `morning-brief broadcast` (src/commands/broadcast.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { runBroadcastCommand } from '../../src/commands/broadcast.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/store/db.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { addSubscribers, memoryDb, range, storeBrief } from './helpers.ts';
import { captureIo } from '../helpers/capture-io.ts';

let tg: FakeTelegram | null = null;
let db: Db;
afterEach(async () => {
  await tg?.close();
  tg = null;
  db.close();
});

const io = captureIo;

describe('broadcast command', () => {
  it('sends the latest brief to every active subscriber and says how it went', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    storeBrief(db);
    const briefId = storeBrief(db);
    addSubscribers(db, range(4));
    tg.failFor(1002, { kind: 'blocked' });
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    const { stdout, stderr, text } = io();
    expect(await runBroadcastCommand({}, { db, config, stdout, stderr })).toBe(0);
    expect(text.out).toMatch(new RegExp(`^Brief ${briefId} to 4 subscribers: 3 sent, 1 dropped \\(chat gone; unsubscribed\\) in \\d+\\.\\d s\\.\\n$`));
    const again = io();
    expect(await runBroadcastCommand({ briefId }, { db, config, ...again })).toBe(0);
    expect(again.text.out).toMatch(/^Brief \d+ to 3 subscribers \(3 already queued or sent\): 0 sent/);
    expect(tg.messages).toHaveLength(3);
  });

  it('explains what is missing: no brief, unknown brief, an unconfigured platform', async () => {
    db = memoryDb();
    const config = loadConfig({ env: {} });
    const a = io();
    expect(await runBroadcastCommand({}, { db, config, ...a })).toBe(2);
    expect(a.text.err).toMatch(/No brief stored yet\. Run `morning-brief run` first\./);
    const b = io();
    expect(await runBroadcastCommand({ briefId: 42 }, { db, config, ...b })).toBe(2);
    expect(b.text.err).toMatch(/No brief with id 42/);
    storeBrief(db);
    const c = io();
    expect(await runBroadcastCommand({ platform: 'telegram' }, { db, config, ...c })).toBe(2);
    expect(c.text.err).toMatch(/Platform "telegram" is not configured \(set its bot token, e\.g\. TELEGRAM_BOT_TOKEN\)/);
  });
});
