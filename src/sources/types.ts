/** What every source is: a named async function from a context to typed facts. */
import type { Headline, Indicator, Quote } from '../domain.ts';
import type { FeedCache } from '../store/feed-cache.ts';
import type { HttpDeps } from '../util/http.ts';

export interface SourceContext {
  http: HttpDeps;
  now: () => Date;
  /** Aborted at the source's own timeout or the collection's overall deadline. */
  signal: AbortSignal;
  timeoutMs: number;
  retries: number;
  userAgent: string;
  feedCache: FeedCache;
}

export interface SourceResult {
  quotes?: Quote[];
  indicators?: Indicator[];
  headlines?: Headline[];
  /** A feed answered 304 and its cached items were used. */
  notModified?: boolean;
  /** Which fallback produced the data, if the primary failed (e.g. "binance"). */
  fallback?: string | null;
  /** Something worth a note although the source produced data ("BNBUSDT missing"). */
  warning?: string | null;
}

export interface Source {
  /** Unique id, shown in statuses: "coingecko", "fear_greed", "feed:coindesk". */
  id: string;
  run(ctx: SourceContext): Promise<SourceResult>;
}
