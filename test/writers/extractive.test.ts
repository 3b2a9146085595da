/**
 * The extractive writer on small hand-made days: shape, order, leads, notes, and what it does
 * when data is missing. Stories are built directly (src/stories is not imported).
 */
import { describe, expect, it } from 'vitest';
import {
  BriefSchema,
  type Headline,
  type Indicator,
  type Quote,
  type Snapshot,
  type SourceStatus,
  type Story,
  type Topic,
} from '../../src/domain.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { SECTION_ORDER } from '../../src/writers/extractive/sections.ts';
import { cleanHeadline, shortHeadline, storySentence, storyShortHeadline } from '../../src/writers/extractive/headline.ts';
import { numbersIn } from '../../src/writers/extractive/select.ts';
import type { WriterInput } from '../../src/writers/types.ts';

const TAKEN = '2025-11-27T06:30:00.000Z';

function quote(symbol: string, priceUsd: number, change24hPct: number | null): Quote {
  const names: Record<string, [string, string]> = {
    BTC: ['bitcoin', 'Bitcoin'],
    ETH: ['ethereum', 'Ethereum'],
    SOL: ['solana', 'Solana'],
  };
  const [asset, name] = names[symbol] ?? [symbol.toLowerCase(), symbol];
  return { asset, symbol, name, priceUsd, change24hPct, volume24hUsd: null, marketCapUsd: null, source: 'coingecko', asOf: TAKEN };
}

function indicator(id: string, value: number, extra: Partial<Indicator> = {}): Indicator {
  const units: Record<string, Indicator['unit']> = {
    fear_greed: 'index',
    fed_funds: 'percent',
    us10y: 'percent',
    fomc_odds: 'probability',
    etf_flow_btc: 'usd_millions',
    etf_flow_eth: 'usd_millions',
  };
  const sources: Record<string, string> = { fear_greed: 'fear_greed', fed_funds: 'fred', us10y: 'fred', fomc_odds: 'polymarket' };
  return {
    id,
    label: id,
    value,
    unit: units[id] ?? 'index',
    previous: null,
    classification: null,
    detail: null,
    source: sources[id] ?? 'etf_flows',
    asOf: TAKEN,
    ...extra,
  };
}

function status(id: string, ok = true, error: string | null = null): SourceStatus {
  return { id, ok, error, ms: 120, items: ok ? 1 : 0, notModified: false, fallback: null };
}

function story(id: string, title: string, outlets: string[], topics: Topic[], extra: Partial<Story> = {}): Story {
  return {
    id,
    title,
    url: `https://news.example/${id}`,
    summary: '',
    publishedAt: '2025-11-27T04:00:00.000Z',
    sources: outlets.map((name, i) => ({
      source: name.toLowerCase().replace(/\s+/g, ''),
      sourceName: name,
      title: i === 0 ? title : `${title} (${name})`,
      url: i === 0 ? `https://news.example/${id}` : `https://other.example/${id}/${i}`,
      publishedAt: '2025-11-27T04:00:00.000Z',
    })),
    topics,
    score: 1,
    ...extra,
  };
}

function headline(title: string): Headline {
  return { title, url: 'https://news.example/h', source: 'coindesk', sourceName: 'CoinDesk', publishedAt: TAKEN, summary: '' };
}

const fullSnapshot = (): Snapshot => ({
  takenAt: TAKEN,
  quotes: [quote('BTC', 91234.56, 1.64), quote('ETH', 3012.41, 3.42), quote('SOL', 141.87, -2.31)],
  indicators: [
    indicator('fear_greed', 25, { previous: 11, classification: 'Fear' }),
    indicator('fed_funds', 3.88, { previous: 3.88 }),
    indicator('us10y', 4.0, { previous: 4.03 }),
    indicator('fomc_odds', 0.83, { classification: '25 bps decrease', detail: 'Fed decision in December?' }),
    indicator('etf_flow_btc', -123.4),
  ],
  headlines: [headline('Binance faces $1 billion terrorism lawsuit')],
  statuses: [
    status('coingecko'),
    status('fear_greed'),
    status('fred'),
    status('polymarket'),
    status('etf_flows', false, 'blocked: HTTP 403 from https://farside.co.uk/btc/ (Cloudflare challenge)'),
    status('feed:coindesk'),
    status('feed:theblock'),
  ],
});

