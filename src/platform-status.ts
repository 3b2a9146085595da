/**
 * Whether each chat platform's bot is up, and a supervisor that keeps retrying a bot's start
 * with backoff, so `serve` stays up (HTTP, scheduler, other platforms) while one is down.
 */
import { describeError, redactUrl } from './errors.ts';
import type { Logger } from './log.ts';
import type { SleepFn } from './util/http.ts';

export type PlatformState = 'starting' | 'up' | 'down' | 'stopped';

export interface PlatformHealth {
  state: PlatformState;
  /** When the platform entered this state (a retry that fails again keeps the first failure's time). */
  since: string;
  /** The last start failure, secrets redacted; null when up. */
  error: string | null;
  /** Start attempts that failed in a row. */
  failures: number;
  /** When the next start attempt is due while down. */
  nextAttemptAt: string | null;
}

export interface PlatformStatus {
  set(platform: string, state: PlatformState, details?: { error?: string; nextAttemptAt?: Date }): void;
  get(platform: string): PlatformHealth | undefined;
  /** Every platform tracked, for /healthz. */
  all(): Record<string, PlatformHealth>;
  /** Platforms that are down, e.g. ['telegram']. */
  down(): string[];
}

/** @example const status = createPlatformStatus(() => new Date()); status.set('telegram', 'up'); */
export function createPlatformStatus(now: () => Date): PlatformStatus {
  const states = new Map<string, PlatformHealth>();
  return {
    set(platform, state, details = {}) {
      const before = states.get(platform);
      const same = before?.state === state;
      states.set(platform, {
        state,
        since: same ? before.since : now().toISOString(),
        error: state === 'down' ? (details.error ?? before?.error ?? null) : null,
        failures: state === 'down' ? (before?.failures ?? 0) + 1 : state === 'up' ? 0 : (before?.failures ?? 0),
        nextAttemptAt: details.nextAttemptAt?.toISOString() ?? null,
      });
    },
    get: (platform) => states.get(platform),
    all: () => Object.fromEntries(states),
    down: () => [...states].filter(([, h]) => h.state === 'down').map(([p]) => p),
  };
}

export interface SuperviseOptions {
  platform: string;
  /** One start attempt; resolves when the bot is up. */
  start: () => Promise<void>;
  status: PlatformStatus;
  log: Logger;
  sleep: SleepFn;
  now: () => Date;
  /** Aborted by shutdown: no more attempts. */
  signal: AbortSignal;
  /** First wait after a failed start (default 5 s); doubles per failure up to maxDelayMs (default 5 min). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Makes secrets (the bot token) disappear from the logged error. */
  redact?: (text: string) => string;
}

/** Wait before attempt n+1 after n failures: base, 2x base, 4x base ... capped. */
export function startBackoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Tries `start` until it succeeds or `signal` aborts, one attempt at a time, in the background.
 * `firstAttempt` settles with the first attempt (true when it succeeded); `done` when the bot is
 * up (true) or the supervisor gave up at shutdown (false).
 * @example const { firstAttempt } = superviseStart({ platform: 'telegram', start: () => bot.start(), status, log, sleep, now, signal });
 */
export function superviseStart(options: SuperviseOptions): { firstAttempt: Promise<boolean>; done: Promise<boolean> } {
  const { platform, status, log, signal } = options;
  const base = options.baseDelayMs ?? 5_000;
  const max = options.maxDelayMs ?? 300_000;
  const redact = options.redact ?? ((t: string) => t);
  let failures = 0;
  const attempt = async (): Promise<boolean> => {
    // A platform that is down stays "down since" its first failure while it is retried.
    if (status.get(platform)?.state !== 'down') status.set(platform, 'starting');
    try {
      await options.start();
      status.set(platform, 'up');
      if (failures > 0) log.info({ platform, failures }, `${platform} is up again after ${failures} failed start${failures === 1 ? '' : 's'}`);
      return true;
    } catch (err) {
      failures++;
      const wait = startBackoffMs(failures, base, max);
      const error = redact(redactUrl(describeError(err)));
      status.set(platform, 'down', { error, nextAttemptAt: new Date(options.now().getTime() + wait) });
      log.error({ platform, failures, retryInMs: wait }, `${platform} bot could not start (${error}); everything else keeps running, retrying in ${Math.round(wait / 1000)} s`);
      return false;
    }
  };
  const firstAttempt = attempt();
  const done = firstAttempt.then(async (first) => {
    if (first) return true;
    while (!signal.aborted) {
      try {
        await options.sleep(startBackoffMs(failures, base, max), signal);
      } catch {
        break;
      }
      if (signal.aborted) break;
      if (await attempt()) return true;
    }
    status.set(platform, 'stopped');
    return false;
  });
  return { firstAttempt, done };
}
