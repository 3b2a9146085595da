/**
 * Stale figures are never written as current: prices and odds past their rule are left out,
 * rates, sentiment and flows are dated, the grounding checker refuses a stale figure written
 * without its date, and the closing line counts only sources that gave current figures.
 */
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../../src/config.ts';
import type { Brief, Snapshot } from '../../src/domain.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { businessDaysBetween, DEFAULT_FRESHNESS, judgeFreshness } from '../../src/writers/freshness.ts';
import { checkBrief } from '../../src/writers/grounding.ts';
import { makeInput, SNAPSHOT, STORIES } from './llm-fixtures.ts';

// SNAPSHOT.takenAt: Thursday 27 Nov 2025, 06:30 UTC
const APRIL = '2025-04-03T00:00:00.000Z';

const all = (b: Brief) => [b.title, ...b.items.map((i) => i.text), b.marketLine].join('\n');

/** The case: recorded answers from April replayed on a November morning, beside today's ETH. */
function staleDay(): Snapshot {
  return {
    ...SNAPSHOT,
    quotes: SNAPSHOT.quotes.map((q) => (q.symbol === 'BTC' ? { ...q, priceUsd: 65_610, change24hPct: 0.4, asOf: APRIL } : q)),
    indicators: SNAPSHOT.indicators.map((i) => (i.id === 'fed_funds' ? { ...i, value: 3.63, previous: 3.63, asOf: APRIL } : i)),
    statuses: [
      ...SNAPSHOT.statuses,
      { id: 'fred', ok: true, error: null, ms: 90, items: 2, notModified: false, fallback: null },
      { id: 'polymarket', ok: true, error: null, ms: 90, items: 1, notModified: false, fallback: null },
      { id: 'etf_flows', ok: true, error: null, ms: 90, items: 1, notModified: false, fallback: null },
    ],
  };
}

describe('freshness rules', () => {
  it('counts business days, so a Monday morning still has Thursday\'s fed funds rate', () => {
    expect(businessDaysBetween('2025-11-20T00:00:00Z', '2025-11-24T06:30:00Z')).toBe(2); // Thu -> Mon
    expect(businessDaysBetween('2025-11-14T00:00:00Z', '2025-11-24T06:30:00Z')).toBe(6);
    const monday = { ...SNAPSHOT, takenAt: '2025-11-24T06:30:00.000Z', quotes: [], indicators: [{ ...SNAPSHOT.indicators[1]!, asOf: '2025-11-20T00:00:00.000Z' }] };
    expect(judgeFreshness(monday).stale).toEqual([]);
    const later = { ...monday, takenAt: '2025-11-27T06:30:00.000Z' }; // Thu -> next Thu: 5 business days
    expect(judgeFreshness(later).stale.map((s) => s.id)).toEqual(['fed_funds']);
  });

  it('keeps an ETF session over a long weekend, not older', () => {
    const flow = SNAPSHOT.indicators.find((i) => i.id === 'etf_flow_btc')!;
    const on = (asOf: string) => judgeFreshness({ ...SNAPSHOT, quotes: [], indicators: [{ ...flow, asOf }] }).stale.length;
    expect(on('2025-11-23T00:00:00.000Z')).toBe(0); // 4 days
    expect(on('2025-11-22T00:00:00.000Z')).toBe(1); // 5 days
  });

  it('drops FOMC odds once the decision has passed, however recent the reading', () => {
    const odds = { ...SNAPSHOT.indicators.find((i) => i.id === 'fomc_odds')!, validUntil: '2025-11-26T19:00:00.000Z' };
    expect(judgeFreshness({ ...SNAPSHOT, indicators: [odds] }).stale).toMatchObject([{ id: 'fomc_odds', treatment: 'omit' }]);
    const ahead = { ...odds, validUntil: '2025-12-10T19:00:00.000Z' };
    expect(judgeFreshness({ ...SNAPSHOT, indicators: [ahead] }).stale).toEqual([]);
  });

  it('reads every rule from the config, with the documented defaults', () => {
    expect(ConfigSchema.parse({}).freshness).toEqual(DEFAULT_FRESHNESS);
    const cfg = loadConfig({ env: { FRESH_PRICES_MINUTES: '5', FRESH_FRED_BUSINESS_DAYS: '1' } });
    expect(cfg.freshness).toMatchObject({ pricesMinutes: 5, fredBusinessDays: 1, fearGreedHours: 36 });
    const tight = { ...SNAPSHOT, quotes: [{ ...SNAPSHOT.quotes[0]!, asOf: '2025-11-27T06:20:00.000Z' }], indicators: [] };
    expect(judgeFreshness(tight, cfg.freshness).stale).toHaveLength(1);
    expect(judgeFreshness(tight).stale).toHaveLength(0);
    expect(() => loadConfig({ env: { FRESH_PRICES_MINUTES: '-1', FRESH_ETF_FLOW_DAYS: 'four' } })).toThrow(
      /freshness\.pricesMinutes \(FRESH_PRICES_MINUTES\)[\s\S]*freshness\.etfFlowDays \(FRESH_ETF_FLOW_DAYS\)/,
    );
  });
});

