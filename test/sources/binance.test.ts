import { beforeEach, describe, expect, it } from 'vitest';
import { binanceSource, fetchBinanceQuotes } from '../../src/sources/binance.ts';
import { useSourcesServer, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

const coins = [
  { id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin' },
  { id: 'ethereum', symbol: 'ETH', name: 'Ethereum' },
];

describe('binance source', () => {
  it('reads string numbers from one batched 24h ticker call', async () => {
    const { quotes, missing } = await fetchBinanceQuotes(testContext(), `${server.url}/binance`, coins);
    expect(missing).toEqual([]);
    // One batched ticker call, then one 1h-klines call per coin for the card's sparkline.
    expect(server.hits('binance')).toBe(3);
    expect(decodeURIComponent(server.requests[0]!.url)).toContain('/api/v3/ticker/24hr?symbols=["BTCUSDT","ETHUSDT"]');
    expect(server.requests.map((r) => r.url)).toContain('/binance/api/v3/klines?symbol=ETHUSDT&interval=1h&limit=168');
    expect(quotes[1]).toEqual({
      asset: 'ethereum',
      symbol: 'ETH',
      name: 'Ethereum',
      priceUsd: 3049.87,
      change24hPct: 2.034,
      volume24hUsd: 1122334455.98765432,
      marketCapUsd: null,
      source: 'binance',
      asOf: '2025-12-04T06:59:59.999Z',
      history7d: { from: '2025-11-27T07:59:59.999Z', to: '2025-12-04T06:59:59.999Z', pricesUsd: expect.any(Array), source: 'binance' },
    });
    expect(quotes[1]!.history7d!.pricesUsd).toHaveLength(168);
    expect(quotes[1]!.history7d!.pricesUsd.at(-1)).toBe(3049.87);
  });

  it('asks per symbol when one unknown symbol spoils the batch, and warns about it', async () => {
    const config = configFor(server);
    const result = await binanceSource(config.sources.binance, config.sources.coingecko.coins).run(testContext());
    expect(result.quotes?.map((q) => q.symbol)).toEqual(['BTC', 'ETH', 'SOL', 'BNB']);
    expect(result.warning).toBe('no Binance USDT pair for XRP');
  });

  it('fails with a SchemaError when numbers are not numbers', async () => {
    server.setMode('binance', 'wrong-shape');
    await expect(fetchBinanceQuotes(testContext(), `${server.url}/binance`, coins)).rejects.toMatchObject({ name: 'SchemaError' });
  });
});
