import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.ts';
import { buildSources, describeSources } from '../../src/sources/registry.ts';

const ids = (config: unknown) => buildSources(ConfigSchema.parse(config)).map((s) => s.id);

describe('source registry', () => {
  it('runs every enabled source and one source per enabled feed; Binance stays behind CoinGecko', () => {
    expect(ids({})).toEqual([
      'coingecko',
      'fear_greed',
      'fred',
      'polymarket',
      'etf_flows',
      'feed:coindesk',
      'feed:cointelegraph',
      'feed:theblock',
      'feed:decrypt',
      'feed:bitcoinmagazine',
      'feed:dlnews',
      'feed:fed-monetary',
      'feed:sec',
      // The zh editions' feeds (a run collects only its edition's: src/sources/feeds-by-language.ts).
      'feed:odaily',
      'feed:chaincatcher',
      'feed:blockbeats',
    ]);
  });

  it('leaves out disabled sources and feeds', () => {
    const config = {
      sources: {
        etfFlows: { enabled: false },
        polymarket: { enabled: false },
        feeds: [
          { id: 'a', name: 'A', url: 'https://a.example/rss' },
          { id: 'b', name: 'B', url: 'https://b.example/rss', enabled: false },
        ],
      },
    };
    expect(ids(config)).toEqual(['coingecko', 'fear_greed', 'fred', 'feed:a']);
  });

  it('makes Binance the quote source when CoinGecko is off', () => {
    expect(ids({ sources: { coingecko: { enabled: false }, feeds: [] } })).toEqual(['binance', 'fear_greed', 'fred', 'polymarket', 'etf_flows']);
  });

  it('still lists disabled sources for the probe, marked as such', () => {
    const entries = describeSources(ConfigSchema.parse({ sources: { fred: { enabled: false }, feeds: [] } }));
    expect(entries.map((e) => [e.source.id, e.enabled, e.role])).toEqual([
      ['coingecko', true, 'primary'],
      ['binance', true, 'fallback'],
      ['fear_greed', true, 'primary'],
      ['fred', false, 'primary'],
      ['polymarket', true, 'primary'],
      ['etf_flows', true, 'primary'],
    ]);
  });
});
