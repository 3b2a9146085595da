/**
 * Operator alerts wired to the service's events: after each run (source and LLM streaks), each
 * scheduler tick (skipped mornings, rejected tokens) and each delivery pass (failure share).
 * A failing check or send is logged, never thrown into the service.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { PlatformHealth } from '../platform-status.ts';
import type { Db } from '../store/db.ts';
import type { SleepFn } from '../util/http.ts';
import { deliveryFailureAlerts, skippedMorningAlerts, type DeliveryCountsLike, type TickLike } from './delivery.ts';
import { llmFallbackAlerts } from './llm-fallback.ts';
import { createAlertNotifier, type Alert, type AlertNotifier } from './notifier.ts';
import { abortedDeliveryAlerts, platformTokenAlerts } from './platform-token.ts';
import { sourceStreakAlerts } from './source-streaks.ts';

export interface AlertMonitorDeps {
  db: Db;
  config: Pick<Config, 'alerts' | 'telegram' | 'briefName'>;
  fetch: typeof fetch;
  sleep: SleepFn;
  now: () => Date;
  log: Logger;
  metrics?: Metrics;
}

export interface AlertMonitor {
  notifier: AlertNotifier;
  afterRun(run: { runId: number | null; briefId: number | null }): Promise<void>;
  afterTick(tick: TickLike, platforms?: Record<string, PlatformHealth>): Promise<void>;
  afterDelivery(report: DeliveryCountsLike, what?: string): Promise<void>;
}

/** @example const alerts = createAlertMonitor({ db, config, fetch, now, log, metrics }); await alerts.afterRun(result); */
export function createAlertMonitor(deps: AlertMonitorDeps): AlertMonitor {
  const { alerts: settings, telegram } = deps.config;
  const notifier = createAlertNotifier({
    fetch: deps.fetch,
    sleep: deps.sleep,
    now: deps.now,
    log: deps.log,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    telegram: telegram.botToken ? { apiRoot: telegram.apiRoot, botToken: telegram.botToken } : undefined,
    telegramChats: settings.telegramChats,
    discordWebhookUrl: settings.discordWebhookUrl,
    repeatMinutes: settings.repeatMinutes,
    maxPerHour: settings.maxPerHour,
    name: deps.config.briefName,
  });
  if (settings.telegramChats.length > 0 && !telegram.botToken) {
    deps.log.warn('ALERT_TELEGRAM_CHATS is set but TELEGRAM_BOT_TOKEN is not: Telegram alerts are off');
  }

  async function guarded(check: () => Alert[]): Promise<void> {
    if (!notifier.enabled) return;
    try {
      for (const alert of check()) await notifier.send(alert);
    } catch (err) {
      deps.log.error({ err }, 'operator alert check failed');
    }
  }

  return {
    notifier,
    afterRun: (run) =>
      guarded(() => [
        ...(run.runId !== null ? sourceStreakAlerts(deps.db, run.runId, settings.sourceFailedMornings) : []),
        ...(run.briefId !== null ? llmFallbackAlerts(deps.db, run.briefId, settings.llmFallbackBriefs) : []),
      ]),
    afterTick: (tick, platforms = {}) =>
      guarded(() => [...skippedMorningAlerts(tick, deps.now().toISOString().slice(0, 10)), ...platformTokenAlerts(platforms)]),
    afterDelivery: (report, what = 'the latest brief') =>
      guarded(() => [...deliveryFailureAlerts(report, settings.deliveryFailedPercent, what), ...abortedDeliveryAlerts(report.aborted)]),
  };
}
