/**
 * The facts that flow through the pipeline: Snapshot (what was gathered), Story (what it
 * means), Brief (what is written). Zod schemas are the source of truth so a snapshot read
 * back from disk or a file is checked exactly like data from the network.
 */
import { z } from 'zod';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');

/** Hourly prices over the last seven days, oldest first: the card's sparkline (optional, so older snapshots parse). */
export const PriceHistorySchema = z.object({
  /** Time of the first and the last price. */
  from: isoTime,
  to: isoTime,
  pricesUsd: z.array(z.number().positive()).min(2),
  /** "coingecko" (sparkline_in_7d) or "binance" (1h klines). */
  source: z.string().min(1),
});
export type PriceHistory = z.infer<typeof PriceHistorySchema>;

/** A price quote for one asset, with its 24h move. */
export const QuoteSchema = z.object({
  /** Stable id, e.g. "bitcoin". */
  asset: z.string().min(1),
  /** Ticker, upper case, e.g. "BTC". */
  symbol: z.string().min(1),
  name: z.string().min(1),
  priceUsd: z.number().positive(),
  change24hPct: z.number().nullable(),
  volume24hUsd: z.number().nonnegative().nullable(),
  marketCapUsd: z.number().nonnegative().nullable(),
  /** Which source produced it ("coingecko" or "binance"). */
  source: z.string().min(1),
  asOf: isoTime,
  /** Seven days of hourly prices, when the source gave them. */
  history7d: PriceHistorySchema.optional(),
});
export type Quote = z.infer<typeof QuoteSchema>;

/**
 * Well-known indicator ids. Other ids are allowed (a plugin source may add its own), these
 * are the ones writers know how to phrase.
 */
export const INDICATOR_IDS = {
  fearGreed: 'fear_greed',
  fedFunds: 'fed_funds',
  us10y: 'us10y',
  fomcOdds: 'fomc_odds',
  etfFlowBtc: 'etf_flow_btc',
  etfFlowEth: 'etf_flow_eth',
} as const;

export const IndicatorUnitSchema = z.enum([
  /** 0-100 index (Fear & Greed). */
  'index',
  /** A percentage, e.g. a rate or a yield: 4.33 means 4.33%. */
  'percent',
  /** A probability 0-1. */
  'probability',
  /** Millions of US dollars (ETF flows). */
  'usd_millions',
]);
export type IndicatorUnit = z.infer<typeof IndicatorUnitSchema>;

