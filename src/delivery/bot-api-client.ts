/**
 * A minimal Telegram Bot API client for delivery: JSON over one keep-alive agent, answers checked
 * with zod, failures thrown with telegraf's error shape (`.response = { error_code, description,
 * parameters }`) so one classifier reads both. A broadcast spends less CPU and memory per
 * message than through telegraf (no node-fetch, no per-call URL and agent work), and the
 * broadcast process need not load telegraf at all. The token lives only in the request path.
 */
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';

/** What the adapter needs from a Bot API client; telegraf's `Telegram` fits it too (tests use it). */
export interface BotApiCaller {
  callApi(method: string, payload: object, options?: { signal?: AbortSignal }): Promise<unknown>;
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
  const secure = root.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const request = secure ? https.request : http.request;
  return {
    callApi(method, payload, { signal } = {}) {
      const url = new URL(`./bot${options.token}/${method}`, root);
      const body = Buffer.from(JSON.stringify(payload));
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length }, ...(signal ? { signal } : {}) },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              let json: unknown;
              try {
                json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {
                // Not the Bot API answering (a proxy's HTML page): the network, retried.
                return reject(new Error(`Bot API ${method}: HTTP ${res.statusCode} with a body that is not JSON`));
              }
              const answer = AnswerSchema.safeParse(json);
              if (!answer.success) return reject(new Error(`Bot API ${method}: HTTP ${res.statusCode} with an unexpected body`));
              const a = answer.data;
              if (a.ok) return resolve(a.result);
              reject(new BotApiError({ error_code: a.error_code ?? res.statusCode ?? 0, description: a.description ?? '', ...(a.parameters ? { parameters: a.parameters } : {}) }));
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}