/** Ranked best first, as the ranker would hand them over. */
const rankedStories = (): Story[] => [
  story('binance', 'Binance Faces $1 Billion Terrorism Lawsuit - CoinDesk', ['CoinDesk', 'The Block', 'Decrypt'], ['exchange', 'regulation']),
  story('eth3k', 'Ether returns to $3,000 as crypto market extends rebound', ['CoinDesk'], ['eth']),
  story('beige', "Fed's Beige Book shows little change in U.S. economic activity", ['The Block'], ['fed', 'macro']),
  story('ibit', "Nasdaq files to raise position limit on BlackRock's IBIT options", ['The Block', 'CoinDesk'], ['etf', 'institutions']),
  story('tether', 'Tether CEO fires back at S&P after USDT downgrade', ['DL News'], ['stablecoin']),
  story('pboc', "China's central bank says stablecoins are virtual currency", ['Cointelegraph'], ['regulation', 'stablecoin']),
  story('whales', 'Bitcoin whales ramp up exchange deposits', ['Cointelegraph'], ['btc', 'onchain', 'exchange']),
  story('hyper', 'Hyperliquid sparks controversy with token symbol change', ['CoinDesk'], ['exchange']),
  story('secur', 'Securitize wins EU approval to run tokenised trading system', ['DL News'], ['institutions', 'regulation']),
  story('jpm', 'JPMorgan predicts December Fed rate cut', ['Cointelegraph'], ['fed', 'institutions']),
  story('upbit', 'Upbit halts withdrawals after $36 million Solana hack', ['Decrypt'], ['exchange', 'security']),
  story('belarus', 'Lukashenko urges Belarusian banks to use crypto against sanctions', ['Decrypt'], ['regulation']),
];

function input(over: Partial<WriterInput> = {}): WriterInput {
  return {
    snapshot: fullSnapshot(),
    stories: rankedStories(),
    briefName: 'Mars Morning News',
    language: 'en',
    now: new Date('2025-11-27T06:31:00.000Z'),
    ...over,
  };
}

function sectionsInOrder(sections: string[]): boolean {
  const ranks = sections.map((s) => SECTION_ORDER.indexOf(s as (typeof SECTION_ORDER)[number]));
  return ranks.every((r, i) => i === 0 || r >= ranks[i - 1]!);
}

