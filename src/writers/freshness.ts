/**
 * Is a quote or an indicator still current at the snapshot's time? One rule per kind of
 * figure (prices, Fear & Greed, FRED daily series, ETF flows, FOMC odds), each a setting.
 * Writers only write current figures as current; a stale one is left out (prices, odds) or
 * written with its date (rates, sentiment, flows), and the grounding checker refuses a stale
 * figure written without its date. The clock is always `snapshot.takenAt`, so a replay of an
 * old snapshot is judged at its own morning, and recorded old answers replayed at a later
 * clock are caught.
 */
import { INDICATOR_IDS, type Indicator, type Quote, type Snapshot } from '../domain.ts';

export interface FreshnessRules {
  /** A price quote older than this many minutes is not a current price. */
  pricesMinutes: number;
  /** The Fear & Greed reading (daily, stamped 00:00 UTC): hours. Also used for indicators of unknown kind. */
  fearGreedHours: number;
  /** FRED daily series (fed funds, 10-year): business days (Mon-Fri) since the observation. */
  fredBusinessDays: number;
  /** ETF flows: calendar days since the latest trading session. */
  etfFlowDays: number;
  /** Prediction-market odds: minutes since they were read (the decision must also be ahead). */
  fomcOddsMinutes: number;
}

/**
 * Prices move by the minute, so 30 min; alternative.me publishes once a day at 00:00 UTC, so 36 h
 * keeps yesterday's value until today's is out; FRED publishes DFF the next business day and
 * DGS10 a day or two late, so 4 business days covers a holiday; Farside's latest session is at
 * most 3 days back over a weekend and 4 over a long weekend.
 */
export const DEFAULT_FRESHNESS: Readonly<FreshnessRules> = {
  pricesMinutes: 30,
  fearGreedHours: 36,
  fredBusinessDays: 4,
  etfFlowDays: 4,
  fomcOddsMinutes: 60,
};

/** What a writer does with a stale figure of this kind. */
export type StaleTreatment = 'omit' | 'dated';

export interface StaleFigure {
  kind: 'quote' | 'indicator';
  /** Asset id for a quote, indicator id for an indicator. */
  id: string;
  /** The source status it came from ("coingecko", "fred", "etf_flows"...). */
  status: string;
  asOf: string;
  treatment: StaleTreatment;
  /** For operators: "3 business days old (rule: 2)". */
  reason: string;
}

