/** The bot's reply texts (Telegram HTML; every dynamic part escaped). */
import type { DeliveryReport } from '../../delivery/types.ts';
import { LANGUAGE_HELP, TIME_HELP, TIMEZONE_HELP, TOPICS_HELP, describeWait, describeZone, languageName, nextDeliveryAt } from '../../delivery/subscriber-settings.ts';
import { escapeHtml } from '../../render/escape.ts';
import type { OutboxCounts } from '../../store/outbox.ts';
import type { Subscriber, SubscriberCounts } from '../../store/subscribers.ts';

/** The commands people see in Telegram's menu (setMyCommands). */
export const PUBLIC_COMMANDS = [
  { command: 'start', description: 'Subscribe to the daily brief' },
  { command: 'brief', description: 'The latest brief, now' },
  { command: 'time', description: 'Delivery time, e.g. /time 07:30' },
  { command: 'timezone', description: 'Time zone, e.g. /timezone Europe/Berlin' },
  { command: 'lang', description: 'Brief language, e.g. /lang en' },
  { command: 'topics', description: 'Topics, e.g. /topics btc eth (or all)' },
  { command: 'card', description: 'The market card picture: /card off or /card on' },
  { command: 'settings', description: 'Your delivery settings' },
  { command: 'stop', description: 'Unsubscribe' },
  { command: 'help', description: 'What this bot does' },
] as const;

/** `next`: when the scheduler sends next (nextBriefAt); `now` or earlier means on its next tick. */
export function nextBriefLine(sub: Pick<Subscriber, 'deliveryTime' | 'timezone'>, now: Date, next = nextDeliveryAt(sub.deliveryTime, sub.timezone, now)): string {
  if (next <= now) return `Next brief: <b>within a minute</b> (${escapeHtml(sub.deliveryTime)} ${escapeHtml(describeZone(sub.timezone))} has passed and this chat has not had that day’s brief yet).`;
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: sub.timezone, weekday: 'short', day: 'numeric', month: 'short' }).format(next);
  return `Next brief: <b>${escapeHtml(day)}, ${escapeHtml(sub.deliveryTime)}</b> ${escapeHtml(describeZone(sub.timezone))} (${describeWait(now, next)}).`;
}

export function settingsText(sub: Subscriber, now: Date, next?: Date): string {
  return [
    `<b>Your brief</b>${sub.active ? '' : ' (stopped: /start to resume)'}`,
    `Time: ${escapeHtml(sub.deliveryTime)} ${escapeHtml(describeZone(sub.timezone))}`,
    `Language: ${escapeHtml(languageName(sub.language))} (${escapeHtml(sub.language)})`,
    `Topics: ${escapeHtml(sub.topics.length ? sub.topics.join(', ') : 'all')}`,
    `Market card: ${sub.card === false ? 'off (/card on to get it)' : 'on'}`,
    ...(sub.active ? [nextBriefLine(sub, now, next)] : []),
  ].join('\n');
}

export const HELP_TEXT = [
  '<b>A market morning brief</b>: prices, the Fed and macro, ETF flows, exchanges and regulation, in one short paragraph every morning.',
  '',
  '/start: subscribe (in a group or channel: an admin subscribes it)',
  '/brief: the latest brief now',
  '/time 07:30: when it comes (24-hour local time)',
  '/timezone Europe/Berlin: your time zone (or a UTC offset like +03:00)',
  '/lang en: the brief language',
  '/topics btc eth: only these topics (/topics all for everything)',
  '/card off: the brief without the market card picture (/card on to get it back)',
  '/settings: what is set',
  '/stop: unsubscribe',
].join('\n');

export const usage = {
  time: `Send the time as ${escapeHtml(TIME_HELP)}. Example: /time 07:30. Nothing was changed.`,
  timezone: `Send ${escapeHtml(TIMEZONE_HELP)}. Example: /timezone Europe/Berlin. Nothing was changed.`,
  lang: `Send ${escapeHtml(LANGUAGE_HELP)}. Example: /lang en. Nothing was changed.`,
  card: 'Send /card off (the brief without the market card picture) or /card on. Nothing was changed.',
  topics: (unknown: string[]) => `Unknown topic${unknown.length > 1 ? 's' : ''} ${escapeHtml(unknown.join(', '))}. Send ${escapeHtml(TOPICS_HELP)}. Nothing was changed.`,
};

export const NOT_SUBSCRIBED = 'This chat is not subscribed yet: send /start first.';
export const ADMINS_ONLY = 'Only the group’s admins can change the brief here. Nothing was changed.';
export const OPERATORS_ONLY = 'That command is for the bot’s operators.';

export function describeDelivery(r: DeliveryReport): string {
  const parts = [`${r.sent} sent`];
  if (r.dropped) parts.push(`${r.dropped} dropped (chat gone)`);
  if (r.failed) parts.push(`${r.failed} failed`);
  if (r.rateLimited) parts.push(`${r.rateLimited} rate limits waited out`);
  if (r.ambiguous) parts.push(`${r.ambiguous} resent after a crash`);
  return `${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s${r.aborted ? `; stopped: ${escapeHtml(r.aborted)}` : ''}`;
}

export function statsText(subs: SubscriberCounts, latest: { id: number; createdAt: string; outbox: OutboxCounts } | null): string {
  const kinds = Object.entries(subs.byKind)
    .map(([k, n]) => `${n} ${escapeHtml(k)}`)
    .join(', ');
  const lines = [`<b>Subscribers</b>: ${subs.active} active${kinds ? ` (${kinds})` : ''}, ${subs.inactive} inactive.`];
  if (latest) {
    const o = latest.outbox;
    lines.push(
      `<b>Latest brief</b> #${latest.id} (${escapeHtml(latest.createdAt.slice(0, 16).replace('T', ' '))} UTC): ${o.sent} sent, ${o.pending + o.queued + o.sending + o.retry} waiting, ${o.dropped} dropped, ${o.failed} failed${o.ambiguous ? `, ${o.ambiguous} resent after a crash` : ''}.`,
    );
  } else lines.push('No brief written yet.');
  return lines.join('\n');
}
