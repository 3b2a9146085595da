/**
 * A loopback proxy in front of a fake platform API, for outages: it forwards every request
 * unless `intercept` answers it first (a refused token, bursts of 500/429, a stall, a reset).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type LoopbackServer } from '../fakes/http-server.ts';

/** What to do with one request: forward it, answer it, or cut the connection. */
export type Interception = { status: number; body: unknown; headers?: Record<string, string> } | 'reset' | null;

export interface GateProxy extends LoopbackServer {
  /** Decides per request (path without the query); null forwards. Replace at any time. */
  intercept: (path: string, method: string) => Interception | Promise<Interception>;
  /** Requests seen, by path. */
  readonly seen: string[];
}

/** @example const gate = await startGateProxy(tg.url); gate.intercept = () => ({ status: 401, body: { ok: false } }); */
export async function startGateProxy(target: string): Promise<GateProxy> {
  const seen: string[] = [];
  let proxy: GateProxy;
  const handler = async (req: IncomingMessage, res: ServerResponse, _body: string, raw: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(path);
    const decision = await proxy.intercept(path, req.method ?? 'GET');
    if (decision === 'reset') {
      req.socket.destroy();
      return;
    }
    if (decision) {
      res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers });
      res.end(JSON.stringify(decision.body));
      return;
    }
    // The bytes as they came: a multipart PNG upload does not survive a UTF-8 round trip.
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    const method = req.method ?? 'GET';
    const answer = await fetch(`${target}${req.url ?? '/'}`, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: raw }) });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = await startServer(handler);
  proxy = { ...server, intercept: () => null, seen };
  return proxy;
}