describe('writeExtractive: a full day', () => {
  const brief = writeExtractive(input());

  it('is a valid Brief from the extractive writer, in English, dated by the input clock', () => {
    expect(BriefSchema.safeParse(brief).success).toBe(true);
    expect(brief).toMatchObject({
      name: 'Mars Morning News',
      writer: 'extractive',
      writerReason: null,
      language: 'en',
      createdAt: '2025-11-27T06:31:00.000Z',
      dataAsOf: TAKEN,
      direction: 'up',
    });
  });

  it('writes the same brief twice for the same input', () => {
    expect(writeExtractive(input())).toEqual(writeExtractive(input()));
  });

  it('titles the brief "<name> | <market lead>, <top story>"', () => {
    expect(brief.leads).toEqual(['ETH returns to $3,000', 'Binance faces $1 billion terrorism lawsuit']);
    expect(brief.title).toBe(`Mars Morning News | ${brief.leads[0]}, ${brief.leads[1]}`);
  });

  it('writes 6-10 attributed sentences ordered macro, prices, ETFs, exchanges, regulation, the rest', () => {
    expect(brief.items.length).toBeGreaterThanOrEqual(6);
    expect(brief.items.length).toBeLessThanOrEqual(10);
    expect(sectionsInOrder(brief.items.map((i) => i.section))).toBe(true);
    expect(brief.items[0]!.section).toBe('macro');
    for (const item of brief.items) {
      expect(item.text).toMatch(/[.?]$/);
      if (item.storyIds.length > 0) expect(item.text).toMatch(/(reports?|said|according to [^,]+)\.$|asks?: /);
    }
  });

  it('phrases rates and FOMC odds, prices, sentiment and ETF flows from the data, with no story ids', () => {
    const data = brief.items.filter((i) => i.storyIds.length === 0).map((i) => i.text);
    expect(data).toEqual([
      'The fed funds rate is 3.88% and the 10-year Treasury yield is 4.00%, according to FRED; Polymarket puts the odds of a 25 bps decrease at 83% in its "Fed decision in December?" market.',
      'ETH is back at $3,000, trading at $3,012 (+3.4% in 24 hours), and BTC trades at $91,235 (+1.6%), according to CoinGecko.',
      'The Crypto Fear & Greed Index is at 25 (Fear), up from 11 and out of extreme fear, according to alternative.me.',
      'US spot bitcoin ETFs saw net outflows of $123.4 million in the latest session, according to Farside.',
    ]);
  });

  it('turns each story headline into a plain sentence naming up to two outlets', () => {
    const binance = brief.items.find((i) => i.storyIds.includes('binance'))!;
    expect(binance.text).toBe('Binance faces $1 billion terrorism lawsuit, CoinDesk, The Block and others report.');
    expect(binance.section).toBe('exchange');
    const tether = brief.items.find((i) => i.storyIds.includes('tether'))!;
    expect(tether.section).toBe('other');
  });

  it('names Farside for ETF flows gathered today (indicator source "farside")', () => {
    const snapshot = fullSnapshot();
    const flows = { ...input(), snapshot: { ...snapshot, indicators: snapshot.indicators.map((i) => (i.id === 'etf_flow_btc' ? { ...i, source: 'farside' } : i)) } };
    const etf = writeExtractive(flows).items.find((i) => i.section === 'etf' && i.storyIds.length === 0)!;
    expect(etf.text).toMatch(/, according to Farside\.$/);
  });

  it('leaves out a story that only repeats the market lead', () => {
    expect(brief.items.some((i) => i.storyIds.includes('eth3k'))).toBe(false);
  });

  it('keeps the best-ranked stories and cites each one once in the sources', () => {
    const cited = brief.items.flatMap((i) => i.storyIds);
    expect(cited).toContain('binance');
    expect(cited).toContain('beige');
    expect(cited).not.toContain('belarus');
    expect(brief.sources.map((s) => s.url)).toEqual(cited.map((id) => `https://news.example/${id}`));
    expect(brief.sources[0]).toEqual({ name: 'The Block', title: "Fed's Beige Book shows little change in U.S. economic activity", url: 'https://news.example/beige' });
  });

  it('summarises every quote and Fear & Greed in the market line', () => {
    expect(brief.marketLine).toBe('BTC $91,235 (+1.6%) · ETH $3,012 (+3.4%) · SOL $141.87 (-2.3%) · Fear & Greed 25 (Fear, was 11)');
  });

  it('notes the failed source and says how the brief was made', () => {
    expect(brief.notes).toEqual(['ETF flows from Farside were unavailable this morning.']);
    expect(brief.closing).toBe(
      "Summary generated by morning-brief's extractive writer from 6 of 7 sources at 06:30 UTC on 27 Nov 2025; no AI model was used.",
    );
  });
});

