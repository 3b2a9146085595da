/**
 * A fake Discord REST API on 127.0.0.1 that behaves like the real one where the bot can
 * notice: it checks every message against Discord's limits (400 Invalid Form Body, and a
 * recorded violation), answers 429 with `retry_after` + `global` + X-RateLimit headers,
 * 403 Missing Access / Missing Permissions, 404 Unknown Channel / Unknown Webhook, and
 * records what it accepted (messages, command registrations, interaction replies).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer } from './http-server.ts';

export type ChannelState = 'ok' | 'missing-access' | 'missing-permissions' | 'unknown';

export interface FakeDiscordOptions {
  token?: string;
  /** The clock of the hourly publish (crosspost) quota; Date.now unless given. */
  now?: () => number;
  applicationId?: string;
  /** Per-route bucket (per channel or webhook): this many requests per window, then 429. */
  bucket?: { limit: number; windowMs: number };
  /** Requests per second across the bot's routes before a global 429. */
  globalPerSecond?: number;
  /** Delay before every answer. */
  latencyMs?: number;
}

export interface RecordedMessage {
  id: string;
  via: 'bot' | 'webhook';
  /** Channel id for bot messages, webhook id for webhook messages. */
  target: string;
  body: MessageBody;
  /** Who would have been pinged: "everyone", "here", "user:<id>", "role:<id>". */
  pings: string[];
  /** Files of a multipart post (payload_json + files[n]). */
  files?: Array<{ field: string; filename: string; type: string; bytes: Buffer }>;
}

/** Discord's attachment limit for a server without boosts. */
export const ATTACHMENT_LIMIT_BYTES = 10 * 1024 * 1024;

/** Where parseBody leaves a multipart post's files on its body (not a JSON field). */
const FILES = Symbol('files');

export interface Violation {
  route: string;
  problems: string[];
}

export interface RecordedRequest {
  method: string;
  /** Path with webhook tokens replaced by `<token>`. */
  path: string;
  status: number;
}

interface MessageBody {
  content?: unknown;
  embeds?: unknown;
  allowed_mentions?: { parse?: unknown; users?: unknown; roles?: unknown };
  [key: string]: unknown;
}

interface ScriptedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  times: number;
  /** Requests to let through before this failure starts. */
  skip: number;
}

export interface FakeDiscord {
  /** http://127.0.0.1:<port> */
  url: string;
  /** What to pass as @discordjs/rest's `api` (the base without version). */
  api: string;
  token: string;
  applicationId: string;
  messages: RecordedMessage[];
  violations: Violation[];
  requests: RecordedRequest[];
  /** Every PUT of a command list, in order. */
  commandPuts: { guildId: string | null; body: unknown }[];
  /** Interaction callbacks, edits of @original and follow-ups. */
  interactionResponses: { kind: 'callback' | 'edit' | 'followup'; interactionId?: string; body: Record<string, unknown> }[];
  /** Messages published from announcement channels (POST .../messages/{id}/crosspost), in order. */
  crossposts: { channelId: string; messageId: string; at: number }[];
  setChannel(id: string, state: ChannelState): void;
  /** The next `times` requests to a channel or webhook id (after `skip` good ones) answer 429. */
  rateLimitNext(target: string, opts: { retryAfter: number; global?: boolean; times?: number; skip?: number }): void;
  /** The next `times` requests to a channel or webhook id answer with this status. */
  failNext(target: string, status: number, times?: number): void;
  /** A webhook that exists; its URL is what a user pastes. */
  addWebhook(channelId?: string): { id: string; token: string; url: string };
  deleteWebhook(id: string): void;
  /** Message posts (bot and webhook) wait unprocessed, as if still on the wire, until release(). */
  hold(): void;
  /** Processes the held posts whose client is still connected; the rest are never processed. */
  release(): void;
  heldCount(): number;
  close(): Promise<void>;
}

const LIMITS = {
  content: 2000,
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
};

