/**
 * The bundled demo day (examples/snapshot.json) through the extractive writer, with the
 * stories a ranker would make from it built here by hand (src/stories is not imported).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BriefSchema, SnapshotSchema, type Headline, type Snapshot, type Story, type Topic } from '../../src/domain.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { SECTION_ORDER } from '../../src/writers/extractive/sections.ts';
import { renderText } from '../../src/render/text.ts';
import { DEFAULT_FEEDS } from '../../src/config.ts';
import { checkBrief } from '../../src/writers/grounding.ts';

const snapshot: Snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));

/** Clusters in rank order: a slug fragment of each member's URL (lead first) and the topics. */
const CLUSTERS: Array<{ id: string; urls: string[]; topics: Topic[] }> = [
  { id: 'binance-lawsuit', urls: ['binance-faces-1bn', 'binance-1b-lawsuit', 'binance-sued-1-billion'], topics: ['exchange', 'regulation'] },
  { id: 'beige-book', urls: ['beigebook202511', 'fed-s-beige-book', 'fed-beige-book'], topics: ['fed', 'macro'] },
  { id: 'jpm-cut', urls: ['jpmorgan-now-expects', 'jpmorgan-predicts'], topics: ['fed', 'macro', 'institutions'] },
  { id: 'ibit-options', urls: ['nasdaq-ibit-options', 'nasdaq-seeks-to-quadruple', 'nasdaq-lift-limits'], topics: ['etf', 'btc', 'institutions'] },
  { id: 'eth-3000', urls: ['ether-returns-to-3-000', 'eth-price-reclaims-3k'], topics: ['eth'] },
  { id: 'tether-sp', urls: ['tether-ceo-fires-back', 'tether-s-ardoino', 'tether-ceo-responds'], topics: ['stablecoin'] },
  { id: 'securitize', urls: ['securitize-wins-eu', 'securitize-eu-dlt'], topics: ['institutions', 'regulation'] },
  { id: 'hyperliquid', urls: ['hyperliquid-sparks', 'hyperliquid-ticker'], topics: ['exchange', 'altcoins'] },
  { id: 'whales', urls: ['bitcoin-whales-ramp-up', 'large-bitcoin-holders'], topics: ['btc', 'onchain', 'exchange'] },
  { id: 'pboc', urls: ['pboc-reaffirms', 'pboc-stablecoins'], topics: ['regulation', 'stablecoin'] },
  { id: 'upbit', urls: ['upbit-hack-solana', 'upbit-halts'], topics: ['exchange', 'security'] },
  { id: 'belarus', urls: ['belarus-lukashenko', 'lukashenko-tells'], topics: ['regulation'] },
  { id: 'etf-inflows', urls: ['bitcoin-etfs-128-million'], topics: ['etf', 'btc'] },
  { id: 'btc-91k', urls: ['bitcoin-climbs-above-91000'], topics: ['btc', 'fed'] },
  { id: 'fear-greed', urls: ['fear-greed-index-leaves'], topics: ['btc'] },
  { id: 'texas', urls: ['texas-first-state'], topics: ['btc', 'institutions'] },
];

function find(fragment: string): Headline {
  const h = snapshot.headlines.find((x) => x.url.includes(fragment));
  if (!h) throw new Error(`no headline for ${fragment}`);
  return h;
}

function exampleStories(): Story[] {
  return CLUSTERS.map((c, i) => {
    const members = c.urls.map(find);
    const lead = members[0]!;
    return {
      id: c.id,
      title: lead.title,
      url: lead.url.split('?')[0]!,
      summary: lead.summary,
      publishedAt: members.map((m) => m.publishedAt!).sort()[0]!,
      sources: members.map((m) => ({ source: m.source, sourceName: m.sourceName, title: m.title, url: m.url, publishedAt: m.publishedAt })),
      topics: c.topics,
      score: 10 - i * 0.5,
    };
  });
}