describe('writeExtractive: lead A', () => {
  const base = (quotes: Quote[], indicators: Indicator[] = []): WriterInput =>
    input({ snapshot: { ...fullSnapshot(), quotes, indicators } });

  it('names a big fall with its size and price, and leads with it', () => {
    const brief = writeExtractive(base([quote('BTC', 86234, -6.12), quote('ETH', 2850, -3.1)]));
    expect(brief.leads[0]).toBe('BTC falls 6.1% to $86,234');
    expect(brief.direction).toBe('down');
    expect(brief.items.find((i) => i.section === 'prices')!.text).toBe(
      'BTC fell 6.1% in 24 hours to $86,234 and ETH trades at $2,850 (-3.1%), according to CoinGecko.',
    );
  });

  it('does not lead with a routine move: the two biggest stories lead instead', () => {
    const brief = writeExtractive(base([quote('BTC', 115750, -3.0), quote('ETH', 2850, -2.1)]));
    expect(brief.leads[0]).not.toMatch(/BTC|ETH/);
    expect(brief.items.find((i) => i.section === 'prices')!.text).toContain('BTC fell 3.0% in 24 hours to $115,750');
  });

  it('prefers a Fear & Greed band change over small price moves', () => {
    const brief = writeExtractive(
      base([quote('BTC', 91234, 0.3), quote('ETH', 3100, 0.2)], [indicator('fear_greed', 28, { previous: 11, classification: 'Fear' })]),
    );
    expect(brief.leads[0]).toBe('Fear & Greed leaves extreme fear');
    expect(brief.direction).toBe('flat');
    expect(brief.marketLine).toBe('BTC $91,234 (+0.3%) · ETH $3,100 (+0.2%) · Fear & Greed 28 (Fear, was 11)');
  });

  it('says a price fell below a round level it just crossed', () => {
    const brief = writeExtractive(base([quote('BTC', 89400, -2.0)]));
    expect(brief.leads[0]).toBe('BTC falls below $90,000');
  });

  it('follows the first quote for direction when there is no BTC', () => {
    const brief = writeExtractive(base([quote('ETH', 3000.5, -0.4), quote('SOL', 140, 12)]));
    expect(brief.direction).toBe('flat');
    expect(brief.leads[0]).toBe('SOL rises 12.0% to $140.00');
  });
});

describe('writeExtractive: missing data', () => {
  it('writes from stories alone when there are no quotes, and notes the gap', () => {
    const snapshot: Snapshot = {
      ...fullSnapshot(),
      quotes: [],
      indicators: [],
      statuses: [status('coingecko', false, 'HTTP 429 from https://api.coingecko.com/api/v3/coins/markets'), status('feed:coindesk')],
    };
    const brief = writeExtractive(input({ snapshot }));
    expect(brief.leads).toEqual(['Binance faces $1 billion terrorism lawsuit', 'Ether returns to $3,000 as crypto market extends rebound']);
    expect(brief.items.every((i) => i.storyIds.length === 1)).toBe(true);
    expect(brief.items.length).toBe(10);
    expect(brief.marketLine).toBe('');
    expect(brief.direction).toBe('flat');
    // Only CoinGecko and one feed ran: the other sources were switched off, so they are not "missing".
    expect(brief.notes).toEqual(['Prices from CoinGecko were unavailable this morning.']);
  });

  it('writes from market data alone when there are no stories', () => {
    const brief = writeExtractive(input({ stories: [] }));
    expect(brief.items.length).toBe(4);
    expect(brief.items.every((i) => i.storyIds.length === 0)).toBe(true);
    expect(brief.leads).toEqual(['ETH returns to $3,000', 'Fear & Greed leaves extreme fear']);
    expect(brief.sources).toEqual([]);
    expect(brief.notes).toContain('No recent news stories.');
  });

  it('with one story and nothing else, still gives one item and two leads', () => {
    const snapshot: Snapshot = { takenAt: TAKEN, quotes: [], indicators: [], headlines: [], statuses: [] };
    const brief = writeExtractive(input({ snapshot, stories: rankedStories().slice(4, 5) }));
    expect(brief.items).toEqual([
      { text: 'Tether CEO fires back at S&P after USDT downgrade, DL News reports.', storyIds: ['tether'], section: 'other' },
    ]);
    expect(brief.title).toBe('Mars Morning News | Tether CEO fires back at S&P after USDT downgrade, no market data');
    expect(brief.closing).toBe(
      "Summary generated by morning-brief's extractive writer from data gathered at 06:30 UTC on 27 Nov 2025; no AI model was used.",
    );
  });

  it('says no data was gathered when every source failed', () => {
    const ids = ['coingecko', 'fear_greed', 'fred', 'polymarket', 'etf_flows', 'feed:coindesk', 'feed:sec'];
    const snapshot: Snapshot = {
      takenAt: TAKEN,
      quotes: [],
      indicators: [],
      headlines: [],
      statuses: ids.map((id) => status(id, false, 'timed out after 10000 ms')),
    };
    const brief = writeExtractive(input({ snapshot, stories: [] }));
    expect(BriefSchema.safeParse(brief).success).toBe(true);
    expect(brief.items).toHaveLength(1);
    expect(brief.items[0]!.text).toMatch(/^No market data or news was gathered/);
    expect(brief.items[0]!.storyIds).toEqual([]);
    expect(brief.title).toBe('Mars Morning News | No market data, no news gathered');
    expect(brief.notes).toEqual([
      'Prices from CoinGecko were unavailable this morning.',
      'The Fear & Greed index was unavailable this morning.',
      'Rates from FRED were unavailable this morning.',
      'FOMC odds from Polymarket were unavailable this morning.',
      'ETF flows from Farside were unavailable this morning.',
      'CoinDesk headlines were unavailable this morning.',
      'SEC press releases were unavailable this morning.',
    ]);
    expect(brief.closing).toContain('from 0 of 7 sources');
  });

  it('notes a fallback and a partial answer without calling the source failed', () => {
    const snapshot: Snapshot = {
      ...fullSnapshot(),
      statuses: [
        { ...status('coingecko'), fallback: 'binance', error: 'HTTP 500 from https://api.coingecko.com/api/v3/coins/markets' },
        status('fred', true, 'DGS10: HTTP 503'),
      ],
    };
    const brief = writeExtractive(input({ snapshot }));
    expect(brief.notes).toEqual([
      'Prices came from Binance: CoinGecko was unavailable this morning.',
      'Rates from FRED were only partly available this morning.',
    ]);
    expect(brief.closing).toContain('from 2 of 2 sources');
  });

  it('stays English when another language is asked for, and says so', () => {
    const brief = writeExtractive(input({ language: 'zh' }));
    expect(brief.language).toBe('en');
    expect(brief.notes.at(-1)).toBe('Written in English: the extractive writer does not translate (requested "zh").');
  });

  it('skips stories with an empty headline', () => {
    const stories = [story('empty', '   ', ['CoinDesk'], ['btc']), ...rankedStories().slice(4, 6)];
    const brief = writeExtractive(input({ stories }));
    expect(brief.items.flatMap((i) => i.storyIds)).not.toContain('empty');
  });
});

