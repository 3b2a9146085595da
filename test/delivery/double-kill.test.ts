/**
 * Two kill -9 in a row, each the instant Telegram accepted a message and before the process
 * could record it (the one window that cannot be closed), then a clean run: every chat ends
 * with exactly one copy of every part, except rows the database flags as ambiguous (at most one
 * extra copy with 'resend', at most one missing part with 'skip'), and the last report's
 * ambiguous count is the database's for that brief, earlier crashes included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { outboxCounts, outboxRowsForBrief } from '../../src/store/outbox.ts';
import { listSubscribers } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { addSubscribers, longBrief, range, storeBrief } from './helpers.ts';
import { envFor, reportOf, startChild, type Child } from './kill-helpers.ts';

const CHATS = [...range(30, 7001), -2001, -2002];

let tg: FakeTelegram | null = null;
let db: Db | null = null;
let dir: string | null = null;
afterEach(async () => {
  await tg?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  tg = db = dir = null;
});

/** Kills `child` the instant the server accepts its `nth` message of this run, before answering. */
function killOnAccept(child: Child, nth: number): Promise<string> {
  const base = tg!.stats.accepted;
  let victim: string | null = null;
  return new Promise((resolve) => {
    tg!.onAccepted((m) => {
      if (victim === null && tg!.stats.accepted === base + nth) {
        victim = m.chatId;
        child.proc.kill('SIGKILL');
        resolve(m.chatId);
      }
    });
  });
}

describe('kill -9 twice in a row', () => {
  it.each(['resend', 'skip'] as const)('policy %s: one copy per chat or a flagged row, and the report counts what the database holds', async (policy) => {
    dir = mkdtempSync(join(tmpdir(), 'mb-double-kill-'));
    const file = join(dir, 'brief.db');
    db = openDb(file);
    const brief = longBrief();
    const briefId = storeBrief(db, brief);
    addSubscribers(db, CHATS.filter((c) => c > 0));
    addSubscribers(db, CHATS.filter((c) => c < 0), 'supergroup');
    const parts = renderTelegram(brief);
    expect(parts).toHaveLength(2);
    tg = await startFakeTelegram({ globalPerSecond: 40, latencyMs: 15 });
    const env = envFor(tg, file, briefId, { DELIVERY_AMBIGUOUS_POLICY: policy });

    const victims: string[] = [];
    for (const nth of [9, 14]) {
      const child = startChild(env);
      victims.push(await killOnAccept(child, nth));
      expect(await child.exited).toBeNull();
    }
    const last = startChild(env);
    expect(await last.exited).toBe(0);
    const report = reportOf<{ failed: number; ambiguous: number }>(last);
    expect(report.failed).toBe(0);

    const rows = outboxRowsForBrief(db, briefId);
    const chatOf = new Map(listSubscribers(db).map((s) => [s.id, s.chatId]));
    const flagged = new Map(rows.filter((r) => r.ambiguous > 0).map((r) => [chatOf.get(r.subscriberId)!, r.ambiguous]));
    // Both victims' rows are flagged: their message was accepted and its answer never recorded.
    for (const v of victims) expect(flagged.has(v), `victim ${v} flagged`).toBe(true);
    for (const chat of CHATS.map(String)) {
      const got = tg.messagesTo(chat).map((m) => parts.indexOf(m.text));
      const extra = flagged.get(chat) ?? 0;
      if (policy === 'resend') {
        // Never lost; a copy beyond one only where the row says a crash may have doubled it.
        expect([...new Set(got)], `chat ${chat}: every part, in order`).toEqual(parts.map((_, i) => i));
        expect(got.length - parts.length, `chat ${chat}: extra copies`).toBeLessThanOrEqual(extra);
      } else {
        // Never doubled; a part missing only where the row says it was skipped as maybe-sent.
        expect(new Set(got).size, `chat ${chat}: no part twice`).toBe(got.length);
        expect(parts.length - got.length, `chat ${chat}: missing parts`).toBeLessThanOrEqual(extra);
      }
    }
    // The report tells the database's truth: every flagged row of the brief, both crashes.
    const counts = outboxCounts(db, briefId);
    expect(counts).toMatchObject({ sent: CHATS.length, pending: 0, queued: 0, sending: 0, failed: 0 });
    expect(counts.ambiguous).toBeGreaterThanOrEqual(2);
    expect(report.ambiguous).toBe(counts.ambiguous);
  }, 120_000);
});
