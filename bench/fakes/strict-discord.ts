/**
 * A strict fake Discord REST API for the fan-out bench: 50 requests per sliding second per bot
 * (global), a per-route bucket of 5 messages per sliding 5 s per channel announced in
 * X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket headers, webhooks at 5 per sliding 2 s
 * per webhook and 30 per sliding minute per channel, a 429 (`retry_after`, `global`, scope
 * header) for ANY request beyond one of them, a one-way delay with jitter each way, and
 * channels that answer 403 Missing Access or 404 Unknown Channel (webhooks: Unknown Webhook).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TimeLog } from '../../src/delivery/time-log.ts';
import { startServer } from '../../test/fakes/http-server.ts';

export interface StrictDiscordOptions {
  token: string;
  globalPerSecond: number;
  channelPer5s: number;
  webhookPer2s: number;
  webhookChannelPerMinute: number;
  /** Which channel each webhook posts into (webhook id -> channel id). */
  webhookChannels: Record<string, string>;
  latencyMs: number;
  jitterMs: number;
  /** Channel ids answering 403 Missing Access. */
  forbidden: ReadonlySet<string>;
  /** Channel ids answering 404 Unknown Channel, and webhook ids answering 404 Unknown Webhook. */
  unknown: ReadonlySet<string>;
  random?: () => number;
}

export interface StrictDiscordReport {
  /** Bot requests counted (global window), in arrival order (server ms). */
  seen: number[];
  /** Webhook requests counted, in arrival order. */
  seenWebhook: number[];
  accepted: number;
  rateLimited: number;
  rateLimitedBy: { global: number; channel: number; webhook: number; webhookChannel: number };
  /** Accepted messages per channel id (bot) or `webhook:<id>`. */
  perTarget: Record<string, number>;
  /** Requests per 403/404 channel or webhook (1 each when never retried). */
  goneRequests: Record<string, number>;
}

type Scope = keyof StrictDiscordReport['rateLimitedBy'];

/** @example const discord = await startStrictDiscord({ ...options }); ... await discord.close(); */
export async function startStrictDiscord(options: StrictDiscordOptions) {
  const random = options.random ?? Math.random;
  const global = new TimeLog();
  const logs = new Map<string, TimeLog>();
  const report: StrictDiscordReport = {
    seen: [],
    seenWebhook: [],
    accepted: 0,
    rateLimited: 0,
    rateLimitedBy: { global: 0, channel: 0, webhook: 0, webhookChannel: 0 },
    perTarget: {},
    goneRequests: {},
  };
  let nextId = 1_100_000_000_000_000_000n;
  const oneWay = () => Math.max(0, options.latencyMs / 2 + (random() * 2 - 1) * options.jitterMs);
  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const logOf = (key: string) => {
    let log = logs.get(key);
    if (!log) logs.set(key, (log = new TimeLog()));
    return log;
  };
  /** Ms until the window has room, or 0 when it has room now. */
  const waitFor = (log: TimeLog, limit: number, windowMs: number, now: number) => {
    log.dropUpTo(now - windowMs);
    return log.size() >= limit ? log.at(log.size() - limit) + windowMs - now : 0;
  };
  const bucketHeaders = (bucket: string, log: TimeLog, limit: number, windowMs: number, now: number) => {
    const resetAfter = log.size() > 0 ? Math.max(0, log.at(Math.max(0, log.size() - limit)) + windowMs - now) / 1000 : windowMs / 1000;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - log.size())),
      'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
  };
  const answer = async (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    await delay(oneWay());
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const tooMany = (res: ServerResponse, ms: number, scope: Scope, headers: Record<string, string>) => {
    report.rateLimited++;
    report.rateLimitedBy[scope]++;
    const retryAfter = Math.max(0.001, ms / 1000);
    const isGlobal = scope === 'global';
    return answer(
      res,
      429,
      { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global: isGlobal },
      { ...headers, 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-scope': isGlobal ? 'global' : 'user', ...(isGlobal ? { 'x-ratelimit-global': 'true' } : {}) },
    );
  };
  const gone = (res: ServerResponse, key: string, status: 403 | 404, code: number, message: string, headers: Record<string, string>) => {
    report.goneRequests[key] = (report.goneRequests[key] ?? 0) + 1;
    return answer(res, status, { code, message }, headers);
  };
  const created = (res: ServerResponse, key: string, channelId: string, headers: Record<string, string>) => {
    report.accepted++;
    report.perTarget[key] = (report.perTarget[key] ?? 0) + 1;
    return answer(res, 200, { id: String(nextId++), channel_id: channelId, content: '' }, headers);
  };

  const server = await startServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const channel = /^\/api\/v\d+\/channels\/(\d+)\/messages$/.exec(path);
    const webhook = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([\w.-]+)$/.exec(path);
    await delay(oneWay());
    const now = performance.now();
    if (channel && req.method === 'POST') {
      if (req.headers.authorization !== `Bot ${options.token}`) return answer(res, 401, { code: 0, message: '401: Unauthorized' });
      const id = channel[1]!;
      report.seen.push(now);
      const globalWait = waitFor(global, options.globalPerSecond, 1000, now);
      const log = logOf(`channel:${id}`);
      const routeWait = waitFor(log, options.channelPer5s, 5000, now);
      const headers = () => bucketHeaders('channel-messages', log, options.channelPer5s, 5000, now);
      if (globalWait > 0) return tooMany(res, globalWait, 'global', {});
      if (routeWait > 0) return tooMany(res, routeWait, 'channel', headers());
      global.push(now);
      log.push(now);
      if (options.forbidden.has(id)) return gone(res, id, 403, 50001, 'Missing Access', headers());
      if (options.unknown.has(id)) return gone(res, id, 404, 10003, 'Unknown Channel', headers());
      return created(res, id, id, headers());
    }
    if (webhook && req.method === 'POST') {
      const id = webhook[1]!;
      report.seenWebhook.push(now);
      if (options.unknown.has(id)) return gone(res, `webhook:${id}`, 404, 10015, 'Unknown Webhook', {});
      const channelId = options.webhookChannels[id] ?? id;
      const own = logOf(`webhook:${id}`);
      const inChannel = logOf(`webhook-channel:${channelId}`);
      const ownWait = waitFor(own, options.webhookPer2s, 2000, now);
      const channelWait = waitFor(inChannel, options.webhookChannelPerMinute, 60_000, now);
      const headers = () => bucketHeaders(`webhook-${id}`, own, options.webhookPer2s, 2000, now);
      if (ownWait > 0) return tooMany(res, ownWait, 'webhook', headers());
      if (channelWait > 0) return tooMany(res, channelWait, 'webhookChannel', headers());
      own.push(now);
      inChannel.push(now);
      return created(res, `webhook:${id}`, channelId, headers());
    }
    return answer(res, 404, { code: 0, message: '404: Not Found' });
  });
  return { url: server.url, token: options.token, report: () => report, close: () => server.close() };
}
