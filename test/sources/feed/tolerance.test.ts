import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NotAFeedError } from '../../../src/sources/feed/not-a-feed-error.ts';
import { parseFeed, type ParseFeedOptions } from '../../../src/sources/feed/parse.ts';
import { fixture, utf8 } from './helpers.ts';

function reason(bytes: Uint8Array, opts: ParseFeedOptions = {}): string {
  try {
    parseFeed(bytes, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(NotAFeedError);
    return (err as NotAFeedError).reason;
  }
  throw new Error('expected a NotAFeedError');
}

describe('parseFeed: CDATA, entities and HTML', () => {
  it('turns CDATA, HTML entities and markup in titles and summaries into plain text', () => {
    const feed = parseFeed(fixture('cdata-entities.xml'));
    expect(feed.title).toBe('Crypto & Markets Daily');
    expect(feed.items.map((i) => i.title)).toEqual([
      'ETH returns to $3,000 as fear fades',
      'Café owners accept BTC — S&P’s view',
      "Fed's Beige Book: little change",
    ]);
    // Scripts and styles vanish; &nbsp; and &ldquo; decode.
    expect(feed.items[0]?.summary).toBe('Ether climbed 4% overnight. Analysts “cautious”.');
    expect(feed.items[1]?.summary).toBe('Read more & more');
    // content:encoded stands in for a missing description.
    expect(feed.items[2]?.summary).toBe('Economic activity changed little.');
    expect(feed.items[1]?.publishedAt).toBe('2025-12-02T05:00:00.000Z');
  });

  it('keeps summaries short, cut at a word', () => {
    const long = 'word '.repeat(200);
    const feed = parseFeed(utf8(`<rss><channel><item><title>t</title><description>${long}</description></item></channel></rss>`));
    const summary = feed.items[0]!.summary;
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary.endsWith('word…')).toBe(true);
  });

  it('keeps "<" and "&" in an Atom type="text" title', () => {
    const feed = parseFeed(fixture('xml-base.atom'));
    expect(feed.title).toBe('The Example Blog');
    expect(feed.items[1]?.title).toBe('Entry with its own base');
    expect(feed.items[2]?.title).toBe('x < y && y > z');
  });
});

describe('parseFeed: broken feeds that still have items', () => {
  it('reads a feed whose items contain stray nested <item/> elements', () => {
    const feed = parseFeed(fixture('feedparser--illegally-nested.xml'));
    expect(feed.items).toHaveLength(10);
    expect(feed.items.every((i) => i.title.length > 0)).toBe(true);
    expect(feed.items[0]).toMatchObject({
      title: 'My Professional Armchair Analysis of CES',
      // feedburner:origLink: the article itself, not the redirector.
      link: 'http://www.pcmag.com/article2/0,2817,2525649,00.asp?kc=PCRSS03079TX1K0000584',
      publishedAt: '2018-01-17T20:50:00.000Z',
    });
  });

  it('keeps every item of a feed with an XML error (unescaped "&") in one of them', () => {
    const feed = parseFeed(fixture('feedparser--saxerror.xml'));
    expect(feed.items.map((i) => i.title)).toEqual(['Good Item', 'Bad Item', 'Item After Error']);
    expect(feed.items[1]?.link).toBe('http://example.com/bad?foo=1&bar=2');
  });

  it('keeps the items before a truncation and skips junk before the root', () => {
    const body = `<b>Warning</b>: Cannot modify header information in <b>/var/www/feed.php</b>
<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>
<item><title>Complete one</title><link>https://e.example/1</link></item>
<item><title>Cut in the mid`;
    const feed = parseFeed(utf8(body));
    expect(feed.title).toBe('Cut');
    expect(feed.items[0]).toMatchObject({ title: 'Complete one', link: 'https://e.example/1' });
  });

  it('reads items whose end tags are missing or mismatched', () => {
    const body = `<rss><channel><title>Sloppy</title>
<item><title>First</title><link>https://e.example/1</link><description>No end tag
<item><title>Second</title><link>https://e.example/2</link></itemx></item>
</channel></rss>`;
    expect(parseFeed(utf8(body)).items.map((i) => i.title)).toEqual(['First', 'Second']);
  });
});

describe('parseFeed: relative links', () => {
  it('resolves item links against the feed link and the fetch URL', () => {
    const fetched = parseFeed(fixture('feedparser--rss-with-relative-urls.xml'), { url: 'https://www.arcgames.com/en/games/neverwinter/news/rss' });
    expect(fetched.link).toBe('https://www.arcgames.com/en/games/neverwinter/news');
    expect(fetched.items[0]?.link).toBe(
      'https://www.arcgames.com/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21',
    );
    // A relative channel link is the base for relative item links.
    const body = `<rss><channel><link>https://site.example/news/</link><item><title>a</title><link>2025/story</link></item></channel></rss>`;
    expect(parseFeed(utf8(body), { url: 'https://feeds.example/rss' }).items[0]?.link).toBe('https://site.example/news/2025/story');
  });

  it('leaves a relative link as written when nothing absolute is known', () => {
    const feed = parseFeed(fixture('feedparser--rss-with-relative-urls.xml'));
    expect(feed.items[0]?.link).toBe('/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21');
  });

  it('honours xml:base on the feed and on an entry, and drops javascript: links', () => {
    const feed = parseFeed(fixture('xml-base.atom'), { url: 'https://cdn.example.com/feeds/atom.xml' });
    expect(feed.link).toBe('https://blog.example.org/');
    expect(feed.items.map((i) => i.link)).toEqual([
      'https://blog.example.org/posts/first',
      'https://other.example.net/archive/2025/12/second',
      null,
    ]);
  });
});

describe('parseFeed: not a feed', () => {
  it('says "HTML page, not a feed" for HTML, with or without a doctype', () => {
    expect(reason(fixture('feedparser--notafeed.html'))).toBe('HTML page, not a feed');
    expect(reason(fixture('rssparser--unrecognized.rss'))).toBe('HTML page, not a feed');
    expect(reason(utf8('<div>Please enable cookies</div>'), { contentType: 'text/html; charset=utf-8' })).toBe('HTML page, not a feed');
  });

  it('names the root of XML that is not a feed', () => {
    const sitemap = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.example/</loc></url></urlset>';
    expect(reason(utf8(sitemap))).toBe('XML but not RSS/Atom/RDF (root <urlset>)');
  });

  it('says "malformed XML" with a position when broken XML yields nothing', () => {
    expect(reason(utf8('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>\n<<<>>> </chanel></rss>'))).toMatch(
      /^malformed XML: .+ \(line \d+, column \d+\)$/,
    );
    expect(reason(utf8('Service Unavailable'))).toMatch(/^malformed XML: no root element \(body starts with "Service Unavailable"\)$/);
  });

  it('says "empty body" for no bytes or only whitespace', () => {
    expect(reason(new Uint8Array())).toBe('empty body');
    expect(reason(utf8(' \n\t '))).toBe('empty body');
    expect(reason(gzipSync(new Uint8Array()))).toBe('empty body');
  });

  it('recognises JSON and corrupt gzip bodies', () => {
    expect(reason(utf8('{"error":"rate limited"}'))).toBe('JSON, not an RSS/Atom/RDF feed');
    expect(reason(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]))).toMatch(/^corrupt gzip body/);
  });

  it('names the URL in the error message for statuses', () => {
    try {
      parseFeed(fixture('feedparser--notafeed.html'), { url: 'https://e.example/rss?api_key=secret' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe('unexpected data from https://e.example/rss?api_key=<redacted>: HTML page, not a feed');
    }
  });
});
