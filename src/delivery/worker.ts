/**
 * The delivery worker: drains the outbox concurrently through each platform's limiter.
 *
 * Per message: wait for the limiter, commit 'sending', call the API, commit the message id
 * (and 'sent' after the last part) the moment the answer arrives. A kill -9 therefore
 * leaves every row in a state that says what may have happened; on the next start rows a
 * dead process held are taken back (recoverAbandoned). Only a row caught in 'sending' is
 * ambiguous, i.e. at most the messages in flight at the kill (bounded by maxInFlight, and
 * in practice the few whose request was on the wire).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Brief } from '../domain.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import {
  claim,
  enqueue,
  markDropped,
  markFailed,
  markRetry,
  markSending,
  markSent,
  nextRetryAt,
  outboxCounts,
  recordPart,
  recoverAbandoned,
  release,
  requeue,
  type AmbiguousPolicy,
  type ClaimFilter,
  type OutboxRow,
} from '../store/outbox.ts';
import { getBrief, type StoredBrief } from '../store/runs.ts';
import { briefForTopics } from './topic-filter.ts';
import { getSubscriberById, listSubscribers, setActive, updateChatId, type Subscriber, type SubscriberFilter } from '../store/subscribers.ts';
import { realSleep, type SleepFn } from '../util/http.ts';
import { GroupCommit } from './group-commit.ts';
import { Limiter, TELEGRAM_LIMITS, type LimiterRules } from './limiter.ts';
import type { DeliveryAdapter, DeliveryReport, PlatformCounts } from './types.ts';

/** This process's claim on outbox rows: pid plus a per-boot id (a container may reuse pid 1). */
export const PROCESS_OWNER = `${process.pid}:${randomUUID().slice(0, 8)}`;

export interface DeliverDeps {
  db: Db;
  adapters: readonly DeliveryAdapter[];
  /** Attempts for 5xx/network errors before a row is recorded as failed (config delivery.maxAttempts). */
  maxAttempts: number;
  now?: () => Date;
  sleep?: SleepFn;
  log?: Logger;
  /** Only rows of this brief. */
  briefId?: number;
  /** Rows held at once (claimed and waiting for the limiter or the API). */
  maxInFlight?: number;
  /** Backoff for retries: baseMs * 2^attempt, capped. */
  backoff?: { baseMs: number; maxMs: number };
  /** Rows a dead process left mid-send: 'resend' (default; never lost) or 'skip' (never doubled). */
  ambiguousPolicy?: AmbiguousPolicy;
  /** Stops claiming; in-flight sends finish, claimed rows go back to pending. */
  signal?: AbortSignal;
  /** A row claimed by a live process but untouched this long is taken back anyway. */
  staleAfterMs?: number;
  isProcessAlive?: (pid: number) => boolean;
  /** Overrides PROCESS_OWNER (tests simulate several processes). */
  owner?: string;
  /** Limiters by platform; by default one per adapter, shared by every drain in the process. */
  limiters?: ReadonlyMap<string, Limiter>;
}

const sharedLimiters = new WeakMap<DeliveryAdapter, Limiter>();

