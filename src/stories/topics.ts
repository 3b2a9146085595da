/**
 * Topic tags from keyword lists matched on word boundaries. Acronyms that are also ordinary
 * words ("Fed", "SEC", "ETH", "SOL") match only in their usual capitals.
 */
import type { Topic } from '../domain.ts';
import { TopicSchema } from '../domain.ts';
import { zhTopics } from './topics-zh.ts';

interface Keywords {
  /** Matched in any case. Regex source; a trailing plural "s"/"es" is always allowed. */
  any?: string[];
  /** Matched exactly as written (plus a plural "s"). */
  exact?: string[];
}

/**
 * Keywords per topic. A Fed keyword tags fed and macro (the Fed is macro news);
 * plain macro data (CPI, yields) tags macro only.
 */
const FED_WORDS: Keywords = {
  any: [
    'federal reserve',
    'fomc',
    'powell',
    'rate[- ]cut',
    'rate[- ]hike',
    'interest[- ]rate',
    'beige book',
    'fed funds',
    'fed chair',
    'dot plot',
    'waller',
  ],
  exact: ['Fed', 'FOMC', 'FED'],
};

const TOPIC_KEYWORDS: Record<Topic, Keywords> = {
  fed: FED_WORDS,
  macro: {
    any: [
      ...(FED_WORDS.any ?? []),
      'cpi',
      'ppi',
      'pce',
      'inflation',
      'treasury yield',
      'treasuries',
      '10-year',
      'bond yield',
      'jobs report',
      'nonfarm payroll',
      'payroll',
      'unemployment',
      'jobless claim',
      'gdp',
      'recession',
      'tariff',
      'dollar index',
      'dxy',
      'consumer spending',
      'economic activity',
      'ecb',
      'bank of japan',
      'boj',
    ],
    exact: FED_WORDS.exact ?? [],
  },
  etf: {
    any: ['spot etf', 'etf', 'etp', 'exchange[- ]traded fund', 'ibit', 'fbtc', 'gbtc', 'etha', 'inflow', 'outflow', 'net flow'],
  },
  btc: { any: ['bitcoin', 'satoshi', 'sats'], exact: ['BTC', 'XBT'] },
  eth: { any: ['ethereum', 'ether', 'vitalik', 'buterin'], exact: ['ETH'] },
  regulation: {
    any: [
      'lawsuit',
      'sue',
      'sued',
      'suing',
      'regulator',
      'regulatory',
      'regulation',
      'regulate',
      'regulated',
      'mica',
      'approval',
      'approve',
      'approved',
      'ban',
      'banned',
      'banning',
      'pboc',
      "people's bank of china",
      'cftc',
      'esma',
      'fca',
      'legislation',
      'lawmaker',
      'senate',
      'congress',
      'genius act',
      'clarity act',
      'sanction',
      'licen[cs]e',
      'court',
      'judge',
      'crackdown',
      'enforcement',
      'doj',
      'department of justice',
      'ofac',
      'compliance',
      'charged',
      'indictment',
    ],
    exact: ['SEC'],
  },
  exchange: {
    any: [
      'binance',
      'coinbase',
      'kraken',
      'okx',
      'bybit',
      'bitfinex',
      'bitget',
      'kucoin',
      'upbit',
      'bithumb',
      'gemini',
      'crypto\\.com',
      'htx',
      'hyperliquid',
      'exchange(?![- ]traded)',
      'listing',
      'delist',
      'delisting',
      'lists',
    ],
  },
  stablecoin: {
    any: ['stablecoin', 'stable coin', 'tether', 'usdt', 'usdc', 'circle', 'pyusd', 'rlusd', 'usde', 'ethena', 'dai'],
  },
  security: {
    any: [
      'hack',
      'hacked',
      'hacker',
      'exploit',
      'exploited',
      'exploiter',
      'drained',
      'drain',
      'phishing',
      'stolen',
      'theft',
      'breach',
      'attacker',
      'vulnerability',
      'rug pull',
      'lazarus',
      'scam',
      'scammer',
      'private key',
    ],
  },
  institutions: {
    any: [
      'jpmorgan',
      'jp morgan',
      'blackrock',
      'securitize',
      'fidelity',
      'goldman sachs',
      'morgan stanley',
      'citi',
      'citigroup',
      'bank of america',
      'state street',
      'bny',
      'franklin templeton',
      'vaneck',
      'grayscale',
      'invesco',
      'microstrategy',
      'michael saylor',
      'saylor',
      'nasdaq',
      'nyse',
      'cme',
      's&p',
      "moody's",
      'visa',
      'mastercard',
      'paypal',
      'stripe',
      'robinhood',
      'tokenization',
      'tokenized',
      'asset manager',
      'institutional',
      'treasury compan(?:y|ies)',
    ],
  },
  onchain: {
    any: [
      'whale',
      'on-chain',
      'onchain',
      'deposit',
      'withdrawal',
      'glassnode',
      'santiment',
      'cryptoquant',
      'arkham',
      'lookonchain',
      'whale alert',
      'exchange reserve',
      'active address',
      'hashrate',
      'hash rate',
      'large holder',
      'dormant',
      'wallet',
      'miner',
    ],
  },
  altcoins: {
    any: [
      'altcoin',
      'alts',
      'solana',
      'xrp',
      'ripple',
      'cardano',
      'dogecoin',
      'doge',
      'bnb',
      'avalanche',
      'avax',
      'polkadot',
      'chainlink',
      'litecoin',
      'tron',
      'toncoin',
      'aptos',
      'arbitrum',
      'memecoin',
      'meme coin',
      'shiba inu',
      'pepe',
      'hyperliquid',
      'sui',
    ],
    exact: ['SOL', 'ADA', 'TRX', 'TON', 'LINK', 'DOT', 'LTC', 'SHIB', 'HYPE', 'SUI'],
  },
};

// Word boundaries that understand Unicode letters, unlike \b.
const edge = (source: string): string => `(?<![\\p{L}\\p{N}])(?:${source})(?:e?s)?(?![\\p{L}\\p{N}])`;

const MATCHERS: [Topic, RegExp[]][] = TopicSchema.options.map((topic) => {
  const words = TOPIC_KEYWORDS[topic];
  const res: RegExp[] = [];
  if (words.any && words.any.length > 0) res.push(new RegExp(edge(words.any.join('|')), 'iu'));
  if (words.exact && words.exact.length > 0) res.push(new RegExp(edge(words.exact.join('|')), 'u'));
  return [topic, res];
});

/**
 * The topics a headline (or any text) touches, in the Topic enum's order.
 *
 * @example
 * tagTopics("Fed's Beige Book shows little change in US economic activity") // => ['fed', 'macro']
 * tagTopics('Binance faces $1 billion terrorism lawsuit')                      // => ['regulation', 'exchange']
 */
export function tagTopics(text: string): Topic[] {
  const normalised = text.normalize('NFKC').replace(/[\u2018\u2019]/gu, "'");
  // Chinese terms too (topics-zh.ts), so a Chinese headline gets its topics.
  const zh = new Set(zhTopics(normalised, TopicSchema.options));
  return MATCHERS.filter(([topic, res]) => zh.has(topic) || res.some((re) => re.test(normalised))).map(([topic]) => topic);
}
