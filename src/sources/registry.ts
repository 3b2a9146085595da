/** Turns the config into the list of sources: every known source, and the ones to run. */
import type { Config } from '../config.ts';
import { binanceSource } from './binance.ts';
import { coingeckoSource } from './coingecko.ts';
import { etfFlowsSource } from './etf-flows.ts';
import { fearGreedSource } from './fear-greed.ts';
import { feedSource } from './feed/feed-source.ts';
import { fredSource } from './fred.ts';
import { polymarketSource } from './polymarket.ts';
import type { Source } from './types.ts';

export interface SourceEntry {
  source: Source;
  enabled: boolean;
  /**
   * 'fallback' only serves when a primary fails (Binance behind CoinGecko): it is probed by
   * `sources` but not run on its own, and its failure does not fail the probe.
   */
  role: 'primary' | 'fallback';
}

/**
 * Every source the config knows, enabled or not, in display order.
 * @example describeSources(config).filter((e) => !e.enabled).map((e) => e.source.id) // ['etf_flows']
 */
export function describeSources(config: Config): SourceEntry[] {
  const s = config.sources;
  const coins = s.coingecko.coins;
  const entries: SourceEntry[] = [
    { source: coingeckoSource(s.coingecko, s.binance.enabled ? s.binance : null), enabled: s.coingecko.enabled, role: 'primary' },
    // With CoinGecko off, Binance is the quote source; otherwise it stands behind it.
    { source: binanceSource(s.binance, coins), enabled: s.binance.enabled, role: s.coingecko.enabled ? 'fallback' : 'primary' },
    { source: fearGreedSource(s.fearGreed), enabled: s.fearGreed.enabled, role: 'primary' },
    { source: fredSource(s.fred), enabled: s.fred.enabled, role: 'primary' },
    { source: polymarketSource(s.polymarket), enabled: s.polymarket.enabled, role: 'primary' },
    { source: etfFlowsSource(s.etfFlows), enabled: s.etfFlows.enabled, role: 'primary' },
  ];
  for (const feed of s.feeds) entries.push({ source: feedSource(feed), enabled: feed.enabled, role: 'primary' });
  return entries;
}

/**
 * The sources one collection runs: every enabled one, one per enabled feed.
 * @example const snapshot = await collectSnapshot(buildSources(config), deps, opts);
 */
export function buildSources(config: Config): Source[] {
  return describeSources(config)
    .filter((e) => e.enabled && e.role === 'primary')
    .map((e) => e.source);
}
