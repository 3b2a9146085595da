/** Which of a brief's outbox rows have not reached their subscriber yet, and why: for `broadcast`'s report. */
import type { Db } from './db.ts';

export interface UndeliveredReason {
  state: string;
  /** The last error recorded for these rows (null: none yet, e.g. still pending). */
  reason: string | null;
  count: number;
}

export interface Undelivered {
  total: number;
  /** Grouped by state and last error, largest group first. */
  reasons: UndeliveredReason[];
}

/**
 * Rows of `briefId` for active subscribers (of `platforms`, in `language` when given) that are
 * neither sent nor dropped (a dropped chat is gone and unsubscribed, not owed anything).
 * @example const u = undeliveredFor(db, 12, { platforms: ['telegram'] }); // { total: 3, reasons: [...] }
 */
export function undeliveredFor(db: Db, briefId: number, filter: { platforms: readonly string[]; language?: string }): Undelivered {
  if (filter.platforms.length === 0) return { total: 0, reasons: [] };
  const rows = db
    .prepare(
      `SELECT o.state AS state, o.last_error AS reason, COUNT(*) AS count
       FROM outbox o JOIN subscribers s ON s.id = o.subscriber_id
       WHERE o.brief_id = @briefId AND o.state NOT IN ('sent', 'dropped') AND s.active = 1
         AND (@language IS NULL OR s.language = @language)
         AND s.platform IN (SELECT value FROM json_each(@platforms))
       GROUP BY o.state, o.last_error ORDER BY count DESC, o.state`,
    )
    .all({ briefId, language: filter.language ?? null, platforms: JSON.stringify(filter.platforms) }) as UndeliveredReason[];
  return { total: rows.reduce((n, r) => n + r.count, 0), reasons: rows };
}
