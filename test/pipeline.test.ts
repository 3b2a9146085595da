import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { NoDataError, runBrief, type PipelineDeps } from '../src/pipeline.ts';
import type { ProgressEvent } from '../src/sources/collect.ts';
import { renderText } from '../src/render/text.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { memoryFeedCache } from '../src/store/feed-cache.ts';
import { getBrief, getRunSnapshot, latestBrief } from '../src/store/runs.ts';
import { checkBrief } from '../src/writers/grounding.ts';
import { configFor, FIXTURE_NOW, startSourcesServer, type SourcesServer } from './fakes/sources-server.ts';
import { manualTimers } from './helpers/manual-timers.ts';

let server: SourcesServer;
let db: Db;

beforeAll(async () => {
  server = await startSourcesServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  db = openDb(':memory:');
});

const TIMEOUT_MS = 800;

/**
 * Sources on virtual time: no timeout fires by the wall clock, however slow the machine. Once
 * every source but the `hanging` ones has answered, the clock moves past their timeout.
 */
function deps(overrides: Partial<PipelineDeps> = {}, hanging: string[] = []): PipelineDeps {
  const clock = manualTimers();
  const started = new Set<string>();
  const answered = new Set<string>();
  let advanced = false;
  const onProgress = (event: ProgressEvent) => {
    (event.phase === 'start' ? started : answered).add(event.id);
    if (!advanced && [...started].every((id) => answered.has(id) || hanging.includes(id))) {
      advanced = true;
      clock.advance(TIMEOUT_MS);
    }
  };
  return {
    config: configFor(server, { sources: { timeoutMs: TIMEOUT_MS, deadlineMs: 3000 } }),
    db,
    http: { fetch: globalThis.fetch, sleep: async () => undefined, timers: clock.timers },
    onProgress,
    now: () => FIXTURE_NOW,
    log: silentLogger(),
    feedCache: memoryFeedCache(),
    ...overrides,
  };
}

describe('runBrief against loopback sources', () => {
  it('gathers every source, writes a grounded brief, and stores run and brief so it can be replayed', async () => {
    const result = await runBrief(deps(), { trigger: 'test', writer: 'extractive' });
    expect(result.snapshot.statuses.every((s) => s.ok), JSON.stringify(result.snapshot.statuses)).toBe(true);
    expect(result.snapshot.quotes.map((q) => q.symbol).sort()).toEqual(['BNB', 'BTC', 'ETH', 'SOL', 'XRP']);
    expect(result.stories.length).toBeGreaterThan(3);
    expect(result.brief.title).toMatch(/^Morning Brief \| .+, .+/);
    expect(result.brief.items.length).toBeGreaterThanOrEqual(6);
    expect(result.brief.notes).toEqual([]);
    expect(checkBrief(result.brief, { snapshot: result.snapshot, stories: result.stories, briefName: 'Morning Brief', language: 'en', now: FIXTURE_NOW })).toEqual([]);

    expect(result.runId).not.toBeNull();
    const stored = getBrief(db, result.briefId!);
    expect(stored?.brief).toEqual(result.brief);
    const snapshot = getRunSnapshot(db, result.runId!);
    expect(snapshot).toEqual(result.snapshot);

    // Replaying the stored inputs writes the same brief without touching the network.
    const hitsBefore = server.requests.length;
    const replayed = await runBrief(deps(), { trigger: 'replay', writer: 'extractive', snapshot: snapshot! });
    expect(server.requests.length).toBe(hitsBefore);
    expect(replayed.brief.items).toEqual(result.brief.items);
  });

  it('still writes a brief when half the sources are broken, and names what is missing', async () => {
    server.setMode('coingecko', '500');
    server.setMode('binance', 'malformed-json');
    server.setMode('fearGreed', 'timeout');
    server.setMode('polymarket', 'wrong-shape');
    server.setMode('etfBtc', '403');
    server.setMode('etfEth', '403');
    server.setMode('feed:cointelegraph', 'html');
    const result = await runBrief(deps({}, ['fear_greed']), { trigger: 'test', writer: 'extractive' });

    const failed = result.snapshot.statuses.filter((s) => !s.ok).map((s) => s.id).sort();
    expect(failed).toEqual(['coingecko', 'etf_flows', 'fear_greed', 'feed:cointelegraph', 'polymarket']);
    for (const status of result.snapshot.statuses.filter((s) => !s.ok)) expect(status.error).toBeTruthy();
    expect(result.snapshot.quotes).toEqual([]);

    // The brief goes out with what is left: the Fed/FRED data and the remaining feeds.
    expect(result.brief.items.length).toBeGreaterThan(0);
    expect(result.brief.items.some((i) => /fed funds|Federal Reserve|FRED/i.test(i.text))).toBe(true);
    const notes = result.brief.notes.join('\n');
    expect(notes).toMatch(/price/i);
    expect(notes).toMatch(/Fear & Greed/i);
    expect(notes).toMatch(/Cointelegraph/);
    expect(notes).toMatch(/ETF/);
    expect(renderText(result.brief)).toContain('Missing:');
    expect(result.brief.closing).toMatch(/from \d+ of \d+ sources/);
  });

  it('records a source that hangs past its timeout without waiting for it', async () => {
    server.setMode('fred', 'timeout');
    const result = await runBrief(deps({}, ['fred']), { trigger: 'test', writer: 'extractive' });
    const fred = result.snapshot.statuses.find((s) => s.id === 'fred');
    expect(fred).toMatchObject({ ok: false });
    expect(fred!.error).toMatch(/timed out after 800 ms/i);
    // The rest of the brief is unaffected.
    expect(result.snapshot.quotes).toHaveLength(5);
  });

  it('with requireData, a morning where every source failed writes no brief (the scheduler retries) but keeps the run', async () => {
    for (const route of ['coingecko', 'binance', 'fearGreed', 'fred', 'polymarket', 'etfBtc', 'etfEth', 'feed:coindesk', 'feed:cointelegraph', 'feed:fed-monetary'] as const) {
      server.setMode(route, '500');
    }
    await expect(runBrief(deps(), { trigger: 'schedule', writer: 'extractive', requireData: true })).rejects.toBeInstanceOf(NoDataError);
    expect(latestBrief(db)).toBeNull();
    const runs = db.prepare('SELECT trigger, ok_sources AS ok FROM runs').all();
    expect(runs).toEqual([{ trigger: 'schedule', ok: 0 }]);
  });
});
