/**
 * How long a collection takes when one of 30 sources hangs: 30 RSS feeds on a loopback
 * server (20-80 ms latency each), one of which never answers. The collector should return at
 * about the per-source timeout, not later. Run: npx tsx bench/collect.bench.ts
 */
import { FeedConfigSchema } from '../src/config.ts';
import { collectSnapshot } from '../src/sources/collect.ts';
import { feedSource } from '../src/sources/feed/feed-source.ts';
import type { Source } from '../src/sources/types.ts';
import { memoryFeedCache } from '../src/store/feed-cache.ts';
import { realSleep } from '../src/util/http.ts';
import { startServer } from '../test/fakes/http-server.ts';

const SOURCES = 30;
const TIMEOUT_MS = 1000;
const RUNS = 5;

function rss(n: number): string {
  const items = Array.from(
    { length: 20 },
    (_, i) => `<item><title>Outlet ${n} story ${i}: markets move</title><link>https://outlet${n}.example/news/${i}</link>
<pubDate>Thu, 04 Dec 2025 0${i % 10}:00:00 +0000</pubDate><description>Story ${i} from outlet ${n}.</description></item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${n}</title><link>https://outlet${n}.example/</link>${items}</channel></rss>`;
}

const server = await startServer(async (req, res) => {
  const n = Number(/\/feed\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
  if (n === 0) return; // the one that hangs: accepts and never answers
  await realSleep(20 + ((n * 37) % 61));
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
  res.end(rss(n));
});

const feeds = Array.from({ length: SOURCES }, (_, n) => FeedConfigSchema.parse({ id: `outlet-${n}`, name: `Outlet ${n}`, url: `${server.url}/feed/${n}` }));
/** Same shape, but the hanging source ignores its abort signal entirely. */
const deaf: Source = { id: 'deaf', run: () => new Promise(() => {}) };

async function measure(sources: Source[]): Promise<{ ms: number; ok: number; failed: string[] }> {
  const started = performance.now();
  const snapshot = await collectSnapshot(
    sources,
    { http: { fetch: globalThis.fetch, sleep: realSleep }, now: () => new Date(), feedCache: memoryFeedCache() },
    { timeoutMs: TIMEOUT_MS, deadlineMs: TIMEOUT_MS * 5, retries: 0, userAgent: 'morning-brief-bench' },
  );
  const ms = performance.now() - started;
  return { ms, ok: snapshot.statuses.filter((s) => s.ok).length, failed: snapshot.statuses.filter((s) => !s.ok).map((s) => `${s.id}: ${s.error}`) };
}

function report(label: string, runs: { ms: number; ok: number; failed: string[] }[]): void {
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label}: median ${median.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}) over ${runs.length} runs; ` +
      `timeout ${TIMEOUT_MS} ms; ratio ${(median / TIMEOUT_MS).toFixed(3)}; ok ${runs[0]!.ok}/${SOURCES}; failed: ${runs[0]!.failed.join(' | ')}`,
  );
}

const scenarios: [string, Source[]][] = [
  ['30 feeds, 1 hangs (HTTP, honours signal)', feeds.map(feedSource)],
  ['30 sources, 1 ignores its signal       ', [...feeds.slice(1).map(feedSource), deaf]],
];
for (const [label, sources] of scenarios) {
  await measure(sources); // warm-up: module JIT, keep-alive sockets
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(sources));
  report(label, runs);
}
await server.close();
