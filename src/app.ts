/** The composition root: builds every dependency from the config, once, for any command. */
import type { Config } from './config.ts';
import { createLogger } from './log.ts';
import type { PipelineDeps } from './pipeline.ts';
import { openDb } from './store/db.ts';
import { memoryFeedCache, sqliteFeedCache } from './store/feed-cache.ts';
import { realSleep } from './util/http.ts';

/** Everything runBrief needs, plus a way to release it. */
export interface App extends Omit<PipelineDeps, 'onProgress'> {
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
  const log = createLogger(options.logLevel ?? config.logLevel, undefined, { format: config.logFormat });
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
