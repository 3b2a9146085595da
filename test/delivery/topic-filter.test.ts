import { describe, expect, it } from 'vitest';
import type { Story } from '../../src/domain.ts';
import { briefForTopics } from '../../src/delivery/topic-filter.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';

function story(id: string, topics: Story['topics'], url: string): Story {
  return {
    id,
    title: id,
    url,
    summary: '',
    publishedAt: null,
    sources: [{ source: 'x', sourceName: 'X', title: id, url, publishedAt: null }],
    topics,
    score: 1,
  };
}

const stories = [story('s-etf', ['etf', 'btc'], 'https://x/etf'), story('s-bnb', ['exchange', 'regulation'], 'https://x/bnb')];
const brief = sampleBrief({
  items: [
    { text: 'BTC fell 2.3% to $91,234, CoinGecko data show.', storyIds: [], section: 'prices' },
    { text: 'Spot bitcoin ETFs took in $128.7 million, Farside data show.', storyIds: ['s-etf'], section: 'etf' },
    { text: 'Binance faces a $1 billion lawsuit, CoinDesk reports.', storyIds: ['s-bnb'], section: 'exchange' },
  ],
  sources: [
    { name: 'X', title: 's-etf', url: 'https://x/etf' },
    { name: 'X', title: 's-bnb', url: 'https://x/bnb' },
  ],
});

describe('briefForTopics', () => {
  it('keeps market data and the stories of the chosen topics, and only their sources', () => {
    const view = briefForTopics(brief, stories, ['etf']);
    expect(view.items.map((i) => i.storyIds)).toEqual([[], ['s-etf']]);
    expect(view.sources.map((s) => s.url)).toEqual(['https://x/etf']);
    expect(view.title).toBe(brief.title);
  });

  it('sends the whole brief to subscribers without topics, or when none of theirs made the brief', () => {
    expect(briefForTopics(brief, stories, [])).toBe(brief);
    expect(briefForTopics(brief, stories, ['stablecoin'])).toBe(brief);
  });
});
