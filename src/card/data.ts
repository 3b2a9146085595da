/** What the market card shows, picked from a brief and its snapshot: null when there is nothing to chart. */
import { INDICATOR_IDS, type Brief, type Indicator, type Snapshot } from '../domain.ts';

export interface CoinTile {
  symbol: string;
  name: string;
  priceUsd: number;
  change24hPct: number | null;
  /** Hourly prices, oldest first; empty when the snapshot has none for this coin. */
  sparkline: number[];
}

export interface FearGreedTile {
  value: number;
  classification: string | null;
  yesterday: number | null;
  /** Up to 30 daily readings, oldest first. */
  trend: number[];
}

export interface FlowBar {
  /** YYYY-MM-DD */
  date: string;
  usdM: number;
}

export interface EtfTile {
  /** "BTC" or "ETH" with its sessions, oldest first. */
  series: Array<{ asset: string; bars: FlowBar[]; preliminary: boolean }>;
}

export interface MacroTile {
  fedFundsPct: number | null;
  us10yPct: number | null;
  us10yPreviousPct: number | null;
  fomc: { probability: number; outcome: string; question: string | null } | null;
}

export interface CardData {
  name: string;
  /** The morning the brief is about (the snapshot's time), ISO. */
  dataAsOf: string;
  direction: Brief['direction'];
  coins: CoinTile[];
  fearGreed: FearGreedTile | null;
  etf: EtfTile | null;
  macro: MacroTile | null;
  /** Display names of the sources behind the figures, in order of first use. */
  sources: string[];
}

/** The card has room for this many coin tiles. */
export const MAX_COINS = 5;

const SOURCE_NAMES: Record<string, string> = {
  coingecko: 'CoinGecko',
  binance: 'Binance',
  'alternative.me': 'alternative.me',
  fear_greed: 'alternative.me',
  farside: 'Farside',
  fred: 'FRED',
  polymarket: 'Polymarket',
};

const find = (snapshot: Snapshot, id: string): Indicator | undefined => snapshot.indicators.find((i) => i.id === id);

function etfSeries(ind: Indicator | undefined, asset: string): EtfTile['series'][number] | null {
  if (!ind) return null;
  const history = ind.history && ind.history.length > 0 ? ind.history : [{ asOf: ind.asOf, value: ind.value }];
  return { asset, bars: history.slice(-5).map((h) => ({ date: h.asOf.slice(0, 10), usdM: h.value })), preliminary: ind.preliminary === true };
}

/**
 * The card's content, or null when the snapshot carries no history at all (an older snapshot,
 * or every history-giving source failed): then no card is drawn and the brief goes alone.
 * @example const data = cardDataFrom(brief, snapshot); if (data) png = await renderCard(data);
 */
export function cardDataFrom(brief: Pick<Brief, 'name' | 'dataAsOf' | 'direction'>, snapshot: Snapshot): CardData | null {
  const used = new Set<string>();
  const coins: CoinTile[] = snapshot.quotes.slice(0, MAX_COINS).map((q) => {
    used.add(q.source);
    return { symbol: q.symbol, name: q.name, priceUsd: q.priceUsd, change24hPct: q.change24hPct, sparkline: q.history7d?.pricesUsd ?? [] };
  });

  const fg = find(snapshot, INDICATOR_IDS.fearGreed);
  const fearGreed: FearGreedTile | null = fg
    ? { value: fg.value, classification: fg.classification, yesterday: fg.previous, trend: (fg.history ?? []).map((h) => h.value) }
    : null;
  if (fg) used.add(fg.source);

  const btcFlow = find(snapshot, INDICATOR_IDS.etfFlowBtc);
  const ethFlow = find(snapshot, INDICATOR_IDS.etfFlowEth);
  const series = [etfSeries(btcFlow, 'BTC'), etfSeries(ethFlow, 'ETH')].filter((s) => s !== null);
  const etf: EtfTile | null = series.length > 0 ? { series } : null;
  if (etf) used.add('farside');

  const fed = find(snapshot, INDICATOR_IDS.fedFunds);
  const tenYear = find(snapshot, INDICATOR_IDS.us10y);
  const odds = find(snapshot, INDICATOR_IDS.fomcOdds);
  const macro: MacroTile | null =
    fed || tenYear || odds
      ? {
          fedFundsPct: fed?.value ?? null,
          us10yPct: tenYear?.value ?? null,
          us10yPreviousPct: tenYear?.previous ?? null,
          fomc: odds ? { probability: odds.value, outcome: odds.classification ?? 'the leading outcome', question: odds.detail } : null,
        }
      : null;
  for (const ind of [fed, tenYear, odds]) if (ind) used.add(ind.source);

  const hasHistory =
    coins.some((c) => c.sparkline.length >= 2) ||
    (fearGreed?.trend.length ?? 0) >= 2 ||
    [btcFlow, ethFlow].some((i) => (i?.history?.length ?? 0) >= 2);
  if (!hasHistory) return null;

  return {
    name: brief.name,
    dataAsOf: brief.dataAsOf,
    direction: brief.direction,
    coins,
    fearGreed,
    etf,
    macro,
    sources: [...used].map((s) => SOURCE_NAMES[s] ?? s),
  };
}