export interface FreshnessReport {
  /** The snapshot with only current quotes and indicators: what may be written as today's. */
  current: Snapshot;
  stale: StaleFigure[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const FRED_IDS: ReadonlySet<string> = new Set([INDICATOR_IDS.fedFunds, INDICATOR_IDS.us10y]);
const ETF_IDS: ReadonlySet<string> = new Set([INDICATOR_IDS.etfFlowBtc, INDICATOR_IDS.etfFlowEth]);

/** Weekdays after `fromIso`'s UTC day up to and including `toIso`'s. */
export function businessDaysBetween(fromIso: string, toIso: string): number {
  const from = Math.floor(Date.parse(fromIso) / DAY);
  const to = Math.floor(Date.parse(toIso) / DAY);
  let n = 0;
  for (let d = from + 1; d <= to; d++) {
    const weekday = new Date(d * DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6) n++;
  }
  return n;
}

const calendarDaysBetween = (fromIso: string, toIso: string) => Math.floor(Date.parse(toIso) / DAY) - Math.floor(Date.parse(fromIso) / DAY);

/** The status quotes belong to: CoinGecko (Binance serves as its fallback), or Binance when it ran alone. */
export function quoteStatusId(snapshot: Snapshot): string {
  return snapshot.statuses.some((s) => s.id === 'coingecko') || !snapshot.statuses.some((s) => s.id === 'binance') ? 'coingecko' : 'binance';
}

/** The source status an indicator belongs to. */
export function indicatorStatusId(ind: Indicator): string {
  if (ind.id === INDICATOR_IDS.fearGreed) return 'fear_greed';
  if (FRED_IDS.has(ind.id)) return 'fred';
  if (ETF_IDS.has(ind.id)) return 'etf_flows';
  if (ind.id === INDICATOR_IDS.fomcOdds) return 'polymarket';
  return ind.source;
}

/** Why a quote is stale at `at`, or null when it is current. */
export function quoteStaleness(q: Quote, at: string, rules: FreshnessRules): string | null {
  const ageMin = (Date.parse(at) - Date.parse(q.asOf)) / MINUTE;
  return ageMin > rules.pricesMinutes ? `${Math.round(ageMin)} min old (rule: ${rules.pricesMinutes} min)` : null;
}

/** Why an indicator is stale at `at`, or null when it is current. */
export function indicatorStaleness(ind: Indicator, at: string, rules: FreshnessRules): string | null {
  const now = Date.parse(at);
  if (ind.id === INDICATOR_IDS.fomcOdds) {
    if (ind.validUntil !== undefined && Date.parse(ind.validUntil) <= now) return `the decision (${ind.validUntil}) has passed`;
    const ageMin = (now - Date.parse(ind.asOf)) / MINUTE;
    return ageMin > rules.fomcOddsMinutes ? `${Math.round(ageMin)} min old (rule: ${rules.fomcOddsMinutes} min)` : null;
  }
  if (FRED_IDS.has(ind.id)) {
    const days = businessDaysBetween(ind.asOf, at);
    return days > rules.fredBusinessDays ? `${days} business days old (rule: ${rules.fredBusinessDays})` : null;
  }
  if (ETF_IDS.has(ind.id)) {
    const days = calendarDaysBetween(ind.asOf, at);
    return days > rules.etfFlowDays ? `${days} days old (rule: ${rules.etfFlowDays})` : null;
  }
  if (ind.validUntil !== undefined && Date.parse(ind.validUntil) <= now) return `expired at ${ind.validUntil}`;
  const ageHours = (now - Date.parse(ind.asOf)) / 3_600_000;
  return ageHours > rules.fearGreedHours ? `${Math.round(ageHours)} h old (rule: ${rules.fearGreedHours} h)` : null;
}

/** Odds for a decision and prices are worthless once old; a dated rate, index or flow still informs. */
function treatmentOf(kind: 'quote' | 'indicator', id: string): StaleTreatment {
  return kind === 'quote' || id === INDICATOR_IDS.fomcOdds ? 'omit' : 'dated';
}

/**
 * Splits the snapshot's figures into current and stale, at the snapshot's own time.
 * @example const { current, stale } = judgeFreshness(snapshot, config.freshness);
 */
export function judgeFreshness(snapshot: Snapshot, rules: Readonly<FreshnessRules> = DEFAULT_FRESHNESS): FreshnessReport {
  const at = snapshot.takenAt;
  const stale: StaleFigure[] = [];
  const quoteStatus = quoteStatusId(snapshot);
  const quotes = snapshot.quotes.filter((q) => {
    const reason = quoteStaleness(q, at, rules);
    if (reason) stale.push({ kind: 'quote', id: q.asset, status: quoteStatus, asOf: q.asOf, treatment: 'omit', reason });
    return reason === null;
  });
  const indicators = snapshot.indicators.filter((ind) => {
    const reason = indicatorStaleness(ind, at, rules);
    if (reason) stale.push({ kind: 'indicator', id: ind.id, status: indicatorStatusId(ind), asOf: ind.asOf, treatment: treatmentOf('indicator', ind.id), reason });
    return reason === null;
  });
  return { current: { ...snapshot, quotes, indicators }, stale };
}

/** A status whose figures are all stale did not give today's data, so it does not count as a source. */
export function freshSourceCounts(snapshot: Snapshot, rules: Readonly<FreshnessRules> = DEFAULT_FRESHNESS): { ok: number; total: number } {
  const { current, stale } = judgeFreshness(snapshot, rules);
  const staleStatuses = new Set(stale.map((s) => s.status));
  const hasCurrent = (id: string) =>
    (current.quotes.length > 0 && quoteStatusId(snapshot) === id) || current.indicators.some((i) => indicatorStatusId(i) === id);
  const ok = snapshot.statuses.filter((s) => s.ok && (!staleStatuses.has(s.id) || hasCurrent(s.id))).length;
  return { ok, total: snapshot.statuses.length };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "20 Nov", or "20 Nov 2024" when the year is not the snapshot's.
 * @example dayLabel('2025-11-20T00:00:00Z', '2025-11-27T06:30:00Z') // "20 Nov"
 */
export function dayLabel(iso: string, takenAt: string): string {
  const d = new Date(iso);
  const year = d.getUTCFullYear() === new Date(takenAt).getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}`;
}

/**
 * The stale figures that may still be written with their date, as prompt lines:
 * "- Fed funds rate: 3.63% on 3 Apr (out of date: write it only with this date, or leave it out)".
 */
export function datedFactLines(snapshot: Snapshot, rules: Readonly<FreshnessRules> = DEFAULT_FRESHNESS): string[] {
  const dated = new Set(judgeFreshness(snapshot, rules).stale.filter((f) => f.kind === 'indicator' && f.treatment === 'dated').map((f) => f.id));
  return snapshot.indicators
    .filter((i) => dated.has(i.id))
    .map((i) => {
      const value = i.unit === 'percent' ? `${i.value.toFixed(2)}%` : i.unit === 'usd_millions' ? `$${i.value.toFixed(1)} million` : i.unit === 'probability' ? `${Math.round(i.value * 100)}%` : String(Math.round(i.value));
      return `- ${i.label}: ${value} on ${dayLabel(i.asOf, snapshot.takenAt)} (out of date: write it only with this date, or leave it out)`;
    });
}