/** Nested `errors` object as Discord shapes it: { embeds: { 0: { title: { _errors: [...] } } } }. */
class FormErrors {
  readonly tree: Record<string, unknown> = {};
  readonly flat: string[] = [];
  add(path: (string | number)[], code: string, message: string): void {
    this.flat.push(`${path.join('.')}: ${message}`);
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code, message });
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function maxLen(errors: FormErrors, path: (string | number)[], value: unknown, max: number, required = false): number {
  const s = str(value);
  if (value === undefined || value === null) {
    if (required) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (s === null) {
    errors.add(path, 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
    return 0;
  }
  if (required && s.trim().length === 0) errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  // Discord counts characters (code points).
  const n = [...s].length;
  if (n > max) errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return n;
}

/** Checks a message body against Discord's documented limits. */
export function validateMessage(body: MessageBody): FormErrors {
  const errors = new FormErrors();
  maxLen(errors, ['content'], body.content, LIMITS.content);
  if (body.embeds !== undefined) {
    if (!Array.isArray(body.embeds)) errors.add(['embeds'], 'LIST_TYPE_CONVERT', 'Must be an array.');
    else {
      if (body.embeds.length > LIMITS.embeds) errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embeds} or fewer in length.`);
      let total = 0;
      body.embeds.forEach((raw: unknown, i: number) => {
        const e = (raw ?? {}) as Record<string, unknown>;
        const at = (...p: (string | number)[]) => ['embeds', i, ...p];
        total += maxLen(errors, at('title'), e.title, LIMITS.title);
        total += maxLen(errors, at('description'), e.description, LIMITS.description);
        const footer = e.footer as Record<string, unknown> | undefined;
        if (footer !== undefined) total += maxLen(errors, at('footer', 'text'), footer.text, LIMITS.footer, true);
        const author = e.author as Record<string, unknown> | undefined;
        if (author !== undefined) total += maxLen(errors, at('author', 'name'), author.name, LIMITS.author, true);
        if (e.color !== undefined && !(Number.isInteger(e.color) && (e.color as number) >= 0 && (e.color as number) <= 0xffffff)) {
          errors.add(at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
        }
        if (e.timestamp !== undefined && Number.isNaN(Date.parse(String(e.timestamp)))) {
          errors.add(at('timestamp'), 'DATE_TYPE_PARSE', 'Could not parse timestamp. Should be ISO8601.');
        }
        if (e.fields !== undefined) {
          const fields = Array.isArray(e.fields) ? (e.fields as Record<string, unknown>[]) : [];
          if (fields.length > LIMITS.fields) errors.add(at('fields'), 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.fields} or fewer in length.`);
          fields.forEach((f, j) => {
            total += maxLen(errors, at('fields', j, 'name'), f.name, LIMITS.fieldName, true);
            total += maxLen(errors, at('fields', j, 'value'), f.value, LIMITS.fieldValue, true);
          });
        }
      });
      if (total > LIMITS.total) errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.total}`);
    }
  }
  return errors;
}

/** Who a message would ping: mentions in content only, filtered by allowed_mentions. */
function pingsOf(body: MessageBody): string[] {
  const content = str(body.content) ?? '';
  const allowed = body.allowed_mentions;
  const parse = Array.isArray(allowed?.parse) ? (allowed.parse as string[]) : null;
  const may = (kind: string) => parse === null && allowed === undefined ? true : (parse ?? []).includes(kind);
  const pings: string[] = [];
  for (const m of content.matchAll(/@(everyone|here)\b/g)) if (may('everyone')) pings.push(m[1]!);
  for (const m of content.matchAll(/<@!?(\d+)>/g)) if (may('users')) pings.push(`user:${m[1]}`);
  for (const m of content.matchAll(/<@&(\d+)>/g)) if (may('roles')) pings.push(`role:${m[1]}`);
  return pings;
}

function isEmpty(body: MessageBody): boolean {
  const content = str(body.content) ?? '';
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  return content.trim() === '' && embeds.length === 0;
}

/**
 * @example const discord = await startFakeDiscord(); new REST({ api: discord.api }).setToken(discord.token);
 */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-bot-token.abc123';
  const applicationId = options.applicationId ?? '1100000000000000001';
  let nextId = 1300000000000000000n;
  const snowflake = () => String(nextId++);
  const channels = new Map<string, ChannelState>();
  const webhooks = new Map<string, { token: string; channelId: string }>();
  const scripted = new Map<string, ScriptedFailure[]>();
  const buckets = new Map<string, { count: number; resetAt: number }>();
  let globalWindow = { count: 0, resetAt: 0 };
  let holding = false;
  const held = new Set<{ resume: () => void }>();
  const state = {
    messages: [] as RecordedMessage[],
    violations: [] as Violation[],
    requests: [] as RecordedRequest[],
    commandPuts: [] as FakeDiscord['commandPuts'],
    interactionResponses: [] as FakeDiscord['interactionResponses'],
    crossposts: [] as FakeDiscord['crossposts'],
  };

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function rateLimited(res: ServerResponse, retryAfter: number, global: boolean, bucket: string): void {
    send(
      res,
      429,
      { message: 'You are being rate limited.', retry_after: retryAfter, global },
      {
        // Discord rounds the header up to whole seconds; the body carries the precise float.
        'retry-after': String(Math.ceil(retryAfter)),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
        'x-ratelimit-limit': String(options.bucket?.limit ?? 5),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-bucket': bucket,
      },
    );
  }

  /** Scripted failures and the bucket/global counters; true when it answered. */
  function gate(res: ServerResponse, target: string, bucketName: string, countGlobal: boolean): boolean {
    const queue = scripted.get(target);
    const next = queue?.[0];
    if (next && next.skip > 0) next.skip--;
    else if (next) {
      if (--next.times <= 0) queue!.shift();
      if (next.status === 429) {
        const b = next.body as { retry_after: number; global: boolean };
        rateLimited(res, b.retry_after, b.global, bucketName);
      } else send(res, next.status, next.body, next.headers);
      return true;
    }
    const now = Date.now();
    if (countGlobal && options.globalPerSecond !== undefined) {
      if (now >= globalWindow.resetAt) globalWindow = { count: 0, resetAt: now + 1000 };
      if (++globalWindow.count > options.globalPerSecond) {
        rateLimited(res, (globalWindow.resetAt - now) / 1000, true, bucketName);
        return true;
      }
    }
    if (options.bucket) {
      let b = buckets.get(target);
      if (!b || now >= b.resetAt) buckets.set(target, (b = { count: 0, resetAt: now + options.bucket.windowMs }));
      if (++b.count > options.bucket.limit) {
        rateLimited(res, Math.max(0.001, (b.resetAt - now) / 1000), false, bucketName);
        return true;
      }
      res.setHeader('x-ratelimit-limit', String(options.bucket.limit));
      res.setHeader('x-ratelimit-remaining', String(options.bucket.limit - b.count));
      res.setHeader('x-ratelimit-reset-after', ((b.resetAt - now) / 1000).toFixed(3));
      res.setHeader('x-ratelimit-reset', (b.resetAt / 1000).toFixed(3));
      res.setHeader('x-ratelimit-bucket', bucketName);
    }
    return false;
  }

  function parseJson(res: ServerResponse, raw: string): MessageBody | null {
    try {
      const v: unknown = JSON.parse(raw || '{}');
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as MessageBody;
    } catch {
      // fall through
    }
    send(res, 400, { code: 50109, message: 'The request body contains invalid JSON.' });
    return null;
  }

  /**
   * A message body as Discord reads it: JSON, or multipart with `payload_json` and `files[n]`;
   * every `attachment://name` in an embed must name an uploaded file, each within the limit.
   */
  async function parseBody(req: IncomingMessage, res: ServerResponse, raw: string, bytes: Buffer): Promise<MessageBody | null> {
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('multipart/form-data')) return parseJson(res, raw);
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: bytes }).formData();
    const body = parseJson(res, String(form.get('payload_json') ?? '{}'));
    if (!body) return null;
    const files: NonNullable<RecordedMessage['files']> = [];
    for (const [field, v] of form.entries()) {
      if (typeof v === 'string') continue;
      const file = v as File;
      files.push({ field, filename: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
    }
    const tooBig = files.find((f) => f.bytes.length > ATTACHMENT_LIMIT_BYTES);
    if (tooBig) {
      send(res, 413, { code: 40005, message: 'Request entity too large' });
      return null;
    }
    const named = new Set(files.map((f) => f.filename));
    const wanted = JSON.stringify(body.embeds ?? []).match(/attachment:\/\/[^"]+/g) ?? [];
    const missing = wanted.map((w) => w.slice('attachment://'.length)).filter((n) => !named.has(n));
    if (missing.length > 0) {
      state.violations.push({ route: 'multipart', problems: [`attachment://${missing[0]} names no uploaded file`] });
      send(res, 400, { code: 50035, message: 'Invalid Form Body' });
      return null;
    }
    return Object.assign(body, { [FILES]: files });
  }

  /** Validates, records and answers a message post; the same for bot and webhook routes. */
  function acceptMessage(res: ServerResponse, route: string, via: RecordedMessage['via'], target: string, channelId: string, body: MessageBody, wait: boolean): void {
    const errors = validateMessage(body);
    if (errors.flat.length > 0) {
      state.violations.push({ route, problems: errors.flat });
      send(res, 400, { code: 50035, message: 'Invalid Form Body', errors: errors.tree });
      return;
    }
    if (isEmpty(body)) {
      state.violations.push({ route, problems: ['empty message'] });
      send(res, 400, { code: 50006, message: 'Cannot send an empty message' });
      return;
    }
    const id = snowflake();
    const files = (body as { [FILES]?: RecordedMessage['files'] })[FILES];
    state.messages.push({ id, via, target, body, pings: pingsOf(body), ...(files ? { files } : {}) });
    const message = {
      id,
      type: 0,
      channel_id: channelId,
      content: str(body.content) ?? '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      author: { id: via === 'bot' ? applicationId : target, username: via === 'bot' ? 'Morning Brief' : 'Captain Hook', bot: true },
      timestamp: new Date().toISOString(),
      ...(via === 'webhook' ? { webhook_id: target } : {}),
    };
    if (wait) send(res, 200, message);
    else send(res, 204, null);
  }

  function authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.headers.authorization === `Bot ${token}`) return true;
    send(res, 401, { message: '401: Unauthorized', code: 0 });
    return false;
  }

  function validateCommands(body: unknown): string[] {
    const problems: string[] = [];
    if (!Array.isArray(body)) return ['body must be an array of commands'];
    if (body.length > 100) problems.push('more than 100 commands');
    const names = new Set<string>();
    body.forEach((raw: unknown, i) => {
      const c = (raw ?? {}) as Record<string, unknown>;
      const name = str(c.name) ?? '';
      if (!/^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u.test(name)) problems.push(`${i}.name: invalid command name "${name}"`);
      if (names.has(name)) problems.push(`${i}.name: duplicate "${name}"`);
      names.add(name);
      const description = str(c.description) ?? '';
      if (description.length < 1 || description.length > 100) problems.push(`${i}.description: must be 1-100 characters`);
      const opts = Array.isArray(c.options) ? (c.options as Record<string, unknown>[]) : [];
      if (opts.length > 25) problems.push(`${i}.options: more than 25`);
      let seenOptional = false;
      opts.forEach((o, j) => {
        if (!/^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u.test(str(o.name) ?? '')) problems.push(`${i}.options.${j}.name: invalid`);
        const d = str(o.description) ?? '';
        if (d.length < 1 || d.length > 100) problems.push(`${i}.options.${j}.description: must be 1-100 characters`);
        if (o.required === true && seenOptional) problems.push(`${i}.options.${j}: required options must come first`);
        if (o.required !== true) seenOptional = true;
        if (Array.isArray(o.choices) && o.choices.length > 25) problems.push(`${i}.options.${j}.choices: more than 25`);
      });
    });
    return problems;
  }

  const server = await startServer(async (req, res, raw, bytes) => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v10)?/, '');
    if (holding && method === 'POST' && /^\/(channels\/\d+\/messages|webhooks\/\d+\/[^/]+)$/.test(path)) {
      // A client killed while we hold its request never gets it processed.
      const gone = await new Promise<boolean>((resolve) => {
        // The client may have died during the latency wait: its 'close' has fired already.
        if (res.destroyed || req.socket.destroyed) return resolve(true);
        const entry = { resume: () => resolve(false) };
        held.add(entry);
        res.once('close', () => {
          if (held.delete(entry)) resolve(true);
        });
      });
      if (gone) return;
    }
    res.on('finish', () => {
      state.requests.push({ method, path: url.pathname.replace(/(\/webhooks\/\d+\/)[^/]+/, '$1<token>'), status: res.statusCode });
    });

    let m: RegExpExecArray | null;
    // Publishing in an announcement channel: 10 an hour per channel; failNext/rateLimitNext with target `crosspost:<channel>`.
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages\/(\d+)\/crosspost$/.exec(path))) {
      const [, channelId = '', messageId = ''] = m;
      if (!authorized(req, res)) return;
      if (gate(res, `crosspost:${channelId}`, 'crosspost', true)) return;
      const message = state.messages.find((msg) => msg.id === messageId && msg.target === channelId);
      if (!message) return send(res, 404, { message: 'Unknown Message', code: 10008 });
      if (state.crossposts.some((c) => c.messageId === messageId)) return send(res, 400, { message: 'This message has already been crossposted.', code: 40033 });
      const now = (options.now ?? Date.now)();
      const lastHour = state.crossposts.filter((c) => c.channelId === channelId && c.at > now - 3600_000);
      if (lastHour.length >= 10) {
        // Recorded in `requests` with status 429.
        return send(res, 429, { message: 'You are being rate limited.', retry_after: (lastHour[0]!.at + 3600_000 - now) / 1000, global: false });
      }
      state.crossposts.push({ channelId, messageId, at: now });
      return send(res, 200, { id: messageId, channel_id: channelId, flags: 1 });
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = m[1]!;
      if (!authorized(req, res)) return;
      if (gate(res, channelId, 'channel-messages', true)) return;
      const st = channels.get(channelId) ?? 'ok';
      if (st === 'unknown') return send(res, 404, { message: 'Unknown Channel', code: 10003 });
      if (st === 'missing-access') return send(res, 403, { message: 'Missing Access', code: 50001 });
      if (st === 'missing-permissions') return send(res, 403, { message: 'Missing Permissions', code: 50013 });
      const body = await parseBody(req, res, raw, bytes);
      if (!body) return;
      return acceptMessage(res, `POST /channels/${channelId}/messages`, 'bot', channelId, channelId, body, true);
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/(@original|\d+))?$/.exec(path))) {
      const [, id = '', hookToken = '', , messageId] = m;
      if (id === applicationId) {
        // Interaction follow-ups and edits of the original reply travel over the app's webhook.
        const body = parseJson(res, raw);
        if (!body) return;
        const errors = validateMessage(body);
        if (errors.flat.length > 0) {
          state.violations.push({ route: `${method} interaction webhook`, problems: errors.flat });
          return send(res, 400, { code: 50035, message: 'Invalid Form Body', errors: errors.tree });
        }
        state.interactionResponses.push({ kind: messageId ? 'edit' : 'followup', body });
        return send(res, 200, { id: snowflake(), channel_id: '0', content: str(body.content) ?? '', embeds: body.embeds ?? [], flags: body.flags ?? 0 });
      }
      if (method !== 'POST' || messageId) return send(res, 405, { message: '405: Method Not Allowed', code: 0 });
      const hook = webhooks.get(id);
      if (!hook) return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      if (hook.token !== hookToken) return send(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
      if (gate(res, id, 'webhook', false)) return;
      const body = await parseBody(req, res, raw, bytes);
      if (!body) return;
      return acceptMessage(res, 'POST /webhooks/:id/:token', 'webhook', id, hook.channelId, body, url.searchParams.get('wait') === 'true');
    }

    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const body = parseJson(res, raw);
      if (!body) return;
      const data = (body.data ?? {}) as MessageBody;
      const errors = validateMessage(data);
      if (errors.flat.length > 0) {
        state.violations.push({ route: 'POST /interactions/:id/:token/callback', problems: errors.flat });
        return send(res, 400, { code: 50035, message: 'Invalid Form Body', errors: errors.tree });
      }
      state.interactionResponses.push({ kind: 'callback', interactionId: m[1]!, body });
      return send(res, 204, null);
    }

    if (method === 'PUT' && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (!authorized(req, res)) return;
      if (m[1] !== applicationId) return send(res, 403, { message: 'Missing Access', code: 50001 });
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { code: 50109, message: 'The request body contains invalid JSON.' });
      }
      const problems = validateCommands(body);
      if (problems.length > 0) {
        state.violations.push({ route: 'PUT commands', problems });
        return send(res, 400, { code: 50035, message: 'Invalid Form Body', errors: { _errors: problems.map((message) => ({ code: 'INVALID', message })) } });
      }
      const guildId = m[2] ?? null;
      state.commandPuts.push({ guildId, body });
      const list = (body as Record<string, unknown>[]).map((c) => ({
        id: snowflake(),
        application_id: applicationId,
        version: snowflake(),
        type: 1,
        ...(guildId ? { guild_id: guildId } : {}),
        ...c,
      }));
      return send(res, 200, list);
    }

    send(res, 404, { message: '404: Not Found', code: 0 });
  });

  return {
    url: server.url,
    api: `${server.url}/api`,
    token,
    applicationId,
    ...state,
    setChannel: (id, st) => void channels.set(id, st),
    rateLimitNext: (target, { retryAfter, global = false, times = 1, skip = 0 }) => {
      const queue = scripted.get(target) ?? [];
      queue.push({ status: 429, body: { retry_after: retryAfter, global }, times, skip });
      scripted.set(target, queue);
    },
    failNext: (target, status, times = 1) => {
      const queue = scripted.get(target) ?? [];
      const body = status >= 500 ? { message: '500: Internal Server Error', code: 0 } : { message: `HTTP ${status}`, code: 0 };
      queue.push({ status, body, times, skip: 0 });
      scripted.set(target, queue);
    },
    addWebhook: (channelId = snowflake()) => {
      const id = snowflake();
      const hookToken = `wh-${id.slice(-6)}-SecretToken_abc`;
      webhooks.set(id, { token: hookToken, channelId });
      return { id, token: hookToken, url: `${server.url}/api/webhooks/${id}/${hookToken}` };
    },
    deleteWebhook: (id) => void webhooks.delete(id),
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      const waiting = [...held];
      held.clear();
      for (const h of waiting) h.resume();
    },
    heldCount: () => held.size,
    close: () => server.close(),
  };
}
