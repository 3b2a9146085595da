/** GET helpers shared by the market/macro sources: one request policy, zod at the door. */
import { z } from 'zod';
import { SchemaError } from '../errors.ts';
import { readText, request } from '../util/http.ts';
import type { SourceContext } from './types.ts';

export interface GetOptions {
  headers?: Record<string, string>;
  /** Override the response's accepted type (default: anything). */
  accept?: string;
}

/** Short, path-prefixed summary of zod issues, e.g. `0.current_price: expected number`. */
export function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`)
    .join('; ');
}

/**
 * GET a body as text with the context's timeout, retries, deadline and user agent.
 * @example const csv = await getText(ctx, `${url}?id=DFF`);
 */
export async function getText(ctx: SourceContext, url: string, options: GetOptions = {}): Promise<string> {
  const res = await request(ctx.http, url, {
    timeoutMs: ctx.timeoutMs,
    retries: ctx.retries,
    signal: ctx.signal,
    // Keep backoff short: the whole source shares one timeout.
    backoffMs: Math.min(500, Math.max(50, Math.floor(ctx.timeoutMs / 10))),
    maxRetryAfterMs: ctx.timeoutMs,
    headers: { 'user-agent': ctx.userAgent, accept: options.accept ?? '*/*', ...options.headers },
  });
  return readText(res);
}

/**
 * GET JSON and check it with `schema`; bad JSON or a wrong shape is a SchemaError naming `what`.
 * @example const rows = await getJson(ctx, url, z.array(Row), 'CoinGecko');
 */
export async function getJson<S extends z.ZodType>(
  ctx: SourceContext,
  url: string,
  schema: S,
  what: string,
  options: GetOptions = {},
): Promise<z.output<S>> {
  const text = await getText(ctx, url, { accept: 'application/json', ...options });
  return parseJson(text, schema, what);
}

/** JSON.parse + zod, both failures as SchemaError. */
export function parseJson<S extends z.ZodType>(text: string, schema: S, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SchemaError(what, `not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new SchemaError(what, summarizeIssues(result.error));
  return result.data;
}

/** A number the API may send as a string ("64123.5"); empty or non-numeric strings fail. */
export const numeric = z.union([z.number(), z.string().trim().min(1)]).pipe(z.coerce.number<string | number>().refine(Number.isFinite, 'expected a finite number'));
