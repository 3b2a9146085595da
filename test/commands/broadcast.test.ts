/** `morning-brief broadcast` when some or all subscribers' platforms have no credentials. */
import { afterEach, describe, expect, it } from 'vitest';
import { runBroadcastCommand } from '../../src/commands/broadcast.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { addSubscribers, memoryDb, storeBrief, T0 } from '../delivery/helpers.ts';
import { captureIo } from '../helpers/capture-io.ts';

let tg: FakeTelegram | null = null;
let db: Db;
afterEach(async () => {
  await tg?.close();
  tg = null;
  db.close();
});

const io = captureIo;

const outboxRows = () => (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

describe('broadcast without credentials', () => {
  it('says nobody can be reached (exit 2, nothing queued) when no subscriber platform is configured', async () => {
    db = memoryDb();
    storeBrief(db);
    addSubscribers(db, [1001, 1002]);
    upsertSubscriber(db, { platform: 'discord', chatId: '123456789012345678', kind: 'channel' }, T0);
    const a = io();
    expect(await runBroadcastCommand({}, { db, config: loadConfig({ env: {} }), ...a })).toBe(2);
    expect(a.text.err).toBe('No subscriber can be reached: 2 on telegram (set TELEGRAM_BOT_TOKEN), 1 on discord (set DISCORD_BOT_TOKEN).\n');
    expect(a.text.out).toBe('');
    expect(outboxRows()).toBe(0);
  });

  it('delivers where it can and names the platform it skipped (exit 1)', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    storeBrief(db);
    addSubscribers(db, [1001]);
    upsertSubscriber(db, { platform: 'discord', chatId: '123456789012345678', kind: 'channel' }, T0);
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    const a = io();
    expect(await runBroadcastCommand({}, { db, config, ...a })).toBe(1);
    expect(a.text.err).toContain('Skipped subscribers on unconfigured platforms: 1 on discord (set DISCORD_BOT_TOKEN).');
    expect(a.text.out).toMatch(/to 1 subscriber: 1 sent/);
    expect(tg.messagesTo(1001).length).toBeGreaterThan(0);
  });

  it('calls an unknown --platform unknown', async () => {
    db = memoryDb();
    storeBrief(db);
    const a = io();
    expect(await runBroadcastCommand({ platform: 'slack' }, { db, config: loadConfig({ env: {} }), ...a })).toBe(2);
    expect(a.text.err).toBe('Unknown platform "slack"; known: telegram, discord, discord-webhook.\n');
  });
});
