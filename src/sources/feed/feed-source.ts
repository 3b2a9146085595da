/**
 * One configured news feed as a Source: conditional GET (ETag / Last-Modified) through the
 * feed cache, the tolerant reader, and items mapped to Headlines.
 */
import { z } from 'zod';
import type { FeedConfig } from '../../config.ts';
import { HeadlineSchema, type Headline } from '../../domain.ts';
import { SchemaError } from '../../errors.ts';
import type { FeedCache } from '../../store/feed-cache.ts';
import { readBytes, request } from '../../util/http.ts';
import type { Source } from '../types.ts';
import { cleanSummary, cleanTitle } from '../../util/clean-text.ts';
import { parseFeed } from './parse.ts';
import { parseFlashJson } from './flash-json.ts';
import { ParsedFeedSchema, SUMMARY_MAX_CHARS, type ParsedFeed } from './schema.ts';

/** What we ask feed servers for: feed types first, generic XML next, anything last (some send text/html). */
export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

interface CachedParsedFeed {
  etag: string | null;
  lastModified: string | null;
  feed: ParsedFeed;
}

/** The cache is outside data too (an older version may have written it): check it, ignore it if wrong. */
function readCache(cache: FeedCache, url: string): CachedParsedFeed | null {
  const entry = cache.get(url);
  if (!entry) return null;
  try {
    const feed = ParsedFeedSchema.safeParse(JSON.parse(entry.feedJson));
    return feed.success ? { etag: entry.etag, lastModified: entry.lastModified, feed: feed.data } : null;
  } catch {
    return null;
  }
}

const HeadlinesSchema = z.array(HeadlineSchema);

/** Items without a title are dropped; the same link (or title) twice in one feed counts once. */
export function toHeadlines(parsed: ParsedFeed, feed: Pick<FeedConfig, 'id' | 'name'>): Headline[] {
  const seen = new Set<string>();
  const out: Headline[] = [];
  for (const item of parsed.items) {
    // Cleaned again: the cache may hold what an older version read.
    const title = cleanTitle(item.title);
    if (!title) continue;
    const url = item.link && /^https?:\/\//i.test(item.link) ? item.link : '';
    const key = url || `title:${title.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      title,
      url,
      source: feed.id,
      sourceName: feed.name,
      publishedAt: item.publishedAt,
      summary: cleanSummary(item.summary, SUMMARY_MAX_CHARS),
    });
  }
  return HeadlinesSchema.parse(out);
}

/**
 * @example
 * const sources = config.sources.feeds.filter((f) => f.enabled).map(feedSource);
 * const result = await sources[0].run(ctx); // { headlines: [...], notModified?: true }
 */
export function feedSource(feed: FeedConfig): Source {
  return {
    id: `feed:${feed.id}`,
    async run(ctx) {
      const cached = readCache(ctx.feedCache, feed.url);
      const headers: Record<string, string> = { 'user-agent': ctx.userAgent, accept: FEED_ACCEPT };
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

      const res = await request(ctx.http, feed.url, {
        timeoutMs: ctx.timeoutMs,
        retries: ctx.retries,
        signal: ctx.signal,
        // Keep backoff short: the whole source shares one timeout.
        backoffMs: Math.min(500, Math.max(50, Math.floor(ctx.timeoutMs / 10))),
        maxRetryAfterMs: ctx.timeoutMs,
        headers,
        passStatuses: [304],
      });

      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined);
        // We only send validators when we hold a copy, so this is the server misbehaving.
        if (!cached) throw new SchemaError(feed.url, '304 Not Modified without a cached copy');
        const headlines = toHeadlines(cached.feed, feed);
        return { headlines, notModified: true, ...(headlines.length === 0 ? { warning: 'feed has no items with a title' } : {}) };
      }

      const bytes = await readBytes(res);
      // A Chinese outlet's JSON flash endpoint (feed.format) reads into the same ParsedFeed.
      const parsed = feed.format
        ? parseFlashJson(bytes, feed.format, res.url || feed.url)
        : parseFeed(bytes, { url: res.url || feed.url, contentType: res.headers.get('content-type') });
      ctx.feedCache.put(feed.url, {
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
        feedJson: JSON.stringify(parsed),
        fetchedAt: ctx.now().toISOString(),
      });
      const headlines = toHeadlines(parsed, feed);
      return { headlines, ...(headlines.length === 0 ? { warning: 'feed has no items with a title' } : {}) };
    },
  };
}
