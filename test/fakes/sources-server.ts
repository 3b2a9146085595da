/**
 * One loopback server that answers like every market/macro source and a few news feeds, with
 * recorded-shape payloads (CoinGecko markets, Binance 24h tickers with string numbers,
 * alternative.me F&G, FRED CSVs, Polymarket Gamma markets, Farside-like HTML, RSS), and
 * failure modes switchable per route. `configFor(server)` points a Config at it.
 *
 * The data describe the morning of FIXTURE_NOW (2025-12-04 07:00 UTC): pass
 * `now: () => FIXTURE_NOW` to sources so "upcoming" and "recent" mean what the data mean.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import { afterAll, beforeEach } from 'vitest';
import { ConfigSchema, type Config } from '../../src/config.ts';
import type { SourceContext } from '../../src/sources/types.ts';
import { memoryFeedCache } from '../../src/store/feed-cache.ts';
import type { SleepFn } from '../../src/util/http.ts';
import { startServer, type LoopbackServer } from './http-server.ts';

export const FIXTURE_NOW = new Date('2025-12-04T07:00:00.000Z');

export type FailureMode =
  | 'ok'
  /** Accepts the request and never answers. */
  | 'timeout'
  | '500'
  /** 429 with Retry-After (seconds, default 1) and the service's rate-limit body. */
  | '429'
  /** 200 with a JSON body cut in half. */
  | 'malformed-json'
  /** 200 with a body that parses but has the wrong shape or types (a SchemaError for a good client). */
  | 'wrong-shape'
  /** 200 feed with broken XML. */
  | 'malformed-xml'
  /** 200 feed with a channel and no items. */
  | 'empty-feed'
  /** 200 feed whose bytes are windows-1251 (as its XML declaration says) while Content-Type claims utf-8. */
  | 'wrong-encoding'
  /** 200 text/html news page instead of the feed / data. */
  | 'html'
  /** 403 Cloudflare "Just a moment..." bot wall. */
  | '403';

export interface FeedFixture {
  id: string;
  name: string;
  weight: number;
}

export const FIXTURE_FEEDS: readonly FeedFixture[] = [
  { id: 'coindesk', name: 'CoinDesk', weight: 1.2 },
  { id: 'cointelegraph', name: 'Cointelegraph', weight: 1 },
  { id: 'fed-monetary', name: 'Federal Reserve', weight: 1.6 },
];

/** Route names: one per source endpoint, and `feed:<id>` per feed. */
export type RouteName = 'coingecko' | 'binance' | 'fearGreed' | 'fred' | 'polymarket' | 'etfBtc' | 'etfEth' | `feed:${string}`;

export interface RecordedRequest {
  route: RouteName | 'unknown';
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage['headers'];
}

export interface ModeOptions {
  /** Fail this many times, then answer normally again (default: until changed). */
  times?: number;
  /** Retry-After for '429', in seconds (default 1; 0 retries at once). */
  retryAfterSeconds?: number;
}

