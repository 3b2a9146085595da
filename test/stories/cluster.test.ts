import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Headline } from '../../src/domain.ts';
import { canonicalUrl } from '../../src/stories/canonical-url.ts';
import { clusterHeadlines, type HeadlineCluster } from '../../src/stories/cluster.ts';
import { priceMove, sameMove } from '../../src/stories/features.ts';
import { contentTokens } from '../../src/stories/tokens.ts';
import { CRYPTO_DAY, DAY_HEADLINES } from './fixtures/crypto-day.ts';

function headline(title: string, source: string, extra: Partial<Headline> = {}): Headline {
  return {
    title,
    url: `https://${source}.example/news/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    source,
    sourceName: source.toUpperCase(),
    publishedAt: '2025-11-27T05:00:00.000Z',
    summary: '',
    ...extra,
  };
}

function titlesTogether(clusters: HeadlineCluster[], a: string, b: string): boolean {
  return clusters.some((c) => c.headlines.some((h) => h.title === a) && c.headlines.some((h) => h.title === b));
}

describe('clusterHeadlines on realistic headlines', () => {
  it('merges the same news from two outlets and keeps both sources', () => {
    const clusters = clusterHeadlines([
      headline('Binance faces $1 billion terrorism lawsuit', 'coindesk'),
      headline('Binance hit with $1B lawsuit over terrorism financing claims', 'theblock'),
    ]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.sources.map((h) => h.source).sort()).toEqual(['coindesk', 'theblock']);
  });

  it('groups a crypto morning into its stories without mixing any two', () => {
    const clusters = clusterHeadlines(DAY_HEADLINES);
    const storyOf = new Map(CRYPTO_DAY.map((x) => [x.headline, x.story]));
    for (const c of clusters) expect(new Set(c.headlines.map((h) => storyOf.get(h)))).toHaveProperty('size', 1);
    // Stories told in plainly similar words by several outlets end up as one cluster each.
    for (const story of ['binance-lawsuit', 'beige-book', 'jpm-cut', 'eth-3000', 'hyperliquid-symbol', 'securitize-eu', 'tether-sp', 'whale-deposits', 'belarus']) {
      const holding = clusters.filter((c) => c.headlines.some((h) => storyOf.get(h) === story));
      expect(holding, story).toHaveLength(1);
      expect(holding[0]?.headlines.length, story).toBe(CRYPTO_DAY.filter((x) => x.story === story).length);
    }
  });

  it.each([
    ['Bitcoin price slips below $90,000 as ETF outflows mount', 'Bitcoin price rebounds to $92,000 after Fed minutes'],
    ['Bitcoin price falls as crypto market slides', 'Bitcoin price rises as crypto market recovers'],
    ['Bitcoin ETFs record $500 million in net inflows', 'Ether ETFs record $500 million in net inflows'],
    ['Solana DeFi protocol drained of $8 million in exploit', 'Hackers drain $4 million from Solana DeFi protocol in exploit'],
    ['JPMorgan now expects Fed to cut rates in December', "Fed's Waller backs December rate cut as labor market weakens"],
    ['Binance faces $1 billion terrorism lawsuit', 'Binance lists new perpetual futures for three altcoins'],
    ['Tether mints $1 billion USDT on Tron', 'Binance faces $1 billion terrorism lawsuit'],
  ])('keeps apart %j and %j', (a, b) => {
    const clusters = clusterHeadlines([headline(a, 'coindesk'), headline(b, 'theblock')]);
    expect(clusters).toHaveLength(2);
  });

  it('keeps apart headlines that only share the words every crypto headline uses', () => {
    const titles = [
      'Bitcoin price analysis: BTC bulls target new high',
      'Bitcoin price drops as miners sell',
      'Bitcoin price holds steady ahead of CPI',
      'Crypto market update: Bitcoin price flat, altcoins mixed',
      'Bitcoin price could hit record, analyst says',
      // Not "market down": two titles reporting the same market move on one day are one story.
      'Why is the crypto market quiet today? Bitcoin price explained',
    ];
    const clusters = clusterHeadlines(titles.map((t, i) => headline(t, `outlet${i}`)));
    expect(clusters).toHaveLength(titles.length);
  });

  it('treats links to the same article as one story, whatever their titles say', () => {
    const clusters = clusterHeadlines([
      headline('Fed holds rates', 'coindesk', { url: 'https://www.coindesk.com/policy/fed-holds/?utm_source=rss' }),
      headline('FOMC decision: what it means for crypto', 'coindesk-markets', { url: 'https://coindesk.com/policy/fed-holds#top' }),
    ]);
    expect(clusters).toHaveLength(1);
  });

  it('lists an outlet that posted the same item twice once, by its earliest posting', () => {
    const first = headline('Securitize wins EU approval to operate tokenization trading system', 'coindesk', {
      url: 'https://coindesk.com/policy/securitize-eu',
      publishedAt: '2025-11-27T01:00:00.000Z',
    });
    const again = { ...first, url: 'https://coindesk.com/policy/securitize-eu-2', publishedAt: '2025-11-27T03:00:00.000Z' };
    const other = headline('Securitize receives EU approval to operate tokenization trading system', 'theblock');
    const [cluster, ...rest] = clusterHeadlines([again, other, first]);
    expect(rest).toHaveLength(0);
    expect(cluster?.headlines).toHaveLength(3);
    expect(cluster?.sources).toHaveLength(2);
    expect(cluster?.sources.find((h) => h.source === 'coindesk')?.publishedAt).toBe('2025-11-27T01:00:00.000Z');
  });

  it('merges titles that only differ in word order, case and punctuation even when every word is common', () => {
    const common = Array.from({ length: 30 }, (_, i) => headline(`Bitcoin price market crypto update number ${i + 1}00`, `o${i}`));
    const clusters = clusterHeadlines([
      ...common,
      headline('Bitcoin price: crypto market', 'coindesk', { url: '' }),
      headline('crypto market - BITCOIN PRICE', 'decrypt', { url: '' }),
    ]);
    expect(titlesTogether(clusters, 'Bitcoin price: crypto market', 'crypto market - BITCOIN PRICE')).toBe(true);
  });

  it('returns nothing for nothing', () => {
    expect(clusterHeadlines([])).toEqual([]);
  });
});

// --- properties ----------------------------------------------------------------------

const VOCAB = [
  'Bitcoin', 'BTC', 'Ether', 'price', 'ETF', 'inflows', 'outflows', 'Binance', 'Coinbase', 'lawsuit', 'terrorism',
  'financing', 'Fed', 'rate', 'cut', 'December', 'JPMorgan', 'Tether', 'S&P', 'downgrade', 'whales', 'deposits',
  'exchange', 'Securitize', 'EU', 'approval', 'hack', 'drained', 'Solana', 'record', 'market', 'crypto', '$1 billion',
  '$1B', '$3,000', '5%', 'the', 'as', 'after', 'to', 'faces', 'hits', 'Beige', 'Book', 'stablecoin', 'PBoC',
];
const OUTLET_IDS = ['coindesk', 'theblock', 'decrypt', 'cointelegraph'];
const URL_POOL = ['https://www.coindesk.com/a/', 'https://coindesk.com/a?utm_source=x', 'https://theblock.co/b', 'https://decrypt.co/c#x'];

const titleArb = fc.array(fc.constantFrom(...VOCAB), { minLength: 2, maxLength: 7 }).map((w) => w.join(' '));

/** An edit that turns a base title into another outlet's near-copy. */
const editArb = fc.oneof(
  fc.constant({ kind: 'none' as const, at: 0, word: '' }),
  fc.record({ kind: fc.constantFrom('drop' as const, 'replace' as const, 'insert' as const), at: fc.nat(10), word: fc.constantFrom(...VOCAB) }),
);

function applyEdit(title: string, edit: { kind: 'none' | 'drop' | 'replace' | 'insert'; at: number; word: string }): string {
  const words = title.split(' ');
  const at = edit.at % Math.max(1, words.length);
  if (edit.kind === 'drop' && words.length > 2) words.splice(at, 1);
  if (edit.kind === 'replace') words.splice(at, 1, edit.word);
  if (edit.kind === 'insert') words.splice(at, 0, edit.word);
  return words.join(' ');
}

/** Headline sets full of near-duplicates; `uniqueUrls` gives every headline its own link. */
function headlinesArb(uniqueUrls: boolean): fc.Arbitrary<Headline[]> {
  return fc.array(titleArb, { minLength: 1, maxLength: 6 }).chain((bases) =>
    fc.array(
      fc.record({
        base: fc.nat(bases.length - 1),
        edit: editArb,
        // Sometimes a roundup title telling two stories at once: the bridge that could
        // chain two unrelated headlines together.
        bridge: fc.option(fc.nat(bases.length - 1), { nil: null, freq: 3 }),
        outlet: fc.constantFrom(...OUTLET_IDS),
        url: fc.oneof(fc.constant(''), fc.constantFrom(...URL_POOL), fc.constant('unique')),
        hoursAgo: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      }),
      { maxLength: 24 },
    ).map((rows) =>
      rows.map((r, i) => ({
        title: applyEdit(bases[r.base] ?? 'Bitcoin', r.edit) + (r.bridge === null ? '' : ` ${bases[r.bridge] ?? ''}`),
        url: uniqueUrls || r.url === 'unique' ? (r.url === '' ? '' : `https://${r.outlet}.example/n/${i}`) : r.url,
        source: r.outlet,
        sourceName: r.outlet.toUpperCase(),
        publishedAt: r.hoursAgo === null ? null : new Date(Date.UTC(2025, 10, 27, 7) - r.hoursAgo * 3_600_000).toISOString(),
        summary: `item ${i}`,
      })),
    ),
  );
}