function limiterFor(adapter: DeliveryAdapter, deps: DeliverDeps, now: () => Date, sleep: SleepFn): Limiter {
  const given = deps.limiters?.get(adapter.platform);
  if (given) return given;
  let limiter = sharedLimiters.get(adapter);
  if (!limiter) {
    const rules: LimiterRules = { ...TELEGRAM_LIMITS, ...stripUndefined(adapter.limits ?? {}) };
    limiter = new Limiter(rules, { now: () => now().getTime(), sleep });
    sharedLimiters.set(adapter, limiter);
  }
  return limiter;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function emptyReport(): DeliveryReport {
  return { sent: 0, dropped: 0, failed: 0, retried: 0, rateLimited: 0, migrated: 0, ambiguous: 0, messages: 0, durationMs: 0, aborted: null, byPlatform: {} };
}

type CountKey = keyof PlatformCounts;

/** Adds one to a count, in the totals and in the platform's share. */
function count(report: DeliveryReport, platform: string, key: CountKey): void {
  report[key]++;
  const counts = (report.byPlatform[platform] ??= { sent: 0, failed: 0, dropped: 0, retried: 0, rateLimited: 0 });
  counts[key]++;
}

/** 429s in a row for one row before it counts as a failed attempt (a platform stuck in 429). */
const MAX_RATE_LIMITS_PER_ROW = 10;
const MAX_MIGRATIONS_PER_ROW = 3;

/**
 * Sends everything due in the outbox (optionally one brief's rows) and resolves when nothing
 * due is left, retries included.
 * @example const report = await deliverPending({ db, adapters: [telegram], maxAttempts: 5 });
 */
export async function deliverPending(deps: DeliverDeps): Promise<DeliveryReport> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? realSleep;
  const owner = deps.owner ?? PROCESS_OWNER;
  // At least a quarter second of sends at the fastest platform's rate, so claims (one commit
  // each) stay few and the wire never waits for rows: 250 at Telegram's paid 1000/s.
  const fastest = Math.max(0, ...deps.adapters.map((a) => a.limits?.globalPerSecond ?? TELEGRAM_LIMITS.globalPerSecond));
  const maxInFlight = Math.max(deps.maxInFlight ?? 64, Math.ceil(fastest / 4));
  const backoff = deps.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 };
  const staleAfterMs = deps.staleAfterMs ?? 10 * 60_000;
  const isAlive = deps.isProcessAlive ?? defaultIsAlive;
  const startedAt = now().getTime();
  const report = emptyReport();
  const adapters = new Map(deps.adapters.map((a) => [a.platform, a]));
  const filter: ClaimFilter = { platforms: [...adapters.keys()], ...(deps.briefId !== undefined ? { briefId: deps.briefId } : {}) };

  const isAbandoned = (rowOwner: string | null, updatedAt: string): boolean => {
    if (rowOwner === owner) return false;
    if (rowOwner === null) return true;
    const pid = Number(rowOwner.split(':')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) return true;
    if (!isAlive(pid)) return true;
    return now().getTime() - Date.parse(updatedAt) > staleAfterMs;
  };
  const recovered = recoverAbandoned(db, isAbandoned, deps.ambiguousPolicy ?? 'resend', now());
  report.ambiguous = recovered.ambiguous;
  if (recovered.ambiguous > 0) {
    deps.log?.warn({ ambiguous: recovered.ambiguous, policy: deps.ambiguousPolicy ?? 'resend' }, 'rows left mid-send by a stopped process');
  }

  // Per-message marks share transactions; any other write flushes them first (order matters).
  const commits = new GroupCommit(db);
  // A lost 'sent' mark only makes the row look ambiguous to the next start: log, go on.
  const logWriteError = (err: unknown) => deps.log?.error({ err }, 'could not record a delivered message');
  const direct = <T>(write: () => T): T => {
    commits.flushNow();
    return write();
  };

  const stop = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;
  // Every waiting row listens on it; hundreds are normal, not a leak.
  setMaxListeners(0, signal);
  const briefs = new Map<number, StoredBrief | null>();
  /** The subscriber's view of a stored brief (their /topics applied). */
  const loadBrief = (id: number, topics: readonly string[]): Brief | null => {
    if (!briefs.has(id)) briefs.set(id, getBrief(db, id));
    const stored = briefs.get(id);
    return stored ? briefForTopics(stored.brief, stored.stories, topics) : null;
  };

  /** One row, start to end; every exit leaves the row in a final or re-claimable state. */
  async function run(row: OutboxRow): Promise<void> {
    let sub = getSubscriberById(db, row.subscriberId);
    if (!sub || !sub.active) {
      direct(() => markDropped(db, row.id, sub ? `subscriber inactive: ${sub.inactiveReason ?? 'stopped'}` : 'subscriber removed', now()));
      count(report, sub?.platform ?? 'unknown', 'dropped');
      return;
    }
    const adapter = adapters.get(sub.platform)!;
    const brief = loadBrief(row.briefId, sub.topics);
    if (!brief) {
      direct(() => markFailed(db, row.id, `brief ${row.briefId} not found`, now(), false));
      count(report, sub.platform, 'failed');
      return;
    }
    const limiter = limiterFor(adapter, deps, now, sleep);
    let delivered = [...row.messageIds];
    let rateLimits = 0;
    let migrations = 0;
    for (;;) {
      const target: Subscriber = sub;
      const chatKey = `${target.platform}:${target.chatId}`;
      const isGroup = adapter.isGroup ? adapter.isGroup(target) : target.kind !== 'private';
      let stoppedWaiting = false;
      const waitTurn = async () => {
        try {
          await limiter.acquire(chatKey, isGroup, signal);
        } catch (err) {
          stoppedWaiting = true;
          throw err;
        }
        // Durable before the request leaves: a crash from here on is visible as 'sending'.
        try {
          await commits.run(() => markSending(db, row.id, now()));
        } catch (err) {
          limiter.cancelGrant();
          throw err;
        }
        try {
          await limiter.onWire(chatKey, isGroup, signal);
        } catch (err) {
          // Stopped before the request left: not ambiguous, just not sent.
          stoppedWaiting = true;
          await commits.run(() => requeue(db, row.id, null, now()));
          throw err;
        }
      };
      try {
        await waitTurn();
        const result = await adapter.send(target, brief, {
          delivered,
          beforeNext: waitTurn,
          onDelivered(messageId) {
            delivered = [...delivered, messageId];
            report.messages++;
            const ids = delivered;
            commits.run(() => recordPart(db, row.id, ids, false, now())).catch(logWriteError);
          },
          signal,
          briefId: row.briefId,
        });
        // Adapters that ignore the context still report every id.
        if (result.messageIds.length > delivered.length) report.messages += result.messageIds.length - delivered.length;
        const ids = result.messageIds.length >= delivered.length ? result.messageIds : delivered;
        commits.run(() => markSent(db, row.id, ids, now())).catch(logWriteError);
        count(report, target.platform, 'sent');
        return;
      } catch (err) {
        // Stopped while waiting for the limiter: nothing was sent; the row is still queued.
        if (stoppedWaiting && signal.aborted) return;
        const verdict = adapter.classify(err);
        commits.flushNow();
        const at = now();
        switch (verdict.kind) {
          case 'rate_limited': {
            count(report, target.platform, 'rateLimited');
            // A platform whose 429 does not name its scope (Telegram): guess from our own pacing.
            const scope = verdict.scopeKnown === false ? limiter.likelyScope(chatKey, isGroup) : verdict.global ? 'all' : 'chat';
            if (scope === 'all') limiter.pauseAll(verdict.afterMs);
            else limiter.pauseChat(chatKey, verdict.afterMs);
            if (++rateLimits > MAX_RATE_LIMITS_PER_ROW) {
              retryOrFail(row, target.platform, `still rate limited after ${rateLimits - 1} waits`, verdict.afterMs);
              return;
            }
            requeue(db, row.id, null, at);
            continue;
          }
          case 'retry':
            retryOrFail(row, target.platform, describeError(err), verdict.afterMs);
            return;
          case 'gone':
            // Through the group commit: two fsyncs per gone chat blocked the loop. Lost in a
            // crash, the row is resent once and answers the same.
            commits
              .run(() => {
                setActive(db, target.id, false, verdict.reason, at);
                markDropped(db, row.id, verdict.reason, at);
              })
              .catch(logWriteError);
            count(report, target.platform, 'dropped');
            deps.log?.info({ subscriber: target.id, platform: target.platform, reason: verdict.reason }, 'chat gone; subscriber deactivated');
            return;
          case 'migrate': {
            if (++migrations > MAX_MIGRATIONS_PER_ROW) {
              markFailed(db, row.id, `chat moved more than ${MAX_MIGRATIONS_PER_ROW} times`, at);
              count(report, target.platform, 'failed');
              return;
            }
            const moved = updateChatId(db, target.id, verdict.newChatId, at);
            report.migrated++;
            if (!moved.ok) {
              // The new chat is subscribed already: it gets the brief through its own row.
              if (moved.existing.active) enqueue(db, row.briefId, [moved.existing.id], at);
              markDropped(db, row.id, `chat moved to ${verdict.newChatId}, which is subscribed already`, at);
              count(report, target.platform, 'dropped');
              return;
            }
            sub = moved.subscriber;
            requeue(db, row.id, `chat moved to ${verdict.newChatId}`, at);
            deps.log?.info({ subscriber: target.id, from: target.chatId, to: verdict.newChatId }, 'chat migrated; resending');
            continue;
          }
          case 'fatal':
            if (verdict.global) {
              // Not this row's fault (e.g. the token was revoked): give it back, stop everything.
              requeue(db, row.id, verdict.reason, at);
              if (report.aborted === null) report.aborted = verdict.reason;
              deps.log?.error({ reason: verdict.reason }, 'delivery stopped');
              stop.abort(new Error(verdict.reason));
              return;
            }
            markFailed(db, row.id, verdict.reason, at);
            count(report, target.platform, 'failed');
            deps.log?.error({ row: row.id, subscriber: target.id, reason: verdict.reason }, 'delivery failed');
            return;
        }
      }
    }
  }

  function retryOrFail(row: OutboxRow, platform: string, reason: string, afterMs: number): void {
    const at = now();
    if (row.attempts + 1 >= deps.maxAttempts) {
      markFailed(db, row.id, `gave up after ${row.attempts + 1} attempts: ${reason}`, at);
      count(report, platform, 'failed');
      return;
    }
    const wait = Math.max(afterMs, Math.min(backoff.maxMs, backoff.baseMs * 2 ** row.attempts));
    markRetry(db, row.id, reason, new Date(at.getTime() + wait), at);
    count(report, platform, 'retried');
  }

  const inFlight = new Set<Promise<void>>();
  // One row per chat at a time, in order: parts of one brief, then the next brief.
  const chatTails = new Map<number, Promise<void>>();
  const start = (row: OutboxRow) => {
    const previous = chatTails.get(row.subscriberId) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(() => (signal.aborted ? undefined : run(row)))
      .catch((err: unknown) => {
        deps.log?.error({ err, row: row.id }, 'delivery task crashed');
        try {
          direct(() => markFailed(db, row.id, `internal error: ${describeError(err)}`, now(), false));
          count(report, getSubscriberById(db, row.subscriberId)?.platform ?? 'unknown', 'failed');
        } catch {
          // The database is gone too; the row stays claimed and is recovered on the next start.
        }
      })
      .finally(() => {
        inFlight.delete(task);
        if (chatTails.get(row.subscriberId) === task) chatTails.delete(row.subscriberId);
      });
    chatTails.set(row.subscriberId, task);
    inFlight.add(task);
  };

  try {
    while (!signal.aborted) {
      // Claim in batches (each claim is a transaction, i.e. an fsync): refill at half empty.
      const room = maxInFlight - inFlight.size;
      if (room >= Math.ceil(maxInFlight / 2) || inFlight.size === 0) {
        for (const row of direct(() => claim(db, owner, room, now(), filter))) start(row);
      }
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      const next = direct(() => nextRetryAt(db, filter));
      if (!next) break;
      await sleep(Math.max(0, next.getTime() - now().getTime()), signal).catch(() => undefined);
    }
  } finally {
    await Promise.allSettled([...inFlight]);
    direct(() => release(db, owner, now()));
    await commits.close();
  }
  // The whole truth for a brief: rows flagged by any crash, also those an earlier (killed)
  // run recovered, not only the ones this run found.
  if (deps.briefId !== undefined) report.ambiguous = outboxCounts(db, deps.briefId).ambiguous;
  report.durationMs = now().getTime() - startedAt;
  return report;
}

