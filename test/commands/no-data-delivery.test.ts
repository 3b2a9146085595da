/**
 * A brief written on a morning when every source failed ("No market data, no news gathered")
 * is never delivered: `broadcast` (latest or by id) and `replay <run> --post` refuse it with a
 * message and exit 1, and nothing reaches Telegram (issue 11, obs 2).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { Snapshot } from '../../src/domain.ts';
import { openDb } from '../../src/store/db.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';

let tg: FakeTelegram | null = null;
afterEach(async () => {
  await tg?.close();
  tg = null;
});

const T = '2026-06-10T06:00:00.000Z';
/** What a morning with no network records: every status failed, nothing gathered. */
const noDataSnapshot: Snapshot = {
  takenAt: T,
  quotes: [],
  indicators: [],
  headlines: [],
  statuses: ['coingecko', 'fear_greed', 'feed:coindesk'].map((id) => ({ id, ok: false, error: 'fetch failed', ms: 3, items: 0, notModified: false, fallback: null })),
};

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, env, isTTY: false });
  return { code, out, err };
}

describe('a brief written from no data', () => {
  it('is refused by broadcast (latest and by id) and replay --post; nobody is sent anything', async () => {
    tg = await startFakeTelegram();
    const dbFile = join(mkdtempSync(join(tmpdir(), 'mb-nodata-')), 'brief.db');
    const db = openDb(dbFile);
    upsertSubscriber(db, { platform: 'telegram', chatId: '1001' }, new Date(T));
    const runId = insertRun(db, noDataSnapshot, 'cli', new Date(T));
    const briefId = insertBrief(db, runId, sampleBrief({ title: 'Morning Brief | No market data, no news gathered' }), []);
    db.close();
    const env = { MORNING_BRIEF_DB: dbFile, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, LOG_LEVEL: 'silent' };

    for (const args of [['broadcast'], ['broadcast', String(briefId)], ['replay', String(runId), '--post', '--quiet']]) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(/was written when every source failed \(0 of 3 answered\): it holds no news, so it is not sent/);
    }
    expect(tg.messages).toHaveLength(0);
    const check = openDb(dbFile);
    expect((check.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
    check.close();
  });
});
