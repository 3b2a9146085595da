/**
 * A loopback server speaking the OpenAI chat completions API (`POST /v1/chat/completions`,
 * also without `/v1`) with a scripted queue of replies: briefs, raw content (invalid JSON,
 * empty), HTTP errors with headers (429 + retry-after), slow replies. It checks the bearer
 * key like the real service, records every request and reports realistic `usage`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startServer } from './http-server.ts';

export type Reply =
  /** A completion whose content is this value as JSON. */
  | { json: unknown; usage?: { prompt_tokens: number; completion_tokens: number }; finishReason?: string }
  /** A completion with exactly this content (invalid JSON, "", null). */
  | { content: string | null; finishReason?: string }
  /** An error status with an OpenAI-style error body. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Waits, then sends `then` (if the client is still there). */
  | { delayMs: number; then: Reply };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: Array<{ role: string; content: string }>;
    temperature?: number;
    max_tokens?: number;
    max_completion_tokens?: number;
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  };
}

export interface FakeOpenAi {
  /** Give this to the SDK as baseURL: `http://127.0.0.1:<port>/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Adds replies to the end of the queue. */
  enqueue(...replies: Reply[]): void;
  /** Replies not used yet. */
  remaining(): number;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** The key the server accepts (401 otherwise, with the key partly quoted, as OpenAI does). */
  apiKey?: string;
  /** Sent when the queue is empty; default: 500 "no scripted reply left". */
  whenEmpty?: Reply;
}

let counter = 0;

function errorBody(status: number, message: string) {
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return { error: { message, type, param: null, code } };
}

const approx = (text: string) => Math.ceil(text.length / 4);

/**
 * @example
 * const fake = await startFakeOpenAi([{ json: brief }], { apiKey: 'sk-test' });
 * new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL });
 */
export async function startFakeOpenAi(replies: Reply[] = [], options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const whenEmpty: Reply = options.whenEmpty ?? { status: 500, message: 'no scripted reply left' };

  const server = await startServer(async (req, res, raw) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    let body: RecordedRequest['body'] = {};
    try {
      body = JSON.parse(raw) as RecordedRequest['body'];
    } catch {
      // recorded as {} and answered 400 below
    }
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${++counter}`, ...headers });
      res.end(JSON.stringify(payload));
    };

    if (req.method !== 'POST' || !/^(?:\/v1)?\/chat\/completions$/.test(path)) {
      return send(404, errorBody(404, `Invalid URL (${req.method} ${path})`));
    }
    const auth = req.headers.authorization ?? '';
    if (options.apiKey !== undefined && auth !== `Bearer ${options.apiKey}`) {
      const given = auth.replace(/^Bearer\s+/, '');
      return send(401, errorBody(401, `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`));
    }
    if (typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      return send(400, errorBody(400, "'model' and 'messages' are required properties"));
    }

    let reply: Reply = queue.shift() ?? whenEmpty;
    while ('delayMs' in reply) {
      const { delayMs, then } = reply;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      reply = then;
    }
    if ('status' in reply) {
      return send(reply.status, errorBody(reply.status, reply.message ?? `HTTP ${reply.status}`), reply.headers ?? {});
    }
    const content = 'json' in reply ? JSON.stringify(reply.json) : reply.content;
    const promptTokens = approx(body.messages.map((m) => m.content ?? '').join('\n'));
    const completionTokens = approx(content ?? '');
    const usage = 'json' in reply && reply.usage ? reply.usage : { prompt_tokens: promptTokens, completion_tokens: completionTokens };
    send(200, {
      id: `chatcmpl-fake${counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: reply.finishReason ?? 'stop',
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  });

  return {
    baseURL: `${server.url}/v1`,
    requests,
    enqueue: (...more) => queue.push(...more),
    remaining: () => queue.length,
    close: () => server.close(),
  };
}
