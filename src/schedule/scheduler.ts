/**
 * The delivery tick: every minute, find the subscribers whose local delivery time has come
 * and who have not had that local day's brief, get a fresh brief for their language (reuse
 * or generate), record the day and enqueue the send in one transaction, then drain the
 * outbox. Missed mornings within the grace window are caught up; older ones are skipped.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { activeSubscribers, freshBriefId, recordDelivery, wasDelivered, type ScheduledSubscriber } from '../store/deliveries.ts';
import { parseLanguage } from '../util/language.ts';
import { addDays, isValidTimeZone, localDate, localTimeToInstant, parseTime } from './local-time.ts';

export interface SchedulerDeps {
  db: Db;
  now: () => Date;
  log: Logger;
  freshMinutes: number;
  graceHours: number;
  /** Writes and stores a new brief for the edition key's language; resolves to its id. */
  generate: (language: string, edition: string) => Promise<number>;
  /** Adds outbox rows; called inside the delivery transaction, so it must be synchronous. */
  enqueue: (briefId: number, subscriberIds: number[]) => void;
  /** Drains the outbox (sends what is pending); kicked after each tick, not awaited by it. */
  deliver: () => Promise<void>;
  /** Each tick's findings, before delivery (e.g. the invalid-subscriber gauge). */
  onTick?: (report: TickReport) => void;
  /** Briefs written ahead at a local time (config delivery.editions). */
  editions?: readonly { time: string; timezone: string; language: string }[];
}

export interface TickReport {
  due: number;
  enqueued: number;
  /** Mornings missed beyond the grace window (counted once per subscriber and day). */
  skipped: number;
  /** Languages whose brief could not be generated this tick; retried next tick. */
  failed: string[];
  /** Subscribers skipped this tick because a stored setting is unusable (zone, time, language). */
  invalid: number;
}

/** Why a stored subscriber row cannot be scheduled, or null when it can. */
export function invalidSetting(sub: ScheduledSubscriber): string | null {
  if (!isValidTimeZone(sub.timezone)) return `time zone "${sub.timezone}" is not known to this system's tzdata`;
  if (parseTime(sub.deliveryTime) !== sub.deliveryTime) return `delivery time "${sub.deliveryTime}" is not HH:MM`;
  if (parseLanguage(sub.language) === null) return `language "${sub.language}" is not a language code`;
  return null;
}

/** Brief editions are keyed by language: one brief (one LLM call) per language per morning. */
export function editionKey(language: string): string {
  return `daily:${language}`;
}

interface Due {
  subscriberId: number;
  language: string;
  localDate: string;
  dueAt: Date;
}

