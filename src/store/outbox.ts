/**
 * The outbox: one row per (brief, subscriber), the record that makes a delivery happen once.
 *
 * States: pending -> queued (claimed by a worker process) -> sending (an API call is in
 * flight; committed before the call) -> sent | retry (5xx/network, waits next_attempt_at)
 * | dropped (chat gone) | failed (gave up).
 * Every transition is its own committed statement, so a kill -9 at any point leaves a
 * state that says exactly what may have happened.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Db } from './db.ts';

export const OUTBOX_STATES = ['pending', 'queued', 'sending', 'retry', 'sent', 'dropped', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxRow {
  id: number;
  briefId: number;
  subscriberId: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  /** Ids of the messages (parts) the platform accepted, in order. */
  messageIds: string[];
  ambiguous: number;
}

interface Row {
  id: number;
  brief_id: number;
  subscriber_id: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  message_ids: string | null;
  ambiguous: number;
}

const IdsSchema = z.array(z.string());

/** Prepared statements per connection: a broadcast runs these thousands of times. */
const statements = new WeakMap<Db, Map<string, Database.Statement>>();
function stmt(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

function toRow(r: Row): OutboxRow {
  return {
    id: r.id,
    briefId: r.brief_id,
    subscriberId: r.subscriber_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    messageIds: r.message_ids ? IdsSchema.parse(JSON.parse(r.message_ids)) : [],
    ambiguous: r.ambiguous,
  };
}

/**
 * One row per subscriber for this brief; rows that already exist (any state) are left alone,
 * so enqueueing twice, or again after a crash, never sends twice.
 * @returns how many rows were added.
 * @example enqueue(db, briefId, [1, 2, 3], new Date()) // 3, then 0 the second time
 */
export function enqueue(db: Db, briefId: number, subscriberIds: readonly number[], now: Date): number {
  const insert = stmt(db, 
    `INSERT OR IGNORE INTO outbox (brief_id, subscriber_id, state, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?)`,
  );
  const at = now.toISOString();
  return db.transaction(() => {
    let added = 0;
    for (const id of subscriberIds) added += insert.run(briefId, id, at, at).changes;
    return added;
  })();
}

export interface ClaimFilter {
  briefId?: number;
  /** Only rows for these platforms (the ones a worker has adapters for). */
  platforms?: readonly string[];
}

/**
 * Takes up to `limit` due rows (pending, or retry whose time has come) for `owner`, in one
 * transaction, so two workers never hold the same row.
 */
export function claim(db: Db, owner: string, limit: number, now: Date, filter: ClaimFilter = {}): OutboxRow[] {
  if (limit <= 0) return [];
  const platforms = filter.platforms ? JSON.stringify(filter.platforms) : null;
  const select = stmt(db, 
    `SELECT o.* FROM outbox o JOIN subscribers s ON s.id = o.subscriber_id
     WHERE o.state IN ('pending', 'retry') AND (o.state = 'pending' OR o.next_attempt_at <= @now)
       AND (@briefId IS NULL OR o.brief_id = @briefId)
       AND (@platforms IS NULL OR s.platform IN (SELECT value FROM json_each(@platforms)))
     ORDER BY o.id LIMIT @limit`,
  );
  const update = stmt(db, `UPDATE outbox SET state = 'queued', claim_owner = ?, updated_at = ? WHERE id = ?`);
  const at = now.toISOString();
  return db.transaction(() => {
    const rows = (select.all({ now: at, briefId: filter.briefId ?? null, platforms, limit }) as Row[]).map(toRow);
    for (const row of rows) update.run(owner, at, row.id);
    return rows.map((r) => ({ ...r, state: 'queued' as const }));
  })();
}

/** Committed before the API call: from here until `recordPart`, a kill leaves the send ambiguous. */
export function markSending(db: Db, id: number, now: Date): void {
  stmt(db, `UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ?`).run(now.toISOString(), id);
}

/**
 * Records an accepted message right after the API answered. With `done`, the row is sent;
 * otherwise it goes back to queued until the next part's `markSending`.
 */
export function recordPart(db: Db, id: number, messageIds: readonly string[], done: boolean, now: Date): void {
  const at = now.toISOString();
  stmt(db, 
    `UPDATE outbox SET message_ids = ?, state = ?, sent_at = CASE WHEN ? THEN ? ELSE sent_at END, last_error = NULL, updated_at = ? WHERE id = ?`,
  ).run(JSON.stringify(messageIds), done ? 'sent' : 'queued', done ? 1 : 0, at, at, id);
}

export function markSent(db: Db, id: number, messageIds: readonly string[], now: Date): void {
  recordPart(db, id, messageIds, true, now);
}

/** A failed attempt that may work later (5xx, network); counts toward the attempt limit. */
export function markRetry(db: Db, id: number, error: string, nextAttemptAt: Date, now: Date): void {
  stmt(db, 
    `UPDATE outbox SET state = 'retry', attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claim_owner = NULL, updated_at = ? WHERE id = ?`,
  ).run(error, nextAttemptAt.toISOString(), now.toISOString(), id);
}

/** Back to queued without counting an attempt (after a 429 or a chat migration). */
export function requeue(db: Db, id: number, note: string | null, now: Date): void {
  stmt(db, `UPDATE outbox SET state = 'queued', last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?`).run(note, now.toISOString(), id);
}

/** Gave up: retries exhausted or an error retrying cannot fix. */
export function markFailed(db: Db, id: number, reason: string, now: Date, countAttempt = true): void {
  stmt(db, 
    `UPDATE outbox SET state = 'failed', attempts = attempts + ?, last_error = ?, claim_owner = NULL, updated_at = ? WHERE id = ?`,
  ).run(countAttempt ? 1 : 0, reason, now.toISOString(), id);
}

/** The chat is gone (blocked, kicked, deleted): never retried. */
export function markDropped(db: Db, id: number, reason: string, now: Date): void {
  stmt(db, `UPDATE outbox SET state = 'dropped', last_error = ?, claim_owner = NULL, updated_at = ? WHERE id = ?`).run(
    reason,
    now.toISOString(),
    id,
  );
}

/** Gives back rows this owner claimed but did not start (a worker stopping early). */
export function release(db: Db, owner: string, now: Date): number {
  return db
    .prepare(`UPDATE outbox SET state = 'pending', claim_owner = NULL, updated_at = ? WHERE state = 'queued' AND claim_owner = ?`)
    .run(now.toISOString(), owner).changes;
}

/** Stands in for the id of a message that may have been delivered before a crash ('skip' policy). */
export const UNKNOWN_MESSAGE_ID = '?';

/** What to do with a row a dead process left in 'sending' (see recoverAbandoned). */
export type AmbiguousPolicy = 'resend' | 'skip';

export interface RecoveryReport {
  /** Claimed but never started: safe to send. */
  released: number;
  /** Left mid-send: the platform may or may not have the message. */
  ambiguous: number;
}

/**
 * Takes back rows held by owners that are no longer running. Queued rows simply return to
 * pending. A 'sending' row is the one unavoidable ambiguity: the process died after marking
 * it and before recording the answer, so the message may have been accepted. 'resend'
 * (default) sends it again and counts it in `ambiguous` (at worst one duplicate, never a
 * loss); 'skip' counts that message as delivered with id '?' and goes on with any later
 * parts (never a duplicate, possibly one lost message).
 */
export function recoverAbandoned(
  db: Db,
  isAbandoned: (owner: string | null, updatedAt: string) => boolean,
  policy: AmbiguousPolicy,
  now: Date,
): RecoveryReport {
  const at = now.toISOString();
  return db.transaction((): RecoveryReport => {
    const rows = stmt(db, `SELECT id, state, claim_owner, updated_at, message_ids FROM outbox WHERE state IN ('queued', 'sending')`).all() as {
      id: number;
      state: 'queued' | 'sending';
      claim_owner: string | null;
      updated_at: string;
      message_ids: string | null;
    }[];
    const report: RecoveryReport = { released: 0, ambiguous: 0 };
    for (const row of rows) {
      if (!isAbandoned(row.claim_owner, row.updated_at)) continue;
      if (row.state === 'queued') {
        stmt(db, `UPDATE outbox SET state = 'pending', claim_owner = NULL, updated_at = ? WHERE id = ?`).run(at, row.id);
        report.released++;
        continue;
      }
      const ids = row.message_ids ? IdsSchema.parse(JSON.parse(row.message_ids)) : [];
      const note = `process stopped while sending message ${ids.length + 1}; it may have been delivered`;
      if (policy === 'resend') {
        stmt(db, 
          `UPDATE outbox SET state = 'pending', claim_owner = NULL, ambiguous = ambiguous + 1, last_error = ?, updated_at = ? WHERE id = ?`,
        ).run(`${note}; resent`, at, row.id);
      } else {
        // Count that message as delivered (its id unknown) and carry on with any later parts.
        stmt(db, 
          `UPDATE outbox SET state = 'pending', claim_owner = NULL, ambiguous = ambiguous + 1, message_ids = ?, last_error = ?, updated_at = ? WHERE id = ?`,
        ).run(JSON.stringify([...ids, UNKNOWN_MESSAGE_ID]), `${note}; not resent`, at, row.id);
      }
      report.ambiguous++;
    }
    return report;
  })();
}

/** The earliest time a retry row becomes due, or null when none waits. */
export function nextRetryAt(db: Db, filter: ClaimFilter = {}): Date | null {
  const platforms = filter.platforms ? JSON.stringify(filter.platforms) : null;
  const row = db
    .prepare(
      `SELECT MIN(o.next_attempt_at) AS at FROM outbox o JOIN subscribers s ON s.id = o.subscriber_id
       WHERE o.state = 'retry' AND (@briefId IS NULL OR o.brief_id = @briefId)
         AND (@platforms IS NULL OR s.platform IN (SELECT value FROM json_each(@platforms)))`,
    )
    .get({ briefId: filter.briefId ?? null, platforms }) as { at: string | null };
  return row.at ? new Date(row.at) : null;
}

export function getOutboxRow(db: Db, id: number): OutboxRow | null {
  const row = stmt(db, 'SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
  return row ? toRow(row) : null;
}

export function outboxRowsForBrief(db: Db, briefId: number): OutboxRow[] {
  return (stmt(db, 'SELECT * FROM outbox WHERE brief_id = ? ORDER BY id').all(briefId) as Row[]).map(toRow);
}

export type OutboxCounts = Record<OutboxState, number> & { ambiguous: number; total: number };

/** Rows by state (for one brief or all), plus how many went through a crash ambiguity. */
export function outboxCounts(db: Db, briefId?: number): OutboxCounts {
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as OutboxCounts;
  counts.ambiguous = 0;
  counts.total = 0;
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n, SUM(ambiguous > 0) AS amb FROM outbox WHERE (@b IS NULL OR brief_id = @b) GROUP BY state')
    .all({ b: briefId ?? null }) as { state: OutboxState; n: number; amb: number }[];
  for (const r of rows) {
    if (r.state in counts) counts[r.state] += r.n;
    counts.ambiguous += r.amb;
    counts.total += r.n;
  }
  return counts;
}
