/** A tiny router: exact segments and `:name` params, 404 for unknown paths, 405 for wrong methods. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path, always starting with "/". */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Relative way back to the site root from this path ("" for /briefs, "../" for /briefs/7). */
  root: string;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  method: Method;
  /** e.g. "/briefs/:id"; earlier routes win, so list literal paths before params. */
  pattern: string;
  handler: Handler;
}

export type Match =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segments[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p !== s) return null;
  }
  return params;
}

/**
 * @example const router = createRouter([{ method: 'GET', pattern: '/healthz', handler }]);
 *   const m = router.match('GET', ['healthz']);
 */
export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map((r) => ({ ...r, segments: r.pattern.split('/').filter(Boolean) }));
  return {
    match(method: string, segments: string[]): Match {
      // HEAD is a GET without a body (node:http drops the body for HEAD itself).
      const wanted = method === 'HEAD' ? 'GET' : method;
      const allow = new Set<string>();
      for (const route of compiled) {
        const params = matchPattern(route.segments, segments);
        if (!params) continue;
        if (route.method === wanted) return { kind: 'found', handler: route.handler, params };
        allow.add(route.method);
        if (route.method === 'GET') allow.add('HEAD');
      }
      return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
    },
  };
}
