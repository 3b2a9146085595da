/**
 * One JSON POST (or a RawBody's bytes, e.g. a multipart form) over a keep-alive agent, for the delivery clients (Bot API, Discord): the
 * request is written the moment it is called, so what the limiter let go is what leaves, with
 * no queue or extra hops in between (a send counts when the platform sees it).
 */
import http from 'node:http';
import https from 'node:https';

export interface JsonAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed body, or undefined when it was empty or not JSON. */
  json: unknown;
}

/** A body sent as these bytes with this content type (a multipart form), not as JSON. */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {}

  /** A FormData as the bytes fetch would send (its boundary in the content type). */
  static async fromForm(form: FormData): Promise<RawBody> {
    const encoded = new Response(form);
    return new RawBody(encoded.headers.get('content-type') ?? 'multipart/form-data', Buffer.from(await encoded.arrayBuffer()));
  }
}

export type JsonPost = (url: URL, body: unknown, options?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<JsonAnswer>;

/**
 * @example const post = createJsonPost(); const answer = await post(new URL('http://127.0.0.1:8080/x'), { a: 1 });
 */
export function createJsonPost(maxSockets = 256): JsonPost {
  const agentOptions = { keepAlive: true, maxSockets, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  return (url, body, options = {}) => {
    const secure = url.protocol === 'https:';
    const raw = body instanceof RawBody ? body : null;
    const payload = raw ? raw.bytes : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = (secure ? https.request : http.request)(
        url,
        {
          method: 'POST',
          agent: secure ? agents['https:'] : agents['http:'],
          headers: { 'content-type': raw ? raw.contentType : 'application/json', 'content-length': payload.length, ...options.headers },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            let json: unknown;
            try {
              const text = Buffer.concat(chunks).toString('utf8');
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };
}

/**
 * Runs `fn` with a signal that aborts after `ms`, and clears the timer as soon as `fn` settles:
 * `AbortSignal.timeout` would keep each request's timer (and what its signal reaches) alive
 * for the whole timeout, tens of MB over a 5,000-message broadcast.
 * @example await withTimeout(30_000, (signal) => post(url, body, { signal }));
 */
export async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