/** A single market or macro number: Fear & Greed, fed funds, 10y, FOMC odds, ETF flow... */
export const IndicatorSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  value: z.number().finite(),
  unit: IndicatorUnitSchema,
  /** The previous observation (yesterday's index, last session's yield), for the change. */
  previous: z.number().finite().nullable(),
  /** A word the source gives with the value ("Extreme Fear"), or the outcome an odds refers to. */
  classification: z.string().nullable(),
  /** Free text that gives the value its context, e.g. the prediction market's question. */
  detail: z.string().nullable(),
  source: z.string().min(1),
  /** When the value was observed: the day for daily series (FRED, Farside), the reading time for live ones. */
  asOf: isoTime,
  /** After this the figure no longer holds: a prediction market's decision time. */
  validUntil: isoTime.optional(),
  /** Not every contributor had reported (a Farside day with some funds still "-"). */
  preliminary: z.boolean().optional(),
  /** Earlier observations up to and including this one, oldest first (30 days of Fear & Greed, 5 ETF sessions): the card's charts. */
  history: z.array(z.object({ asOf: isoTime, value: z.number().finite() })).optional(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

/** One item from one news feed. */
export const HeadlineSchema = z.object({
  title: z.string().min(1),
  /** Canonical URL (tracking parameters stripped); may be empty when the feed gave none. */
  url: z.string(),
  /** The feed's id in the config, e.g. "coindesk". */
  source: z.string().min(1),
  /** The outlet's display name, e.g. "CoinDesk". */
  sourceName: z.string().min(1),
  publishedAt: isoTime.nullable(),
  summary: z.string(),
});
export type Headline = z.infer<typeof HeadlineSchema>;

/** How one source fared in one collection. */
export const SourceStatusSchema = z.object({
  id: z.string().min(1),
  ok: z.boolean(),
  error: z.string().nullable(),
  ms: z.number().nonnegative(),
  /** How many facts (quotes, indicators or headlines) it contributed. */
  items: z.number().int().nonnegative().default(0),
  /** The feed answered 304 and its stored items were reused. */
  notModified: z.boolean().default(false),
  /** A fallback served this source's data (e.g. Binance for CoinGecko). */
  fallback: z.string().nullable().default(null),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

/** Everything gathered in one collection: the only input a writer gets. */
export const SnapshotSchema = z.object({
  takenAt: isoTime,
  quotes: z.array(QuoteSchema),
  indicators: z.array(IndicatorSchema),
  headlines: z.array(HeadlineSchema),
  statuses: z.array(SourceStatusSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const TopicSchema = z.enum([
  'fed',
  'macro',
  'etf',
  'btc',
  'eth',
  'regulation',
  'exchange',
  'stablecoin',
  'security',
  'institutions',
  'onchain',
  'altcoins',
]);
export type Topic = z.infer<typeof TopicSchema>;

/** One outlet's telling of a story. */
export const StorySourceSchema = z.object({
  source: z.string(),
  sourceName: z.string(),
  title: z.string(),
  url: z.string(),
  publishedAt: isoTime.nullable(),
});
export type StorySource = z.infer<typeof StorySourceSchema>;

/** The same news told by one or more outlets, merged. */
export const StorySchema = z.object({
  /** Stable for the same lead URL/title, so a brief's item can cite it. */
  id: z.string().min(1),
  title: z.string(),
  url: z.string(),
  summary: z.string(),
  publishedAt: isoTime.nullable(),
  sources: z.array(StorySourceSchema).min(1),
  topics: z.array(TopicSchema),
  score: z.number(),
});
export type Story = z.infer<typeof StorySchema>;

/** Where an item sits in the brief; writers order items by section. */
export const SectionSchema = z.enum(['macro', 'prices', 'etf', 'exchange', 'regulation', 'other']);
export type Section = z.infer<typeof SectionSchema>;

export const BriefItemSchema = z.object({
  /** One short attributed sentence. */
  text: z.string().min(1),
  /** Ids of the stories the sentence came from; empty for a sentence built from market data. */
  storyIds: z.array(z.string()),
  section: SectionSchema,
});
export type BriefItem = z.infer<typeof BriefItemSchema>;

export const BriefSourceSchema = z.object({ name: z.string(), title: z.string(), url: z.string() });
export type BriefSource = z.infer<typeof BriefSourceSchema>;

export const WriterNameSchema = z.enum(['extractive', 'llm']);
export type WriterName = z.infer<typeof WriterNameSchema>;

export const BriefSchema = z.object({
  /** The brief's name, e.g. "Mars Morning News". */
  name: z.string(),
  /** `<name> | <lead A>, <lead B>` */
  title: z.string(),
  leads: z.tuple([z.string(), z.string()]),
  items: z.array(BriefItemSchema).min(1),
  /** "BTC $91,234 (-2.3%) · ETH $3,000 (+1.2%) · Fear & Greed 28 (Fear)" */
  marketLine: z.string(),
  sources: z.array(BriefSourceSchema),
  /** What was missing or went wrong ("ETF flows unavailable: HTTP 403"). */
  notes: z.array(z.string()),
  /** How the brief was made. */
  closing: z.string(),
  writer: WriterNameSchema,
  /** Why this writer's brief went out (e.g. the LLM's brief failed grounding). */
  writerReason: z.string().nullable(),
  language: z.string(),
  createdAt: isoTime,
  /** The snapshot's time, i.e. which morning the brief is about. */
  dataAsOf: isoTime,
  /** Overall market direction, for colour and emoji in renderers. */
  direction: z.enum(['up', 'down', 'flat']),
});
export type Brief = z.infer<typeof BriefSchema>;
