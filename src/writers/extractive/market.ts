/**
 * The market half of the brief: the biggest move or sentiment shift (lead A), the sentences
 * built from quotes and indicators, the one-line market summary and the day's direction.
 * Every number is printed by `src/util/format.ts` from a value in the snapshot.
 */
import { INDICATOR_IDS, type BriefItem, type Brief, type Indicator, type Quote, type Snapshot } from '../../domain.ts';
import {
  formatIndex,
  formatPct,
  formatPctLevel,
  formatPctMove,
  formatProbability,
  formatUsd,
  formatUsdMillions,
} from '../../util/format.ts';
import { dataSourceName } from './labels.ts';

/** A 24h move within +/- this many percent counts as flat. */
export const FLAT_PCT = 0.5;

/** How much a move of each asset counts when picking the lead. */
const ASSET_WEIGHT: Record<string, number> = { BTC: 1.5, ETH: 1.2 };
const OTHER_ASSET_WEIGHT = 0.5;

/** Words a headline uses for an asset, so a story repeating the market lead can be spotted. */
const ASSET_ALIASES: Record<string, string[]> = {
  BTC: ['bitcoin', 'btc'],
  ETH: ['ether', 'ethereum', 'eth'],
  SOL: ['solana', 'sol'],
  XRP: ['xrp', 'ripple'],
  BNB: ['bnb'],
};

export function findIndicator(snapshot: Snapshot, id: string): Indicator | undefined {
  return snapshot.indicators.find((i) => i.id === id);
}

/** BTC if present, otherwise the first quote: the asset the day's direction follows. */
export function primaryQuote(quotes: readonly Quote[]): Quote | undefined {
  return quotes.find((q) => q.symbol.toUpperCase() === 'BTC' || q.asset === 'bitcoin') ?? quotes[0];
}

/**
 * Up, down or flat from BTC's 24h change (or the first quote with a change); +/-0.5% is flat.
 * @example marketDirection(snapshot) // "up"
 */
export function marketDirection(snapshot: Snapshot): Brief['direction'] {
  const btc = primaryQuote(snapshot.quotes);
  const change = btc?.change24hPct ?? snapshot.quotes.find((q) => q.change24hPct !== null)?.change24hPct ?? null;
  if (change === null) return 'flat';
  if (change > FLAT_PCT) return 'up';
  if (change < -FLAT_PCT) return 'down';
  return 'flat';
}

/**
 * "BTC $91,235 (+1.6%) · ETH $3,012 (+3.4%) · Fear & Greed 25 (Fear, was 11)"; "" without data.
 * Give it the current figures only (`judgeFreshness(snapshot).current`).
 * @example buildMarketLine(snapshot)
 */
export function buildMarketLine(snapshot: Snapshot): string {
  const parts = snapshot.quotes.map((q) => {
    const change = q.change24hPct === null ? '' : ` (${formatPct(q.change24hPct)})`;
    return `${q.symbol.toUpperCase()} ${formatUsd(q.priceUsd)}${change}`;
  });
  const fg = findIndicator(snapshot, INDICATOR_IDS.fearGreed);
  if (fg) {
    const extra = [fg.classification, fg.previous === null ? null : `was ${formatIndex(fg.previous)}`].filter(Boolean);
    parts.push(`Fear & Greed ${formatIndex(fg.value)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`);
  }
  // Nothing current: no line at all (the notes say why), rather than "No market data" next to the title's.
  return parts.join(' · ');
}

type Band = 'extreme fear' | 'fear' | 'neutral' | 'greed' | 'extreme greed';

/** alternative.me's bands. */
export function fearGreedBand(value: number): Band {
  if (value < 25) return 'extreme fear';
  if (value < 47) return 'fear';
  if (value < 55) return 'neutral';
  if (value < 76) return 'greed';
  return 'extreme greed';
}

/** A round price level just crossed, e.g. ETH from $2,913 to $3,012 crossed $3,000. */
export interface Crossing {
  level: number;
  up: boolean;
}

/** Step between "round" levels: 3,000 -> 500, 91,000 -> 10,000, 101,000 -> 50,000. */
function roundStep(price: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(price));
  return price / magnitude < 5 ? magnitude / 2 : magnitude;
}

/** Round levels below this are not headline material ("SOL returns to $140.00"). */
const MIN_ROUND_LEVEL = 1000;

