/**
 * Sends one operator alert to the admin destinations (Telegram admin chats, a Discord webhook),
 * deduplicated by key and capped per hour, counted in metrics. Never to subscribers: it only
 * knows the chats and webhook of the `alerts` config.
 */
import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { redactUrl } from '../errors.ts';
import type { SleepFn } from '../util/http.ts';

const RetryAfterSchema = z.object({ retry_after: z.number().optional(), parameters: z.object({ retry_after: z.number().optional() }).optional() });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type AlertKind = 'source_failing' | 'source_recovered' | 'llm_fallback' | 'llm_recovered' | 'morning_skipped' | 'delivery_failed' | 'platform_token';

export interface Alert {
  kind: AlertKind;
  /** Same key = same condition: not repeated within repeatMinutes (e.g. "source:fred"). */
  key: string;
  text: string;
}

export interface AlertNotifierDeps {
  fetch: typeof fetch;
  /** Waits out a 429's retry_after (an admin chat takes one message a second). */
  sleep: SleepFn;
  now: () => Date;
  log: Logger;
  metrics?: Metrics;
  telegram?: { apiRoot: string; botToken: string } | undefined;
  telegramChats: readonly string[];
  discordWebhookUrl?: string | undefined;
  repeatMinutes: number;
  maxPerHour: number;
  /** Prefix of every alert, so an admin chat tells them from other bots' messages. */
  name?: string;
}

export type AlertOutcome = 'sent' | 'suppressed' | 'failed' | 'off';

export interface AlertNotifier {
  /** Sends `alert` unless it repeats within the window or the hourly cap is reached. */
  send(alert: Alert): Promise<AlertOutcome>;
  /** Whether any destination is configured. */
  enabled: boolean;
}

/** @example const alerts = createAlertNotifier({ fetch, now, log, telegramChats: ['-100123'], repeatMinutes: 360, maxPerHour: 20 }); */
export function createAlertNotifier(deps: AlertNotifierDeps): AlertNotifier {
  const lastSent = new Map<string, number>();
  const sentTimes: number[] = [];
  const chats = deps.telegram ? deps.telegramChats : [];
  const enabled = chats.length > 0 || deps.discordWebhookUrl !== undefined;
  const count = (kind: AlertKind, outcome: AlertOutcome) => {
    if (outcome !== 'off') deps.metrics?.alertsTotal.inc({ kind, outcome });
  };

  async function post(url: string, body: unknown, attempt = 1): Promise<void> {
    const res = await deps.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text().catch(() => '');
    if (res.status === 429 && attempt < 3) {
      // Telegram: parameters.retry_after; Discord: retry_after (seconds, may be fractional).
      const parsed = RetryAfterSchema.safeParse(safeJson(text));
      const seconds = parsed.success ? (parsed.data.parameters?.retry_after ?? parsed.data.retry_after ?? 1) : 1;
      await deps.sleep(Math.min(60, seconds) * 1000);
      return post(url, body, attempt + 1);
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }

  async function deliver(text: string): Promise<boolean> {
    let anyOk = false;
    const targets: { what: string; go: () => Promise<void> }[] = chats.map((chat) => ({
      what: `telegram chat ${chat}`,
      // Plain text (no parse_mode): an error message with "<" must not break the alert.
      go: () => post(`${deps.telegram!.apiRoot}/bot${deps.telegram!.botToken}/sendMessage`, { chat_id: chat, text, disable_web_page_preview: true }),
    }));
    if (deps.discordWebhookUrl) {
      const url = deps.discordWebhookUrl;
      targets.push({ what: 'discord webhook', go: () => post(url, { content: text.slice(0, 2000), allowed_mentions: { parse: [] } }) });
    }
    for (const target of targets) {
      try {
        await target.go();
        anyOk = true;
      } catch (err) {
        // The token and webhook secret live in the URL: only the target's name and the status are logged.
        deps.log.warn({ target: target.what, error: redactUrl((err as Error).message) }, 'operator alert could not be sent');
      }
    }
    return anyOk;
  }

  return {
    enabled,
    async send(alert) {
      if (!enabled) return 'off';
      const now = deps.now().getTime();
      const previous = lastSent.get(alert.key);
      while (sentTimes.length > 0 && sentTimes[0]! <= now - 3600_000) sentTimes.shift();
      if ((previous !== undefined && now - previous < deps.repeatMinutes * 60_000) || sentTimes.length >= deps.maxPerHour) {
        deps.log.info({ kind: alert.kind, key: alert.key }, 'operator alert suppressed (repeat or hourly cap)');
        count(alert.kind, 'suppressed');
        return 'suppressed';
      }
      lastSent.set(alert.key, now);
      sentTimes.push(now);
      const text = `⚠️ ${deps.name ?? 'Morning Brief'} alert: ${alert.text}`;
      const ok = await deliver(text);
      deps.log.warn({ kind: alert.kind, key: alert.key, sent: ok }, alert.text);
      count(alert.kind, ok ? 'sent' : 'failed');
      return ok ? 'sent' : 'failed';
    },
  };
}
