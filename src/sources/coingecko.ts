/**
 * CoinGecko `/coins/markets`: prices, 24h change, volume and market cap for the configured
 * coins. When CoinGecko fails for any reason and Binance is enabled, Binance's tickers serve
 * instead and the status records `fallback: 'binance'`.
 */
import { z } from 'zod';
import type { Coin, Config } from '../config.ts';
import type { PriceHistory, Quote } from '../domain.ts';
import { TimeoutError, describeError } from '../errors.ts';
import { realTimers } from '../util/timers.ts';
import { fetchBinanceQuotes } from './binance.ts';
import { getJson, numeric } from './http-get.ts';
import type { Source, SourceContext, SourceResult } from './types.ts';

const MarketRowSchema = z.object({
  id: z.string().min(1),
  symbol: z.string(),
  name: z.string(),
  // CoinGecko sends null for coins without a price right now.
  current_price: numeric.nullable(),
  market_cap: numeric.nullable().optional(),
  total_volume: numeric.nullable().optional(),
  price_change_percentage_24h: numeric.nullable().optional(),
  last_updated: z.string().nullable().optional(),
  /** With `sparkline=true`: about 168 hourly prices, oldest first, the last near `last_updated`. */
  sparkline_in_7d: z.object({ price: z.array(numeric.nullable()) }).nullable().optional(),
});
const MarketsSchema = z.array(MarketRowSchema);

/** Share of the source's time CoinGecko gets when a fallback must still fit in. */
const PRIMARY_SHARE = 0.6;

function nonNegative(n: number | null | undefined): number | null {
  return typeof n === 'number' && n >= 0 ? n : null;
}

const HOUR_MS = 3_600_000;

/** The sparkline as a history ending at the quote's time; null when it has fewer than two prices. */
function sparklineHistory(row: z.infer<typeof MarketRowSchema>, endsAt: string): PriceHistory | null {
  const prices = (row.sparkline_in_7d?.price ?? []).filter((p): p is number => typeof p === 'number' && p > 0);
  if (prices.length < 2) return null;
  const to = Date.parse(endsAt);
  return { from: new Date(to - (prices.length - 1) * HOUR_MS).toISOString(), to: endsAt, pricesUsd: prices, source: 'coingecko' };
}

function validTime(raw: string | null | undefined, fallback: Date): string {
  return raw && !Number.isNaN(Date.parse(raw)) ? new Date(raw).toISOString() : fallback.toISOString();
}

/** CoinGecko's quotes for `coins`, plus the tickers it did not return. */
export async function fetchCoinGeckoQuotes(
  ctx: SourceContext,
  cfg: Pick<Config['sources']['coingecko'], 'url' | 'apiKey'>,
  coins: readonly Coin[],
): Promise<{ quotes: Quote[]; missing: string[] }> {
  const ids = coins.map((c) => encodeURIComponent(c.id)).join(',');
  const url = `${cfg.url.replace(/\/+$/, '')}/coins/markets?vs_currency=usd&ids=${ids}&sparkline=true`;
  const headers: Record<string, string> = cfg.apiKey ? { 'x-cg-demo-api-key': cfg.apiKey } : {};
  const rows = await getJson(ctx, url, MarketsSchema, 'CoinGecko', { headers });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const quotes: Quote[] = [];
  const missing: string[] = [];
  for (const coin of coins) {
    const row = byId.get(coin.id);
    if (!row || row.current_price === null || row.current_price <= 0) {
      missing.push(coin.symbol);
      continue;
    }
    const quote: Quote = {
      asset: coin.id,
      symbol: coin.symbol,
      name: coin.name,
      priceUsd: row.current_price,
      change24hPct: row.price_change_percentage_24h ?? null,
      volume24hUsd: nonNegative(row.total_volume),
      marketCapUsd: nonNegative(row.market_cap),
      source: 'coingecko',
      asOf: validTime(row.last_updated, ctx.now()),
    };
    const history = sparklineHistory(row, quote.asOf);
    if (history) quote.history7d = history;
    quotes.push(quote);
  }
  if (quotes.length === 0) throw new Error(`CoinGecko returned none of ${coins.map((c) => c.id).join(', ')}`);
  return { quotes, missing };
}

/** The same context with a shorter time budget, so a fallback still has time after a slow primary. */
function shortened(ctx: SourceContext, ms: number): { ctx: SourceContext; done: () => void } {
  const controller = new AbortController();
  const cancel = (ctx.http.timers ?? realTimers).after(ms, () => controller.abort(new TimeoutError('CoinGecko', ms)));
  return {
    ctx: { ...ctx, timeoutMs: ms, signal: AbortSignal.any([ctx.signal, controller.signal]) },
    done: cancel,
  };
}

const missingNote = (missing: string[], where: string) =>
  missing.length > 0 ? `${where} had no price for ${missing.join(', ')}` : null;

/**
 * @example const src = coingeckoSource(config.sources.coingecko, config.sources.binance.enabled ? config.sources.binance : null);
 */
export function coingeckoSource(
  cfg: Pick<Config['sources']['coingecko'], 'url' | 'apiKey' | 'coins'>,
  fallback: Pick<Config['sources']['binance'], 'url'> | null,
): Source {
  return {
    id: 'coingecko',
    async run(ctx): Promise<SourceResult> {
      if (!fallback) {
        const { quotes, missing } = await fetchCoinGeckoQuotes(ctx, cfg, cfg.coins);
        return { quotes, warning: missingNote(missing, 'CoinGecko') };
      }
      const primary = shortened(ctx, Math.max(1, Math.floor(ctx.timeoutMs * PRIMARY_SHARE)));
      try {
        const { quotes, missing } = await fetchCoinGeckoQuotes(primary.ctx, cfg, cfg.coins);
        return { quotes, warning: missingNote(missing, 'CoinGecko') };
      } catch (primaryErr) {
        if (ctx.signal.aborted) throw primaryErr;
        let binance: Awaited<ReturnType<typeof fetchBinanceQuotes>>;
        try {
          binance = await fetchBinanceQuotes(ctx, fallback.url, cfg.coins);
        } catch (fallbackErr) {
          throw new Error(`CoinGecko: ${describeError(primaryErr)}; Binance fallback: ${describeError(fallbackErr)}`);
        }
        const notes = [`CoinGecko failed (${describeError(primaryErr)}), Binance used`, missingNote(binance.missing, 'Binance')];
        return { quotes: binance.quotes, fallback: 'binance', warning: notes.filter(Boolean).join('; ') };
      } finally {
        primary.done();
      }
    },
  };
}
