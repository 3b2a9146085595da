/**
 * Binance 24h tickers: the fallback quote source (keyless; answers 451 from US hosts).
 * Numbers arrive as strings; a symbol Binance does not list turns the batch call into a 400,
 * so we then ask per symbol and report the ones missing.
 */
import { z } from 'zod';
import type { Coin, Config } from '../config.ts';
import type { PriceHistory, Quote } from '../domain.ts';
import { HttpStatusError } from '../errors.ts';
import { getJson, numeric } from './http-get.ts';
import type { Source, SourceContext } from './types.ts';

const TickerSchema = z.object({
  symbol: z.string().min(1),
  lastPrice: numeric,
  priceChangePercent: numeric,
  quoteVolume: numeric,
  closeTime: z.number().int().positive(),
});
type Ticker = z.infer<typeof TickerSchema>;

export interface BinanceQuotes {
  quotes: Quote[];
  /** Coins Binance had no USDT pair for (their tickers, e.g. "XMR"). */
  missing: string[];
}

const pairOf = (coin: Coin) => `${coin.symbol}USDT`;

function isInvalidSymbol(err: unknown): boolean {
  return err instanceof HttpStatusError && err.status === 400;
}

async function fetchTickers(ctx: SourceContext, baseUrl: string, pairs: string[]): Promise<Map<string, Ticker>> {
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/api/v3/ticker/24hr`;
  const byPair = new Map<string, Ticker>();
  try {
    const url = `${endpoint}?symbols=${encodeURIComponent(JSON.stringify(pairs))}`;
    for (const t of await getJson(ctx, url, z.array(TickerSchema), 'Binance')) byPair.set(t.symbol, t);
    return byPair;
  } catch (err) {
    if (!isInvalidSymbol(err)) throw err;
    if (pairs.length === 1) return byPair;
  }
  // One unknown symbol spoils the batch: ask one by one, keeping what exists.
  const results = await Promise.allSettled(
    pairs.map((p) => getJson(ctx, `${endpoint}?symbol=${encodeURIComponent(p)}`, TickerSchema, 'Binance')),
  );
  for (const r of results) {
    if (r.status === 'fulfilled') byPair.set(r.value.symbol, r.value);
    else if (!isInvalidSymbol(r.reason)) throw r.reason;
  }
  return byPair;
}

/** A 1h kline: [openTime, open, high, low, close, volume, closeTime, ...]. */
const KlineSchema = z.tuple([z.number(), z.unknown(), z.unknown(), z.unknown(), numeric, z.unknown(), z.number()]).rest(z.unknown());

/**
 * Seven days of hourly closes for one pair: the card's sparkline when Binance serves the quotes.
 * Null when Binance has too few; a failure is the caller's to tolerate (the quote still stands).
 */
export async function fetchBinanceHistory(ctx: SourceContext, baseUrl: string, coin: Coin): Promise<PriceHistory | null> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v3/klines?symbol=${encodeURIComponent(pairOf(coin))}&interval=1h&limit=168`;
  const klines = (await getJson(ctx, url, z.array(KlineSchema), 'Binance')).filter((k) => k[4] > 0);
  if (klines.length < 2) return null;
  return {
    from: new Date(klines[0]![6]).toISOString(),
    to: new Date(klines.at(-1)![6]).toISOString(),
    pricesUsd: klines.map((k) => k[4]),
    source: 'binance',
  };
}

/**
 * Quotes for `coins` from Binance's USDT pairs (USDT taken as USD).
 * @example const { quotes, missing } = await fetchBinanceQuotes(ctx, 'https://api.binance.com', coins);
 */
export async function fetchBinanceQuotes(ctx: SourceContext, baseUrl: string, coins: readonly Coin[]): Promise<BinanceQuotes> {
  const tickers = await fetchTickers(ctx, baseUrl, coins.map(pairOf));
  const quotes: Quote[] = [];
  const missing: string[] = [];
  for (const coin of coins) {
    const t = tickers.get(pairOf(coin));
    if (!t || t.lastPrice <= 0) {
      missing.push(coin.symbol);
      continue;
    }
    quotes.push({
      asset: coin.id,
      symbol: coin.symbol,
      name: coin.name,
      priceUsd: t.lastPrice,
      change24hPct: t.priceChangePercent,
      volume24hUsd: t.quoteVolume >= 0 ? t.quoteVolume : null,
      marketCapUsd: null,
      source: 'binance',
      asOf: new Date(t.closeTime).toISOString(),
    });
  }
  if (quotes.length === 0) throw new Error(`Binance has none of ${coins.map(pairOf).join(', ')}`);
  // History only decorates the card: a failed klines call leaves the quote without one.
  const histories = await Promise.allSettled(
    quotes.map((q) => fetchBinanceHistory(ctx, baseUrl, coins.find((c) => c.id === q.asset)!)),
  );
  histories.forEach((h, i) => {
    if (h.status === 'fulfilled' && h.value) quotes[i]!.history7d = h.value;
  });
  return { quotes, missing };
}

/**
 * Binance on its own (used when CoinGecko is disabled, and by `sources` to probe the fallback).
 * @example const src = binanceSource(config.sources.binance, config.sources.coingecko.coins);
 */
export function binanceSource(cfg: Pick<Config['sources']['binance'], 'url'>, coins: readonly Coin[]): Source {
  return {
    id: 'binance',
    async run(ctx) {
      const { quotes, missing } = await fetchBinanceQuotes(ctx, cfg.url, coins);
      return { quotes, warning: missing.length > 0 ? `no Binance USDT pair for ${missing.join(', ')}` : null };
    },
  };
}