describe('writeExtractive: one sentence per piece of news', () => {
  const stories = (): Story[] => [
    story('mm', 'Morning Minute: ETH Back at $3K, Binance Sued for $1B', ['Decrypt'], ['eth', 'exchange']),
    story('beige1', "Fed's Beige Book shows little change in U.S. economic activity", ['CoinDesk'], ['fed', 'macro']),
    story('btc91', 'Bitcoin climbs above $91,000 as rate cut odds surge', ['Decrypt'], ['btc', 'fed']),
    story('etfout', 'Bitcoin ETFs bleed $123.4M in net outflows', ['Cointelegraph'], ['etf', 'btc']),
    story('fg', "Crypto Fear & Greed Index leaves 'Extreme Fear'", ['Cointelegraph'], ['btc']),
    story('beige2', 'Beige Book: summary of commentary on current economic conditions', ['Federal Reserve'], ['fed']),
    story('fork', 'Bitcoin developers propose a soft fork to limit spam', ['Bitcoin Magazine'], ['btc']),
    story('binance', 'Binance faces $1 billion terrorism lawsuit', ['DL News'], ['exchange']),
  ];

  it('skips roundups, stories the market sentences already tell, and retellings the ranker kept apart', () => {
    const brief = writeExtractive(input({ stories: stories() }));
    expect(brief.items.flatMap((i) => i.storyIds)).toEqual(['beige1', 'fork', 'binance']);
    expect(brief.leads[1]).toBe("Fed's Beige Book shows little change in U.S. economic activity");
  });

  it('still cites something when every story is a roundup', () => {
    const brief = writeExtractive(input({ stories: stories().slice(0, 1) }));
    expect(brief.items.flatMap((i) => i.storyIds)).toEqual(['mm']);
  });

  it('says an official feed published a document instead of attributing a bare title', () => {
    const fed = story('min', "Minutes of the Board's discount rate meetings on October 20 and October 29, 2025", ['Federal Reserve'], ['fed']);
    expect(storySentence(fed, 1)).toBe("The Federal Reserve published minutes of the Board's discount rate meetings on October 20 and October 29, 2025.");
  });

  it('reads headline numbers with their scale', () => {
    const found = numbersIn('ETH reclaims $3K as ETFs log $128.7M; BTC at $91,000, Binance sued for $1 billion');
    [3000, 128.7e6, 91000, 1e9].forEach((n, i) => expect(found[i]).toBeCloseTo(n, 3));
    expect(found).toHaveLength(4);
  });
});