export interface BroadcastOptions {
  /** Which active subscribers get it (platform, language, topics); default all. */
  filter?: SubscriberFilter;
}

export interface BroadcastReport extends DeliveryReport {
  /** Active subscribers matched. */
  subscribers: number;
  /** New outbox rows (0 when this brief was already queued for all of them). */
  enqueued: number;
}

/**
 * Queues a brief for every active subscriber (of the platforms there are adapters for) and
 * delivers it. Running it again, e.g. after a crash, sends only what was not sent.
 * @example const r = await broadcastBrief(db, briefId, { adapters: [telegram], maxAttempts: 5 });
 */
export async function broadcastBrief(
  db: Db,
  briefId: number,
  deps: Omit<DeliverDeps, 'db' | 'briefId'>,
  options: BroadcastOptions = {},
): Promise<BroadcastReport> {
  const platforms = new Set(deps.adapters.map((a) => a.platform));
  const subs = listSubscribers(db, { ...options.filter, active: true }).filter((s) => platforms.has(s.platform));
  const enqueued = enqueue(db, briefId, subs.map((s) => s.id), (deps.now ?? (() => new Date()))());
  const report = await deliverPending({ ...deps, db, briefId });
  return { ...report, subscribers: subs.length, enqueued };
}

export interface DeliveryLoop {
  /** Drain now (joins a drain already running); resolves with its report. */
  kick(): Promise<DeliveryReport>;
  stop(): Promise<void>;
}

