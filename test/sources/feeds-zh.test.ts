/** The Chinese default feeds (issue 18): per-edition feed lists and the recorded samples. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEEDS, loadConfig } from '../../src/config.ts';
import { feedSource, parseFeed } from '../../src/sources/feed/index.ts';
import { parseFlashJson } from '../../src/sources/feed/flash-json.ts';
import { memoryFeedCache } from '../../src/store/feed-cache.ts';
import { startServer, type LoopbackServer } from '../fakes/http-server.ts';
import { afterEach } from 'vitest';
import { configForEdition, feedsForLanguage } from '../../src/sources/feeds-by-language.ts';
import { extractNumbersZh } from '../../src/writers/numbers-zh.ts';
import { tagTopics } from '../../src/stories/topics.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds-zh/${name}`, import.meta.url));

describe('feeds per edition language', () => {
  it('a zh edition reads the zh feeds, English and other editions the English ones', () => {
    expect(feedsForLanguage(DEFAULT_FEEDS, 'zh').map((f) => f.id)).toEqual(['odaily', 'chaincatcher', 'blockbeats']);
    const en = feedsForLanguage(DEFAULT_FEEDS, 'en').map((f) => f.id);
    expect(en).toContain('coindesk');
    expect(en).not.toContain('odaily');
    expect(feedsForLanguage(DEFAULT_FEEDS, 'de').map((f) => f.id)).toEqual(en);
    for (const f of feedsForLanguage(DEFAULT_FEEDS, 'zh')) expect(f.weight).toBeGreaterThan(0);
  });

  it('a config file feed takes a language, checked like every language setting', () => {
    const file = (feed: object) => ({ env: {}, configPath: 'c.json', readFile: () => JSON.stringify({ sources: { feeds: [feed] } }) });
    const config = loadConfig(file({ id: 'panews', name: 'PANews', url: 'https://example.com/panews.xml', language: 'ZH' }));
    expect(config.sources.feeds[0]!.language).toBe('zh');
    expect(configForEdition(config, 'zh').sources.feeds.map((f) => f.id)).toEqual(['panews']);
    expect(() => loadConfig(file({ id: 'x', name: 'X', url: 'https://example.com/x.xml', language: 'klingon' }))).toThrow(/language/u);
  });
});

describe('recorded Chinese samples', () => {
  it('the ChainCatcher RSS sample reads as a feed: Chinese title, link, time', () => {
    const feed = parseFeed(new Uint8Array(fixture('chaincatcher-clist.xml')), { url: 'https://www.chaincatcher.com/rss/clist' });
    expect(feed.title).toBe('链捕手');
    expect(feed.items[0]).toMatchObject({ title: '加密市场低迷冲击ARK ETF 2025年Q4表现...', link: 'https://www.chaincatcher.com/article/2237625' });
    expect(feed.items[0]!.publishedAt).toBe('2026-01-15T08:19:58.000Z');
    expect(tagTopics(feed.items[0]!.title)).toContain('etf');
  });

  it('the BlockBeats flash sample: its figures read as Chinese numbers', () => {
    const body = JSON.parse(fixture('blockbeats-open-flash.json').toString('utf8')) as { data: { data: { title: string; content: string }[] } };
    const [flash] = body.data.data;
    expect(extractNumbersZh(flash!.content).map((n) => [n.kind, n.value])).toEqual(expect.arrayContaining([['usd', 4.73], ['percent', 41.62]]));
    expect(tagTopics(flash!.title)).toEqual([]);
  });
});

describe('JSON flash endpoints read as feeds', () => {
  let server: LoopbackServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('the BlockBeats sample: title, link, time from create_time, summary', () => {
    const feed = parseFlashJson(new Uint8Array(fixture('blockbeats-open-flash.json')), 'blockbeats', 'https://api.theblockbeats.news/v1/open-api/open-flash');
    expect(feed.items).toEqual([
      {
        title: 'MULTI短时上涨逼近5美元，24小时涨幅超40%',
        link: 'https://m.theblockbeats.info/flash/147280',
        publishedAt: '2023-05-28T12:00:43.000Z',
        summary: 'BlockBeats 消息，5 月 28 日，行情数据显示，MULTI（Multichain）短时上涨逼近 5 美元，现报价 4.73 美元，24 小时涨幅 41.62%。',
        guid: 'https://m.theblockbeats.info/flash/147280',
      },
    ]);
  });

  it('the Odaily API sample, and a wrong shape is named', () => {
    const feed = parseFlashJson(new Uint8Array(fixture('odaily-newsflash-api.json')), 'odaily-api', 'https://api.odaily.news/api/v1/newsflash');
    expect(feed.items[0]).toMatchObject({ title: '汇丰银行、渣打银行在香港获得稳定币牌照', link: 'https://www.odaily.news/zh-CN/newsflash/476146', publishedAt: '2026-04-10T09:17:39.000Z' });
    expect(() => parseFlashJson(new TextEncoder().encode('{"data":{}}'), 'blockbeats', 'https://x')).toThrow(/not a BlockBeats flash response/u);
    expect(() => parseFlashJson(new TextEncoder().encode('<rss/>'), 'odaily-api', 'https://x')).toThrow(/not JSON/u);
  });

  it('the default blockbeats feed fetched over HTTP gives attributed Chinese headlines', async () => {
    const body = fixture('blockbeats-open-flash.json');
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
    const feed = { ...DEFAULT_FEEDS.find((f) => f.id === 'blockbeats')!, url: `${server.url}/v1/open-api/open-flash` };
    const result = await feedSource(feed).run({
      http: { fetch: globalThis.fetch, sleep: async () => undefined },
      now: () => new Date('2023-05-29T00:00:00Z'),
      signal: new AbortController().signal,
      timeoutMs: 2_000,
      retries: 0,
      userAgent: 'morning-brief-test/1.0',
      feedCache: memoryFeedCache(),
    });
    expect(result.headlines).toEqual([
      expect.objectContaining({ title: 'MULTI短时上涨逼近5美元，24小时涨幅超40%', source: 'blockbeats', sourceName: 'BlockBeats', publishedAt: '2023-05-28T12:00:43.000Z' }),
    ]);
  });
});