/**
 * A round level ($3,000, $90,000, $100,000) crossed in the last 24h that the price is still
 * within 1.5% of, so saying "$3,000" is honest.
 */
export function roundCrossing(quote: Quote): Crossing | null {
  if (quote.change24hPct === null || quote.change24hPct === 0) return null;
  const price = quote.priceUsd;
  if (price < MIN_ROUND_LEVEL * 0.985) return null;
  const before = price / (1 + quote.change24hPct / 100);
  const level = Math.round(price / roundStep(price)) * roundStep(price);
  if (level < MIN_ROUND_LEVEL || Math.abs(price - level) / level > 0.015) return null;
  if (before < level && price >= level) return { level, up: true };
  if (before >= level && price < level) return { level, up: false };
  return null;
}

/** One candidate for lead A. */
export interface MarketLead {
  kind: 'quote' | 'sentiment' | 'data';
  /** The phrase for the title, e.g. "ETH returns to $3,000". */
  text: string;
  score: number;
  /** Lower-case words a story about the same fact would contain. */
  aliases: string[];
  quote?: Quote;
  crossing?: Crossing | null;
}

/** Words a headline uses for the quote's asset: "ETH" -> ether, ethereum, eth. */
export function assetAliases(q: Quote): string[] {
  return ASSET_ALIASES[q.symbol.toUpperCase()] ?? [q.symbol.toLowerCase(), q.name.toLowerCase()];
}

function quoteLead(q: Quote): MarketLead {
  const symbol = q.symbol.toUpperCase();
  const weight = ASSET_WEIGHT[symbol] ?? OTHER_ASSET_WEIGHT;
  const aliases = assetAliases(q);
  const change = q.change24hPct;
  const crossing = roundCrossing(q);
  let text: string;
  if (crossing) text = crossing.up ? `${symbol} returns to ${formatUsd(crossing.level)}` : `${symbol} falls below ${formatUsd(crossing.level)}`;
  else if (change === null) text = `${symbol} at ${formatUsd(q.priceUsd)}`;
  else if (Math.abs(change) < FLAT_PCT) text = `${symbol} steady at ${formatUsd(q.priceUsd)}`;
  else text = `${symbol} ${change > 0 ? 'rises' : 'falls'} ${formatPctMove(change)} to ${formatUsd(q.priceUsd)}`;
  const score = Math.abs(change ?? 0) * weight + (crossing ? 3 : 0);
  return { kind: 'quote', text, score, aliases, quote: q, crossing };
}

function sentimentLead(fg: Indicator): MarketLead | null {
  if (fg.previous === null) return null;
  const now = fearGreedBand(fg.value);
  const before = fearGreedBand(fg.previous);
  const delta = fg.value - fg.previous;
  const aliases = ['fear', 'greed', 'sentiment'];
  if (now !== before) {
    let text: string;
    if (before.startsWith('extreme')) text = `Fear & Greed leaves ${before}`;
    else if (now.startsWith('extreme')) text = `Fear & Greed ${delta < 0 ? 'falls into' : 'enters'} ${now}`;
    else text = `Fear & Greed moves to ${now}`;
    const extreme = before.startsWith('extreme') || now.startsWith('extreme') ? 1 : 0;
    return { kind: 'sentiment', text, score: 4 + extreme + Math.abs(delta) / 10, aliases };
  }
  if (Math.abs(delta) < 1) return { kind: 'sentiment', text: `Fear & Greed holds at ${formatIndex(fg.value)}`, score: 0, aliases };
  const verb = delta > 0 ? 'rises' : 'falls';
  return { kind: 'sentiment', text: `Fear & Greed ${verb} to ${formatIndex(fg.value)}`, score: Math.abs(delta) / 10, aliases };
}

