/**
 * Runs every source at once, each under its own timeout and all under one overall deadline,
 * and merges what came back into one Snapshot. A source that throws, hangs or returns
 * garbage becomes a failed status; the collection itself never throws for a source.
 */
import { z } from 'zod';
import {
  HeadlineSchema,
  IndicatorSchema,
  QuoteSchema,
  SnapshotSchema,
  type Headline,
  type Indicator,
  type Quote,
  type Snapshot,
  type SourceStatus,
} from '../domain.ts';
import { SchemaError, TimeoutError, describeError } from '../errors.ts';
import type { FeedCache } from '../store/feed-cache.ts';
import type { HttpDeps } from '../util/http.ts';
import { realTimers, type Timers } from '../util/timers.ts';
import { summarizeIssues } from './http-get.ts';
import type { Source, SourceContext } from './types.ts';

export interface CollectDeps {
  http: HttpDeps;
  now: () => Date;
  feedCache: FeedCache;
}

export interface ProgressEvent {
  id: string;
  phase: 'start' | 'done';
  status?: SourceStatus;
}

export interface CollectOptions {
  /** Each source's own time budget. */
  timeoutMs: number;
  /** The whole collection's budget; sources still running then are recorded as failed. */
  deadlineMs: number;
  retries: number;
  userAgent: string;
  onProgress?: (event: ProgressEvent) => void;
}

/** The shape of a result; items are checked one by one below so one bad item does not sink the rest. */
const ResultShape = z.object({
  quotes: z.array(z.unknown()).optional(),
  indicators: z.array(z.unknown()).optional(),
  headlines: z.array(z.unknown()).optional(),
  notModified: z.boolean().optional(),
  fallback: z.string().nullable().optional(),
  warning: z.string().nullable().optional(),
});

/** A source ran past its own timeout (the status already names the source, so the message does not). */
export class SourceTimeoutError extends TimeoutError {
  constructor(id: string, ms: number) {
    super(id, ms);
    this.message = `timed out after ${ms} ms`;
  }
}

/** Raised when the overall deadline cut a source short. */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(readonly ms: number) {
    super(`stopped at the collection deadline (${ms} ms)`);
  }
}

interface Outcome {
  status: SourceStatus;
  quotes: Quote[];
  indicators: Indicator[];
  headlines: Headline[];
}

/** Rejects with the signal's reason once it aborts. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

function keepValid<T>(items: unknown[] | undefined, schema: z.ZodType<T>, kind: string, dropped: string[]): T[] {
  const out: T[] = [];
  let firstIssue: string | null = null;
  let bad = 0;
  for (const item of items ?? []) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else {
      bad++;
      firstIssue ??= summarizeIssues(r.error);
    }
  }
  if (bad > 0) dropped.push(`dropped ${bad} invalid ${kind}${bad === 1 ? '' : 's'} (${firstIssue})`);
  return out;
}

/** Checks a source's answer; garbage throws a SchemaError, partly bad answers keep the good items. */
function checkResult(id: string, raw: unknown): Omit<Outcome, 'status'> & { notModified: boolean; fallback: string | null; warning: string | null } {
  const shape = ResultShape.safeParse(raw);
  if (!shape.success) throw new SchemaError(id, summarizeIssues(shape.error));
  const r = shape.data;
  const dropped: string[] = [];
  const quotes = keepValid(r.quotes, QuoteSchema, 'quote', dropped);
  const indicators = keepValid(r.indicators, IndicatorSchema, 'indicator', dropped);
  const headlines = keepValid(r.headlines, HeadlineSchema, 'headline', dropped);
  const given = (r.quotes?.length ?? 0) + (r.indicators?.length ?? 0) + (r.headlines?.length ?? 0);
  if (given > 0 && quotes.length + indicators.length + headlines.length === 0) throw new SchemaError(id, dropped.join('; '));
  const warning = [r.warning, ...dropped].filter((w): w is string => typeof w === 'string' && w.length > 0).join('; ');
  return { quotes, indicators, headlines, notModified: r.notModified ?? false, fallback: r.fallback ?? null, warning: warning || null };
}

async function runOne(source: Source, base: Omit<SourceContext, 'signal'>, deadline: AbortSignal, timers: Timers): Promise<Outcome> {
  const started = performance.now();
  const own = new AbortController();
  const cancelTimer = timers.after(base.timeoutMs, () => own.abort(new SourceTimeoutError(source.id, base.timeoutMs)));
  const signal = AbortSignal.any([own.signal, deadline]);
  const aborted = whenAborted(signal);
  const ms = () => Math.round(performance.now() - started);
  try {
    // Race against the signal: a source that ignores it is still cut off on time.
    const raw = await Promise.race([Promise.resolve().then(() => source.run({ ...base, signal })), aborted.promise]);
    const r = checkResult(source.id, raw);
    const items = r.quotes.length + r.indicators.length + r.headlines.length;
    return {
      status: { id: source.id, ok: true, error: r.warning, ms: ms(), items, notModified: r.notModified, fallback: r.fallback },
      quotes: r.quotes,
      indicators: r.indicators,
      headlines: r.headlines,
    };
  } catch (err) {
    // Prefer the abort reason: the source's own error after an abort is usually a vaguer "aborted".
    const reason: unknown = signal.aborted ? signal.reason : err;
    return {
      status: { id: source.id, ok: false, error: describeError(reason), ms: ms(), items: 0, notModified: false, fallback: null },
      quotes: [],
      indicators: [],
      headlines: [],
    };
  } finally {
    cancelTimer();
    aborted.dispose();
  }
}

function safely(onProgress: CollectOptions['onProgress'], event: ProgressEvent): void {
  try {
    onProgress?.(event);
  } catch {
    // A broken progress display must not break the collection.
  }
}

/**
 * Collects every source concurrently into one Snapshot (statuses in the sources' order).
 * @example
 * const snapshot = await collectSnapshot(buildSources(config), { http, now: () => new Date(), feedCache },
 *   { timeoutMs: 10_000, deadlineMs: 25_000, retries: 2, userAgent: 'morning-brief' });
 */
export async function collectSnapshot(sources: readonly Source[], deps: CollectDeps, opts: CollectOptions): Promise<Snapshot> {
  const timers = deps.http.timers ?? realTimers;
  const deadline = new AbortController();
  const cancelDeadline = timers.after(opts.deadlineMs, () => deadline.abort(new DeadlineError(opts.deadlineMs)));
  const base: Omit<SourceContext, 'signal'> = {
    http: deps.http,
    now: deps.now,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    userAgent: opts.userAgent,
    feedCache: deps.feedCache,
  };
  try {
    const outcomes = await Promise.all(
      sources.map(async (source) => {
        safely(opts.onProgress, { id: source.id, phase: 'start' });
        const outcome = await runOne(source, base, deadline.signal, timers);
        safely(opts.onProgress, { id: source.id, phase: 'done', status: outcome.status });
        return outcome;
      }),
    );
    return SnapshotSchema.parse({
      takenAt: deps.now().toISOString(),
      quotes: outcomes.flatMap((o) => o.quotes),
      indicators: outcomes.flatMap((o) => o.indicators),
      headlines: outcomes.flatMap((o) => o.headlines),
      statuses: outcomes.map((o) => o.status),
    });
  } finally {
    cancelDeadline();
  }
}
