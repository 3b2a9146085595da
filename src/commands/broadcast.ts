/**
 * `morning-brief broadcast [brief id]`: queue a stored brief for every active subscriber
 * and deliver it now. Running it again (e.g. after the process was killed) sends only what
 * was not sent; `run --post` and the bot's /broadcast go through the same engine.
 */
import type { Config } from '../config.ts';
import { deliveryAdapters, deliverySettings } from '../delivery/adapters.ts';
import type { DeliveryAdapter } from '../delivery/types.ts';
import { broadcastBrief, type BroadcastReport } from '../delivery/worker.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { getBrief, latestBrief, noDataReason } from '../store/runs.ts';
import { listSubscribers } from '../store/subscribers.ts';
import { undeliveredFor, type Undelivered } from '../store/undelivered.ts';
import type { SleepFn } from '../util/http.ts';

export interface BroadcastCommandOptions {
  /** A stored brief; default the latest (in `language` when given). */
  briefId?: number;
  language?: string;
  /** Only this platform's subscribers (e.g. "telegram"). */
  platform?: string;
  json?: boolean;
}

export interface BroadcastCommandDeps {
  db: Db;
  config: Readonly<Config>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Default: built from config (every platform with credentials). */
  adapters?: readonly DeliveryAdapter[];
  log?: Logger;
  now?: () => Date;
  sleep?: SleepFn;
  signal?: AbortSignal;
}

/** What each platform needs before it can deliver. */
const CREDENTIALS: Record<string, string> = {
  telegram: 'TELEGRAM_BOT_TOKEN',
  discord: 'DISCORD_BOT_TOKEN',
  'discord-webhook': 'DISCORD_WEBHOOK_URLS or `subscribers add discord-webhook <url>`',
};

/** One line a person can read: "Brief 12 to 5,000 subscribers: 4,990 sent, ..." */
export function describeBroadcast(briefId: number, r: BroadcastReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [`${n(r.sent)} sent`];
  if (r.dropped) parts.push(`${n(r.dropped)} dropped (chat gone; unsubscribed)`);
  if (r.failed) parts.push(`${n(r.failed)} failed`);
  if (r.migrated) parts.push(`${n(r.migrated)} moved to a new chat id`);
  if (r.rateLimited) parts.push(`${n(r.rateLimited)} rate limits waited out`);
  if (r.ambiguous) parts.push(`${n(r.ambiguous)} interrupted by a crash and resent (may have arrived twice)`);
  const already = r.subscribers - r.enqueued;
  const head = `Brief ${briefId} to ${n(r.subscribers)} subscriber${r.subscribers === 1 ? '' : 's'}${already > 0 ? ` (${n(already)} already queued or sent)` : ''}`;
  const tail = r.aborted ? `. Stopped: ${r.aborted}` : '';
  return `${head}: ${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s${tail}.`;
}

const STATE_WORDS: Record<string, string> = {
  failed: 'failed',
  retry: 'waiting to retry',
  pending: 'not sent yet',
  queued: 'partly sent',
  sending: 'interrupted mid-send',
};

/** "3 of 4 subscribers still do not have brief 12: 2 failed (HTTP 500 ...), 1 waiting to retry (...)." */
export function describeUndelivered(briefId: number, subscribers: number, u: Undelivered): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const groups = u.reasons.slice(0, 4).map((r) => `${n(r.count)} ${STATE_WORDS[r.state] ?? r.state}${r.reason ? ` (${r.reason.slice(0, 160)})` : ''}`);
  if (u.reasons.length > 4) groups.push(`${n(u.reasons.slice(4).reduce((t, r) => t + r.count, 0))} more`);
  return `${n(u.total)} of ${n(subscribers)} subscriber${subscribers === 1 ? '' : 's'} still do not have brief ${briefId}: ${groups.join(', ')}.`;
}