export interface SourcesServer extends Pick<LoopbackServer, 'url' | 'close'> {
  setMode(route: RouteName, mode: FailureMode, options?: ModeOptions): void;
  /** Every route back to 'ok' and the request log cleared. */
  reset(): void;
  /** Requests received so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  hits(route: RouteName): number;
  readonly feeds: readonly FeedFixture[];
}

// ---------------------------------------------------------------------------------------------
// Recorded-shape payloads

const COINS = [
  { id: 'bitcoin', symbol: 'btc', name: 'Bitcoin', price: 92850.12, change: -0.84, volume: 48_120_334_210, cap: 1_852_004_118_331, rank: 1 },
  { id: 'ethereum', symbol: 'eth', name: 'Ethereum', price: 3051.4, change: 2.11, volume: 24_880_102_553, cap: 368_301_441_020, rank: 2 },
  { id: 'ripple', symbol: 'xrp', name: 'XRP', price: 2.18, change: 1.02, volume: 3_910_220_118, cap: 131_552_004_881, rank: 4 },
  { id: 'binancecoin', symbol: 'bnb', name: 'BNB', price: 905.6, change: 0.35, volume: 1_802_115_442, cap: 124_700_551_203, rank: 5 },
  { id: 'solana', symbol: 'sol', name: 'Solana', price: 142.31, change: -1.73, volume: 4_512_339_871, cap: 79_402_117_652, rank: 7 },
];

/**
 * 168 hourly prices ending at `price`, a fixed wave with the 24h move in the last day: the
 * shape of CoinGecko's sparkline_in_7d and of Binance's 1h closes (deterministic, no clock).
 */
export function fixtureHourlyPrices(price: number, change24hPct: number, points = 168): number[] {
  const dayAgo = price / (1 + change24hPct / 100);
  return Array.from({ length: points }, (_, i) => {
    const fromEnd = points - 1 - i;
    const base = fromEnd <= 24 ? price + ((dayAgo - price) * fromEnd) / 24 : dayAgo * (1 + 0.012 * Math.sin(fromEnd / 9) + 0.0004 * (fromEnd - 24));
    return +base.toPrecision(8);
  });
}

function coingeckoMarkets(ids: string[], sparkline: boolean): unknown[] {
  return COINS.filter((c) => ids.includes(c.id)).map((c) => ({
    id: c.id,
    symbol: c.symbol,
    name: c.name,
    image: `https://coin-images.coingecko.com/coins/images/1/large/${c.id}.png`,
    current_price: c.price,
    market_cap: c.cap,
    market_cap_rank: c.rank,
    fully_diluted_valuation: c.cap,
    total_volume: c.volume,
    high_24h: +(c.price * 1.02).toFixed(2),
    low_24h: +(c.price * 0.97).toFixed(2),
    price_change_24h: +((c.price * c.change) / 100).toFixed(4),
    price_change_percentage_24h: c.change,
    market_cap_change_24h: (c.cap * c.change) / 100,
    market_cap_change_percentage_24h: c.change,
    circulating_supply: c.cap / c.price,
    total_supply: c.cap / c.price,
    max_supply: null,
    ath: c.price * 1.35,
    ath_change_percentage: -25.9,
    ath_date: '2025-10-06T18:57:42.558Z',
    atl: 0.0432,
    atl_change_percentage: 99999,
    atl_date: '2013-07-06T00:00:00.000Z',
    roi: null,
    last_updated: '2025-12-04T06:58:12.402Z',
    ...(sparkline ? { sparkline_in_7d: { price: fixtureHourlyPrices(c.price, c.change) } } : {}),
  }));
}

/** Binance 1h klines ([openTime, open, high, low, close, volume, closeTime, ...] with string numbers), the last closing at BINANCE_CLOSE. */
function binanceKlines(symbol: string, limit: number): unknown[] {
  const t = BINANCE[symbol]!;
  const closes = fixtureHourlyPrices(Number(t.last), Number(t.pct), Math.min(limit, 1000));
  return closes.map((close, i) => {
    const closeTime = BINANCE_CLOSE - (closes.length - 1 - i) * 3_600_000;
    const c = close.toFixed(8);
    return [closeTime - 3_599_999, c, c, c, c, '120.5', closeTime, '1.0', 1000, '60.1', '1.0', '0'];
  });
}

/** Binance lists no XRP pair in this fixture, to exercise "missing" warnings. */
const BINANCE: Record<string, { last: string; pct: string; quoteVolume: string }> = {
  BTCUSDT: { last: '92811.01000000', pct: '-0.912', quoteVolume: '1602334455.12345678' },
  ETHUSDT: { last: '3049.87000000', pct: '2.034', quoteVolume: '1122334455.98765432' },
  SOLUSDT: { last: '142.20000000', pct: '-1.801', quoteVolume: '512334455.10000000' },
  BNBUSDT: { last: '905.10000000', pct: '0.301', quoteVolume: '210334455.20000000' },
};
const BINANCE_CLOSE = Date.parse('2025-12-04T06:59:59.999Z');

function binanceTicker(symbol: string): unknown {
  const t = BINANCE[symbol]!;
  return {
    symbol,
    priceChange: '-850.00000000',
    priceChangePercent: t.pct,
    weightedAvgPrice: t.last,
    prevClosePrice: t.last,
    lastPrice: t.last,
    lastQty: '0.00102000',
    bidPrice: t.last,
    bidQty: '1.50000000',
    askPrice: t.last,
    askQty: '2.10000000',
    openPrice: t.last,
    highPrice: t.last,
    lowPrice: t.last,
    volume: '17261.39582000',
    quoteVolume: t.quoteVolume,
    openTime: BINANCE_CLOSE - 86_400_000 + 1,
    closeTime: BINANCE_CLOSE,
    firstId: 5_120_331_001,
    lastId: 5_122_873_331,
    count: 2_542_331,
  };
}

const FNG_OLDER = [20, 16, 11, 15, 19, 24, 25, 21, 14, 16, 20, 28, 33, 37, 42, 40, 38, 45, 51, 49, 44, 39, 35, 30, 29, 26, 31, 27];
const FNG = {
  name: 'Fear and Greed Index',
  data: [
    { value: '28', value_classification: 'Fear', timestamp: '1764806400', time_until_update: '61200' },
    { value: '22', value_classification: 'Extreme Fear', timestamp: '1764720000' },
    // 28 older days (limit=30), newest first like the real API.
    ...FNG_OLDER.map((v, i) => ({
      value: String(v),
      value_classification: v < 25 ? 'Extreme Fear' : v < 46 ? 'Fear' : v < 55 ? 'Neutral' : 'Greed',
      timestamp: String(1764720000 - (i + 1) * 86_400),
    })),
  ],
  metadata: { error: null },
};

/** DFF: a "." on the 2nd (as FRED marks a missing day); DGS10: latest day not in yet. */
const FRED: Record<string, string> = {
  DFF: 'observation_date,DFF\n2025-11-28,3.88\n2025-11-29,3.88\n2025-11-30,3.88\n2025-12-01,3.88\n2025-12-02,.\n2025-12-03,3.89\n',
  DGS10: 'observation_date,DGS10\n2025-11-26,4.00\n2025-11-27,.\n2025-11-28,4.02\n2025-12-01,4.09\n2025-12-02,4.08\n2025-12-03,.\n',
};

function gammaMarket(n: number, question: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: String(560_000 + n),
    question,
    conditionId: `0x${n.toString(16).padStart(64, 'a')}`,
    slug: question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    resolutionSource: '',
    startDate: '2025-09-18T16:00:00Z',
    image: 'https://polymarket-upload.s3.us-east-2.amazonaws.com/fed.png',
    description: 'This market will resolve to the amount of basis points the upper bound of the target federal funds rate is changed by.',
    outcomes: '["Yes", "No"]',
    active: true,
    closed: false,
    marketMakerAddress: '',
    new: false,
    featured: false,
    archived: false,
    restricted: true,
    enableOrderBook: true,
    negRisk: true,
    clobTokenIds: `["${n}1", "${n}2"]`,
    ...extra,
  };
}

