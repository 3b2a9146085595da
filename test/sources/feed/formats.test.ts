import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/sources/feed/parse.ts';
import { fixture } from './helpers.ts';

describe('parseFeed: formats', () => {
  it('reads RSS 2.0 with items, links, RFC 822 dates and HTML-free summaries', () => {
    const feed = parseFeed(fixture('feedparser--rss2sample.xml'));
    expect(feed).toMatchObject({ title: 'Liftoff News', link: 'http://liftoff.msfc.nasa.gov/', format: 'rss' });
    expect(feed.items).toHaveLength(4);
    expect(feed.items[0]).toEqual({
      title: 'Star City',
      link: 'http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp',
      publishedAt: '2003-06-03T09:39:21.000Z',
      summary:
        "How do Americans get ready to work with Russians aboard the International Space Station? They take a crash course in culture, language and protocol at Russia's Star City.",
      guid: 'http://liftoff.msfc.nasa.gov/2003/06/03.html#item573',
    });
    // The second item has no <title>: kept by the reader, with an empty title.
    expect(feed.items[1]?.title).toBe('');
  });

  it('reads RSS 0.92 and RSS 0.91 (with DTD entities in a Latin-1 file)', () => {
    const r092 = parseFeed(fixture('rssparser--heraldsun.rss'));
    expect(r092.format).toBe('rss');
    expect(r092.items.map((i) => i.title)).toEqual(['The First Item', 'The Second Item']);

    const r091 = parseFeed(fixture('rss-0.91-latin1.xml'));
    expect(r091.title).toBe('Le Journal économique');
    expect(r091.items.map((i) => i.title)).toEqual(["Marché des changes : l'euro à 1,08 dollar", 'Crédit : la BCE attend']);
    expect(r091.items[0]?.summary).toBe('Le marché reste calme & prudent.');
  });

  it('reads RSS 1.0 / RDF with dc:date and items outside the channel', () => {
    const feed = parseFeed(fixture('rssparser--craigslist.rss'));
    expect(feed.format).toBe('rdf');
    expect(feed.title).toBe('craigslist SF bay area | apts/housing for rent search');
    expect(feed.items).toHaveLength(25);
    expect(feed.items[0]).toMatchObject({
      title: 'Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2',
      link: 'http://sfbay.craigslist.org/eby/apa/6186664607.html',
      publishedAt: '2017-06-21T17:33:10.000Z',
      guid: 'http://sfbay.craigslist.org/eby/apa/6186664607.html',
    });
  });

  it('reads Atom 1.0 with its alternate links and UTF-8 text', () => {
    const feed = parseFeed(fixture('rssparser--heise.atom'));
    expect(feed).toMatchObject({ title: 'heise developer neueste Meldungen', link: 'http://www.heise.de/developer/', format: 'atom' });
    expect(feed.items).toHaveLength(15);
    expect(feed.items[0]).toMatchObject({
      title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
      publishedAt: '2016-02-01T16:22:00.000Z',
      guid: 'http://heise.de/-3088438',
    });
    expect(feed.items[0]?.summary).toContain('Die nun verfügbare Version 10');
  });

  it('reads Atom 0.3 (escaped HTML content, issued/modified dates)', () => {
    const feed = parseFeed(fixture('atom-0.3.xml'));
    expect(feed).toMatchObject({ title: 'Dive into mark', link: 'http://diveintomark.org/', format: 'atom' });
    expect(feed.items).toEqual([
      {
        title: 'Atom 0.3 snapshot',
        link: 'http://diveintomark.org/2004/05/13/atom-03',
        publishedAt: '2004-05-13T18:30:02.000Z',
        summary: 'The 0.3 snapshot is out.',
        guid: 'tag:diveintomark.org,2004:3.2397',
      },
      {
        title: 'Only modified',
        link: 'http://diveintomark.org/2004/05/14/second',
        publishedAt: '2004-05-14T09:00:00.000Z',
        summary: 'Plain summary.',
        guid: 'tag:diveintomark.org,2004:3.2398',
      },
    ]);
  });

  it('recognises Atom by namespace whatever the prefix (a:feed, p0:entry)', () => {
    const prefixed = parseFeed(fixture('feedparser--nondefaultnamespace.atom'));
    expect(prefixed.format).toBe('atom');
    expect(prefixed.items[0]?.title).toBe('If you can read the content of this entry, your aggregator works fine.');
    expect(prefixed.items[0]?.summary).toContain('Who knows an XML document from a hole in the ground?');

    const mixed = parseFeed(fixture('feedparser--complexNamespaceFeed.xml'));
    expect(mixed.items).toHaveLength(1);
    expect(mixed.items[0]).toMatchObject({ title: 'This is the title', summary: 'Hello World', publishedAt: '2012-08-04T01:29:34.677Z' });
  });

  it('returns an empty feed (no items) without an error', () => {
    const feed = parseFeed(fixture('empty-channel.xml'));
    expect(feed).toEqual({ title: 'Quiet Feed', link: 'https://quiet.example.com/', format: 'rss', items: [] });
  });
});
