/**
 * The seed's example day (Beige Book, JPMorgan's December call, Nasdaq's IBIT options limit,
 * ETH at $3,000, Binance's lawsuit...) as a WriterInput, and model answers about it.
 */
import type { Config } from '../../src/config.ts';
import { ConfigSchema } from '../../src/config.ts';
import type { Indicator, Quote, Snapshot, Story, Topic } from '../../src/domain.ts';
import type { LlmDraft } from '../../src/writers/brief-parts.ts';
import type { WriterInput } from '../../src/writers/types.ts';

const TAKEN_AT = '2025-11-27T06:30:00.000Z';

function quote(asset: string, symbol: string, name: string, priceUsd: number, change24hPct: number): Quote {
  return { asset, symbol, name, priceUsd, change24hPct, volume24hUsd: null, marketCapUsd: null, source: 'coingecko', asOf: TAKEN_AT };
}

function indicator(partial: Pick<Indicator, 'id' | 'label' | 'value' | 'unit' | 'previous' | 'source'> & Partial<Indicator>): Indicator {
  return { classification: null, detail: null, asOf: TAKEN_AT, ...partial };
}

export const SNAPSHOT: Snapshot = {
  takenAt: TAKEN_AT,
  quotes: [
    quote('bitcoin', 'BTC', 'Bitcoin', 91234.56, 1.6),
    quote('ethereum', 'ETH', 'Ethereum', 3012.4, 3.4),
    quote('solana', 'SOL', 'Solana', 142.18, -0.8),
  ],
  indicators: [
    indicator({ id: 'fear_greed', label: 'Fear & Greed Index', value: 25, unit: 'index', previous: 11, classification: 'Extreme Fear', source: 'fear_greed' }),
    indicator({ id: 'fed_funds', label: 'Fed funds rate', value: 3.88, unit: 'percent', previous: 3.88, source: 'fred' }),
    indicator({ id: 'us10y', label: 'US 10-year Treasury yield', value: 4.02, unit: 'percent', previous: 4.0, source: 'fred' }),
    indicator({
      id: 'fomc_odds',
      label: 'FOMC odds',
      value: 0.87,
      unit: 'probability',
      previous: 0.81,
      classification: '25 bps decrease',
      detail: 'Fed decision in December?',
      source: 'polymarket',
    }),
    indicator({ id: 'etf_flow_btc', label: 'US spot BTC ETF net flow', value: 128.7, unit: 'usd_millions', previous: -151.1, source: 'etf_flows' }),
  ],
  headlines: [],
  statuses: [
    { id: 'coingecko', ok: true, error: null, ms: 120, items: 3, notModified: false, fallback: null },
    { id: 'fear_greed', ok: true, error: null, ms: 80, items: 1, notModified: false, fallback: null },
    { id: 'feed:coindesk', ok: true, error: null, ms: 200, items: 30, notModified: false, fallback: null },
  ],
};

function story(id: string, title: string, summary: string, outlets: string[], topics: Topic[], hoursAgo: number, score: number): Story {
  const publishedAt = new Date(Date.parse(TAKEN_AT) - hoursAgo * 3_600_000).toISOString();
  return {
    id,
    title,
    url: `https://news.example/${id}`,
    summary,
    publishedAt,
    sources: outlets.map((name) => ({ source: name.toLowerCase().replace(/\W+/g, ''), sourceName: name, title, url: `https://news.example/${id}`, publishedAt })),
    topics,
    score,
  };
}

export const STORIES: Story[] = [
  story('st-beige', "Fed's Beige Book shows little change in U.S. economic activity, divergence among consumers grows", 'The Federal Reserve said economic activity changed little across its districts.', ['Federal Reserve', 'CoinDesk'], ['fed', 'macro'], 9, 9),
  story('st-jpm', 'JPMorgan now expects the Fed to cut rates in December', 'JPMorgan economists expect a 25 basis point cut at the December 10 meeting.', ['The Block'], ['fed', 'macro'], 7, 8.5),
  story('st-ibit', "Nasdaq seeks to raise position limit on BlackRock's IBIT options", "Nasdaq filed to lift the limit on options tied to BlackRock's iShares Bitcoin Trust to 1 million contracts.", ['CoinDesk', 'Decrypt'], ['etf', 'institutions'], 6, 8),
  story('st-hype', "Hyperliquid's token symbol change sparks controversy", 'Traders questioned the timing of the change.', ['DL News'], ['exchange', 'altcoins'], 5, 7),
  story('st-binance', 'Binance faces $1 billion terrorism-related lawsuit', 'Families of victims filed the suit in a New York court.', ['Cointelegraph'], ['exchange', 'regulation'], 4, 7.5),
  story('st-securitize', 'Securitize wins EU approval to run tokenization trading system', 'The approval covers a DLT trading and settlement system.', ['The Block'], ['regulation', 'institutions'], 8, 6),
  story('st-tether', "Tether CEO responds to S&P's credit rating downgrade", "Paolo Ardoino dismissed the agency's assessment.", ['Decrypt'], ['stablecoin'], 10, 5.5),
  story('st-whales', 'Bitcoin whales increase deposits to exchanges', 'On-chain data show large holders moving coins to trading venues.', ['CoinDesk'], ['onchain', 'btc'], 3, 5),
];