const fedEvent = (month: string) => [{ id: '35090', ticker: `fed-decision-in-${month}`, slug: `fed-decision-in-${month}`, title: `Fed decision in ${month[0]!.toUpperCase()}${month.slice(1)}?` }];

/** Dec 10 meeting (nearest), Jan 28 meeting (later), a yearly "emergency cut" market, a past meeting, a sports market. */
const GAMMA_MARKETS = [
  gammaMarket(1, 'Will the Lakers beat the Celtics on December 5?', { endDate: '2025-12-05T03:00:00Z', outcomes: '["Lakers", "Celtics"]', outcomePrices: '["0.41", "0.59"]', volume: '880213.5', volumeNum: 880213.5, negRisk: false, events: [{ title: 'Lakers vs. Celtics' }] }),
  gammaMarket(2, 'Fed decreases interest rates by 50+ bps after December 2025 meeting?', { groupItemTitle: '50+ bps decrease', endDate: '2025-12-10T12:00:00Z', outcomePrices: '["0.006", "0.994"]', volume: '21044120.2', volumeNum: 21044120.2, events: fedEvent('december') }),
  gammaMarket(3, 'Fed decreases interest rates by 25 bps after December 2025 meeting?', { groupItemTitle: '25 bps decrease', endDate: '2025-12-10T12:00:00Z', outcomePrices: '["0.87", "0.13"]', volume: '98120331.7', volumeNum: 98120331.7, events: fedEvent('december') }),
  gammaMarket(4, 'No change in Fed interest rates after December 2025 meeting?', { groupItemTitle: 'No change', endDate: '2025-12-10T12:00:00Z', outcomePrices: '["0.125", "0.875"]', volume: '77331002.1', volumeNum: 77331002.1, events: fedEvent('december') }),
  gammaMarket(5, 'Fed increases interest rates by 25+ bps after December 2025 meeting?', { groupItemTitle: '25+ bps increase', endDate: '2025-12-10T12:00:00Z', outcomePrices: '["0.003", "0.997"]', volume: '12002113.4', volumeNum: 12002113.4, events: fedEvent('december') }),
  gammaMarket(6, 'No change in Fed interest rates after January 2026 meeting?', { groupItemTitle: 'No change', endDate: '2026-01-28T12:00:00Z', outcomePrices: '["0.74", "0.26"]', volume: '8120331.7', volumeNum: 8120331.7, events: fedEvent('january') }),
  gammaMarket(7, 'Fed emergency rate cut in 2025?', { endDate: '2025-12-31T12:00:00Z', outcomePrices: '["0.02", "0.98"]', volume: '3120331.7', volumeNum: 3120331.7, negRisk: false }),
  gammaMarket(8, 'Fed decreases interest rates by 25 bps after October 2025 meeting?', { groupItemTitle: '25 bps decrease', endDate: '2025-10-29T12:00:00Z', outcomePrices: '["0.9995", "0.0005"]', volume: '140331002.4', volumeNum: 140331002.4, events: fedEvent('october') }),
];

