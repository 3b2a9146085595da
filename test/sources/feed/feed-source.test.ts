import type { IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../src/config.ts';
import { HttpStatusError } from '../../../src/errors.ts';
import { feedSource } from '../../../src/sources/feed/feed-source.ts';
import { NotAFeedError } from '../../../src/sources/feed/not-a-feed-error.ts';
import type { SourceContext } from '../../../src/sources/types.ts';
import { memoryFeedCache, type FeedCache } from '../../../src/store/feed-cache.ts';
import { startServer, type Handler, type LoopbackServer } from '../../fakes/http-server.ts';
import { fixture } from './helpers.ts';

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(handler: Handler): Promise<string> {
  server = await startServer(handler);
  return server.url;
}

function context(feedCache: FeedCache = memoryFeedCache(), sleeps: number[] = []): SourceContext {
  return {
    http: {
      fetch: globalThis.fetch,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    now: () => new Date('2025-12-02T07:00:00Z'),
    signal: new AbortController().signal,
    timeoutMs: 2_000,
    retries: 2,
    userAgent: 'morning-brief-test/1.0',
    feedCache,
  };
}

const feedConfig = (url: string): FeedConfig => ({ id: 'examplenews', name: 'Example News', url, weight: 1, enabled: true });

const CRYPTO_NEWS = Buffer.from(fixture('crypto-news.xml'));

describe('feedSource', () => {
  it('maps items to headlines: titled, absolute, deduplicated, attributed', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(CRYPTO_NEWS);
    });
    const source = feedSource(feedConfig(`${url}/rss`));
    expect(source.id).toBe('feed:examplenews');
    const result = await source.run(context());
    expect(result.notModified).toBeUndefined();
    expect(result.headlines).toEqual([
      {
        title: 'Nasdaq seeks to raise IBIT options limit',
        // Relative link resolved against the channel's link.
        url: 'https://crypto.example.com/markets/2025/12/02/nasdaq-ibit-options?utm_source=rss',
        source: 'examplenews',
        sourceName: 'Example News',
        publishedAt: '2025-12-02T06:30:00.000Z',
        summary: "The exchange filed to lift the position limit on BlackRock's bitcoin ETF options.",
      },
      {
        title: 'Securitize wins EU approval',
        url: 'https://crypto.example.com/policy/2025/12/02/securitize-eu',
        source: 'examplenews',
        sourceName: 'Example News',
        publishedAt: '2025-12-02T05:10:00.000Z',
        summary: 'Tokenisation firm Securitize received approval to operate a trading venue in the EU.',
      },
    ]);
  });

  it('sends If-None-Match / If-Modified-Since and reuses the cached items on 304', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const lastModified = 'Tue, 02 Dec 2025 06:45:00 GMT';
    const url = await serve((req, res) => {
      seen.push(req.headers);
      if (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': lastModified });
      res.end(CRYPTO_NEWS);
    });
    const cache = memoryFeedCache();
    const source = feedSource(feedConfig(`${url}/rss`));
    const first = await source.run(context(cache));
    const second = await source.run(context(cache));

    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ 'user-agent': 'morning-brief-test/1.0' });
    expect(seen[0]?.accept).toContain('application/rss+xml');
    expect(seen[0]?.['if-none-match']).toBeUndefined();
    expect(seen[1]).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': lastModified });
    expect(second.notModified).toBe(true);
    expect(second.headlines).toEqual(first.headlines);
    expect(second.headlines).toHaveLength(2);
  });

  it('revalidates with Last-Modified alone when the server sends no ETag', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const lastModified = 'Mon, 01 Dec 2025 22:00:00 GMT';
    const url = await serve((req, res) => {
      seen.push(req.headers);
      if (req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml', 'last-modified': lastModified });
      res.end(CRYPTO_NEWS);
    });
    const cache = memoryFeedCache();
    const source = feedSource(feedConfig(`${url}/rss`));
    await source.run(context(cache));
    const second = await source.run(context(cache));
    expect(seen[1]?.['if-none-match']).toBeUndefined();
    expect(seen[1]?.['if-modified-since']).toBe(lastModified);
    expect(second).toMatchObject({ notModified: true });
    expect(second.headlines?.map((h) => h.title)).toEqual(['Nasdaq seeks to raise IBIT options limit', 'Securitize wins EU approval']);
  });

  it('ignores a cache entry it cannot read and fetches unconditionally', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v2"' });
      res.end(CRYPTO_NEWS);
    });
    const cache = memoryFeedCache();
    cache.put(`${url}/rss`, { etag: '"v1"', lastModified: null, feedJson: '{"title":1}', fetchedAt: '2025-12-01T00:00:00Z' });
    const result = await feedSource(feedConfig(`${url}/rss`)).run(context(cache));
    expect(seen[0]?.['if-none-match']).toBeUndefined();
    expect(result.headlines).toHaveLength(2);
  });

  it('takes the new feed when the server answers 200 to a conditional request', async () => {
    let version = 1;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: `"v${version}"` });
      res.end(`<rss><channel><item><title>Story ${version}</title><link>https://e.example/${version}</link></item></channel></rss>`);
    });
    const cache = memoryFeedCache();
    const source = feedSource(feedConfig(`${url}/rss`));
    await source.run(context(cache));
    version = 2;
    const second = await source.run(context(cache));
    expect(second.notModified).toBeUndefined();
    expect(second.headlines?.map((h) => h.title)).toEqual(['Story 2']);
    expect(cache.get(`${url}/rss`)?.etag).toBe('"v2"');
  });

  it('retries a 500 and then succeeds', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('upstream error');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(CRYPTO_NEWS);
    });
    const sleeps: number[] = [];
    const result = await feedSource(feedConfig(`${url}/rss`)).run(context(memoryFeedCache(), sleeps));
    expect(calls).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(result.headlines).toHaveLength(2);
  });

  it('throws NotAFeedError when the server sends an HTML page instead', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>');
    });
    const run = feedSource(feedConfig(`${url}/rss`)).run(context());
    await expect(run).rejects.toBeInstanceOf(NotAFeedError);
    await expect(run).rejects.toMatchObject({ reason: 'HTML page, not a feed' });
  });

  it('throws the HTTP error for a 404 without retrying', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(404);
      res.end('not found');
    });
    await expect(feedSource(feedConfig(`${url}/gone`)).run(context())).rejects.toBeInstanceOf(HttpStatusError);
    expect(calls).toBe(1);
  });

  it('reads gzip both as Content-Encoding and as raw gzip bytes', async () => {
    const gz = gzipSync(CRYPTO_NEWS);
    const url = await serve((req, res) => {
      if (req.url === '/encoded') res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      else res.writeHead(200, { 'content-type': 'application/x-gzip' });
      res.end(gz);
    });
    const encoded = await feedSource(feedConfig(`${url}/encoded`)).run(context());
    const raw = await feedSource(feedConfig(`${url}/raw.xml.gz`)).run(context());
    expect(encoded.headlines).toHaveLength(2);
    expect(raw.headlines).toEqual(encoded.headlines);
  });

  it('decodes by the Content-Type charset and resolves links against the fetch URL', async () => {
    const body = iconv.encode(
      '<rss version="2.0"><channel><title>Новости</title><item><title>Биткоин вырос на 5%</title><link>/news/1</link></item></channel></rss>',
      'windows-1251',
    );
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' });
      res.end(body);
    });
    const result = await feedSource(feedConfig(`${url}/feeds/rss`)).run(context());
    expect(result.headlines).toEqual([
      { title: 'Биткоин вырос на 5%', url: `${url}/news/1`, source: 'examplenews', sourceName: 'Example News', publishedAt: null, summary: '' },
    ]);
  });

  it('warns when a feed has no titled items', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(Buffer.from(fixture('empty-channel.xml')));
    });
    const result = await feedSource(feedConfig(`${url}/rss`)).run(context());
    expect(result).toEqual({ headlines: [], warning: 'feed has no items with a title' });
  });
});