export function makeInput(overrides: Partial<WriterInput> = {}): WriterInput {
  return { snapshot: SNAPSHOT, stories: STORIES, briefName: 'Mars Morning News', language: 'en', now: new Date('2025-11-27T06:31:00.000Z'), ...overrides };
}

/** A grounded English answer, citing stories by their prompt aliases (S1 = st-beige, ...). */
export const GOOD_DRAFT: LlmDraft = {
  title: 'Mars Morning News | ETH returns to $3,000, Binance faces $1 billion lawsuit',
  leadA: 'ETH returns to $3,000',
  leadB: 'Binance faces $1 billion lawsuit',
  items: [
    { text: "The Federal Reserve's Beige Book shows little change in U.S. economic activity, with growing divergence among consumers.", storyIds: ['S1'], section: 'macro' },
    { text: 'JPMorgan now expects the Fed to cut rates by 25 basis points in December, The Block reports.', storyIds: ['S2'], section: 'macro' },
    { text: 'ETH rose 3.4% to $3,012 and BTC traded at $91,235, according to CoinGecko.', storyIds: [], section: 'prices' },
    { text: 'The Fear & Greed Index rose to 25 from 11, still in Extreme Fear.', storyIds: [], section: 'prices' },
    { text: "Nasdaq has applied to raise the position limit for BlackRock's IBIT options to 1 million contracts.", storyIds: ['S3'], section: 'etf' },
    { text: 'Binance faces a $1 billion terrorism-related lawsuit, Cointelegraph reports.', storyIds: ['S5'], section: 'exchange' },
    { text: 'Securitize received EU approval to operate a tokenization trading system.', storyIds: ['S6'], section: 'regulation' },
    { text: "Tether's CEO responded to S&P's credit rating downgrade.", storyIds: ['S7'], section: 'other' },
  ],
};

/** The same day in Chinese. */
export const GOOD_DRAFT_ZH: LlmDraft = {
  title: 'Mars Morning News | 以太坊重回3,000美元，币安面临10亿美元诉讼',
  leadA: '以太坊重回3,000美元',
  leadB: '币安面临10亿美元诉讼',
  items: [
    { text: '美联储褐皮书显示美国经济活动变化不大，消费者分化加剧。', storyIds: ['S1'], section: 'macro' },
    { text: '摩根大通预计美联储将于12月降息25个基点。', storyIds: ['S2'], section: 'macro' },
    { text: '以太坊上涨3.4%至3,012美元，比特币报91,235美元。', storyIds: [], section: 'prices' },
    { text: '恐惧与贪婪指数从11升至25，仍处于极度恐惧区间。', storyIds: [], section: 'prices' },
    { text: '纳斯达克申请提高贝莱德IBIT期权的持仓限额。', storyIds: ['S3'], section: 'etf' },
    { text: '币安面临一起10亿美元的恐怖主义相关诉讼。', storyIds: ['S5'], section: 'exchange' },
  ],
};

/** GOOD_DRAFT with item `index` replaced. */
export function withItem(index: number, item: LlmDraft['items'][number], draft: LlmDraft = GOOD_DRAFT): LlmDraft {
  return { ...draft, items: draft.items.map((it, i) => (i === index ? item : it)) };
}

export const API_KEY = 'sk-test-0123456789abcdef';

/**
 * The llm config tests use: one retry, the fake server's URL. The timeout only guards against a
 * hang (a loaded machine answers a good reply late, not wrongly); the timeout test sets its own.
 */
export function llmConfig(baseUrl: string, overrides: Partial<Config['llm']> = {}): Config['llm'] {
  const config = ConfigSchema.parse({ llm: { apiKey: API_KEY, baseUrl, timeoutMs: 20_000, maxRetries: 1, model: 'fake-model' } });
  return { ...config.llm, ...overrides };
}
