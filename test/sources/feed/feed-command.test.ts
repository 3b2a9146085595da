import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedCommand, type FeedCommandDeps } from '../../../src/commands/feed.ts';
import { ParsedFeedSchema } from '../../../src/sources/feed/schema.ts';
import { startServer, type LoopbackServer } from '../../fakes/http-server.ts';
import { collector, fixture } from './helpers.ts';

const fixturePath = (name: string) => fileURLToPath(new URL(`../../fixtures/feeds/${name}`, import.meta.url));

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function deps() {
  const stdout = collector();
  const stderr = collector();
  const d: FeedCommandDeps = {
    http: { fetch: globalThis.fetch, sleep: async () => {} },
    stdout: stdout.stream,
    stderr: stderr.stream,
    readFile: async (p) => new Uint8Array(await readFile(p)),
    timeoutMs: 2_000,
  };
  return { deps: d, out: stdout.text, err: stderr.text };
}

describe('runFeedCommand', () => {
  it('lists a feed file: title, format, count, then each item with date and link', async () => {
    const { deps: d, out, err } = deps();
    const code = await runFeedCommand(fixturePath('feedparser--rss2sample.xml'), { json: false }, d);
    expect(code).toBe(0);
    expect(err()).toBe('');
    const text = out();
    expect(text).toContain('Liftoff News');
    expect(text).toContain('format: rss   items: 4');
    expect(text).toContain('2003-06-03 09:39  Star City');
    expect(text).toContain('http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp');
    expect(text).toContain("Astronauts' Dirty Laundry");
  });

  it('prints the parsed feed as JSON with --json', async () => {
    const { deps: d, out } = deps();
    const code = await runFeedCommand(fixturePath('feedparser--iconv.xml'), { json: true }, d);
    expect(code).toBe(0);
    const feed = ParsedFeedSchema.parse(JSON.parse(out()));
    expect(feed.items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
  });

  it('exits 1 and says why on stderr for a file that is not a feed', async () => {
    const { deps: d, out, err } = deps();
    expect(await runFeedCommand(fixturePath('feedparser--notafeed.html'), { json: false }, d)).toBe(1);
    expect(out()).toBe('');
    expect(err()).toBe('not a feed: HTML page, not a feed\n');
  });

  it('exits 2 for a missing file (a usage error: the user named it)', async () => {
    const { deps: d, err } = deps();
    expect(await runFeedCommand('/nonexistent/feed.xml', { json: false }, d)).toBe(2);
    expect(err()).toMatch(/^cannot read \/nonexistent\/feed\.xml: .*ENOENT/);
  });

  it('fetches a URL and lists its items, with relative links made absolute', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/rss') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(Buffer.from(fixture('feedparser--rss-with-relative-urls.xml')));
      } else if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Subscribe!</body></html>');
      } else {
        res.writeHead(404);
        res.end('no such feed');
      }
    });
    const ok = deps();
    expect(await runFeedCommand(`${server.url}/rss`, { json: false }, ok.deps)).toBe(0);
    expect(ok.out()).toContain('Neverwinter & Jingle Jam Humble Bundle!');
    expect(ok.out()).toContain(`${server.url}/en/games/neverwinter/news/detail/10743874`);

    const html = deps();
    expect(await runFeedCommand(`${server.url}/page`, { json: false }, html.deps)).toBe(1);
    expect(html.err()).toBe('not a feed: HTML page, not a feed\n');

    const missing = deps();
    expect(await runFeedCommand(`${server.url}/missing`, { json: false }, missing.deps)).toBe(1);
    expect(missing.err()).toContain('HTTP 404');
  });
});
