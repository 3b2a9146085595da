/**
 * `morning-brief serve`: one process with the Telegram bot, the Discord bot, the scheduler,
 * the delivery loop and the HTTP server, all built from one config, and a bounded graceful
 * shutdown. Every trigger (tick, /broadcast, POST /trigger) goes through runBrief and the
 * same outbox.
 */
import type { App } from './app.ts';
import { createAlertMonitor } from './alerts/monitor.ts';
import { createAnnouncementRunner } from './announce/publisher.ts';
import { createDiscordBot, type DiscordBot } from './bots/discord-bot.ts';
import { runServe, type Serving } from './commands/serve.ts';
import type { Brief } from './domain.ts';
import { createLagTracker } from './delivery/delivery-lag.ts';
import type { DeliveryReport } from './delivery/types.ts';
import { createMetrics, recordDelivery, recordRun, type DeliveryCounts, type Metrics, type SendTiming } from './metrics.ts';
import { runBrief } from './pipeline.ts';
import { superviseStart } from './platform-status.ts';
import { createScheduler, editionKey } from './schedule/scheduler.ts';
import { createHttpServer, TriggerBusyError, type HttpServer } from './server/server.ts';
import type { TriggerProgress } from './server/types.ts';
import { enqueue, outboxCounts } from './store/outbox.ts';
import { latestSendableBrief } from './store/runs.ts';
import { listSubscribers } from './store/subscribers.ts';

export interface Service {
  /** Where the HTTP server listens (port 0 picks one). */
  url: string;
  port: number;
  metrics: Metrics;
  /**
   * A fresh brief per subscriber language, delivered to every active subscriber now: what
   * POST /trigger and the Discord /broadcast run. Throws TriggerBusyError while one runs.
   */
  postNow(trigger: string, progress?: (p: TriggerProgress) => void): Promise<PostNowResult>;
  /** postNow('broadcast') as a one-line report for an operator ("Brief #12 ... 20 sent."). */
  broadcastNow(): Promise<string>;
  /** Stops taking work, hands unsent messages back to the outbox, closes the database. */
  stop(reason: string): Promise<void>;
}

export interface PostNowResult {
  /** The first brief written (languages in alphabetical order), as POST /trigger reports it. */
  briefId: number | null;
  /** Every brief written, by language. */
  briefs: { language: string; briefId: number }[];
  /** Subscribers delivered to. */
  delivered: number;
  /** Subscribers given up on (failed, or found gone and deactivated). */
  failed: number;
}

/** The worker's per-platform counts as metrics counts ("failed" = failed or dropped, like the metric's help says). */
function metricCounts(report: Pick<DeliveryReport, 'byPlatform'>): Record<string, DeliveryCounts> {
  return Object.fromEntries(
    Object.entries(report.byPlatform).map(([platform, c]) => [
      platform,
      { sent: c.sent, failed: c.failed + c.dropped, retried: c.retried, rateLimited: c.rateLimited },
    ]),
  );
}

/** An operator's one-line answer for a manual broadcast. */
export function describePostNow(r: PostNowResult): string {
  const briefs = r.briefs.map((b) => `#${b.briefId} (${b.language})`).join(', ');
  const plural = (n: number) => (n === 1 ? '' : 's');
  return `Brief ${briefs || '(none)'} sent to ${r.delivered} subscriber${plural(r.delivered)}${r.failed > 0 ? `; ${r.failed} failed or gone` : ''}.`;
}

/**
 * @example const service = await startService(createApp(config)); process.once('SIGTERM', () => service.stop('SIGTERM'));
 */
