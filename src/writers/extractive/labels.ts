/** Human names for data sources and source statuses, used in attributions and notes. */
import { DEFAULT_FEEDS } from '../../config.ts';

const DATA_SOURCE_NAMES: Record<string, string> = {
  coingecko: 'CoinGecko',
  binance: 'Binance',
  fear_greed: 'alternative.me',
  fred: 'FRED',
  polymarket: 'Polymarket',
  etf_flows: 'Farside',
  // The ETF flows source names its indicators' source "farside" (older snapshots: "etf_flows").
  farside: 'Farside',
};

/**
 * The name to attribute a quote or an indicator to.
 * @example dataSourceName('fred') // "FRED"
 */
export function dataSourceName(id: string): string {
  return DATA_SOURCE_NAMES[id] ?? id;
}

const STATUS_LABELS: Record<string, string> = {
  coingecko: 'Prices (CoinGecko)',
  binance: 'Prices (Binance)',
  fear_greed: 'Fear & Greed',
  fred: 'Rates (FRED)',
  polymarket: 'FOMC odds (Polymarket)',
  etf_flows: 'ETF flows',
};

/**
 * What a source status is about, for a note: "ETF flows", "SEC news feed".
 * @example statusLabel('feed:sec') // "SEC news feed"
 */
export function statusLabel(id: string, feedNames: Readonly<Record<string, string>> = {}): string {
  const known = STATUS_LABELS[id];
  if (known) return known;
  if (id.startsWith('feed:')) {
    const feedId = id.slice('feed:'.length);
    const name = feedNames[feedId] ?? DEFAULT_FEEDS.find((f) => f.id === feedId)?.name ?? feedId;
    return `${name} news feed`;
  }
  return id;
}
