/** Starts a real HTTP server on 127.0.0.1 with a free port, for tests that talk HTTP. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `raw` is the body's bytes, for multipart uploads (a PNG does not survive UTF-8 decoding). */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, raw: Buffer) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * @example const srv = await startServer((req, res) => res.end('ok')); ... await srv.close();
 */
export async function startServer(handler: Handler): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      Promise.resolve(handler(req, res, raw.toString('utf8'), raw)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