/**
 * Drains the outbox every `intervalMs` and whenever kicked, one drain at a time.
 * @example const loop = startDeliveryLoop({ db, adapters, maxAttempts: 5 }, 30_000); await loop.kick();
 */
export function startDeliveryLoop(
  deps: Omit<DeliverDeps, 'signal'>,
  intervalMs: number,
  /** Sees every drain's report (kicked or periodic), e.g. for metrics. */
  onReport?: (report: DeliveryReport) => void,
): DeliveryLoop {
  const stopper = new AbortController();
  let running: Promise<DeliveryReport> | null = null;
  let next: Promise<DeliveryReport> | null = null;
  const run = (): Promise<DeliveryReport> => {
    const current = deliverPending({ ...deps, signal: stopper.signal })
      .then((report) => {
        onReport?.(report);
        return report;
      })
      .catch((err: unknown) => {
        deps.log?.error({ err }, 'delivery drain failed');
        return { ...emptyReport(), aborted: describeError(err) };
      })
      .finally(() => {
        if (running === current) running = null;
      });
    running = current;
    return current;
  };
  // A kick during a drain gets one follow-up drain (shared by every kick meanwhile), so rows
  // enqueued just as the running drain found nothing left are still sent before it resolves.
  const kick = (): Promise<DeliveryReport> => {
    if (stopper.signal.aborted) return Promise.resolve(emptyReport());
    if (!running) return run();
    next ??= running.then(() => {
      next = null;
      return stopper.signal.aborted ? emptyReport() : run();
    });
    return next;
  };
  const timer = setInterval(() => void kick(), intervalMs);
  timer.unref();
  return {
    kick,
    async stop() {
      clearInterval(timer);
      stopper.abort();
      await next?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}
