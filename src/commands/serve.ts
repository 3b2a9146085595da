/**
 * `morning-brief serve` (minimal, for the Telegram issue): the Telegram bot plus a delivery
 * loop that drains the outbox at start (finishing what a killed process left) and every
 * `delivery.pollMs`. The service issue adds the scheduler and the HTTP server; they share
 * `deliver` (a drain) and, in webhook mode, mount `telegramWebhook`.
 */
import { createServer, type Server } from 'node:http';
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { deliveryAdapters, deliverySettings } from '../delivery/adapters.ts';
import type { DeliveryAdapter, DeliveryReport } from '../delivery/types.ts';
import { startDeliveryLoop } from '../delivery/worker.ts';
import { createTelegramBot, type TelegramBot } from '../bots/telegram-bot.ts';
import type { Logger } from '../log.ts';
import { createPlatformStatus, superviseStart, type PlatformStatus } from '../platform-status.ts';
import type { Db } from '../store/db.ts';
import { assertIntact } from '../store/db-errors.ts';
import { latestBrief } from '../store/runs.ts';
import { realSleep, type SleepFn } from '../util/http.ts';

/** How long serve waits for a bot's first start attempt before going on without it. */
const FIRST_START_WAIT_MS = 10_000;

export interface ServeDeps {
  db: Db;
  log: Logger;
  now?: () => Date;
  /** Default: the newest stored brief in the language, else in the default language. */
  getLatestBrief?: (language: string) => Promise<Brief | null>;
  /** Default: every configured platform (deliveryAdapters). */
  adapters?: readonly DeliveryAdapter[];
  /** Writes a fresh brief and delivers it to everyone (the operator's /broadcast); default: the latest stored brief. */
  broadcastNow?: () => Promise<string>;
  /** Every delivery drain's report (at start, periodic, kicked), e.g. for metrics. */
  onDeliveryReport?: (report: DeliveryReport) => void;
  /** false: the caller's HTTP server mounts `telegramWebhook`; true (default): listen on server.host:port for it. */
  listenForWebhook?: boolean;
  /** Where each bot's up/down state is kept (for /healthz); default a new one. */
  platformStatus?: PlatformStatus;
  /** Waits between bot start attempts (default a timer). */
  sleep?: SleepFn;
  /**
   * First wait after a failed bot start, doubling up to maxDelayMs (defaults 5 s and 5 min);
   * how long start waits for a bot's first attempt before going on without it (default 10 s).
   */
  startRetry?: { baseDelayMs?: number; maxDelayMs?: number; firstAttemptWaitMs?: number };
}

export interface Serving {
  /** Drain the outbox now (joins a running drain). */
  deliver(): Promise<DeliveryReport>;
  /** The adapters every sender in this process shares (one limiter per platform). */
  adapters: readonly DeliveryAdapter[];
  telegram: TelegramBot | null;
  /** Each bot's state: a platform that is down at start is retried in the background. */
  platforms: PlatformStatus;
  /** Webhook mode: where and what to mount. */
  telegramWebhook: TelegramBot['webhook'];
  stop(reason?: string): Promise<void>;
}

/**
 * @example const serving = await runServe(config, { db, log }); process.once('SIGTERM', () => void serving.stop('SIGTERM'));
 */
export async function runServe(config: Readonly<Config>, deps: ServeDeps): Promise<Serving> {
  const { db, log } = deps;
  // A corrupt database is refused at start (PRAGMA quick_check), before anything writes to it.
  assertIntact(db, config.db);
  const now = deps.now ?? (() => new Date());
  const adapters = deps.adapters ?? deliveryAdapters(config, db);
  if (adapters.length === 0) log.warn('no delivery platform configured (TELEGRAM_BOT_TOKEN, Discord): nothing will be sent');
  const loop = startDeliveryLoop({ ...deliverySettings(config, db, adapters, log), now }, config.delivery.pollMs, deps.onDeliveryReport);
  // Finish what a previous (possibly killed) process left in the outbox.
  void loop.kick().then((r) => {
    if (r.sent + r.failed + r.dropped + r.ambiguous > 0) log.info({ ...r }, 'outbox drained at start');
  });

  const getLatestBrief =
    deps.getLatestBrief ??
    (async (language: string) =>
      (latestBrief(db, { language, withData: true }) ?? latestBrief(db, { language: config.language, withData: true }))?.brief ?? null);
  let telegram: TelegramBot | null = null;
  let webhookServer: Server | null = null;
  const platforms = deps.platformStatus ?? createPlatformStatus(now);
  /** Aborted by stop(): no more start attempts. */
  const starting = new AbortController();
  let telegramStarted: Promise<boolean> = Promise.resolve(false);
  const token = config.telegram.botToken;
  if (token) {
    const bot = createTelegramBot({ config, db, getLatestBrief, log, now, adapters, ...(deps.broadcastNow ? { broadcastNow: deps.broadcastNow } : {}) });
    telegram = bot;
    // Telegram unreachable or the token refused: log it, show it in /healthz, retry with
    // backoff, and keep the outbox, the scheduler, the HTTP server and Discord running.
    const supervised = superviseStart({
      platform: 'telegram',
      start: () => bot.start(),
      status: platforms,
      log,
      sleep: deps.sleep ?? realSleep,
      now,
      signal: starting.signal,
      redact: (text) => text.split(token).join('<redacted>'),
      ...(deps.startRetry?.baseDelayMs !== undefined ? { baseDelayMs: deps.startRetry.baseDelayMs } : {}),
      ...(deps.startRetry?.maxDelayMs !== undefined ? { maxDelayMs: deps.startRetry.maxDelayMs } : {}),
    });
    telegramStarted = supervised.done;
    // Usually the first attempt is quick; one that hangs (a black-holed API) must not keep
    // the HTTP server and the scheduler from starting: it goes on in the background.
    await Promise.race([supervised.firstAttempt, new Promise((resolve) => setTimeout(resolve, deps.startRetry?.firstAttemptWaitMs ?? FIRST_START_WAIT_MS).unref())]);
    const hook = telegram.webhook;
    if (hook && deps.listenForWebhook !== false) {
      webhookServer = createServer((req, res) => {
        if (req.url?.split('?')[0] === hook.path) void hook.handler(req, res);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => webhookServer!.listen(config.server.port, config.server.host, resolve));
    }
  }

  return {
    deliver: () => loop.kick(),
    adapters,
    telegram,
    platforms,
    telegramWebhook: telegram?.webhook ?? null,
    async stop(reason = 'stop') {
      starting.abort();
      // An attempt in flight finishes (or gives up) first, so no polling starts after this stop.
      await Promise.race([telegramStarted, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await telegram?.stop(reason);
      await loop.stop();
      if (webhookServer) await new Promise<void>((resolve) => webhookServer!.close(() => resolve()));
    },
  };
}
