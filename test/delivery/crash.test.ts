/**
 * Crash safety: the broadcast runs in a child process that is killed with SIGKILL mid-way,
 * several times, and restarted; the fake Bot API's record must then show every part of
 * the brief in every chat exactly once.
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
import { envFor, startChild, waitFor } from './kill-helpers.ts';

const PRIVATE = range(24, 5001);
const GROUPS = [-1001, -1002, -1003, -1004];

let tg: FakeTelegram | null = null;
let db: Db | null = null;
let dir: string | null = null;
afterEach(async () => {
  await tg?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  tg = db = dir = null;
});

function setup() {
  dir = mkdtempSync(join(tmpdir(), 'mb-crash-'));
  const file = join(dir, 'brief.db');
  db = openDb(file);
  const brief = longBrief();
  const briefId = storeBrief(db, brief);
  addSubscribers(db, PRIVATE);
  addSubscribers(db, GROUPS, 'supergroup');
  return { file, briefId, parts: renderTelegram(brief) };
}

/** Message ids the outbox has recorded (what the process knows it sent). */
function recordedCount(database: Db, briefId: number): number {
  return outboxRowsForBrief(database, briefId).reduce((n, r) => n + r.messageIds.length, 0);
}

const ALL_CHATS = [...PRIVATE, ...GROUPS];

describe('kill -9 mid-broadcast', () => {
  it('ends with exactly one copy of every message in every chat after several kills and restarts', async () => {
    const { file, briefId, parts } = setup();
    expect(parts).toHaveLength(2);
    tg = await startFakeTelegram({ globalPerSecond: 40, latencyMs: 15 });
    const env = envFor(tg, file, briefId);

    for (const step of [7, 11, 9, 13]) {
      const child = startChild(env);
      const target = tg.stats.accepted + step;
      await waitFor(() => tg!.stats.accepted >= target, `${target} accepted messages`);
      // Freeze the wire: requests arriving from now on stay unprocessed. Once the process has
      // recorded every answer it got, kill it: its in-flight sends are rows left in 'sending'.
      tg.hold();
      await waitFor(() => recordedCount(db!, briefId) === tg!.stats.accepted, 'the child to record every accepted message');
      await waitFor(() => tg!.heldCount() >= 1, 'a send in flight');
      child.proc.kill('SIGKILL');
      expect(await child.exited).toBeNull();
      await waitFor(() => tg!.heldCount() === 0, 'the dead child’s connections to close');
      tg.release();
      expect(tg.stats.accepted).toBeLessThan(ALL_CHATS.length * parts.length);
    }

    const last = startChild(env);
    expect(await last.exited).toBe(0);
    const report = JSON.parse(last.output().trim().split('\n').pop()!) as { sent: number; failed: number; ambiguous: number };
    expect(report.failed).toBe(0);

    for (const chat of ALL_CHATS) {
      expect(tg.messagesTo(chat).map((m) => parts.indexOf(m.text)), `chat ${chat}: each part once, in order`).toEqual(parts.map((_, i) => i));
    }
    expect(tg.messages).toHaveLength(ALL_CHATS.length * parts.length);
    expect(tg.stats.violations).toBe(0);
    const counts = outboxCounts(db!, briefId);
    expect(counts).toMatchObject({ sent: ALL_CHATS.length, pending: 0, queued: 0, sending: 0 });
    // The kills did land on sends in flight (rows left in 'sending'), and none doubled.
    expect(counts.ambiguous).toBeGreaterThan(0);
    // The stored ids are the ones the server gave out.
    const subs = new Map(listSubscribers(db!).map((s) => [s.id, s.chatId]));
    for (const row of outboxRowsForBrief(db!, briefId)) {
      expect(row.messageIds).toEqual(tg.messagesTo(subs.get(row.subscriberId)!).map((m) => String(m.messageId)));
    }
  }, 120_000);

  it('the one unavoidable ambiguity: killed after Telegram accepted a message but before it was recorded', async () => {
    const { file, briefId, parts } = setup();
    tg = await startFakeTelegram({ globalPerSecond: 40, latencyMs: 15 });
    const env = envFor(tg, file, briefId);
    const child = startChild(env);
    let victim: string | null = null;
    // Kill the process the instant the 10th message is accepted, before its answer is written.
    tg.onAccepted((m) => {
      if (victim === null && tg!.stats.accepted === 10) {
        victim = m.chatId;
        child.proc.kill('SIGKILL');
      }
    });
    await child.exited;
    const restarted = startChild(env);
    expect(await restarted.exited).toBe(0);
    const report = JSON.parse(restarted.output().trim().split('\n').pop()!) as { ambiguous: number; failed: number };
    expect(report.failed).toBe(0);
    // The restart resends what it cannot prove was delivered: nothing is lost. A message
    // whose answer was still on its way back when the process died (the victim's, and any
    // other accepted in the same instant) arrives twice, and its outbox row says so.
    const rows = outboxRowsForBrief(db!, briefId);
    const chatOf = new Map(listSubscribers(db!).map((s) => [s.id, s.chatId]));
    const flagged = new Set(rows.filter((r) => r.ambiguous > 0).map((r) => chatOf.get(r.subscriberId)));
    let duplicates = 0;
    for (const chat of ALL_CHATS) {
      const got = tg.messagesTo(chat).map((m) => parts.indexOf(m.text));
      expect([...new Set(got)], `chat ${chat}: every part, in order`).toEqual(parts.map((_, i) => i));
      if (got.length > parts.length) {
        duplicates += got.length - parts.length;
        expect(flagged.has(String(chat)), `chat ${chat} got a duplicate its row does not flag`).toBe(true);
      }
    }
    expect(tg.messagesTo(victim!).length).toBe(parts.length + 1);
    expect(rows.find((r) => chatOf.get(r.subscriberId) === victim)).toMatchObject({ state: 'sent', ambiguous: 1 });
    // Bounded by the sends in flight at the kill, far below the broadcast's size.
    expect(duplicates).toBeGreaterThanOrEqual(1);
    expect(duplicates).toBeLessThanOrEqual(report.ambiguous);
    expect(report.ambiguous).toBeLessThanOrEqual(5);
  }, 60_000);
});
