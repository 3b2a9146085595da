/**
 * Prometheus metrics on a private prom-client Registry (never the global one, so tests and
 * several app instances in one process do not collide), plus two helpers that take plain
 * objects so the pipeline and the delivery worker can report without importing prom-client.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Briefs written, by writer ("extractive" | "llm"). */
  briefsTotal: Counter<'writer'>;
  /** Source collections that failed, by source id. */
  sourceFailuresTotal: Counter<'source'>;
  /** How long each source took, by source id. */
  sourceDurationSeconds: Histogram<'source'>;
  messagesSentTotal: Counter<'platform'>;
  messagesFailedTotal: Counter<'platform'>;
  messagesRetriedTotal: Counter<'platform'>;
  /** HTTP 429 answers from a platform. */
  rateLimitedTotal: Counter<'platform'>;
  /** LLM tokens, direction "in" (prompt) or "out" (completion). */
  llmTokensTotal: Counter<'direction'>;
  /** Sent time minus the subscriber's due time. */
  deliveryLagSeconds: Histogram<'platform'>;
  /** Unix time of the newest brief written. */
  lastBriefTimestampSeconds: Gauge;
  /** Active subscribers the last tick skipped because a stored setting is unusable. */
  subscribersInvalid: Gauge;
  /** Operator alerts, by kind and outcome ("sent" | "suppressed" | "failed"). */
  alertsTotal: Counter<'kind' | 'outcome'>;
}

/** The exposed metric names, for docs, dashboards and tests. */
export const METRIC_NAMES = {
  briefsTotal: 'morning_brief_briefs_total',
  sourceFailuresTotal: 'morning_brief_source_failures_total',
  sourceDurationSeconds: 'morning_brief_source_duration_seconds',
  messagesSentTotal: 'morning_brief_messages_sent_total',
  messagesFailedTotal: 'morning_brief_messages_failed_total',
  messagesRetriedTotal: 'morning_brief_messages_retried_total',
  rateLimitedTotal: 'morning_brief_rate_limited_total',
  llmTokensTotal: 'morning_brief_llm_tokens_total',
  deliveryLagSeconds: 'morning_brief_delivery_lag_seconds',
  lastBriefTimestampSeconds: 'morning_brief_last_brief_timestamp_seconds',
  subscribersInvalid: 'morning_brief_subscribers_invalid',
  alertsTotal: 'morning_brief_alerts_total',
} as const;

export interface MetricsOptions {
  /** Default process metrics (CPU, memory, event loop lag...); on unless false. */
  defaultMetrics?: boolean;
}

/**
 * @example const metrics = createMetrics(); metrics.briefsTotal.inc({ writer: 'llm' });
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    briefsTotal: new Counter({
      name: METRIC_NAMES.briefsTotal,
      help: 'Briefs written, by writer',
      labelNames: ['writer'],
      registers,
    }),
    sourceFailuresTotal: new Counter({
      name: METRIC_NAMES.sourceFailuresTotal,
      help: 'Failed source collections, by source',
      labelNames: ['source'],
      registers,
    }),
    sourceDurationSeconds: new Histogram({
      name: METRIC_NAMES.sourceDurationSeconds,
      help: 'Time one source took to answer (or fail), by source',
      labelNames: ['source'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
      registers,
    }),
    messagesSentTotal: new Counter({
      name: METRIC_NAMES.messagesSentTotal,
      help: 'Messages delivered, by platform',
      labelNames: ['platform'],
      registers,
    }),
    messagesFailedTotal: new Counter({
      name: METRIC_NAMES.messagesFailedTotal,
      help: 'Messages given up on (failed or dropped), by platform',
      labelNames: ['platform'],
      registers,
    }),
    messagesRetriedTotal: new Counter({
      name: METRIC_NAMES.messagesRetriedTotal,
      help: 'Send attempts retried after a 5xx, network error or 429, by platform',
      labelNames: ['platform'],
      registers,
    }),
    rateLimitedTotal: new Counter({
      name: METRIC_NAMES.rateLimitedTotal,
      help: 'HTTP 429 answers from a platform',
      labelNames: ['platform'],
      registers,
    }),
    llmTokensTotal: new Counter({
      name: METRIC_NAMES.llmTokensTotal,
      help: 'LLM tokens used, by direction (in = prompt, out = completion)',
      labelNames: ['direction'],
      registers,
    }),
    deliveryLagSeconds: new Histogram({
      name: METRIC_NAMES.deliveryLagSeconds,
      help: "Seconds between a subscriber's due time and the send",
      labelNames: ['platform'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 10800],
      registers,
    }),
    lastBriefTimestampSeconds: new Gauge({
      name: METRIC_NAMES.lastBriefTimestampSeconds,
      help: 'Unix time of the newest brief written',
      registers,
    }),
    subscribersInvalid: new Gauge({
      name: METRIC_NAMES.subscribersInvalid,
      help: 'Active subscribers skipped by the last scheduler tick: a stored time zone, time or language is unusable',
      registers,
    }),
    alertsTotal: new Counter({
      name: METRIC_NAMES.alertsTotal,
      help: 'Operator alerts, by kind and outcome (sent, suppressed as a repeat or over the hourly cap, failed to send)',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
  };
}

/** The parts of a pipeline RunResult that metrics need (structurally compatible with it). */
export interface RunResultLike {
  brief: { writer: string; createdAt: string };
  snapshot: { statuses: readonly { id: string; ok: boolean; ms: number }[] };
  usage?: { tokensIn: number | null; tokensOut: number | null } | null;
}