/** ETF flows, FOMC odds and rates: leads only on a day without price or sentiment news. */
function dataLeads(snapshot: Snapshot): MarketLead[] {
  const leads: MarketLead[] = [];
  const btcFlow = findIndicator(snapshot, INDICATOR_IDS.etfFlowBtc);
  const ethFlow = findIndicator(snapshot, INDICATOR_IDS.etfFlowEth);
  for (const [flow, what] of [[btcFlow, 'Bitcoin'], [ethFlow, 'Ether']] as const) {
    if (!flow) continue;
    const verb = flow.value < 0 ? 'lose' : 'take in';
    const text = `${what} ETFs ${verb} ${formatUsdMillions(Math.abs(flow.value))}`;
    leads.push({ kind: 'data', text, score: Math.min(2, Math.abs(flow.value) / 250), aliases: ['etf', 'etfs'] });
  }
  const odds = findIndicator(snapshot, INDICATOR_IDS.fomcOdds);
  if (odds) leads.push({ kind: 'data', text: `${formatProbability(odds.value)} odds of ${outcomeWords(odds)}`, score: 0.2, aliases: ['fomc', 'odds'] });
  const funds = findIndicator(snapshot, INDICATOR_IDS.fedFunds);
  if (funds) leads.push({ kind: 'data', text: `Fed funds rate at ${formatPctLevel(funds.value)}`, score: 0.1, aliases: ['fed funds'] });
  const tenYear = findIndicator(snapshot, INDICATOR_IDS.us10y);
  if (tenYear) leads.push({ kind: 'data', text: `10-year yield at ${formatPctLevel(tenYear.value)}`, score: 0.05, aliases: ['10-year'] });
  return leads;
}

/**
 * Candidates for lead A, best first: each quote's move (BTC and ETH count more, a round level
 * just crossed counts a lot), the Fear & Greed shift (a band change counts a lot), then ETF
 * flows, FOMC odds and rates, which lead only when prices and sentiment say little.
 */
export function marketLeads(snapshot: Snapshot): MarketLead[] {
  const leads = snapshot.quotes.map(quoteLead);
  const fg = findIndicator(snapshot, INDICATOR_IDS.fearGreed);
  const sentiment = fg ? sentimentLead(fg) : null;
  if (sentiment) leads.push(sentiment);
  leads.push(...dataLeads(snapshot));
  // Stable sort: on equal scores the snapshot's order (BTC first) wins.
  return leads.map((l, i) => ({ l, i })).sort((a, b) => b.l.score - a.l.score || a.i - b.i).map((x) => x.l);
}

function quoteClause(q: Quote, lead: MarketLead | null): string {
  const symbol = q.symbol.toUpperCase();
  const price = formatUsd(q.priceUsd);
  const change = q.change24hPct;
  if (lead?.quote === q && lead.crossing) {
    const where = lead.crossing.up ? 'is back at' : 'slipped below';
    const pct = change === null ? '' : ` (${formatPct(change)} in 24 hours)`;
    return `${symbol} ${where} ${formatUsd(lead.crossing.level)}, trading at ${price}${pct}`;
  }
  if (lead?.quote === q && change !== null && Math.abs(change) >= FLAT_PCT) {
    return `${symbol} ${change > 0 ? 'rose' : 'fell'} ${formatPctMove(change)} in 24 hours to ${price}`;
  }
  return `${symbol} trades at ${price}${change === null ? '' : ` (${formatPct(change)})`}`;
}

function joinClauses(clauses: string[], comma = false): string {
  if (clauses.length <= 1) return clauses[0] ?? '';
  return `${clauses.slice(0, -1).join(', ')}${comma ? ',' : ''} and ${clauses[clauses.length - 1]}`;
}

function according(sources: Iterable<string>): string {
  const names = [...new Set([...sources].map(dataSourceName))];
  return names.length === 0 ? '' : `, according to ${joinClauses(names)}`;
}

/** Quotes the prices sentence names, at most this many; the rest is in the market line. */
const MAX_QUOTES_IN_SENTENCE = 3;

/**
 * The lead asset first, then the runner-up's (it may be lead B on a day without stories),
 * then the first quotes (BTC, ETH).
 */
function pricesItem(snapshot: Snapshot, leads: readonly MarketLead[]): BriefItem | null {
  const quotes = snapshot.quotes;
  if (quotes.length === 0) return null;
  const lead = leads[0] ?? null;
  const named = leads.slice(0, 2).flatMap((l) => (l.quote ? [l.quote] : []));
  const shown = [...new Set([...named, ...quotes.slice(0, 2)])].slice(0, MAX_QUOTES_IN_SENTENCE);
  const clauses = shown.map((q) => quoteClause(q, lead));
  // A serial comma when a clause has its own commas ("is back at $3,000, trading at ...").
  const text = `${joinClauses(clauses, clauses.some((c) => c.includes(', ')))}${according(shown.map((q) => q.source))}.`;
  return { text, storyIds: [], section: 'prices' };
}