type FlowRow = [date: string, ...cells: string[]];

const BTC_TICKERS = ['IBIT', 'FBTC', 'BITB', 'ARKB', 'BTCO', 'EZBC', 'BRRR', 'HODL', 'BTCW', 'GBTC', 'BTC'];
const BTC_FUNDS = ['Blackrock', 'Fidelity', 'Bitwise', 'Ark', 'Invesco', 'Franklin', 'Valkyrie', 'VanEck', 'WTree', 'Grayscale', 'Grayscale'];
/** 03 Dec totals -14.9 (a parenthesised negative), 02 Dec 1,234.5; 04 Dec not in yet. */
const BTC_ROWS: FlowRow[] = [
  ['01 Dec 2025', '(50.0)', '(30.0)', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '(20.0)', '0.0', '(100.0)'],
  ['02 Dec 2025', '1,020.5', '150.2', '30.1', '18.7', '0.0', '2.3', '0.0', '12.7', '0.0', '0.0', '0.0', '1,234.5'],
  ['03 Dec 2025', '120.3', '(85.6)', '(12.0)', '(20.4)', '0.0', '0.0', '0.0', '(5.2)', '0.0', '(22.0)', '10.0', '(14.9)'],
  ['04 Dec 2025', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
];
const ETH_TICKERS = ['ETHA', 'FETH', 'ETHW', 'CETH', 'ETHV', 'QETH', 'EZET', 'ETHE', 'ETH'];
const ETH_FUNDS = ['Blackrock', 'Fidelity', 'Bitwise', '21Shares', 'VanEck', 'Invesco', 'Franklin', 'Grayscale', 'Grayscale'];
const ETH_ROWS: FlowRow[] = [
  ['02 Dec 2025', '(30.0)', '(5.5)', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '3.0', '(32.5)'],
  ['03 Dec 2025', '60.2', '12.4', '0.0', '0.0', '0.0', '0.0', '0.0', '(8.1)', '0.0', '64.5'],
  ['04 Dec 2025', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
];

const cellSpan = (text: string, red = false) => `<span class="tabletext"${red ? ' style="color: #ff0000;"' : ''}>${text}</span>`;

function farsidePage(title: string, funds: string[], tickers: string[], rows: FlowRow[]): string {
  const head = [
    `<tr><th>${cellSpan('&nbsp;')}</th>${funds.map((f) => `<th>${cellSpan(f)}</th>`).join('')}<th>${cellSpan('&nbsp;')}</th></tr>`,
    `<tr><th>${cellSpan('&nbsp;')}</th>${tickers.map((t) => `<th>${cellSpan(t)}</th>`).join('')}<th>${cellSpan('Total')}</th></tr>`,
    `<tr><th>${cellSpan('Fee')}</th>${tickers.map(() => `<th>${cellSpan('0.25%')}</th>`).join('')}<th>${cellSpan('&nbsp;')}</th></tr>`,
  ].join('\n');
  const body = rows
    .map(([date, ...cells]) => `<tr><td>${cellSpan(date)}</td>${cells.map((c) => `<td>${cellSpan(c, c.startsWith('('))}</td>`).join('')}</tr>`)
    .join('\n');
  const width = tickers.length + 1;
  const summary = ['Total', 'Average', 'Maximum', 'Minimum']
    .map((label) => `<tr><td>${cellSpan(label)}</td>${Array.from({ length: width }, () => `<td>${cellSpan('57,012.3')}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="UTF-8"><title>${title} &#8211; Farside Investors</title></head>
<body class="page-template-default page">
<table class="nav"><tr><td><a href="/">Home</a></td><td><a href="/btc/">Bitcoin ETF Flow</a></td></tr></table>
<div class="entry-content">
<p>All data in US$m. Flows for the latest day are added as funds publish them.</p>
<table class="etf">
<thead>
${head}
</thead>
<tbody>
${body}
${summary}
</tbody>
</table>
<p>Source: Farside Investors. Data is provided for information only.</p>
</div></body></html>`;
}

const BOT_WALL = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"><meta name="robots" content="noindex,nofollow"></head>
<body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">farside.co.uk</h1><h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript>
</div></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "farside.co.uk",cType: 'managed'};
var cpo=document.createElement('script');cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';})();</script></body></html>`;

const NEWS_PAGE = `<!DOCTYPE html><html><head><title>Crypto News Today</title></head><body>
<header><nav><a href="/">Home</a> <a href="/markets">Markets</a></nav></header>
<main><article><h2><a href="/a">ETH returns to $3,000</a></h2><p>Read more inside.</p></article></main></body></html>`;

interface Item {
  title: string;
  link: string;
  date: string;
  summary: string;
}

/** Seed-day stories; the ETH and Binance stories appear in two outlets, as real mornings do. */
const FEED_ITEMS: Record<string, Item[]> = {
  coindesk: [
    { title: 'Ether returns to $3,000 as extreme fear fades', link: 'https://www.coindesk.com/markets/2025/12/04/ether-returns-to-3000?utm_source=rss', date: 'Thu, 04 Dec 2025 05:12:00 +0000', summary: 'ETH climbed back above $3,000 as the Fear & Greed index left extreme fear.' },
    { title: 'Nasdaq seeks to lift position limit on BlackRock IBIT options', link: 'https://www.coindesk.com/markets/2025/12/03/nasdaq-ibit-options-limit', date: 'Wed, 03 Dec 2025 21:40:00 +0000', summary: 'The exchange filed to raise the cap on IBIT options positions.' },
    { title: 'Binance faces $1 billion terrorism financing lawsuit', link: 'https://www.coindesk.com/policy/2025/12/03/binance-lawsuit', date: 'Wed, 03 Dec 2025 18:05:00 +0000', summary: 'Families filed suit in federal court.' },
    { title: 'Securitize wins EU approval for tokenized securities platform', link: 'https://www.coindesk.com/business/2025/12/03/securitize-eu', date: 'Wed, 03 Dec 2025 14:30:00 +0000', summary: 'The firm can now operate under the EU DLT pilot regime.' },
  ],
  cointelegraph: [
    { title: 'ETH reclaims $3K as crypto sentiment exits extreme fear', link: 'https://cointelegraph.com/news/eth-reclaims-3k-sentiment', date: 'Thu, 04 Dec 2025 05:40:12 +0000', summary: 'Ether is back above $3,000.' },
    { title: 'Binance hit with $1B terrorism lawsuit in US court', link: 'https://cointelegraph.com/news/binance-1b-lawsuit', date: 'Wed, 03 Dec 2025 19:02:44 +0000', summary: 'A lawsuit seeks $1 billion from Binance.' },
    { title: "Hyperliquid changes HYPE ticker symbol after exchange listing dispute", link: 'https://cointelegraph.com/news/hyperliquid-symbol-change', date: 'Wed, 03 Dec 2025 11:15:00 +0000', summary: 'The DEX changed its symbol.' },
    { title: "PBoC reiterates stablecoin concerns in financial stability report", link: 'https://cointelegraph.com/news/pboc-stablecoins', date: 'Wed, 03 Dec 2025 08:20:00 +0000', summary: "China's central bank warned about stablecoins." },
  ],
  'fed-monetary': [
    { title: 'Federal Reserve Board issues Beige Book', link: 'https://www.federalreserve.gov/monetarypolicy/beigebook202512.htm', date: 'Wed, 03 Dec 2025 19:00:00 GMT', summary: 'Economic activity changed little since the previous report.' },
    { title: 'Minutes of the Federal Open Market Committee, October 28-29, 2025', link: 'https://www.federalreserve.gov/newsevents/pressreleases/monetary20251119a.htm', date: 'Wed, 19 Nov 2025 19:00:00 GMT', summary: 'The minutes of the October meeting were released.' },
  ],
};

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(feed: FeedFixture, items: Item[], encoding = 'UTF-8'): string {
  const cdata = feed.id === 'cointelegraph';
  const body = items
    .map(
      (i) => `    <item>
      <title>${cdata ? `<![CDATA[${i.title}]]>` : xmlEscape(i.title)}</title>
      <link>${xmlEscape(i.link)}</link>
      <guid isPermaLink="false">${xmlEscape(i.link)}</guid>
      <pubDate>${i.date}</pubDate>
      <dc:creator>${cdata ? '<![CDATA[Staff]]>' : 'Staff'}</dc:creator>
      <description>${cdata ? `<![CDATA[<p>${i.summary}</p>]]>` : xmlEscape(i.summary)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xmlEscape(feed.name)}</title>
    <link>https://example.org/${feed.id}</link>
    <description>${xmlEscape(feed.name)} news</description>
    <language>en</language>
    <lastBuildDate>Thu, 04 Dec 2025 06:00:00 +0000</lastBuildDate>
${body}
  </channel>
</rss>
`;
}

// ---------------------------------------------------------------------------------------------
// Routing

interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

const json = (body: unknown, status = 200): Reply => ({ status, type: 'application/json', body: JSON.stringify(body) });
const ETAG_PREFIX = 'W/"fixture-';
const LAST_MODIFIED = 'Thu, 04 Dec 2025 06:00:00 GMT';

function routeOf(path: string): RouteName | 'unknown' {
  if (path.startsWith('/coingecko/')) return 'coingecko';
  if (path.startsWith('/binance/')) return 'binance';
  if (path.startsWith('/fng')) return 'fearGreed';
  if (path.startsWith('/fred/')) return 'fred';
  if (path.startsWith('/gamma/')) return 'polymarket';
  if (path.startsWith('/farside/btc')) return 'etfBtc';
  if (path.startsWith('/farside/eth')) return 'etfEth';
  const feed = /^\/feeds\/([a-z0-9_-]+)/.exec(path);
  return feed ? `feed:${feed[1]}` : 'unknown';
}

function okReply(route: RouteName, url: URL, req: IncomingMessage): Reply {
  switch (route) {
    case 'coingecko': {
      if (url.searchParams.get('vs_currency') !== 'usd') return json({ error: 'Missing parameter vs_currency' }, 400);
      return json(coingeckoMarkets((url.searchParams.get('ids') ?? '').split(','), url.searchParams.get('sparkline') === 'true'));
    }
    case 'binance': {
      const invalid = json({ code: -1121, msg: 'Invalid symbol.' }, 400);
      const one = url.searchParams.get('symbol');
      if (url.pathname.endsWith('/klines')) return one && BINANCE[one] ? json(binanceKlines(one, Number(url.searchParams.get('limit') ?? '500'))) : invalid;
      if (one) return BINANCE[one] ? json(binanceTicker(one)) : invalid;
      let many: unknown;
      try {
        many = JSON.parse(url.searchParams.get('symbols') ?? '');
      } catch {
        return json({ code: -1100, msg: "Illegal characters found in parameter 'symbols'." }, 400);
      }
      if (!Array.isArray(many) || many.some((s) => typeof s !== 'string' || !BINANCE[s])) return invalid;
      return json(many.map((s: string) => binanceTicker(s)));
    }
    case 'fearGreed':
      return json({ ...FNG, data: FNG.data.slice(0, Number(url.searchParams.get('limit') ?? '1')) });
    case 'fred': {
      const csv = FRED[url.searchParams.get('id') ?? ''];
      return csv ? { status: 200, type: 'text/csv', body: csv } : { status: 404, type: 'text/html', body: '<html><body>Series not found</body></html>' };
    }
    case 'polymarket':
      return url.pathname.endsWith('/markets') ? json(GAMMA_MARKETS) : json({ type: 'not found', error: 'not found' }, 404);
    case 'etfBtc':
      return { status: 200, type: 'text/html; charset=UTF-8', body: farsidePage('Bitcoin ETF Flow', BTC_FUNDS, BTC_TICKERS, BTC_ROWS) };
    case 'etfEth':
      return { status: 200, type: 'text/html; charset=UTF-8', body: farsidePage('Ethereum ETF Flow', ETH_FUNDS, ETH_TICKERS, ETH_ROWS) };
    default: {
      const id = route.slice('feed:'.length);
      const feed = FIXTURE_FEEDS.find((f) => f.id === id);
      if (!feed) return { status: 404, type: 'text/plain', body: 'no such feed' };
      const etag = `${ETAG_PREFIX}${id}"`;
      const headers = { etag, 'last-modified': LAST_MODIFIED };
      if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === LAST_MODIFIED) {
        return { status: 304, type: 'application/rss+xml', body: '', headers };
      }
      return { status: 200, type: 'application/rss+xml; charset=utf-8', body: rss(feed, FEED_ITEMS[id] ?? []), headers };
    }
  }
}

function failureReply(route: RouteName, mode: Exclude<FailureMode, 'ok' | 'timeout'>, options: ModeOptions): Reply {
  const feed = FIXTURE_FEEDS.find((f) => `feed:${f.id}` === route) ?? { id: 'feed', name: 'Feed', weight: 1 };
  switch (mode) {
    case '500':
      return { status: 500, type: 'text/html', body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
    case '429':
      return {
        ...json({ status: { error_code: 429, error_message: "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits." } }, 429),
        headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
      };
    case 'malformed-json':
      return { status: 200, type: 'application/json', body: '[{"id":"bitcoin","symbol":"btc","current_price":9285' };
    case 'wrong-shape':
      switch (route) {
        case 'coingecko':
          return json([{ id: 'bitcoin', symbol: 'btc', name: 'Bitcoin', current_price: 'n/a', last_updated: 'yesterday' }]);
        case 'binance':
          return json([{ symbol: 'BTCUSDT', lastPrice: 'n/a', priceChangePercent: '', quoteVolume: '1', closeTime: 'soon' }]);
        case 'fearGreed':
          return json({ name: 'Fear and Greed Index', data: [{ value: 'high', value_classification: 'Fear', timestamp: '1764806400' }], metadata: { error: null } });
        case 'fred':
          return { status: 200, type: 'text/csv', body: 'observation_date,DFF\n2025-12-03,three point eight\n' };
        case 'polymarket':
          return json({ data: 'markets moved to /v2/markets' });
        case 'etfBtc':
        case 'etfEth':
          return { status: 200, type: 'text/html', body: NEWS_PAGE };
        default:
          return { status: 200, type: 'application/rss+xml', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><description>no title or link</description></item></channel></rss>' };
      }
    case 'malformed-xml':
      return { status: 200, type: 'application/rss+xml', body: `<?xml version="1.0"?><rss version="2.0"><channel><title>${feed.name}</title><item><title>Broken <b>item</title></item><item><title>Unclosed` };
    case 'empty-feed':
      return { status: 200, type: 'application/rss+xml; charset=utf-8', body: rss(feed, []) };
    case 'wrong-encoding': {
      const items: Item[] = [
        { title: 'Лукашенко призвал банки использовать криптовалюты', link: 'https://example.by/news/1', date: 'Thu, 04 Dec 2025 04:00:00 +0300', summary: 'Биткоин и санкции.' },
        { title: 'Нацбанк Беларуси о стейблкоинах', link: 'https://example.by/news/2', date: 'Wed, 03 Dec 2025 16:00:00 +0300', summary: 'Регулирование.' },
      ];
      return { status: 200, type: 'application/rss+xml; charset=utf-8', body: iconv.encode(rss(feed, items, 'windows-1251'), 'win1251') };
    }
    case 'html':
      return { status: 200, type: 'text/html; charset=utf-8', body: NEWS_PAGE };
    case '403':
      return { status: 403, type: 'text/html; charset=UTF-8', body: BOT_WALL, headers: { server: 'cloudflare', 'cf-mitigated': 'challenge', 'cf-ray': '8e1f2a3b4c5d6e7f-LHR' } };
  }
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': reply.type, ...reply.headers });
  res.end(reply.body);
}

/**
 * @example
 * const server = await startSourcesServer();
 * server.setMode('coingecko', '500');
 * const config = configFor(server, { sources: { timeoutMs: 300 } });
 * ...
 * await server.close();
 */
export async function startSourcesServer(): Promise<SourcesServer> {
  const modes = new Map<RouteName, { mode: FailureMode; left: number; options: ModeOptions }>();
  const requests: RecordedRequest[] = [];
  const loopback = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(url.pathname);
    requests.push({ route, url: req.url ?? '/', headers: req.headers });
    if (route === 'unknown') return send(res, { status: 404, type: 'text/plain', body: 'not found' });
    const state = modes.get(route);
    if (!state || state.mode === 'ok' || state.left <= 0) return send(res, okReply(route, url, req));
    state.left--;
    if (state.mode === 'timeout') return; // hold the socket open; close() ends it
    return send(res, failureReply(route, state.mode, state.options));
  });
  // Warm up: the first fetch in a process loads and compiles undici, which on a busy machine
  // can take longer than the short timeouts tests use; pay that here, not inside a test.
  await (await fetch(`${loopback.url}/fng/?limit=1`)).text();
  requests.length = 0;
  return {
    url: loopback.url,
    close: () => loopback.close(),
    setMode(route, mode, options = {}) {
      modes.set(route, { mode, left: options.times ?? Number.POSITIVE_INFINITY, options });
    },
    reset() {
      modes.clear();
      requests.length = 0;
    },
    requests,
    hits: (route) => requests.filter((r) => r.route === route).length,
    feeds: FIXTURE_FEEDS,
  };
}

type DeepPartial<T> = T extends readonly (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type ConfigOverrides = DeepPartial<Config>;

/**
 * One fixture server for a test file: started once, reset before each test, closed after all.
 * @example const sources = useSourcesServer(); ... configFor(sources.server)
 */
export function useSourcesServer(): { readonly server: SourcesServer } {
  let server: SourcesServer | null = null;
  const ready = startSourcesServer().then((s) => (server = s));
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await ready;
    server!.reset();
  });
  return {
    get server() {
      if (!server) throw new Error('the sources server is not started yet: use it inside a test or hook');
      return server;
    },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? merge(b, v) : v;
  }
  return out;
}

/**
 * A Config whose every source (and the fixture feeds) points at `server`, with short timeouts
 * suitable for tests; `overrides` are deep-merged on top (arrays replace).
 * @example const config = configFor(server, { sources: { etfFlows: { enabled: false } } });
 */
export function configFor(server: Pick<SourcesServer, 'url'>, overrides: ConfigOverrides = {}): Config {
  const u = server.url;
  const base = {
    db: ':memory:',
    logLevel: 'silent',
    sources: {
      timeoutMs: 2000,
      deadlineMs: 5000,
      retries: 1,
      userAgent: 'morning-brief-test/1.0',
      coingecko: { url: `${u}/coingecko/api/v3` },
      binance: { url: `${u}/binance` },
      fearGreed: { url: `${u}/fng/` },
      fred: { url: `${u}/fred/graph/fredgraph.csv` },
      polymarket: { url: `${u}/gamma`, match: 'Fed' },
      etfFlows: { btcUrl: `${u}/farside/btc/`, ethUrl: `${u}/farside/eth/` },
      feeds: FIXTURE_FEEDS.map((f) => ({ id: f.id, name: f.name, url: `${u}/feeds/${f.id}`, weight: f.weight, enabled: true })),
    },
  };
  return ConfigSchema.parse(merge(base, overrides as Record<string, unknown>));
}

export interface TestContext extends SourceContext {
  /** Every wait the code asked for (ms), e.g. a Retry-After; the fake sleep returns at once. */
  sleeps: number[];
}

/**
 * A SourceContext for calling one source directly: real fetch, recording instant sleep,
 * FIXTURE_NOW as the clock, a never-aborting signal unless one is given.
 * @example const result = await fearGreedSource(config.sources.fearGreed).run(testContext());
 */
export function testContext(overrides: Partial<SourceContext> = {}): TestContext {
  const sleeps: number[] = [];
  const sleep: SleepFn = async (ms, signal) => {
    sleeps.push(ms);
    if (signal?.aborted) throw signal.reason;
  };
  return {
    http: { fetch: globalThis.fetch, sleep },
    now: () => FIXTURE_NOW,
    signal: new AbortController().signal,
    // Generous: tests that want a timeout set their own; this keeps a busy machine from failing the rest.
    timeoutMs: 5000,
    retries: 1,
    userAgent: 'morning-brief-test/1.0',
    feedCache: memoryFeedCache(),
    sleeps,
    ...overrides,
  };
}
