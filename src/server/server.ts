/**
 * The HTTP server (node:http, no framework): health, metrics, the manual trigger, the brief
 * archive and its RSS feed. Built from injected deps; `serve` constructs and starts it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../errors.ts';
import { renderErrorPage } from '../render/html-page.ts';
import { sendHtml, sendJson } from './respond.ts';
import { createRouter, type RequestContext } from './router.ts';
import { createCardStore } from '../card/store.ts';
import { briefRoutes } from './routes/briefs.ts';
import { cardRoutes } from './routes/card.ts';
import { feedRoutes } from './routes/feed.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { triggerRoutes } from './routes/trigger.ts';
import type { ServerDeps } from './types.ts';

export { TriggerBusyError } from './routes/trigger.ts';
export type { ServerConfig, ServerDeps, TriggerResult } from './types.ts';

export interface HttpServer {
  /** Starts listening; resolves with the actual port (useful with port 0) and a URL to reach it. */
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets open requests finish (bounded by closeTimeoutMs), then resolves. */
  close(): Promise<void>;
  /** The node:http server, e.g. to mount Telegram's webhook callback in front of it. */
  readonly server: Server;
}

/** Paths a browser (or a human) hits that only want a nicer answer than JSON. */
function wantsHtml(path: string): boolean {
  return path === '/' || path.startsWith('/briefs');
}

function splitTarget(target: string): { rawPath: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  return q === -1
    ? { rawPath: target, query: new URLSearchParams() }
    : { rawPath: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

function reachableHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * @example
 * const http = createHttpServer({ db, metrics, log, now: () => new Date(),
 *   config: config.server, trigger: () => runAndDeliver('http') });
 * const { url } = await http.listen(); ... await http.close();
 */
export function createHttpServer(deps: ServerDeps): HttpServer {
  let boundPort = deps.config.port;
  const port = () => boundPort;
  const trigger = triggerRoutes(deps);
  const cards = deps.cards ?? createCardStore({ db: deps.db });
  const router = createRouter([
    ...healthRoutes(deps, trigger.running),
    ...metricsRoutes(deps),
    ...trigger.routes,
    ...briefRoutes(deps, port, cards),
    ...cardRoutes(deps, cards),
    ...feedRoutes(deps, port, cards),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rawPath, query } = splitTarget(req.url ?? '/');
    const mounted = deps.mounts?.find((m) => m.path === rawPath);
    if (mounted) return mounted.handler(req, res);
    let segments: string[];
    try {
      segments = rawPath.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      sendJson(res, 400, { error: 'malformed path' });
      return;
    }
    const path = `/${segments.join('/')}`;
    const root = '../'.repeat(Math.max(0, segments.length - 1));
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';

    if (isRead && path === '/') {
      res.writeHead(302, { location: 'briefs' }).end();
      return;
    }
    // "/briefs/" would break the pages' relative links: send it to "/briefs".
    if (isRead && rawPath.length > 1 && rawPath.endsWith('/') && segments.length > 0) {
      const q = query.toString();
      res.writeHead(301, { location: `../${encodeURIComponent(segments.at(-1)!)}${q ? `?${q}` : ''}` }).end();
      return;
    }

    const match = router.match(method, segments);
    if (match.kind === 'not-found') {
      if (wantsHtml(path)) sendHtml(res, 404, renderErrorPage(404, 'Nothing here.', root));
      else sendJson(res, 404, { error: 'not found' });
      return;
    }
    if (match.kind === 'method-not-allowed') {
      sendJson(res, 405, { error: `method ${method} not allowed` }, { allow: match.allow.join(', ') });
      return;
    }
    const ctx: RequestContext = { req, res, path, query, params: match.params, root };
    await match.handler(ctx);
  }

  const server = createServer((req, res) => {
    const started = deps.now().getTime();
    res.on('finish', () => {
      deps.log.debug(
        { method: req.method, path: splitTarget(req.url ?? '/').rawPath, status: res.statusCode, ms: deps.now().getTime() - started },
        'http request',
      );
    });
    handle(req, res).catch((err: unknown) => {
      deps.log.error({ err: describeError(err), path: splitTarget(req.url ?? '/').rawPath }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Bound slow clients' headers; a triggered run may take minutes, so a request gets 10 of them.
  server.headersTimeout = 20_000;
  server.requestTimeout = 600_000;

  return {
    server,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(deps.config.port, deps.config.host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      boundPort = (server.address() as AddressInfo).port;
      const url = `http://${reachableHost(deps.config.host)}:${boundPort}`;
      deps.log.info({ port: boundPort, url }, 'http server listening');
      return { port: boundPort, url };
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), deps.config.closeTimeoutMs ?? 5000);
      timer.unref();
      await closed;
      clearTimeout(timer);
      deps.log.info('http server closed');
    },
  };
}
