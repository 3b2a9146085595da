/**
 * Subscribers: one row per (platform, chat). Telegram private chats, groups and channels
 * today; Discord channels and webhooks use the same table with their own platform name.
 */
import { z } from 'zod';
import type { Db } from './db.ts';

export interface Subscriber {
  id: number;
  platform: string;
  /** The platform's chat id as text (Telegram ids can exceed 2^31; Discord ids exceed 2^53). */
  chatId: string;
  /** The Telegram forum topic (message_thread_id) this subscription posts into; null: the chat itself. */
  threadId?: number | null;
  /** 'private' | 'group' | 'supergroup' | 'channel' on Telegram; platforms may add their own. */
  kind: string;
  title: string | null;
  language: string;
  /** Local "HH:MM". */
  deliveryTime: string;
  /** A zone Intl understands ("Europe/Berlin", "UTC", "Etc/GMT-3"). */
  timezone: string;
  /** Topic filter; empty means everything. */
  topics: string[];
  /** Whether the market card goes before the brief (`/card off|on`); absent counts as on. */
  card?: boolean;
  active: boolean;
  inactiveReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewSubscriber {
  platform: string;
  chatId: string;
  /** A Telegram forum topic; absent/null: the chat itself. */
  threadId?: number | null;
  kind?: string;
  title?: string | null;
  language?: string;
  deliveryTime?: string;
  timezone?: string;
  topics?: string[];
}

export interface SubscriberSettings {
  language?: string;
  deliveryTime?: string;
  timezone?: string;
  topics?: string[];
  /** The market card before the brief (`/card off|on`). */
  card?: boolean;
}

interface Row {
  id: number;
  platform: string;
  chat_id: string;
  thread_id: number;
  kind: string;
  title: string | null;
  language: string;
  delivery_time: string;
  timezone: string;
  topics_json: string;
  card: number;
  active: number;
  inactive_reason: string | null;
  created_at: string;
  updated_at: string;
}

const TopicsSchema = z.array(z.string());

function toSubscriber(row: Row): Subscriber {
  let topics: string[] = [];
  try {
    topics = TopicsSchema.parse(JSON.parse(row.topics_json));
  } catch {
    // A hand-edited row with bad JSON means "no filter", not a crash in the delivery loop.
  }
  return {
    id: row.id,
    platform: row.platform,
    chatId: String(row.chat_id),
    threadId: row.thread_id ? row.thread_id : null,
    kind: row.kind,
    title: row.title,
    language: row.language,
    deliveryTime: row.delivery_time,
    timezone: row.timezone,
    topics,
    card: row.card !== 0,
    active: row.active === 1,
    inactiveReason: row.inactive_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface UpsertResult {
  subscriber: Subscriber;
  created: boolean;
  /** It existed but was inactive (stopped, blocked) and is active again. */
  reactivated: boolean;
}

/**
 * Adds a subscriber, or reactivates and updates the existing one for the same chat. Settings
 * not given keep their stored value (or the defaults for a new row).
 * @example upsertSubscriber(db, { platform: 'telegram', chatId: '-1001234', kind: 'channel' }, new Date())
 */
export function upsertSubscriber(db: Db, input: NewSubscriber, now: Date): UpsertResult {
  return db.transaction((): UpsertResult => {
    const existing = getSubscriber(db, input.platform, input.chatId, input.threadId ?? null);
    const at = now.toISOString();
    if (existing) {
      db.prepare(
        `UPDATE subscribers SET active = 1, inactive_reason = NULL, kind = @kind, title = @title, language = @language,
           delivery_time = @deliveryTime, timezone = @timezone, topics_json = @topics, updated_at = @at WHERE id = @id`,
      ).run({
        id: existing.id,
        kind: input.kind ?? existing.kind,
        title: input.title !== undefined ? input.title : existing.title,
        language: input.language ?? existing.language,
        deliveryTime: input.deliveryTime ?? existing.deliveryTime,
        timezone: input.timezone ?? existing.timezone,
        topics: JSON.stringify(input.topics ?? existing.topics),
        at,
      });
      return { subscriber: getSubscriberById(db, existing.id)!, created: false, reactivated: !existing.active };
    }
    const info = db
      .prepare(
        `INSERT INTO subscribers (platform, chat_id, thread_id, kind, title, language, delivery_time, timezone, topics_json, active, created_at, updated_at)
         VALUES (@platform, @chatId, @threadId, @kind, @title, @language, @deliveryTime, @timezone, @topics, 1, @at, @at)`,
      )
      .run({
        platform: input.platform,
        chatId: input.chatId,
        threadId: input.threadId ?? 0,
        kind: input.kind ?? 'private',
        title: input.title ?? null,
        language: input.language ?? 'en',
        deliveryTime: input.deliveryTime ?? '07:30',
        timezone: input.timezone ?? 'UTC',
        topics: JSON.stringify(input.topics ?? []),
        at,
      });
    return { subscriber: getSubscriberById(db, Number(info.lastInsertRowid))!, created: true, reactivated: false };
  })();
}

/** The chat's own subscription, or with `threadId` the one of that forum topic. */
export function getSubscriber(db: Db, platform: string, chatId: string, threadId: number | null = null): Subscriber | null {
  const row = db.prepare('SELECT * FROM subscribers WHERE platform = ? AND chat_id = ? AND thread_id = ?').get(platform, chatId, threadId ?? 0) as
    | Row
    | undefined;
  return row ? toSubscriber(row) : null;
}

/** Every subscription of one chat: the chat's own and each of its forum topics'. */
export function subscriptionsOfChat(db: Db, platform: string, chatId: string): Subscriber[] {
  const rows = db.prepare('SELECT * FROM subscribers WHERE platform = ? AND chat_id = ? ORDER BY thread_id').all(platform, chatId) as Row[];
  return rows.map(toSubscriber);
}

/** One prepared statement per connection: a broadcast looks up every subscriber (a statement each was native memory by the MB). */
const byIdStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();

export function getSubscriberById(db: Db, id: number): Subscriber | null {
  let byId = byIdStatements.get(db);
  if (!byId) byIdStatements.set(db, (byId = db.prepare('SELECT * FROM subscribers WHERE id = ?')));
  const row = byId.get(id) as Row | undefined;
  return row ? toSubscriber(row) : null;
}

export interface SubscriberFilter {
  platform?: string;
  active?: boolean;
  language?: string;
  /** Only subscribers whose topic filter is empty or includes one of these. */
  topics?: string[];
}

/** @example listSubscribers(db, { platform: 'telegram', active: true }) */
export function listSubscribers(db: Db, filter: SubscriberFilter = {}): Subscriber[] {
  const rows = db
    .prepare(
      `SELECT * FROM subscribers WHERE (@platform IS NULL OR platform = @platform)
         AND (@active IS NULL OR active = @active) AND (@language IS NULL OR language = @language) ORDER BY id`,
    )
    .all({
      platform: filter.platform ?? null,
      active: filter.active === undefined ? null : filter.active ? 1 : 0,
      language: filter.language ?? null,
    }) as Row[];
  const subs = rows.map(toSubscriber);
  const wanted = filter.topics;
  if (!wanted || wanted.length === 0) return subs;
  return subs.filter((s) => s.topics.length === 0 || s.topics.some((t) => wanted.includes(t)));
}

/**
 * Deletes a subscriber and its outbox and delivery history (the rows reference it).
 * @returns false when there was no such subscriber.
 */
export function removeSubscriber(db: Db, platform: string, chatId: string, threadId: number | null = null): boolean {
  return db.transaction(() => {
    const sub = getSubscriber(db, platform, chatId, threadId);
    if (!sub) return false;
    db.prepare('DELETE FROM outbox WHERE subscriber_id = ?').run(sub.id);
    db.prepare('DELETE FROM deliveries WHERE subscriber_id = ?').run(sub.id);
    db.prepare('DELETE FROM subscribers WHERE id = ?').run(sub.id);
    return true;
  })();
}

/** Stops (or resumes) deliveries; `reason` says why, e.g. "403: bot was blocked by the user". */
export function setActive(db: Db, id: number, active: boolean, reason: string | null, now: Date): void {
  db.prepare('UPDATE subscribers SET active = ?, inactive_reason = ?, updated_at = ? WHERE id = ?').run(
    active ? 1 : 0,
    active ? null : reason,
    now.toISOString(),
    id,
  );
}

export type ChatIdUpdate =
  | { ok: true; subscriber: Subscriber }
  /** Another row already holds the new id (the supergroup subscribed itself too). */
  | { ok: false; existing: Subscriber };

/**
 * Moves a subscriber to a new chat id (a Telegram group upgraded to a supergroup).
 * When the new id is already subscribed, the old row is deactivated instead and the other
 * row is returned, so the chat is never subscribed twice.
 */
export function updateChatId(db: Db, id: number, newChatId: string, now: Date): ChatIdUpdate {
  return db.transaction((): ChatIdUpdate => {
    const sub = getSubscriberById(db, id);
    if (!sub) throw new Error(`no subscriber ${id}`);
    const clash = getSubscriber(db, sub.platform, newChatId, sub.threadId);
    if (clash && clash.id !== id) {
      setActive(db, id, false, `migrated to ${newChatId} (already subscribed)`, now);
      return { ok: false, existing: clash };
    }
    db.prepare("UPDATE subscribers SET chat_id = ?, kind = CASE WHEN kind = 'group' THEN 'supergroup' ELSE kind END, updated_at = ? WHERE id = ?").run(
      newChatId,
      now.toISOString(),
      id,
    );
    return { ok: true, subscriber: getSubscriberById(db, id)! };
  })();
}

/** Changes delivery settings; only the given fields. */
export function updateSettings(db: Db, id: number, settings: SubscriberSettings, now: Date): Subscriber | null {
  const sets: string[] = [];
  const params: Record<string, unknown> = { id, at: now.toISOString() };
  if (settings.language !== undefined) (sets.push('language = @language'), (params.language = settings.language));
  if (settings.deliveryTime !== undefined) (sets.push('delivery_time = @deliveryTime'), (params.deliveryTime = settings.deliveryTime));
  if (settings.timezone !== undefined) (sets.push('timezone = @timezone'), (params.timezone = settings.timezone));
  if (settings.topics !== undefined) (sets.push('topics_json = @topics'), (params.topics = JSON.stringify(settings.topics)));
  if (settings.card !== undefined) (sets.push('card = @card'), (params.card = settings.card ? 1 : 0));
  if (sets.length > 0) db.prepare(`UPDATE subscribers SET ${sets.join(', ')}, updated_at = @at WHERE id = @id`).run(params);
  return getSubscriberById(db, id);
}

export interface SubscriberCounts {
  active: number;
  inactive: number;
  byKind: Record<string, number>;
}

/** Active/inactive totals and active subscribers by kind, for /stats and `subscribers list`. */
export function countSubscribers(db: Db, platform?: string): SubscriberCounts {
  const rows = db
    .prepare('SELECT kind, active, COUNT(*) AS n FROM subscribers WHERE (@platform IS NULL OR platform = @platform) GROUP BY kind, active')
    .all({ platform: platform ?? null }) as { kind: string; active: number; n: number }[];
  const counts: SubscriberCounts = { active: 0, inactive: 0, byKind: {} };
  for (const r of rows) {
    if (r.active === 1) {
      counts.active += r.n;
      counts.byKind[r.kind] = (counts.byKind[r.kind] ?? 0) + r.n;
    } else counts.inactive += r.n;
  }
  return counts;
}
