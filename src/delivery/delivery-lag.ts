/**
 * Delivery lag for scheduled sends: the scheduler enqueues a subscriber's row when their local
 * delivery time has come; this remembers that due time per outbox row and, after a drain,
 * turns the rows it finds sent into `SendTiming`s (outbox `sent_at` minus due time) for the
 * lag histogram. Rows that end failed or dropped are forgotten; rows still waiting (retries)
 * are kept for the next drain.
 */
import type { SendTiming } from '../metrics.ts';
import { addDays, localDate, localTimeToInstant } from '../schedule/local-time.ts';
import type { Db } from '../store/db.ts';
import { getSubscriberById } from '../store/subscribers.ts';

export interface LagTracker {
  /** Rows a scheduler tick just enqueued for these subscribers (due at their latest local delivery time up to `now`). */
  track(briefId: number, subscriberIds: readonly number[], now: Date): void;
  /** Sends of tracked rows that finished since the last call. */
  collect(): SendTiming[];
  /** Rows still waiting to be sent. */
  readonly pending: number;
}

/** The subscriber's most recent local delivery time at or before `now` (today's, else yesterday's). */
export function lastDueAt(now: Date, deliveryTime: string, timezone: string): Date {
  const today = localDate(now, timezone);
  const at = localTimeToInstant(today, deliveryTime, timezone);
  return at.getTime() <= now.getTime() ? at : localTimeToInstant(addDays(today, -1), deliveryTime, timezone);
}

interface Tracked {
  briefId: number;
  subscriberId: number;
  platform: string;
  dueAt: Date;
}

interface OutboxState {
  state: string;
  sent_at: string | null;
}

/**
 * @example
 * const lag = createLagTracker(db);
 * enqueue: (briefId, ids) => { enqueue(db, briefId, ids, now()); lag.track(briefId, ids, now()); }
 * after the drain: recordDelivery(metrics, { sends: lag.collect() });
 */
export function createLagTracker(db: Db): LagTracker {
  const tracked = new Map<string, Tracked>();
  const lookup = db.prepare('SELECT state, sent_at FROM outbox WHERE brief_id = ? AND subscriber_id = ?');
  return {
    track(briefId, subscriberIds, now) {
      for (const id of subscriberIds) {
        const sub = getSubscriberById(db, id);
        if (!sub) continue;
        tracked.set(`${briefId}:${id}`, { briefId, subscriberId: id, platform: sub.platform, dueAt: lastDueAt(now, sub.deliveryTime, sub.timezone) });
      }
    },
    collect() {
      const sends: SendTiming[] = [];
      for (const [key, t] of tracked) {
        const row = lookup.get(t.briefId, t.subscriberId) as OutboxState | undefined;
        if (!row || row.state === 'failed' || row.state === 'dropped') {
          tracked.delete(key);
        } else if (row.state === 'sent') {
          tracked.delete(key);
          if (row.sent_at) sends.push({ platform: t.platform, dueAt: t.dueAt, sentAt: row.sent_at });
        }
      }
      return sends;
    },
    get pending() {
      return tracked.size;
    },
  };
}