describe('clusterHeadlines properties', () => {
  it('partitions the input: every headline in exactly one cluster, one source entry per outlet', () => {
    fc.assert(
      fc.property(headlinesArb(false), (input) => {
        const clusters = clusterHeadlines(input);
        const members = clusters.flatMap((c) => c.headlines);
        expect(members).toHaveLength(input.length);
        expect(new Set(members)).toEqual(new Set(input));
        for (const c of clusters) {
          expect(c.headlines.length).toBeGreaterThan(0);
          expect(new Set(c.sources.map((h) => h.source)).size).toBe(c.sources.length);
          expect(new Set(c.sources.map((h) => h.source))).toEqual(new Set(c.headlines.map((h) => h.source)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(
        headlinesArb(false).chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray(input, { minLength: input.length, maxLength: input.length }))),
        ([input, shuffled]) => {
          expect(clusterHeadlines(shuffled)).toEqual(clusterHeadlines(input));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges a headline with its copy under another outlet name', () => {
    fc.assert(
      fc.property(headlinesArb(false), fc.nat(), (input, pick) => {
        fc.pre(input.length > 0);
        const original = input[pick % input.length] as Headline;
        fc.pre(canonicalUrl(original.url) !== '' || contentTokens(original.title).length >= 2);
        const copy: Headline = { ...original, source: `${original.source}-mirror`, sourceName: 'Mirror News' };
        const clusters = clusterHeadlines([...input, copy]);
        const home = clusters.find((c) => c.headlines.includes(original));
        expect(home?.headlines).toContain(copy);
        expect(home?.sources.map((h) => h.source)).toContain(copy.source);
      }),
      { numRuns: 200 },
    );
  });

  it('never puts two headlines with no content word in common in one cluster, unless they report the same price move (distinct links)', () => {
    fc.assert(
      fc.property(headlinesArb(true), (input) => {
        for (const c of clusterHeadlines(input)) {
          const tokens = c.headlines.map((h) => new Set([...contentTokens(h.title), ...contentTokens(h.summary)]));
          const moves = c.headlines.map((h) => priceMove(h.title));
          tokens.forEach((a, i) => {
            tokens.slice(i + 1).forEach((b, k) => {
              expect(sameMove(moves[i] ?? null, moves[i + 1 + k] ?? null) || [...a].some((t) => b.has(t))).toBe(true);
            });
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does merge near-copies in these sets (the properties above are not vacuous)', () => {
    const merged = fc.sample(headlinesArb(true), { numRuns: 100, seed: 7 }).filter((input) => clusterHeadlines(input).some((c) => c.headlines.length > 1));
    expect(merged.length).toBeGreaterThan(30);
  });
});
