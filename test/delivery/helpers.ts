/** Shared setup for delivery tests: a database with a stored brief and subscribers. */
import type { Brief } from '../../src/domain.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { upsertSubscriber, type Subscriber } from '../../src/store/subscribers.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

export const T0 = new Date('2026-06-10T06:00:00.000Z');

export function storeBrief(db: Db, brief: Brief = sampleBrief()): number {
  const runId = insertRun(db, sampleSnapshot(), 'test', T0);
  return insertBrief(db, runId, brief, []);
}

/** Private chats 1001, 1002, ... (or given ids). */
export function addSubscribers(db: Db, ids: (number | string)[], kind = 'private'): Subscriber[] {
  return ids.map((id) => upsertSubscriber(db, { platform: 'telegram', chatId: String(id), kind }, T0).subscriber);
}

export function range(n: number, start = 1001): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

export function memoryDb(): Db {
  return openDb(':memory:');
}

/** A brief long enough to need two Telegram messages. */
export function longBrief(): Brief {
  const items = Array.from({ length: 60 }, (_, i) => ({
    text: `Item ${i}: the market moved in a way that needs a long sentence to explain properly, with numbers like ${i * 1000}.`,
    storyIds: [],
    section: 'other' as const,
  }));
  return sampleBrief({ items });
}