export async function startService(app: App): Promise<Service> {
  const { config, log } = app;
  const db = app.db;
  if (!db) throw new Error('serve needs the database');
  // Another process holding the database for a few seconds (a backup, an operator's sqlite3
  // shell) must delay delivery, not fail it: wait up to 30 s for a lock instead of 5.
  db.pragma('busy_timeout = 30000');
  const metrics = createMetrics();
  // Operator alerts (ALERT_*): never held for, never thrown into the service.
  const alerts = createAlertMonitor({ db, config, fetch: app.http.fetch, sleep: app.http.sleep, now: app.now, log, metrics });
  let generating: Promise<unknown> = Promise.resolve();

  /** One brief at a time in this process: the scheduler, /trigger and bots never write in parallel. */
  const generate = (language: string, edition: string, trigger: string): Promise<number> => {
    const next = generating.then(async () => {
      const result = await runBrief(app, { trigger, writer: 'auto', language, edition, requireData: true });
      recordRun(metrics, result);
      void alerts.afterRun(result);
      return result.briefId!;
    });
    generating = next.catch(() => undefined);
    return next;
  };

  // What /brief shows: never a brief written when every source failed (it holds no news).
  const getLatestBrief = async (language: string): Promise<Brief | null> => latestSendableBrief(db, language, config.language)?.brief ?? null;

  const serving: Serving = await runServe(config, {
    db,
    log,
    now: app.now,
    getLatestBrief,
    listenForWebhook: false,
    sleep: app.http.sleep,
    // Late-bound: broadcastNow needs the adapters runServe creates.
    broadcastNow: () => broadcastNow(),
    // Every drain is counted once here, including the one that finishes a dead process's outbox at start.
    onDeliveryReport: (report) => {
      recordDelivery(metrics, { byPlatform: metricCounts(report) });
      void alerts.afterDelivery(report);
    },
  });
  // Due times of the rows scheduler ticks enqueue, for the delivery-lag histogram.
  const lag = createLagTracker(db);
  // Discord announcement channels: what was posted there is published (crossposted) afterwards.
  const publishAnnouncements = config.discord.botToken
    ? createAnnouncementRunner({
        db,
        token: config.discord.botToken,
        apiRoot: config.discord.apiRoot,
        fetch: app.http.fetch,
        now: app.now,
        log,
        // Reported to the operator too: following servers missed that brief.
        onFailed: (f) =>
          void alerts.notifier.send({
            kind: 'delivery_failed',
            key: `publish:${f.channelId}`,
            text: `a brief posted in announcement channel ${f.channelId} could not be published to following servers (${f.error}).`,
          }),
      })
    : async () => undefined;
  const deliver = async () => {
    await serving.deliver();
    await publishAnnouncements();
    let sends: SendTiming[] = [];
    try {
      sends = lag.collect();
    } catch (err) {
      log.warn({ err }, 'could not read delivery lag');
    }
    recordDelivery(metrics, { sends });
  };

  let manualRunning = false;
  /** The running manual broadcast, for stop() to wait on before the database closes. */
  let manualRun: Promise<PostNowResult> | null = null;
  /** Aborted by stop(): a manual broadcast stops claiming rows; the unsent stay queued for the next start. */
  const shutdown = new AbortController();
  /** POST /trigger and the operator commands share one lock: never two manual runs at once. */
  const runManual = async (trigger: string, progress?: (p: TriggerProgress) => void): Promise<PostNowResult> => {
    if (shutdown.signal.aborted) throw new TriggerBusyError('the service is shutting down');
    if (manualRunning) throw new TriggerBusyError('a manual broadcast is already running');
    manualRunning = true;
    try {
      manualRun = postNow(trigger, progress);
      return await manualRun;
    } finally {
      manualRunning = false;
      manualRun = null;
    }
  };
  const broadcastNow = async (): Promise<string> => {
    try {
      return describePostNow(await runManual('broadcast'));
    } catch (err) {
      if (err instanceof TriggerBusyError) return 'A broadcast is already running; try again when it has finished.';
      throw err;
    }
  };

  let discord: DiscordBot | null = null;
  let discordStarted: Promise<unknown> = Promise.resolve();
  const discordToken = config.discord.botToken;
  if (discordToken) {
    const bot = createDiscordBot({ db, config, getLatestBrief, now: app.now, log, broadcastNow });
    discord = bot;
    // A gateway that cannot connect must not take delivery (REST) and the rest down with it:
    // retried with backoff in the background, shown in /healthz meanwhile.
    discordStarted = superviseStart({
      platform: 'discord',
      start: () => bot.start(),
      status: serving.platforms,
      log,
      sleep: app.http.sleep,
      now: app.now,
      signal: shutdown.signal,
      redact: (text) => text.split(discordToken).join('<redacted>'),
    }).done;
  }

  const scheduler = createScheduler({
    db,
    now: app.now,
    log,
    freshMinutes: config.delivery.freshMinutes,
    graceHours: config.delivery.graceHours,
    editions: config.delivery.editions,
    onTick: (report) => {
      metrics.subscribersInvalid.set(report.invalid);
      void alerts.afterTick(report, serving.platforms.all());
    },
    generate: (language, edition) => generate(language, edition, 'schedule'),
    enqueue: (briefId, ids) => {
      const at = app.now();
      enqueue(db, briefId, ids, at);
      lag.track(briefId, ids, at);
    },
    deliver,
  });

  const latestOutbox = () => {
    const row = db.prepare('SELECT brief_id AS id FROM outbox ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
    return row ? { briefId: row.id, ...outboxCounts(db, row.id) } : null;
  };

  const http: HttpServer = createHttpServer({
    db,
    metrics,
    log,
    now: app.now,
    config: config.server,
    ...(serving.telegramWebhook ? { mounts: [serving.telegramWebhook] } : {}),
    async trigger(progress) {
      const r = await runManual('http', progress);
      return { briefId: r.briefId, delivered: r.delivered };
    },
    triggerBusy: () => (shutdown.signal.aborted ? 'the service is shutting down' : manualRunning ? 'a manual broadcast is already running' : null),
    healthExtras: () => ({
      telegram: serving.telegram
        ? serving.platforms.get('telegram')?.state === 'up'
          ? serving.telegramWebhook
            ? 'webhook'
            : 'polling'
          : (serving.platforms.get('telegram')?.state ?? 'starting')
        : 'off',
      discord: discord ? (discord.client.isReady() ? 'ready' : serving.platforms.get('discord')?.state === 'down' ? 'down' : 'connecting') : 'off',
      platforms: serving.platforms.all(),
      subscribers: listSubscribers(db, { active: true }).length,
      // The newest brief's delivery as it goes: pending, retry (a platform failing), sent, failed.
      outbox: latestOutbox(),
    }),
    degraded: () => serving.platforms.down(),
  });

  /** A fresh brief per subscriber language, delivered to every active subscriber now. */
  async function postNow(trigger: string, progress: (p: TriggerProgress) => void = () => undefined): Promise<PostNowResult> {
    const languages = [...new Set([config.language, ...listSubscribers(db!, { active: true }).map((s) => s.language)])].sort();
    const result: PostNowResult = { briefId: null, briefs: [], delivered: 0, failed: 0 };
    for (const language of languages) {
      if (shutdown.signal.aborted) break;
      progress({ phase: 'writing', language, delivered: result.delivered });
      const briefId = await generate(language, editionKey(language), trigger);
      result.briefId ??= briefId;
      result.briefs.push({ language, briefId });
      progress({ phase: 'delivering', language, briefId, delivered: result.delivered });
      // Queued and sent by the process's one delivery loop (metrics counted there): a second
      // drain beside it, claiming as the same owner, could give back rows the other had
      // claimed and send them twice.
      const platforms = new Set(serving.adapters.map((a) => a.platform));
      const ids = listSubscribers(db!, { active: true, language }).filter((s) => platforms.has(s.platform)).map((s) => s.id);
      enqueue(db!, briefId, ids, app.now());
      await serving.deliver();
      await publishAnnouncements();
      const counts = outboxCounts(db!, briefId);
      void alerts.afterDelivery(counts, `brief #${briefId}`);
      result.delivered += counts.sent;
      result.failed += counts.failed + counts.dropped;
      progress({ phase: 'delivered', language, briefId, delivered: result.delivered });
    }
    if (shutdown.signal.aborted) {
      throw new Error(`stopped by shutdown after ${result.delivered} sent; the rest stay queued and go out at the next start`);
    }
    return result;
  }

  const { port, url } = await http.listen();
  const firstTick = scheduler.start();
  void firstTick
    .then((r) => log.info({ ...r }, 'scheduler started (catch-up done)'))
    .catch((err: unknown) => log.error({ err }, 'first scheduler tick failed'));

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    metrics,
    postNow: runManual,
    broadcastNow,
    stop(reason) {
      stopping ??= (async () => {
        log.info({ reason }, 'shutting down');
        // First stop every sender from claiming more: a manual broadcast, and (with polling)
        // the delivery loop, so a tick or request waiting on a long drain ends after the sends
        // in flight. Claimed but unsent rows go back to the outbox for the next start.
        shutdown.abort();
        const servingStopped = serving.stop(reason);
        await scheduler.stop();
        await http.close();
        await Promise.race([discordStarted, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        await discord?.stop().catch(() => undefined);
        await servingStopped;
        await manualRun?.catch(() => undefined);
        await generating.catch(() => undefined);
        app.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
