/**
 * Alert jobs for mornings: a delivery that failed for more than X% of its subscribers, and
 * scheduled mornings skipped (missed beyond the grace window, or a brief that could not be written).
 */
import type { Alert } from './notifier.ts';

export interface DeliveryCountsLike {
  sent: number;
  failed: number;
  dropped: number;
  /** Why the pass stopped early (a rejected token), if it did. */
  aborted?: string | null;
}

/**
 * @example deliveryFailureAlerts({ sent: 7, failed: 3, dropped: 0 }, 20, 'brief 12') // one alert: 30% failed
 */
export function deliveryFailureAlerts(report: DeliveryCountsLike, thresholdPercent: number, what: string): Alert[] {
  // Gone chats (blocked, deleted) are ordinary churn, not a failing delivery.
  const total = report.sent + report.failed;
  if (total === 0 || report.failed === 0) return [];
  const percent = (report.failed / total) * 100;
  if (percent <= thresholdPercent) return [];
  return [
    {
      kind: 'delivery_failed',
      key: `delivery:${what}`,
      text: `delivery of ${what} failed for ${report.failed} of ${total} subscribers (${Math.round(percent)}%, threshold ${thresholdPercent}%).`,
    },
  ];
}

export interface TickLike {
  skipped: number;
  failed: readonly string[];
}

/** `day` (UTC yyyy-mm-dd) keys the alert, so one skipped morning is one message. */
export function skippedMorningAlerts(report: TickLike, day: string): Alert[] {
  const alerts: Alert[] = [];
  if (report.skipped > 0) {
    alerts.push({
      kind: 'morning_skipped',
      key: `skipped:${day}`,
      text: `${report.skipped} subscriber morning${report.skipped === 1 ? ' was' : 's were'} skipped on ${day}: missed beyond the catch-up window (CATCH_UP_GRACE_HOURS).`,
    });
  }
  for (const language of report.failed) {
    alerts.push({
      kind: 'morning_skipped',
      key: `unwritten:${language}:${day}`,
      text: `the ${language} brief could not be written on ${day}; its subscribers wait and the scheduler retries each minute.`,
    });
  }
  return alerts;
}
