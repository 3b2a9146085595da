/**
 * A zh edition through the pipeline (issue 18): it collects the zh feeds and the shared market
 * sources only, and writes the Chinese brief with no key; an English edition never asks the
 * zh feeds. The zh feed serves the bundled Chinese snapshot's recorded headlines as RSS
 * (without times: none were recorded).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../src/domain.ts';
import { silentLogger } from '../src/log.ts';
import { runBrief, type PipelineDeps } from '../src/pipeline.ts';
import { memoryFeedCache } from '../src/store/feed-cache.ts';
import { checkBriefZh } from '../src/writers/grounding-zh.ts';
import { startServer, type LoopbackServer } from './fakes/http-server.ts';
import { manualTimers } from './helpers/manual-timers.ts';
import { configFor, FIXTURE_NOW, startSourcesServer, type SourcesServer } from './fakes/sources-server.ts';

const zhSnapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../examples/snapshot.zh.json', import.meta.url), 'utf8')));
const esc = (s: string) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;');
const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>链捕手</title><link>https://www.chaincatcher.com/</link>${zhSnapshot.headlines
  .map((h) => `<item><title>${esc(h.title)}</title><link>${esc(h.url)}</link><description>${esc(h.summary)}</description></item>`)
  .join('')}</channel></rss>`;

let sources: SourcesServer;
let zhFeed: LoopbackServer;
let zhHits = 0;
beforeAll(async () => {
  sources = await startSourcesServer();
  zhFeed = await startServer((_req, res) => {
    zhHits++;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(RSS);
  });
});
afterAll(async () => {
  await sources.close();
  await zhFeed.close();
});

function deps(): PipelineDeps {
  const base = configFor(sources, { sources: { timeoutMs: 800, deadlineMs: 3_000, retries: 0 } });
  const config = { ...base, sources: { ...base.sources, feeds: [...base.sources.feeds, { id: 'zhnews', name: '链捕手', url: `${zhFeed.url}/rss`, weight: 1, enabled: true, language: 'zh' }] } };
  return { config, db: null, // Virtual timers that are never advanced: no timeout fires, however slow the machine.
    http: { fetch: globalThis.fetch, sleep: async () => undefined, timers: manualTimers().timers }, now: () => FIXTURE_NOW, log: silentLogger(), feedCache: memoryFeedCache() };
}

describe('editions per language', () => {
  it('a zh run reads the zh feed and the market sources, and writes the Chinese brief without a key', async () => {
    sources.reset();
    zhHits = 0;
    const d = deps();
    const result = await runBrief(d, { trigger: 'test', writer: 'auto', language: 'zh' });
    expect(zhHits).toBe(1);
    expect(sources.requests.filter((r) => r.url.startsWith('/feeds/'))).toEqual([]);
    expect(result.snapshot.statuses.map((s) => s.id).filter((id) => id.startsWith('feed:'))).toEqual(['feed:zhnews']);
    expect(new Set(result.snapshot.headlines.map((h) => h.source))).toEqual(new Set(['zhnews']));
    expect(result.snapshot.quotes.length).toBeGreaterThan(0);
    expect(result.brief.title).toMatch(/^加密早报｜.+；.+/u);
    expect(result.brief.items.map((i) => i.text).join('')).toMatch(/比特币现报[\d,]+美元/u);
    expect(result.brief.writerReason).toBe('auto: no LLM configured (OPENAI_API_KEY unset)');
    expect(checkBriefZh(result.brief, { snapshot: result.snapshot, stories: result.stories, briefName: d.config.briefName, language: 'zh', now: FIXTURE_NOW })).toEqual([]);
  });

  it('an English run never asks the zh feed', async () => {
    sources.reset();
    zhHits = 0;
    const result = await runBrief(deps(), { trigger: 'test', writer: 'extractive', language: 'en' });
    expect(zhHits).toBe(0);
    expect(result.snapshot.statuses.some((s) => s.id === 'feed:zhnews')).toBe(false);
    expect(result.brief.title).toMatch(/^Morning Brief \| /u);
  });
});
