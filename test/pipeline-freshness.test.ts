/**
 * The case end to end: the sources answer with recorded responses (the fixture day,
 * 4 Dec 2025) while the clock says months later. Nothing from that day is written as today's:
 * prices and odds are left out, rates, sentiment and flows carry their date, the closing line
 * counts only sources that gave current figures. At the fixture's own clock all of it is current.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.ts';
import { runBrief, type PipelineDeps } from '../src/pipeline.ts';
import type { ProgressEvent } from '../src/sources/collect.ts';
import { memoryFeedCache } from '../src/store/feed-cache.ts';
import { checkBrief } from '../src/writers/grounding.ts';
import { configFor, FIXTURE_NOW, startSourcesServer, type SourcesServer } from './fakes/sources-server.ts';
import { manualTimers } from './helpers/manual-timers.ts';

let server: SourcesServer;
beforeAll(async () => {
  server = await startSourcesServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const TIMEOUT_MS = 800;

function deps(now: Date): PipelineDeps {
  const clock = manualTimers();
  const started = new Set<string>();
  const answered = new Set<string>();
  let advanced = false;
  const onProgress = (event: ProgressEvent) => {
    (event.phase === 'start' ? started : answered).add(event.id);
    if (!advanced && [...started].every((id) => answered.has(id))) {
      advanced = true;
      clock.advance(TIMEOUT_MS);
    }
  };
  return {
    // Headlines are judged by their own age rule; keep them so only the figures are in question.
    config: configFor(server, { sources: { timeoutMs: TIMEOUT_MS, deadlineMs: 3000 }, stories: { maxAgeHours: 24 * 365 * 5 } }),
    db: null,
    http: { fetch: globalThis.fetch, sleep: async () => undefined, timers: clock.timers },
    onProgress,
    now: () => now,
    log: silentLogger(),
    feedCache: memoryFeedCache(),
  };
}

describe('recorded answers replayed at a later clock', () => {
  it('writes no figure of that day as current', async () => {
    const later = new Date('2026-07-01T06:30:00.000Z');
    const { brief, snapshot, stories } = await runBrief(deps(later), { trigger: 'test', writer: 'extractive' });
    const text = [brief.title, ...brief.items.map((i) => i.text)].join('\n');
    expect(snapshot.quotes.length).toBeGreaterThan(0); // the answers came back...
    expect(brief.marketLine).toBe(''); // ...but no price or index is today's
    expect(text).not.toMatch(/\btrades at \$|\brate is \d|\byield is \d|Index is at/);
    expect(text).toMatch(/was [\d.]+% on \d+ Dec 2025, the latest figure from FRED/);
    expect(brief.notes).toContain('Prices are left out: the latest quotes, from 4 Dec 2025, are out of date.');
    const feedsOk = snapshot.statuses.filter((s) => s.ok && s.id.startsWith('feed:')).length;
    expect(brief.closing).toContain(`from ${feedsOk} of ${snapshot.statuses.length} sources`);
    expect(checkBrief(brief, { snapshot, stories, briefName: brief.name, language: 'en', now: later })).toEqual([]);
  });

  it("at the fixture's own clock the same answers are current", async () => {
    const { brief, snapshot } = await runBrief(deps(FIXTURE_NOW), { trigger: 'test', writer: 'extractive' });
    expect(brief.marketLine).toMatch(/^BTC \$[\d,]+/);
    expect(brief.closing).toContain(`from ${snapshot.statuses.filter((s) => s.ok).length} of ${snapshot.statuses.length} sources`);
  });
});
