/**
 * Messages tell the truth: a request that timed out on every retry says how long it really
 * took in all; a 200 with a garbage body from Discord is an unexpected answer, not a token problem.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedCommand } from '../src/commands/feed.ts';
import { createDiscordChannelAdapter } from '../src/delivery/discord.ts';
import { realSleep, request } from '../src/util/http.ts';
import { startServer, type LoopbackServer } from './fakes/http-server.ts';
import { seedBrief } from './fixtures/discord/brief.ts';
import { sendContext, subscriber } from './fixtures/discord/send.ts';
import { collector } from './sources/feed/helpers.ts';

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A server that takes every request and never answers. */
async function silentServer(): Promise<{ url: string }> {
  server = await startServer(() => {});
  return { url: server.url };
}

describe('total time including retries', () => {
  it('request() that times out on every attempt reports the attempts and the whole time spent', async () => {
    const srv = await silentServer();
    // A clock that moves only when told: the report must be the clock's total, not one timeout.
    let clock = 1_000_000;
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const fetchOnClock: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init);
      } finally {
        clock += 100; // the attempt's timeout elapsed on this clock
      }
    };
    const err = await request({ fetch: fetchOnClock, sleep, now: () => clock }, `${srv.url}/feed`, { timeoutMs: 100, retries: 2, backoffMs: 5_000 }).catch((e: unknown) => e);
    // 3 attempts of 100 ms, and backoffs of 5 s and 10 s between them: 15.3 s in all.
    expect((err as Error).message).toBe(`gave up after 15.3 s: 3 attempts, each timed out after 100 ms: ${srv.url}/feed`);
  });

  it('a single attempt still says just "timed out after"', async () => {
    const srv = await silentServer();
    const err = await request({ fetch, sleep: realSleep }, `${srv.url}/x`, { timeoutMs: 50, retries: 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`timed out after 50 ms: ${srv.url}/x`);
  });

  it('`feed <url>` on a server that never answers names the attempts and a total at least their sum', async () => {
    const srv = await silentServer();
    const stderr = collector();
    const code = await runFeedCommand(`${srv.url}/feed.xml`, { json: false }, {
      http: { fetch, sleep: realSleep },
      stdout: collector().stream,
      stderr: stderr.stream,
      readFile: async () => new Uint8Array(),
      timeoutMs: 150,
    });
    expect(code).toBe(1);
    const match = /gave up after (\d+\.\d) s: 2 attempts, each timed out after 150 ms/.exec(stderr.text());
    expect(match, stderr.text()).not.toBeNull();
    // Measured, so never less than the two timeouts it waited through.
    expect(Number(match![1])).toBeGreaterThanOrEqual(0.3);
    expect(stderr.text()).not.toMatch(/^cannot read [^:]+: timed out after 150 ms/);
  });
});

describe('a garbage 200 from Discord', () => {
  it('is an unexpected answer, not "token rejected or missing", and does not stop every channel', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>upstream proxy says hello</html>');
    });
    const adapter = createDiscordChannelAdapter({ token: 'bot-token.abc', apiRoot: `${server.url}/api`, timeoutMs: 2_000 });
    try {
      const err = await adapter.send(subscriber('123456789012345678'), seedBrief(), sendContext()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      const verdict = adapter.classify(err);
      expect(verdict).toMatchObject({ kind: 'fatal' });
      expect(verdict.kind === 'fatal' && verdict.reason).toMatch(/^unexpected answer from Discord/);
      expect(JSON.stringify(verdict)).not.toMatch(/token/i);
      expect(verdict).not.toMatchObject({ global: true });
    } finally {
      adapter.close();
    }
  });

  it('a JSON 200 that is not a message is an unexpected answer too', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":"world"}');
    });
    const adapter = createDiscordChannelAdapter({ token: 'bot-token.abc', apiRoot: `${server.url}/api`, timeoutMs: 2_000 });
    try {
      const err = await adapter.send(subscriber('123456789012345678'), seedBrief(), sendContext()).catch((e: unknown) => e);
      const verdict = adapter.classify(err);
      expect(verdict.kind === 'fatal' && verdict.reason).toMatch(/^unexpected answer from Discord: /);
      expect(JSON.stringify(verdict)).not.toMatch(/token/i);
    } finally {
      adapter.close();
    }
  });
});
