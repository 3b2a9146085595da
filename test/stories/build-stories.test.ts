import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Headline, StorySchema } from '../../src/domain.ts';
import { buildStories, type BuildStoriesOptions } from '../../src/stories/index.ts';
import { FRESH_HOURS, HALF_LIFE_HOURS } from '../../src/stories/rank.ts';
import { DAY_HEADLINES, DAY_NOW } from './fixtures/crypto-day.ts';

const NOW = new Date('2025-11-27T07:00:00Z');
const hoursAgo = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function headline(title: string, source: string, hours: number | null, extra: Partial<Headline> = {}): Headline {
  return {
    title,
    url: `https://www.${source}.com/news/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}?utm_source=rss`,
    source,
    sourceName: source.toUpperCase(),
    publishedAt: hours === null ? null : hoursAgo(hours),
    summary: `${title}.`,
    ...extra,
  };
}

const base: BuildStoriesOptions = { now: NOW, maxAgeHours: 36, recentlyCovered: [] };

const LAWSUIT = [
  headline('Binance faces $1 billion terrorism lawsuit', 'coindesk', 5),
  headline('Binance hit with $1B lawsuit over terrorism financing claims', 'theblock', 7),
  headline('Binance Faces $1B Lawsuit Alleging It Enabled Terrorism Financing', 'decrypt', 6),
];