describe('the extractive writer with stale figures', () => {
  const brief = writeExtractive(makeInput({ snapshot: staleDay() }));

  it('leaves out a stale price and keeps the current one beside it', () => {
    expect(all(brief)).not.toContain('65,610');
    expect(brief.marketLine).toContain('ETH $3,012');
    expect(brief.marketLine).not.toContain('BTC');
    expect(brief.notes).toContain('Prices of 1 of 3 coins are left out: the latest quotes, from 3 Apr, are out of date.');
  });

  it('writes a stale rate with its date, never in the present tense', () => {
    const text = all(brief);
    expect(text).not.toMatch(/fed funds rate is 3\.63%/);
    expect(text).toContain('The fed funds rate was 3.63% on 3 Apr, the latest figure from FRED.');
    expect(text).toContain('The 10-year Treasury yield is 4.02%'); // the current series beside it
    expect(brief.notes).toContain('Rates from FRED were last published on 3 Apr, not this morning.');
    expect(checkBrief(brief, makeInput({ snapshot: staleDay() }))).toEqual([]);
  });

  it('counts only sources with current figures in the closing line', () => {
    const everythingOld: Snapshot = {
      ...staleDay(),
      quotes: staleDay().quotes.map((q) => ({ ...q, asOf: APRIL })),
      indicators: staleDay().indicators.map((i) => ({ ...i, asOf: APRIL })),
    };
    const old = writeExtractive(makeInput({ snapshot: everythingOld, stories: STORIES }));
    // coingecko, fear_greed, fred, polymarket, etf_flows gave nothing current; the feed did.
    expect(old.closing).toContain('from 1 of 6 sources');
    expect(old.marketLine).toBe('');
    expect(all(old)).not.toMatch(/\$91,235|\$3,012|87%/);
  });
});

describe('grounding and stale figures', () => {
  const input = makeInput({ snapshot: staleDay() });
  const draft = (text: string): Brief => ({
    ...writeExtractive(input),
    title: 'Mars Morning News | ETH rose 3.4%, ETH at $3,012',
    leads: ['ETH rose 3.4%', 'ETH at $3,012'],
    items: [
      { text: 'ETH rose 3.4% to $3,012, according to CoinGecko.', storyIds: [], section: 'prices' },
      { text, storyIds: [], section: 'prices' },
    ],
  });

  it('refuses a stale price written as current, next to a current one it accepts', () => {
    const v = checkBrief(draft('BTC trades at $65,610, according to CoinGecko.'), input);
    expect(v).toEqual([expect.objectContaining({ kind: 'stale-figure', itemIndex: 1, detail: expect.stringContaining('$65,610 is from 3 Apr') })]);
  });

  it('refuses a stale rate in the present tense and accepts it with its date', () => {
    expect(checkBrief(draft('The fed funds rate is 3.63%.'), input).map((v) => v.kind)).toEqual(['stale-figure']);
    expect(checkBrief(draft('The fed funds rate was 3.63% on April 3, according to FRED.'), input)).toEqual([]);
  });
});
