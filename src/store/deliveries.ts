/**
 * What each subscriber got on each of their local days. The (subscriber, local date) key is
 * what makes a morning's delivery happen once, whatever the scheduler's ticks do.
 */
import type { Db } from './db.ts';

export interface ScheduledSubscriber {
  id: number;
  platform: string;
  language: string;
  deliveryTime: string;
  timezone: string;
}

export function activeSubscribers(db: Db): ScheduledSubscriber[] {
  return db
    .prepare(
      `SELECT id, platform, language, delivery_time AS deliveryTime, timezone FROM subscribers WHERE active = 1 ORDER BY id`,
    )
    .all() as ScheduledSubscriber[];
}

export function wasDelivered(db: Db, subscriberId: number, localDate: string): boolean {
  return db.prepare('SELECT 1 FROM deliveries WHERE subscriber_id = ? AND local_date = ?').get(subscriberId, localDate) !== undefined;
}

/** Records the day's delivery; false when that day was already recorded (nothing changes). */
export function recordDelivery(db: Db, subscriberId: number, localDate: string, briefId: number, at: Date): boolean {
  const info = db
    .prepare('INSERT OR IGNORE INTO deliveries (subscriber_id, local_date, brief_id, created_at) VALUES (?, ?, ?, ?)')
    .run(subscriberId, localDate, briefId, at.toISOString());
  return info.changes === 1;
}

/** The newest brief for an edition written at or after `since`, i.e. still fresh; never one written from no data. */
export function freshBriefId(db: Db, edition: string, since: Date): number | null {
  const row = db
    .prepare(
      `SELECT id FROM briefs WHERE edition = ? AND created_at >= ? AND run_id IN (SELECT id FROM runs WHERE ok_sources > 0)
       ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get(edition, since.toISOString()) as { id: number } | undefined;
  return row?.id ?? null;
}
