/**
 * Sentences for figures past their freshness rule that still inform when dated: a rate, the
 * Fear & Greed index, an ETF flow, written with their day ("The fed funds rate was 3.63% on
 * 20 Nov, the latest figure from FRED."), never in the present tense. Stale prices and odds
 * are left out entirely (see freshness.ts).
 */
import { INDICATOR_IDS, type BriefItem, type Indicator, type Snapshot } from '../../domain.ts';
import { formatIndex, formatPctLevel, formatUsdMillions } from '../../util/format.ts';
import { dayLabel, judgeFreshness, type FreshnessRules } from '../freshness.ts';
import { dataSourceName } from './labels.ts';

function fredClause(ind: Indicator): string {
  return ind.id === INDICATOR_IDS.fedFunds
    ? `the fed funds rate was ${formatPctLevel(ind.value)}`
    : `the 10-year Treasury yield was ${formatPctLevel(ind.value)}`;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function datedItem(ind: Indicator, takenAt: string): BriefItem | null {
  const day = dayLabel(ind.asOf, takenAt);
  const from = dataSourceName(ind.source);
  switch (ind.id) {
    case INDICATOR_IDS.fearGreed: {
      const label = ind.classification ? ` (${ind.classification})` : '';
      return { text: sentence(`the Crypto Fear & Greed Index was ${formatIndex(ind.value)}${label} on ${day}, the latest reading from ${from}`), storyIds: [], section: 'prices' };
    }
    case INDICATOR_IDS.fedFunds:
    case INDICATOR_IDS.us10y:
      return { text: sentence(`${fredClause(ind)} on ${day}, the latest figure from ${from}`), storyIds: [], section: 'macro' };
    case INDICATOR_IDS.etfFlowBtc:
    case INDICATOR_IDS.etfFlowEth: {
      const what = ind.id === INDICATOR_IDS.etfFlowBtc ? 'US spot bitcoin ETFs' : 'US spot ether ETFs';
      const direction = ind.value < 0 ? 'net outflows' : 'net inflows';
      return { text: sentence(`${what} saw ${direction} of ${formatUsdMillions(Math.abs(ind.value))} on ${day}, the latest session ${from} has published`), storyIds: [], section: 'etf' };
    }
    default:
      return null;
  }
}

/**
 * One dated sentence per stale indicator that is written with its date.
 * @example datedItems(snapshot, DEFAULT_FRESHNESS) // [{ text: 'The fed funds rate was 3.63% on 20 Nov, the latest figure from FRED.', ... }]
 */
export function datedItems(snapshot: Snapshot, rules: Readonly<FreshnessRules>): BriefItem[] {
  const stale = new Set(judgeFreshness(snapshot, rules).stale.filter((f) => f.kind === 'indicator' && f.treatment === 'dated').map((f) => f.id));
  return snapshot.indicators.filter((i) => stale.has(i.id)).flatMap((i) => datedItem(i, snapshot.takenAt) ?? []);
}