/**
 * Counts one finished run: the brief by writer, each source's time and failure, tokens.
 * @example const result = await runBrief(deps, opts); recordRun(metrics, result);
 */
export function recordRun(metrics: Metrics, run: RunResultLike): void {
  metrics.briefsTotal.inc({ writer: run.brief.writer });
  const created = Date.parse(run.brief.createdAt);
  if (Number.isFinite(created)) metrics.lastBriefTimestampSeconds.set(created / 1000);
  for (const status of run.snapshot.statuses) {
    metrics.sourceDurationSeconds.observe({ source: status.id }, Math.max(0, status.ms) / 1000);
    if (!status.ok) metrics.sourceFailuresTotal.inc({ source: status.id });
  }
  const usage = run.usage;
  if (usage) {
    if (usage.tokensIn) metrics.llmTokensTotal.inc({ direction: 'in' }, usage.tokensIn);
    if (usage.tokensOut) metrics.llmTokensTotal.inc({ direction: 'out' }, usage.tokensOut);
  }
}

export interface DeliveryCounts {
  sent?: number;
  failed?: number;
  retried?: number;
  /** 429 answers seen. */
  rateLimited?: number;
}

type TimeLike = Date | string | number;

/** One delivered message, for the lag histogram. */
export interface SendTiming {
  platform: string;
  /** When the subscriber was due the brief; null/absent for manual sends (no lag recorded). */
  dueAt?: TimeLike | null;
  sentAt: TimeLike;
}

/**
 * A delivery report in any of three shapes (mix freely): counts for one `platform`,
 * counts per platform in `byPlatform`, and per-message `sends` for the lag histogram.
 */
export interface DeliveryReportLike extends DeliveryCounts {
  platform?: string;
  byPlatform?: Record<string, DeliveryCounts>;
  sends?: readonly SendTiming[];
}

function toMs(t: TimeLike): number {
  return t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
}

function addCounts(metrics: Metrics, platform: string, counts: DeliveryCounts): void {
  const labels = { platform };
  if (counts.sent) metrics.messagesSentTotal.inc(labels, counts.sent);
  if (counts.failed) metrics.messagesFailedTotal.inc(labels, counts.failed);
  if (counts.retried) metrics.messagesRetriedTotal.inc(labels, counts.retried);
  if (counts.rateLimited) metrics.rateLimitedTotal.inc(labels, counts.rateLimited);
}

/**
 * Counts one delivery pass (or one message).
 * @example recordDelivery(metrics, { platform: 'telegram', sent: 12, retried: 1, rateLimited: 1,
 *   sends: [{ platform: 'telegram', dueAt: '2025-01-14T07:30:00Z', sentAt: new Date() }] });
 */
export function recordDelivery(metrics: Metrics, report: DeliveryReportLike): void {
  if (report.platform !== undefined) addCounts(metrics, report.platform, report);
  for (const [platform, counts] of Object.entries(report.byPlatform ?? {})) addCounts(metrics, platform, counts);
  for (const send of report.sends ?? []) {
    if (send.dueAt === undefined || send.dueAt === null) continue;
    const lagMs = toMs(send.sentAt) - toMs(send.dueAt);
    // Early sends (a manual broadcast before the due time) count as no lag, not negative lag.
    if (Number.isFinite(lagMs)) metrics.deliveryLagSeconds.observe({ platform: send.platform }, Math.max(0, lagMs) / 1000);
  }
}
