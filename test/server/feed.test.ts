import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE, makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

let t: TestDb;
let srv: Running;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

describe('GET /feed.xml', () => {
  it('serves the last 20 briefs as valid RSS 2.0 with absolute links from the Host header', async () => {
    t = tempDb();
    const ids: number[] = [];
    for (let i = 1; i <= 22; i++) ids.push(storeBrief(t.db, makeBrief(new Date(Date.UTC(2025, 0, i, 7, 30)).toISOString(), { title: `Day ${i}` })));
    srv = await startTestServer(t.db);

    const res = await fetch(`${srv.url}/feed.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml);
    expect(feed.rss['@_version']).toBe('2.0');
    const channel = feed.rss.channel;
    expect(channel.title).toBe('Mars Morning News');
    expect(channel.link).toBe(`${srv.url}/briefs`);
    expect(channel.description).toBeTruthy();
    expect(channel.item).toHaveLength(20);
    const first = channel.item[0];
    expect(first.title).toBe('Day 22');
    expect(first.link).toBe(`${srv.url}/briefs/${ids[21]}`);
    expect(first.guid['#text']).toBe(first.link);
    expect(first.guid['@_isPermaLink']).toBe('true');
    expect(first.pubDate).toBe('Wed, 22 Jan 2025 07:30:00 GMT');
    expect(first.description).toContain("The Federal Reserve&#39;s Beige Book shows little change");
    expect(channel.item.at(-1).title).toBe('Day 3');

    // A reader that polls with the ETag gets a cheap 304.
    const again = await fetch(`${srv.url}/feed.xml`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('uses PUBLIC_URL for links when set and keeps a hostile headline inert', async () => {
    t = tempDb();
    const id = storeBrief(t.db, makeBrief('2025-01-15T07:30:00.000Z', {
      title: `News | ${HOSTILE}`,
      items: [{ text: `Story ${HOSTILE} & more.`, storyIds: [], section: 'other' }],
    }));
    srv = await startTestServer(t.db, { config: { publicUrl: 'https://brief.example.org/mb/' } });
    const xml = await (await fetch(`${srv.url}/feed.xml`)).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const item = parser.parse(xml).rss.channel.item;
    expect(item.link).toBe(`https://brief.example.org/mb/briefs/${id}`);
    expect(item.title).toBe(`News | ${HOSTILE}`); // plain text element: a reader shows it as text
    // description is HTML: after XML decoding it is still escaped, so no reader runs the script.
    expect(item.description).toBe('Story &lt;script&gt;alert(1)&lt;/script&gt; &amp; more. ETF flows from Farside were unavailable this morning.');
  });

  it('is a valid empty channel before the first brief', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const xml = await (await fetch(`${srv.url}/feed.xml`)).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).rss.channel.item).toBeUndefined();
  });
});
