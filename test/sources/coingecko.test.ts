import { beforeEach, describe, expect, it } from 'vitest';
import { coingeckoSource } from '../../src/sources/coingecko.ts';
import { useSourcesServer, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

const sources = () => configFor(server).sources;

describe('coingecko source', () => {
  it('turns /coins/markets into typed quotes for the configured coins', async () => {
    const result = await coingeckoSource(sources().coingecko, null).run(testContext());
    expect(result.quotes?.map((q) => q.symbol)).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'BNB']);
    expect(result.quotes?.[0]).toEqual({
      asset: 'bitcoin',
      symbol: 'BTC',
      name: 'Bitcoin',
      priceUsd: 92850.12,
      change24hPct: -0.84,
      volume24hUsd: 48_120_334_210,
      marketCapUsd: 1_852_004_118_331,
      source: 'coingecko',
      asOf: '2025-12-04T06:58:12.402Z',
      history7d: { from: '2025-11-27T07:58:12.402Z', to: '2025-12-04T06:58:12.402Z', pricesUsd: expect.any(Array), source: 'coingecko' },
    });
    // Seven days of hourly prices ending at the quote (sparkline=true), for the card.
    const prices = result.quotes![0]!.history7d!.pricesUsd;
    expect(prices).toHaveLength(168);
    expect(prices.at(-1)).toBe(92850.12);
    expect(result.fallback ?? null).toBeNull();
    expect(server.requests[0]?.url).toMatch(/\/coins\/markets\?vs_currency=usd&ids=bitcoin,ethereum,solana,ripple,binancecoin&sparkline=true$/);
  });

  it('sends the demo key as x-cg-demo-api-key only when one is set', async () => {
    const keyed = configFor(server, { sources: { coingecko: { apiKey: 'CG-demo-123' } } }).sources.coingecko;
    await coingeckoSource(keyed, null).run(testContext());
    await coingeckoSource(sources().coingecko, null).run(testContext());
    expect(server.requests[0]?.headers['x-cg-demo-api-key']).toBe('CG-demo-123');
    expect(server.requests[1]?.headers['x-cg-demo-api-key']).toBeUndefined();
    expect(server.requests[0]?.headers['user-agent']).toBe('morning-brief-test/1.0');
  });

  it('reports coins CoinGecko does not return as a warning, keeping the rest', async () => {
    const cfg = configFor(server, {
      sources: { coingecko: { coins: [{ id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin' }, { id: 'not-a-coin', symbol: 'NAC', name: 'Nope' }] } },
    }).sources.coingecko;
    const result = await coingeckoSource(cfg, null).run(testContext());
    expect(result.quotes?.map((q) => q.asset)).toEqual(['bitcoin']);
    expect(result.warning).toContain('NAC');
  });

  it('fails with a SchemaError when the payload has the wrong types', async () => {
    server.setMode('coingecko', 'wrong-shape');
    await expect(coingeckoSource(sources().coingecko, null).run(testContext())).rejects.toMatchObject({
      name: 'SchemaError',
      message: expect.stringContaining('CoinGecko'),
    });
  });

  it('fails with a SchemaError on a body that is not JSON', async () => {
    server.setMode('coingecko', 'malformed-json');
    await expect(coingeckoSource(sources().coingecko, null).run(testContext())).rejects.toMatchObject({ name: 'SchemaError' });
  });

  it('falls back to Binance on a 500 and records it', async () => {
    server.setMode('coingecko', '500');
    const s = sources();
    const result = await coingeckoSource(s.coingecko, s.binance).run(testContext({ retries: 0 }));
    expect(result.fallback).toBe('binance');
    expect(result.quotes?.every((q) => q.source === 'binance')).toBe(true);
    expect(result.quotes?.find((q) => q.symbol === 'BTC')?.priceUsd).toBe(92811.01);
    expect(result.warning).toMatch(/CoinGecko failed \(HTTP 500.*Binance used/);
    // The fixture's Binance has no XRP pair.
    expect(result.warning).toContain('XRP');
  });

  it('falls back to Binance when CoinGecko sends garbage', async () => {
    server.setMode('coingecko', 'wrong-shape');
    const s = sources();
    const result = await coingeckoSource(s.coingecko, s.binance).run(testContext());
    expect(result.fallback).toBe('binance');
    expect(result.warning).toContain('unexpected data from CoinGecko');
  });

  it('names both failures when CoinGecko and its fallback fail', async () => {
    server.setMode('coingecko', '500');
    server.setMode('binance', '403');
    const s = sources();
    await expect(coingeckoSource(s.coingecko, s.binance).run(testContext({ retries: 0 }))).rejects.toThrow(
      /CoinGecko: HTTP 500.*Binance fallback: HTTP 403/,
    );
  });

  it('waits out a 429 Retry-After, then succeeds without the fallback', async () => {
    server.setMode('coingecko', '429', { times: 1, retryAfterSeconds: 2 });
    const s = sources();
    const ctx = testContext({ timeoutMs: 10_000, retries: 2 });
    const result = await coingeckoSource(s.coingecko, s.binance).run(ctx);
    expect(ctx.sleeps).toEqual([2000]);
    expect(server.hits('coingecko')).toBe(2);
    expect(result.fallback ?? null).toBeNull();
    expect(result.quotes?.[0]?.source).toBe('coingecko');
  });

  it('does not wait for a Retry-After longer than its time budget: it falls back instead', async () => {
    server.setMode('coingecko', '429', { retryAfterSeconds: 3600 });
    const s = sources();
    const ctx = testContext({ timeoutMs: 5000, retries: 2 });
    const result = await coingeckoSource(s.coingecko, s.binance).run(ctx);
    expect(ctx.sleeps).toEqual([]);
    expect(result.fallback).toBe('binance');
    expect(result.warning).toContain('HTTP 429');
  });
});
