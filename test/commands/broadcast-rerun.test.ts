/**
 * A re-run of `broadcast <id>` after a failed one (issue 11, obs 14): it printed "0 sent" and
 * exited 0 while subscribers were still undelivered. Now it says how many are still owed
 * the brief and why, and exits 1 while any remain.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBroadcastCommand } from '../../src/commands/broadcast.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/store/db.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { addSubscribers, memoryDb, range, storeBrief } from '../delivery/helpers.ts';
import { captureIo } from '../helpers/capture-io.ts';

let tg: FakeTelegram | null = null;
let db: Db;
afterEach(async () => {
  await tg?.close();
  tg = null;
  db.close();
});

describe('broadcast run again after a failure', () => {
  it('names the subscribers still undelivered and why, and exits 1 until they have it', async () => {
    tg = await startFakeTelegram({ globalPerSecond: 100 });
    db = memoryDb();
    const briefId = storeBrief(db);
    addSubscribers(db, range(4));
    tg.failFor(1003, { kind: 'server_error' });
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, DELIVERY_MAX_ATTEMPTS: '1' } });
    const sleep = async () => undefined;

    const first = captureIo();
    expect(await runBroadcastCommand({ briefId }, { db, config, sleep, ...first })).toBe(1);
    expect(first.text.out).toMatch(/3 sent, 1 failed/);

    const again = captureIo();
    expect(await runBroadcastCommand({ briefId }, { db, config, sleep, ...again })).toBe(1);
    expect(again.text.out).toMatch(new RegExp(`^Brief ${briefId} to 4 subscribers \\(4 already queued or sent\\): 0 sent`));
    expect(again.text.out).toMatch(new RegExp(`\\n1 of 4 subscribers still do not have brief ${briefId}: 1 failed \\(.*500.*\\)\\.\\n$`));

    const json = captureIo();
    expect(await runBroadcastCommand({ briefId, json: true }, { db, config, sleep, ...json })).toBe(1);
    expect(JSON.parse(json.text.out)).toMatchObject({ briefId, sent: 0, undelivered: { total: 1, reasons: [{ state: 'failed', count: 1 }] } });
    expect(tg.messagesTo(1003)).toHaveLength(0);
  });
});