describe('headline helpers', () => {
  it('cuts outlet suffixes and kickers and lowers Title Case common words', () => {
    expect(cleanHeadline('Breaking: Binance Faces $1 Billion Terrorism Lawsuit - CoinDesk', ['CoinDesk'])).toBe(
      'Binance faces $1 billion terrorism lawsuit',
    );
    expect(cleanHeadline('Hyperliquid draws criticism over ticker change | The Block')).toBe('Hyperliquid draws criticism over ticker change');
    expect(cleanHeadline("Tether CEO responds to S&P downgrade: 'We wear your loathing with pride'")).toBe('Tether CEO responds to S&P downgrade');
  });

  it('keeps a Title Case headline as written rather than half-lowering unknown words', () => {
    expect(cleanHeadline('Grayscale Zcash Trust Converts Into Spot ETF')).toBe('Grayscale Zcash Trust Converts Into Spot ETF');
  });

  it('keeps the period of a trailing abbreviation', () => {
    expect(storySentence(story('us', 'Stablecoin bill advances in the U.S.', ['Decrypt'], []), 0)).toBe(
      'Stablecoin bill advances in the U.S., Decrypt reports.',
    );
  });

  it('tells a question by its summary, official sources and two outlets naturally', () => {
    const question = story('q', 'Is the bitcoin bottom in?', ['CoinDesk'], [], { summary: 'Bitcoin rose 4% on Tuesday as long-term holders stopped selling. Analysts are split.' });
    expect(storySentence(question, 0)).toBe('Bitcoin rose 4% on Tuesday as long-term holders stopped selling, CoinDesk reports.');
    expect(storySentence(story('fed', 'Fed keeps rates on hold', ['Federal Reserve'], ['fed']), 0)).toBe(
      'Fed keeps rates on hold, the Federal Reserve said.',
    );
    expect(storySentence(story('two', 'Securitize wins EU approval', ['DL News', 'The Block'], []), 1)).toBe(
      'Securitize wins EU approval, according to DL News and The Block.',
    );
  });

  it('does not attribute an official headline to the body it already names', () => {
    expect(storySentence(story('beige', 'Federal Reserve Board issues Beige Book', ['Federal Reserve'], ['fed']), 0)).toBe(
      'The Federal Reserve Board issues Beige Book.',
    );
    expect(storySentence(story('sec', 'SEC charges founder of crypto lender', ['SEC'], []), 1)).toBe('The SEC charges founder of crypto lender.');
    // Only the whole name counts: "SECURE" is not the SEC.
    expect(storySentence(story('secure', 'SECURE Act passes committee', ['SEC'], []), 0)).toBe('SECURE Act passes committee, the SEC said.');
  });

  it('prefers a sentence-case telling when the lead headline is in Title Case', () => {
    const s = story('jpm', 'JPMorgan Now Expects the Fed to Slash Rates in December, Reversing Earlier Call', ['CoinDesk', 'Cointelegraph'], []);
    s.sources[1]!.title = 'JPMorgan predicts December Fed rate cut as traders boost bets';
    expect(storySentence(s, 0)).toBe('JPMorgan predicts December Fed rate cut as traders boost bets, Cointelegraph and CoinDesk report.');
  });

  it('takes lead B from a telling that fits the title whole, when the lead headline would be cut', () => {
    const s = story('upbit', 'Upbit operator says about $36 million in Solana-based assets was drained in overnight hack', ['The Block', 'Decrypt'], []);
    s.sources[1]!.title = 'Upbit halts withdrawals after $36 million Solana hack';
    expect(storyShortHeadline(s)).toBe('Upbit halts withdrawals after $36 million Solana hack');
  });

  it('shortens a long headline for the title at a clause boundary', () => {
    expect(shortHeadline('Tether CEO fires back at S&P after downgrade of USDT stability score, calls it irrelevant')).toBe(
      'Tether CEO fires back at S&P',
    );
    expect(shortHeadline('Exclusive: Nasdaq files to raise the position limit on options tied to BlackRock bitcoin fund to one million contracts for traders').length).toBeLessThanOrEqual(70);
    expect(shortHeadline('Bitcoin price analysis: BTC eyes $95K as whales accumulate')).toBe('BTC eyes $95K as whales accumulate');
    expect(shortHeadline("Nasdaq files to raise position limit on BlackRock's IBIT options to 1 million contracts")).toBe(
      "Nasdaq files to raise position limit on BlackRock's IBIT options",
    );
    expect(shortHeadline('Bitcoin falls below $90,000, analysts warn of further losses ahead this week')).toBe('Bitcoin falls below $90,000');
    expect(shortHeadline('Tether CEO Paolo Ardoino fires back: S&P rating is irrelevant')).toBe('Tether CEO Paolo Ardoino fires back');
  });
});

