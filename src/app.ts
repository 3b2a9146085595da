/** The composition root: builds every dependency from the config, once, for any command. */
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openDb, type Db } from './store/db.ts';
import { memoryFeedCache, sqliteFeedCache, type FeedCache } from './store/feed-cache.ts';
import { realSleep, type HttpDeps } from './util/http.ts';

export interface App {
  config: Readonly<Config>;
  db: Db | null;
  http: HttpDeps;
  now: () => Date;
  log: Logger;
  feedCache: FeedCache;
  close(): void;
}

export interface AppOptions {
  /** false: no database at all (demo --no-store, `feed`). */
  useDb?: boolean;
  logLevel?: string;
}

/**
 * @example const app = createApp(config, { logLevel: 'warn' }); try { ... } finally { app.close(); }
 */
export function createApp(config: Readonly<Config>, options: AppOptions = {}): App {
  const log = createLogger(options.logLevel ?? config.logLevel);
  const db = options.useDb === false ? null : openDb(config.db);
  return {
    config,
    db,
    http: { fetch: globalThis.fetch, sleep: realSleep },
    now: () => new Date(),
    log,
    feedCache: db ? sqliteFeedCache(db) : memoryFeedCache(),
    close() {
      db?.close();
    },
  };
}
