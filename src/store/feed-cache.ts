/** Validators (ETag / Last-Modified) and the last parsed feed, for conditional GET between runs. */
import type { Db } from './db.ts';

export interface CachedFeed {
  etag: string | null;
  lastModified: string | null;
  /** The parsed feed as JSON, reused when the server answers 304. */
  feedJson: string;
  fetchedAt: string;
}

export interface FeedCache {
  get(url: string): CachedFeed | null;
  put(url: string, entry: CachedFeed): void;
}

export function sqliteFeedCache(db: Db): FeedCache {
  const select = db.prepare('SELECT etag, last_modified, feed_json, fetched_at FROM feed_cache WHERE url = ?');
  const upsert = db.prepare(
    `INSERT INTO feed_cache (url, etag, last_modified, feed_json, fetched_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
       feed_json = excluded.feed_json, fetched_at = excluded.fetched_at`,
  );
  return {
    get(url) {
      const row = select.get(url) as { etag: string | null; last_modified: string | null; feed_json: string; fetched_at: string } | undefined;
      return row ? { etag: row.etag, lastModified: row.last_modified, feedJson: row.feed_json, fetchedAt: row.fetched_at } : null;
    },
    put(url, entry) {
      upsert.run(url, entry.etag, entry.lastModified, entry.feedJson, entry.fetchedAt);
    },
  };
}

/** For runs that must not touch the disk (the demo, tests). */
export function memoryFeedCache(): FeedCache {
  const map = new Map<string, CachedFeed>();
  return { get: (url) => map.get(url) ?? null, put: (url, entry) => void map.set(url, entry) };
}