describe('writeExtractive: any input', () => {
  it('always gives a valid brief: 1-10 items in section order, a "<name> | A, B" title, the same twice', async () => {
    const fc = await import('fast-check');
    const topicArb = fc.subarray(['fed', 'macro', 'etf', 'btc', 'eth', 'regulation', 'exchange', 'stablecoin', 'security', 'institutions', 'onchain', 'altcoins'] as Topic[]);
    const quoteArb = fc
      .tuple(fc.constantFrom('BTC', 'ETH', 'SOL', 'XRP'), fc.double({ min: 0.0001, max: 200_000, noNaN: true }), fc.option(fc.double({ min: -60, max: 60, noNaN: true })))
      .map(([s, p, c]) => quote(s, p, c));
    const indicatorArb = fc.constantFrom('fear_greed', 'fed_funds', 'us10y', 'fomc_odds', 'etf_flow_btc', 'etf_flow_eth').chain((id) =>
      fc.tuple(fc.double({ min: -500, max: 500, noNaN: true }), fc.option(fc.double({ min: 0, max: 100, noNaN: true }))).map(([v, prev]) =>
        indicator(id, id === 'fomc_odds' ? Math.abs(v) / 500 : v, { previous: prev }),
      ),
    );
    const storyArb = fc
      .tuple(fc.string({ maxLength: 120 }), fc.subarray(['CoinDesk', 'The Block', 'Decrypt', 'SEC'], { minLength: 1 }), topicArb)
      .map(([title, outlets, topics]) => ({ title, outlets, topics }));
    fc.assert(
      fc.property(fc.array(quoteArb, { maxLength: 5 }), fc.array(indicatorArb, { maxLength: 6 }), fc.array(storyArb, { maxLength: 15 }), (quotes, indicators, raw) => {
        const stories = raw.map((r, i) => story(`s${i}`, r.title || 'x', r.outlets, r.topics));
        const inp = input({ snapshot: { ...fullSnapshot(), quotes, indicators }, stories });
        const brief = writeExtractive(inp);
        expect(BriefSchema.safeParse(brief).success).toBe(true);
        expect(brief.items.length).toBeGreaterThanOrEqual(1);
        expect(brief.items.length).toBeLessThanOrEqual(10);
        expect(sectionsInOrder(brief.items.map((i) => i.section))).toBe(true);
        expect(brief.title).toBe(`Mars Morning News | ${brief.leads[0]}, ${brief.leads[1]}`);
        expect(brief.leads.every((l) => l.trim().length > 0)).toBe(true);
        for (const id of brief.items.flatMap((i) => i.storyIds)) expect(stories.some((s) => s.id === id)).toBe(true);
        expect(writeExtractive(inp)).toEqual(brief);
      }),
      { numRuns: 100 },
    );
  });
});
