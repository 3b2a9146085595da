/**
 * `morning-brief serve`: one process with the Telegram bot, the Discord bot, the scheduler,
 * the delivery loop and the HTTP server, all built from one config, and a bounded graceful
 * shutdown. Every trigger (tick, /broadcast, POST /trigger) goes through runBrief and the
 * same outbox.
 */
import type { App } from './app.ts';
import { createDiscordBot, type DiscordBot } from './bots/discord-bot.ts';
import { runServe, type Serving } from './commands/serve.ts';
import type { Brief } from './domain.ts';
import { deliverySettings } from './delivery/adapters.ts';
import { broadcastBrief } from './delivery/worker.ts';
import { createMetrics, recordDelivery, recordRun, type Metrics } from './metrics.ts';
import { runBrief } from './pipeline.ts';
import { createScheduler, editionKey } from './schedule/scheduler.ts';
import { createHttpServer, TriggerBusyError, type HttpServer } from './server/server.ts';
import { enqueue } from './store/outbox.ts';
import { latestBrief } from './store/runs.ts';
import { listSubscribers } from './store/subscribers.ts';

export interface Service {
  /** Where the HTTP server listens (port 0 picks one). */
  url: string;
  port: number;
  metrics: Metrics;
  /** Stops taking work, hands unsent messages back to the outbox, closes the database. */
  stop(reason: string): Promise<void>;
}

/**
 * @example const service = await startService(createApp(config)); process.once('SIGTERM', () => service.stop('SIGTERM'));
 */
export async function startService(app: App): Promise<Service> {
  const { config, log } = app;
  const db = app.db;
  if (!db) throw new Error('serve needs the database');
  const metrics = createMetrics();
  let generating: Promise<unknown> = Promise.resolve();

  /** One brief at a time in this process: the scheduler, /trigger and bots never write in parallel. */
  const generate = (language: string, edition: string, trigger: string): Promise<number> => {
    const next = generating.then(async () => {
      const result = await runBrief(app, { trigger, writer: 'auto', language, edition });
      recordRun(metrics, result);
      return result.briefId!;
    });
    generating = next.catch(() => undefined);
    return next;
  };

  const getLatestBrief = async (language: string): Promise<Brief | null> =>
    (latestBrief(db, { language }) ?? latestBrief(db, { language: config.language }) ?? latestBrief(db))?.brief ?? null;

  const serving: Serving = await runServe(config, { db, log, now: app.now, getLatestBrief, listenForWebhook: false });
  const deliver = async () => {
    const report = await serving.deliver();
    recordDelivery(metrics, { platform: 'all', sent: report.sent, failed: report.failed + report.dropped, retried: report.retried, rateLimited: report.rateLimited });
  };

  let discord: DiscordBot | null = null;
  if (config.discord.botToken) {
    discord = createDiscordBot({ db, config, getLatestBrief, now: app.now, log });
    // A gateway that cannot connect must not take delivery (REST) and the rest down with it.
    discord.start().catch((err: unknown) => log.error({ err }, 'discord bot could not start; Discord delivery still works over REST'));
  }

  const scheduler = createScheduler({
    db,
    now: app.now,
    log,
    freshMinutes: config.delivery.freshMinutes,
    graceHours: config.delivery.graceHours,
    generate: (language, edition) => generate(language, edition, 'schedule'),
    enqueue: (briefId, ids) => void enqueue(db, briefId, ids, app.now()),
    deliver,
  });

  let triggerRunning = false;
  const http: HttpServer = createHttpServer({
    db,
    metrics,
    log,
    now: app.now,
    config: config.server,
    ...(serving.telegramWebhook ? { mounts: [serving.telegramWebhook] } : {}),
    async trigger() {
      if (triggerRunning) throw new TriggerBusyError();
      triggerRunning = true;
      try {
        return await postNow('http');
      } finally {
        triggerRunning = false;
      }
    },
    healthExtras: () => ({
      telegram: serving.telegram ? (serving.telegramWebhook ? 'webhook' : 'polling') : 'off',
      discord: discord ? (discord.client.isReady() ? 'ready' : 'connecting') : 'off',
      subscribers: listSubscribers(db, { active: true }).length,
    }),
  });

  /** A fresh brief per subscriber language, delivered to every active subscriber now. */
  async function postNow(trigger: string): Promise<{ briefId: number | null; delivered: number }> {
    const languages = [...new Set([config.language, ...listSubscribers(db!, { active: true }).map((s) => s.language)])].sort();
    let delivered = 0;
    let firstBrief: number | null = null;
    for (const language of languages) {
      const briefId = await generate(language, editionKey(language), trigger);
      firstBrief ??= briefId;
      const report = await broadcastBrief(db!, briefId, { ...deliverySettings(config, db!, serving.adapters, log), now: app.now }, { filter: { language } });
      recordDelivery(metrics, { platform: 'all', sent: report.sent, failed: report.failed + report.dropped, retried: report.retried, rateLimited: report.rateLimited });
      delivered += report.sent;
    }
    return { briefId: firstBrief, delivered };
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
    stop(reason) {
      stopping ??= (async () => {
        log.info({ reason }, 'shutting down');
        await scheduler.stop();
        await http.close();
        await discord?.stop().catch(() => undefined);
        // Stops polling and the delivery loop; claimed but unsent rows go back to the outbox.
        await serving.stop(reason);
        await generating.catch(() => undefined);
        app.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
