/**
 * Parsing and describing a subscriber's settings (time, zone, language, topics), shared by
 * the `subscribers` CLI and the bots so both accept and explain exactly the same things.
 */
import { TopicSchema, type Topic } from '../domain.ts';
import { addDays, localDate, localTimeToInstant, parseTime, parseTimeZone } from '../schedule/local-time.ts';
import { LANGUAGE_HELP, languageName, parseLanguage } from '../util/language.ts';

export { LANGUAGE_HELP, languageName, parseLanguage, parseTime, parseTimeZone };

export const TIME_HELP = 'a 24-hour time HH:MM, e.g. 07:30 (00:00 to 23:59)';
export const TIMEZONE_HELP = 'an IANA time zone like Europe/Berlin or America/New_York, or a whole-hour UTC offset like +03:00 or UTC-5';
export const TOPICS = TopicSchema.options;
export const TOPICS_HELP = `topics from: ${TOPICS.join(', ')} (or "all")`;

/** "btc, eth" / "btc eth" -> ['btc', 'eth']; "all" -> [] (no filter); null when any is unknown. */
export function parseTopics(input: string): { topics: Topic[] } | { unknown: string[] } {
  const words = input
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length === 0 || (words.length === 1 && words[0] === 'all')) return { topics: [] };
  const unknown = words.filter((w) => !TopicSchema.safeParse(w).success);
  if (unknown.length > 0) return { unknown };
  return { topics: [...new Set(words)] as Topic[] };
}

/** A zone as people say it: "Etc/GMT-3" -> "UTC+03:00"; IANA names unchanged. */
export function describeZone(zone: string): string {
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  if (!m) return zone;
  // Etc/GMT zones count the other way round: Etc/GMT-3 is three hours ahead of UTC.
  const sign = m[1] === '-' ? '+' : '-';
  return `UTC${sign}${m[2]!.padStart(2, '0')}:00`;
}

/**
 * The next instant local `time` happens in `zone`, strictly after `now`.
 * @example nextDeliveryAt('07:30', 'Europe/Berlin', new Date('2026-06-10T06:00:00Z')) // 2026-06-11T05:30:00Z
 */
export function nextDeliveryAt(time: string, zone: string, now: Date): Date {
  const today = localDate(now, zone);
  const todayAt = localTimeToInstant(today, time, zone);
  return todayAt > now ? todayAt : localTimeToInstant(addDays(today, 1), time, zone);
}

/** What the scheduler knows about a subscriber's mornings (see findDue in schedule/scheduler.ts). */
export interface DeliveryState {
  /** Whether the subscriber already had the brief of this local date (YYYY-MM-DD). */
  wasDelivered: (localDate: string) => boolean;
  graceHours: number;
}

/**
 * When the scheduler will next send to a subscriber, as its per-minute tick decides it: `now`
 * (its next tick) when a time within the grace window has passed without that day's brief,
 * else the next local `time` of a day not yet delivered. A day already delivered is not sent
 * again, so moving the time later on that day means tomorrow.
 * @example nextBriefAt('07:30', 'UTC', new Date('2026-06-10T08:00:00Z'), { wasDelivered: () => false, graceHours: 3 }) // now
 */
export function nextBriefAt(time: string, zone: string, now: Date, state: DeliveryState): Date {
  const today = localDate(now, zone);
  for (const date of [addDays(today, -1), today]) {
    const at = localTimeToInstant(date, time, zone);
    if (at <= now && now.getTime() - at.getTime() <= state.graceHours * 3600_000 && !state.wasDelivered(date)) return now;
  }
  for (const date of [today, addDays(today, 1), addDays(today, 2)]) {
    const at = localTimeToInstant(date, time, zone);
    if (at > now && !state.wasDelivered(date)) return at;
  }
  return localTimeToInstant(addDays(today, 3), time, zone);
}

/** "in 1 h 30 min", "in 12 min", "in 23 h". */
export function describeWait(from: Date, to: Date): string {
  const minutes = Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `in ${m} min`;
  return m === 0 ? `in ${h} h` : `in ${h} h ${m} min`;
}
