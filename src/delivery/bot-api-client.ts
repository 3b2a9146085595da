/**
 * A minimal Telegram Bot API client for delivery: JSON over one keep-alive agent, answers checked
 * with zod, failures thrown with telegraf's error shape (`.response = { error_code, description,
 * parameters }`) so one classifier reads both. A broadcast spends less CPU and memory per
 * message than through telegraf (no node-fetch, no per-call URL and agent work), and the
 * broadcast process need not load telegraf at all. The token lives only in the request path.
 */
import { z } from 'zod';
import { createJsonPost } from './json-post.ts';

/** What the adapter needs from a Bot API client; telegraf's `Telegram` fits it too (tests use it). */
export interface BotApiCaller {
  callApi(method: string, payload: object, options?: { signal?: AbortSignal }): Promise<unknown>;
  /** A multipart call carrying one file (sendPhoto's first upload of a card); absent: no uploads. */
  upload?(method: string, fields: Record<string, string>, file: UploadFile, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** One file in a multipart Bot API call. */
export interface UploadFile {
  /** The form field, e.g. "photo". */
  field: string;
  filename: string;
  type: string;
  data: Uint8Array;
}

const AnswerSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** The Bot API said no (the same fields telegraf's TelegramError carries). */
export class BotApiError extends Error {
  override name = 'BotApiError';
  constructor(readonly response: { error_code: number; description: string; parameters?: Record<string, unknown> }) {
    super(`${response.error_code}: ${response.description}`);
  }
}

export interface BotApiClientOptions {
  token: string;
  /** e.g. https://api.telegram.org (config telegram.apiRoot); resolved like telegraf does. */
  apiRoot: string;
  /** Connections kept open at most (one per request in flight). */
  maxSockets?: number;
}

/**
 * @example
 * const api = createBotApiClient({ token, apiRoot: 'https://api.telegram.org' });
 * await api.callApi('sendMessage', { chat_id: 42, text: 'hi' }); // the sent Message
 */
export function createBotApiClient(options: BotApiClientOptions): BotApiCaller {
  const root = new URL(options.apiRoot);
  const post = createJsonPost(options.maxSockets);
  return {
    async callApi(method, payload, { signal } = {}) {
      const answer = await post(new URL(`./bot${options.token}/${method}`, root), payload, signal ? { signal } : {});
      const parsed = AnswerSchema.safeParse(answer.json);
      // Not the Bot API answering (a proxy's HTML page, an empty body): the network, retried.
      if (!parsed.success) throw new Error(`Bot API ${method}: HTTP ${answer.status} without a Bot API answer`);
      const a = parsed.data;
      if (a.ok) return a.result;
      throw new BotApiError({ error_code: a.error_code ?? answer.status, description: a.description ?? '', ...(a.parameters ? { parameters: a.parameters } : {}) });
    },
    // Rare (once per brief): Node's fetch and FormData, not the keep-alive JSON path.
    async upload(method, fields, file, { signal } = {}) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append(file.field, new Blob([file.data], { type: file.type }), file.filename);
      const res = await fetch(new URL(`./bot${options.token}/${method}`, root), { method: 'POST', body: form, ...(signal ? { signal } : {}) });
      const parsed = AnswerSchema.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new Error(`Bot API ${method}: HTTP ${res.status} without a Bot API answer`);
      const a = parsed.data;
      if (a.ok) return a.result;
      throw new BotApiError({ error_code: a.error_code ?? res.status, description: a.description ?? '', ...(a.parameters ? { parameters: a.parameters } : {}) });
    },
  };
}
