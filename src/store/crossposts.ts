/** Publishes (crossposts) owed for messages posted in Discord announcement channels. */
import type { Db } from './db.ts';

export interface CrosspostRow {
  id: number;
  subscriberId: number;
  channelId: string;
  messageId: string;
  attempts: number;
}

/**
 * Records a publish owed for every message sent to an announcement-channel subscriber that has
 * none yet (found from the outbox, so a brief sent before a crash is published after it).
 */
export function collectCrossposts(db: Db, now: Date): number {
  const rows = db
    .prepare(
      `SELECT o.subscriber_id AS subscriberId, s.chat_id AS channelId, o.message_ids AS ids FROM outbox o
       JOIN subscribers s ON s.id = o.subscriber_id
       WHERE s.platform = 'discord' AND s.kind = 'announcement' AND o.state = 'sent' AND o.message_ids IS NOT NULL AND o.sent_at > ?`,
    )
    // A day back: a channel that becomes an announcement channel does not publish its old briefs.
    .all(new Date(now.getTime() - 86_400_000).toISOString()) as { subscriberId: number; channelId: string; ids: string }[];
  const insert = db.prepare(
    `INSERT OR IGNORE INTO crossposts (subscriber_id, channel_id, message_id, created_at) VALUES (?, ?, ?, ?)`,
  );
  let added = 0;
  db.transaction(() => {
    for (const row of rows) {
      let ids: unknown;
      try {
        ids = JSON.parse(row.ids);
      } catch {
        continue;
      }
      if (!Array.isArray(ids)) continue;
      // Only real message ids (a snowflake), not markers other adapters keep there.
      for (const id of ids) if (typeof id === 'string' && /^\d{15,21}$/.test(id)) added += insert.run(row.subscriberId, row.channelId, id, now.toISOString()).changes;
    }
  })();
  return added;
}

/** Pending publishes whose retry time has come, oldest first. */
export function duePublishes(db: Db, now: Date): CrosspostRow[] {
  return db
    .prepare(
      `SELECT id, subscriber_id AS subscriberId, channel_id AS channelId, message_id AS messageId, attempts FROM crossposts
       WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id`,
    )
    .all(now.toISOString()) as CrosspostRow[];
}

/** When each of the channel's publishes of the last hour went out (oldest first). */
export function publishedWithinHour(db: Db, channelId: string, now: Date): Date[] {
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const rows = db
    .prepare(`SELECT published_at AS at FROM crossposts WHERE channel_id = ? AND published_at > ? ORDER BY published_at`)
    .all(channelId, since) as { at: string }[];
  return rows.map((r) => new Date(r.at));
}

export function markPublished(db: Db, id: number, now: Date): void {
  db.prepare(`UPDATE crossposts SET state = 'published', published_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(now.toISOString(), id);
}

/** Not now: try again at `retryAt` (quota, 429, 5xx); `error` null when nothing failed (quota wait). */
export function deferPublish(db: Db, id: number, retryAt: Date, error: string | null): void {
  db.prepare(`UPDATE crossposts SET next_attempt_at = ?, attempts = attempts + ?, last_error = COALESCE(?, last_error) WHERE id = ?`).run(
    retryAt.toISOString(),
    error === null ? 0 : 1,
    error,
    id,
  );
}

export function markPublishFailed(db: Db, id: number, error: string): void {
  db.prepare(`UPDATE crossposts SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`).run(error, id);
}

export function crosspostCounts(db: Db): Record<string, number> {
  const rows = db.prepare(`SELECT state, COUNT(*) AS n FROM crossposts GROUP BY state`).all() as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
