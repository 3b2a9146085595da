import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/stories/canonical-url.ts';

/** Realistic article URLs: news hosts, dated slugs, an optional query and fragment. */
const host = fc.constantFrom('www.coindesk.com', 'cointelegraph.com', 'www.theblock.co', 'decrypt.co', 'bitcoinmagazine.com', 'www.dlnews.com', 'news.example.org');
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
const param = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9 %~._-]{0,10}$/));
const articleUrl = fc
  .record({
    scheme: fc.constantFrom('https', 'http', 'HTTPS'),
    host,
    path: fc.array(segment, { minLength: 0, maxLength: 4 }),
    slash: fc.boolean(),
    params: fc.array(param, { maxLength: 4 }),
  })
  .map(({ scheme, host: h, path, slash, params }) => {
    const u = new URL(`${scheme}://${h}/${path.join('/')}${slash && path.length > 0 ? '/' : ''}`);
    for (const [k, v] of params) u.searchParams.append(k, v);
    return u.href;
  });

const trackingParam = fc.oneof(
  fc.tuple(fc.constantFrom('utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'UTM_Term'), fc.stringMatching(/^[A-Za-z0-9+:._-]{0,12}$/)),
  fc.tuple(fc.constantFrom('fbclid', 'gclid', 'mc_cid', 'mc_eid', 'igshid', '_ga', 'yclid', 'ocid', 'cmpid', 'ref_src'), fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/)),
);

function withParam(url: string, [name, value]: [string, string]): string {
  const u = new URL(url);
  u.searchParams.append(name, value);
  return u.href;
}

describe('canonicalUrl', () => {
  it('normalises the parts feeds disagree on', () => {
    expect(canonicalUrl('HTTPS://WWW.CoinDesk.com:443/markets/2025/11/27/btc-slips/?utm_source=feedburner&utm_medium=feed&utm_campaign=Feed%3A+CoinDesk#comments')).toBe(
      'https://coindesk.com/markets/2025/11/27/btc-slips',
    );
    expect(canonicalUrl('http://www.theblock.co:80/post/123/?b=2&a=1&fbclid=IwAR0xyz')).toBe('http://theblock.co/post/123?a=1&b=2');
    expect(canonicalUrl('https://decrypt.co/')).toBe('https://decrypt.co/');
    expect(canonicalUrl('https://decrypt.co:8443/x')).toBe('https://decrypt.co:8443/x');
  });

  it('gives the same URL with and without www.', () => {
    expect(canonicalUrl('https://www.coindesk.com/policy/x')).toBe(canonicalUrl('https://coindesk.com/policy/x'));
    // A host that is only "www" plus a TLD keeps it: there is nothing else to call it.
    expect(canonicalUrl('http://www.com/a')).toBe('http://www.com/a');
  });

  it('folds AMP variants into the article', () => {
    const article = 'https://cointelegraph.com/news/binance-lawsuit';
    expect(canonicalUrl('https://cointelegraph.com/news/binance-lawsuit/amp/')).toBe(article);
    expect(canonicalUrl('https://cointelegraph.com/amp/news/binance-lawsuit')).toBe(article);
    expect(canonicalUrl('https://cointelegraph.com/news/binance-lawsuit?outputType=amp')).toBe(article);
    expect(canonicalUrl('https://cointelegraph.com/news/binance-lawsuit?amp=1')).toBe(article);
    expect(canonicalUrl('https://cointelegraph.com/news/binance-lawsuit.amp.html')).toBe(`${article}.html`);
  });

  it('strips share and feed markers but keeps parameters that select content', () => {
    expect(canonicalUrl('https://x.org/a?src=rss&source=twitter&from=feed&ref=hp&share=1&spm=a.b')).toBe('https://x.org/a');
    expect(canonicalUrl('https://x.org/search?q=eth&source=archive&page=2')).toBe('https://x.org/search?page=2&q=eth&source=archive');
  });

  it('resolves relative links against the feed', () => {
    expect(canonicalUrl('/markets/2025/btc?utm_source=rss', 'https://www.coindesk.com/arc/outboundfeeds/rss/')).toBe('https://coindesk.com/markets/2025/btc');
    expect(canonicalUrl('//cdn.example.org/a/')).toBe('https://cdn.example.org/a');
  });

  it('drops credentials so they never travel with a story link', () => {
    expect(canonicalUrl('https://user:secret@example.org/a')).toBe('https://example.org/a');
  });

  it.each(['', '   ', 'not a url', 'javascript:alert(1)', 'mailto:news@example.org', 'ftp://example.org/a', 'http://exa mple.com/', 'http://', 'https://[::1'])(
    'returns an empty string for %j',
    (raw) => {
      expect(canonicalUrl(raw)).toBe('');
    },
  );

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (raw, base) => {
        expect(typeof canonicalUrl(raw, base)).toBe('string');
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(articleUrl, fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ maxLength: 60 })), (raw) => {
        const once = canonicalUrl(raw);
        expect(canonicalUrl(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('is unchanged by utm_*, fbclid and similar tracking parameters', () => {
    fc.assert(
      fc.property(articleUrl, fc.array(trackingParam, { minLength: 1, maxLength: 3 }), (url, extra) => {
        expect(canonicalUrl(extra.reduce(withParam, url))).toBe(canonicalUrl(url));
      }),
      { numRuns: 300 },
    );
  });

  it('is unchanged by a fragment', () => {
    fc.assert(
      fc.property(articleUrl, fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), (url, fragment) => {
        expect(canonicalUrl(`${url}#${fragment}`)).toBe(canonicalUrl(url));
      }),
    );
  });

  it('does not depend on the order of query parameters', () => {
    fc.assert(
      fc.property(
        articleUrl,
        fc.uniqueArray(param, { selector: ([k]) => k, maxLength: 5 }).chain((params) =>
          fc.tuple(fc.constant(params), fc.shuffledSubarray(params, { minLength: params.length, maxLength: params.length })),
        ),
        (url, [params, shuffled]) => {
          const bare = new URL(url);
          bare.search = '';
          expect(canonicalUrl(params.reduce(withParam, bare.href))).toBe(canonicalUrl(shuffled.reduce(withParam, bare.href)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
