/** Bodies are bounded while they stream: a server sending 200 MB is cut off at the limit. */
import type { ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedCommand } from '../../src/commands/feed.ts';
import { getJson } from '../../src/sources/http-get.ts';
import type { SourceContext } from '../../src/sources/types.ts';
import { memoryFeedCache } from '../../src/store/feed-cache.ts';
import { limitBodyFetch, readBytes } from '../../src/util/http.ts';
import { classifyLlmError, createLlmClient } from '../../src/writers/llm.ts';
import { startServer, type LoopbackServer } from '../fakes/http-server.ts';
import { collector } from '../sources/feed/helpers.ts';
import { z } from 'zod';

const HUGE = 200_000_000;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Writes `total` bytes chunk by chunk, honouring backpressure; `written()` is what went out. */
async function hugeBodyServer(opts: { prefix?: string; contentType?: string; gzip?: boolean } = {}) {
  let written = 0;
  let finished = false;
  server = await startServer(async (_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': opts.contentType ?? 'application/rss+xml', ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}) });
    const gzip = opts.gzip ? createGzip() : null;
    if (gzip) gzip.pipe(res);
    const out = gzip ?? res;
    let closed = false;
    res.on('close', () => (closed = true));
    if (opts.prefix) out.write(opts.prefix);
    while (!closed && written < HUGE) {
      written += CHUNK.byteLength;
      if (!out.write(CHUNK)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            res.off('close', done);
            resolve();
          };
          out.on('drain', done);
          res.on('close', done);
        });
      }
    }
    finished = written >= HUGE && !closed;
    out.end();
  });
  return { url: server.url, written: () => written, finished: () => finished };
}

const LIMIT = 5_000_000;

describe('body limits while streaming', () => {
  it('readBytes stops a 200 MB body at the limit with a clear error, long before the server is done', async () => {
    const srv = await hugeBodyServer();
    const before = process.memoryUsage();
    const res = await fetch(`${srv.url}/huge.xml`);
    await expect(readBytes(res)).rejects.toThrow(/larger than 5\.0 MB: stopped reading/);
    const grew = process.memoryUsage().arrayBuffers - before.arrayBuffers;
    expect(srv.finished()).toBe(false);
    // Socket buffers hold a few MB at most; reading the whole body first would be 200 MB.
    expect(srv.written()).toBeLessThan(40_000_000);
    expect(grew).toBeLessThan(100_000_000);
  });

  it('counts bytes after gzip decompression: a small compressed stream inflating past the limit is cut off', async () => {
    const srv = await hugeBodyServer({ gzip: true });
    const res = await fetch(`${srv.url}/bomb.xml`);
    await expect(readBytes(res)).rejects.toThrow(/larger than 5\.0 MB/);
    expect(srv.finished()).toBe(false);
    expect(srv.written()).toBeLessThan(40_000_000);
  });

  it('`feed <url>` on an endless feed says so and exits 1', async () => {
    const srv = await hugeBodyServer({ prefix: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><description>' });
    const stdout = collector();
    const stderr = collector();
    const code = await runFeedCommand(`${srv.url}/feed.xml`, { json: false }, {
      http: { fetch: globalThis.fetch, sleep: async () => {} },
      stdout: stdout.stream,
      stderr: stderr.stream,
      readFile: async () => new Uint8Array(),
      timeoutMs: 60_000,
    });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/cannot read http:\/\/127\.0\.0\.1:\d+\/feed\.xml: .*larger than 5\.0 MB: stopped reading/);
    expect(srv.written()).toBeLessThan(40_000_000);
  });

  it('a JSON source that never ends fails with the limit, not an out-of-memory crash', async () => {
    const srv = await hugeBodyServer({ prefix: '[', contentType: 'application/json' });
    const ctx = {
      http: { fetch: globalThis.fetch, sleep: async () => {} },
      timeoutMs: 60_000,
      retries: 0,
      signal: undefined,
      userAgent: 'test',
      now: () => new Date(),
      feedCache: memoryFeedCache(),
    } as unknown as SourceContext;
    await expect(getJson(ctx, `${srv.url}/api`, z.array(z.number()), 'Test API')).rejects.toThrow(/larger than 5\.0 MB/);
    expect(srv.written()).toBeLessThan(40_000_000);
  });

  it('the LLM client reads answers through the limit: an endless answer is an LlmError saying so', async () => {
    const srv = await hugeBodyServer({ prefix: '{"id":"x","choices":[{"message":{"content":"', contentType: 'application/json' });
    const client = createLlmClient({ apiKey: 'sk-test-000000', baseUrl: srv.url, timeoutMs: 60_000, maxRetries: 0 } as never);
    const err = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(classifyLlmError(err, { maxRetries: 0, timeoutMs: 60_000 } as never).message).toMatch(/answer larger than 5\.0 MB: stopped reading/);
    expect(srv.written()).toBeLessThan(40_000_000);
  });

  it('limitBodyFetch passes small bodies through unchanged', async () => {
    server = await startServer((_req, res) => {
      res.end('{"ok":true}');
    });
    const res = await limitBodyFetch(globalThis.fetch, LIMIT)(`${server.url}/small`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