describe('buildStories', () => {
  it('turns near-duplicate headlines into one story with every outlet, valid for the writers', () => {
    const stories = buildStories(LAWSUIT, { ...base, sourceWeights: { coindesk: 1.2, theblock: 1.1 } });
    expect(stories).toHaveLength(1);
    const [story] = stories;
    expect(StorySchema.parse(story)).toEqual(story);
    // Lead: the heaviest outlet; the story dates from its earliest telling.
    expect(story?.title).toBe('Binance faces $1 billion terrorism lawsuit');
    expect(story?.url).toBe('https://coindesk.com/news/binance-faces-1-billion-terrorism-lawsuit');
    expect(story?.publishedAt).toBe(hoursAgo(7));
    expect(story?.sources.map((s) => s.source)).toEqual(['coindesk', 'theblock', 'decrypt']);
    expect(story?.sources.every((s) => !s.url.includes('utm_'))).toBe(true);
    expect(story?.topics).toEqual(['regulation', 'exchange']);
    expect(story?.id).toMatch(/^[0-9a-f]{10}$/);
  });

  it('leads with the earliest telling when outlets weigh the same', () => {
    const [story] = buildStories(LAWSUIT, base);
    expect(story?.title).toBe('Binance hit with $1B lawsuit over terrorism financing claims');
  });

  it('gives the same ids and order on every run and for any input order', () => {
    const first = buildStories(DAY_HEADLINES, { ...base, now: DAY_NOW });
    expect(new Set(first.map((s) => s.id)).size).toBe(first.length);
    fc.assert(
      fc.property(fc.shuffledSubarray(DAY_HEADLINES, { minLength: DAY_HEADLINES.length, maxLength: DAY_HEADLINES.length }), (shuffled) => {
        expect(buildStories(shuffled, { ...base, now: DAY_NOW })).toEqual(first);
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a story id when other outlets join the story later', () => {
    const [alone] = buildStories([LAWSUIT[0] as Headline], { ...base, sourceWeights: { coindesk: 1.2 } });
    const [joined] = buildStories(LAWSUIT, { ...base, sourceWeights: { coindesk: 1.2 } });
    expect(joined?.id).toBe(alone?.id);
  });

  it('drops headlines older than maxAgeHours but keeps undated ones', () => {
    const stories = buildStories(
      [
        headline('Kraken raises $500 million at $15 billion valuation', 'dlnews', 40),
        headline('Federal Reserve issues FOMC statement', 'fed', null),
        headline('Circle launches USDC on new blockchain', 'decrypt', 35),
      ],
      base,
    );
    expect(stories.map((s) => s.title).sort()).toEqual(['Circle launches USDC on new blockchain', 'Federal Reserve issues FOMC statement']);
    expect(stories.find((s) => s.title.startsWith('Federal'))?.publishedAt).toBeNull();
  });

  it('ranks fresher news higher: a story one half-life older scores half as much', () => {
    const stories = buildStories(
      [headline('Coinbase lists new memecoin', 'decrypt', FRESH_HOURS + HALF_LIFE_HOURS), headline('Kraken lists new memecoin pairs', 'coindesk', 2)],
      base,
    );
    expect(stories.map((s) => s.title)).toEqual(['Kraken lists new memecoin pairs', 'Coinbase lists new memecoin']);
    expect((stories[1]?.score ?? 0) / (stories[0]?.score ?? 1)).toBeCloseTo(0.5, 6);
  });

  it('scores undated news like news one half-life old, and future dates like undated', () => {
    const stories = buildStories(
      [
        headline('Coinbase lists new memecoin', 'decrypt', FRESH_HOURS + HALF_LIFE_HOURS),
        headline('Kraken lists new memecoin pairs', 'coindesk', null),
        headline('Bybit lists memecoin perpetuals', 'theblock', -48),
      ],
      base,
    );
    const scores = stories.map((s) => s.score);
    expect(scores[0]).toBeCloseTo(scores[1] ?? 0, 9);
    expect(scores[1]).toBeCloseTo(scores[2] ?? 0, 9);
  });

  it('ranks a story told by several outlets above one told once', () => {
    const stories = buildStories(
      [...LAWSUIT, headline('Coinbase faces SEC lawsuit over staking', 'coindesk', 5)],
      base,
    );
    expect(stories[0]?.sources).toHaveLength(3);
    expect(stories[1]?.title).toBe('Coinbase faces SEC lawsuit over staking');
  });

  it('ranks Fed, ETF and regulation news above altcoin chatter of the same age', () => {
    const stories = buildStories(
      [
        headline('Dogecoin rallies 12% as memecoin traders return', 'decrypt', 3),
        headline('Powell says December rate cut is not a foregone conclusion', 'coindesk', 3),
        headline('Bitcoin ETFs record $238 million in net inflows', 'theblock', 3),
      ],
      base,
    );
    expect(stories.map((s) => s.topics[0])).toEqual(['fed', 'etf', 'altcoins']);
  });

  it('weighs outlets by sourceWeights', () => {
    const stories = buildStories(
      [headline('Securitize wins EU approval for trading system', 'coindesk', 3), headline('Grayscale files for new trust', 'blog', 3)],
      { ...base, sourceWeights: { blog: 2 } },
    );
    expect(stories[0]?.title).toBe('Grayscale files for new trust');
  });

  it('demotes what a recent brief already covered without removing it', () => {
    const fresh = headline('Tether CEO responds to S&P stablecoin rating downgrade', 'cointelegraph', 2);
    const without = buildStories([...LAWSUIT, fresh], base);
    expect(without[0]?.title).toMatch(/^Binance/);
    const covered = buildStories([...LAWSUIT, fresh], { ...base, recentlyCovered: ['Binance faces $1 billion terrorism lawsuit', 'Fed holds rates steady'] });
    expect(covered.map((s) => s.title)).toEqual([fresh.title, without[0]?.title]);
    const before = without.find((s) => s.title.startsWith('Binance'))?.score ?? 0;
    expect(covered[1]?.score).toBeCloseTo(before * 0.2, 9);
  });

  it('does not demote a different story that shares a few words with a covered one', () => {
    const stories = buildStories([headline('Binance lists new perpetual futures for three altcoins', 'cointelegraph', 2)], {
      ...base,
      recentlyCovered: ['Binance faces $1 billion terrorism lawsuit'],
    });
    const plain = buildStories([headline('Binance lists new perpetual futures for three altcoins', 'cointelegraph', 2)], base);
    expect(stories[0]?.score).toBe(plain[0]?.score);
  });

  it('breaks score ties the same way every time', () => {
    const a = headline('Coinbase lists new memecoin', 'decrypt', 3);
    const b = headline('Kraken lists new memecoin pairs', 'decrypt', 3);
    const one = buildStories([a, b], base);
    const two = buildStories([b, a], base);
    expect(one[0]?.score).toBe(one[1]?.score);
    expect(two).toEqual(one);
  });

  it('puts the biggest stories of a real morning on top and the covered Beige Book down the list', () => {
    const stories = buildStories(DAY_HEADLINES, {
      now: DAY_NOW,
      maxAgeHours: 24,
      recentlyCovered: ["Fed's Beige Book shows little change in US economic activity"],
      sourceWeights: { coindesk: 1.2, theblock: 1.1, 'fed-monetary': 1.6, sec: 1.3 },
    });
    expect(stories.slice(0, 2).map((s) => s.title)).toEqual(['Binance faces $1 billion terrorism lawsuit', 'JPMorgan now expects Fed to cut rates in December']);
    const beige = stories.findIndex((s) => s.title.includes('Beige Book'));
    expect(beige).toBeGreaterThan(stories.length / 2);
    expect(stories.every((s, i) => i === 0 || (stories[i - 1]?.score ?? 0) >= s.score)).toBe(true);
  });

  it('keeps a story while its newest telling is fresh, with its older tellings', () => {
    const stories = buildStories(
      [
        headline('Binance faces $1 billion terrorism lawsuit', 'coindesk', 40),
        headline('Binance hit with $1B lawsuit over terrorism financing claims', 'theblock', 30),
        headline('Kraken lists new memecoin pairs', 'decrypt', 40),
      ],
      base,
    );
    // The lawsuit is still being told (30 hours ago, inside 36): both tellings stay. The
    // listing's only telling is 40 hours old: gone.
    expect(stories.map((s) => s.title)).toEqual(['Binance faces $1 billion terrorism lawsuit']);
    expect(stories[0]?.sources.map((s) => s.source).sort()).toEqual(['coindesk', 'theblock']);
  });

  it('returns no stories for no headlines', () => {
    expect(buildStories([], base)).toEqual([]);
  });
});