const input = () => ({ snapshot, stories: exampleStories(), briefName: 'Mars Morning News', language: 'en', now: new Date('2025-11-27T06:31:00.000Z') });

describe('the demo snapshot', () => {
  it('is a valid snapshot of a realistic day', () => {
    expect(snapshot.headlines.length).toBeGreaterThanOrEqual(25);
    expect(new Set(snapshot.headlines.map((h) => h.sourceName)).size).toBeGreaterThanOrEqual(6);
    const taken = Date.parse(snapshot.takenAt);
    for (const h of snapshot.headlines) {
      const age = taken - Date.parse(h.publishedAt!);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(20 * 3600_000);
    }
    expect(snapshot.quotes.map((q) => q.symbol)).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'BNB']);
    expect(snapshot.statuses.filter((s) => !s.ok).map((s) => s.id)).toEqual(['feed:sec']);
  });

  it('has a status for every default source, and feed item counts that match its headlines', () => {
    const ids = ['coingecko', 'fear_greed', 'fred', 'polymarket', 'etf_flows', ...DEFAULT_FEEDS.filter((f) => !f.language).map((f) => `feed:${f.id}`)]; // the English edition's feeds
    expect(snapshot.statuses.map((s) => s.id).sort()).toEqual(ids.sort());
    for (const s of snapshot.statuses.filter((x) => x.id.startsWith('feed:'))) {
      expect(s.items).toBe(snapshot.headlines.filter((h) => `feed:${h.source}` === s.id).length);
    }
  });

  it('tells several stories through two or three outlets, some links carrying tracking parameters', () => {
    expect(CLUSTERS.filter((c) => c.urls.length >= 2).length).toBeGreaterThanOrEqual(8);
    for (const c of CLUSTERS) expect(new Set(c.urls.map((u) => find(u).sourceName)).size).toBe(c.urls.length);
    expect(snapshot.headlines.filter((h) => /[?&]utm_/.test(h.url)).length).toBeGreaterThanOrEqual(5);
  });

  it('gives a Mars-style brief: two leads, 6-10 ordered items, the failed feed noted', () => {
    const brief = BriefSchema.parse(writeExtractive(input()));
    expect(brief.title).toBe('Mars Morning News | ETH returns to $3,000, Binance faces $1bn lawsuit alleging it helped finance terrorism');
    expect(brief.items.length).toBeGreaterThanOrEqual(6);
    expect(brief.items.length).toBeLessThanOrEqual(10);
    const ranks = brief.items.map((i) => SECTION_ORDER.indexOf(i.section));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(brief.notes).toEqual([
      'SEC press releases were unavailable this morning.',
    ]);
    expect(brief.closing).toBe(
      "Summary generated by morning-brief's extractive writer from 12 of 13 sources at 06:30 UTC on 27 Nov 2025; no AI model was used.",
    );
    expect(brief.direction).toBe('up');
    expect(brief.marketLine).toBe(
      'BTC $91,235 (+1.6%) · ETH $3,012 (+3.4%) · SOL $141.87 (+2.9%) · XRP $2.18 (+0.8%) · BNB $874.32 (+1.1%) · Fear & Greed 25 (Fear, was 11)',
    );
    const cited = brief.items.flatMap((i) => i.storyIds);
    expect(brief.sources).toHaveLength(cited.length);
    expect(cited).toContain('beige-book');
    expect(cited).toContain('binance-lawsuit');
  });

  it('passes the grounding check: every number and lead is backed by the snapshot or a cited story', () => {
    const inp = input();
    expect(checkBrief(writeExtractive(inp), inp)).toEqual([]);
  });

  it('renders for the terminal with the failed SEC feed under "Missing:"', () => {
    const text = renderText(writeExtractive(input()));
    expect(text).toContain('Missing:\n- SEC press releases were unavailable this morning.');
    // The operator's detail (status code, URL, the server's words) is not for readers.
    expect(text).not.toMatch(/403|sec\.gov|Undeclared Automated Tool/);
    expect(text).toMatch(/Sources:\n1\. /);
  });
});