export function createScheduler(deps: SchedulerDeps) {
  const skippedSeen = new Set<string>();
  /** Bad rows already logged (subscriber id -> problem): one warning per problem, not one a minute. */
  const invalidLogged = new Map<number, string>();
  let running: Promise<TickReport> | null = null;
  let task: ScheduledTask | null = null;

  /** One unusable row (a zone a newer tzdata dropped, a hand-edited time) must not stop everyone's tick. */
  function usable(sub: ScheduledSubscriber, problem: string | null): boolean {
    if (problem === null) {
      invalidLogged.delete(sub.id);
      return true;
    }
    if (invalidLogged.get(sub.id) !== problem) {
      invalidLogged.set(sub.id, problem);
      deps.log.warn({ subscriberId: sub.id, platform: sub.platform, problem }, 'subscriber skipped: a stored setting is unusable; fix it with `subscribers add`');
    }
    return false;
  }

  function findDue(now: Date): { due: Due[]; skipped: number; invalid: number } {
    const graceMs = deps.graceHours * 3600_000;
    const due: Due[] = [];
    let skipped = 0;
    let invalid = 0;
    for (const sub of activeSubscribers(deps.db)) {
      let problem = invalidSetting(sub);
      if (problem === null) {
        try {
          findDueFor(sub, now, graceMs, due, () => skipped++);
        } catch (err) {
          // Intl throws RangeError for a zone it cannot use; anything else (the database) is not this row's fault.
          if (!(err instanceof RangeError)) throw err;
          problem = `its schedule could not be computed: ${err.message}`;
        }
      }
      if (!usable(sub, problem)) invalid++;
    }
    return { due, skipped, invalid };
  }

  function findDueFor(sub: ScheduledSubscriber, now: Date, graceMs: number, due: Due[], countSkipped: () => void): void {
    const today = localDate(now, sub.timezone);
    // Yesterday too: a 23:50 delivery is still owed at 00:10.
    for (const date of [addDays(today, -1), today]) {
      const dueAt = localTimeToInstant(date, sub.deliveryTime, sub.timezone);
      if (dueAt > now || wasDelivered(deps.db, sub.id, date)) continue;
      if (now.getTime() - dueAt.getTime() > graceMs) {
        const key = `${sub.id}@${date}`;
        // Only mornings the service was meant to cover (not days before a subscriber joined).
        if (!skippedSeen.has(key) && date === today) {
          skippedSeen.add(key);
          countSkipped();
        }
        continue;
      }
      due.push({ subscriberId: sub.id, language: sub.language, localDate: date, dueAt });
    }
  }

  async function briefFor(language: string, now: Date): Promise<number> {
    const edition = editionKey(language);
    const fresh = freshBriefId(deps.db, edition, new Date(now.getTime() - deps.freshMinutes * 60_000));
    return fresh ?? (await deps.generate(language, edition));
  }

  /** Writes each edition once its local time has come, unless a brief was written since then. */
  async function writeEditions(now: Date, failed: string[]): Promise<void> {
    for (const edition of deps.editions ?? []) {
      const at = localTimeToInstant(localDate(now, edition.timezone), edition.time, edition.timezone);
      if (at > now || now.getTime() - at.getTime() > deps.graceHours * 3600_000) continue;
      const key = editionKey(edition.language);
      if (freshBriefId(deps.db, key, at) !== null) continue;
      try {
        await deps.generate(edition.language, key);
      } catch (err) {
        failed.push(edition.language);
        deps.log.error({ err, edition }, 'edition could not be written; will retry next tick');
      }
    }
  }

  async function runTick(): Promise<TickReport> {
    const now = deps.now();
    const failed: string[] = [];
    await writeEditions(now, failed);
    const { due, skipped, invalid } = findDue(now);
    if (skipped > 0) deps.log.warn({ skipped }, 'mornings missed beyond the grace window were skipped');
    const report: TickReport = { due: due.length, enqueued: 0, skipped, failed, invalid };
    deps.onTick?.(report);
    const byLanguage = new Map<string, Due[]>();
    for (const d of due) byLanguage.set(d.language, [...(byLanguage.get(d.language) ?? []), d]);
    for (const [language, group] of byLanguage) {
      let briefId: number;
      try {
        briefId = await briefFor(language, now);
      } catch (err) {
        // Nothing is recorded, so the next tick tries again until the grace window closes.
        if (!report.failed.includes(language)) report.failed.push(language);
        deps.log.error({ err, language, waiting: group.length }, 'brief generation failed; will retry next tick');
        continue;
      }
      deps.db.transaction(() => {
        for (const d of group) {
          if (recordDelivery(deps.db, d.subscriberId, d.localDate, briefId, now)) {
            deps.enqueue(briefId, [d.subscriberId]);
            report.enqueued++;
          }
        }
      })();
    }
    // Kick the drain, do not wait for it: a long drain (an old outbox at start, a platform
    // answering 500s) must not hold the tick, or the next minutes' ticks would join this one.
    void Promise.resolve()
      .then(() => deps.deliver())
      .catch((err: unknown) => deps.log.error({ err }, 'delivery after the tick failed'));
    return report;
  }

  return {
    /** One tick; a tick asked for while one runs joins it instead of overlapping. */
    tick(): Promise<TickReport> {
      running ??= runTick().finally(() => {
        running = null;
      });
      return running;
    },
    /** Per-minute ticks with node-cron; the first tick runs now, which is the catch-up after downtime. */
    start(): Promise<TickReport> {
      task = cron.schedule('* * * * *', () => void this.tick().catch((err: unknown) => deps.log.error({ err }, 'tick failed')), {
        name: 'delivery-tick',
        noOverlap: true,
      });
      return this.tick();
    },
    async stop(): Promise<void> {
      await task?.stop();
      task = null;
      await running?.catch(() => undefined);
    },
  };
}
