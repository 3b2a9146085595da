import { beforeEach, describe, expect, it } from 'vitest';
import { progressReporter, runSourcesCommand } from '../../src/commands/sources.ts';
import type { SourceStatus } from '../../src/domain.ts';
import { memoryFeedCache } from '../../src/store/feed-cache.ts';
import { realSleep } from '../../src/util/http.ts';
import { useSourcesServer, FIXTURE_NOW, configFor, type ConfigOverrides, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

function sink(columns?: number) {
  const chunks: string[] = [];
  return { chunks, text: () => chunks.join(''), write: (s: string) => void chunks.push(s), ...(columns !== undefined ? { columns } : {}) };
}

async function probe(overrides: ConfigOverrides, json = false, isTTY = false) {
  const stdout = sink();
  const config = configFor(server, { ...overrides, sources: { timeoutMs: 5000, deadlineMs: 10_000, retries: 0, ...overrides.sources } });
  const code = await runSourcesCommand(
    config,
    { http: { fetch: globalThis.fetch, sleep: realSleep }, now: () => FIXTURE_NOW, feedCache: memoryFeedCache(), stdout, isTTY },
    { json },
  );
  return { code, out: stdout.text() };
}

const row = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';

describe('morning-brief sources', () => {
  it('prints one row per source and exits 0 when every enabled source answers', async () => {
    const { code, out } = await probe({ sources: { polymarket: { enabled: false } } });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^SOURCE\s+STATE\s+MS\s+ITEMS\s+NOTE$/);
    expect(row(out, 'coingecko')).toMatch(/^coingecko\s+ok\s+\d+\s+5\s*$/);
    expect(row(out, 'binance')).toMatch(/^binance\s+ok\s+\d+\s+4\s+fallback; no Binance USDT pair for XRP$/);
    expect(row(out, 'polymarket')).toMatch(/^polymarket\s+off\s+-\s+-$/);
    expect(row(out, 'feed:coindesk')).toMatch(/^feed:coindesk\s+ok\s+\d+\s+4/);
    expect(row(out, 'etf_flows')).toMatch(/^etf_flows\s+ok\s+\d+\s+2/);
  });

  it('exits 1 and says why when an enabled source fails', async () => {
    server.setMode('etfBtc', '403');
    server.setMode('etfEth', '403');
    server.setMode('feed:cointelegraph', 'html');
    const { code, out } = await probe({});
    expect(code).toBe(1);
    expect(row(out, 'etf_flows')).toMatch(/^etf_flows\s+FAIL\s+\d+\s+0\s+blocked: BTC: HTTP 403, bot wall/);
    expect(row(out, 'feed:cointelegraph')).toMatch(/^feed:cointelegraph\s+FAIL\s+\d+\s+0\s+\S/);
    expect(row(out, 'fear_greed')).toMatch(/\bok\b/);
  });

  it('does not fail the probe when only the Binance fallback is down', async () => {
    server.setMode('binance', '403');
    const { code, out } = await probe({});
    expect(code).toBe(0);
    expect(row(out, 'binance')).toMatch(/^binance\s+FAIL\s+\d+\s+0\s+fallback; HTTP 403/);
  });

  it('prints statuses as JSON with --json', async () => {
    server.setMode('fearGreed', 'malformed-json');
    const { code, out } = await probe({ sources: { fred: { enabled: false } } }, true);
    expect(code).toBe(1);
    const parsed = JSON.parse(out) as { ok: boolean; sources: { id: string; enabled: boolean; status: SourceStatus | null }[] };
    expect(parsed.ok).toBe(false);
    const byId = Object.fromEntries(parsed.sources.map((s) => [s.id, s]));
    expect(byId.fred).toEqual({ id: 'fred', enabled: false, role: 'primary', status: null });
    expect(byId.fear_greed?.status).toMatchObject({ ok: false, error: expect.stringContaining('unexpected data from alternative.me') });
    expect(byId.coingecko?.status).toMatchObject({ ok: true, items: 5 });
  });

  it('draws no progress when stdout is not a terminal, and clears its progress line when it is', async () => {
    const plain = await probe({ sources: { feeds: [] } }, false, false);
    expect(plain.out).not.toContain('\x1b[');
    server.setMode('fred', '500');
    const tty = await probe({ sources: { feeds: [] } }, false, true);
    expect(tty.out).toContain('waiting:');
    expect(tty.out).toMatch(/FAIL fred \(\d+ ms\): DFF: HTTP 500/);
    // The table starts on a clean line after the progress line was cleared.
    expect(tty.out).toMatch(/\r\x1b\[2KSOURCE\s+STATE/);
  });
});

describe('progressReporter', () => {
  const status = (id: string, ok: boolean): SourceStatus => ({ id, ok, error: ok ? null : 'HTTP 500', ms: 12, items: ok ? 1 : 0, notModified: false, fallback: null });

  it('writes nothing when not a terminal', () => {
    const out = sink();
    const report = progressReporter(out, false);
    report({ id: 'a', phase: 'start' });
    report({ id: 'a', phase: 'done', status: status('a', false) });
    expect(out.chunks).toEqual([]);
  });

  it('keeps one line of who is still running, a line per failure, and clears the line at the end', () => {
    const out = sink(60);
    const report = progressReporter(out, true);
    report({ id: 'coingecko', phase: 'start' });
    report({ id: 'fred', phase: 'start' });
    report({ id: 'feed:coindesk', phase: 'start' });
    expect(out.chunks.at(-1)).toMatch(/\r\x1b\[2K. sources 0\/3 · waiting: coingecko, fred, feed:coindesk$/);
    report({ id: 'fred', phase: 'done', status: status('fred', false) });
    expect(out.chunks.at(-2)).toBe('\r\x1b[2K  FAIL fred (12 ms): HTTP 500\n');
    expect(out.chunks.at(-1)).toMatch(/sources 1\/3 · waiting: coingecko, feed:coindesk$/);
    report({ id: 'coingecko', phase: 'done', status: status('coingecko', true) });
    report({ id: 'feed:coindesk', phase: 'done', status: status('feed:coindesk', true) });
    expect(out.chunks.at(-1)).toBe('\r\x1b[2K');
    // Lines never exceed the terminal width.
    expect(out.chunks.every((c) => c.replace('\r\x1b[2K', '').replace('\n', '').length <= 60)).toBe(true);
  });

  /** A ticker the test turns by hand. */
  function handTicker() {
    const state = { tick: null as (() => void) | null, stopped: 0 };
    const ticker = (tick: () => void) => {
      state.tick = tick;
      return () => void state.stopped++;
    };
    return { state, ticker };
  }

  it('keeps the spinner turning between events (a source waiting out its timeout) and stops ticking at the end', () => {
    const out = sink(60);
    const { state, ticker } = handTicker();
    const report = progressReporter(out, true, ticker);
    report({ id: 'fred', phase: 'start' });
    const frames = new Set<string>();
    for (let i = 0; i < 3; i++) {
      state.tick!();
      frames.add(out.chunks.at(-1)!.slice(5, 6));
      expect(out.chunks.at(-1)).toMatch(/sources 0\/1 · waiting: fred$/);
    }
    expect(frames.size).toBe(3);
    report({ id: 'fred', phase: 'done', status: status('fred', true) });
    expect(state.stopped).toBe(1);
    expect(out.chunks.at(-1)).toBe('\r\x1b[2K');
  });

  it('still shows who it waits for on a terminal that reports 0 columns', () => {
    const out = sink(0);
    const report = progressReporter(out, true, handTicker().ticker);
    report({ id: 'coingecko', phase: 'start' });
    report({ id: 'fred', phase: 'start' });
    expect(out.chunks.at(-1)).toMatch(/sources 0\/2 · waiting: coingecko, fred$/);
  });
});