function sentimentItem(snapshot: Snapshot): BriefItem | null {
  const fg = findIndicator(snapshot, INDICATOR_IDS.fearGreed);
  if (!fg) return null;
  let text = `The Crypto Fear & Greed Index is at ${formatIndex(fg.value)}`;
  if (fg.classification) text += ` (${fg.classification})`;
  if (fg.previous !== null) {
    const delta = Math.round(fg.value) - Math.round(fg.previous);
    if (delta !== 0) text += `, ${delta > 0 ? 'up' : 'down'} from ${formatIndex(fg.previous)}`;
    else text += ', unchanged';
    const before = fearGreedBand(fg.previous);
    if (before.startsWith('extreme') && fearGreedBand(fg.value) !== before) text += ` and out of ${before}`;
  }
  return { text: `${text}${according([fg.source])}.`, storyIds: [], section: 'prices' };
}

/** "a 25 bps decrease", "no change", "the leading outcome". */
function outcomeWords(odds: Indicator): string {
  const outcome = (odds.classification ?? 'the leading outcome').trim();
  const lowered = /^\p{Lu}\p{Ll}/u.test(outcome) ? outcome.charAt(0).toLowerCase() + outcome.slice(1) : outcome;
  return `${/^\d/.test(lowered) ? 'a ' : ''}${lowered}`;
}

function oddsPhrase(odds: Indicator): string {
  const market = odds.detail ? ` in its "${odds.detail.trim()}" market` : '';
  return `${dataSourceName(odds.source)} puts the odds of ${outcomeWords(odds)} at ${formatProbability(odds.value)}${market}`;
}

/** Fed funds, 10-year yield and FOMC odds in one sentence. */
function macroItem(snapshot: Snapshot): BriefItem | null {
  const funds = findIndicator(snapshot, INDICATOR_IDS.fedFunds);
  const tenYear = findIndicator(snapshot, INDICATOR_IDS.us10y);
  const odds = findIndicator(snapshot, INDICATOR_IDS.fomcOdds);
  const rates: string[] = [];
  if (funds) rates.push(`the fed funds rate is ${formatPctLevel(funds.value)}`);
  if (tenYear) rates.push(`the 10-year Treasury yield is ${formatPctLevel(tenYear.value)}`);
  const parts: string[] = [];
  if (rates.length > 0) parts.push(`${joinClauses(rates)}${according([funds, tenYear].flatMap((i) => (i ? [i.source] : [])))}`);
  if (odds) parts.push(oddsPhrase(odds));
  if (parts.length === 0) return null;
  const text = parts.join('; ');
  return { text: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`, storyIds: [], section: 'macro' };
}

function flowPhrase(flow: Indicator, what: string): string {
  const direction = flow.value < 0 ? 'net outflows' : 'net inflows';
  return `${what} saw ${direction} of ${formatUsdMillions(Math.abs(flow.value))}`;
}

function etfItem(snapshot: Snapshot): BriefItem | null {
  const btc = findIndicator(snapshot, INDICATOR_IDS.etfFlowBtc);
  const eth = findIndicator(snapshot, INDICATOR_IDS.etfFlowEth);
  const parts: string[] = [];
  if (btc) parts.push(flowPhrase(btc, 'US spot bitcoin ETFs'));
  if (eth) parts.push(flowPhrase(eth, btc ? 'spot ether ETFs' : 'US spot ether ETFs'));
  if (parts.length === 0) return null;
  const sources = [btc, eth].flatMap((i) => (i ? [i.source] : []));
  // A day some funds have not reported yet is not final: say so rather than pass it off as the day's flow.
  const preliminary = btc?.preliminary || eth?.preliminary ? ' (preliminary: not every fund has reported yet)' : '';
  return { text: `${parts.join(' and ')} in the latest session${preliminary}${according(sources)}.`, storyIds: [], section: 'etf' };
}

/**
 * The sentences built from market data alone (storyIds `[]`): rates and FOMC odds (macro),
 * prices and Fear & Greed (prices), ETF flows (etf). Absent data gives no sentence. `leads`
 * is `marketLeads(snapshot)`: the top two are named in the prices sentence.
 */
export function marketItems(snapshot: Snapshot, leads: readonly MarketLead[]): BriefItem[] {
  return [macroItem(snapshot), pricesItem(snapshot, leads), sentimentItem(snapshot), etfItem(snapshot)].filter(
    (i): i is BriefItem => i !== null,
  );
}