/**
 * @returns 0 when everything due went out, 1 when something failed (now or in an earlier run and still owed), delivery stopped or
 * subscribers on an unconfigured platform were skipped, 2 for a usage error or when nobody can be reached.
 * @example const code = await runBroadcastCommand({ briefId: 12 }, { db, config, stdout, stderr });
 */
export async function runBroadcastCommand(options: BroadcastCommandOptions, deps: BroadcastCommandDeps): Promise<number> {
  const { db, config } = deps;
  const stored =
    options.briefId !== undefined
      ? getBrief(db, options.briefId)
      : latestBrief(db, options.language ? { language: options.language } : {});
  if (!stored) {
    deps.stderr.write(
      options.briefId !== undefined
        ? `No brief with id ${options.briefId}. \`morning-brief history\` lists stored briefs.\n`
        : `No brief stored yet${options.language ? ` in "${options.language}"` : ''}. Run \`morning-brief run\` first.\n`,
    );
    return 2;
  }
  // `broadcast`, `run --post` and `replay --post` all come here: a brief from no data is never sent.
  const noData = noDataReason(db, stored);
  if (noData) {
    deps.stderr.write(`${noData} Run \`morning-brief run\` again once the sources answer (\`morning-brief sources\` probes them).\n`);
    return 1;
  }
  if (options.platform && !(options.platform in CREDENTIALS)) {
    deps.stderr.write(`Unknown platform "${options.platform}"; known: ${Object.keys(CREDENTIALS).join(', ')}.\n`);
    return 2;
  }
  const adapters = (deps.adapters ?? deliveryAdapters(config, db)).filter((a) => !options.platform || a.platform === options.platform);
  if (adapters.length === 0) {
    deps.stderr.write(
      options.platform
        ? `Platform "${options.platform}" is not configured (set its bot token, e.g. TELEGRAM_BOT_TOKEN).\n`
        : 'No delivery platform is configured: set TELEGRAM_BOT_TOKEN (or a Discord token).\n',
    );
    return 2;
  }
  // Subscribers on a platform without credentials would be skipped without a word:
  // say so, and stop when nobody at all can be reached.
  const reachable = new Set(adapters.map((a) => a.platform));
  const active = options.platform ? [] : listSubscribers(db, { active: true, ...(options.language ? { language: options.language } : {}) });
  const unreached = new Map<string, number>();
  for (const s of active) if (!reachable.has(s.platform)) unreached.set(s.platform, (unreached.get(s.platform) ?? 0) + 1);
  const skipped = [...unreached].map(([p, n]) => `${n} on ${p} (set ${CREDENTIALS[p] ?? 'its credentials'})`).join(', ');
  if (unreached.size > 0 && active.every((s) => !reachable.has(s.platform))) {
    deps.stderr.write(`No subscriber can be reached: ${skipped}.\n`);
    return 2;
  }
  if (unreached.size > 0) deps.stderr.write(`Skipped subscribers on unconfigured platforms: ${skipped}.\n`);
  const settings = deliverySettings(config, db, adapters, deps.log);
  const report = await broadcastBrief(
    db,
    stored.id,
    {
      ...settings,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
    options.language ? { filter: { language: options.language } } : {},
  );
  // What this run sent is not the whole story: rows an earlier run left failed or waiting are
  // still owed, and a re-run that sends "0" must not look like success.
  const undelivered = undeliveredFor(db, stored.id, { platforms: [...reachable], ...(options.language ? { language: options.language } : {}) });
  if (options.json) deps.stdout.write(`${JSON.stringify({ briefId: stored.id, ...report, undelivered })}\n`);
  else {
    deps.stdout.write(`${describeBroadcast(stored.id, report)}\n`);
    if (undelivered.total > 0) deps.stdout.write(`${describeUndelivered(stored.id, report.subscribers, undelivered)}\n`);
  }
  return report.failed > 0 || report.aborted || unreached.size > 0 || undelivered.total > 0 ? 1 : 0;
}
