/** The Chinese default feeds (issue 18): per-edition feed lists and the recorded samples. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEEDS, loadConfig } from '../../src/config.ts';
import { parseFeed } from '../../src/sources/feed/index.ts';
import { configForEdition, feedsForLanguage } from '../../src/sources/feeds-by-language.ts';
import { extractNumbersZh } from '../../src/writers/numbers-zh.ts';
import { tagTopics } from '../../src/stories/topics.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds-zh/${name}`, import.meta.url));

describe('feeds per edition language', () => {
  it('a zh edition reads the zh feeds, English and other editions the English ones', () => {
    expect(feedsForLanguage(DEFAULT_FEEDS, 'zh').map((f) => f.id)).toEqual(['odaily', 'chaincatcher']);
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
