import { beforeEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../src/domain.ts';
import { collectSnapshot, type CollectOptions, type ProgressEvent } from '../../src/sources/collect.ts';
import { coingeckoSource } from '../../src/sources/coingecko.ts';
import { etfFlowsSource } from '../../src/sources/etf-flows.ts';
import { fearGreedSource } from '../../src/sources/fear-greed.ts';
import { fredSource } from '../../src/sources/fred.ts';
import { polymarketSource } from '../../src/sources/polymarket.ts';
import type { Source } from '../../src/sources/types.ts';
import { memoryFeedCache } from '../../src/store/feed-cache.ts';
import { realSleep } from '../../src/util/http.ts';
import { useSourcesServer, FIXTURE_NOW, configFor, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

const deps = () => ({ http: { fetch: globalThis.fetch, sleep: realSleep }, now: () => FIXTURE_NOW, feedCache: memoryFeedCache() });
const opts = (over: Partial<CollectOptions> = {}): CollectOptions => ({ timeoutMs: 300, deadlineMs: 2000, retries: 0, userAgent: 'test', ...over });

const quote = (symbol: string): Quote => ({
  asset: symbol.toLowerCase(),
  symbol,
  name: symbol,
  priceUsd: 1,
  change24hPct: null,
  volume24hUsd: null,
  marketCapUsd: null,
  source: 'fake',
  asOf: FIXTURE_NOW.toISOString(),
});
const quick = (id: string, symbol = id.toUpperCase()): Source => ({ id, run: async () => ({ quotes: [quote(symbol)] }) });
/** Ignores its signal and never settles: only the collector's own timers can end it. */
const deaf = (id: string): Source => ({ id, run: () => new Promise(() => {}) });

describe('collectSnapshot', () => {
  it('records a source that hangs past its timeout as failed while the others succeed', async () => {
    const snapshot = await collectSnapshot([quick('a'), deaf('stuck'), quick('b')], deps(), opts({ timeoutMs: 250 }));
    expect(snapshot.statuses.map((s) => [s.id, s.ok])).toEqual([
      ['a', true],
      ['stuck', false],
      ['b', true],
    ]);
    expect(snapshot.statuses[1]?.error).toMatch(/timed out after 250 ms/);
    expect(snapshot.quotes.map((q) => q.symbol)).toEqual(['A', 'B']);
    expect(snapshot.takenAt).toBe(FIXTURE_NOW.toISOString());
  });

  it('stops every source still running at the overall deadline', async () => {
    const snapshot = await collectSnapshot([deaf('one'), quick('fast'), deaf('two')], deps(), opts({ timeoutMs: 60_000, deadlineMs: 300 }));
    expect(snapshot.statuses.filter((s) => !s.ok).map((s) => s.error)).toEqual([
      'stopped at the collection deadline (300 ms)',
      'stopped at the collection deadline (300 ms)',
    ]);
    expect(snapshot.statuses.find((s) => s.id === 'fast')?.ok).toBe(true);
  });

  it('hands each source a signal that aborts at its timeout', async () => {
    let abortedWith: unknown = null;
    const polite: Source = {
      id: 'polite',
      run: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            abortedWith = ctx.signal.reason;
            reject(new Error('aborted'));
          });
        }),
    };
    const snapshot = await collectSnapshot([polite], deps(), opts({ timeoutMs: 200 }));
    expect(abortedWith).toMatchObject({ name: 'TimeoutError' });
    expect(snapshot.statuses[0]?.error).toMatch(/timed out after 200 ms/);
  });

  it('keeps going when a source throws, synchronously or not', async () => {
    const sync: Source = {
      id: 'sync',
      run: () => {
        throw new Error('boom');
      },
    };
    const asyncThrow: Source = { id: 'async', run: async () => Promise.reject(new TypeError('bad thing')) };
    const snapshot = await collectSnapshot([sync, quick('ok'), asyncThrow], deps(), opts());
    expect(snapshot.statuses).toEqual([
      expect.objectContaining({ id: 'sync', ok: false, error: 'boom', items: 0 }),
      expect.objectContaining({ id: 'ok', ok: true, error: null, items: 1 }),
      expect.objectContaining({ id: 'async', ok: false, error: 'bad thing' }),
    ]);
  });

  it('fails a source that returns garbage, and drops only the bad items of a partly bad answer', async () => {
    const garbage: Source = { id: 'garbage', run: async () => 42 as never };
    const allBad: Source = { id: 'all-bad', run: async () => ({ quotes: [{ price: 'x' }] }) as never };
    const partly: Source = { id: 'partly', run: async () => ({ quotes: [quote('GOOD'), { ...quote('BAD'), priceUsd: -1 }] }) };
    const snapshot = await collectSnapshot([garbage, allBad, partly], deps(), opts());
    const [g, a, p] = snapshot.statuses;
    expect(g).toMatchObject({ ok: false, error: expect.stringContaining('unexpected data from garbage') });
    expect(a).toMatchObject({ ok: false, error: expect.stringContaining('unexpected data from all-bad') });
    expect(p).toMatchObject({ ok: true, items: 1, error: expect.stringContaining('dropped 1 invalid quote') });
    expect(snapshot.quotes.map((q) => q.symbol)).toEqual(['GOOD']);
  });

  it('never puts a secret from an error into a status', async () => {
    const leaky: Source = { id: 'leaky', run: async () => Promise.reject(new Error('GET https://x.test/api?api_key=sk-SECRET-123 failed')) };
    const snapshot = await collectSnapshot([leaky], deps(), opts());
    expect(snapshot.statuses[0]?.error).not.toContain('sk-SECRET-123');
    expect(snapshot.statuses[0]?.error).toContain('api_key=<redacted>');
  });

  it('carries warnings, fallbacks and not-modified flags into ok statuses', async () => {
    const src: Source = { id: 'w', run: async () => ({ quotes: [quote('X')], warning: 'XRP missing', fallback: 'binance', notModified: true }) };
    const snapshot = await collectSnapshot([src], deps(), opts());
    expect(snapshot.statuses[0]).toEqual({ id: 'w', ok: true, error: 'XRP missing', ms: expect.any(Number), items: 1, notModified: true, fallback: 'binance' });
  });

  it('reports start and done for every source, and survives a broken progress callback', async () => {
    const events: ProgressEvent[] = [];
    const snapshot = await collectSnapshot([quick('a'), deaf('b')], deps(), {
      ...opts({ timeoutMs: 200 }),
      onProgress: (e) => {
        events.push(e);
        throw new Error('display broke');
      },
    });
    expect(snapshot.statuses).toHaveLength(2);
    expect(events.filter((e) => e.phase === 'start').map((e) => e.id)).toEqual(['a', 'b']);
    expect(events.filter((e) => e.phase === 'done').map((e) => [e.id, e.status?.ok]).sort()).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('cuts an HTTP source whose server never answers at its timeout', async () => {
    server.setMode('fearGreed', 'timeout');
    const snapshot = await collectSnapshot([fearGreedSource(configFor(server).sources.fearGreed), quick('a')], deps(), opts({ timeoutMs: 300 }));
    expect(snapshot.statuses[0]).toMatchObject({ id: 'fear_greed', ok: false, error: expect.stringMatching(/timed out after 300 ms/) });
    expect(snapshot.statuses[1]?.ok).toBe(true);
  });

  it('collects the real sources from the fixture server with half of them broken', async () => {
    server.setMode('coingecko', '500');
    server.setMode('etfBtc', '403');
    server.setMode('etfEth', '403');
    server.setMode('fred', 'wrong-shape');
    const s = configFor(server).sources;
    const sources = [
      coingeckoSource(s.coingecko, s.binance),
      fearGreedSource(s.fearGreed),
      fredSource(s.fred),
      polymarketSource(s.polymarket),
      etfFlowsSource(s.etfFlows),
    ];
    // Nothing here hangs, so a generous timeout costs nothing and keeps a busy machine from failing it.
    const snapshot = await collectSnapshot(sources, deps(), opts({ timeoutMs: 5000, deadlineMs: 10_000 }));
    const byId = Object.fromEntries(snapshot.statuses.map((st) => [st.id, st]));
    expect(byId.coingecko).toMatchObject({ ok: true, fallback: 'binance', items: 4 });
    expect(byId.fear_greed).toMatchObject({ ok: true, items: 1 });
    expect(byId.polymarket).toMatchObject({ ok: true, items: 1 });
    expect(byId.fred).toMatchObject({ ok: false, error: expect.stringContaining('unexpected data from FRED') });
    expect(byId.etf_flows).toMatchObject({ ok: false, error: expect.stringMatching(/^blocked: /) });
    expect(snapshot.indicators.map((i) => i.id).sort()).toEqual(['fear_greed', 'fomc_odds']);
    expect(snapshot.quotes.every((q) => q.source === 'binance')).toBe(true);
  });
});
